//! Decoy admin logins: recorded without the password, and the prober's IP
//! blocked on all four services.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use testkit::shoppers::{PASSWORD, active_shopper, log_in_on};
use testkit::{TestApp, TestServer};
use uuid::Uuid;

const ATTACKER: &str = "198.51.100.66";
const BYSTANDER: &str = "198.51.100.67";

async fn status_from(server: &TestServer, path: &str, ip: &str) -> StatusCode {
    server
        .get(path)
        .header("x-forwarded-for", ip)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn probing_the_decoys_blocks_the_prober_on_every_service() {
    let api = TestApp::spawn(service_api::SERVICE).await;
    let seller = api.sibling(seller_api::SERVICE);
    let admin = api.sibling(admin_api::SERVICE);
    let partner = api.sibling(external_api::SERVICE);

    let page = api
        .get("/wp-login.php")
        .header("x-forwarded-for", ATTACKER)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text().await.unwrap().contains("type=\"password\""),
        "a convincing login form"
    );

    for (server, path) in [
        (&*api, "/wp-login.php"),
        (&admin, "/admin/login"),
        (&*api, "/administrator"),
    ] {
        let tried = server
            .post(path)
            .header("x-forwarded-for", ATTACKER)
            .header("user-agent", "sqlmap/1.8")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("log=admin&pwd=s3cret-Passw0rd")
            .send()
            .await
            .unwrap();
        assert_eq!(tried.status(), StatusCode::OK);
        assert!(
            tried
                .text()
                .await
                .unwrap()
                .contains("Invalid username or password")
        );
    }

    for server in [&*api, &seller, &admin, &partner] {
        let refused = server
            .get("/openapi.json")
            .header("x-forwarded-for", ATTACKER)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{}", server.host);
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["code"], "ip_blocked");
        assert_eq!(
            status_from(server, "/openapi.json", BYSTANDER).await,
            StatusCode::OK,
            "{}",
            server.host
        );
        // Probes still reach a blocked node's health endpoints.
        assert_eq!(
            status_from(server, "/livez", ATTACKER).await,
            StatusCode::OK
        );
    }

    let recorded = api.db.query_text("SELECT concat_ws('|', ip, user_agent, path, username) AS value FROM honeypot_hits ORDER BY id").await;
    assert_eq!(
        recorded,
        vec![
            format!("{ATTACKER}|sqlmap/1.8|/wp-login.php|admin"),
            format!("{ATTACKER}|sqlmap/1.8|/admin/login|admin"),
            format!("{ATTACKER}|sqlmap/1.8|/administrator|admin"),
        ]
    );
    let everything = api
        .db
        .query_text("SELECT string_agg(t::text, '') AS value FROM honeypot_hits t")
        .await;
    assert!(
        !everything[0].contains("s3cret"),
        "the password is never stored"
    );
}

/// `tries` on a decoy login from `ip` (three are enough to be blocked).
async fn probe(api: &TestServer, ip: &str, tries: usize) {
    for _ in 0..tries {
        let tried = api
            .post("/wp-login.php")
            .header("x-forwarded-for", ip)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("log=admin&pwd=guess")
            .send()
            .await
            .unwrap();
        assert_eq!(tried.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_live_session_does_not_open_a_blocked_address() {
    let api = TestApp::spawn(service_api::SERVICE).await;
    let email = active_shopper(&api, "shopper").await;
    let device = Uuid::new_v4();
    let login = log_in_on(&api, &email, PASSWORD, device).await;
    let me_from = |ip: &'static str| {
        api.get("/v1/me")
            .bearer_auth(&login.access_token)
            .header("x-device-id", device.to_string())
            .header("x-forwarded-for", ip)
            .send()
    };
    assert_eq!(me_from(ATTACKER).await.unwrap().status(), StatusCode::OK);

    probe(&api, ATTACKER, 3).await;
    let refused = me_from(ATTACKER).await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "ip_blocked");
    assert_eq!(me_from(BYSTANDER).await.unwrap().status(), StatusCode::OK);

    let forged = api
        .get("/v1/me")
        .bearer_auth(format!("{}x", login.access_token))
        .header("x-device-id", device.to_string())
        .header("x-forwarded-for", ATTACKER)
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "a refused token is still refused at the blocklist first"
    );
}

#[tokio::test]
async fn fewer_tries_than_the_threshold_block_nobody() {
    let api = TestApp::spawn(service_api::SERVICE).await;
    probe(&api, ATTACKER, 2).await;
    assert_eq!(
        status_from(&api, "/openapi.json", ATTACKER).await,
        StatusCode::OK
    );
}

/// `tries` posts to a decoy from `ip` carrying `headers`.
async fn post_decoy(api: &TestServer, ip: Option<&str>, headers: &[(&str, &str)], tries: usize) {
    for _ in 0..tries {
        let mut request = api
            .post("/wp-login.php")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("log=admin&pwd=guess");
        if let Some(ip) = ip {
            request = request.header("x-forwarded-for", ip);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        assert_eq!(request.send().await.unwrap().status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_form_another_site_makes_a_browser_send_blocks_nobody() {
    let api = TestApp::spawn(service_api::SERVICE).await;
    // A page elsewhere posts the decoy form from its visitors' browsers.
    post_decoy(
        &api,
        Some(BYSTANDER),
        &[("origin", "https://evil.example")],
        4,
    )
    .await;
    post_decoy(&api, Some(BYSTANDER), &[("origin", "null")], 4).await;
    post_decoy(
        &api,
        Some(BYSTANDER),
        &[("sec-fetch-site", "cross-site")],
        4,
    )
    .await;
    assert_eq!(
        status_from(&api, "/openapi.json", BYSTANDER).await,
        StatusCode::OK
    );
    assert_eq!(
        api.db
            .query_text("SELECT count(*)::text AS value FROM honeypot_hits")
            .await,
        vec!["0"]
    );
    // The prober's own browser on our host still counts.
    let own = format!("http://{}", api.host);
    post_decoy(
        &api,
        Some(ATTACKER),
        &[("origin", &own), ("sec-fetch-site", "same-origin")],
        3,
    )
    .await;
    assert_eq!(
        status_from(&api, "/openapi.json", ATTACKER).await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_block_falls_on_one_client_and_never_on_our_proxy() {
    let api = TestApp::spawn(service_api::SERVICE).await;
    // Requests whose every hop is a trusted proxy resolve to the proxy: it
    // speaks for everyone behind it, so its tries are recorded, never blocked.
    post_decoy(&api, None, &[], 3).await;
    assert_eq!(
        api.get("/openapi.json").send().await.unwrap().status(),
        StatusCode::OK
    );
    // Through the proxy, the prober alone is blocked.
    post_decoy(&api, Some(ATTACKER), &[], 3).await;
    assert_eq!(
        status_from(&api, "/openapi.json", ATTACKER).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_from(&api, "/openapi.json", BYSTANDER).await,
        StatusCode::OK
    );
    assert_eq!(
        api.get("/openapi.json").send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        api.db
            .query_text("SELECT count(*)::text AS value FROM honeypot_hits")
            .await,
        vec!["6"]
    );
}
