//! The journal's entries and lines: written once, never changed (the
//! database refuses updates and checks each entry balances at commit).

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{
    Array, BigInt, Nullable, Numeric, SmallInt, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::settlement::journal::{Entry, EntryKind};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{journal_entries, journal_lines};

#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub kind: EntryKind,
    /// The event's name: an event posts once.
    pub source: String,
    pub payee_kind: &'a str,
    pub payee_id: Uuid,
    pub purchase_order_id: Option<Uuid>,
    pub seller_order_id: Option<Uuid>,
    pub product_order_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    /// Set only on a payout, which belongs to its batch from the start.
    pub payout_batch_id: Option<i64>,
}

/// Posts `entry` (which has lines) with its lines, in one statement; `None`
/// when its event was posted before.
pub async fn post(
    conn: &mut AsyncPgConnection,
    header: &NewEntry<'_>,
    entry: &Entry,
) -> Result<Option<i64>, StoreError> {
    #[derive(QueryableByName)]
    struct Posted {
        #[diesel(sql_type = BigInt)]
        entry_id: i64,
    }
    let lines = entry.lines();
    let line_nos: Vec<i16> = (1..).take(lines.len()).collect();
    let accounts: Vec<&str> = lines.iter().map(|l| l.account.code()).collect();
    let sides: Vec<&str> = lines.iter().map(|l| l.side.as_str()).collect();
    let amounts: Vec<Decimal> = lines.iter().map(|l| l.amount).collect();
    let posted: Vec<Posted> = diesel::sql_query(
        "WITH e AS (INSERT INTO journal_entries (kind, source, payee_kind, payee_id, purchase_order_id, \
                    seller_order_id, product_order_id, occurred_at, payout_batch_id) \
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                    ON CONFLICT (source) DO NOTHING RETURNING id) \
         INSERT INTO journal_lines (entry_id, line_no, account, side, amount) \
         SELECT e.id, l.line_no, l.account, l.side, l.amount \
         FROM e, unnest($10::int2[], $11::text[], $12::text[], $13::numeric[]) AS l(line_no, account, side, amount) \
         RETURNING entry_id",
    )
    .bind::<Text, _>(header.kind.as_str())
    .bind::<Text, _>(&header.source)
    .bind::<Text, _>(header.payee_kind)
    .bind::<SqlUuid, _>(header.payee_id)
    .bind::<Nullable<SqlUuid>, _>(header.purchase_order_id)
    .bind::<Nullable<SqlUuid>, _>(header.seller_order_id)
    .bind::<Nullable<SqlUuid>, _>(header.product_order_id)
    .bind::<Timestamptz, _>(header.occurred_at)
    .bind::<Nullable<BigInt>, _>(header.payout_batch_id)
    .bind::<Array<SmallInt>, _>(line_nos)
    .bind::<Array<Text>, _>(accounts)
    .bind::<Array<Text>, _>(sides)
    .bind::<Array<Numeric>, _>(amounts)
    .load(conn)
    .await?;
    Ok(posted.into_iter().next().map(|row| row.entry_id))
}

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct AccountTotals {
    #[diesel(sql_type = Text)]
    pub account: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub normal_side: String,
    #[diesel(sql_type = Numeric)]
    pub debits: Decimal,
    #[diesel(sql_type = Numeric)]
    pub credits: Decimal,
}

/// Every account's debits and credits, in the chart's order; restricted
/// to entries that occurred before `until` when given.
pub async fn trial_balance(
    conn: &mut AsyncPgConnection,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<AccountTotals>, StoreError> {
    Ok(diesel::sql_query(
        "SELECT a.code AS account, a.name, a.normal_side, \
                COALESCE(sum(l.amount) FILTER (WHERE l.side = 'debit'), 0) AS debits, \
                COALESCE(sum(l.amount) FILTER (WHERE l.side = 'credit'), 0) AS credits \
         FROM journal_accounts a \
         LEFT JOIN (journal_lines l JOIN journal_entries e ON e.id = l.entry_id \
                    AND ($1::timestamptz IS NULL OR e.occurred_at < $1)) ON l.account = a.code \
         GROUP BY a.code, a.name, a.normal_side ORDER BY a.code",
    )
    .bind::<Nullable<Timestamptz>, _>(until)
    .load(conn)
    .await?)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = journal_entries, check_for_backend(diesel::pg::Pg))]
