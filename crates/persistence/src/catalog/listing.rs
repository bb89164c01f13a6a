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
use crate::infra::reusable_sql::Reusable;

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

/// The text of the filters in use, their parameters numbered from `$1` in
/// the order [`bind_filters`] binds them; returns the next free number.
/// Filters not in use are left out of the text rather than written as
/// `($n IS NULL OR …)`, so each combination is its own prepared statement
/// whose generic plan can use the indexes.
fn filter_sql(filter: &ListingFilter, sql: &mut String) -> usize {
    let mut n = 1;
    let mut next = || {
        let this = n;
        n += 1;
        this
    };
    if filter.category_id.is_some() {
        let c = next();
        sql.push_str(&format!(
            " AND p.category_id IN (SELECT c.id FROM categories c \
             LEFT JOIN categories pc ON pc.id = c.parent_id \
             WHERE c.id = ${c} OR c.parent_id = ${c} OR pc.parent_id = ${c})"
        ));
    }
    if filter.brand_id.is_some() {
        sql.push_str(&format!(" AND p.brand_id = ${}", next()));
    }
    if filter.seller_id.is_some() {
        sql.push_str(&format!(" AND p.seller_id = ${}", next()));
    }
    if filter.min_price.is_some() {
        sql.push_str(&format!(" AND st.price_now >= ${}", next()));
    }
    if filter.max_price.is_some() {
        sql.push_str(&format!(" AND st.price_now <= ${}", next()));
    }
    if filter.on_sale {
        sql.push_str(" AND st.on_sale_now");
    }
    if filter.in_stock {
        sql.push_str(" AND st.in_stock");
    }
    if filter.pattern.is_some() {
        let q = next();
        sql.push_str(&format!(
            " AND (p.name ILIKE ${q} OR p.description ILIKE ${q} OR b.name ILIKE ${q})"
        ));
    }
    n
}

/// `sql` with the filters in use bound, in [`filter_sql`]'s order; further
/// binds follow.
fn bind_filters<'a>(sql: &str, filter: &'a ListingFilter) -> BoxedSqlQuery<'a, Pg, SqlQuery> {
    let mut query = diesel::sql_query(sql).into_boxed();
    if let Some(category_id) = filter.category_id {
        query = query.bind::<BigInt, _>(category_id);
    }
    if let Some(brand_id) = filter.brand_id {
        query = query.bind::<BigInt, _>(brand_id);
    }
    if let Some(seller_id) = filter.seller_id {
        query = query.bind::<SqlUuid, _>(seller_id);
    }
    if let Some(min_price) = filter.min_price {
        query = query.bind::<Numeric, _>(min_price);
    }
    if let Some(max_price) = filter.max_price {
        query = query.bind::<Numeric, _>(max_price);
    }
    if let Some(pattern) = &filter.pattern {
        query = query.bind::<Text, _>(pattern.as_str());
    }
    query
}

/// The columns of a list entry.
const CARD_COLUMNS: &str = "p.id, p.name, p.seller_id, s.name AS seller_name, p.brand_id, b.name AS brand_name, \
    p.category_id, p.status, p.adult_only, st.price_now AS price, p.min_price AS list_price, st.in_stock, \
    st.on_sale_now AS on_sale, st.review_count, st.rating_sum, st.like_count, st.popularity, p.created_at, \
    st.thumbnail_key";

/// Page sizes written into the list's text (the default page, and one more
/// row in cursor mode): with no parameter left in an unfiltered first page,
/// PostgreSQL plans it once per connection. A `LIMIT` or `OFFSET`
/// parameter would make it choose a fresh custom plan on every execution.
const INLINE_LIMITS: [i64; 2] = [20, 21];

