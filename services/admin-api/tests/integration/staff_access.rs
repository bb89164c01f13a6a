//! Who may change whose access: staff grant, take away or edit only
//! permissions they hold, never on their own account or a role they hold,
//! act only on colleagues who hold no more than they do, and the last
//! administrator keeps the role.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::shoppers::Login;
use testkit::{TestApp, TestMail, staff};
use uuid::Uuid;

async fn send(
    app: &TestApp,
    login: &Login,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = login.call(app, method, path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn roles_of(app: &TestApp, staff_id: Uuid) -> Vec<Uuid> {
    let mut conn = app.db.conn().await;
    persistence::staff::roles::roles_of(&mut conn, &[staff_id])
        .await
        .unwrap()
        .remove(&staff_id)
        .unwrap_or_default()
}

fn assert_refused(answer: &(StatusCode, Value), status: StatusCode, code: &str) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["code"], code, "{}", answer.1);
}

#[tokio::test]
async fn a_staff_manager_cannot_climb_to_an_administrator_s_access() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let root = staff::administrator(&app, "root").await;
    let root_login = staff::log_in(&app, &root, 0).await;
    let member = staff::admin(&app, "member", &["staff.read", "staff.manage"]).await;
    let member_login = staff::log_in(&app, &member, 0).await;
    let colleague = staff::admin(&app, "colleague", &["staff.read"]).await;
    let administrator_roles = roles_of(&app, root.id).await;

    // Copying the administrator's roles onto itself: refused, and the
    // shopper data stays out of reach.
    let own = format!("/v1/staff/{}/roles", member.id);
    let answer = send(
        &app,
        &member_login,
        Method::PUT,
        &own,
        Some(json!({ "role_ids": administrator_roles })),
    )
    .await;
    assert_refused(&answer, StatusCode::FORBIDDEN, "cannot_change_own_access");
    let user = format!("/v1/users/{}", Uuid::new_v4());
    let answer = send(&app, &member_login, Method::GET, &user, None).await;
    assert_refused(&answer, StatusCode::FORBIDDEN, "permission_denied");
    assert_eq!(
        roles_of(&app, member.id).await.len(),
        1,
        "its own role only"
    );

    // Nor onto a colleague, nor into an invitation.
    let theirs = format!("/v1/staff/{}/roles", colleague.id);
    let answer = send(
        &app,
        &member_login,
        Method::PUT,
        &theirs,
        Some(json!({ "role_ids": administrator_roles })),
    )
    .await;
    assert_refused(&answer, StatusCode::FORBIDDEN, "access_beyond_own");
    assert!(answer.1["permission"].is_string(), "{}", answer.1);
    let invitation = json!({
        "email": TestMail::unique_address("climber"),
        "name": "Climber",
        "role_ids": administrator_roles,
    });
    let answer = send(
        &app,
        &member_login,
        Method::POST,
        "/v1/staff",
        Some(invitation),
    )
    .await;
    assert_refused(&answer, StatusCode::FORBIDDEN, "access_beyond_own");

    // Nor act on the administrator, who holds more.
    let reset = format!("/v1/staff/{}/mfa-reset", root.id);
    let answer = send(&app, &member_login, Method::POST, &reset, None).await;
    assert_refused(&answer, StatusCode::FORBIDDEN, "access_beyond_own");
    let disable = format!("/v1/staff/{}", root.id);
    let answer = send(&app, &member_login, Method::DELETE, &disable, None).await;
    assert_refused(&answer, StatusCode::FORBIDDEN, "access_beyond_own");
    let listed = send(&app, &root_login, Method::GET, "/v1/staff", None).await;
    assert_eq!(listed.0, StatusCode::OK);
    let count = listed.1["items"].as_array().unwrap().len();
    assert_eq!(count, 3, "nobody was invited: {}", listed.1);

    // What the member holds, it may give: a role of `staff.read` alone.
    let (status, reader) = send(
        &app,
        &root_login,
        Method::POST,
        "/v1/roles",
        Some(json!({
            "name": "Reader", "permissions": ["staff.read"],
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{reader}");
    let answer = send(
        &app,
        &member_login,
        Method::PUT,
        &theirs,
        Some(json!({ "role_ids": [reader["id"]] })),
    )
    .await;
    assert_eq!(answer.0, StatusCode::NO_CONTENT, "{}", answer.1);

    // Every grant is in the audit chain.
    let audit = send(
        &app,
        &root_login,
        Method::GET,
        "/v1/audit-log?action=staff.roles_changed",
        None,
    )
    .await;
    assert_eq!(audit.0, StatusCode::OK);
    let entries = audit.1["items"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{}", audit.1);
    assert_eq!(entries[0]["actor_id"], member.id.to_string());
}

#[tokio::test]
async fn roles_are_edited_only_within_what_the_editor_holds() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let lead = staff::admin(
        &app,
        "lead",
        &["roles.read", "roles.manage", "partners.read"],
    )
    .await;
    let lead_login = staff::log_in(&app, &lead, 0).await;

    let answer = send(
        &app,
        &lead_login,
        Method::POST,
        "/v1/roles",
        Some(json!({
            "name": "Auditor", "permissions": ["audit.read"],
        })),
    )
    .await;
    assert_refused(&answer, StatusCode::FORBIDDEN, "access_beyond_own");
    assert_eq!(answer.1["permission"], "audit.read");

    let (status, role) = send(
        &app,
        &lead_login,
        Method::POST,
        "/v1/roles",
        Some(json!({
            "name": "Partner desk", "permissions": ["partners.read"],
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    let path = format!("/v1/roles/{}/permissions", role["id"].as_str().unwrap());
    let answer = send(
        &app,
        &lead_login,
        Method::PUT,
        &path,
        Some(json!({
            "permissions": ["partners.read", "users.personal_data.read"],
        })),
    )
    .await;
    assert_refused(&answer, StatusCode::FORBIDDEN, "access_beyond_own");
    assert_eq!(answer.1["permission"], "users.personal_data.read");

    // Its own role, even to add what it already holds: refused.
    let own_role = roles_of(&app, lead.id).await[0];
    let answer = send(
        &app,
        &lead_login,
        Method::PUT,
        &format!("/v1/roles/{own_role}/permissions"),
        Some(json!({
            "permissions": ["roles.read", "roles.manage", "partners.read", "partners.read"],
        })),
    )
    .await;
    assert_refused(&answer, StatusCode::FORBIDDEN, "cannot_change_own_access");
}

#[tokio::test]
async fn the_last_administrator_keeps_the_role_and_the_account() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let root = staff::administrator(&app, "root").await;
    let second = staff::administrator(&app, "second").await;
    let root_login = staff::log_in(&app, &root, 0).await;
    let everything = staff::admin(
        &app,
        "everything",
        domain::identity::permissions::admin::ALL,
    )
    .await;
    let everything_login = staff::log_in(&app, &everything, 0).await;

    let demote_second = format!("/v1/staff/{}/roles", second.id);
    let answer = send(
        &app,
        &root_login,
        Method::PUT,
        &demote_second,
        Some(json!({ "role_ids": [] })),
    )
    .await;
    assert_eq!(answer.0, StatusCode::NO_CONTENT, "{}", answer.1);

    let demote_root = format!("/v1/staff/{}/roles", root.id);
    let answer = send(
        &app,
        &everything_login,
        Method::PUT,
        &demote_root,
        Some(json!({ "role_ids": [] })),
    )
    .await;
    assert_refused(&answer, StatusCode::CONFLICT, "last_administrator");
    let answer = send(
        &app,
        &everything_login,
        Method::DELETE,
        &format!("/v1/staff/{}", root.id),
        None,
    )
    .await;
    assert_refused(&answer, StatusCode::CONFLICT, "last_administrator");
    assert_eq!(roles_of(&app, root.id).await.len(), 1);
}

#[tokio::test]
async fn two_administrators_removing_each_other_at_once_leave_one() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let first = staff::administrator(&app, "first").await;
    let second = staff::administrator(&app, "second").await;
    let first_login = staff::log_in(&app, &first, 0).await;
    let second_login = staff::log_in(&app, &second, 0).await;
    let empty = json!({ "role_ids": [] });
    let (of_second, of_first) = (
        format!("/v1/staff/{}/roles", second.id),
        format!("/v1/staff/{}/roles", first.id),
    );
    let (a, b) = tokio::join!(
        send(
            &app,
            &first_login,
            Method::PUT,
            &of_second,
            Some(empty.clone())
        ),
        send(&app, &second_login, Method::PUT, &of_first, Some(empty)),
    );
    // The second to run is judged after the first: it no longer holds the
    // access it would take away (403), or its target is the last
    // administrator (409).
    let (won, lost) = if a.0 == StatusCode::NO_CONTENT {
        (a, b)
    } else {
        (b, a)
    };
    assert_eq!(won.0, StatusCode::NO_CONTENT, "{}", won.1);
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::CONFLICT].contains(&lost.0),
        "{} {}",
        lost.0,
        lost.1
    );
    let holders = roles_of(&app, first.id).await.len() + roles_of(&app, second.id).await.len();
    assert_eq!(holders, 1, "one administrator remains");
}
