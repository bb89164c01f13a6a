//! Payment attempts at providers, every exchange with them, and the
//! provider notifications already applied.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{payment_events, payments, provider_events};

pub mod status {
    pub const PENDING: &str = "pending";
    pub const CONFIRMING: &str = "confirming";
    pub const IN_DOUBT: &str = "in_doubt";
    pub const AWAITING_DEPOSIT: &str = "awaiting_deposit";
    pub const SUCCEEDED: &str = "succeeded";
    pub const FAILED: &str = "failed";
    pub const CANCELLING: &str = "cancelling";
    pub const CANCELLED: &str = "cancelled";
}

/// The unique index that keeps one live attempt per order.
pub const ONE_ACTIVE_PER_ORDER: &str = "payments_one_active_per_order";
/// The unique index that keeps one live attempt per wallet charge.
pub const ONE_ACTIVE_PER_CHARGE: &str = "payments_one_active_per_charge";
/// The unique index on the provider's payment key.
pub const PROVIDER_PAYMENT_KEY: &str = "payments_provider_payment_key";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct PaymentRow {
    pub id: Uuid,
    pub purchase_order_id: Option<Uuid>,
    pub wallet_charge_id: Option<Uuid>,
    pub buyer: String,
    pub provider: String,
    pub status: String,
    pub amount: Decimal,
    pub currency: String,
    pub provider_payment_id: Option<String>,
    pub provider_capture_id: Option<String>,
    pub method: Option<String>,
    pub cancelled_amount: Decimal,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub deposit_due_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = payments)]