pub struct EntryRow {
    pub id: i64,
    pub kind: String,
    pub source: String,
    pub payee_kind: String,
    pub payee_id: Uuid,
    pub purchase_order_id: Option<Uuid>,
    pub seller_order_id: Option<Uuid>,
    pub product_order_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    pub payout_batch_id: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = journal_lines, check_for_backend(diesel::pg::Pg))]
pub struct LineRow {
    pub entry_id: i64,
    pub line_no: i16,
    pub account: String,
    pub side: String,
    pub amount: Decimal,
}

/// Which entries a journal query selects.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub payee_id: Option<Uuid>,
    pub purchase_order_id: Option<Uuid>,
    pub product_order_id: Option<Uuid>,
    /// Entries with a smaller id (the previous page's last).
    pub before: Option<i64>,
}

/// Entries matching `filter`, newest first, with their lines.
pub async fn entries(
    conn: &mut AsyncPgConnection,
    filter: &EntryFilter,
    limit: i64,
) -> Result<Vec<(EntryRow, Vec<LineRow>)>, StoreError> {
    let mut query = journal_entries::table
        .select(EntryRow::as_select())
        .order(journal_entries::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(payee) = filter.payee_id {
        query = query.filter(journal_entries::payee_id.eq(payee));
    }
    if let Some(order) = filter.purchase_order_id {
        query = query.filter(journal_entries::purchase_order_id.eq(order));
    }
    if let Some(line) = filter.product_order_id {
        query = query.filter(journal_entries::product_order_id.eq(line));
    }
    if let Some(before) = filter.before {
        query = query.filter(journal_entries::id.lt(before));
    }
    let entries: Vec<EntryRow> = query.load(conn).await?;
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let lines: Vec<LineRow> = journal_lines::table
        .filter(journal_lines::entry_id.eq_any(&ids))
        .select(LineRow::as_select())
        .order((journal_lines::entry_id, journal_lines::line_no))
        .load(conn)
        .await?;
    Ok(entries
        .into_iter()
        .map(|entry| {
            let own = lines
                .iter()
                .filter(|l| l.entry_id == entry.id)
                .cloned()
                .collect();
            (entry, own)
        })
        .collect())
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Mismatch {
    #[diesel(sql_type = Text)]
    pub problem: String,
    #[diesel(sql_type = Text)]
    pub subject: String,
}

/// Entries whose lines do not balance (should be none: the database checks
/// each at commit), in `purchase_order_id` when given.
pub async fn unbalanced(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Option<Uuid>,
) -> Result<Vec<Mismatch>, StoreError> {
    let sql = "SELECT 'unbalanced entry' AS problem, e.id::text AS subject \
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
         WHERE {order} \
         GROUP BY e.id HAVING sum(CASE l.side WHEN 'debit' THEN l.amount ELSE -l.amount END) <> 0";
    Ok(
        of_order(sql, "e.purchase_order_id", purchase_order_id, "TRUE")
            .load(conn)
            .await?,
    )
}

/// A confirmed product order as settlement prices it now: its current
/// shares (claims may have re-priced them), the commission frozen at
/// placement, and whether a claim took it back.
#[derive(Debug, Clone, QueryableByName)]
pub struct ConfirmedLineRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub purchase_order_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub seller_order_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub seller_id: Uuid,
    #[diesel(sql_type = Numeric)]
    pub list_amount: Decimal,
    #[diesel(sql_type = Numeric)]
    pub product_discount: Decimal,
    #[diesel(sql_type = Numeric)]
    pub seller_coupon_discount: Decimal,
    #[diesel(sql_type = Numeric)]
    pub platform_coupon_discount: Decimal,
    #[diesel(sql_type = Numeric)]
    pub platform_coupon_seller_funded: Decimal,
    #[diesel(sql_type = Numeric)]
    pub commission_rate: Decimal,
    #[diesel(sql_type = Numeric)]
    pub commission_vat_rate: Decimal,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub taken_back: bool,
}

/// A vendor order as settlement sees it: what buyers paid for its shipping
/// and the fees claims kept for it, and whether it is due (a line
/// confirmed, or every line taken back by claims).
#[derive(Debug, Clone, QueryableByName)]
pub struct VendorOrderRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub purchase_order_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub seller_id: Uuid,
    #[diesel(sql_type = Numeric)]
    pub collected: Decimal,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub due: bool,
}

