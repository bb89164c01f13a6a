//! Every admin route declares the permission it needs (in its OpenAPI
//! `bearer` requirement, which is also what guards it), and a role lacking
//! that permission gets 403 on every route that needs it.

use std::collections::BTreeMap;

use domain::identity::permissions::admin;
use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::SendJson as _;
use testkit::routes::{Operation, STAFF_PUBLIC, STAFF_SELF_SERVICE, operations};
use testkit::{TestApp, staff};

/// Each protected operation's one permission.
fn guarded() -> Vec<(Operation, String)> {
    operations(&admin_api::SERVICE)
        .into_iter()
        .filter_map(|operation| match operation.bearer.as_deref() {
            Some([permission]) => Some((operation.clone(), permission.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn every_admin_route_declares_a_known_permission() {
    let all = operations(&admin_api::SERVICE);
    assert!(all.len() > 15, "the document lists the routes");
    for operation in &all {
        match operation.bearer.as_deref() {
            None => assert!(
                operation.is_in(STAFF_PUBLIC),
                "{operation:?} is public but not meant to be"
            ),
            Some([]) => assert!(
                operation.is_in(STAFF_SELF_SERVICE),
                "{operation:?} declares no permission"
            ),
            Some([permission]) => assert!(
                admin::parse(permission).is_some(),
                "{operation:?} names an unknown permission"
            ),
            Some(many) => panic!("{operation:?} declares several permissions: {many:?}"),
        }
    }
}

#[tokio::test]
async fn a_role_lacking_a_permission_gets_403_on_every_route_that_needs_it() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let mut by_permission: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
    for (operation, permission) in guarded() {
        by_permission.entry(permission).or_default().push(operation);
    }
    let everything = staff::admin(&app, "all", admin::ALL).await;
    let everything = staff::log_in(&app, &everything, 0).await;
    for (permission, routes) in &by_permission {
        let others: Vec<&str> = admin::ALL
            .iter()
            .copied()
            .filter(|p| p != permission)
            .collect();
        let lacking = staff::admin(&app, "lacking", &others).await;
        let lacking = staff::log_in(&app, &lacking, 0).await;
        for operation in routes {
            let (status, problem) = operation.call(&app, &lacking).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{operation:?} without {permission}: {problem}"
            );
            assert_eq!(problem["code"], "permission_denied");
            assert_eq!(problem["permission"], permission.as_str());
            let (status, body) = operation.call(&app, &everything).await;
            assert_ne!(
                status,
                StatusCode::FORBIDDEN,
                "{operation:?} with every permission: {body}"
            );
        }
    }
}

#[tokio::test]
async fn a_role_change_takes_effect_on_the_next_request() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let lead = staff::admin(
        &app,
        "lead",
        // A lead gives only what it holds itself.
        &["roles.read", "roles.manage", "staff.manage", "audit.read"],
    )
    .await;
    let lead = staff::log_in(&app, &lead, 0).await;
    let agent = staff::admin(&app, "agent", &[]).await;
    let agent_login = staff::log_in(&app, &agent, 0).await;
    let audit = |login: &testkit::shoppers::Login| {
        login
            .call(&app, reqwest::Method::GET, "/v1/audit-log")
            .send()
    };
    assert_eq!(
        audit(&agent_login).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );

    let created = lead
        .call(&app, reqwest::Method::POST, "/v1/roles")
        .json(&json!({ "name": "Auditor", "permissions": ["audit.read"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let role: Value = created.json().await.unwrap();
    let assigned = lead
        .call(
            &app,
            reqwest::Method::PUT,
            &format!("/v1/staff/{}/roles", agent.id),
        )
        .json(&json!({ "role_ids": [role["id"]] }))
        .send()
        .await
        .unwrap();
    assert_eq!(assigned.status(), StatusCode::NO_CONTENT);
    assert_eq!(audit(&agent_login).await.unwrap().status(), StatusCode::OK);

    // Taking the permission away from the role works the same way; a stale
    // ETag is refused.
    let path = format!("/v1/roles/{}/permissions", role["id"].as_str().unwrap());
    let stale = lead
        .call(&app, reqwest::Method::PUT, &path)
        .header("if-match", "\"v999\"")
        .json(&json!({ "permissions": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let emptied = lead
        .call(&app, reqwest::Method::PUT, &path)
        .header("if-match", format!("\"v{}\"", role["version"]))
        .json(&json!({ "permissions": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(emptied.status(), StatusCode::OK);
    assert_eq!(
        audit(&agent_login).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn roles_name_only_known_permissions() {
    let app = TestApp::spawn(admin_api::SERVICE).await;
    let lead = staff::admin(&app, "lead", &["roles.read", "roles.manage"]).await;
    let lead = staff::log_in(&app, &lead, 0).await;
    let response = lead
        .call(&app, reqwest::Method::POST, "/v1/roles")
        .json(&json!({ "name": "Root", "permissions": ["audit.read", "*"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "permissions");
    assert_eq!(problem["errors"][0]["code"], "unknown_permission");
    let listed: Value = lead
        .call(&app, reqwest::Method::GET, "/v1/permissions")
        .json_body()
        .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), admin::ALL.len());
}
