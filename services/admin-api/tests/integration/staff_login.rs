//! Operations staff log in with a password and then a second factor: a TOTP
//! code (good once), or a one-time recovery code. A new colleague is
//! invited by email, sets a password and must enrol before any token.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::SendJson as _;
use testkit::staff::{self, password_step, second_factor};
use testkit::{TestApp, TestMail};
use uuid::Uuid;

const PERMISSIONS: &[&str] = &["staff.read", "staff.manage", "roles.read"];

async fn me(app: &TestApp, login: &testkit::shoppers::Login) -> (StatusCode, Value) {
    let response = login
        .call(app, reqwest::Method::GET, "/v1/me")
        .send()
        .await
        .unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_password_alone_gives_no_token_and_a_code_works_once() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let admin = staff::admin(&app, "ops", PERMISSIONS).await;
    let device = Uuid::new_v4();

    let (status, body) = password_step(&app, &admin.email, device).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "mfa_required");
    assert!(body.get("access_token").is_none(), "{body}");
    let token = body["mfa_token"].as_str().unwrap().to_owned();

    let wrong = if admin.code(0) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let (status, problem) = second_factor(&app, &token, device, json!({ "code": wrong })).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_mfa_code"))
    );

    let code = admin.code(0);
    let (status, tokens) = second_factor(&app, &token, device, json!({ "code": code })).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert!(
        tokens["recovery_codes"].is_null(),
        "codes only at enrolment"
    );
    let login = testkit::shoppers::Login {
        status,
        access_token: tokens["access_token"].as_str().unwrap().to_owned(),
        refresh_token: tokens["refresh_token"].as_str().unwrap().to_owned(),
        token_type: "Bearer".into(),
        device,
    };
    let (status, who) = me(&app, &login).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(who["id"], admin.id.to_string());
    assert_eq!(who["mfa_enabled"], true);

    // The challenge is spent, and the same code does not open a new one.
    let (status, _) = second_factor(&app, &token, device, json!({ "code": code })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, body) = password_step(&app, &admin.email, device).await;
    let again = body["mfa_token"].as_str().unwrap();
    let (status, problem) = second_factor(&app, again, device, json!({ "code": code })).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_mfa_code"))
    );
}

#[tokio::test]
async fn five_wrong_codes_end_the_challenge_even_for_a_right_sixth() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let admin = staff::admin(&app, "ops", PERMISSIONS).await;
    let device = Uuid::new_v4();
    let (_, body) = password_step(&app, &admin.email, device).await;
    let token = body["mfa_token"].as_str().unwrap();
    let right = admin.code(0);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        let (status, _) = second_factor(&app, token, device, json!({ "code": wrong })).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, problem) = second_factor(&app, token, device, json!({ "code": right })).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("mfa_challenge_invalid"))
    );
}

#[tokio::test]
async fn the_second_factor_must_come_from_the_device_that_gave_the_password() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let admin = staff::admin(&app, "ops", PERMISSIONS).await;
    let device = Uuid::new_v4();
    let (_, body) = password_step(&app, &admin.email, device).await;
    let token = body["mfa_token"].as_str().unwrap();
    let (status, problem) = second_factor(
        &app,
        token,
        Uuid::new_v4(),
        json!({ "code": admin.code(0) }),
    )
    .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("mfa_challenge_invalid"))
    );
}

