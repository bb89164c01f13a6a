//! What carts and checkout need to know about SKUs: price, stock, the
//! product's state and rules, and the vendor's state and shipping policy.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{categories, products, sellers, skus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = skus, check_for_backend(diesel::pg::Pg))]
pub struct SkuFacts {
    pub id: Uuid,
    pub product_id: Uuid,
    pub seller_id: Uuid,
    pub code: String,
    pub option_values: Vec<Option<String>>,
    pub list_price: Decimal,
    pub sale_price: Option<Decimal>,
    pub sale_starts_at: Option<DateTime<Utc>>,
    pub sale_ends_at: Option<DateTime<Utc>>,
    pub on_hand: i32,
    pub reserved: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products, check_for_backend(diesel::pg::Pg))]
pub struct ProductFacts {
    pub name: String,
    pub status: String,
    pub adult_only: bool,
    pub max_per_order: Option<i32>,
    pub category_id: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sellers, check_for_backend(diesel::pg::Pg))]
pub struct SellerFacts {
    pub name: String,
    pub status: String,
    pub shipping_base_fee: Decimal,
    pub free_shipping_threshold: Option<Decimal>,
    pub remote_area_surcharge: Decimal,
    pub return_fee: Decimal,
    pub commission_rate: Decimal,
}

#[derive(Debug, Clone)]
pub struct Sellable {
    pub sku: SkuFacts,
    pub product: ProductFacts,
    pub seller: SellerFacts,
}

/// The SKUs of `ids` that exist, in no particular order.
pub async fn load(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<Vec<Sellable>, StoreError> {
    let rows: Vec<(SkuFacts, ProductFacts, SellerFacts)> = skus::table
        .inner_join(products::table)
        .inner_join(sellers::table.on(sellers::id.eq(skus::seller_id)))
        .filter(skus::id.eq_any(ids))
        .select((
            SkuFacts::as_select(),
            ProductFacts::as_select(),
            SellerFacts::as_select(),
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(sku, product, seller)| Sellable {
            sku,
            product,
            seller,
        })
        .collect())
}

/// Every category's parent, for coupon scopes that name a parent category.
pub async fn category_parents(
    conn: &mut AsyncPgConnection,
) -> Result<Vec<(i64, Option<i64>)>, StoreError> {
    Ok(categories::table
        .select((categories::id, categories::parent_id))
        .load(conn)
        .await?)
}
