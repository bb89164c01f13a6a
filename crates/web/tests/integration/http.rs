//! The shared HTTP behaviour of every service, through a real server with
//! real PostgreSQL and Redis: a small test service mounts a JSON route and a
//! slow route on the production app builder.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use actix_web::{HttpResponse, get, post, web as actix};
use reqwest::StatusCode;
use reqwest::header::{ALLOW, CONTENT_TYPE, LOCATION};
use serde::Deserialize;
use serde_json::Value;
use testkit::TestApp;
use tokio::sync::Notify;
use utoipa::OpenApi;

#[derive(Debug, Deserialize)]
#[expect(dead_code, reason = "the fields are read by deserialisation only")]
struct Order {
    sku: String,
    quantity: u32,
}

#[post("/echo")]
async fn echo(order: actix::Json<Order>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "quantity": order.quantity }))
}

static SLOW_STARTED: LazyLock<Notify> = LazyLock::new(Notify::new);
static SLOW_RELEASE: LazyLock<Notify> = LazyLock::new(Notify::new);

/// Holds the request until the test releases it.
#[get("/slow")]
async fn slow() -> HttpResponse {
    SLOW_STARTED.notify_one();
    SLOW_RELEASE.notified().await;
    HttpResponse::Ok().body("finished")
}

#[derive(OpenApi)]
#[openapi()]
struct NoRoutes;

const TEST_SERVICE: web::Service = web::Service {
    name: "test-api",
    // Borrows service-api's listener settings (hosts: api.localhost).
    settings_key: "service_api",
    audience: auth::Audience::Service,
    title: "Test API",
    description: "The shared behaviour under test.",
    routes: |config| {
        config.service(echo).service(slow);
    },
    openapi: NoRoutes::openapi,
};

async fn problem(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json", "status {status}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    assert_eq!(
        body["type"],
        format!("urn:problem:{}", body["code"].as_str().unwrap())
    );
    (status, body)
}

async fn expect_problem(request: reqwest::RequestBuilder, status: StatusCode, code: &str) -> Value {
    let (actual, body) = problem(request.send().await.unwrap()).await;
    assert_eq!((actual, body["code"].as_str()), (status, Some(code)));
    body
}

fn raw_post(app: &TestApp, content_type: &str, body: String) -> reqwest::RequestBuilder {
    app.post("/echo")
        .header(CONTENT_TYPE, content_type)
        .body(body)
}