#[tokio::test]
async fn an_invited_colleague_sets_a_password_enrols_and_gets_recovery_codes_that_work_once() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let inviter = staff::admin(&app, "lead", PERMISSIONS).await;
    let lead = staff::log_in(&app, &inviter, 0).await;
    let email = TestMail::unique_address("new-ops");
    let invited = lead
        .call(&app, reqwest::Method::POST, "/v1/staff")
        .json(&json!({ "email": email, "name": "Lee Seojun" }))
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), StatusCode::CREATED);
    let staff_id: Value = invited.json().await.unwrap();
    assert_eq!(staff_id["status"], "invited");
    assert!(app.run_jobs().await >= 1);
    let token = TestMail::from_env().emailed_token(&email).await;

    // No password yet: a login is refused like a wrong one.
    let device = Uuid::new_v4();
    let (status, _) = password_step(&app, &email, device).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let weak = app
        .post("/v1/auth/invitations/accept")
        .json(&json!({ "token": token, "password": "short" }))
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let accept = |token: String| {
        app.post("/v1/auth/invitations/accept")
            .json(&json!({ "token": token, "password": testkit::shoppers::PASSWORD }))
            .send()
    };
    assert_eq!(
        accept(token.clone()).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        accept(token).await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the link works once"
    );

    // Enrolment is mandatory before any token.
    let (status, body) = password_step(&app, &email, device).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "mfa_enrolment_required");
    let mfa_token = body["mfa_token"].as_str().unwrap().to_owned();
    let (status, _) = second_factor(
        &app,
        &mfa_token,
        device,
        json!({ "recovery_code": "AAAAA-AAAAA" }),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "no recovery code before enrolment"
    );
    let (enrolment, code) = staff::enrol(&app, &mfa_token, device).await;
    assert!(
        enrolment["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    let (status, tokens) = second_factor(&app, &mfa_token, device, json!({ "code": code })).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let codes: Vec<String> = serde_json::from_value(tokens["recovery_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);

    // A recovery code logs in once (typed in lower case, without the dash).
    let typed = codes[3].to_lowercase().replace('-', "");
    let mut answers = Vec::new();
    for _ in 0..2 {
        let device = Uuid::new_v4();
        let (_, body) = password_step(&app, &email, device).await;
        assert_eq!(body["status"], "mfa_required");
        let token = body["mfa_token"].as_str().unwrap();
        answers.push(
            second_factor(&app, token, device, json!({ "recovery_code": typed }))
                .await
                .0,
        );
    }
    assert_eq!(answers, [StatusCode::OK, StatusCode::UNAUTHORIZED]);
}

