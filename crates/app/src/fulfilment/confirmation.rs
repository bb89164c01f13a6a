//! Purchase confirmation: the shopper confirms a shipped product order, or
//! the schedule does some days after the carrier's delivery event (without
//! one, long after shipping and only once the shopper was told). Each
//! product order confirms once, however many workers run the schedule: the
//! confirmation is recorded under the product order's row lock and its
//! primary key. It earns the member points and records what settlement
//! consumes.

use chrono::{DateTime, TimeDelta, Utc};
use diesel_async::AsyncConnection;
use domain::fulfilment::confirmation::{Awaiting, ConfirmationRule, Next, points_earned};
use domain::fulfilment::steps::{Action, Step};
use persistence::AsyncPgConnection;
use persistence::fulfilment::confirmations::{self as store, AwaitingRow};
use persistence::kernel::lots::{self, Ledger};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kernel::principals::Buyer;
use crate::kernel::settings::FulfilmentSettings;
use crate::kernel::{ProblemCode, order_mail};
use crate::{AppError, Context};

/// Who confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmedBy {
    Shopper,
    Schedule,
}

impl ConfirmedBy {
    fn as_str(self) -> &'static str {
        match self {
            Self::Shopper => "shopper",
            Self::Schedule => "schedule",
        }
    }
}

/// A confirmed product order.
pub struct Confirmed {
    pub product_order_id: Uuid,
    pub confirmed_at: DateTime<Utc>,
    pub points_earned: Decimal,
}

/// What one pass of the schedule did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub confirmed: usize,
    pub noticed: usize,
}

/// Outbox: tell the shopper a product order will confirm without a
/// delivery event.
#[derive(Debug, Serialize, Deserialize)]
pub struct ConfirmationNotice {
    pub product_order_id: Uuid,
    pub confirms_on: DateTime<Utc>,
}

impl jobs::Job for ConfirmationNotice {
    const KIND: &'static str = "fulfilment.confirmation_notice";
}

/// Enqueued by the schedule: confirm what is due now.
#[derive(Debug, Serialize, Deserialize)]
pub struct ConfirmDuePurchases;

impl jobs::Job for ConfirmDuePurchases {
    const KIND: &'static str = "fulfilment.confirm_due";
}

fn rule(settings: &FulfilmentSettings) -> ConfirmationRule {
    ConfirmationRule {
        after_delivery: TimeDelta::days(settings.confirm_after_delivery_days.into()),
        without_delivery_extra: TimeDelta::days(
            settings.confirm_without_delivery_extra_days.into(),
        ),
        notice: TimeDelta::days(settings.confirmation_notice_days.into()),
    }
}

/// Confirms a locked product order; `None` when it was confirmed before.
async fn confirm_locked(
    conn: &mut AsyncPgConnection,
    settings: &FulfilmentSettings,
    line: &AwaitingRow,
    by: ConfirmedBy,
    now: DateTime<Utc>,
) -> Result<Option<Confirmed>, AppError> {
    // Guests earn nothing: there is no member to hold points.
    let earned = match line.user_id {
        Some(_) => points_earned(
            line.payable_amount + line.cash,
            settings.confirmation_points_rate,
        ),
        None => Decimal::ZERO,
    };
    if !store::confirm(conn, line.id, by.as_str(), now, earned).await? {
        return Ok(None);
    }
    crate::settlement::accrual::settle(
        conn,
        line.purchase_order_id,
        crate::settlement::accrual::Event::Confirmed {
            product_order_id: line.id,
        },
        now,
    )
    .await?;
    if let (Some(user_id), true) = (line.user_id, earned > Decimal::ZERO) {
        let expires_at = now + TimeDelta::days(settings.confirmation_points_valid_days.into());
        let reason = format!("purchase confirmed: {}", line.product_name);
        let lot = lots::grant(conn, Ledger::Points, user_id, earned, expires_at, &reason).await?;
        store::set_points_lot(conn, line.id, lot).await?;
    }
    Ok(Some(Confirmed {
        product_order_id: line.id,
        confirmed_at: now,
        points_earned: earned,
    }))
}

