//! Commission rules and their periods.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Nullable, Numeric, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{commission_rules, product_order_commissions};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = commission_rules, check_for_backend(diesel::pg::Pg))]
pub struct RuleRow {
    pub id: i64,
    pub payee_kind: String,
    pub payee_id: Uuid,
    pub category_id: Option<i64>,
    pub rate: Decimal,
    pub vat_rate: Decimal,
    pub effective_from: DateTime<Utc>,
    pub effective_until: Option<DateTime<Utc>>,
    pub set_by: Option<Uuid>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// A rule in force that may apply to products of `leaf_category_id`:
/// `levels_up` above it, or the payee's base (both `None`).
#[derive(Debug, Clone, QueryableByName)]
pub struct CandidateRow {
    #[diesel(sql_type = SqlUuid)]
    pub payee_id: Uuid,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub leaf_category_id: Option<i64>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub levels_up: Option<i32>,
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub category_id: Option<i64>,
    #[diesel(sql_type = Numeric)]
    pub rate: Decimal,
    #[diesel(sql_type = Numeric)]
    pub vat_rate: Decimal,
}

/// The rules in force `at` for `payee_ids`' products in
/// `leaf_category_ids`: each payee's base, and each override on one of
/// those categories or their ancestors.
pub async fn candidates(
    conn: &mut AsyncPgConnection,
    payee_ids: &[Uuid],
    leaf_category_ids: &[i64],
    at: DateTime<Utc>,
) -> Result<Vec<CandidateRow>, StoreError> {
    Ok(diesel::sql_query(
        "WITH RECURSIVE chain (leaf, id, parent_id, up) AS ( \
             SELECT id, id, parent_id, 0 FROM categories WHERE id = ANY($2) \
             UNION ALL \
             SELECT chain.leaf, c.id, c.parent_id, chain.up + 1 \
             FROM chain JOIN categories c ON c.id = chain.parent_id) \
         SELECT r.payee_id, chain.leaf AS leaf_category_id, chain.up AS levels_up, r.id, r.category_id, \
                r.rate, r.vat_rate \
         FROM commission_rules r LEFT JOIN chain ON chain.id = r.category_id \
         WHERE r.payee_id = ANY($1) AND r.effective_from <= $3 \
           AND (r.effective_until IS NULL OR r.effective_until > $3) \
           AND (r.category_id IS NULL OR chain.id IS NOT NULL)",
    )
    .bind::<Array<SqlUuid>, _>(payee_ids)
    .bind::<Array<BigInt>, _>(leaf_category_ids)
    .bind::<Timestamptz, _>(at)
    .load(conn)
    .await?)
}

/// Serialises changes to one payee's rules until the transaction ends.
pub async fn lock_payee(conn: &mut AsyncPgConnection, payee_id: Uuid) -> Result<(), StoreError> {
    crate::kernel::locks::hold(conn, &format!("commission:{payee_id}")).await
}

/// The periods of a payee's rule for `category_id` (the base for `None`)
/// that are in force or scheduled at `at`, oldest first.
pub async fn periods(
    conn: &mut AsyncPgConnection,
    payee_id: Uuid,
    category_id: Option<i64>,
    at: DateTime<Utc>,
) -> Result<Vec<RuleRow>, StoreError> {
    let mut query = commission_rules::table
        .filter(commission_rules::payee_id.eq(payee_id))
        .filter(
            commission_rules::effective_until
                .is_null()
                .or(commission_rules::effective_until.gt(at)),
        )
        .select(RuleRow::as_select())
        .order(commission_rules::effective_from)
        .into_boxed();
    query = match category_id {
        Some(category) => query.filter(commission_rules::category_id.eq(category)),
        None => query.filter(commission_rules::category_id.is_null()),
    };
    Ok(query.load(conn).await?)
}

/// Ends a period at `until`.
pub async fn close(
    conn: &mut AsyncPgConnection,
    id: i64,
    until: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(commission_rules::table.find(id))
        .set((
            commission_rules::effective_until.eq(until),
            commission_rules::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Drops periods that never came into force.
pub async fn drop_scheduled(conn: &mut AsyncPgConnection, ids: &[i64]) -> Result<(), StoreError> {
    if !ids.is_empty() {
        diesel::delete(commission_rules::table.filter(commission_rules::id.eq_any(ids)))
            .execute(conn)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = commission_rules)]
pub struct NewRule<'a> {
    pub payee_kind: &'a str,
    pub payee_id: Uuid,
    pub category_id: Option<i64>,
    pub rate: Decimal,
    pub vat_rate: Decimal,
    pub effective_from: DateTime<Utc>,
    pub set_by: Option<Uuid>,
    pub reason: &'a str,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    rule: &NewRule<'_>,
) -> Result<RuleRow, StoreError> {
    Ok(diesel::insert_into(commission_rules::table)
        .values(rule)
        .returning(RuleRow::as_returning())
        .get_result(conn)
        .await?)
}

/// A payee's rules, newest period first; with `current_at`, only those in
/// force or scheduled then.
pub async fn of_payee(
    conn: &mut AsyncPgConnection,
    payee_id: Uuid,
    current_at: Option<DateTime<Utc>>,
) -> Result<Vec<RuleRow>, StoreError> {
    let mut query = commission_rules::table
        .filter(commission_rules::payee_id.eq(payee_id))
        .select(RuleRow::as_select())
        .order((
            commission_rules::category_id.asc().nulls_first(),
            commission_rules::effective_from.desc(),
        ))
        .into_boxed();
    if let Some(at) = current_at {
        query = query.filter(
            commission_rules::effective_until
                .is_null()
                .or(commission_rules::effective_until.gt(at)),
        );
    }
    Ok(query.load(conn).await?)
}

/// The rule a product order took at placement.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = product_order_commissions)]
pub struct FrozenCommission {
    pub product_order_id: Uuid,
    pub rule_id: i64,
    pub rate: Decimal,
    pub vat_rate: Decimal,
}

pub async fn freeze(
    conn: &mut AsyncPgConnection,
    lines: &[FrozenCommission],
) -> Result<(), StoreError> {
    diesel::insert_into(product_order_commissions::table)
        .values(lines)
        .execute(conn)
        .await?;
    Ok(())
}
