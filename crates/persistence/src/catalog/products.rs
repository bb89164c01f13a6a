//! Products, their options and SKUs, and the ledgers of SKU prices and
//! stock. Vendor reads and writes take the vendor id: ownership is part of
//! every query.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::tenant::Tenant;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{
    inventory_movements, price_history, product_options, product_stats, products, skus,
};

#[derive(Debug, Insertable)]
#[diesel(table_name = products)]
pub struct NewProduct<'a> {
    pub id: Uuid,
    pub seller_id: Uuid,
    pub category_id: i64,
    pub brand_id: Option<i64>,
    pub name: &'a str,
    pub description: &'a str,
    pub adult_only: bool,
    pub max_per_order: Option<i32>,
    pub min_price: Decimal,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = skus)]
pub struct NewSku {
    pub id: Uuid,
    pub product_id: Uuid,
    pub seller_id: Uuid,
    pub code: String,
    pub option_values: Vec<String>,
    pub list_price: Decimal,
    pub sale_price: Option<Decimal>,
    pub sale_starts_at: Option<DateTime<Utc>>,
    pub sale_ends_at: Option<DateTime<Utc>>,
    pub on_hand: i32,
}

/// Inserts a product with its options, SKUs, their first prices and initial
/// stock; a SKU code the vendor already uses is a `Conflict` on
/// `skus_seller_code_key`.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    product: NewProduct<'_>,
    options: &[(String, Vec<String>)],
    new_skus: &[NewSku],
    actor_id: Uuid,
) -> Result<(), StoreError> {
    let product_id = product.id;
    diesel::insert_into(products::table)
        .values(product)
        .execute(conn)
        .await?;
    diesel::insert_into(product_stats::table)
        .values(product_stats::product_id.eq(product_id))
        .execute(conn)
        .await?;
    let option_rows: Vec<_> = options
        .iter()
        .enumerate()
        .map(|(position, (name, values))| {
            (
                product_options::product_id.eq(product_id),
                product_options::position.eq(i16::try_from(position).unwrap_or(i16::MAX)),
                product_options::name.eq(name),
                product_options::values.eq(values),
            )
        })
        .collect();
    if !option_rows.is_empty() {
        diesel::insert_into(product_options::table)
            .values(option_rows)
            .execute(conn)
            .await?;
    }
    insert_skus(conn, new_skus, actor_id).await
}

/// The listing figures of the products whose SKUs match `sku_filter` (a
/// fixed SQL condition on `skus`, never input), recomputed in one statement.
fn refresh_listing_sql(sku_filter: &str) -> String {
    const ACTIVE: &str = "sale_price IS NOT NULL AND (sale_starts_at IS NULL OR sale_starts_at <= now()) \
                          AND (sale_ends_at IS NULL OR sale_ends_at > now())";
    format!(
        "UPDATE product_stats st SET price_now = k.price, in_stock = k.in_stock, on_sale_now = k.on_sale, updated_at = now() \
         FROM (SELECT product_id, \
                      min(CASE WHEN {ACTIVE} THEN sale_price ELSE list_price END) AS price, \
                      bool_or(on_hand > reserved) AS in_stock, \
                      bool_or({ACTIVE}) AS on_sale \
               FROM skus WHERE product_id IN (SELECT product_id FROM skus WHERE {sku_filter}) \
               GROUP BY product_id) k \
         WHERE st.product_id = k.product_id \
           AND (st.price_now, st.in_stock, st.on_sale_now) IS DISTINCT FROM (k.price, k.in_stock, k.on_sale)"
    )
}

