//! Cash bought in the mobile apps: App Store signed transactions verified
//! against the pinned root (bad signatures, foreign chains, leaves without
//! Apple's marker and reused transactions refused), Google Play purchases
//! read from Google (reused orders refused), and store refunds taking the
//! cash back through notifications that are replay-safe.
#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::FreshKey;
use testkit::doubles::app_store::{self, Signing};
use testkit::doubles::{self, Payments};
use testkit::shoppers::{self, Login, PASSWORD};
use testkit::{TestApp, TestServer};

struct Shop {
    app: TestApp,
    partner: TestServer,
    provider: Payments,
}

async fn shop() -> Shop {
    let provider = Payments::start().await;
    let app = TestApp::builder(service_api::SERVICE)
        .settings(provider.settings_overrides())
        .spawn()
        .await;
    let partner = app.sibling(external_api::SERVICE);
    Shop {
        app,
        partner,
        provider,
    }
}

async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn money(value: &Value) -> i64 {
    value.as_str().expect("money").parse().expect("whole won")
}

impl Shop {
    /// A Pub/Sub push of the test subscription, with Google's OIDC token.
    async fn push(&self, body: &Value) -> (StatusCode, Value) {
        send(
            self.partner
                .post("/v1/webhooks/google")
                .header("authorization", self.provider.google_push_authorization())
                .json(body),
        )
        .await
    }

    async fn member(&self, label: &str) -> (Login, String) {
        let email = shoppers::active_shopper(&self.app, label).await;
        let login = shoppers::log_in(&self.app, &email, PASSWORD).await;
        let (_, me) = send(login.call(&self.app, Method::GET, "/v1/me")).await;
        (login, me["user_id"].as_str().expect("id").to_owned())
    }

    async fn apple(&self, login: &Login, jws: &str) -> (StatusCode, Value) {
        send(
            login
                .call(&self.app, Method::POST, "/v1/wallet/iap/apple")
                .fresh_key()
                .json(&json!({ "signed_transaction": jws })),
        )
        .await
    }

    async fn google(&self, login: &Login, product: &str, token: &str) -> (StatusCode, Value) {
        send(
            login
                .call(&self.app, Method::POST, "/v1/wallet/iap/google")
                .fresh_key()
                .json(&json!({ "product_id": product, "purchase_token": token })),
        )
        .await
    }

    async fn charged(&self, login: &Login) -> i64 {
        let (_, wallet) = send(login.call(&self.app, Method::GET, "/v1/me/wallet")).await;
        money(&wallet["charged"])
    }
}

#[tokio::test]
async fn an_app_store_transaction_credits_once_and_only_when_apple_signed_it() {
    let s = shop().await;
    let (login, user_id) = s.member("ios").await;
    let transaction = app_store::transaction("2000000812345678", "cash_10000", Some(&user_id));
    let jws = app_store::sign(&transaction, Signing::Apple);

    // Refused: another root, a developer leaf, another key, a changed payload.
    for (forged, why) in [
        (
            app_store::sign(&transaction, Signing::ForeignRoot),
            "foreign root",
        ),
        (
            app_store::sign(&transaction, Signing::LeafWithoutMarker),
            "leaf without marker",
        ),
        (
            app_store::sign(&transaction, Signing::WrongKey),
            "wrong key",
        ),
        (app_store::tampered(&jws), "tampered payload"),
        ("not.a.jws".to_owned(), "garbage"),
    ] {
        let (status, problem) = s.apple(&login, &forged).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {problem}");
        assert_eq!(problem["errors"][0]["field"], "signed_transaction", "{why}");
        assert_eq!(problem["errors"][0]["code"], "invalid_receipt", "{why}");
    }
    assert_eq!(s.charged(&login).await, 0);

    let (status, credited) = s.apple(&login, &jws).await;
    assert_eq!(status, StatusCode::CREATED, "{credited}");
    assert_eq!(money(&credited["cash"]), 10_000);
    assert_eq!(credited["store_transaction_id"], "2000000812345678");
    assert_eq!(money(&credited["wallet"]["charged"]), 10_000);
    // App Store cash is refunded by Apple, not by us.
    assert_eq!(money(&credited["wallet"]["refundable"]), 0);

    // The same transaction again, even from another account.
    let (status, problem) = s.apple(&login, &jws).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "receipt_already_used");
    let (other, _) = s.member("other").await;
    let unbound = app_store::sign(
        &app_store::transaction("2000000812345678", "cash_10000", None),
        Signing::Apple,
    );
    let (status, _) = s.apple(&other, &unbound).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Someone else's purchase (tied to another account by the app).
    let theirs = app_store::sign(
        &app_store::transaction("2000000899999999", "cash_10000", Some(&user_id)),
        Signing::Apple,
    );
    let (status, problem) = s.apple(&other, &theirs).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["code"], "not_your_purchase");
    // A product we do not sell.
    let unknown = app_store::sign(
        &app_store::transaction("2000000800000001", "gems_999", None),
        Signing::Apple,
    );
    let (status, problem) = s.apple(&login, &unknown).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["code"], "unknown_product");
    assert_eq!(s.charged(&login).await, 10_000);
}

