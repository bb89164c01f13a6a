#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]
//! `GET /v1/categories` through the real app and database.

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_NONE_MATCH};
use serde_json::Value;
use testkit::TestApp;

async fn seeded_app() -> TestApp {
    let app = TestApp::spawn(service_api::SERVICE).await;
    demo::seed(&app.state.context).await.unwrap();
    app
}

fn slugs(nodes: &Value) -> Vec<&str> {
    nodes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["slug"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn returns_the_demo_tree_nested_and_ordered() {
    let app = seeded_app().await;
    let response = app.get("/v1/categories").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(ETAG).is_some());
    let body: Value = response.json().await.unwrap();
    let top = &body["categories"];
    assert_eq!(slugs(top), vec!["women", "men", "accessories"]);
    let women = &top[0];
    assert_eq!(women["depth"], 1);
    assert_eq!(
        slugs(&women["children"]),
        vec!["women-clothing", "women-shoes", "women-bags"]
    );
    let dresses = &women["children"][0]["children"][0];
    assert_eq!(
        (dresses["slug"].as_str(), dresses["depth"].as_i64()),
        (Some("women-dresses"), Some(3))
    );
    assert_eq!(dresses["children"], Value::Array(vec![]));
}

#[tokio::test]
async fn answers_304_for_a_current_etag_and_200_once_the_tree_changes() {
    let app = seeded_app().await;
    let first = app.get("/v1/categories").send().await.unwrap();
    let etag = first.headers()[ETAG].to_str().unwrap().to_owned();

    let unchanged = app
        .get("/v1/categories")
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.headers()[ETAG].to_str().unwrap(), etag);
    assert!(unchanged.bytes().await.unwrap().is_empty());

    // Hiding a category changes the representation, and so the validator.
    app.db
        .run_sql("UPDATE categories SET is_active = false WHERE slug = 'women-bags'")
        .await
        .unwrap();
    let changed = app
        .get("/v1/categories")
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()[ETAG].to_str().unwrap(), etag);
    let body: Value = changed.json().await.unwrap();
    assert_eq!(
        slugs(&body["categories"][0]["children"]),
        vec!["women-clothing", "women-shoes"]
    );
}

#[tokio::test]
async fn an_empty_catalog_is_an_empty_tree() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let body = app.get_json("/v1/categories").await;
    assert_eq!(body, serde_json::json!({ "categories": [] }));
}

#[tokio::test]
async fn the_database_enforces_the_depth_limit_and_keeps_subtrees_in_place() {
    let app = seeded_app().await;
    let too_deep = app.db.run_sql(
        "INSERT INTO categories (parent_id, slug, name) SELECT id, 'too-deep', 'Too deep' FROM categories WHERE slug = 'women-dresses'").await;
    assert!(too_deep.unwrap_err().contains("categories_depth_limit"));
    let moved = app.db.run_sql(
        "UPDATE categories SET parent_id = (SELECT id FROM categories WHERE slug = 'men') WHERE slug = 'women-clothing'").await;
    assert!(moved.unwrap_err().contains("cannot move"));
    let bad_slug = app
        .db
        .run_sql("INSERT INTO categories (slug, name) VALUES ('Not A Slug', 'x')")
        .await;
    assert!(bad_slug.unwrap_err().contains("categories_slug_format"));
}
