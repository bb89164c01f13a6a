//! Login, device binding, refresh rotation and reuse, session limits, logout
//! across replicas, and failing closed without Redis — over HTTP.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::shoppers::{active_shopper, log_in_on};
use testkit::{TestApp, TestMail, TestServer};
use uuid::Uuid;

use testkit::SendJson as _;
use testkit::shoppers::PASSWORD;

/// Logs in on `device` and returns (access, refresh).
async fn tokens(server: &TestServer, email: &str, device: Uuid) -> (String, String) {
    let login = log_in_on(server, email, PASSWORD, device).await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.token_type, "Bearer");
    (login.access_token, login.refresh_token)
}

async fn me(server: &TestServer, access: &str, device: Uuid) -> StatusCode {
    server
        .get("/v1/me")
        .bearer_auth(access)
        .header("x-device-id", device.to_string())
        .send()
        .await
        .unwrap()
        .status()
}

async fn refresh(server: &TestServer, token: &str, device: Uuid) -> reqwest::Response {
    server
        .post("/v1/auth/refresh")
        .header("x-device-id", device.to_string())
        .json(&json!({ "refresh_token": token }))
        .send()
        .await
        .unwrap()
}

async fn code(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_token_works_only_with_the_device_it_was_issued_to() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = active_shopper(&app, "shopper").await;
    let device = Uuid::new_v4();
    let (access, refresh_token) = tokens(&app, &email, device).await;

    let profile = app
        .get("/v1/me")
        .bearer_auth(&access)
        .header("x-device-id", device.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(profile.status(), StatusCode::OK);
    let profile: Value = profile.json().await.unwrap();
    assert_eq!(
        (profile["email"].as_str(), profile["name"].as_str()),
        (Some(email.as_str()), Some("Kim Minji"))
    );

    let other_device = Uuid::new_v4();
    assert_eq!(
        me(&app, &access, other_device).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/v1/me")
            .bearer_auth(&access)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        code(refresh(&app, &refresh_token, other_device).await).await,
        (StatusCode::UNAUTHORIZED, "invalid_refresh_token".into())
    );
    let anonymous = app.get("/v1/me").send().await.unwrap();
    assert_eq!(
        anonymous.headers()["www-authenticate"],
        "Bearer realm=\"marketplace\""
    );
    assert_eq!(
        code(anonymous).await,
        (StatusCode::UNAUTHORIZED, "token_required".into())
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_email_answer_alike() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = active_shopper(&app, "shopper").await;
    let device = Uuid::new_v4().to_string();
    let attempt = |email: String, password: &'static str| {
        app.post("/v1/auth/login")
            .header("x-device-id", &device)
            .json(&json!({ "email": email, "password": password }))
            .send()
    };
    let wrong_password: Value = attempt(email.clone(), "not the password 1")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let unknown: Value = attempt(TestMail::unique_address("nobody"), PASSWORD)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(wrong_password, unknown);
    assert_eq!(unknown["code"], "invalid_credentials");

    app.db
        .run_sql("UPDATE users SET status = 'pending_verification'")
        .await
        .unwrap();
    assert_eq!(
        code(attempt(email, PASSWORD).await.unwrap()).await,
        (StatusCode::FORBIDDEN, "email_not_verified".into())
    );
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_whole_login() {
    // No grace: any second use of a rotated token is a reuse.
    let app = TestApp::builder(service_api::SERVICE)
        .setting("auth.refresh.reuse_grace", "0")
        .spawn()
        .await;
    let email = active_shopper(&app, "shopper").await;
    let device = Uuid::new_v4();
    let (first_access, first_refresh) = tokens(&app, &email, device).await;

    let rotated: Value = refresh(&app, &first_refresh, device)
        .await
        .json()
        .await
        .unwrap();
    let second_refresh = rotated["refresh_token"].as_str().unwrap().to_owned();
    let second_access = rotated["access_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(me(&app, &second_access, device).await, StatusCode::OK);

    // The stolen first token comes back: the family and the session end.
    assert_eq!(
        code(refresh(&app, &first_refresh, device).await).await,
        (StatusCode::UNAUTHORIZED, "refresh_token_reused".into())
    );
    assert_eq!(
        code(refresh(&app, &second_refresh, device).await).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me(&app, &second_access, device).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me(&app, &first_access, device).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn two_refreshes_sent_at_once_keep_the_session() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = active_shopper(&app, "shopper").await;
    let device = Uuid::new_v4();
    let (_, refresh_token) = tokens(&app, &email, device).await;
    let (first, second) = tokio::join!(
        refresh(&app, &refresh_token, device),
        refresh(&app, &refresh_token, device)
    );
    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    let mut successors = Vec::new();
    for response in [first, second] {
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            me(&app, body["access_token"].as_str().unwrap(), device).await,
            StatusCode::OK
        );
        successors.push(body["refresh_token"].as_str().unwrap().to_owned());
    }
    assert_eq!(successors[0], successors[1], "one successor, never two");
}

#[tokio::test]
async fn a_rotated_token_within_the_grace_gets_the_same_successor_and_never_forks_the_login() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = active_shopper(&app, "shopper").await;
    let device = Uuid::new_v4();
    let (_, r0) = tokens(&app, &email, device).await;
    let next = |response: reqwest::Response| async move {
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["refresh_token"].as_str().unwrap().to_owned()
    };
    let r1 = next(refresh(&app, &r0, device).await).await;
    assert_eq!(
        next(refresh(&app, &r0, device).await).await,
        r1,
        "R0 again: the same R1"
    );
    let live = || async {
        app.db
            .query_text(
                "SELECT count(*)::text AS value FROM refresh_tokens WHERE state = 'current'",
            )
            .await
    };
    assert_eq!(live().await, ["1"], "one live line");

    // Once R1 is itself exchanged, R0 has nothing left to answer with.
    let r2 = next(refresh(&app, &r1, device).await).await;
    assert_eq!(
        code(refresh(&app, &r0, device).await).await,
        (StatusCode::UNAUTHORIZED, "invalid_refresh_token".into())
    );
    assert_eq!(live().await, ["1"]);
    next(refresh(&app, &r2, device).await).await;
}

#[tokio::test]
async fn the_sixth_login_evicts_the_oldest_session() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = active_shopper(&app, "shopper").await;
    let mut logins = Vec::new();
    for _ in 0..6 {
        let device = Uuid::new_v4();
        let (access, refresh_token) = tokens(&app, &email, device).await;
        logins.push((device, access, refresh_token));
    }
    let (oldest_device, oldest_access, oldest_refresh) = &logins[0];
    assert_eq!(
        me(&app, oldest_access, *oldest_device).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        refresh(&app, oldest_refresh, *oldest_device).await.status(),
        StatusCode::UNAUTHORIZED
    );
    for (device, access, _) in &logins[1..] {
        assert_eq!(me(&app, access, *device).await, StatusCode::OK);
    }
    let (device, access, _) = &logins[5];
    let sessions: Value = app
        .get("/v1/me/sessions")
        .bearer_auth(access)
        .header("x-device-id", device.to_string())
        .json_body()
        .await;
    assert_eq!(sessions.as_array().unwrap().len(), 5);
    assert_eq!(
        sessions
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["current"] == true)
            .count(),
        1
    );
}

