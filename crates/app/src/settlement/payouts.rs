//! Paying payees: the sweep opens one batch per payee and cycle, claiming
//! the entries before the cut-off; operations approve it, export the bank
//! transfer and record the bank's answer. A payee owed nothing (its claims
//! outweigh its earnings) gets no batch: its entries stay unclaimed and net
//! with later earnings.

use chrono::{DateTime, TimeDelta, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use domain::calendar::{KOREAN, korean_date, start_of};
use domain::settlement::commission::PayeeKind;
use domain::settlement::journal::{Account, Entry, EntryKind};
use domain::settlement::payouts::{self, Action, Cycle, Status, Transfer};
use persistence::settlement::journal::{self as journal_store, NewEntry};
use persistence::settlement::payouts::{self as store, BatchFilter, BatchRow, DueEarning, Step};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, Actor, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::settings::SettlementSettings;
use crate::{AppError, Context};

/// Enqueued by the schedule: sweep the payees whose cycle sweeps today.
#[derive(Debug, Serialize, Deserialize)]
pub struct SweepPayouts;

impl jobs::Job for SweepPayouts {
    const KIND: &'static str = "settlement.sweep_payouts";
}

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Batches opened.
    pub batches: usize,
    /// Payees owing the platform: their balance carries to the next cycle.
    pub carried: usize,
    /// Payees whose payouts are held (owing beyond the cap, until
    /// operations release them).
    pub held: usize,
}

/// Sweeps every payee whose cycle has its sweep day on the Korean date of
/// `now` (what came before the cycle's start), and, on any business day,
/// every payee holding an earning that would otherwise be paid later than
/// its due date (what came before today). Safe to run on every replica, any
/// number of times.
pub async fn sweep_due(context: &Context, now: DateTime<Utc>) -> Result<Swept, AppError> {
    let today = korean_date(now);
    let mut swept = Swept::default();
    let mut tally = |outcome: Outcome| match outcome {
        Outcome::Opened(_) => swept.batches += 1,
        Outcome::Carried => swept.carried += 1,
        Outcome::Held => swept.held += 1,
        Outcome::NothingOwed | Outcome::SweptBefore => {}
    };
    // Swept on their cycle already in this pass.
    let mut handled = std::collections::HashSet::new();
    for cycle in Cycle::ALL {
        let Some(cut_off) = payouts::cut_off(cycle, today, &KOREAN) else {
            continue;
        };
        let payees = {
            let mut conn = context.db.get().await?;
            store::payees_on(&mut conn, cycle.as_str()).await?
        };
        for payee in payees {
            tally(sweep_one(context, payee.payee_id, start_of(cut_off)).await?);
            handled.insert(payee.payee_id);
        }
    }
    if KOREAN.is_business_day(today) {
        let early = now - sweep_early_after(&context.settlement);
        let payees = {
            let mut conn = context.db.get().await?;
            store::payees_with_earnings_before(&mut conn, early).await?
        };
        for payee in payees.into_iter().filter(|p| !handled.contains(p)) {
            tally(sweep_one(context, payee, start_of(today)).await?);
        }
    }
    Ok(swept)
}

/// How old an unclaimed earning may grow before its payee is swept off its
/// cycle: the due days less the margin.
fn sweep_early_after(settings: &SettlementSettings) -> TimeDelta {
    TimeDelta::days(i64::from(
        settings
            .payout_due_days
            .saturating_sub(settings.payout_due_margin_days),
    ))
}

