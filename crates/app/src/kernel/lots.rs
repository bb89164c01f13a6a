//! Operations grant to a member's lot ledgers (points, bonus cash) alike:
//! the same terms, checked once, the same audit record, the same answer
//! for a member that does not exist.

use chrono::{DateTime, Duration, Utc};
use diesel_async::AsyncConnection;
use domain::money::{Currency, check_amount};
use persistence::StoreError;
use persistence::kernel::lots;
pub use persistence::kernel::lots::{Entry, Ledger};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::idempotency::Claim;
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::text_fields;
use crate::{AppError, Context};

/// What operations ask to grant (points, bonus cash).
#[derive(Debug, Clone, Copy)]
pub struct Grant<'a> {
    pub amount: Decimal,
    /// The grant expires this many days from now.
    pub valid_days: u32,
    pub reason: &'a str,
}

/// A grant, checked: a positive whole amount, 1 to 3650 days of validity,
/// a reason.
struct GrantTerms {
    pub amount: Decimal,
    pub expires_at: DateTime<Utc>,
    pub reason: String,
}

impl GrantTerms {
    fn check(grant: Grant<'_>) -> Result<Self, AppError> {
        let Grant {
            amount,
            valid_days,
            reason,
        } = grant;
        let amount = check_amount(Currency::Krw, amount)
            .map_err(|e| AppError::invalid("amount", FieldCode::InvalidAmount, e.to_string()))?;
        if amount.is_zero() {
            return Err(AppError::invalid(
                "amount",
                FieldCode::InvalidAmount,
                "must be above zero",
            ));
        }
        if !(1..=3650).contains(&valid_days) {
            return Err(AppError::invalid(
                "valid_days",
                FieldCode::OutOfRange,
                "between 1 and 3650",
            ));
        }
        Ok(Self {
            amount,
            expires_at: Utc::now() + Duration::days(i64::from(valid_days)),
            reason: text_fields::required("reason", reason, 200)?,
        })
    }

    /// The audit record of granting these terms to `user_id` as `action`.
    fn audit_event(
        &self,
        caller: &StaffPrincipal,
        action: &'static str,
        user_id: Uuid,
    ) -> AuditEvent {
        AuditEvent {
            actor: caller.actor.clone(),
            action,
            subject: Some(("user", user_id.to_string())),
            details: json!({
                "amount": self.amount,
                "expires_at": self.expires_at,
                "reason": self.reason,
            }),
        }
    }
}

/// Grants a member points or bonus cash (operations): checks `grant`,
/// writes the lot, records it in the audit log and keeps the answer under
/// the request's idempotency key (201, `answer` of the lot's id), in one
/// transaction, so a grant is made once however its request is retried.
/// Returns the new lot's id.
pub async fn grant(
    context: &Context,
    caller: &StaffPrincipal,
    ledger: Ledger,
    user_id: Uuid,
    grant: Grant<'_>,
    key: &Claim,
    answer: impl Fn(i64) -> serde_json::Value + Sync,
) -> Result<i64, AppError> {
    let terms = GrantTerms::check(grant)?;
    let action = match ledger {
        Ledger::Points => "points.granted",
        Ledger::Cash => "cash.bonus_granted",
    };
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let (amount, expires_at) = (terms.amount, terms.expires_at);
        let lot = lots::grant(conn, ledger, user_id, amount, expires_at, &terms.reason)
            .await
            .map_err(unknown_member)?;
        audit::record(conn, &terms.audit_event(caller, action, user_id)).await?;
        key.complete(conn, 201, &answer(lot)).await?;
        Ok::<_, AppError>(lot)
    })
    .await
}

/// A grant to someone who is not a member is a missing user.
fn unknown_member(error: StoreError) -> AppError {
    match error {
        StoreError::MissingReference(_) => AppError::NotFound { resource: "user" },
        other => other.into(),
    }
}
