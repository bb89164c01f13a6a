//! Vendor staff on seller-api: an owner signs up (creating the vendor) and
//! must enrol a second factor; colleagues are invited with a fixed role;
//! every route needs its role's permission; no vendor sees another's staff.

use domain::identity::permissions::{SellerRole, seller};
use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::SendJson as _;
use testkit::routes::{STAFF_PUBLIC, STAFF_SELF_SERVICE, operations};
use testkit::shoppers::PASSWORD;
use testkit::staff::{self, password_step};
use testkit::{TestApp, TestMail};
use uuid::Uuid;

/// Besides the staff APIs' public routes: a vendor's owner signs up here.
const SELLER_SIGNUP: &[(&str, &str)] = &[
    ("POST", "/v1/auth/signup"),
    ("POST", "/v1/auth/email-verifications"),
];

#[test]
fn every_seller_route_declares_a_known_permission() {
    for operation in operations(&seller_api::SERVICE) {
        match operation.bearer.as_deref() {
            None => assert!(
                (operation.is_in(STAFF_PUBLIC) || operation.is_in(SELLER_SIGNUP)),
                "{operation:?} is public"
            ),
            Some([]) => assert!(
                operation.is_in(STAFF_SELF_SERVICE),
                "{operation:?} declares no permission"
            ),
            Some([permission]) => assert!(
                seller::ALL.contains(&permission.as_str()),
                "{operation:?} names an unknown permission"
            ),
            Some(many) => panic!("{operation:?} declares several permissions: {many:?}"),
        }
    }
}

#[tokio::test]
async fn a_role_without_a_permission_gets_403_on_every_route_that_needs_it() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let vendor = staff::seller(&app, "Seoul Denim Works").await;
    let mut logins = Vec::new();
    for (step, role) in SellerRole::ALL.into_iter().enumerate() {
        let account = staff::seller_staff(&app, role.as_str(), vendor, role.as_str()).await;
        logins.push((role, staff::log_in(&app, &account, step as u64 % 2).await));
    }
    for operation in operations(&seller_api::SERVICE) {
        let Some([permission]) = operation.bearer.as_deref() else {
            continue;
        };
        for (role, login) in &logins {
            let (status, body) = operation.call(&app, login).await;
            if role.may(permission) {
                assert_ne!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{operation:?} as {role:?}: {body}"
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{operation:?} as {role:?}: {body}"
                );
                assert_eq!(body["permission"], permission.as_str());
            }
        }
    }
}

#[tokio::test]
async fn an_owner_signs_up_verifies_the_email_and_must_enrol_before_any_token() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let email = TestMail::unique_address("owner");
    let created = app
        .post("/v1/auth/signup")
        .json(&json!({ "email": email, "password": PASSWORD, "name": "Park Jiwoo", "seller_name": "Seoul Denim Works" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let seller_status = app
        .db
        .query_text(&format!(
            "SELECT status AS value FROM sellers WHERE id = '{}'",
            created["seller_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(seller_status, ["applying"]);

    let device = Uuid::new_v4();
    let (status, problem) = password_step(&app, &email, device).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("account_inactive"))
    );

    app.run_jobs().await;
    let token = TestMail::from_env().emailed_token(&email).await;
    let verify = |token: String| {
        app.post("/v1/auth/email-verifications")
            .json(&json!({ "token": token }))
            .send()
    };
    assert_eq!(
        verify(token.clone()).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        verify(token).await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let (status, body) = password_step(&app, &email, device).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["status"], "mfa_enrolment_required",
        "owners must enrol: {body}"
    );
}

#[tokio::test]
async fn the_seller_api_link_is_not_an_admin_api_link() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let admin_api = app.sibling(admin_api::SERVICE);
    let email = TestMail::unique_address("owner");
    app.post("/v1/auth/signup")
        .json(&json!({ "email": email, "password": PASSWORD, "name": "Park Jiwoo", "seller_name": "Denim" }))
        .send()
        .await
        .unwrap();
    app.run_jobs().await;
    let token = TestMail::from_env().emailed_token(&email).await;
    let elsewhere = admin_api
        .post("/v1/auth/invitations/accept")
        .json(&json!({ "token": token, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_owner_invites_colleagues_and_never_sees_or_touches_another_vendors_staff() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let ours = staff::seller(&app, "Ours").await;
    let theirs = staff::seller(&app, "Theirs").await;
    let owner = staff::seller_staff(&app, "owner", ours, "owner").await;
    let stranger = staff::seller_staff(&app, "stranger", theirs, "staff").await;
    let login = staff::log_in(&app, &owner, 0).await;

    let email = TestMail::unique_address("md");
    let invited = login
        .call(&app, reqwest::Method::POST, "/v1/staff")
        .json(&json!({ "email": email, "name": "Choi Yuna", "role": "manager" }))
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), StatusCode::CREATED);
    let unknown_role = login
        .call(&app, reqwest::Method::POST, "/v1/staff")
        .json(&json!({ "email": TestMail::unique_address("x"), "name": "X", "role": "admin" }))
        .send()
        .await
        .unwrap();
    let problem: Value = unknown_role.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "role");

    let listed: Value = login
        .call(&app, reqwest::Method::GET, "/v1/staff")
        .json_body()
        .await;
    let emails: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 2, "{listed}");
    assert!(emails.contains(&owner.email.as_str()) && emails.contains(&email.as_str()));
    assert_eq!(listed["items"][1]["role"], "manager");

    let touched = login
        .call(
            &app,
            reqwest::Method::DELETE,
            &format!("/v1/staff/{}", stranger.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(touched.status(), StatusCode::NOT_FOUND);
    let still = app
        .db
        .query_text(&format!(
            "SELECT status AS value FROM staff_accounts WHERE id = '{}'",
            stranger.id
        ))
        .await;
    assert_eq!(still, ["active"]);
}

#[tokio::test]
async fn every_vendor_role_enrols_a_second_factor_before_any_token() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let vendor = staff::seller(&app, "Ours").await;
    // Managers and staff read buyers' orders: no token on a password alone.
    for role in ["manager", "staff"] {
        let member = staff::unenrolled_seller_staff(&app, role, vendor, role).await;
        let device = Uuid::new_v4();
        let (status, body) = password_step(&app, &member.email, device).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["status"], "mfa_enrolment_required", "{role}: {body}");
        assert!(body.get("access_token").is_none(), "{role}: {body}");
        let mfa_token = body["mfa_token"].as_str().unwrap().to_owned();
        let (_, code) = staff::enrol(&app, &mfa_token, device).await;
        let (status, tokens) =
            staff::second_factor(&app, &mfa_token, device, json!({ "code": code })).await;
        assert_eq!(status, StatusCode::OK, "{role}: {tokens}");
        assert!(tokens["access_token"].is_string());
        // From then on every login asks for a code.
        let (_, body) = password_step(&app, &member.email, Uuid::new_v4()).await;
        assert_eq!(body["status"], "mfa_required", "{role}: {body}");
    }
}