/// Earnings not paid yet whose due date (confirmation + the due days) is
/// within the margin or past, oldest first: what operations must pay now.
pub async fn deadlines(
    context: &Context,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<(DueEarning, DateTime<Utc>)>, AppError> {
    let due_days = TimeDelta::days(i64::from(context.settlement.payout_due_days));
    let mut conn = context.db.get().await?;
    Ok(store::unpaid_earnings_before(
        &mut conn,
        now - sweep_early_after(&context.settlement),
        limit,
    )
    .await?
    .into_iter()
    .map(|earning| {
        let due = earning.occurred_at + due_days;
        (earning, due)
    })
    .collect())
}

/// What sweeping one payee did.
#[derive(Debug)]
pub enum Outcome {
    Opened(BatchRow),
    /// Owing the platform (its claims outweigh its earnings): nothing
    /// claimed, the balance carries to the next cycle.
    Carried,
    /// Nothing to pay.
    NothingOwed,
    /// Its payouts are held: it owes back more than the cap allows.
    Held,
    /// A batch for this cut-off exists already.
    SweptBefore,
}

/// A sweep that finds nothing owed undoes itself (the batch and its claims).
enum SweepError {
    App(AppError),
    NothingOwed(Decimal),
}

/// Why a payee's payouts were held by a sweep.
fn over_cap(owed: Decimal) -> String {
    format!(
        "owes back {} won after claims, beyond the cap",
        (-owed).normalize()
    )
}

impl From<diesel::result::Error> for SweepError {
    fn from(error: diesel::result::Error) -> Self {
        Self::App(error.into())
    }
}

impl From<persistence::StoreError> for SweepError {
    fn from(error: persistence::StoreError) -> Self {
        Self::App(error.into())
    }
}

/// Sweeps one vendor up to `cut_off`.
pub async fn sweep_one(
    context: &Context,
    payee_id: Uuid,
    cut_off: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let mut conn = context.db.get().await?;
    let swept = conn
        .transaction(async |conn| {
            store::lock_payee(conn, payee_id).await?;
            if store::is_held(conn, PayeeKind::Seller.as_str(), payee_id).await? {
                return Ok(Outcome::Held);
            }
            let Some((batch, net)) =
                store::sweep(conn, PayeeKind::Seller.as_str(), payee_id, cut_off).await?
            else {
                return Ok(Outcome::SweptBefore);
            };
            if net <= Decimal::ZERO {
                return Err(SweepError::NothingOwed(net));
            }
            store::set_amount(conn, batch, net).await?;
            let row = store::find(conn, batch)
                .await?
                .ok_or_else(|| SweepError::App(AppError::internal("a batch just opened")))?;
            Ok(Outcome::Opened(row))
        })
        .await;
    let outcome = match swept {
        Ok(outcome) => Ok(outcome),
        Err(SweepError::NothingOwed(net)) if net < -context.settlement.receivable_cap => {
            hold(
                context,
                &Actor::system(),
                payee_id,
                Some(&over_cap(net)),
                cut_off,
            )
            .await?;
            Ok(Outcome::Held)
        }
        Err(SweepError::NothingOwed(net)) if net < Decimal::ZERO => Ok(Outcome::Carried),
        Err(SweepError::NothingOwed(_)) => Ok(Outcome::NothingOwed),
        Err(SweepError::App(error)) => Err(error),
    }?;
    settle_receivable(context, payee_id, cut_off).await?;
    Ok(outcome)
}

/// Leaves the payee's claims receivable holding what it owed back at
/// `cut_off` (what later earnings netted goes back to its payable), as an
/// entry dated then; once per payee and cut-off.
async fn settle_receivable(
    context: &Context,
    payee_id: Uuid,
    cut_off: DateTime<Utc>,
) -> Result<(), AppError> {
    let payee_kind = PayeeKind::Seller.as_str();
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        store::lock_payee(conn, payee_id).await?;
        let at = store::position(conn, payee_kind, payee_id, cut_off).await?;
        let entry = payouts::receivable_move(at.owed, at.receivable);
        if entry.lines().is_empty() {
            return Ok(());
        }
        journal_store::post(
            conn,
            &NewEntry {
                kind: EntryKind::Receivable,
                source: format!("receivable:{payee_id}:{}", cut_off.to_rfc3339()),
                payee_kind,
                payee_id,
                purchase_order_id: None,
                seller_order_id: None,
                product_order_id: None,
                occurred_at: cut_off,
                payout_batch_id: None,
            },
            &entry,
        )
        .await?;
        Ok(())
    })
    .await
}

