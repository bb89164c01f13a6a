//! What carts and checkout need to know about SKUs: price, stock, the
//! product's state and rules, and the vendor's state and shipping policy.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Bool, Integer, Nullable, Numeric, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::reusable_sql::Reusable;
use crate::schema::categories;

#[derive(Debug, Clone, QueryableByName)]
pub struct SkuFacts {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub product_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub seller_id: Uuid,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = Array<Nullable<Text>>)]
    pub option_values: Vec<Option<String>>,
    #[diesel(sql_type = Numeric)]
    pub list_price: Decimal,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub sale_price: Option<Decimal>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub sale_starts_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub sale_ends_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Integer)]
    pub on_hand: i32,
    #[diesel(sql_type = Integer)]
    pub reserved: i32,
}

#[derive(Debug, Clone, QueryableByName)]
pub struct ProductFacts {
    #[diesel(sql_type = Text, column_name = product_name)]
    pub name: String,
    #[diesel(sql_type = Text, column_name = product_status)]
    pub status: String,
    #[diesel(sql_type = Bool)]
    pub adult_only: bool,
    #[diesel(sql_type = Nullable<Integer>)]
    pub max_per_order: Option<i32>,
    #[diesel(sql_type = BigInt)]
    pub category_id: i64,
}

#[derive(Debug, Clone, QueryableByName)]
pub struct SellerFacts {
    #[diesel(sql_type = Text, column_name = seller_name)]
    pub name: String,
    #[diesel(sql_type = Text, column_name = seller_status)]
    pub status: String,
    #[diesel(sql_type = Numeric)]
    pub shipping_base_fee: Decimal,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub free_shipping_threshold: Option<Decimal>,
    #[diesel(sql_type = Numeric)]
    pub remote_area_surcharge: Decimal,
    #[diesel(sql_type = Numeric)]
    pub return_fee: Decimal,
    #[diesel(sql_type = Numeric)]
    pub commission_rate: Decimal,
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Sellable {
    #[diesel(embed)]
    pub sku: SkuFacts,
    #[diesel(embed)]
    pub product: ProductFacts,
    #[diesel(embed)]
    pub seller: SellerFacts,
}

const SELLABLE_SQL: &str = "SELECT s.id, s.product_id, s.seller_id, s.code, s.option_values, \
            s.list_price, s.sale_price, s.sale_starts_at, s.sale_ends_at, s.on_hand, s.reserved, \
            p.name AS product_name, p.status AS product_status, p.adult_only, p.max_per_order, \
            p.category_id, se.name AS seller_name, se.status AS seller_status, \
            se.shipping_base_fee, se.free_shipping_threshold, se.remote_area_surcharge, \
            se.return_fee, se.commission_rate \
     FROM skus s JOIN products p ON p.id = s.product_id JOIN sellers se ON se.id = s.seller_id \
     WHERE s.id IN (";

/// The SKUs of `ids` that exist, in no particular order.
///
/// The ids are listed one parameter each (`IN ($1, $2)`) rather than as one
/// array: PostgreSQL estimates an array parameter at ten elements, so the
/// plan it would keep looks dearer than one made for the actual ids, and it
/// planned this three-table join anew on every execution. With the count in
/// the text, the kept plan is as cheap and is reused. The count is rounded
/// up to a power of two (the last id repeated), so few texts exist.
pub async fn load(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<Vec<Sellable>, StoreError> {
    let Some(&last) = ids.last() else {
        return Ok(Vec::new());
    };
    let slots = ids.len().next_power_of_two();
    let placeholders: Vec<String> = (1..=slots).map(|n| format!("${n}")).collect();
    let sql = format!("{SELLABLE_SQL}{})", placeholders.join(", "));
    let mut query = diesel::sql_query(&sql).into_boxed();
    for id in ids
        .iter()
        .chain(std::iter::repeat_n(&last, slots - ids.len()))
    {
        query = query.bind::<SqlUuid, _>(*id);
    }
    Ok(Reusable::composed(&sql, query).load(conn).await?)
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
