//! Catalog fixtures written straight to the database: categories, brands
//! and listed products with SKUs (through the same persistence calls the
//! vendor API uses, ledgers included).

use diesel_async::AsyncConnection;
use persistence::catalog::products::{self, NewProduct, NewSku};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::TestApp;

/// A category (under `parent`); returns its id.
pub async fn category(app: &TestApp, parent: Option<i64>, slug: &str) -> i64 {
    let parent = parent.map_or("NULL".to_owned(), |p| p.to_string());
    app.db
        .query_text(&format!(
            "INSERT INTO categories (parent_id, slug, name) VALUES ({parent}, '{slug}', '{slug}') RETURNING id::text AS value"
        ))
        .await[0]
        .parse()
        .expect("category id")
}

pub async fn brand(app: &TestApp, slug: &str, name: &str) -> i64 {
    let mut conn = app.db.conn().await;
    persistence::catalog::brands::insert(&mut conn, slug, name)
        .await
        .expect("brand")
        .id
}

/// One SKU: list price, optional sale price (running now), stock on hand.
#[derive(Debug, Clone, Copy)]
pub struct Sku {
    pub list_price: i64,
    pub sale_price: Option<i64>,
    pub stock: i32,
}

pub fn sku(list_price: i64, stock: i32) -> Sku {
    Sku {
        list_price,
        sale_price: None,
        stock,
    }
}

/// What a listed product is made of.
#[derive(Debug, Clone)]
pub struct Listing<'a> {
    pub seller_id: Uuid,
    pub category_id: i64,
    pub brand_id: Option<i64>,
    pub name: &'a str,
    pub description: &'a str,
    pub status: &'a str,
    pub skus: Vec<Sku>,
}

/// Inserts a product (status as given) with one SKU per entry of `skus`
/// (option `Size` with values `S1`, `S2`...); returns its id.
pub async fn product(app: &TestApp, listing: Listing<'_>) -> Uuid {
    let id = Uuid::new_v4();
    let sizes: Vec<String> = (1..=listing.skus.len()).map(|i| format!("S{i}")).collect();
    let new_skus: Vec<NewSku> = listing
        .skus
        .iter()
        .zip(&sizes)
        .map(|(s, size)| NewSku {
            id: Uuid::new_v4(),
            product_id: id,
            seller_id: listing.seller_id,
            code: format!("T{}-{size}", &id.simple().to_string()[..12]),
            option_values: vec![size.clone()],
            list_price: Decimal::from(s.list_price),
            sale_price: s.sale_price.map(Decimal::from),
            sale_starts_at: None,
            sale_ends_at: None,
            on_hand: s.stock,
        })
        .collect();
    let min_price = new_skus
        .iter()
        .map(|s| s.list_price)
        .min()
        .unwrap_or_default();
    let actor = staff_actor(app, listing.seller_id).await;
    let mut conn = app.db.conn().await;
    conn.transaction(async |conn| {
        products::insert(
            conn,
            NewProduct {
                id,
                seller_id: listing.seller_id,
                category_id: listing.category_id,
                brand_id: listing.brand_id,
                name: listing.name,
                description: listing.description,
                adult_only: false,
                max_per_order: None,
                min_price,
            },
            &[("Size".to_owned(), sizes.clone())],
            &new_skus,
            actor,
        )
        .await?;
        products::moderate(conn, id, listing.status, None).await?;
        Ok::<_, persistence::StoreError>(())
    })
    .await
    .expect("product");
    id
}

/// Some staff member of the vendor (ledger rows name who acted).
async fn staff_actor(app: &TestApp, seller_id: Uuid) -> Uuid {
    let existing = app
        .db
        .query_text(&format!(
            "SELECT id::text AS value FROM staff_accounts WHERE seller_id = '{seller_id}' LIMIT 1"
        ))
        .await;
    match existing.first() {
        Some(id) => id.parse().expect("staff id"),
        None => {
            crate::staff::seller_staff(app, "catalog", seller_id, "owner")
                .await
                .id
        }
    }
}