#[tokio::test]
async fn a_logout_on_one_replica_is_honoured_by_another() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let replica = app.replica();
    let email = active_shopper(&app, "shopper").await;
    let device = Uuid::new_v4();
    let (access, refresh_token) = tokens(&app, &email, device).await;
    assert_eq!(me(&replica, &access, device).await, StatusCode::OK);

    let logout = replica
        .post("/v1/auth/logout")
        .bearer_auth(&access)
        .header("x-device-id", device.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &access, device).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refresh(&app, &refresh_token, device).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn one_device_can_end_another_devices_session() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = active_shopper(&app, "shopper").await;
    let (phone, laptop) = (Uuid::new_v4(), Uuid::new_v4());
    let (phone_access, _) = tokens(&app, &email, phone).await;
    let (laptop_access, _) = tokens(&app, &email, laptop).await;
    let sessions: Value = app
        .get("/v1/me/sessions")
        .bearer_auth(&phone_access)
        .header("x-device-id", phone.to_string())
        .json_body()
        .await;
    let laptop_session = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == false)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoke = |id: String| {
        app.request(reqwest::Method::DELETE, &format!("/v1/me/sessions/{id}"))
            .bearer_auth(&phone_access)
            .header("x-device-id", phone.to_string())
            .send()
    };
    assert_eq!(
        revoke(laptop_session.clone()).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        me(&app, &laptop_access, laptop).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        revoke(laptop_session).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(me(&app, &phone_access, phone).await, StatusCode::OK);
}

#[tokio::test]
async fn with_redis_stopped_no_token_is_accepted() {
    let app = TestApp::builder(service_api::SERVICE)
        .through_proxies()
        .spawn()
        .await;
    let email = active_shopper(&app, "shopper").await;
    let device = Uuid::new_v4();
    let (access, _) = tokens(&app, &email, device).await;
    assert_eq!(me(&app, &access, device).await, StatusCode::OK);
    app.redis_proxy.as_ref().unwrap().cut();
    assert_eq!(
        me(&app, &access, device).await,
        StatusCode::SERVICE_UNAVAILABLE
    );
    app.redis_proxy.as_ref().unwrap().restore();
}

#[tokio::test]
async fn web_clients_keep_the_refresh_token_in_an_http_only_cookie() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let email = active_shopper(&app, "shopper").await;
    let device = Uuid::new_v4();
    let response = app
        .post("/v1/auth/login")
        .header("x-device-id", device.to_string())
        .header("x-client", "web")
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in [
        "refresh_token=",
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/v1/auth",
    ] {
        assert!(
            cookie.contains(attribute),
            "{attribute} missing from {cookie}"
        );
    }
    let body: Value = response.json().await.unwrap();
    assert!(
        body.get("refresh_token").is_none(),
        "not readable by script"
    );
    let value = cookie.split(';').next().unwrap().to_owned();
    let refreshed = app
        .post("/v1/auth/refresh")
        .header("x-device-id", device.to_string())
        .header("x-client", "web")
        .header("cookie", value)
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);
    assert!(
        refreshed.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("refresh_token=")
    );
}
