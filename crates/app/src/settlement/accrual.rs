//! Earnings follow the order. After each event that can change what a
//! vendor earns from an order (a confirmation, a claim carried out), the
//! journal is brought to what the order says now:
//!
//! - a confirmed product order earns what `domain::settlement::earning`
//!   makes of its current shares and its frozen commission, or nothing once
//!   a claim took it back (a clawback);
//! - a vendor order is owed its shipping and the fees claims kept for it
//!   once a line of it is confirmed, or every line was taken back.
//!
//! Only the difference from what is posted is written (the first posting
//! with its gross lines), as one entry per product order or vendor order,
//! named by the event, so an event posts once and a sequence of events ends
//! where one would.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::settlement::commission::PayeeKind;
use domain::settlement::earning::{self, ConfirmedLine};
use domain::settlement::journal::{Account, Entry, Nets};
use persistence::AsyncPgConnection;
use persistence::settlement::journal::{
    self as store, ConfirmedLineRow, NewEntry, OrderState, VendorOrderRow, kind,
};
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
    taken_back: bool,
}

fn line_target(line: &ConfirmedLineRow) -> Entry {
    if line.taken_back {
        return Entry::default();
    }
    earning::earning(&ConfirmedLine {
        list_amount: line.list_amount,
        product_discount: line.product_discount,
        seller_coupon_discount: line.seller_coupon_discount,
        platform_coupon_discount: line.platform_coupon_discount,
        platform_coupon_seller_funded: line.platform_coupon_seller_funded,
        commission_rate: line.commission_rate,
        commission_vat_rate: line.commission_vat_rate,
    })
    .entry
}

fn shipping_target(order: &VendorOrderRow) -> Entry {
    if order.due {
        earning::shipping(order.collected)
    } else {
        Entry::default()
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
        target: line_target(line),
        taken_back: line.taken_back,
    });
    let shipping = state.vendor_orders.iter().map(|order| Due {
        subject: Subject::Shipping(order.id),
        payee_id: order.seller_id,
        seller_order_id: order.id,
        target: shipping_target(order),
        taken_back: false,
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
        // A first posting keeps its gross lines (the sale and the
        // commission apart), which statements show; later ones post the
        // difference.
        let difference = if held.is_empty() {
            due.target.clone()
        } else {
            Entry::difference(&due.target.nets(), &held)
        };
        if difference.lines().is_empty() {
            continue;
        }
        let (entry_kind, product_order_id, subject) = match due.subject {
            Subject::Line(line) if held.is_empty() => (kind::EARNING, Some(line), line),
            Subject::Line(line) if due.taken_back => (kind::CLAWBACK, Some(line), line),
            Subject::Line(line) => (kind::ADJUSTMENT, Some(line), line),
            Subject::Shipping(order) => (kind::SHIPPING, None, order),
        };
        store::post(
            conn,
            &NewEntry {
                kind: entry_kind,
                source: format!("{entry_kind}:{subject}:{}", event.name()),
                payee_kind: PayeeKind::Seller.as_str(),
                payee_id: due.payee_id,
                purchase_order_id: Some(purchase_order_id),
                seller_order_id: Some(due.seller_order_id),
                product_order_id,
                occurred_at: at,
                payout_batch_id: None,
            },
            &difference,
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
