//! Decoy admin logins: recorded without the password, and the prober's IP
//! blocked on all four services.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use testkit::{TestApp, TestServer};

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

#[tokio::test]
async fn fewer_tries_than_the_threshold_block_nobody() {
    let api = TestApp::spawn(service_api::SERVICE).await;
    for _ in 0..2 {
        api.post("/wp-login.php")
            .header("x-forwarded-for", ATTACKER)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("log=admin")
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        status_from(&api, "/openapi.json", ATTACKER).await,
        StatusCode::OK
    );
}