/// Recomputes one product's listing figures (lowest price now, in stock,
/// on sale) after a change to its SKUs, in the change's transaction.
pub async fn refresh_listing(
    conn: &mut AsyncPgConnection,
    product_id: Uuid,
) -> Result<(), StoreError> {
    diesel::sql_query(refresh_listing_sql("product_id = $1"))
        .bind::<diesel::sql_types::Uuid, _>(product_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Recomputes the listing figures of products with sale windows (a window
/// opens or closes without any write); returns how many changed.
pub async fn refresh_sale_windows(conn: &mut AsyncPgConnection) -> Result<usize, StoreError> {
    Ok(diesel::sql_query(refresh_listing_sql(
        "sale_starts_at IS NOT NULL OR sale_ends_at IS NOT NULL",
    ))
    .execute(conn)
    .await?)
}

/// Adds SKUs with their first price and initial stock in the ledgers.
pub async fn insert_skus(
    conn: &mut AsyncPgConnection,
    new_skus: &[NewSku],
    actor_id: Uuid,
) -> Result<(), StoreError> {
    diesel::insert_into(skus::table)
        .values(new_skus)
        .execute(conn)
        .await?;
    let prices: Vec<_> = new_skus
        .iter()
        .map(|s| {
            (
                price_history::sku_id.eq(s.id),
                price_history::list_price.eq(s.list_price),
                price_history::sale_price.eq(s.sale_price),
                price_history::sale_starts_at.eq(s.sale_starts_at),
                price_history::sale_ends_at.eq(s.sale_ends_at),
                price_history::changed_by.eq(actor_id),
            )
        })
        .collect();
    diesel::insert_into(price_history::table)
        .values(prices)
        .execute(conn)
        .await?;
    let stock: Vec<_> = new_skus
        .iter()
        .filter(|s| s.on_hand > 0)
        .map(|s| {
            (
                inventory_movements::sku_id.eq(s.id),
                inventory_movements::delta.eq(s.on_hand),
                inventory_movements::reason.eq("initial"),
                inventory_movements::on_hand_after.eq(s.on_hand),
                inventory_movements::actor_id.eq(actor_id),
            )
        })
        .collect();
    if !stock.is_empty() {
        diesel::insert_into(inventory_movements::table)
            .values(stock)
            .execute(conn)
            .await?;
    }
    let mut products: Vec<Uuid> = new_skus.iter().map(|s| s.product_id).collect();
    products.dedup();
    for product_id in products {
        refresh_listing(conn, product_id).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products, check_for_backend(diesel::pg::Pg))]
pub struct ProductRow {
    pub id: Uuid,
    pub seller_id: Uuid,
    pub category_id: i64,
    pub brand_id: Option<i64>,
    pub name: String,
    pub description: String,
    pub status: String,
    pub adult_only: bool,
    pub max_per_order: Option<i32>,
    pub min_price: Decimal,
    pub moderation_note: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_options, check_for_backend(diesel::pg::Pg))]
pub struct OptionRow {
    pub name: String,
    pub values: Vec<Option<String>>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = skus, check_for_backend(diesel::pg::Pg))]
pub struct SkuRow {
    pub id: Uuid,
    pub product_id: Uuid,
    pub code: String,
    pub option_values: Vec<Option<String>>,
    pub list_price: Decimal,
    pub sale_price: Option<Decimal>,
    pub sale_starts_at: Option<DateTime<Utc>>,
    pub sale_ends_at: Option<DateTime<Utc>>,
    pub on_hand: i32,
    pub reserved: i32,
    pub version: i32,
}

/// One product, if `tenant` may read it (a vendor its own, operations any).
pub async fn find(
    conn: &mut AsyncPgConnection,
    tenant: Tenant,
    id: Uuid,
) -> Result<Option<ProductRow>, StoreError> {
    let mut query = products::table
        .filter(products::id.eq(id))
        .select(ProductRow::as_select())
        .into_boxed();
    if let Tenant::Seller(seller_id) = tenant {
        query = query.filter(products::seller_id.eq(seller_id));
    }
    Ok(query.first(conn).await.optional()?)
}

pub async fn options_of(
    conn: &mut AsyncPgConnection,
    product_id: Uuid,
) -> Result<Vec<OptionRow>, StoreError> {
    Ok(product_options::table
        .filter(product_options::product_id.eq(product_id))
        .order(product_options::position.asc())
        .select(OptionRow::as_select())
        .load(conn)
        .await?)
}

pub async fn skus_of(
    conn: &mut AsyncPgConnection,
    product_id: Uuid,
) -> Result<Vec<SkuRow>, StoreError> {
    Ok(skus::table
        .filter(skus::product_id.eq(product_id))
        .order((skus::created_at.asc(), skus::code.asc()))
        .select(SkuRow::as_select())
        .load(conn)
        .await?)
}

/// A vendor's products, newest first.
pub async fn list_of_seller(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ProductRow>, i64), StoreError> {
    let rows = products::table
        .filter(products::seller_id.eq(seller_id))
        .order((products::created_at.desc(), products::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(ProductRow::as_select())
        .load(conn)
        .await?;
    let total = products::table
        .filter(products::seller_id.eq(seller_id))
        .count()
        .get_result(conn)
        .await?;
    Ok((rows, total))
}

/// What a vendor may change on a product.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = products)]
pub struct ProductChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<i64>,
    pub brand_id: Option<Option<i64>>,
    pub status: Option<String>,
    pub adult_only: Option<bool>,
    pub max_per_order: Option<Option<i32>>,
}

/// Applies `changes` if the product is `seller_id`'s and still at `version`;
/// `None` when it is not (the caller tells 404 from 412).
pub async fn update(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
    id: Uuid,
    version: i32,
    changes: ProductChanges,
) -> Result<Option<i32>, StoreError> {
    Ok(diesel::update(products::table)
        .filter(products::id.eq(id))
        .filter(products::seller_id.eq(seller_id))
        .filter(products::version.eq(version))
        .set((changes, products::version.eq(products::version + 1)))
        .returning(products::version)
        .get_result(conn)
        .await
        .optional()?)
}

/// Deletes a draft of `seller_id` (listed products stay for order history).
pub async fn delete_draft(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
    id: Uuid,
) -> Result<bool, StoreError> {
    let deleted = diesel::delete(products::table)
        .filter(products::id.eq(id))
        .filter(products::seller_id.eq(seller_id))
        .filter(products::status.eq("draft"))
        .execute(conn)
        .await?;
    Ok(deleted == 1)
}

/// Recomputes a product's lowest list price from its SKUs.
pub async fn refresh_min_price(
    conn: &mut AsyncPgConnection,
    product_id: Uuid,
) -> Result<(), StoreError> {
    diesel::sql_query(
        "UPDATE products SET min_price = coalesce((SELECT min(list_price) FROM skus WHERE product_id = $1), 0) \
         WHERE id = $1",
    )
    .bind::<diesel::sql_types::Uuid, _>(product_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One SKU of `seller_id`, locked for the rest of the transaction.
pub async fn lock_sku(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
    id: Uuid,
) -> Result<Option<SkuRow>, StoreError> {
    Ok(skus::table
        .filter(skus::id.eq(id))
        .filter(skus::seller_id.eq(seller_id))
        .for_update()
        .select(SkuRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Sets a SKU's prices and records them in the price history.
pub async fn set_prices(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    list_price: Decimal,
    sale_price: Option<Decimal>,
    sale_starts_at: Option<DateTime<Utc>>,
    sale_ends_at: Option<DateTime<Utc>>,
    actor_id: Uuid,
) -> Result<(), StoreError> {
    diesel::update(skus::table.find(id))
        .set((
            skus::list_price.eq(list_price),
            skus::sale_price.eq(sale_price),
            skus::sale_starts_at.eq(sale_starts_at),
            skus::sale_ends_at.eq(sale_ends_at),
            skus::version.eq(skus::version + 1),
        ))
        .execute(conn)
        .await?;
    diesel::insert_into(price_history::table)
        .values((
            price_history::sku_id.eq(id),
            price_history::list_price.eq(list_price),
            price_history::sale_price.eq(sale_price),
            price_history::sale_starts_at.eq(sale_starts_at),
            price_history::sale_ends_at.eq(sale_ends_at),
            price_history::changed_by.eq(actor_id),
        ))
        .execute(conn)
        .await?;
    refresh_listing_of_sku(conn, id).await
}

async fn refresh_listing_of_sku(
    conn: &mut AsyncPgConnection,
    sku_id: Uuid,
) -> Result<(), StoreError> {
    let product_id: Uuid = skus::table
        .find(sku_id)
        .select(skus::product_id)
        .first(conn)
        .await?;
    refresh_listing(conn, product_id).await
}

/// Moves stock on hand by `delta` (never below what is reserved) and records
/// the movement; returns the new on-hand count, `None` when it would go below.
pub async fn move_stock(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    delta: i32,
    reason: &str,
    reference: Option<&str>,
    actor_id: Option<Uuid>,
) -> Result<Option<i32>, StoreError> {
    let on_hand: Option<i32> = diesel::update(skus::table)
        .filter(skus::id.eq(id))
        .filter((skus::on_hand + delta).ge(skus::reserved))
        .set((
            skus::on_hand.eq(skus::on_hand + delta),
            skus::version.eq(skus::version + 1),
        ))
        .returning(skus::on_hand)
        .get_result(conn)
        .await
        .optional()?;
    let Some(after) = on_hand else {
        return Ok(None);
    };
    diesel::insert_into(inventory_movements::table)
        .values((
            inventory_movements::sku_id.eq(id),
            inventory_movements::delta.eq(delta),
            inventory_movements::reason.eq(reason),
            inventory_movements::reference.eq(reference),
            inventory_movements::on_hand_after.eq(after),
            inventory_movements::actor_id.eq(actor_id),
        ))
        .execute(conn)
        .await?;
    refresh_listing_of_sku(conn, id).await?;
    Ok(Some(after))
}

/// What operations search products by.
#[derive(Debug, Default)]
pub struct ModerationFilter {
    /// Matched against the name (trigram index).
    pub q: Option<String>,
    pub seller_id: Option<Uuid>,
    pub status: Option<String>,
}

/// Products matching `filter`, newest first, with the total count.
pub async fn search_for_moderation(
    conn: &mut AsyncPgConnection,
    filter: &ModerationFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ProductRow>, i64), StoreError> {
    let build = || {
        let mut query = products::table.into_boxed();
        if let Some(q) = &filter.q {
            query = query.filter(products::name.ilike(format!("%{}%", escape_like(q))));
        }
        if let Some(seller_id) = filter.seller_id {
            query = query.filter(products::seller_id.eq(seller_id));
        }
        if let Some(status) = &filter.status {
            query = query.filter(products::status.eq(status.clone()));
        }
        query
    };
    let rows = build()
        .order((products::created_at.desc(), products::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(ProductRow::as_select())
        .load(conn)
        .await?;
    let total = build().count().get_result(conn).await?;
    Ok((rows, total))
}

/// `%`, `_` and `\` taken literally inside a LIKE pattern.
pub fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Sets a product's status by operations, with the note the vendor sees.
pub async fn moderate(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: &str,
    note: Option<&str>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(products::table.find(id))
        .set((
            products::status.eq(status),
            products::moderation_note.eq(note),
            products::version.eq(products::version + 1),
        ))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}

/// A SKU's product name and option values, whoever's it is (notifications).
pub async fn sku_label(
    conn: &mut AsyncPgConnection,
    sku_id: Uuid,
) -> Result<Option<(Uuid, String, Vec<Option<String>>)>, StoreError> {
    Ok(skus::table
        .inner_join(products::table)
        .filter(skus::id.eq(sku_id))
        .select((products::id, products::name, skus::option_values))
        .first(conn)
        .await
        .optional()?)
}

/// Stock available to sell (on hand less reserved) of a listed product's
/// SKU; `None` when there is no such SKU on the shelves.
pub async fn listed_sku_available(
    conn: &mut AsyncPgConnection,
    sku_id: Uuid,
) -> Result<Option<i32>, StoreError> {
    Ok(skus::table
        .inner_join(products::table)
        .filter(skus::id.eq(sku_id))
        .filter(products::status.eq_any(["on_sale", "sold_out"]))
        .select(skus::on_hand - skus::reserved)
        .first(conn)
        .await
        .optional()?)
}

/// The product a SKU belongs to.
pub async fn product_of_sku(
    conn: &mut AsyncPgConnection,
    sku_id: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    Ok(skus::table
        .find(sku_id)
        .select(skus::product_id)
        .first(conn)
        .await
        .optional()?)
}

/// One SKU of each product on sale with at least `available` to sell, as
/// `(code, id)` (demo purchases).
pub async fn one_sellable_sku_per_product(
    conn: &mut AsyncPgConnection,
    available: i32,
) -> Result<Vec<(String, Uuid)>, StoreError> {
    Ok(skus::table
        .inner_join(products::table)
        .filter(products::status.eq("on_sale"))
        .filter((skus::on_hand - skus::reserved).ge(available))
        .distinct_on(products::id)
        .order((products::id, skus::code))
        .select((skus::code, skus::id))
        .load(conn)
        .await?)
}