#[tokio::test]
async fn framework_errors_are_problems_with_stable_codes() {
    let app = TestApp::spawn(TEST_SERVICE).await;
    let json = "application/json";
    let huge = format!("{{\"sku\": \"{}\", \"quantity\": 1}}", "x".repeat(70_000));
    let cases = [
        (
            app.get("/no/such/route"),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            raw_post(&app, json, "{\"sku\": ".into()),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            raw_post(&app, "text/plain", "{}".into()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            raw_post(&app, json, huge),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (request, status, code) in cases {
        expect_problem(request, status, code).await;
    }

    let missing_field = app.post("/echo").json(&serde_json::json!({"sku": "A"}));
    let body = expect_problem(
        missing_field,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "quantity");

    let wrong_method = app
        .request(reqwest::Method::DELETE, "/readyz")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.headers()[ALLOW], "GET, HEAD");
    let (status, body) = problem(wrong_method).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
    );

    let ok = app
        .post("/echo")
        .json(&serde_json::json!({"sku": "A", "quantity": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let app = TestApp::spawn(TEST_SERVICE).await;
    let given = app
        .get("/livez")
        .header("x-request-id", "req-42.a")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "req-42.a");

    let generated = app.get("/livez").send().await.unwrap();
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");

    // Header injection or absurd values are replaced, not echoed.
    let hostile = app
        .get("/livez")
        .header("x-request-id", "a b<script>")
        .send()
        .await
        .unwrap();
    assert_ne!(hostile.headers()["x-request-id"], "a b<script>");

    let failed = app
        .get("/missing")
        .header("x-request-id", "trace-me")
        .send()
        .await
        .unwrap();
    assert_eq!(failed.headers()["x-request-id"], "trace-me");
}

#[tokio::test]
async fn the_host_guard_refuses_hosts_the_service_does_not_serve() {
    let app = TestApp::spawn(TEST_SERVICE).await;
    let url = format!("{}/v1/anything", app.base_url);

    let misdirected = app
        .client
        .get(&url)
        .header("host", "seller.localhost")
        .send()
        .await
        .unwrap();
    let (status, body) = problem(misdirected).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::MISDIRECTED_REQUEST, Some("misdirected_request"))
    );

    let with_port = app
        .client
        .get(format!("{}/livez", app.base_url))
        .header("host", "API.localhost:8080");
    assert_eq!(with_port.send().await.unwrap().status(), StatusCode::OK);
    let routed = app
        .client
        .post(format!("{}/echo", app.base_url))
        .header("host", "api.localhost:8080");
    let routed = routed
        .json(&serde_json::json!({"sku": "A", "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(routed.status(), StatusCode::OK);

    // Probes and scrapers reach a pod by its address: health is host-exempt.
    let probe = app
        .client
        .get(format!("{}/livez", app.base_url))
        .header("host", "10.0.0.7:8081");
    assert_eq!(probe.send().await.unwrap().status(), StatusCode::OK);
}

async fn readiness(app: &TestApp) -> (StatusCode, Value) {
    let response = app.get("/readyz").send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

/// Polls readiness until `want` (there is no event to await: the service
/// learns of the outage only when it pings). Returns how long it took.
async fn readiness_becomes(app: &TestApp, want: StatusCode) -> (Duration, Value) {
    let started = Instant::now();
    loop {
        let (status, body) = readiness(app).await;
        if status == want {
            return (started.elapsed(), body);
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "readiness stuck at {status}: {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Takes `dependency` away behind the running service and gives it back:
/// readiness must notice within 2 s, name it, and recover with no restart.
async fn outage_round_trip(dependency: &str) {
    let app = TestApp::builder(TEST_SERVICE)
        .through_proxies()
        .spawn()
        .await;
    let (proxy, other) = match dependency {
        "postgres" => (app.postgres_proxy.as_ref().unwrap(), "redis"),
        _ => (app.redis_proxy.as_ref().unwrap(), "postgres"),
    };
    assert_eq!(readiness(&app).await.0, StatusCode::OK);

    proxy.cut();
    let (took, body) = readiness_becomes(&app, StatusCode::SERVICE_UNAVAILABLE).await;
    assert!(took < Duration::from_secs(2), "noticed after {took:?}");
    assert_eq!(body["code"], "not_ready");
    assert_eq!(body["checks"][dependency], "down");
    assert_eq!(body["checks"][other], "up");
    // Liveness does not depend on either store.
    assert_eq!(
        app.get("/livez").send().await.unwrap().status(),
        StatusCode::OK
    );

    proxy.restore();
    let (_, body) = readiness_becomes(&app, StatusCode::OK).await;
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn readiness_follows_redis_down_and_back_without_a_restart() {
    outage_round_trip("redis").await;
}

#[tokio::test]
async fn readiness_follows_postgres_down_and_back_without_a_restart() {
    outage_round_trip("postgres").await;
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_expose_pool_gauges() {
    let app = TestApp::spawn(TEST_SERVICE).await;
    for _ in 0..3 {
        app.get("/livez").send().await.unwrap();
    }
    app.get("/no/such/route/12345").send().await.unwrap();
    let text = app
        .get("/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let line = text
        .lines()
        .find(|l| {
            l.starts_with("http_requests_total")
                && l.contains("route=\"/livez\"")
                && l.contains("status=\"200\"")
        })
        .unwrap_or_else(|| panic!("no /livez counter in:\n{text}"));
    assert!(line.ends_with(" 3"), "{line}");
    assert!(
        text.contains("route=\"unmatched\""),
        "raw paths must not become labels"
    );
    assert!(!text.contains("12345"));
    assert!(text.contains("http_request_duration_seconds_bucket"));
    assert!(text.contains("db_pool_max_connections"));
    assert!(text.contains("db_pool_connections{state=\"idle\"}"));
}

#[tokio::test]
async fn openapi_is_3_1_and_the_docs_page_loads_nothing_from_outside() {
    let app = TestApp::spawn(TEST_SERVICE).await;
    let document = app.get_json("/openapi.json").await;
    assert_eq!(document["openapi"], "3.1.0");
    assert!(document["paths"]["/readyz"].is_object());
    assert!(document["components"]["schemas"]["ProblemDetails"].is_object());

    let redirect = app.get("/docs").send().await.unwrap();
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.headers()[LOCATION], "/docs/");

    let page = app
        .get("/docs/")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("swagger-ui"), "{page}");
    let outside: Vec<&str> = page
        .split(['"', '\''])
        .filter(|s| s.starts_with("http:") || s.starts_with("https:") || s.starts_with("//"))
        .collect();
    assert!(
        outside.is_empty(),
        "the docs page loads from outside: {outside:?}"
    );
    let initializer = app
        .get("/docs/swagger-initializer.js")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(initializer.contains("/openapi.json"));
    let bundle = app.get("/docs/swagger-ui-bundle.js").send().await.unwrap();
    assert_eq!(bundle.status(), StatusCode::OK);
}

#[tokio::test]
async fn shutdown_lets_in_flight_requests_finish_and_refuses_new_ones() {
    let app = TestApp::spawn(TEST_SERVICE).await;
    let in_flight = tokio::spawn(app.get("/slow").send());
    SLOW_STARTED.notified().await;

    let handle = app.server_handle();
    let stopping = tokio::spawn(async move { handle.stop(true).await });
    // The listener closes first; new connections are refused while the
    // in-flight request is still being served.
    let fresh = reqwest::Client::new();
    let refused = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if fresh
                .get(format!("{}/livez", app.base_url))
                .header("host", "api.localhost")
                .send()
                .await
                .is_err()
            {
                return;
            }
            tokio::task::yield_now().await;
        }
    });
    refused
        .await
        .expect("new connections are refused during shutdown");
    if in_flight.is_finished() {
        panic!(
            "the in-flight request ended before its handler did: {:?}",
            in_flight.await
        );
    }

    SLOW_RELEASE.notify_one();
    let response = in_flight.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "finished");
    stopping.await.unwrap();
}
