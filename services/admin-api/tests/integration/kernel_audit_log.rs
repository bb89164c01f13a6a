//! The security audit log: logins, second factors, role changes and staff
//! reads of personal data are recorded with who, whose, what, when and
//! from where; the log is append-only and hash-chained, so an edited or
//! removed entry is found.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::SendJson as _;
use testkit::TestApp;
use testkit::shoppers::{self, Login};
use testkit::staff::{self, password_step};
use uuid::Uuid;

const AUDITOR: &[&str] = &[
    "audit.read",
    "users.personal_data.read",
    "staff.manage",
    "roles.manage",
];

async fn entries(app: &TestApp, login: &Login, query: &str) -> Vec<Value> {
    let page: Value = login
        .call(app, reqwest::Method::GET, &format!("/v1/audit-log?{query}"))
        .json_body()
        .await;
    page["items"].as_array().unwrap().clone()
}

async fn verification(app: &TestApp, login: &Login) -> Value {
    login
        .call(app, reqwest::Method::GET, "/v1/audit-log/verification")
        .json_body()
        .await
}

#[tokio::test]
async fn logins_second_factors_role_changes_and_personal_data_reads_are_recorded() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let service_api = app.sibling(service_api::SERVICE);
    let auditor = staff::admin(&app, "auditor", AUDITOR).await;

    // A failed login names the account; a successful one passes the second factor.
    let wrong = app
        .post("/v1/auth/login")
        .header("x-device-id", Uuid::new_v4().to_string())
        .header("x-forwarded-for", "198.51.100.7")
        .json(&json!({ "email": auditor.email, "password": "not the password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let login = staff::log_in(&app, &auditor, 0).await;
    let failed = entries(&app, &login, "action=login.failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["actor_kind"], "admin_staff");
    assert_eq!(failed[0]["actor_id"], auditor.id.to_string());
    assert!(failed[0]["ip"].as_str().is_some_and(|ip| !ip.is_empty()));
    let verified = entries(
        &app,
        &login,
        &format!("action=mfa.verified&actor_id={}", auditor.id),
    )
    .await;
    assert_eq!(verified.len(), 1);

    // A staff read of a shopper's personal data: who, whose, what, from where.
    let email = shoppers::active_shopper_on(&service_api, &app.db, "reader").await;
    let user_id = app
        .db
        .query_text("SELECT id::text AS value FROM users")
        .await
        .pop()
        .unwrap();
    let read: Value = login
        .call(&app, reqwest::Method::GET, &format!("/v1/users/{user_id}"))
        .json_body()
        .await;
    assert_eq!(read["email"], email.as_str());
    let reads = entries(
        &app,
        &login,
        &format!("action=personal_data.read&subject_id={user_id}"),
    )
    .await;
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(reads[0]["actor_id"], auditor.id.to_string());
    assert_eq!(reads[0]["subject_kind"], "user");
    assert_eq!(
        reads[0]["details"]["fields"],
        json!(["email", "name", "phone"])
    );

    // A role change records before and after.
    let colleague = staff::admin(&app, "colleague", &[]).await;
    let role: Value = login
        .call(&app, reqwest::Method::POST, "/v1/roles")
        .json(&json!({ "name": "Readers", "permissions": ["audit.read"] }))
        .json_body()
        .await;
    login
        .call(
            &app,
            reqwest::Method::PUT,
            &format!("/v1/staff/{}/roles", colleague.id),
        )
        .json(&json!({ "role_ids": [role["id"]] }))
        .send()
        .await
        .unwrap();
    let changes = entries(&app, &login, "action=staff.roles_changed").await;
    assert_eq!(changes[0]["subject_id"], colleague.id.to_string());
    assert_eq!(changes[0]["details"]["after"], json!([role["id"]]));
    assert_eq!(entries(&app, &login, "action=role.created").await.len(), 1);

    // Logging out is a session revocation.
    login
        .call(&app, reqwest::Method::POST, "/v1/auth/logout")
        .send()
        .await
        .unwrap();
    let auditor_again = staff::log_in(&app, &auditor, 1).await;
    let revoked = entries(&app, &auditor_again, "action=session.revoked").await;
    assert_eq!(revoked[0]["details"]["reason"], "logout");

    let check = verification(&app, &auditor_again).await;
    assert_eq!(check["valid"], true, "{check}");
}

/// `statement` run with the append-only trigger switched off, as an
/// attacker with the database owner's rights could.
fn behind_the_trigger(statement: &str) -> String {
    format!(
        "DO $$ BEGIN \
           ALTER TABLE security_audit_log DISABLE TRIGGER USER; \
           {statement}; \
           ALTER TABLE security_audit_log ENABLE TRIGGER USER; \
         END $$"
    )
}

#[tokio::test]
async fn an_edited_or_removed_entry_breaks_the_chain_where_it_happened() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let auditor = staff::admin(&app, "auditor", AUDITOR).await;
    for _ in 0..3 {
        password_step(&app, "nobody@example.com", Uuid::new_v4()).await;
    }
    let login = staff::log_in(&app, &auditor, 0).await;
    let check = verification(&app, &login).await;
    assert_eq!(check["valid"], true, "{check}");
    let ids = app
        .db
        .query_text("SELECT id::text AS value FROM security_audit_log ORDER BY id")
        .await;
    assert!(ids.len() >= 5, "{ids:?}");

    // Append-only for the application's statements.
    for statement in [
        "UPDATE security_audit_log SET action = 'login.succeeded'",
        "DELETE FROM security_audit_log",
        "TRUNCATE security_audit_log",
    ] {
        assert!(
            app.db.run_sql(statement).await.is_err(),
            "{statement} was allowed"
        );
    }

    // Someone who can switch the trigger off edits one entry...
    let edited = &ids[1];
    app.db
        .run_sql(&behind_the_trigger(&format!(
            "UPDATE security_audit_log SET ip = '10.0.0.1' WHERE id = {edited}"
        )))
        .await
        .unwrap();
    let check = verification(&app, &login).await;
    assert_eq!(check["valid"], false);
    assert_eq!(check["first_broken_id"].to_string(), *edited);

    // ...or removes one (after restoring the first, the break moves on).
    let removed = &ids[3];
    app.db
        .run_sql(&behind_the_trigger(&format!(
            "DELETE FROM security_audit_log WHERE id IN ({edited}, {removed})"
        )))
        .await
        .unwrap();
    let check = verification(&app, &login).await;
    assert_eq!(check["valid"], false);
    assert_eq!(
        check["first_broken_id"].to_string(),
        ids[2],
        "the entry after the removed one"
    );
}

#[tokio::test]
async fn concurrent_appends_keep_one_unbroken_chain() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let context = app.state.context.clone();
    let appends = (0..24).map(|n| {
        let context = context.clone();
        tokio::spawn(async move {
            app::kernel::audit::record_now(
                &context,
                &app::kernel::audit::AuditEvent {
                    actor: app::kernel::audit::Actor::system(),
                    action: "test.append",
                    subject: Some(("test", n.to_string())),
                    details: json!({ "n": n }),
                },
            )
            .await
        })
    });
    for append in futures_util::future::join_all(appends).await {
        append.unwrap().unwrap();
    }
    let check = app::kernel::audit::verify_chain(&context).await.unwrap();
    assert_eq!(check.first_broken_id, None);
    assert_eq!(check.entries_checked, 24);
}
