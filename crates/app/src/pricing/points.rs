//! Points: members' balances derived from the ledger; grants by operations.

use chrono::{DateTime, Duration, Utc};
use diesel_async::AsyncConnection;
use domain::money::{Currency, check_amount};
use persistence::{StoreError, pricing::points};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::text_fields;
use crate::{AppError, Context};

pub struct PointsView {
    pub balance: Decimal,
    /// Unexpired lots with what is left, soonest to expire first.
    pub lots: Vec<points::Lot>,
    /// The latest entries, newest first.
    pub history: Vec<points::Entry>,
}

pub async fn view(context: &Context, user_id: Uuid) -> Result<PointsView, AppError> {
    let mut conn = context.db.get().await?;
    let lots = points::open_lots(&mut conn, user_id, Utc::now()).await?;
    let history = points::history(&mut conn, user_id, 100).await?;
    Ok(PointsView {
        balance: lots.iter().map(|l| l.remaining).sum(),
        lots,
        history,
    })
}

/// A grant by operations (points, bonus cash), checked: a positive whole
/// amount, 1 to 3650 days of validity, a reason.
pub(crate) struct GrantTerms {
    pub amount: Decimal,
    pub expires_at: DateTime<Utc>,
    pub reason: String,
}

impl GrantTerms {
    pub(crate) fn check(amount: Decimal, valid_days: u32, reason: &str) -> Result<Self, AppError> {
        let amount = check_amount(Currency::Krw, amount)
            .map_err(|e| AppError::invalid("amount", "invalid_amount", e.to_string()))?;
        if amount.is_zero() {
            return Err(AppError::invalid(
                "amount",
                "invalid_amount",
                "must be above zero",
            ));
        }
        if !(1..=3650).contains(&valid_days) {
            return Err(AppError::invalid(
                "valid_days",
                "out_of_range",
                "between 1 and 3650",
            ));
        }
        Ok(Self {
            amount,
            expires_at: Utc::now() + Duration::days(i64::from(valid_days)),
            reason: text_fields::required("reason", reason, 200)?,
        })
    }
}

/// Grants points to a member, expiring after `valid_days`.
pub async fn grant(
    context: &Context,
    caller: &StaffPrincipal,
    user_id: Uuid,
    amount: Decimal,
    valid_days: u32,
    reason: &str,
) -> Result<i64, AppError> {
    let GrantTerms {
        amount,
        expires_at,
        reason,
    } = GrantTerms::check(amount, valid_days, reason)?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let lot = points::grant(conn, user_id, amount, expires_at, &reason)
            .await
            .map_err(|e| match e {
                StoreError::MissingReference(_) => AppError::NotFound { resource: "user" },
                other => other.into(),
            })?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "points.granted",
                subject: Some(("user", user_id.to_string())),
                details: json!({ "amount": amount, "expires_at": expires_at, "reason": reason }),
            },
        )
        .await?;
        Ok::<_, AppError>(lot)
    })
    .await
}