/// Operations' sweep of one vendor (or every vendor) of what happened
/// before `cut_off` (now when not given): the batches it opened.
pub async fn sweep_now(
    context: &Context,
    seller_id: Option<Uuid>,
    cut_off: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Vec<BatchRow>, AppError> {
    let cut_off = cut_off.unwrap_or(now);
    if cut_off > now {
        return Err(AppError::invalid(
            "cut_off",
            crate::kernel::FieldCode::NotAllowed,
            "a sweep takes what has happened: the cut-off cannot be later than now",
        ));
    }
    let payees: Vec<Uuid> = match seller_id {
        Some(id) => vec![id],
        None => {
            let mut conn = context.db.get().await?;
            store::payee_ids(&mut conn).await?
        }
    };
    let mut opened = Vec::new();
    for payee in payees {
        if let Outcome::Opened(batch) = sweep_one(context, payee, cut_off).await? {
            opened.push(batch);
        }
    }
    Ok(opened)
}

/// What operations do to a batch.
#[derive(Debug, Clone)]
pub enum Decision {
    Approve,
    MarkPaid,
    MarkFailed { reason: String },
}

impl Decision {
    fn action(&self) -> (Action, &'static str) {
        match self {
            Self::Approve => (Action::Approve, "settlement.payout_approved"),
            Self::MarkPaid => (Action::MarkPaid, "settlement.payout_paid"),
            Self::MarkFailed { .. } => (Action::MarkFailed, "settlement.payout_failed"),
        }
    }
}

fn next(batch: &BatchRow, action: Action) -> Result<Status, AppError> {
    Status::parse(&batch.status)
        .and_then(|status| status.after(action))
        .ok_or(AppError::Conflict {
            code: ProblemCode::InvalidPayoutStep,
            message: format!("the batch is {}", batch.status),
        })
}

/// Approves, or records the bank's answer to, a batch (audited). A paid
/// batch posts its payout to the journal, once.
pub async fn decide(
    context: &Context,
    caller: &StaffPrincipal,
    id: i64,
    decision: Decision,
    now: DateTime<Utc>,
) -> Result<BatchRow, AppError> {
    if let Decision::MarkFailed { reason } = &decision
        && reason.trim().is_empty()
    {
        return Err(AppError::invalid(
            "reason",
            crate::kernel::FieldCode::Required,
            "say why the bank refused the transfer",
        ));
    }
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let batch = store::lock(conn, id)
            .await?
            .ok_or(AppError::NotFound { resource: "payout batch" })?;
        let (action, audit_action) = decision.action();
        let status = next(&batch, action)?;
        let step = match &decision {
            Decision::Approve => Step {
                status: Some(status.as_str()),
                approved_by: Some(caller.id),
                approved_at: Some(now),
                updated_at: Some(now),
                ..Step::default()
            },
            Decision::MarkPaid => {
                post_payout(conn, &batch, now).await?;
                Step {
                    status: Some(status.as_str()),
                    paid_at: Some(now),
                    updated_at: Some(now),
                    ..Step::default()
                }
            }
            Decision::MarkFailed { reason } => Step {
                status: Some(status.as_str()),
                failures: Some(batch.failures + 1),
                last_failure: Some(reason.trim()),
                updated_at: Some(now),
                ..Step::default()
            },
        };
        let row = store::record_step(conn, id, &step).await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: audit_action,
                subject: Some(("payout_batch", id.to_string())),
                details: json!({ "from": batch.status, "amount": batch.amount, "payee_id": batch.payee_id }),
            },
        )
        .await?;
        Ok(row)
    })
    .await
}

/// The payout: what the payee was owed leaves for its bank account.
async fn post_payout(
    conn: &mut AsyncPgConnection,
    batch: &BatchRow,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let entry = Entry::default()
        .debit(Account::PayeePayable, batch.amount)
        .credit(Account::BuyerClearing, batch.amount);
    let posted = journal_store::post(
        conn,
        &NewEntry {
            kind: EntryKind::Payout,
            source: format!("payout:{}", batch.id),
            payee_kind: &batch.payee_kind,
            payee_id: batch.payee_id,
            purchase_order_id: None,
            seller_order_id: None,
            product_order_id: None,
            occurred_at: now,
            payout_batch_id: Some(batch.id),
        },
        &entry,
    )
    .await?;
    posted
        .map(|_| ())
        .ok_or_else(|| AppError::internal(format!("batch {} was paid before", batch.id)))
}

/// The batch's bank transfer (the firm-banking bulk file of one line),
/// audited; the batch is exported from then on, and exporting it again
/// hands out the same transfer.
pub async fn export(
    context: &Context,
    caller: &StaffPrincipal,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(BatchRow, String), AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let batch = store::lock(conn, id).await?.ok_or(AppError::NotFound {
            resource: "payout batch",
        })?;
        let status = next(&batch, Action::Export)?;
        let account = crate::sellers::profile::payout_account(conn, batch.payee_id)
            .await?
            .ok_or(AppError::Conflict {
                code: ProblemCode::PayoutAccountMissing,
                message: "the vendor has no readable settlement account".into(),
            })?;
        let amount = domain::money::Currency::Krw
            .to_minor(batch.amount)
            .ok_or_else(|| AppError::internal("a payout beyond range"))?;
        let file = payouts::transfer_file(&[Transfer {
            bank_code: account.bank_code,
            account_number: account.number,
            holder: account.holder,
            amount,
            memo: format!("MKT PAYOUT {}", batch.id),
        }]);
        let row = store::record_step(
            conn,
            id,
            &Step {
                status: Some(status.as_str()),
                exported_at: Some(batch.exported_at.unwrap_or(now)),
                updated_at: Some(now),
                ..Step::default()
            },
        )
        .await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "settlement.payout_exported",
                subject: Some(("payout_batch", id.to_string())),
                details: json!({ "amount": batch.amount, "payee_id": batch.payee_id }),
            },
        )
        .await?;
        Ok((row, file))
    })
    .await
}