/// The statement of [`list`]: the filters in use (see [`filter_sql`]),
/// then the cursor's key and id when paging by cursor, then the limit
/// unless it is written in (see [`INLINE_LIMITS`]), then the offset unless
/// it is zero; public so the benchmark runs exactly this SQL.
pub fn list_sql(
    filter: &ListingFilter,
    sort: ListingSort,
    by_cursor: bool,
    limit: i64,
    offset: i64,
) -> String {
    let (key, direction, key_type) = sort.key();
    let comparison = if direction == "DESC" { "<" } else { ">" };
    let mut sql = format!("SELECT {CARD_COLUMNS}, ({key})::text AS sort_key {LISTED}");
    let mut n = filter_sql(filter, &mut sql);
    if by_cursor {
        sql.push_str(&format!(
            " AND ({key}, p.id) {comparison} (${n}::{key_type}, ${}::uuid)",
            n + 1
        ));
        n += 2;
    }
    sql.push_str(&format!(" ORDER BY {key} {direction}, p.id {direction}"));
    if INLINE_LIMITS.contains(&limit) {
        sql.push_str(&format!(" LIMIT {limit}"));
    } else {
        sql.push_str(&format!(" LIMIT ${n}"));
        n += 1;
    }
    if offset != 0 {
        sql.push_str(&format!(" OFFSET ${n}"));
    }
    sql
}

/// The statement of [`count`]: the filters in use, as in [`list_sql`].
pub fn count_sql(filter: &ListingFilter) -> String {
    let mut sql = format!("SELECT count(*) AS total {LISTED}");
    filter_sql(filter, &mut sql);
    sql
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
    let sql = list_sql(filter, sort, after.is_some(), limit, offset);
    let mut query = bind_filters(&sql, filter);
    if let Some(after) = after {
        query = query
            .bind::<Text, _>(after.key.as_str())
            .bind::<SqlUuid, _>(after.id);
    }
    if !INLINE_LIMITS.contains(&limit) {
        query = query.bind::<BigInt, _>(limit);
    }
    if offset != 0 {
        query = query.bind::<BigInt, _>(offset);
    }
    Ok(Reusable::composed(&sql, query).load(conn).await?)
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
    let sql = count_sql(filter);
    let row: Count = Reusable::composed(&sql, bind_filters(&sql, filter))
        .get_result(conn)
        .await?;
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
    Ok(
        Reusable::fixed(diesel::sql_query(product_sql()).bind::<SqlUuid, _>(id))
            .get_result(conn)
            .await
            .optional()?,
    )
}

/// Listed products among `ids` (in no particular order; unlisted ones are
/// left out), in one statement.
pub async fn find_listed_many(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> Result<Vec<ListedProduct>, StoreError> {
    let sql = format!("SELECT {CARD_COLUMNS}, p.id::text AS sort_key {LISTED} AND p.id = ANY($1)");
    Ok(
        Reusable::fixed(diesel::sql_query(sql).bind::<diesel::sql_types::Array<SqlUuid>, _>(ids))
            .load(conn)
            .await?,
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The highest `$n` of a statement.
    fn parameters(sql: &str) -> usize {
        sql.split('$')
            .skip(1)
            .filter_map(|rest| {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn statements_number_exactly_the_parameters_bound() {
        let every = ListingFilter {
            category_id: Some(1),
            brand_id: Some(2),
            seller_id: Some(Uuid::nil()),
            min_price: Some(Decimal::ONE),
            max_price: Some(Decimal::TEN),
            on_sale: true,
            in_stock: true,
            pattern: Some("%a%".into()),
        };
        let price_only = ListingFilter {
            min_price: Some(Decimal::ONE),
            ..ListingFilter::default()
        };
        // Filters bound as values: every `Some` (the flags are text only).
        for (filter, bound) in [(ListingFilter::default(), 0), (price_only, 1), (every, 6)] {
            assert_eq!(parameters(&count_sql(&filter)), bound);
            let list = |by_cursor, limit, offset| {
                parameters(&list_sql(
                    &filter,
                    ListingSort::Popular,
                    by_cursor,
                    limit,
                    offset,
                ))
            };
            assert_eq!(list(false, 20, 0), bound, "first default page");
            assert_eq!(list(false, 20, 40), bound + 1);
            assert_eq!(list(false, 7, 0), bound + 1);
            assert_eq!(list(false, 7, 7), bound + 2);
            assert_eq!(list(true, 21, 0), bound + 2);
            assert_eq!(list(true, 8, 0), bound + 3);
        }
        let unfiltered = list_sql(&ListingFilter::default(), ListingSort::Newest, false, 20, 0);
        assert!(!unfiltered.contains('$'), "{unfiltered}");
    }
}
