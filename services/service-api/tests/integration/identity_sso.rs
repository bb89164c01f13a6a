//! Sign-in with an outside provider (an OpenID Connect double): code + PKCE
//! S256, state single-use and bound to the device, the ID token decrypted
//! from a JWE to our key pair and verified; a new person's account is
//! created once the missing fields are collected, an existing account is
//! never linked by email, only by its owner signed in on the same device.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::SendJson as _;
use testkit::doubles::{OidcProvider, Person, Solapi, Twist};
use testkit::shoppers::{self, PASSWORD};
use testkit::{TestApp, TestMail};
use uuid::Uuid;

struct Sso {
    app: TestApp,
    provider: OidcProvider,
    sms: Solapi,
}

async fn sso() -> Sso {
    let provider = OidcProvider::start().await;
    let sms = Solapi::start().await;
    let app = TestApp::builder(service_api::SERVICE)
        .settings(provider.settings_overrides())
        .settings(sms.settings_overrides())
        .spawn()
        .await;
    Sso { app, provider, sms }
}

impl Sso {
    /// Authorize on `device`, approve at the provider as `person`.
    async fn sign_in(&self, device: Uuid, person: Person, twist: Twist) -> (String, String) {
        let started: Value = self
            .app
            .get("/v1/auth/sso/demo/authorize")
            .header("x-device-id", device.to_string())
            .json_body()
            .await;
        let url = started["authorization_url"].as_str().unwrap();
        assert!(url.starts_with(&self.provider.settings_overrides()[0].1));
        self.provider.approve(url, person, twist)
    }

