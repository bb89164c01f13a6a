//! The claims themselves: what was asked, the plan quoted for it, and
//! where it stands.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{claim_lines, claims, product_orders, purchase_orders};

/// Where a virtual-account payment's refund goes back (JSON of bank code,
/// account number and holder).
pub struct ClaimRefundAccount;
impl crypto::Field for ClaimRefundAccount {
    const COLUMN: &'static str = "claims.refund_account";
    const CLASS: crypto::DataClass = crypto::DataClass::Financial;
}

/// The statuses a claim can still move from.
pub const OPEN: [&str; 3] = ["requested", "approved", "received"];

/// SQL: whether an open claim names the product order aliased `p`.
pub const OPEN_CLAIM_ON_P: &str = "EXISTS (SELECT 1 FROM claim_lines cl JOIN claims c ON c.id = cl.claim_id \
     WHERE cl.product_order_id = p.id AND c.status IN ('requested', 'approved', 'received'))";

#[derive(Debug, Clone, Insertable, Queryable, Selectable)]
#[diesel(table_name = claims, check_for_backend(diesel::pg::Pg))]
pub struct ClaimRow {
    pub id: Uuid,
    pub purchase_order_id: Uuid,
    pub user_id: Option<Uuid>,
    pub kind: String,
    pub reason: String,
    pub fault: String,
    pub note: Option<String>,
    pub requested_by: String,
    pub status: String,
    pub held_back: bool,
    pub holdback_reason: Option<String>,
    pub decision_note: Option<String>,
    pub refund_payable: Decimal,
    pub refund_points: Decimal,
    pub refund_cash: Decimal,
    pub seller_coupon_released: Decimal,
    pub platform_coupon_released: Decimal,
    pub platform_seller_funded_released: Decimal,
    pub shipping_released: Decimal,
    pub fees_kept: Decimal,
    pub plan: serde_json::Value,
    pub received_at: Option<DateTime<Utc>>,
    pub refund_due: Option<NaiveDate>,
    pub executed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub exchange_sku_id: Option<Uuid>,
    pub exchange_from_sku_id: Option<Uuid>,
    pub exchange_price_difference: Option<Decimal>,
    pub exchange_fee: Option<Decimal>,
    pub refund_account: Option<crypto::Sealed<ClaimRefundAccount>>,
}

#[derive(Debug, Clone, Insertable, Queryable, Selectable)]
#[diesel(table_name = claim_lines, check_for_backend(diesel::pg::Pg))]
pub struct ClaimLineRow {
    pub claim_id: Uuid,
    pub product_order_id: Uuid,
    pub seller_order_id: Uuid,
    pub seller_id: Uuid,
    pub restocked: bool,
}

/// Records a claim and its lines. `false` when the order already has an
/// open claim (the unique index refused it).
pub async fn insert(
    conn: &mut AsyncPgConnection,
    claim: &ClaimRow,
    lines: &[ClaimLineRow],
) -> Result<bool, StoreError> {
    let inserted = diesel::insert_into(claims::table)
        .values(claim)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    if inserted == 0 {
        return Ok(false);
    }
    diesel::insert_into(claim_lines::table)
        .values(lines)
        .execute(conn)
        .await?;
    Ok(true)
}

/// Whether the order has a claim still open.
pub async fn open_on_order(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    Ok(claims::table
        .filter(claims::purchase_order_id.eq(purchase_order_id))
        .filter(claims::status.eq_any(OPEN))
        .select(claims::id)
        .first(conn)
        .await
        .optional()?)
}

/// A claim with its lines, locked; only the shopper's (`buyer`) or the
/// vendor's (`seller`, who must have a line in it) when given.
pub async fn lock(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    buyer: Option<&str>,
    seller: Option<Uuid>,
) -> Result<Option<(ClaimRow, Vec<ClaimLineRow>)>, StoreError> {
    let found = find(conn, id, buyer, seller).await?;
    if found.is_none() {
        return Ok(None);
    }
    let claim: ClaimRow = claims::table
        .find(id)
        .for_update()
        .select(ClaimRow::as_select())
        .first(conn)
        .await?;
    let lines = lines_of(conn, &[id]).await?;
    Ok(Some((claim, lines)))
}

/// A claim with its lines, if the caller may see it.
pub async fn find(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    buyer: Option<&str>,
    seller: Option<Uuid>,
) -> Result<Option<(ClaimRow, Vec<ClaimLineRow>)>, StoreError> {
    let mut query = claims::table
        .inner_join(purchase_orders::table)
        .filter(claims::id.eq(id))
        .select(ClaimRow::as_select())
        .into_boxed();
    if let Some(buyer) = buyer {
        query = query.filter(purchase_orders::buyer.eq(buyer.to_owned()));
    }
    if let Some(seller) = seller {
        let mine = claim_lines::table
            .filter(claim_lines::claim_id.eq(id))
            .filter(claim_lines::seller_id.eq(seller));
        query = query.filter(diesel::dsl::exists(mine));
    }
    let Some(claim) = query.first(conn).await.optional()? else {
        return Ok(None);
    };
    let lines = lines_of(conn, &[id]).await?;
    Ok(Some((claim, lines)))
}

