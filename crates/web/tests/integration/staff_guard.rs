//! The staff guard of seller-api and admin-api: a route's OpenAPI `bearer`
//! requirement is what authorises it, before any of the request is read;
//! a handler that wants a staff caller on an undeclared route is refused.

use actix_web::{HttpResponse, get, post, web as actix};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use testkit::{TestApp, staff};
use utoipa::OpenApi;
use web::Staff;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct Note {
    text: String,
}

#[utoipa::path(post, path = "/declared", security(("bearer" = ["audit.read"])),
    responses((status = 200, description = "Echoed")))]
#[post("/declared")]
async fn declared(caller: Staff, note: actix::Json<Note>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "staff": caller.0.id, "text": note.text }))
}

/// Takes a staff caller but declares nothing in the document.
#[get("/undeclared")]
async fn undeclared(caller: Staff) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "staff": caller.0.id }))
}

#[derive(OpenApi)]
#[openapi(paths(declared, web::staff_auth::login, web::staff_auth::mfa_verify))]
struct GuardedRoutes;

const GUARDED: web::Service = web::Service {
    name: "guarded-api",
    // Borrows admin-api's listener settings (hosts: admin.localhost).
    settings_key: "admin_api",
    audience: auth::Audience::Admin,
    title: "Guarded API",
    description: "The staff guard under test.",
    routes: |config| {
        config
            .configure(web::staff_auth::configure)
            .service(declared)
            .service(undeclared);
    },
    openapi: GuardedRoutes::openapi,
};

async fn answer(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_declared_route_authorises_before_it_reads_the_body() {
    let app = TestApp::spawn(GUARDED).await;
    let anonymous = app
        .post("/declared")
        .json(&json!({ "wrong": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer(anonymous).await.0, StatusCode::UNAUTHORIZED);

    let lacking = staff::admin(&app, "lacking", &["staff.read"]).await;
    let lacking = staff::log_in(&app, &lacking, 0).await;
    let refused = lacking
        .call(&app, reqwest::Method::POST, "/declared")
        .json(&json!({ "wrong": 1 }))
        .send()
        .await
        .unwrap();
    let (status, problem) = answer(refused).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("permission_denied"))
    );

    let holder = staff::admin(&app, "holder", &["audit.read"]).await;
    let holder = staff::log_in(&app, &holder, 0).await;
    let invalid = holder
        .call(&app, reqwest::Method::POST, "/declared")
        .json(&json!({ "wrong": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer(invalid).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = holder
        .call(&app, reqwest::Method::POST, "/declared")
        .json(&json!({ "text": "hello" }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer(ok).await.1["text"], "hello");
}

#[tokio::test]
async fn a_staff_handler_on_an_undeclared_route_is_refused_even_for_an_administrator() {
    let app = TestApp::spawn(GUARDED).await;
    let everything = staff::admin(&app, "all", domain::identity::permissions::admin::ALL).await;
    let everything = staff::log_in(&app, &everything, 0).await;
    let response = everything
        .call(&app, reqwest::Method::GET, "/undeclared")
        .send()
        .await
        .unwrap();
    let (status, problem) = answer(response).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("permission_undeclared"))
    );
}
