//! Commission rules: a vendor's first rate, the rates operations set from a
//! date on, and the rule each product order takes at placement.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use domain::settlement::commission::{self, Candidate, Change, PayeeKind, Period, Rule, RuleError};
use persistence::settlement::rules::{self as store, NewRule, RuleRow};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::settings::SettlementSettings;
use crate::{AppError, Context};

/// Makes a new vendor a payee (paid weekly) with its base rate (the
/// configured default), in force for everything before any change.
pub async fn open_payee(
    conn: &mut AsyncPgConnection,
    settings: &SettlementSettings,
    payee_id: Uuid,
) -> Result<(), AppError> {
    persistence::settlement::payouts::insert_payee(conn, PayeeKind::Seller.as_str(), payee_id)
        .await?;
    store::insert(
        conn,
        &NewRule {
            payee_kind: PayeeKind::Seller.as_str(),
            payee_id,
            category_id: None,
            rate: settings.default_commission_rate,
            vat_rate: settings.commission_vat_rate,
            effective_from: DateTime::<Utc>::UNIX_EPOCH,
            set_by: None,
            reason: "first rate",
        },
    )
    .await?;
    Ok(())
}

/// The rule each (vendor, product category) pair takes at `at`.
pub async fn rules_for(
    conn: &mut AsyncPgConnection,
    lines: &[(Uuid, i64)],
    at: DateTime<Utc>,
) -> Result<HashMap<(Uuid, i64), Rule>, AppError> {
    let mut payees: Vec<Uuid> = lines.iter().map(|(payee, _)| *payee).collect();
    payees.sort_unstable();
    payees.dedup();
    let mut categories: Vec<i64> = lines.iter().map(|(_, category)| *category).collect();
    categories.sort_unstable();
    categories.dedup();
    let rows = store::candidates(conn, &payees, &categories, at).await?;
    let mut rules = HashMap::new();
    for &(payee, category) in lines {
        let candidates: Vec<Candidate> = rows
            .iter()
            .filter(|row| {
                row.payee_id == payee
                    && (row.category_id.is_none() || row.leaf_category_id == Some(category))
            })
            .map(|row| Candidate {
                rule: Rule {
                    id: row.id,
                    category_id: row.category_id,
                    rate: row.rate,
                    vat_rate: row.vat_rate,
                },
                levels_up: row.levels_up.and_then(|up| u32::try_from(up).ok()),
            })
            .collect();
        let rule = commission::pick(&candidates)
            .ok_or_else(|| AppError::internal(format!("vendor {payee} has no commission rule")))?;
        rules.insert((payee, category), rule.clone());
    }
    Ok(rules)
}

/// A change operations make to a vendor's commission.
#[derive(Debug, Clone)]
pub struct RateChange {
    pub seller_id: Uuid,
    /// The override's category; `None` changes the base rate.
    pub category_id: Option<i64>,
    /// The new rate; `None` ends a category's override.
    pub rate: Option<Decimal>,
    /// When it takes effect (now when not given).
    pub effective_from: Option<DateTime<Utc>>,
    pub reason: String,
}

/// Applies `change` (audited) and returns the vendor's rules in force or
/// scheduled from now on.
pub async fn change(
    context: &Context,
    caller: &StaffPrincipal,
    change: RateChange,
    now: DateTime<Utc>,
) -> Result<Vec<RuleRow>, AppError> {
    if let Some(rate) = change.rate
        && !(Decimal::ZERO..Decimal::ONE).contains(&rate)
    {
        return Err(AppError::invalid(
            "rate",
            FieldCode::OutOfRange,
            "a commission rate is a fraction from 0 up to (not including) 1",
        ));
    }
    if change.reason.trim().is_empty() {
        return Err(AppError::invalid(
            "reason",
            FieldCode::Required,
            "say why the rate changes",
        ));
    }
    let at = change.effective_from.unwrap_or(now);
    let settings = context.settlement;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        store::lock_payee(conn, change.seller_id).await?;
        // Every vendor has a base rate from the day it joined.
        if store::periods(conn, change.seller_id, None, now)
            .await?
            .is_empty()
        {
            return Err(AppError::invalid(
                "seller_id",
                FieldCode::UnknownReference,
                "no such vendor",
            ));
        }
        let periods: Vec<Period> = store::periods(conn, change.seller_id, change.category_id, now)
            .await?
            .into_iter()
            .map(|row| Period {
                id: row.id,
                from: row.effective_from,
                until: row.effective_until,
            })
            .collect();
        let kind = if change.rate.is_some() {
            Change::Set
        } else {
            Change::End
        };
        let plan = commission::plan(&periods, change.category_id.is_none(), kind, at, now)
            .map_err(refusal)?;
        store::drop_scheduled(conn, &plan.drop).await?;
        if let Some(id) = plan.close {
            store::close(conn, id, at).await?;
        }
        if let (true, Some(rate)) = (plan.open, change.rate) {
            store::insert(
                conn,
                &NewRule {
                    payee_kind: PayeeKind::Seller.as_str(),
                    payee_id: change.seller_id,
                    category_id: change.category_id,
                    rate,
                    vat_rate: settings.commission_vat_rate,
                    effective_from: at,
                    set_by: Some(caller.id),
                    reason: change.reason.trim(),
                },
            )
            .await
            .map_err(unknown_reference)?;
        }
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "settlement.commission_changed",
                subject: Some(("seller", change.seller_id.to_string())),
                details: json!({
                    "category_id": change.category_id,
                    "rate": change.rate,
                    "effective_from": at,
                    "reason": change.reason.trim(),
                }),
            },
        )
        .await?;
        Ok(store::of_payee(conn, change.seller_id, Some(now)).await?)
    })
    .await
}

/// A vendor's rules, every period (`current_at`: only those in force or
/// scheduled then).
pub async fn of_seller(
    context: &Context,
    seller_id: Uuid,
    current_at: Option<DateTime<Utc>>,
) -> Result<Vec<RuleRow>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(store::of_payee(&mut conn, seller_id, current_at).await?)
}

fn refusal(error: RuleError) -> AppError {
    match error {
        RuleError::Retroactive => AppError::invalid(
            "effective_from",
            FieldCode::InThePast,
            "a rate change takes effect now or later: past orders keep their rate",
        ),
        RuleError::BaseCannotEnd => AppError::invalid(
            "rate",
            FieldCode::Required,
            "the base rate can change but not end",
        ),
        RuleError::NothingToEnd => AppError::invalid(
            "category_id",
            FieldCode::NoOverride,
            "the category has no override in force or scheduled then",
        ),
    }
}

/// A category that does not exist.
fn unknown_reference(error: persistence::StoreError) -> AppError {
    match error {
        persistence::StoreError::MissingReference(constraint) => AppError::invalid(
            if constraint.contains("category") {
                "category_id"
            } else {
                "set_by"
            },
            FieldCode::UnknownReference,
            "no such category",
        ),
        other => other.into(),
    }
}
