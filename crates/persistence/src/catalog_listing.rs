//! What shoppers browse: listed products of approved vendors, filtered,
//! sorted and paged in one statement each (no per-row lookups), and the
//! pieces of one product's page.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
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
            Self::PriceAsc => ("k.price", "ASC", "numeric"),
            Self::PriceDesc => ("k.price", "DESC", "numeric"),
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
    /// The sort key as text, for the next cursor.
    #[diesel(sql_type = Text)]
    pub sort_key: String,
}

const SALE_ACTIVE: &str = "sk.sale_price IS NOT NULL \
    AND (sk.sale_starts_at IS NULL OR sk.sale_starts_at <= now()) \
    AND (sk.sale_ends_at IS NULL OR sk.sale_ends_at > now())";

fn from_where() -> String {
    format!(
        "FROM products p \
         JOIN sellers s ON s.id = p.seller_id \
         JOIN product_stats st ON st.product_id = p.id \
         LEFT JOIN brands b ON b.id = p.brand_id \
         CROSS JOIN LATERAL ( \
             SELECT min(CASE WHEN {SALE_ACTIVE} THEN sk.sale_price ELSE sk.list_price END) AS price, \
                    coalesce(bool_or(sk.on_hand > sk.reserved), false) AS in_stock, \
                    coalesce(bool_or({SALE_ACTIVE}), false) AS on_sale \
             FROM skus sk WHERE sk.product_id = p.id) k \
         WHERE p.status IN ('on_sale', 'sold_out') AND s.status = 'approved' \
           AND ($1::bigint IS NULL OR p.category_id IN ( \
                 SELECT c.id FROM categories c LEFT JOIN categories pc ON pc.id = c.parent_id \
                 WHERE c.id = $1 OR c.parent_id = $1 OR pc.parent_id = $1)) \
           AND ($2::bigint IS NULL OR p.brand_id = $2) \
           AND ($3::uuid IS NULL OR p.seller_id = $3) \
           AND ($4::numeric IS NULL OR k.price >= $4) \
           AND ($5::numeric IS NULL OR k.price <= $5) \
           AND (NOT $6 OR k.on_sale) \
           AND (NOT $7 OR k.in_stock) \
           AND ($8::text IS NULL OR p.name ILIKE $8 OR p.description ILIKE $8 OR b.name ILIKE $8)"
    )
}

/// The statement of [`list`] (`$1`–`$8` filters, `$9`/`$10` cursor, `$11`
/// limit, `$12` offset); public so the benchmark runs exactly this SQL.
pub fn list_sql(sort: ListingSort) -> String {
    let (key, direction, key_type) = sort.key();
    let comparison = if direction == "DESC" { "<" } else { ">" };
    format!(
        "SELECT p.id, p.name, p.seller_id, s.name AS seller_name, p.brand_id, b.name AS brand_name, \
                p.category_id, p.status, p.adult_only, k.price, p.min_price AS list_price, k.in_stock, k.on_sale, \
                st.review_count, st.rating_sum, st.like_count, st.popularity, p.created_at, \
                ({key})::text AS sort_key \
         {from_where} \
           AND ($9::text IS NULL OR ({key}, p.id) {comparison} ($9::{key_type}, $10::uuid)) \
         ORDER BY {key} {direction} NULLS LAST, p.id {direction} \
         LIMIT $11 OFFSET $12",
        from_where = from_where()
    )
}

/// The statement of [`count`] (`$1`–`$8` as in [`list_sql`]).
pub fn count_sql() -> String {
    format!("SELECT count(*) AS total {}", from_where())
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
    Ok(diesel::sql_query(list_sql(sort))
        .bind::<Nullable<BigInt>, _>(filter.category_id)
        .bind::<Nullable<BigInt>, _>(filter.brand_id)
        .bind::<Nullable<SqlUuid>, _>(filter.seller_id)
        .bind::<Nullable<Numeric>, _>(filter.min_price)
        .bind::<Nullable<Numeric>, _>(filter.max_price)
        .bind::<Bool, _>(filter.on_sale)
        .bind::<Bool, _>(filter.in_stock)
        .bind::<Nullable<Text>, _>(filter.pattern.as_deref())
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
    let row: Count = diesel::sql_query(count_sql())
        .bind::<Nullable<BigInt>, _>(filter.category_id)
        .bind::<Nullable<BigInt>, _>(filter.brand_id)
        .bind::<Nullable<SqlUuid>, _>(filter.seller_id)
        .bind::<Nullable<Numeric>, _>(filter.min_price)
        .bind::<Nullable<Numeric>, _>(filter.max_price)
        .bind::<Bool, _>(filter.on_sale)
        .bind::<Bool, _>(filter.in_stock)
        .bind::<Nullable<Text>, _>(filter.pattern.as_deref())
        .get_result(conn)
        .await?;
    Ok(row.total)
}

/// The statement of [`find_listed`] (`$1`–`$8` as in [`list_sql`], all
/// null or false; `$9` the product id).
pub fn product_sql() -> String {
    format!(
        "SELECT p.id, p.name, p.seller_id, s.name AS seller_name, p.brand_id, b.name AS brand_name, \
                p.category_id, p.status, p.adult_only, k.price, p.min_price AS list_price, k.in_stock, k.on_sale, \
                st.review_count, st.rating_sum, st.like_count, st.popularity, p.created_at, \
                p.id::text AS sort_key \
         {from_where} AND p.id = $9",
        from_where = from_where()
    )
}

/// One listed product as a shopper sees it (`None` when it is not listed).
pub async fn find_listed(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<ListedProduct>, StoreError> {
    let sql = product_sql();
    Ok(diesel::sql_query(sql)
        .bind::<Nullable<BigInt>, _>(None::<i64>)
        .bind::<Nullable<BigInt>, _>(None::<i64>)
        .bind::<Nullable<SqlUuid>, _>(None::<Uuid>)
        .bind::<Nullable<Numeric>, _>(None::<Decimal>)
        .bind::<Nullable<Numeric>, _>(None::<Decimal>)
        .bind::<Bool, _>(false)
        .bind::<Bool, _>(false)
        .bind::<Nullable<Text>, _>(None::<&str>)
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
    let sql = format!(
        "SELECT p.id, p.name, p.seller_id, s.name AS seller_name, p.brand_id, b.name AS brand_name, \
                p.category_id, p.status, p.adult_only, k.price, p.min_price AS list_price, k.in_stock, k.on_sale, \
                st.review_count, st.rating_sum, st.like_count, st.popularity, p.created_at, \
                p.id::text AS sort_key \
         {from_where} AND p.id = ANY($9)",
        from_where = from_where()
    );
    Ok(diesel::sql_query(sql)
        .bind::<Nullable<BigInt>, _>(None::<i64>)
        .bind::<Nullable<BigInt>, _>(None::<i64>)
        .bind::<Nullable<SqlUuid>, _>(None::<Uuid>)
        .bind::<Nullable<Numeric>, _>(None::<Decimal>)
        .bind::<Nullable<Numeric>, _>(None::<Decimal>)
        .bind::<Bool, _>(false)
        .bind::<Bool, _>(false)
        .bind::<Nullable<Text>, _>(None::<&str>)
        .bind::<diesel::sql_types::Array<SqlUuid>, _>(ids)
        .load(conn)
        .await?)
}

/// What a product page adds to its list entry: description and order limit.
pub async fn page_details(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<(String, Option<i32>), StoreError> {
    use crate::schema::products;
    Ok(products::table
        .find(id)
        .select((products::description, products::max_per_order))
        .first(conn)
        .await?)
}
