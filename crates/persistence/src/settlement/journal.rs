//! The journal's entries and lines: written once, never changed (the
//! database refuses updates and checks each entry balances at commit).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Numeric, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::settlement::journal::Entry;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{journal_entries, journal_lines};

pub mod kind {
    /// A confirmed product order's earning.
    pub const EARNING: &str = "earning";
    /// A vendor order's shipping fee, with its first confirmation.
    pub const SHIPPING: &str = "shipping";
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = journal_entries)]
pub struct NewEntry<'a> {
    pub kind: &'a str,
    /// The event's name: an event posts once.
    pub source: String,
    pub payee_kind: &'a str,
    pub payee_id: Uuid,
    pub purchase_order_id: Option<Uuid>,
    pub seller_order_id: Option<Uuid>,
    pub product_order_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Insertable)]
#[diesel(table_name = journal_lines)]
struct NewLine {
    entry_id: i64,
    line_no: i16,
    account: &'static str,
    side: &'static str,
    amount: Decimal,
}

/// Posts `entry`; `None` when its event was posted before.
pub async fn post(
    conn: &mut AsyncPgConnection,
    header: &NewEntry<'_>,
    entry: &Entry,
) -> Result<Option<i64>, StoreError> {
    let id: Option<i64> = diesel::insert_into(journal_entries::table)
        .values(header)
        .on_conflict(journal_entries::source)
        .do_nothing()
        .returning(journal_entries::id)
        .get_result(conn)
        .await
        .optional()?;
    let Some(entry_id) = id else {
        return Ok(None);
    };
    let lines: Vec<NewLine> = entry
        .lines()
        .iter()
        .zip(1_i16..)
        .map(|(line, line_no)| NewLine {
            entry_id,
            line_no,
            account: line.account.code(),
            side: line.side.as_str(),
            amount: line.amount,
        })
        .collect();
    diesel::insert_into(journal_lines::table)
        .values(&lines)
        .execute(conn)
        .await?;
    Ok(Some(entry_id))
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

/// What the journal gets wrong (should be nothing): an entry whose lines do
/// not balance, a confirmed product order without its earning, an earning
/// of a line never confirmed, an earning whose sale differs from the
/// confirmation's, a vendor order with confirmed lines but no shipping
/// entry (or two), in `purchase_order_id` when given.
pub async fn mismatches(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Option<Uuid>,
) -> Result<Vec<Mismatch>, StoreError> {
    Ok(diesel::sql_query(
        "SELECT 'unbalanced entry' AS problem, e.id::text AS subject \
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id \
         WHERE $1::uuid IS NULL OR e.purchase_order_id = $1 \
         GROUP BY e.id HAVING sum(CASE l.side WHEN 'debit' THEN l.amount ELSE -l.amount END) <> 0 \
         UNION ALL \
         SELECT 'confirmed without earning', c.product_order_id::text FROM purchase_confirmations c \
         WHERE ($1::uuid IS NULL OR c.purchase_order_id = $1) AND NOT EXISTS ( \
             SELECT 1 FROM journal_entries e WHERE e.product_order_id = c.product_order_id AND e.kind = 'earning') \
         UNION ALL \
         SELECT 'earning without confirmation', e.product_order_id::text FROM journal_entries e \
         WHERE e.kind = 'earning' AND ($1::uuid IS NULL OR e.purchase_order_id = $1) AND NOT EXISTS ( \
             SELECT 1 FROM purchase_confirmations c WHERE c.product_order_id = e.product_order_id) \
         UNION ALL \
         SELECT 'earning differs from its confirmation', c.product_order_id::text \
         FROM purchase_confirmations c JOIN journal_entries e ON e.product_order_id = c.product_order_id \
              AND e.kind = 'earning' \
         WHERE ($1::uuid IS NULL OR c.purchase_order_id = $1) \
           AND (SELECT COALESCE(sum(l.amount), 0) FROM journal_lines l \
                WHERE l.entry_id = e.id AND l.account = 'payee_payable' AND l.side = 'credit') \
               <> c.list_amount - c.product_discount \
         UNION ALL \
         SELECT 'shipping posted ' || count(e.id) || ' times', so.id::text FROM seller_orders so \
         LEFT JOIN journal_entries e ON e.seller_order_id = so.id AND e.kind = 'shipping' \
         WHERE ($1::uuid IS NULL OR so.purchase_order_id = $1) \
           AND EXISTS (SELECT 1 FROM purchase_confirmations c WHERE c.seller_order_id = so.id) \
           AND so.shipping_fee > 0 \
         GROUP BY so.id HAVING count(e.id) <> 1",
    )
    .bind::<Nullable<SqlUuid>, _>(purchase_order_id)
    .load(conn)
    .await?)
}
