//! Browsers on the configured storefront origins may call the shopper API
//! (preflight answered, responses readable with credentials); any other
//! origin, and every origin when none is configured, gets no CORS header.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::{Method, StatusCode};
use testkit::TestApp;

const STOREFRONT: &str = "https://shop.marketplace.kr";

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_configured_storefront_is_answered_and_no_other_origin_is() {
    let app = TestApp::builder(service_api::SERVICE)
        .setting(
            "services.service_api.cors_origins",
            format!("{STOREFRONT},https://m.marketplace.kr"),
        )
        .spawn()
        .await;

    let preflight = app
        .request(Method::OPTIONS, "/v1/checkout")
        .header("origin", STOREFRONT)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, x-device-id, x-client, idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&preflight, "access-control-allow-origin").as_deref(),
        Some(STOREFRONT)
    );
    assert_eq!(
        header(&preflight, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    let allowed = header(&preflight, "access-control-allow-headers").unwrap();
    for wanted in [
        "authorization",
        "x-device-id",
        "x-client",
        "idempotency-key",
    ] {
        assert!(allowed.contains(wanted), "{wanted} in {allowed}");
    }
    assert!(
        header(&preflight, "access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );

    let read = app
        .get("/v1/categories")
        .header("origin", STOREFRONT)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(
        header(&read, "access-control-allow-origin").as_deref(),
        Some(STOREFRONT)
    );
    assert!(
        header(&read, "vary")
            .unwrap()
            .to_ascii_lowercase()
            .contains("origin")
    );
    assert!(
        header(&read, "access-control-expose-headers")
            .unwrap()
            .contains("x-request-id")
    );

    for stranger in [
        "https://evil.example.net",
        "https://shop.marketplace.kr.evil.net",
        "null",
    ] {
        let response = app
            .get("/v1/categories")
            .header("origin", stranger)
            .send()
            .await
            .unwrap();
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            None,
            "{stranger}"
        );
        let preflight = app
            .request(Method::OPTIONS, "/v1/checkout")
            .header("origin", stranger)
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap();
        assert_eq!(
            header(&preflight, "access-control-allow-origin"),
            None,
            "{stranger}"
        );
    }
}

#[tokio::test]
async fn without_configured_origins_no_browser_of_another_origin_is_answered() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let response = app
        .get("/v1/categories")
        .header("origin", STOREFRONT)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "access-control-allow-origin"), None);
}