#[tokio::test]
async fn an_app_store_refund_takes_the_cash_back_once() {
    let s = shop().await;
    let (login, user_id) = s.member("ios-refund").await;
    let transaction = app_store::transaction("2000000811111111", "cash_30000", Some(&user_id));
    let (status, _) = s
        .apple(&login, &app_store::sign(&transaction, Signing::Apple))
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let forged = json!({ "signedPayload": app_store::sign(&json!({
        "notificationType": "REFUND", "notificationUUID": "forged",
        "data": { "bundleId": app_store::BUNDLE_ID, "signedTransactionInfo": app_store::sign(&transaction, Signing::ForeignRoot) },
    }), Signing::ForeignRoot) });
    let (status, problem) = send(s.partner.post("/v1/webhooks/apple").json(&forged)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    assert_eq!(s.charged(&login).await, 30_000);

    let refund = app_store::notification("REFUND", &transaction);
    for _ in 0..2 {
        let (status, received) = send(s.partner.post("/v1/webhooks/apple").json(&refund)).await;
        assert_eq!(status, StatusCode::OK, "{received}");
        assert_eq!(received["result"], "applied");
    }
    assert_eq!(s.charged(&login).await, 0);
    let refunds = s
        .app
        .db
        .query_text("SELECT count(*)::text AS value FROM cash_ledger WHERE kind = 'refund'")
        .await;
    assert_eq!(refunds, vec!["1"]);
}

#[tokio::test]
async fn a_google_play_purchase_is_read_from_google_credited_once_and_consumed() {
    let s = shop().await;
    let (login, user_id) = s.member("android").await;
    let token = s.provider.google_purchase("cash_10000", Some(&user_id));

    let (status, problem) = s.google(&login, "cash_10000", "forged-token").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "purchase_token");

    let (status, credited) = s.google(&login, "cash_10000", &token).await;
    assert_eq!(status, StatusCode::CREATED, "{credited}");
    assert_eq!(money(&credited["cash"]), 10_000);
    assert!(
        credited["store_transaction_id"]
            .as_str()
            .expect("order")
            .starts_with("GPA.")
    );
    assert_eq!(s.provider.google_consumed(), 1);

    let (status, problem) = s.google(&login, "cash_10000", &token).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "receipt_already_used");
    assert_eq!(s.charged(&login).await, 10_000);

    // Another member's purchase, and a pending one.
    let (other, _) = s.member("android-other").await;
    let theirs = s.provider.google_purchase("cash_30000", Some(&user_id));
    let (status, _) = s.google(&other, "cash_30000", &theirs).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let pending = s.provider.google_purchase("cash_10000", None);
    s.provider.google_pending(&pending);
    let (status, problem) = s.google(&login, "cash_10000", &pending).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "purchase_not_completed");
}

