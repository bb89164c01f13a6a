//! Claims as shoppers, vendors and operations read them.

use chrono::Utc;
use domain::calendar::korean_date;
use domain::claims::reasons::Kind;
use domain::claims::steps::{Claim, Status, StepError};
use persistence::claims::refunds::{self as refund_store, ClaimRefundRow};
use persistence::claims::requests::{
    self as store, ClaimFilter, ClaimLineRow, ClaimRow, Lister, Step,
};
use uuid::Uuid;

use crate::kernel::ProblemCode;
use crate::{AppError, Context};

/// A claimed product order.
pub struct ClaimLineView {
    pub line: ClaimLineRow,
    pub product_name: String,
    pub quantity: i32,
}

/// A claim with its lines and the card refund steps asked for it.
pub struct ClaimView {
    pub claim: ClaimRow,
    pub lines: Vec<ClaimLineView>,
    pub card_refunds: Vec<ClaimRefundRow>,
    /// Received, not refunded, and past the statutory refund date.
    pub refund_overdue: bool,
}

impl ClaimView {
    /// Where the card refund stands: `none` (nothing by card), `pending`
    /// (a provider's answer is not known yet), `failed` (a provider refused
    /// a step: operations pay it another way) or `refunded`.
    pub fn card_refund_status(&self) -> &'static str {
        use refund_store::status;
        if self.card_refunds.is_empty() {
            "none"
        } else if self
            .card_refunds
            .iter()
            .any(|s| s.status == status::PENDING)
        {
            "pending"
        } else if self.card_refunds.iter().any(|s| s.status == status::FAILED) {
            "failed"
        } else {
            "refunded"
        }
    }
}

/// The stored claim's state for the state machine.
pub(super) fn state_of(row: &ClaimRow) -> Result<Claim, AppError> {
    let unknown = || AppError::internal("a claim in a state we do not know");
    Ok(Claim {
        kind: Kind::parse(&row.kind).ok_or_else(unknown)?,
        status: Status::parse(&row.status).ok_or_else(unknown)?,
        held_back: row.held_back,
    })
}

/// The stored claim as a step that changes nothing yet.
pub(super) fn step_of(row: &ClaimRow) -> Step<'_> {
    Step {
        status: &row.status,
        held_back: row.held_back,
        holdback_reason: row.holdback_reason.as_deref(),
        decision_note: row.decision_note.as_deref(),
        received_at: row.received_at,
        refund_due: row.refund_due,
        executed_at: row.executed_at,
    }
}

pub(super) fn step_refused(error: StepError) -> AppError {
    AppError::Conflict {
        code: match error {
            StepError::HeldBack => ProblemCode::ClaimHeldBack,
            StepError::NotFrom { .. } => ProblemCode::InvalidClaimStep,
        },
        message: error.to_string(),
    }
}

async fn assemble(
    conn: &mut persistence::AsyncPgConnection,
    found: Vec<(ClaimRow, Vec<ClaimLineRow>)>,
) -> Result<Vec<ClaimView>, AppError> {
    let ids: Vec<Uuid> = found.iter().map(|(c, _)| c.id).collect();
    let line_ids: Vec<Uuid> = found
        .iter()
        .flat_map(|(_, lines)| lines.iter().map(|l| l.product_order_id))
        .collect();
    let units = store::claimed_units(conn, &line_ids).await?;
    let mut steps = refund_store::of_claims(conn, &ids).await?;
    let today = korean_date(Utc::now());
    Ok(found
        .into_iter()
        .map(|(claim, lines)| {
            let lines = lines
                .into_iter()
                .map(|line| {
                    let (name, quantity) = units
                        .iter()
                        .find(|unit| unit.id == line.product_order_id)
                        .map(|unit| (unit.product_name.clone(), unit.quantity))
                        .unwrap_or_default();
                    ClaimLineView {
                        line,
                        product_name: name,
                        quantity,
                    }
                })
                .collect();
            let (mine, rest): (Vec<_>, Vec<_>) =
                steps.drain(..).partition(|s| s.claim_id == claim.id);
            steps = rest;
            let refund_overdue = claim.status == Status::Received.as_str()
                && claim.refund_due.is_some_and(|due| due < today);
            ClaimView {
                claim,
                lines,
                card_refunds: mine,
                refund_overdue,
            }
        })
        .collect())
}

/// One claim the caller may see (`buyer`: the shopper's; `seller`: one
/// with the vendor's lines; neither: operations).
pub(super) async fn one(
    context: &Context,
    id: Uuid,
    buyer: Option<&str>,
    seller: Option<Uuid>,
) -> Result<ClaimView, AppError> {
    let mut conn = context.db.get().await?;
    let found = store::find(&mut conn, id, buyer, seller)
        .await?
        .ok_or(AppError::NotFound { resource: "claim" })?;
    assemble(&mut conn, vec![found])
        .await?
        .pop()
        .ok_or(AppError::NotFound { resource: "claim" })
}

pub(super) async fn list(
    context: &Context,
    lister: Lister<'_>,
    filter: ClaimFilter<'_>,
    limit: i64,
) -> Result<Vec<ClaimView>, AppError> {
    let mut conn = context.db.get().await?;
    let found = store::list(&mut conn, lister, filter, limit).await?;
    assemble(&mut conn, found).await
}