async fn lines_of(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> Result<Vec<ClaimLineRow>, StoreError> {
    Ok(claim_lines::table
        .filter(claim_lines::claim_id.eq_any(ids))
        .order((claim_lines::claim_id, claim_lines::product_order_id))
        .select(ClaimLineRow::as_select())
        .load(conn)
        .await?)
}

/// Who is listing claims.
pub enum Lister<'a> {
    Buyer(&'a str),
    Seller(Uuid),
    Staff,
}

/// Which claims to list.
#[derive(Debug, Default, Clone, Copy)]
pub struct ClaimFilter<'a> {
    pub status: Option<&'a str>,
    /// Only received claims whose refund was due before this (Korean) date.
    pub refund_overdue_on: Option<NaiveDate>,
    /// The last claim id of the previous page.
    pub before: Option<Uuid>,
}

/// Claims newest first, at most `limit`.
pub async fn list(
    conn: &mut AsyncPgConnection,
    lister: Lister<'_>,
    filter: ClaimFilter<'_>,
    limit: i64,
) -> Result<Vec<(ClaimRow, Vec<ClaimLineRow>)>, StoreError> {
    let mut query = claims::table
        .inner_join(purchase_orders::table)
        .select(ClaimRow::as_select())
        .order(claims::id.desc())
        .limit(limit)
        .into_boxed();
    match lister {
        Lister::Buyer(buyer) => {
            query = query.filter(purchase_orders::buyer.eq(buyer.to_owned()));
        }
        Lister::Seller(seller) => {
            let mine = claim_lines::table
                .filter(claim_lines::seller_id.eq(seller))
                .select(claim_lines::claim_id);
            query = query.filter(claims::id.eq_any(mine));
        }
        Lister::Staff => {}
    }
    if let Some(status) = filter.status {
        query = query.filter(claims::status.eq(status.to_owned()));
    }
    if let Some(today) = filter.refund_overdue_on {
        query = query
            .filter(claims::status.eq("received"))
            .filter(claims::refund_due.lt(today));
    }
    if let Some(before) = filter.before {
        query = query.filter(claims::id.lt(before));
    }
    let rows: Vec<ClaimRow> = query.load(conn).await?;
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    let mut lines = lines_of(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|claim| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                lines.drain(..).partition(|line| line.claim_id == claim.id);
            lines = rest;
            (claim, mine)
        })
        .collect())
}

/// What changes with a step.
#[derive(Default)]
pub struct Step<'a> {
    pub status: &'a str,
    pub held_back: bool,
    pub holdback_reason: Option<&'a str>,
    pub decision_note: Option<&'a str>,
    pub received_at: Option<DateTime<Utc>>,
    pub refund_due: Option<NaiveDate>,
    pub executed_at: Option<DateTime<Utc>>,
}

/// Moves a locked claim on.
pub async fn record_step(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    step: &Step<'_>,
) -> Result<(), StoreError> {
    diesel::update(claims::table.find(id))
        .set((
            claims::status.eq(step.status),
            claims::held_back.eq(step.held_back),
            claims::holdback_reason.eq(step.holdback_reason),
            claims::decision_note.eq(step.decision_note),
            claims::received_at.eq(step.received_at),
            claims::refund_due.eq(step.refund_due),
            claims::executed_at.eq(step.executed_at),
            claims::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks returned units as back on sale.
pub async fn mark_restocked(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
    product_order_ids: &[Uuid],
) -> Result<(), StoreError> {
    diesel::update(
        claim_lines::table
            .filter(claim_lines::claim_id.eq(claim_id))
            .filter(claim_lines::product_order_id.eq_any(product_order_ids)),
    )
    .set(claim_lines::restocked.eq(true))
    .execute(conn)
    .await?;
    Ok(())
}

/// A claimed product order: what it is, and the units it holds.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_orders, check_for_backend(diesel::pg::Pg))]
pub struct ClaimedUnits {
    pub id: Uuid,
    pub product_name: String,
    pub sku_id: Uuid,
    pub quantity: i32,
}

/// The product orders claim lines name, for showing them and moving their
/// stock.
pub async fn claimed_units(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> Result<Vec<ClaimedUnits>, StoreError> {
    Ok(product_orders::table
        .filter(product_orders::id.eq_any(ids))
        .order(product_orders::id)
        .select(ClaimedUnits::as_select())
        .load(conn)
        .await?)
}
