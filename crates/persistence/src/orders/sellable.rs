//! What carts and checkout need to know about SKUs: price, stock, the
//! product's state and rules, and the vendor's state and shipping policy.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Bool, Integer, Nullable, Numeric, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;
use crate::orders::carts::CartItemRow;
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

const SELLABLE_COLUMNS: &str = "s.id, s.product_id, s.seller_id, s.code, s.option_values, \
            s.list_price, s.sale_price, s.sale_starts_at, s.sale_ends_at, s.on_hand, s.reserved, \
            p.name AS product_name, p.status AS product_status, p.adult_only, p.max_per_order, \
            p.category_id, se.name AS seller_name, se.status AS seller_status, \
            se.shipping_base_fee, se.free_shipping_threshold, se.remote_area_surcharge, \
            se.return_fee";

const SELLABLE_JOIN: &str =
    "skus s JOIN products p ON p.id = s.product_id JOIN sellers se ON se.id = s.seller_id";

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
    let sql = format!(
        "SELECT {SELLABLE_COLUMNS} FROM {SELLABLE_JOIN} WHERE s.id IN ({})",
        placeholders.join(", ")
    );
    let mut query = diesel::sql_query(&sql).into_boxed();
    for id in ids
        .iter()
        .chain(std::iter::repeat_n(&last, slots - ids.len()))
    {
        query = query.bind::<SqlUuid, _>(*id);
    }
    Ok(Reusable::composed(&sql, query).load(conn).await?)
}

/// A shopper's cart lines and the SKUs they hold, read together.
#[derive(Debug, Clone, Default)]
pub struct CartWithSkus {
    /// Oldest first.
    pub lines: Vec<CartItemRow>,
    /// By SKU id: the lines' SKUs, and the one asked for besides.
    pub items: BTreeMap<Uuid, Sellable>,
}

#[derive(QueryableByName)]
struct CartSkuRow {
    #[diesel(embed)]
    item: Sellable,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    line_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Integer>)]
    line_quantity: Option<i32>,
    #[diesel(sql_type = Nullable<Numeric>)]
    line_price_seen: Option<Decimal>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    line_created_at: Option<DateTime<Utc>>,
}

/// The cart's columns of [`CartSkuRow`], from `line`.
const LINE_COLUMNS: &str = "line.id AS line_id, line.quantity AS line_quantity, \
     line.price_seen AS line_price_seen, line.created_at AS line_created_at";

/// The owner's (`$1`) lines, oldest first, each with its SKU.
static CART_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {SELLABLE_COLUMNS}, {LINE_COLUMNS} \
         FROM cart_items line JOIN carts c ON c.id = line.cart_id \
         JOIN {SELLABLE_JOIN} ON s.id = line.sku_id \
         WHERE c.owner = $1 ORDER BY line.created_at, line.id"
    )
});

/// One row per SKU: the cart's and `$2`, each with its line if the cart has
/// one. Lines come oldest first; `$2` without a line last.
static CART_WITH_SKU_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH line AS (SELECT ci.id, ci.sku_id, ci.quantity, ci.price_seen, ci.created_at \
                       FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.owner = $1), \
              wanted AS (SELECT sku_id FROM line UNION SELECT $2) \
         SELECT {SELLABLE_COLUMNS}, {LINE_COLUMNS} \
         FROM wanted JOIN {SELLABLE_JOIN} ON s.id = wanted.sku_id LEFT JOIN line ON line.sku_id = s.id \
         ORDER BY line.created_at, line.id"
    )
});

/// The owner's cart and its SKUs, with `also` (a SKU about to be added), in
/// one statement: a cart edit and the checkout each read both.
pub async fn cart(
    mut conn: &AsyncPgConnection,
    owner: &str,
    also: Option<Uuid>,
) -> Result<CartWithSkus, StoreError> {
    // Two texts, not one with a nullable `$2`: a kept plan serves one of
    // the two cases only, so with both on a connection PostgreSQL planned
    // the join anew at every other execution (1.2 ms a plan).
    let rows: Vec<CartSkuRow> = match also {
        None => {
            Reusable::fixed(diesel::sql_query(CART_SQL.as_str()).bind::<Text, _>(owner))
                .load(&mut conn)
                .await?
        }
        Some(also) => {
            Reusable::fixed(
                diesel::sql_query(CART_WITH_SKU_SQL.as_str())
                    .bind::<Text, _>(owner)
                    .bind::<SqlUuid, _>(also),
            )
            .load(&mut conn)
            .await?
        }
    };
    let mut cart = CartWithSkus::default();
    for row in rows {
        if let (Some(id), Some(quantity), Some(price_seen), Some(created_at)) = (
            row.line_id,
            row.line_quantity,
            row.line_price_seen,
            row.line_created_at,
        ) {
            cart.lines.push(CartItemRow {
                id,
                sku_id: row.item.sku.id,
                quantity,
                price_seen,
                created_at,
            });
        }
        cart.items.insert(row.item.sku.id, row.item);
    }
    Ok(cart)
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
