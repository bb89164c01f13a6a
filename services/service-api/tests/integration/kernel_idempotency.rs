//! `Idempotency-Key` on every route that moves money or stock, one table:
//! each route refuses a request without a key; each route a test can drive
//! to success replays that success to a retry (once, with
//! `Idempotent-Replayed`), refuses the key with another body, and answers
//! 409 while the first request is at work; a failure frees its key. The
//! table is exactly the routes the OpenAPI documents declare the header on.
#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::shop::{add_to_cart, checkout, checkout_body};
use testkit::shoppers::Login;
use testkit::{TestServer, staff};
use uuid::Uuid;
use web::idempotency::IdempotentRoutes;

use super::wallet::{Shop, shop};

/// Which API a route is on.
#[derive(Clone, Copy)]
enum Api {
    Service,
    Admin,
}

struct Route {
    api: Api,
    template: &'static str,
    path: String,
    /// A body that succeeds, and a count of its effect (SQL), when the test
    /// can set one up; otherwise the route is checked for its guard only.
    success: Option<(Value, &'static str)>,
}

struct Callers {
    shopper: Login,
    operator: Login,
    admin: TestServer,
}

impl Callers {
    fn call(&self, s: &Shop, api: Api, path: &str) -> reqwest::RequestBuilder {
        match api {
            Api::Service => self.shopper.call(&s.app, Method::POST, path),
            Api::Admin => self.operator.call(&self.admin, Method::POST, path),
        }
    }
}

async fn answer(request: reqwest::RequestBuilder) -> (StatusCode, Option<String>, Value) {
    let response = request.send().await.expect("request");
    let status = response.status();
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (
        status,
        replayed,
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn count(s: &Shop, sql: &str) -> i64 {
    s.app
        .db
        .query_text(&format!("SELECT ({sql})::text AS value"))
        .await[0]
        .parse()
        .expect("a count")
}

/// An unpaid order of the shopper's.
async fn order(s: &Shop, shopper: &Login, sku: Uuid) -> String {
    let (status, _) = add_to_cart(&s.app, shopper, sku, 1).await;
    assert!(status.is_success());
    let (status, created) = checkout(
        &s.app,
        shopper,
        &Uuid::new_v4().to_string(),
        &checkout_body(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["purchase_order_id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// A wallet charge started and authorised in the Toss widget: the body
/// that confirms it.
async fn authorised_charge(s: &Shop, shopper: &Login) -> Value {
    let started = s.start_charge(shopper, 10_000).await;
    let order_id = started["order_id"].as_str().expect("order id");
    let key = s.provider.toss_authorize(order_id, 10_000);
    json!({ "paymentKey": key, "orderId": order_id, "amount": 10_000 })
}

#[tokio::test]
async fn every_route_that_moves_money_or_stock_takes_an_idempotency_key() {
    let s = shop().await;
    let (shopper, user_id) = s.member("keys").await;
    let account = staff::admin(
        &s.app,
        "keys",
        &[
            "cash.grant",
            "points.grant",
            "claims.manage",
            "fulfilment.override",
        ],
    )
    .await;
    let admin = s.app.sibling(admin_api::SERVICE);
    let operator = staff::log_in(&admin, &account, 0).await;
    let callers = Callers {
        shopper,
        operator,
        admin,
    };
    let sku = s.sku;
    let cancelled = order(&s, &callers.shopper, sku).await;
    let paid = order(&s, &callers.shopper, sku).await;
    let charge = authorised_charge(&s, &callers.shopper).await;
    let grant = json!({ "amount": "1000", "valid_days": 30, "reason": "Autumn event" });
    let paid_line = testkit::shop::product_order_ids(&s.app, &paid).await[0];
    let cancel =
        json!({ "kind": "cancel", "reason": "change_of_mind", "product_order_ids": [paid_line] });
    let nil = Uuid::nil();
    let routes = vec![
        Route {
            api: Api::Service,
            template: "/v1/wallet/charges",
            path: "/v1/wallet/charges".into(),
            success: Some((
                json!({ "amount": "5000" }),
                "SELECT count(*) FROM wallet_charges",
            )),
        },
        Route {
            api: Api::Service,
            template: "/v1/payments/toss/confirm",
            path: "/v1/payments/toss/confirm".into(),
            success: Some((
                charge,
                "SELECT count(*) FROM payments WHERE status = 'succeeded'",
            )),
        },
        // After the confirmation above: the charged cash goes back.
        Route {
            api: Api::Service,
            template: "/v1/wallet/refunds",
            path: "/v1/wallet/refunds".into(),
            success: Some((json!({}), "SELECT count(*) FROM wallet_refunds")),
        },
        Route {
            api: Api::Service,
            template: "/v1/payments/test/confirm",
            path: "/v1/payments/test/confirm".into(),
            success: Some((
                json!({ "purchase_order_id": paid }),
                "SELECT count(*) FROM purchase_orders WHERE status = 'paid'",
            )),
        },
        // After the payment above: a product order of it is cancelled.
        Route {
            api: Api::Service,
            template: "/v1/claims",
            path: "/v1/claims".into(),
            success: Some((cancel, "SELECT count(*) FROM claims")),
        },
        Route {
            api: Api::Service,
            template: "/v1/claims/{id}/withdraw",
            path: format!("/v1/claims/{nil}/withdraw"),
            success: None,
        },
        Route {
            api: Api::Service,
            template: "/v1/orders/{id}/cancel",
            path: format!("/v1/orders/{cancelled}/cancel"),
            success: Some((
                Value::Null,
                "SELECT count(*) FROM purchase_orders WHERE status = 'cancelled'",
            )),
        },
        Route {
            api: Api::Admin,
            template: "/v1/users/{id}/cash-grants",
            path: format!("/v1/users/{user_id}/cash-grants"),
            success: Some((
                grant.clone(),
                "SELECT count(*) FROM cash_ledger WHERE kind = 'bonus'",
            )),
        },
        Route {
            api: Api::Admin,
            template: "/v1/users/{id}/point-grants",
            path: format!("/v1/users/{user_id}/point-grants"),
            success: Some((
                grant,
                "SELECT count(*) FROM point_ledger WHERE kind = 'grant'",
            )),
        },
        Route {
            api: Api::Service,
            template: "/v1/payments/kakaopay/approve",
            path: "/v1/payments/kakaopay/approve".into(),
            success: None,
        },
        Route {
            api: Api::Service,
            template: "/v1/payments/paypal/orders/{id}/capture",
            path: "/v1/payments/paypal/orders/NOPE/capture".into(),
            success: None,
        },
        Route {
            api: Api::Service,
            template: "/v1/wallet/iap/apple",
            path: "/v1/wallet/iap/apple".into(),
            success: None,
        },
        Route {
            api: Api::Service,
            template: "/v1/wallet/iap/google",
            path: "/v1/wallet/iap/google".into(),
            success: None,
        },
        Route {
            api: Api::Service,
            template: "/v1/coupons/{id}/claim",
            path: format!("/v1/coupons/{nil}/claim"),
            success: None,
        },
        Route {
            api: Api::Service,
            template: "/v1/product-orders/{id}/confirm",
            path: format!("/v1/product-orders/{nil}/confirm"),
            success: None,
        },
        Route {
            api: Api::Service,
            template: "/v1/coupons/redeem",
            path: "/v1/coupons/redeem".into(),
            success: None,
        },
    ];
    let mut routes = routes;
    for (template, path) in [
        (
            "/v1/shipments/{id}/withdraw",
            format!("/v1/shipments/{nil}/withdraw"),
        ),
        (
            "/v1/shipments/{id}/deliver",
            format!("/v1/shipments/{nil}/deliver"),
        ),
    ] {
        routes.push(Route {
            api: Api::Admin,
            template,
            path,
            success: None,
        });
    }
    for decision in ["approve", "reject", "holdback", "release", "receive"] {
        routes.push(Route {
            api: Api::Admin,
            template: match decision {
                "approve" => "/v1/claims/{id}/approve",
                "reject" => "/v1/claims/{id}/reject",
                "holdback" => "/v1/claims/{id}/holdback",
                "release" => "/v1/claims/{id}/release",
                _ => "/v1/claims/{id}/receive",
            },
            path: format!("/v1/claims/{nil}/{decision}"),
            success: None,
        });
    }

    // The table is what the documents declare (checkout keeps its own key
    // in its transaction: `orders_checkout`).
    let mut declared = BTreeSet::new();
    for service in [service_api::SERVICE, admin_api::SERVICE] {
        let document = web::openapi::document(&service);
        for (method, template) in IdempotentRoutes::from_document(&document).routes() {
            assert_eq!(method, "POST");
            declared.insert(template);
        }
    }
    declared.remove("/v1/checkout");
    let tabled: BTreeSet<String> = routes.iter().map(|r| r.template.to_owned()).collect();
    assert_eq!(declared, tabled);

    for route in &routes {
        let template = route.template;
        let post = || callers.call(&s, route.api, &route.path);
        let effect = match &route.success {
            Some((_, sql)) => Some(count(&s, sql).await),
            None => None,
        };

        // Without a key: refused before anything runs.
        let body = route.success.as_ref().map_or(json!({}), |(b, _)| b.clone());
        let (status, _, problem) = answer(post().json(&body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{template}: {problem}");
        assert_eq!(problem["code"], "idempotency_key_required", "{template}");
        assert_eq!(
            problem["errors"][0]["field"], "Idempotency-Key",
            "{template}"
        );

        let key = Uuid::new_v4().to_string();
        let keyed = || post().header("idempotency-key", &key);
        let Some((body, sql)) = &route.success else {
            // A failure frees its key: the same key may carry a corrected request.
            let (status, _, first) = answer(keyed().json(&json!({}))).await;
            assert!(!status.is_success(), "{template}: {first}");
            let (_, _, again) = answer(keyed().json(&json!({ "other": true }))).await;
            assert_ne!(
                again["errors"][0]["code"], "idempotency_key_reused",
                "{template}"
            );
            continue;
        };
        let effect = effect.expect("counted");

        let (status, replayed, first) = answer(keyed().json(body)).await;
        assert!(status.is_success(), "{template}: {status} {first}");
        assert_eq!(replayed, None, "{template}");
        assert_eq!(count(&s, sql).await, effect + 1, "{template}: no effect");

        // The same key and body: the first answer again, and no second effect.
        let (again, replayed, replay) = answer(keyed().json(body)).await;
        assert_eq!((again, &replay), (status, &first), "{template}");
        assert_eq!(replayed.as_deref(), Some("true"), "{template}");
        assert_eq!(count(&s, sql).await, effect + 1, "{template}: twice");

        // The same key with another body.
        let (status, _, problem) = answer(keyed().json(&json!({ "other": true }))).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{template}: {problem}"
        );
        assert_eq!(
            problem["errors"][0]["code"], "idempotency_key_reused",
            "{template}"
        );

        // While the first request is still at work under the key.
        s.app
            .db
            .run_sql(&format!(
                "UPDATE idempotency_keys SET response_status = NULL, response_body = NULL, \
                 locked_at = now() WHERE key = '{key}'"
            ))
            .await
            .expect("fixture");
        let (status, _, problem) = answer(keyed().json(body)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{template}: {problem}");
        assert_eq!(problem["code"], "idempotency_key_in_use", "{template}");
        assert_eq!(
            count(&s, sql).await,
            effect + 1,
            "{template}: ran while at work"
        );
    }
}