/// What is posted for one product order (or, without one, one vendor
/// order's shipping) on one account: debits less credits.
#[derive(Debug, Clone, QueryableByName)]
pub struct PostedRow {
    #[diesel(sql_type = SqlUuid)]
    pub purchase_order_id: Uuid,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub product_order_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub seller_order_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    pub account: String,
    #[diesel(sql_type = Numeric)]
    pub net: Decimal,
}

/// An order's state as settlement reads it (every order's when `None`).
#[derive(Debug, Clone, Default)]
pub struct OrderState {
    pub lines: Vec<ConfirmedLineRow>,
    pub vendor_orders: Vec<VendorOrderRow>,
    pub posted: Vec<PostedRow>,
}

/// `sql` with its `{order}` condition on `column`: equal to the order's id
/// when given, else `every`. Two statements rather than one `$1 IS NULL OR`
/// condition, which a generic plan (ADR 0015) could only answer by reading
/// every row.
fn of_order(
    sql: &str,
    column: &str,
    purchase_order_id: Option<Uuid>,
    every: &str,
) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
    match purchase_order_id {
        Some(id) => diesel::sql_query(sql.replace("{order}", &format!("{column} = $1")))
            .into_boxed()
            .bind::<SqlUuid, _>(id),
        None => diesel::sql_query(sql.replace("{order}", every)).into_boxed(),
    }
}

pub async fn order_state(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Option<Uuid>,
) -> Result<OrderState, StoreError> {
    let lines = of_order(
        "SELECT p.id, p.purchase_order_id, p.seller_order_id, p.seller_id, p.list_amount, p.product_discount, \
                p.seller_coupon_discount, p.platform_coupon_discount, p.platform_coupon_seller_funded, \
                t.rate AS commission_rate, t.vat_rate AS commission_vat_rate, p.claim_id IS NOT NULL AS taken_back \
         FROM purchase_confirmations c \
         JOIN product_orders p ON p.id = c.product_order_id \
         JOIN product_order_commissions t ON t.product_order_id = p.id \
         WHERE {order} ORDER BY p.id",
        "c.purchase_order_id",
        purchase_order_id,
        "TRUE",
    )
    .load(conn)
    .await?;
    let vendor_orders = of_order(
        "SELECT so.id, so.purchase_order_id, so.seller_id, so.shipping_fee + so.claim_fees AS collected, \
                (EXISTS (SELECT 1 FROM purchase_confirmations c WHERE c.seller_order_id = so.id) \
                 OR NOT EXISTS (SELECT 1 FROM product_orders p WHERE p.seller_order_id = so.id \
                                AND p.claim_id IS NULL)) AS due \
         FROM seller_orders so \
         WHERE {order} \
           AND (EXISTS (SELECT 1 FROM purchase_confirmations c WHERE c.seller_order_id = so.id) \
                OR EXISTS (SELECT 1 FROM product_orders p WHERE p.seller_order_id = so.id \
                           AND p.claim_id IS NOT NULL) \
                OR EXISTS (SELECT 1 FROM journal_entries e WHERE e.seller_order_id = so.id)) \
         ORDER BY so.id",
        "so.purchase_order_id",
        purchase_order_id,
        "TRUE",
    )
    .load(conn)
    .await?;
    let posted = of_order(
        "SELECT e.purchase_order_id, e.product_order_id, \
                CASE WHEN e.product_order_id IS NULL THEN e.seller_order_id END AS seller_order_id, \
                l.account, sum(CASE l.side WHEN 'debit' THEN l.amount ELSE -l.amount END) AS net \
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
         WHERE {order} \
         GROUP BY 1, 2, 3, 4",
        "e.purchase_order_id",
        purchase_order_id,
        "e.purchase_order_id IS NOT NULL",
    )
    .load(conn)
    .await?;
    Ok(OrderState {
        lines,
        vendor_orders,
        posted,
    })
}

/// Serialises settling one order: what is posted is read and added to by
/// one transaction at a time.
pub async fn lock_order(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
) -> Result<(), StoreError> {
    crate::kernel::locks::hold(conn, &format!("settle:{purchase_order_id}")).await
}
