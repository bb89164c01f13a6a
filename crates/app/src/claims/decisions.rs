//! What the vendor (or operations) does with a claim: approve or reject a
//! return, hold it back (a disputed return fee, an item not received back),
//! release it, and receive the item, which refunds the claim as quoted
//! unless it is held back. The refund is due 3 business days after the
//! item is received.

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use domain::calendar::{self, korean_date};
use domain::claims::quote::{self as refund_quote, ClaimRequest, RefundPlan};
use domain::claims::reasons::{Fault, Kind, Reason};
use domain::claims::steps::{Action, Claim, Status};
use domain::claims::windows::refund_due;
use persistence::AsyncPgConnection;
use persistence::catalog::products::move_stock;
use persistence::claims::exchanges;
use persistence::claims::orders as order_store;
use persistence::claims::requests::{
    self as store, ClaimFilter, ClaimLineRow, ClaimRow, Lister, Step,
};
use serde_json::json;
use uuid::Uuid;

use super::exchanges::exchange_ends;
use super::execution::{self, CardStep};
use super::notices::{self, Event};
use super::priced::{quote_failure, quoted};
use super::snapshot::snapshot_of;
use super::views::{self, ClaimView, state_of, step_of, step_refused};
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::settings::FulfilmentSettings;
use crate::kernel::text_fields;
use crate::{AppError, Context};

/// What the vendor decides.
pub enum Decision {
    Approve {
        note: Option<String>,
    },
    Reject {
        note: String,
    },
    HoldBack {
        reason: String,
    },
    Release,
    /// The item is back; `restock` puts the units on sale again.
    Receive {
        restock: bool,
    },
}

/// Takes a decision on a claim with the caller's lines (any, for operations).
pub async fn decide(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    decision: Decision,
    now: DateTime<Utc>,
) -> Result<ClaimView, AppError> {
    let seller = caller.tenant().seller_id();
    let settings = context.fulfilment;
    let decision = checked(decision)?;
    let mut conn = context.db.get().await?;
    let steps: Vec<CardStep> = conn
        .transaction(async |conn| {
            let (row, lines) = store::lock(conn, id, None, seller)
                .await?
                .ok_or(AppError::NotFound { resource: "claim" })?;
            // Operations deciding in place of the vendor is on the record.
            if seller.is_none() {
                audit::record(
                    conn,
                    &AuditEvent {
                        actor: caller.actor.clone(),
                        action: decision.action().1,
                        subject: Some(("claim", id.to_string())),
                        details: json!({ "from": row.status, "held_back": row.held_back }),
                    },
                )
                .await?;
            }
            apply(conn, &settings, &row, &lines, &decision, now).await
        })
        .await?;
    execution::ask_provider_all(context, &steps).await?;
    views::one(context, id, None, seller).await
}

impl Decision {
    /// The claim's step it takes, and its name on the audit record.
    fn action(&self) -> (Action, &'static str) {
        match self {
            Self::Approve { .. } => (Action::Approve, "claim.approved"),
            Self::Reject { .. } => (Action::Reject, "claim.rejected"),
            Self::HoldBack { .. } => (Action::HoldBack, "claim.held_back"),
            Self::Release => (Action::Release, "claim.released"),
            Self::Receive { .. } => (Action::Receive, "claim.received"),
        }
    }
}

fn checked(decision: Decision) -> Result<Decision, AppError> {
    Ok(match decision {
        Decision::Approve { note } => Decision::Approve {
            note: note
                .map(|n| text_fields::optional("note", &n, 500))
                .transpose()?
                .filter(|n| !n.is_empty()),
        },
        Decision::Reject { note } => Decision::Reject {
            note: text_fields::required("note", &note, 500)?,
        },
        Decision::HoldBack { reason } => Decision::HoldBack {
            reason: text_fields::required("reason", &reason, 500)?,
        },
        other => other,
    })
}

async fn apply(
    conn: &mut AsyncPgConnection,
    settings: &FulfilmentSettings,
    row: &ClaimRow,
    lines: &[ClaimLineRow],
    decision: &Decision,
    now: DateTime<Utc>,
) -> Result<Vec<CardStep>, AppError> {
    let claim = state_of(row)?;
    let next = claim.apply(decision.action().0).map_err(step_refused)?;
    let mut step = Step {
        status: next.status.as_str(),
        held_back: next.held_back,
        ..step_of(row)
    };
    match decision {
        Decision::Approve { note } => step.decision_note = note.as_deref(),
        Decision::Reject { note } => step.decision_note = Some(note),
        Decision::HoldBack { reason } => step.holdback_reason = Some(reason),
        Decision::Release => step.holdback_reason = None,
        Decision::Receive { restock } => {
            step.received_at = Some(now);
            step.refund_due = Some(refund_due(&calendar::KOREAN, now));
            if *restock {
                restock_lines(conn, row.id, lines).await?;
            }
        }
    }
    store::record_step(conn, row.id, &step).await?;
    match decision {
        Decision::Approve { .. } => notices::enqueue(conn, row.id, Event::Approved).await?,
        Decision::Reject { .. } => {
            exchange_ends(conn, row, lines).await?;
            notices::enqueue(conn, row.id, Event::Rejected).await?;
        }
        _ => {}
    }
    // Back with the vendor and not held: the refund is made as quoted.
    if next.status == Status::Received && !next.held_back {
        let completed = next.apply(Action::Complete).map_err(step_refused)?;
        let mut received = row.clone();
        received.status = next.status.as_str().to_owned();
        received.received_at = step.received_at;
        received.refund_due = step.refund_due;
        if completed.kind == Kind::Exchange {
            exchange(conn, &received, lines, completed, now).await?;
            return Ok(vec![]);
        }
        return complete(conn, settings, &received, lines, completed, now).await;
    }
    Ok(vec![])
}

