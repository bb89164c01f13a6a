//! What shoppers browse: listed products of approved vendors, filtered,
//! sorted and paged in one statement each (no per-row lookups), and the
//! pieces of one product's page.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{
    BigInt, Bool, Double, Integer, Nullable, Numeric, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;

/// How a list is ordered; each has a fixed SQL key (never from input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingSort {
    Newest,
    PriceAsc,
    PriceDesc,
    Popular,
    Rating,
}

impl ListingSort {
    /// `(key expression, direction, SQL type of the key)`.
    fn key(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Newest => ("p.created_at", "DESC", "timestamptz"),
            Self::PriceAsc => ("st.price_now", "ASC", "numeric"),
            Self::PriceDesc => ("st.price_now", "DESC", "numeric"),
            Self::Popular => ("st.popularity", "DESC", "float8"),
            Self::Rating => (
                "(CASE WHEN st.review_count = 0 THEN 0 ELSE st.rating_sum::float8 / st.review_count END)",
                "DESC",
                "float8",
            ),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListingFilter {
    /// The category and its whole subtree.
    pub category_id: Option<i64>,
    pub brand_id: Option<i64>,
    pub seller_id: Option<Uuid>,
    pub min_price: Option<Decimal>,
    pub max_price: Option<Decimal>,
    pub on_sale: bool,
    pub in_stock: bool,
    /// A `LIKE` pattern over name, description and brand name.
    pub pattern: Option<String>,
}

/// Where a cursor page starts: after this sort key and product id.
#[derive(Debug, Clone)]
pub struct After {
    pub key: String,
    pub id: Uuid,
}

#[derive(Debug, Clone, QueryableByName)]
pub struct ListedProduct {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = SqlUuid)]
    pub seller_id: Uuid,
    #[diesel(sql_type = Text)]
    pub seller_name: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub brand_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub brand_name: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub category_id: i64,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Bool)]
    pub adult_only: bool,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub price: Option<Decimal>,
    #[diesel(sql_type = Numeric)]
    pub list_price: Decimal,
    #[diesel(sql_type = Bool)]
    pub in_stock: bool,
    #[diesel(sql_type = Bool)]
    pub on_sale: bool,
    #[diesel(sql_type = Integer)]
    pub review_count: i32,
    #[diesel(sql_type = Integer)]
    pub rating_sum: i32,
    #[diesel(sql_type = Integer)]
    pub like_count: i32,
    #[diesel(sql_type = Double)]
    pub popularity: f64,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    /// The object key of the first image, if any.
    #[diesel(sql_type = Nullable<Text>)]
    pub thumbnail_key: Option<String>,
    /// The sort key as text, for the next cursor.
    #[diesel(sql_type = Text)]
    pub sort_key: String,
}

/// The listed products of approved vendors; the price, stock and sale
/// figures come precomputed from `product_stats`.
const LISTED: &str = "FROM products p \
     JOIN sellers s ON s.id = p.seller_id \
     JOIN product_stats st ON st.product_id = p.id \
     LEFT JOIN brands b ON b.id = p.brand_id \
     WHERE p.status IN ('on_sale', 'sold_out') AND s.status = 'approved'";

/// The list filters, bound as `$1`–`$8` by [`filtered`].
const FILTERS: &str = "AND ($1::bigint IS NULL OR p.category_id IN ( \
         SELECT c.id FROM categories c LEFT JOIN categories pc ON pc.id = c.parent_id \
         WHERE c.id = $1 OR c.parent_id = $1 OR pc.parent_id = $1)) \
     AND ($2::bigint IS NULL OR p.brand_id = $2) \
     AND ($3::uuid IS NULL OR p.seller_id = $3) \
     AND ($4::numeric IS NULL OR st.price_now >= $4) \
     AND ($5::numeric IS NULL OR st.price_now <= $5) \
     AND (NOT $6 OR st.on_sale_now) \
     AND (NOT $7 OR st.in_stock) \
     AND ($8::text IS NULL OR p.name ILIKE $8 OR p.description ILIKE $8 OR b.name ILIKE $8)";

