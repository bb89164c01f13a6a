//! The demo shop `scripts/dev` loads: enough vendors, products and SKUs to
//! browse and benchmark, with reviews, loaded once however often the seed
//! runs.

use testkit::TestApp;

#[tokio::test]
async fn the_demo_seed_fills_a_shop_once() {
    let app = TestApp::spawn(service_api::SERVICE).await;
    let first = demo::seed(&app.state.context).await.expect("seed");
    assert!(first.catalog.products >= 200, "{first:?}");
    assert!(first.catalog.skus >= 1000, "{first:?}");
    let again = demo::seed(&app.state.context).await.expect("seed again");
    assert_eq!(again.catalog, demo::catalog::CatalogReport::default());
    assert_eq!(again.staff_created, 0);
    assert_eq!((first.coupons_created, again.coupons_created), (3, 0));
    assert_eq!((first.reviews_created, again.reviews_created), (60, 0));
    let points = app
        .db
        .query_text("SELECT count(*)::text AS value FROM point_ledger WHERE kind = 'grant'")
        .await;
    assert_eq!(points[0], "1", "the demo shopper's welcome points, once");

    let approved = app
        .db
        .query_text("SELECT count(*)::text AS value FROM sellers WHERE status = 'approved'")
        .await;
    assert!(approved[0].parse::<i64>().expect("count") >= 5);
    let listed = app.get_json("/v1/products?size=1").await;
    assert_eq!(
        listed["total"].as_i64(),
        i64::try_from(first.catalog.products).ok()
    );
    let korean = app
        .get_json("/v1/products?q=%EC%BD%94%ED%8A%B8&size=1")
        .await; // 코트
    assert!(korean["total"].as_i64().is_some_and(|n| n > 0));
    let popular = app.get_json("/v1/products?sort=popular&size=2").await;
    assert_eq!(popular["items"].as_array().map(Vec::len), Some(2));
    // Every product has an image, stored once per colour and shown through
    // a pre-signed URL that the object store serves.
    assert_eq!(first.catalog.images, first.catalog.products);
    let id = listed["items"][0]["id"].as_str().expect("id");
    let detail = app.get_json(&format!("/v1/products/{id}")).await;
    let url = detail["images"][0]["url"].as_str().expect("image url");
    // List cards carry the first image; one signed URL serves both answers.
    assert_eq!(listed["items"][0]["thumbnail_url"].as_str(), Some(url));
    let image = reqwest::get(url).await.expect("image");
    assert_eq!(image.status(), reqwest::StatusCode::OK);
    assert!(image.bytes().await.expect("bytes").starts_with(b"\x89PNG"));
    // Reviews were written through the real flow: the figures followed.
    let rated = app.get_json("/v1/products?sort=rating&size=1").await;
    let top = rated["items"][0]["id"].as_str().expect("id");
    assert!(rated["items"][0]["review_count"].as_i64() > Some(0));
    let reviews = app.get_json(&format!("/v1/products/{top}/reviews")).await;
    assert_eq!(
        reviews["summary"]["review_count"],
        rated["items"][0]["review_count"]
    );
    assert!(
        reviews["items"][0]["reviewer"]
            .as_str()
            .is_some_and(|r| r.ends_with("**"))
    );
    testkit::shop::assert_allocations_exact(&app).await;
    let brands = app.get_json("/v1/brands").await;
    assert_eq!(brands["brands"].as_array().map(Vec::len), Some(12));
}
