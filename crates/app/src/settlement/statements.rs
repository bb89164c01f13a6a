//! A payee's statements (one per Korean calendar month, projected from its
//! journal entries) and its balance.

use chrono::{DateTime, Utc};
use domain::calendar::{korean_date, start_of};
use domain::settlement::journal::{Account, EntryKind, Line, Side};
use domain::settlement::statements::{Period, Statement};
use persistence::settlement::statements::{self as store, BalanceRow};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{AppError, Context};

/// A statement with its period.
#[derive(Debug, Clone)]
pub struct StatementView {
    pub payee_id: Uuid,
    pub period: Period,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// The period has ended: its statement no longer changes.
    pub closed: bool,
    pub statement: Statement,
}

/// The payee's statement for `period` (`YYYY-MM`); not found for a period
/// not begun or not named as one.
pub async fn statement(
    context: &Context,
    payee_id: Uuid,
    period: &str,
    now: DateTime<Utc>,
) -> Result<StatementView, AppError> {
    let not_found = AppError::NotFound {
        resource: "statement",
    };
    let period = Period::parse(period).ok_or(not_found)?;
    let (from, until) = (start_of(period.first_day()), start_of(period.end()));
    if from > now {
        return Err(AppError::NotFound {
            resource: "statement",
        });
    }
    let mut conn = context.db.get().await?;
    let opening = store::owed_at(&mut conn, payee_id, from).await?;
    let rows = store::lines_between(&mut conn, payee_id, from, until).await?;
    let lines: Vec<(EntryKind, Line)> = rows
        .into_iter()
        .map(|row| {
            let kind = EntryKind::parse(&row.kind);
            let account = Account::parse(&row.account);
            let side = Side::parse(&row.side);
            match (kind, account, side) {
                (Some(kind), Some(account), Some(side)) => Ok((
                    kind,
                    Line {
                        account,
                        side,
                        amount: row.amount,
                    },
                )),
                _ => Err(AppError::internal(format!(
                    "a journal line of an unknown kind, account or side: {row:?}"
                ))),
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(StatementView {
        payee_id,
        period,
        from,
        until,
        closed: until <= now,
        statement: Statement::of(opening, lines.iter().map(|(kind, line)| (*kind, line))),
    })
}

/// The periods a payee has statements for, newest first: from its first
/// entry's month to the current one.
pub async fn periods(
    context: &Context,
    payee_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Period>, AppError> {
    let mut conn = context.db.get().await?;
    let Some(first) = store::first_entry_at(&mut conn, payee_id).await? else {
        return Ok(Vec::new());
    };
    let last = Period::of(korean_date(now));
    let mut periods = Vec::new();
    let mut period = Period::of(korean_date(first));
    while period <= last {
        periods.push(period);
        period = period.next();
    }
    periods.reverse();
    Ok(periods)
}

/// Every payee's statement for `period` that has anything on it (or one
/// payee's), for operations.
pub async fn of_period(
    context: &Context,
    period: &str,
    payee_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Vec<StatementView>, AppError> {
    if Period::parse(period).is_none() {
        return Err(AppError::invalid(
            "period",
            crate::kernel::FieldCode::InvalidFormat,
            "a month as YYYY-MM",
        ));
    }
    let payees = match payee_id {
        Some(id) => vec![id],
        None => {
            let mut conn = context.db.get().await?;
            store::payees_with_entries(&mut conn).await?
        }
    };
    let mut views = Vec::new();
    for payee in payees {
        let view = statement(context, payee, period, now).await?;
        if payee_id.is_some() || view.statement != Statement::of(view.statement.opening, []) {
            views.push(view);
        }
    }
    Ok(views)
}

/// Payees whose statements, carried month by month up to `now`, do not
/// chain (a month opening at other than the last one closed) or do not
/// close at what the journal holds for them (should be none).
pub async fn mismatches(context: &Context, now: DateTime<Utc>) -> Result<Vec<String>, AppError> {
    let payees = {
        let mut conn = context.db.get().await?;
        store::payees_with_entries(&mut conn).await?
    };
    let mut problems = Vec::new();
    for payee in payees {
        let mut closed: Option<Decimal> = None;
        for period in periods(context, payee, now).await?.into_iter().rev() {
            let view = statement(context, payee, &period.name(), now).await?;
            if let Some(closed) = closed
                && closed != view.statement.opening
            {
                problems.push(format!(
                    "payee {payee}'s statement for {} opens at {} but the month before closed at {closed}",
                    period.name(),
                    view.statement.opening
                ));
            }
            closed = Some(view.statement.closing);
        }
        let held = balance(context, payee).await?;
        let journal = held.earned - held.paid;
        if closed.unwrap_or_default() != journal {
            problems.push(format!(
                "payee {payee}'s statements close at {} but its journal holds {journal}",
                closed.unwrap_or_default()
            ));
        }
    }
    Ok(problems)
}

pub async fn balance(context: &Context, payee_id: Uuid) -> Result<BalanceRow, AppError> {
    let mut conn = context.db.get().await?;
    Ok(store::balance(&mut conn, payee_id).await?)
}