#[tokio::test]
async fn google_notifications_are_reread_and_replay_harmless() {
    let s = shop().await;
    let (login, user_id) = s.member("android-notify").await;
    // The app never reported this purchase; Google's notification completes it.
    let token = s.provider.google_purchase("cash_30000", Some(&user_id));
    let purchased = s.provider.google_notification(&token, 1);
    for _ in 0..2 {
        let (status, received) = s.push(&purchased).await;
        assert_eq!(status, StatusCode::OK, "{received}");
    }
    assert_eq!(s.charged(&login).await, 30_000);

    // A notification is not believed: nothing changed at Google, nothing changes here.
    let cancelled_claim = s.provider.google_notification(&token, 2);
    let (status, _) = s.push(&cancelled_claim).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s.charged(&login).await, 30_000);

    // Google refunds it: the cash goes back, once.
    s.provider.google_cancel(&token);
    let cancelled = s.provider.google_notification(&token, 2);
    for _ in 0..2 {
        let (status, received) = s.push(&cancelled).await;
        assert_eq!(status, StatusCode::OK, "{received}");
        assert_eq!(received["result"], "applied");
    }
    assert_eq!(s.charged(&login).await, 0);
}

#[tokio::test]
async fn a_voided_google_purchase_is_taken_back_only_when_google_lists_it() {
    let s = shop().await;
    let (login, user_id) = s.member("android-voided").await;
    let token = s.provider.google_purchase("cash_10000", Some(&user_id));
    let (status, _) = s.google(&login, "cash_10000", &token).await;
    assert_eq!(status, StatusCode::CREATED);

    // A claim Google's voided-purchases list does not back changes nothing.
    let claimed = s.provider.google_voided_notification(&token);
    let (status, received) = s.push(&claimed).await;
    assert_eq!(status, StatusCode::OK, "{received}");
    assert_eq!(received["result"], "ignored");
    assert_eq!(s.charged(&login).await, 10_000);

    // Google refunds it and lists it as voided: the cash goes back, once.
    s.provider.google_cancel(&token);
    let voided = s.provider.google_voided_notification(&token);
    for _ in 0..2 {
        let (status, received) = s.push(&voided).await;
        assert_eq!(status, StatusCode::OK, "{received}");
        assert_eq!(received["result"], "applied");
    }
    assert_eq!(s.charged(&login).await, 0);
}

#[tokio::test]
async fn a_google_push_without_google_s_token_for_our_subscription_is_refused() {
    let s = shop().await;
    let (login, user_id) = s.member("android-forged").await;
    let token = s.provider.google_purchase("cash_10000", Some(&user_id));
    let purchased = s.provider.google_notification(&token, 1);
    let bearer = |token: String| format!("Bearer {token}");
    for (what, authorization) in [
        ("no token", None),
        ("another key", Some(bearer(doubles::forged_push_token()))),
        (
            "another audience",
            Some(bearer(doubles::push_token(
                "https://elsewhere.example/push",
                doubles::PUSH_ACCOUNT,
                0,
            ))),
        ),
        (
            "another account",
            Some(bearer(doubles::push_token(
                doubles::PUSH_AUDIENCE,
                "someone@attacker.iam.gserviceaccount.com",
                0,
            ))),
        ),
        (
            "expired",
            Some(bearer(doubles::push_token(
                doubles::PUSH_AUDIENCE,
                doubles::PUSH_ACCOUNT,
                2 * 3600,
            ))),
        ),
    ] {
        let mut request = s.partner.post("/v1/webhooks/google").json(&purchased);
        if let Some(authorization) = authorization {
            request = request.header("authorization", authorization);
        }
        let (status, problem) = send(request).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {problem}");
        assert_eq!(problem["code"], "invalid_signature", "{what}");
    }
    assert_eq!(s.charged(&login).await, 0);
    // Google's own push goes through.
    let (status, received) = s.push(&purchased).await;
    assert_eq!(status, StatusCode::OK, "{received}");
    assert_eq!(s.charged(&login).await, 10_000);
}