#[tokio::test]
async fn a_disabled_colleague_is_logged_out_everywhere_and_cannot_log_in() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let lead = staff::admin(&app, "lead", PERMISSIONS).await;
    let colleague = staff::admin(&app, "colleague", PERMISSIONS).await;
    let lead_login = staff::log_in(&app, &lead, 0).await;
    let colleague_login = staff::log_in(&app, &colleague, 0).await;
    assert_eq!(me(&app, &colleague_login).await.0, StatusCode::OK);

    let disabled = lead_login
        .call(
            &app,
            reqwest::Method::DELETE,
            &format!("/v1/staff/{}", colleague.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &colleague_login).await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = password_step(&app, &colleague.email, Uuid::new_v4()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("account_inactive"))
    );

    let myself = lead_login
        .call(
            &app,
            reqwest::Method::DELETE,
            &format!("/v1/staff/{}", lead.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(myself.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn staff_tokens_and_shopper_tokens_never_cross_apis() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let seller_api = app.sibling(seller_api::SERVICE);
    let service_api = app.sibling(service_api::SERVICE);
    let admin = staff::admin(&app, "ops", PERMISSIONS).await;
    let seller_id = staff::seller(&app, "Seoul Denim Works").await;
    let manager = staff::seller_staff(&app, "manager", seller_id, "manager").await;
    let admin_login = staff::log_in(&app, &admin, 0).await;
    let vendor_login = staff::log_in(&seller_api, &manager, 0).await;

    // Vendor staff cannot reach admin routes, nor operations staff seller routes.
    for (login, server) in [(&vendor_login, &*app), (&admin_login, &seller_api)] {
        let response = login
            .call(server, reqwest::Method::GET, "/v1/staff")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // A vendor's email is not an operations login, and the reverse.
    assert_eq!(
        password_step(&app, &manager.email, Uuid::new_v4()).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        password_step(&seller_api, &admin.email, Uuid::new_v4())
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // A staff token on the shoppers' API is refused too.
    let response = admin_login
        .call(&service_api, reqwest::Method::GET, "/v1/me")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_ends_the_other_sessions() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let admin = staff::admin(&app, "ops", PERMISSIONS).await;
    let here = staff::log_in(&app, &admin, 0).await;
    let elsewhere = staff::log_in(&app, &admin, 1).await;
    let change = |current: &str, new: &str| {
        here.call(&app, reqwest::Method::PUT, "/v1/me/password")
            .json(&json!({ "current_password": current, "new_password": new }))
            .send()
    };
    let wrong = change("not it at all", "a brand new passphrase")
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let weak = change(testkit::shoppers::PASSWORD, "short").await.unwrap();
    let problem: Value = weak.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "new_password");
    let changed = change(testkit::shoppers::PASSWORD, "a brand new passphrase")
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);

    assert_eq!(me(&app, &here).await.0, StatusCode::OK);
    assert_eq!(me(&app, &elsewhere).await.0, StatusCode::UNAUTHORIZED);
    let (status, _) = password_step(&app, &admin.email, Uuid::new_v4()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old password is gone");
    let fresh = app
        .post("/v1/auth/login")
        .header("x-device-id", Uuid::new_v4().to_string())
        .json(&json!({ "email": admin.email, "password": "a brand new passphrase" }))
        .send()
        .await
        .unwrap();
    let body: Value = fresh.json().await.unwrap();
    assert_eq!(body["status"], "mfa_required");
}

#[tokio::test]
async fn staff_personal_data_and_second_factor_secrets_are_not_stored_in_clear() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let admin = staff::admin(&app, "raw-bytes", PERMISSIONS).await;
    let raw = app
        .db
        .query_text(
            "SELECT encode(email, 'escape') || encode(name, 'escape') || encode(totp_secret, 'escape') \
             AS value FROM staff_accounts",
        )
        .await
        .concat();
    let secret = auth::mfa::encode_secret(admin.totp_secret.as_deref().unwrap());
    for plain in [admin.email.as_str(), "Staff raw-bytes", secret.as_str()] {
        assert!(!raw.contains(plain), "{plain} is stored in clear");
    }
}

#[tokio::test]
async fn a_reset_second_factor_ends_the_sessions_and_must_be_enrolled_again() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let lead = staff::admin(&app, "lead", PERMISSIONS).await;
    let colleague = staff::admin(&app, "lost-phone", PERMISSIONS).await;
    let lead_login = staff::log_in(&app, &lead, 0).await;
    let colleague_login = staff::log_in(&app, &colleague, 0).await;
    let reset = lead_login
        .call(
            &app,
            reqwest::Method::POST,
            &format!("/v1/staff/{}/mfa-reset", colleague.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &colleague_login).await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = password_step(&app, &colleague.email, Uuid::new_v4()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "mfa_enrolment_required");
    let codes = app
        .db
        .query_text(&format!(
            "SELECT count(*)::text AS value FROM staff_recovery_codes WHERE staff_id = '{}'",
            colleague.id
        ))
        .await;
    assert_eq!(codes, ["0"]);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_by_emailed_link_and_every_session_ends() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let admin = staff::admin(&app, "forgot", PERMISSIONS).await;
    let session = staff::log_in(&app, &admin, 0).await;
    let ask = |email: String| {
        app.post("/v1/auth/password-resets")
            .json(&json!({ "email": email }))
            .send()
    };
    let nobody = TestMail::unique_address("nobody");
    assert_eq!(
        ask(nobody.clone()).await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        ask(admin.email.clone()).await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    app.run_jobs().await;
    assert!(TestMail::from_env().messages_to(&nobody).await.is_empty());
    let token = TestMail::from_env().emailed_token(&admin.email).await;

    let confirm = |token: String| {
        app.post("/v1/auth/password-resets/confirm")
            .json(&json!({ "token": token, "new_password": "a fresh start 2026" }))
            .send()
    };
    assert_eq!(
        confirm(token.clone()).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        confirm(token).await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        me(&app, &session).await.0,
        StatusCode::UNAUTHORIZED,
        "every session ended"
    );
    let login = app
        .post("/v1/auth/login")
        .header("x-device-id", Uuid::new_v4().to_string())
        .json(&json!({ "email": admin.email, "password": "a fresh start 2026" }))
        .send()
        .await
        .unwrap();
    let body: Value = login.json().await.unwrap();
    assert_eq!(
        body["status"], "mfa_required",
        "the second factor still guards it"
    );
}

#[tokio::test]
async fn operations_reset_a_vendor_owners_lost_second_factor_only_within_that_vendor() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let seller_api = app.sibling(seller_api::SERVICE);
    let support = staff::admin(&app, "support", &["sellers.staff.manage"]).await;
    let support = staff::log_in(&app, &support, 0).await;
    let vendor = staff::seller(&app, "Ours").await;
    let other_vendor = staff::seller(&app, "Theirs").await;
    let owner = staff::seller_staff(&app, "owner", vendor, "owner").await;

    let reset = |seller: Uuid| {
        support
            .call(
                &app,
                reqwest::Method::POST,
                &format!("/v1/sellers/{seller}/staff/{}/mfa-reset", owner.id),
            )
            .send()
    };
    assert_eq!(
        reset(other_vendor).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        reset(vendor).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let (status, body) = password_step(&seller_api, &owner.email, Uuid::new_v4()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["status"], "mfa_enrolment_required",
        "owners must enrol again"
    );
}

/// A six-digit code that is none of the account's codes around now.
fn wrong_code(account: &staff::StaffAccount) -> String {
    let near = [account.code(0), account.code(1)];
    (0..10)
        .map(|digit| digit.to_string().repeat(6))
        .find(|code| !near.contains(code))
        .unwrap()
}

#[tokio::test]
async fn wrong_codes_count_across_logins_until_a_back_off_that_the_owner_outlasts() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let target = staff::admin(&app, "target", PERMISSIONS).await;
    let wrong = wrong_code(&target);
    let device = Uuid::new_v4();
    let mut throttled_at = None;
    'cycles: for cycle in 0..200 {
        let (status, body) = password_step(&app, &target.email, device).await;
        assert_eq!(status, StatusCode::OK, "the password is right: {body}");
        let token = body["mfa_token"].as_str().unwrap().to_owned();
        for _ in 0..5 {
            let (status, problem) =
                second_factor(&app, &token, device, json!({ "code": wrong })).await;
            if status == StatusCode::TOO_MANY_REQUESTS {
                assert_eq!(problem["code"], "too_many_attempts", "{problem}");
                throttled_at = Some(cycle);
                break 'cycles;
            }
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
        }
    }
    let cycle = throttled_at.expect("the guessing is stopped");
    assert!(cycle < 3, "stopped only at cycle {cycle} of 200");

    // The guessing is an alert in the audit chain.
    let auditor = staff::admin(&app, "auditor", &["audit.read"]).await;
    let auditor = staff::log_in(&app, &auditor, 0).await;
    let alerts: Value = auditor
        .call(
            &app,
            reqwest::Method::GET,
            "/v1/audit-log?action=mfa.guessing_suspected",
        )
        .json_body()
        .await;
    let alerts = alerts["items"].as_array().unwrap();
    assert!(!alerts.is_empty());
    assert!(
        alerts
            .iter()
            .all(|a| a["subject_id"] == target.id.to_string())
    );

    // Once the back-off has run, the owner's real code works.
    staff::age_second_factor_failures(&app, &target, 900).await;
    let owner = staff::log_in(&app, &target, 0).await;
    assert_eq!(me(&app, &owner).await.0, StatusCode::OK);
}