/// `sql` with the filters bound as `$1`–`$8`; further binds follow.
fn filtered<'a>(sql: String, filter: &'a ListingFilter) -> BoxedSqlQuery<'a, Pg, SqlQuery> {
    diesel::sql_query(sql)
        .into_boxed()
        .bind::<Nullable<BigInt>, _>(filter.category_id)
        .bind::<Nullable<BigInt>, _>(filter.brand_id)
        .bind::<Nullable<SqlUuid>, _>(filter.seller_id)
        .bind::<Nullable<Numeric>, _>(filter.min_price)
        .bind::<Nullable<Numeric>, _>(filter.max_price)
        .bind::<Bool, _>(filter.on_sale)
        .bind::<Bool, _>(filter.in_stock)
        .bind::<Nullable<Text>, _>(filter.pattern.as_deref())
}

/// The columns of a list entry.
const CARD_COLUMNS: &str = "p.id, p.name, p.seller_id, s.name AS seller_name, p.brand_id, b.name AS brand_name, \
    p.category_id, p.status, p.adult_only, st.price_now AS price, p.min_price AS list_price, st.in_stock, \
    st.on_sale_now AS on_sale, st.review_count, st.rating_sum, st.like_count, st.popularity, p.created_at, \
    (SELECT i.object_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1) AS thumbnail_key";

/// The statement of [`list`] (`$1`–`$8` filters, `$9`/`$10` cursor, `$11`
/// limit, `$12` offset); public so the benchmark runs exactly this SQL.
pub fn list_sql(sort: ListingSort) -> String {
    let (key, direction, key_type) = sort.key();
    let comparison = if direction == "DESC" { "<" } else { ">" };
    format!(
        "SELECT {CARD_COLUMNS}, ({key})::text AS sort_key \
         {LISTED} {FILTERS} \
           AND ($9::text IS NULL OR ({key}, p.id) {comparison} ($9::{key_type}, $10::uuid)) \
         ORDER BY {key} {direction}, p.id {direction} \
         LIMIT $11 OFFSET $12"
    )
}

/// The statement of [`count`] (`$1`–`$8` as in [`list_sql`]).
pub fn count_sql() -> String {
    format!("SELECT count(*) AS total {LISTED} {FILTERS}")
}

/// One page of listed products: `after` for cursor paging, else `offset`.
pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &ListingFilter,
    sort: ListingSort,
    after: Option<&After>,
    limit: i64,
    offset: i64,
) -> Result<Vec<ListedProduct>, StoreError> {
    Ok(filtered(list_sql(sort), filter)
        .bind::<Nullable<Text>, _>(after.map(|a| a.key.as_str()))
        .bind::<Nullable<SqlUuid>, _>(after.map(|a| a.id))
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
        .await?)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// How many listed products match `filter`.
pub async fn count(
    conn: &mut AsyncPgConnection,
    filter: &ListingFilter,
) -> Result<i64, StoreError> {
    let row: Count = filtered(count_sql(), filter).get_result(conn).await?;
    Ok(row.total)
}

/// The statement of [`find_listed`] (`$1` the product id).
pub fn product_sql() -> String {
    format!(
        "SELECT {CARD_COLUMNS}, p.id::text AS sort_key, p.description, p.max_per_order \
         {LISTED} AND p.id = $1"
    )
}

/// A product page's row: the list entry, its description and order limit.
#[derive(Debug, Clone, QueryableByName)]
pub struct ProductPageRow {
    #[diesel(embed)]
    pub product: ListedProduct,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = Nullable<Integer>)]
    pub max_per_order: Option<i32>,
}

/// One listed product as a shopper sees it (`None` when it is not listed).
pub async fn find_listed(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<ProductPageRow>, StoreError> {
    Ok(diesel::sql_query(product_sql())
        .bind::<SqlUuid, _>(id)
        .get_result(conn)
        .await
        .optional()?)
}

/// Listed products among `ids` (in no particular order; unlisted ones are
/// left out), in one statement.
pub async fn find_listed_many(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> Result<Vec<ListedProduct>, StoreError> {
    let sql = format!("SELECT {CARD_COLUMNS}, p.id::text AS sort_key {LISTED} AND p.id = ANY($1)");
    Ok(diesel::sql_query(sql)
        .bind::<diesel::sql_types::Array<SqlUuid>, _>(ids)
        .load(conn)
        .await?)
}

/// Refreshes the planner's statistics of the catalog tables (after a bulk
/// load, so the first lists use their indexes instead of waiting for
/// autovacuum).
pub async fn analyze(conn: &mut AsyncPgConnection) -> Result<(), StoreError> {
    diesel::sql_query(
        "ANALYZE products, product_stats, skus, product_options, product_images, sellers, brands, categories",
    )
    .execute(conn)
    .await?;
    Ok(())
}