/// The shopper confirms one of their shipped or delivered product orders.
pub async fn confirm_own(
    context: &Context,
    buyer: &Buyer,
    product_order_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Confirmed, AppError> {
    let key = buyer.key();
    let settings = context.fulfilment;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let line =
            store::lock_own(conn, &key, product_order_id)
                .await?
                .ok_or(AppError::NotFound {
                    resource: "product order",
                })?;
        if line.in_open_claim {
            return Err(AppError::Conflict {
                code: ProblemCode::ClaimInProgress,
                message: "the product order has an open claim".into(),
            });
        }
        let step = Step::parse(&line.status).and_then(|step| step.after(Action::Confirm));
        let confirmed = match step {
            Some(_) => confirm_locked(conn, &settings, &line, ConfirmedBy::Shopper, now).await?,
            None => None,
        };
        confirmed.ok_or_else(|| AppError::Conflict {
            code: ProblemCode::InvalidFulfilmentStep,
            message: format!("the product order is {}", line.status),
        })
    })
    .await
}

/// Rows one transaction of the schedule takes.
const BATCH: i64 = 200;

/// One pass of the schedule at `now`: tells shoppers of confirmations
/// without a delivery event, and confirms what is due. Safe to run on
/// every worker at once: each batch locks its rows and skips others'.
pub async fn confirm_due(context: &Context, now: DateTime<Utc>) -> Result<Pass, AppError> {
    let settings = context.fulfilment;
    let rule = rule(&settings);
    // The earliest a row can need anything: delivered N days ago, or
    // shipped long enough ago to be told.
    let cutoff = now
        - rule
            .after_delivery
            .min(rule.after_delivery + rule.without_delivery_extra - rule.notice);
    let mut pass = Pass::default();
    let mut after = Uuid::nil();
    let mut conn = context.db.get().await?;
    loop {
        let batch = conn
            .transaction(async |conn| {
                let rows = store::lock_awaiting(conn, cutoff, after, BATCH).await?;
                let mut done = Pass::default();
                for line in &rows {
                    let Some(shipped_at) = line.shipped_at else {
                        continue;
                    };
                    let facts = Awaiting {
                        shipped_at,
                        carrier_delivered_at: line.carrier_delivered_at,
                        noticed_at: line.confirmation_noticed_at,
                    };
                    match rule.next(facts, now) {
                        Next::Wait => {}
                        Next::Notify => {
                            store::mark_noticed(conn, line.id, now).await?;
                            jobs::enqueue(
                                conn,
                                &ConfirmationNotice {
                                    product_order_id: line.id,
                                    confirms_on: rule
                                        .without_delivery_at(shipped_at)
                                        .max(now + rule.notice),
                                },
                            )
                            .await?;
                            done.noticed += 1;
                        }
                        Next::Confirm => {
                            if confirm_locked(conn, &settings, line, ConfirmedBy::Schedule, now)
                                .await?
                                .is_some()
                            {
                                done.confirmed += 1;
                            }
                        }
                    }
                }
                Ok::<_, AppError>((rows.last().map(|row| row.id), rows.len(), done))
            })
            .await?;
        let (last, seen, done) = batch;
        pass.confirmed += done.confirmed;
        pass.noticed += done.noticed;
        match last {
            Some(last) if seen == usize::try_from(BATCH).unwrap_or(usize::MAX) => after = last,
            _ => return Ok(pass),
        }
    }
}

/// Emails the shopper that a product order will confirm without a
/// delivery event unless they say otherwise.
pub(crate) async fn send_notice(
    context: &Context,
    job: ConfirmationNotice,
) -> Result<(), jobs::JobError> {
    let found = order_mail::load(context, async |conn| {
        persistence::fulfilment::dispatch::line(conn, job.product_order_id).await
    })
    .await?;
    let Some(line) = found else {
        return Ok(());
    };
    let on = domain::calendar::korean_date(job.confirms_on);
    let name = line.product_name;
    order_mail::tell_buyer(context, line.purchase_order_id, |purchase| {
        let no = &purchase.order_no;
        (
            format!("Order {no}: {name} will be confirmed on {on}"),
            format!("The carrier has not reported delivering {name} of order {no}. We will confirm the purchase on {on}; if it has not arrived, open a claim before then.\n"),
            format!("<p>The carrier has not reported delivering {name} of order <b>{no}</b>. We will confirm the purchase on {on}; if it has not arrived, open a claim before then.</p>"),
        )
    })
    .await
}

/// Product orders whose confirmation does not add up (should be none).
pub async fn mismatches(context: &Context) -> Result<Vec<Uuid>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(store::mismatches(&mut conn).await?)
}