    async fn callback(&self, device: Uuid, code: &str, state: &str) -> (StatusCode, Value) {
        let response = self
            .app
            .post("/v1/auth/sso/demo/callback")
            .header("x-device-id", device.to_string())
            .json(&json!({ "code": code, "state": state }))
            .send()
            .await
            .unwrap();
        (
            response.status(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    async fn signup(&self, device: Uuid, body: Value) -> (StatusCode, Value) {
        let response = self
            .app
            .post("/v1/auth/sso/demo/signup")
            .header("x-device-id", device.to_string())
            .json(&body)
            .send()
            .await
            .unwrap();
        (
            response.status(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    async fn verify_phone(&self, phone: &str) {
        self.app
            .post("/v1/auth/phone-codes")
            .json(&json!({ "phone": phone, "purpose": "signup" }))
            .send()
            .await
            .unwrap();
        let text = self.sms.sent().last().unwrap().text.clone();
        let code = text
            .split_whitespace()
            .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
            .unwrap();
        let verified = self
            .app
            .post("/v1/auth/phone-codes/verify")
            .json(&json!({ "phone": phone, "purpose": "signup", "code": code }))
            .send()
            .await
            .unwrap();
        assert_eq!(verified.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_new_person_signs_up_after_giving_a_verified_phone_and_then_signs_in_directly() {
    let s = sso().await;
    let device = Uuid::new_v4();
    let email = TestMail::unique_address("sso");
    let person = Person::new("provider-user-1", &email);
    let (code, state) = s.sign_in(device, person.clone(), Twist::None).await;
    let (status, body) = s.callback(device, &code, &state).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "signup_required");
    assert_eq!(body["missing"], json!(["phone"]));
    assert_eq!(body["email"], email.as_str());
    let signup_token = body["signup_token"].as_str().unwrap().to_owned();

    // The phone must be verified by SMS first.
    let (status, problem) = s
        .signup(
            device,
            json!({ "signup_token": signup_token, "phone": "010-5555-0101" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["code"], "phone_not_verified");
    s.verify_phone("010-5555-0101").await;
    // What the person put in the cart as a guest on this device comes along.
    let category = testkit::catalog::category(&s.app, None, "sso-tops").await;
    let seller = testkit::staff::seller(&s.app, "SSO Vendor").await;
    let product = testkit::catalog::product(
        &s.app,
        testkit::catalog::Listing {
            seller_id: seller,
            category_id: category,
            brand_id: None,
            name: "Guest pick",
            description: "",
            status: "on_sale",
            skus: vec![testkit::catalog::sku(10_000, 5)],
        },
    )
    .await;
    let sku = testkit::shop::skus_of(&s.app, product).await[0];
    let guest = testkit::shop::guest_on(&s.app, device).await;
    let (status, _) = testkit::shop::add_to_cart(&s.app, &guest, sku, 2).await;
    assert_eq!(status, StatusCode::OK);
    // Another device cannot finish it.
    let (status, _) = s
        .signup(
            Uuid::new_v4(),
            json!({ "signup_token": signup_token, "phone": "010-5555-0101" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, tokens) = s
        .signup(
            device,
            json!({ "signup_token": signup_token, "phone": "010-5555-0101", "guest_access_token": guest.access_token }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let member_token = tokens["access_token"].as_str().unwrap();
    let cart: Value = s
        .app
        .get("/v1/cart")
        .bearer_auth(member_token)
        .header("x-device-id", device.to_string())
        .json_body()
        .await;
    assert_eq!(
        cart["groups"][0]["lines"][0]["quantity"], 2,
        "the guest cart merged at sign-up: {cart}"
    );
    let (status, _) = s
        .signup(
            device,
            json!({ "signup_token": signup_token, "phone": "010-5555-0101" }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the sign-up token works once"
    );

    // Next time the same subject signs straight in.
    let (code, state) = s.sign_in(device, person, Twist::None).await;
    let (status, body) = s.callback(device, &code, &state).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["access_token"].as_str().is_some(), "{body}");

    // Nothing of the provider's is stored in clear: neither its subject nor its tokens.
    let dump = s
        .app
        .db
        .query_text("SELECT encode(subject_index, 'hex') || provider AS value FROM sso_identities")
        .await
        .concat();
    assert!(!dump.contains("provider-user-1"));
    let refresh_rows = s
        .app
        .db
        .query_text(
            "SELECT count(*)::text AS value FROM refresh_tokens WHERE scopes LIKE '%provider%'",
        )
        .await;
    assert_eq!(refresh_rows, ["0"]);
}

/// What a shopper's `POST /v1/me/sso-links` answers.
async fn link(s: &Sso, login: &shoppers::Login, link_token: &str) -> (StatusCode, Value) {
    let response = login
        .call(&s.app, reqwest::Method::POST, "/v1/me/sso-links")
        .json(&json!({ "link_token": link_token }))
        .send()
        .await
        .unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn an_existing_account_is_never_linked_by_email_only_by_its_signed_in_owner() {
    let s = sso().await;
    let email = shoppers::active_shopper(&s.app, "victim").await;
    let linked_rows = || async {
        s.app
            .db
            .query_text("SELECT count(*)::text AS value FROM sso_identities")
            .await
    };

    // Someone else's provider account asserts the victim's verified email:
    // no session, no link, only a link token the victim alone can use.
    let attacker_device = Uuid::new_v4();
    let (code, state) = s
        .sign_in(
            attacker_device,
            Person::new("attacker-subject", &email),
            Twist::None,
        )
        .await;
    let (status, problem) = s.callback(attacker_device, &code, &state).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "sso_link_required");
    assert!(problem.get("access_token").is_none());
    let attacker_token = problem["link"]["link_token"].as_str().unwrap().to_owned();
    assert_eq!(linked_rows().await, ["0"]);
    // Signing in with another account (the attacker's own) and redeeming it
    // on another device links nothing.
    let stranger = shoppers::active_shopper(&s.app, "stranger").await;
    let stranger = shoppers::log_in(&s.app, &stranger, PASSWORD).await;
    let (status, problem) = link(&s, &stranger, &attacker_token).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_link_token"))
    );
    assert_eq!(linked_rows().await, ["0"]);

    // The owner signs in with the provider, then with the password on the
    // same device, and links: from then on the provider signs them in.
    let device = Uuid::new_v4();
    let (code, state) = s
        .sign_in(device, Person::new("owner-subject", &email), Twist::None)
        .await;
    let (status, problem) = s.callback(device, &code, &state).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    let link_token = problem["link"]["link_token"].as_str().unwrap().to_owned();
    let owner = shoppers::log_in_on(&s.app, &email, PASSWORD, device).await;
    assert_eq!(
        link(&s, &owner, &link_token).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        link(&s, &owner, &link_token).await.0,
        StatusCode::UNAUTHORIZED,
        "used once"
    );
    let (code, state) = s
        .sign_in(device, Person::new("owner-subject", &email), Twist::None)
        .await;
    let (status, body) = s.callback(device, &code, &state).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["access_token"].as_str().is_some(), "{body}");
    let linked = s
        .app
        .db
        .query_text("SELECT action AS value FROM security_audit_log WHERE action = 'sso.linked'")
        .await;
    assert_eq!(linked.len(), 1);
    // The password still works for the same account.
    assert_eq!(
        shoppers::log_in(&s.app, &email, PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn state_is_single_use_and_bound_to_the_device() {
    let s = sso().await;
    let device = Uuid::new_v4();
    let person = Person::new("provider-user-3", &TestMail::unique_address("state"));
    let (code, state) = s.sign_in(device, person.clone(), Twist::None).await;
    let (status, problem) = s.callback(Uuid::new_v4(), &code, &state).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_state"))
    );
    // The state was spent by that attempt.
    let (status, _) = s.callback(device, &code, &state).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, problem) = s.callback(device, &code, "made-up-state").await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_state"))
    );
}

#[tokio::test]
async fn a_code_from_another_request_fails_pkce() {
    let s = sso().await;
    let device = Uuid::new_v4();
    let person = Person::new("provider-user-4", &TestMail::unique_address("pkce"));
    let (foreign_code, _) = s.sign_in(device, person.clone(), Twist::None).await;
    let (_, state) = s.sign_in(device, person, Twist::None).await;
    let (status, problem) = s.callback(device, &foreign_code, &state).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn a_forged_misaddressed_replayed_expired_or_unencrypted_id_token_is_refused() {
    let s = sso().await;
    for twist in [
        Twist::ForeignSignature,
        Twist::WrongAudience,
        Twist::WrongNonce,
        Twist::Expired,
        Twist::NotEncrypted,
    ] {
        let device = Uuid::new_v4();
        let person = Person::new("provider-user-5", &TestMail::unique_address("twist"));
        let (code, state) = s.sign_in(device, person, twist).await;
        let (status, problem) = s.callback(device, &code, &state).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("invalid_id_token")),
            "{twist:?}"
        );
    }
    let (status, _) = s.callback(Uuid::new_v4(), "x", "y").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let unknown = s
        .app
        .get("/v1/auth/sso/nowhere/authorize")
        .header("x-device-id", Uuid::new_v4().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