async fn restock_lines(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
    lines: &[ClaimLineRow],
) -> Result<(), AppError> {
    let reference = format!("claim:{claim_id}");
    let ids: Vec<Uuid> = lines.iter().map(|l| l.product_order_id).collect();
    for unit in store::claimed_units(conn, &ids).await? {
        move_stock(
            conn,
            unit.sku_id,
            unit.quantity,
            "returned",
            Some(&reference),
            None,
        )
        .await?;
    }
    store::mark_restocked(conn, claim_id, &ids).await?;
    Ok(())
}

/// Carries out the plan the shopper was quoted. One claim per order is open
/// at a time and only claims move an order's money, so the order is as the
/// quote found it; a plan that no longer matches is refused, not paid.
async fn complete(
    conn: &mut AsyncPgConnection,
    settings: &FulfilmentSettings,
    row: &ClaimRow,
    lines: &[ClaimLineRow],
    completed: Claim,
    now: DateTime<Utc>,
) -> Result<Vec<CardStep>, AppError> {
    let found = order_store::lock(conn, row.purchase_order_id, None)
        .await?
        .ok_or(AppError::NotFound { resource: "order" })?;
    let snapshot = snapshot_of(&found)?;
    let unknown = || AppError::internal("a claim with a reason we do not know");
    let reason = Reason::parse(&row.reason).ok_or_else(unknown)?;
    let request = ClaimRequest {
        kind: completed.kind,
        fault: Fault::parse(&row.fault).ok_or_else(unknown)?,
        lines: lines.iter().map(|l| l.product_order_id).collect(),
    };
    let stored: RefundPlan =
        serde_json::from_value(row.plan.clone()).map_err(AppError::internal)?;
    let fresh = refund_quote::quote(&snapshot, &request).map_err(quote_failure)?;
    if fresh != stored {
        return Err(AppError::internal("the order changed under an open claim"));
    }
    let quoted = quoted(found, &snapshot, request, reason, stored);
    execution::carry_out(conn, settings, &quoted, row, completed, now).await
}

/// Which claims staff list.
#[derive(Debug, Default)]
pub struct StaffFilter {
    pub status: Option<String>,
    /// Only received claims past their statutory refund date.
    pub refund_overdue: bool,
    pub before: Option<Uuid>,
}

/// Completes an exchange once the first item is back: the other option's
/// held units are sold and the product order is prepared again with it.
async fn exchange(
    conn: &mut AsyncPgConnection,
    row: &ClaimRow,
    lines: &[ClaimLineRow],
    completed: Claim,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let sku_id = row
        .exchange_sku_id
        .ok_or_else(|| AppError::internal("an exchange without its option"))?;
    let option = exchanges::option(conn, sku_id)
        .await?
        .ok_or_else(|| AppError::internal("an exchange's option is gone"))?;
    let reference = format!("claim:{}", row.id);
    let ids: Vec<Uuid> = lines.iter().map(|l| l.product_order_id).collect();
    for unit in store::claimed_units(conn, &ids).await? {
        exchanges::sell_held(conn, sku_id, unit.quantity, &reference).await?;
        exchanges::swap_option(conn, unit.id, &option, now).await?;
    }
    store::record_step(
        conn,
        row.id,
        &Step {
            status: completed.status.as_str(),
            held_back: false,
            executed_at: Some(now),
            ..step_of(row)
        },
    )
    .await?;
    notices::enqueue(conn, row.id, Event::Exchanged).await
}

/// Claims with the caller's lines (all, for operations), newest first.
pub async fn list(
    context: &Context,
    caller: &StaffPrincipal,
    filter: &StaffFilter,
    limit: i64,
) -> Result<Vec<ClaimView>, AppError> {
    let lister = match caller.tenant().seller_id() {
        Some(seller) => Lister::Seller(seller),
        None => Lister::Staff,
    };
    let status = filter.status.as_deref();
    if let Some(status) = status
        && Status::parse(status).is_none()
    {
        return Err(AppError::invalid(
            "status",
            crate::FieldCode::InvalidValue,
            "not a claim status",
        ));
    }
    let filter = ClaimFilter {
        status,
        refund_overdue_on: filter.refund_overdue.then(|| korean_date(Utc::now())),
        before: filter.before,
    };
    views::list(context, lister, filter, limit).await
}

/// One claim with the caller's lines (any, for operations).
pub async fn get(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
) -> Result<ClaimView, AppError> {
    views::one(context, id, None, caller.tenant().seller_id()).await
}
