//! The dispatch deadline of a vendor order: set at payment, declared
//! earlier once, delayed once with a reason the shopper is told; and the
//! vendor accepting lines to prepare.

use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncConnection;
use domain::calendar::{self, korean_date};
use domain::fulfilment::dispatch::{DelayReason, DispatchError, DispatchPlan, dispatch_due};
use domain::fulfilment::steps::Action;
use persistence::AsyncPgConnection;
use persistence::fulfilment::dispatch::{self as store, DispatchRow};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::lines;
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::{FieldCode, ProblemCode};
use crate::kernel::{order_mail, text_fields};
use crate::{AppError, Context};

/// A vendor order's dispatch deadline as it stands.
pub struct DispatchView {
    pub seller_order_id: Uuid,
    pub due: Option<NaiveDate>,
    pub declared: Option<NaiveDate>,
    pub delayed_to: Option<NaiveDate>,
    pub delay_reason: Option<String>,
    pub delay_note: Option<String>,
    /// The day it must leave the vendor by.
    pub deadline: Option<NaiveDate>,
}

impl From<&DispatchRow> for DispatchView {
    fn from(row: &DispatchRow) -> Self {
        Self {
            seller_order_id: row.id,
            due: row.dispatch_due,
            declared: row.dispatch_declared,
            delayed_to: row.dispatch_delayed_to,
            delay_reason: row.dispatch_delay_reason.clone(),
            delay_note: row.dispatch_delay_note.clone(),
            deadline: plan_of(row).map(|plan| plan.deadline()),
        }
    }
}

fn plan_of(row: &DispatchRow) -> Option<DispatchPlan> {
    Some(DispatchPlan {
        due: row.dispatch_due?,
        declared: row.dispatch_declared,
        delayed_to: row.dispatch_delayed_to,
    })
}

/// Outbox: the vendor delayed a dispatch (tell the shopper why and until when).
#[derive(Debug, Serialize, Deserialize)]
pub struct DispatchDelayed {
    pub seller_order_id: Uuid,
}

impl jobs::Job for DispatchDelayed {
    const KIND: &'static str = "fulfilment.dispatch_delayed";
}

/// The dispatch deadline of vendor orders paid at `paid_at`.
pub fn due_if_paid_at(paid_at: DateTime<Utc>) -> NaiveDate {
    dispatch_due(&calendar::KOREAN, paid_at)
}

/// Locks the caller's vendor order (any, for operations), paid.
pub(super) async fn lock_paid(
    conn: &mut AsyncPgConnection,
    caller: &StaffPrincipal,
    id: Uuid,
) -> Result<DispatchRow, AppError> {
    let row = store::lock(conn, caller.tenant().seller_id(), id)
        .await?
        .ok_or(AppError::NotFound { resource: "order" })?;
    lines::require_paid(&row.status)?;
    Ok(row)
}

/// The vendor order's deadline (the caller's own, or any for operations).
pub async fn view(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
) -> Result<DispatchView, AppError> {
    let mut conn = context.db.get().await?;
    let row = store::find(&mut conn, caller.tenant().seller_id(), id)
        .await?
        .ok_or(AppError::NotFound { resource: "order" })?;
    Ok(DispatchView::from(&row))
}

/// The vendor accepts product orders and starts preparing them.
pub async fn accept(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    product_order_ids: &[Uuid],
) -> Result<Vec<Uuid>, AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        lock_paid(conn, caller, id).await?;
        let all = store::lock_lines(conn, id).await?;
        let chosen = lines::choose(&all, product_order_ids, Action::Accept)?;
        store::accept_lines(conn, &chosen).await?;
        Ok::<_, AppError>(chosen)
    })
    .await
}

fn refused(field: &'static str, error: DispatchError) -> AppError {
    let (code, message) = match error {
        DispatchError::AlreadyDeclared => {
            return AppError::Conflict {
                code: ProblemCode::DispatchDateAlreadySet,
                message: "the dispatch date was already declared or delayed".into(),
            };
        }
        DispatchError::AlreadyDelayed => {
            return AppError::Conflict {
                code: ProblemCode::DispatchDateAlreadySet,
                message: "the dispatch was already delayed once".into(),
            };
        }
        DispatchError::InThePast => (FieldCode::InThePast, "the date has passed"),
        DispatchError::AfterDue => (
            FieldCode::AfterDispatchDue,
            "later than the dispatch deadline: delay the dispatch with a reason",
        ),
        DispatchError::NotLater => (FieldCode::NotLater, "a delay must move the deadline later"),
        DispatchError::TooFar => (FieldCode::OutOfRange, "at most 90 days ahead"),
    };
    AppError::invalid(field, code, message)
}

