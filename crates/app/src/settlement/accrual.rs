//! Earnings follow the order. After each event that can change what a
//! vendor earns from an order (a confirmation, a claim carried out), the
//! order's journal is brought to what `domain::settlement::accrual` says
//! each of its product orders and vendor orders should hold, as one entry
//! per product order or vendor order named by the event, so an event
//! posts once and a sequence of events ends where one would.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::settlement::accrual::{self, Followed};
use domain::settlement::commission::PayeeKind;
use domain::settlement::earning::ConfirmedLine;
use domain::settlement::journal::{Account, Entry, Nets};
use persistence::AsyncPgConnection;
use persistence::settlement::journal::{self as store, ConfirmedLineRow, NewEntry, OrderState};
use uuid::Uuid;

use crate::AppError;

/// What brought the order to settle.
#[derive(Debug, Clone, Copy)]
pub enum Event {
    Confirmed { product_order_id: Uuid },
    Claim { claim_id: Uuid },
}

impl Event {
    fn name(self) -> String {
        match self {
            Self::Confirmed { product_order_id } => format!("confirmed:{product_order_id}"),
            Self::Claim { claim_id } => format!("claim:{claim_id}"),
        }
    }
}

/// One thing the journal follows: a product order, or a vendor order's
/// shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Subject {
    Line(Uuid),
    Shipping(Uuid),
}

/// A product order or vendor order, what it should stand at, and whose it is.
struct Due {
    subject: Subject,
    payee_id: Uuid,
    seller_order_id: Uuid,
    target: Entry,
    followed: Followed,
}

fn confirmed(line: &ConfirmedLineRow) -> ConfirmedLine {
    ConfirmedLine {
        list_amount: line.list_amount,
        product_discount: line.product_discount,
        seller_coupon_discount: line.seller_coupon_discount,
        platform_coupon_discount: line.platform_coupon_discount,
        platform_coupon_seller_funded: line.platform_coupon_seller_funded,
        commission_rate: line.commission_rate,
        commission_vat_rate: line.commission_vat_rate,
    }
}

/// Every subject of `state` with its target and what is posted for it,
/// and the subjects something is posted for that are due nothing at all.
fn dues(state: &OrderState) -> (Vec<(Due, Nets)>, Vec<Subject>) {
    let mut posted: HashMap<Subject, Nets> = HashMap::new();
    for row in &state.posted {
        let subject = match (row.product_order_id, row.seller_order_id) {
            (Some(line), _) => Subject::Line(line),
            (None, Some(order)) => Subject::Shipping(order),
            (None, None) => continue,
        };
        if let Some(account) = Account::parse(&row.account)
            && !row.net.is_zero()
        {
            *posted
                .entry(subject)
                .or_default()
                .entry(account)
                .or_default() += row.net;
        }
    }
    let lines = state.lines.iter().map(|line| Due {
        subject: Subject::Line(line.id),
        payee_id: line.seller_id,
        seller_order_id: line.seller_order_id,
        target: accrual::line_target(&confirmed(line), line.taken_back),
        followed: Followed::Line {
            taken_back: line.taken_back,
        },
    });
    let shipping = state.vendor_orders.iter().map(|order| Due {
        subject: Subject::Shipping(order.id),
        payee_id: order.seller_id,
        seller_order_id: order.id,
        target: accrual::shipping_target(order.collected, order.due),
        followed: Followed::Shipping,
    });
    let dues = lines
        .chain(shipping)
        .map(|due| {
            let held = posted.remove(&due.subject).unwrap_or_default();
            (due, held)
        })
        .collect();
    (dues, posted.into_keys().collect())
}

/// Brings the journal to what `purchase_order_id` says now, in the
/// caller's transaction.
pub async fn settle(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
    event: Event,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    store::lock_order(conn, purchase_order_id).await?;
    let state = store::order_state(conn, Some(purchase_order_id)).await?;
    for (due, held) in dues(&state).0 {
        let Some((entry_kind, entry)) = accrual::posting(due.followed, &due.target, &held) else {
            continue;
        };
        let (product_order_id, subject) = match due.subject {
            Subject::Line(line) => (Some(line), line),
            Subject::Shipping(order) => (None, order),
        };
        store::post(
            conn,
            &NewEntry {
                kind: entry_kind,
                source: format!("{}:{subject}:{}", entry_kind.as_str(), event.name()),
                payee_kind: PayeeKind::Seller.as_str(),
                payee_id: due.payee_id,
                purchase_order_id: Some(purchase_order_id),
                seller_order_id: Some(due.seller_order_id),
                product_order_id,
                occurred_at: at,
                payout_batch_id: None,
            },
            &entry,
        )
        .await?;
    }
    Ok(())
}

/// Orders whose journal differs from what they say (should be none), as
/// `problem: subject` lines; every order's when `None`.
pub async fn drift(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Option<Uuid>,
) -> Result<Vec<String>, AppError> {
    let state = store::order_state(conn, purchase_order_id).await?;
    let (dues, unexplained) = dues(&state);
    let differing = dues
        .into_iter()
        .filter(|(due, held)| due.target.nets() != *held)
        .map(|(due, _)| due.subject);
    Ok(differing
        .chain(unexplained)
        .map(|subject| match subject {
            Subject::Line(line) => format!("product order's earning differs from posted: {line}"),
            Subject::Shipping(order) => {
                format!("vendor order's shipping differs from posted: {order}")
            }
        })
        .collect())
}