pub async fn list(
    context: &Context,
    filter: &BatchFilter,
    limit: i64,
) -> Result<Vec<BatchRow>, AppError> {
    if let Some(status) = &filter.status
        && Status::parse(status).is_none()
    {
        return Err(AppError::invalid(
            "status",
            crate::kernel::FieldCode::InvalidValue,
            "one of draft, approved, exported, paid",
        ));
    }
    let mut conn = context.db.get().await?;
    Ok(store::list(&mut conn, filter, limit).await?)
}

pub async fn get(context: &Context, id: i64) -> Result<BatchRow, AppError> {
    let mut conn = context.db.get().await?;
    store::find(&mut conn, id).await?.ok_or(AppError::NotFound {
        resource: "payout batch",
    })
}

/// One of the vendor's own batches.
pub async fn of_seller(context: &Context, seller_id: Uuid, id: i64) -> Result<BatchRow, AppError> {
    let mut conn = context.db.get().await?;
    store::find_of(&mut conn, PayeeKind::Seller.as_str(), seller_id, id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "payout batch",
        })
}

/// Batches that disagree with their entries, as `problem: batch` lines.
pub async fn mismatches(conn: &mut AsyncPgConnection) -> Result<Vec<String>, AppError> {
    Ok(store::mismatches(conn)
        .await?
        .into_iter()
        .map(|m| format!("payout batch {}: {}", m.batch, m.problem))
        .collect())
}

/// Sets how often a vendor is paid (audited); from its next sweep day on.
pub async fn set_cycle(
    context: &Context,
    caller: &StaffPrincipal,
    seller_id: Uuid,
    cycle: &str,
) -> Result<Cycle, AppError> {
    let cycle = Cycle::parse(cycle).ok_or_else(|| {
        AppError::invalid(
            "cycle",
            crate::kernel::FieldCode::InvalidValue,
            "weekly or monthly",
        )
    })?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        if !store::set_cycle(conn, PayeeKind::Seller.as_str(), seller_id, cycle.as_str()).await? {
            return Err(AppError::NotFound { resource: "payee" });
        }
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "settlement.payout_cycle_changed",
                subject: Some(("seller", seller_id.to_string())),
                details: json!({ "cycle": cycle.as_str() }),
            },
        )
        .await?;
        Ok(cycle)
    })
    .await
}

/// Operations hold a vendor's payouts (`held`, saying why) or release them.
pub async fn set_hold(
    context: &Context,
    caller: &StaffPrincipal,
    seller_id: Uuid,
    held: bool,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let reason = match (held, reason.map(str::trim)) {
        (false, _) => None,
        (true, Some(reason)) if !reason.is_empty() => Some(reason),
        (true, _) => {
            return Err(AppError::invalid(
                "reason",
                crate::kernel::FieldCode::Required,
                "say why the payouts are held",
            ));
        }
    };
    hold(context, &caller.actor, seller_id, reason, now).await
}

/// Holds a payee's payouts (with why) or releases them (`None`), audited.
async fn hold(
    context: &Context,
    actor: &Actor,
    payee_id: Uuid,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let hold = reason.map(|reason| (now, reason));
        if !store::set_hold(conn, PayeeKind::Seller.as_str(), payee_id, hold).await? {
            return Err(AppError::NotFound { resource: "payee" });
        }
        audit::record(
            conn,
            &AuditEvent {
                actor: actor.clone(),
                action: if reason.is_some() {
                    "settlement.payouts_held"
                } else {
                    "settlement.payouts_released"
                },
                subject: Some(("seller", payee_id.to_string())),
                details: json!({ "reason": reason }),
            },
        )
        .await?;
        Ok(())
    })
    .await
}