/// The vendor declares the day it will dispatch (once, no later than due).
pub async fn declare(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<DispatchView, AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let mut row = lock_paid(conn, caller, id).await?;
        let plan =
            plan_of(&row).ok_or_else(|| AppError::internal("a paid order without a due date"))?;
        let plan = plan
            .declare(date, korean_date(now))
            .map_err(|e| refused("date", e))?;
        store::set_declared(conn, id, date).await?;
        row.dispatch_declared = plan.declared;
        Ok::<_, AppError>(DispatchView::from(&row))
    })
    .await
}

/// A delay the vendor asks for.
pub struct DelayInput {
    pub until: NaiveDate,
    pub reason: String,
    pub note: Option<String>,
}

/// The vendor delays the dispatch once, with a reason; the shopper is told.
pub async fn delay(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    input: DelayInput,
    now: DateTime<Utc>,
) -> Result<DispatchView, AppError> {
    let reason = DelayReason::parse(&input.reason).ok_or_else(|| {
        AppError::invalid(
            "reason",
            FieldCode::InvalidValue,
            "one of product_preparing, customer_request, custom_build, reserved_dispatch, other",
        )
    })?;
    let note = text_fields::optional("note", input.note.as_deref().unwrap_or_default(), 500)?;
    let note = (!note.is_empty()).then_some(note);
    if reason == DelayReason::Other && note.is_none() {
        return Err(AppError::invalid(
            "note",
            FieldCode::Required,
            "say why when the reason is other",
        ));
    }
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let mut row = lock_paid(conn, caller, id).await?;
        let plan =
            plan_of(&row).ok_or_else(|| AppError::internal("a paid order without a due date"))?;
        let plan = plan
            .delay(input.until, korean_date(now))
            .map_err(|e| refused("until", e))?;
        let lines = store::lock_lines(conn, id).await?;
        if !lines.iter().any(|line| {
            domain::fulfilment::steps::Step::parse(&line.status)
                .is_some_and(|s| s.awaits_dispatch())
        }) {
            return Err(AppError::Conflict {
                code: ProblemCode::InvalidFulfilmentStep,
                message: "nothing in this order is waiting to be dispatched".into(),
            });
        }
        store::set_delay(conn, id, input.until, reason.as_str(), note.as_deref()).await?;
        jobs::enqueue(
            conn,
            &DispatchDelayed {
                seller_order_id: id,
            },
        )
        .await?;
        row.dispatch_delayed_to = plan.delayed_to;
        row.dispatch_delay_reason = Some(reason.as_str().to_owned());
        row.dispatch_delay_note = note;
        Ok::<_, AppError>(DispatchView::from(&row))
    })
    .await
}

/// Emails the shopper that a vendor delayed its dispatch.
pub(crate) async fn send_dispatch_delayed(
    context: &Context,
    job: DispatchDelayed,
) -> Result<(), jobs::JobError> {
    let found = order_mail::load(context, async |conn| {
        store::find(conn, None, job.seller_order_id).await
    })
    .await?;
    let Some(row) = found else {
        return Ok(());
    };
    let (Some(until), Some(reason)) = (
        row.dispatch_delayed_to,
        row.dispatch_delay_reason
            .as_deref()
            .and_then(DelayReason::parse),
    ) else {
        return Ok(());
    };
    let why = reason.describe();
    order_mail::tell_buyer(context, row.purchase_order_id, |purchase| {
        let no = &purchase.order_no;
        (
            format!("Order {no}: dispatch delayed to {until}"),
            format!("Part of order {no} will be dispatched by {until} because {why}.\n"),
            format!(
                "<p>Part of order <b>{no}</b> will be dispatched by {until} because {why}.</p>"
            ),
        )
    })
    .await
}