pub struct NewPayment<'a> {
    pub id: Uuid,
    pub purchase_order_id: Option<Uuid>,
    pub wallet_charge_id: Option<Uuid>,
    pub buyer: &'a str,
    pub provider: &'a str,
    pub status: &'a str,
    pub amount: Decimal,
    pub currency: &'a str,
    pub provider_payment_id: Option<&'a str>,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewPayment<'_>) -> Result<(), StoreError> {
    diesel::insert_into(payments::table)
        .values(new)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<PaymentRow>, StoreError> {
    Ok(payments::table
        .find(id)
        .select(PaymentRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// The attempt, locked for the caller's transaction.
pub async fn lock(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<PaymentRow>, StoreError> {
    Ok(payments::table
        .find(id)
        .for_update()
        .select(PaymentRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// The attempt that holds a provider's payment key.
pub async fn find_by_provider_key(
    conn: &mut AsyncPgConnection,
    provider: &str,
    provider_payment_id: &str,
) -> Result<Option<PaymentRow>, StoreError> {
    Ok(payments::table
        .filter(payments::provider.eq(provider))
        .filter(payments::provider_payment_id.eq(provider_payment_id))
        .select(PaymentRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// An order's attempts, newest first (the buyer's own when `buyer` is given).
pub async fn of_order(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
) -> Result<Vec<PaymentRow>, StoreError> {
    Ok(payments::table
        .filter(payments::purchase_order_id.eq(purchase_order_id))
        .order(payments::created_at.desc())
        .select(PaymentRow::as_select())
        .load(conn)
        .await?)
}

/// A wallet charge's attempts, newest first.
pub async fn of_charge(
    conn: &mut AsyncPgConnection,
    wallet_charge_id: Uuid,
) -> Result<Vec<PaymentRow>, StoreError> {
    Ok(payments::table
        .filter(payments::wallet_charge_id.eq(wallet_charge_id))
        .order(payments::created_at.desc())
        .select(PaymentRow::as_select())
        .load(conn)
        .await?)
}

/// Ends every `pending` attempt of an order (nothing was charged by them)
/// so that another may start; returns how many.
pub async fn supersede_pending(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        payments::table
            .filter(payments::purchase_order_id.eq(purchase_order_id))
            .filter(payments::status.eq(status::PENDING)),
    )
    .set((
        payments::status.eq(status::FAILED),
        payments::failure_code.eq("superseded"),
        payments::failure_message.eq("another payment attempt started"),
        payments::updated_at.eq(Utc::now()),
    ))
    .execute(conn)
    .await?)
}

/// What a change of an attempt's state sets besides the status.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = payments)]
pub struct Transition<'a> {
    pub provider_payment_id: Option<&'a str>,
    pub provider_capture_id: Option<&'a str>,
    pub method: Option<&'a str>,
    pub cancelled_amount: Option<Decimal>,
    pub failure_code: Option<&'a str>,
    pub failure_message: Option<&'a str>,
    pub deposit_due_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
}

pub async fn transition(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    to: &str,
    change: &Transition<'_>,
) -> Result<(), StoreError> {
    diesel::update(payments::table.find(id))
        .set((
            payments::status.eq(to),
            payments::updated_at.eq(Utc::now()),
            change,
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Appends a step of the attempt with the provider's (masked) answer.
pub async fn record_event(
    conn: &mut AsyncPgConnection,
    payment_id: Uuid,
    kind: &str,
    outcome: &str,
    answer: Option<&serde_json::Value>,
) -> Result<(), StoreError> {
    diesel::insert_into(payment_events::table)
        .values((
            payment_events::payment_id.eq(payment_id),
            payment_events::kind.eq(kind),
            payment_events::outcome.eq(outcome),
            payment_events::answer.eq(answer),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Queryable)]
pub struct EventRow {
    pub kind: String,
    pub outcome: String,
    pub answer: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

pub async fn events(
    conn: &mut AsyncPgConnection,
    payment_id: Uuid,
) -> Result<Vec<EventRow>, StoreError> {
    Ok(payment_events::table
        .filter(payment_events::payment_id.eq(payment_id))
        .order(payment_events::id.asc())
        .select((
            payment_events::kind,
            payment_events::outcome,
            payment_events::answer,
            payment_events::created_at,
        ))
        .load(conn)
        .await?)
}

/// Attempts whose outcome reconciliation must learn from the provider: in
/// doubt, to be cancelled, awaiting a deposit, or confirming for longer
/// than `stalled_before` (the process that called the provider died).
pub async fn unsettled(
    conn: &mut AsyncPgConnection,
    stalled_before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<PaymentRow>, StoreError> {
    Ok(payments::table
        .filter(
            payments::status
                .eq_any([
                    status::IN_DOUBT,
                    status::CANCELLING,
                    status::AWAITING_DEPOSIT,
                ])
                .or(payments::status
                    .eq(status::CONFIRMING)
                    .and(payments::updated_at.lt(stalled_before))),
        )
        .order(payments::updated_at.asc())
        .limit(limit)
        .select(PaymentRow::as_select())
        .load(conn)
        .await?)
}

/// Ends `pending` attempts created before `before` or whose order can no
/// longer be paid; returns how many.
pub async fn expire_pending(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
) -> Result<usize, StoreError> {
    use crate::schema::purchase_orders;
    let unpayable = purchase_orders::table
        .filter(purchase_orders::status.ne("pending_payment"))
        .select(purchase_orders::id.nullable());
    Ok(diesel::update(
        payments::table
            .filter(payments::status.eq(status::PENDING))
            .filter(
                payments::created_at
                    .lt(before)
                    .or(payments::purchase_order_id.eq_any(unpayable)),
            ),
    )
    .set((
        payments::status.eq(status::FAILED),
        payments::failure_code.eq("expired"),
        payments::failure_message.eq("the payment was not approved in time"),
        payments::updated_at.eq(Utc::now()),
    ))
    .execute(conn)
    .await?)
}

/// Stores a provider notification's id; `false` if it was stored before
/// (the notification was applied already).
pub async fn remember_provider_event(
    conn: &mut AsyncPgConnection,
    provider: &str,
    event_id: &str,
    kind: &str,
) -> Result<bool, StoreError> {
    let inserted = diesel::insert_into(provider_events::table)
        .values((
            provider_events::provider.eq(provider),
            provider_events::event_id.eq(event_id),
            provider_events::kind.eq(kind),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}
