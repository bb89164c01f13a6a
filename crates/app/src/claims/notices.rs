//! Emails about a claim, sent from the outbox: the vendor learns of a
//! return to decide on; the shopper of an approval (send the item back), a
//! rejection (with the vendor's note) and the refund made.

use persistence::AsyncPgConnection;
use persistence::claims::requests as store;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kernel::mail_links::escape_html;
use crate::kernel::order_mail;
use crate::{AppError, Context};

/// What happened to the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// A return or exchange waits for the vendor.
    Requested,
    Approved,
    Rejected,
    /// The refund was made.
    Refunded,
    /// The vendor has the first item back; the other option is prepared.
    Exchanged,
}

/// Outbox: tell whoever must know what happened to a claim.
#[derive(Debug, Serialize, Deserialize)]
pub struct ClaimNotice {
    pub claim_id: Uuid,
    pub event: Event,
}

impl jobs::Job for ClaimNotice {
    const KIND: &'static str = "claims.notice";
}

/// Enqueues the notice in the caller's transaction.
pub(super) async fn enqueue(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
    event: Event,
) -> Result<(), AppError> {
    jobs::enqueue(conn, &ClaimNotice { claim_id, event }).await?;
    Ok(())
}

/// Sends one notice; nothing when the claim is gone.
pub(crate) async fn send(context: &Context, job: ClaimNotice) -> Result<(), jobs::JobError> {
    let found = order_mail::load(context, async |conn| {
        store::find(conn, job.claim_id, None, None).await
    })
    .await?;
    let Some((claim, lines)) = found else {
        return Ok(());
    };
    let what = match claim.kind.as_str() {
        "cancel" => "cancellation",
        "exchange" => "exchange",
        _ => "return",
    };
    let total = (claim.refund_payable + claim.refund_points + claim.refund_cash).normalize();
    match job.event {
        Event::Requested => {
            let Some(line) = lines.first() else {
                return Ok(());
            };
            let reason = claim.reason.replace('_', " ");
            order_mail::tell_vendor(context, line.seller_order_id, |notice| {
                let no = &notice.order_no;
                (
                    format!("Order {no}: a {what} to decide on"),
                    format!("The shopper asks for a {what} of {} item(s) of order {no} ({reason}). Approve or reject it from your claims.\n", lines.len()),
                    format!("<p>The shopper asks for a {what} of {} item(s) of order <b>{no}</b> ({reason}). Approve or reject it from your claims.</p>", lines.len()),
                )
            })
            .await
        }
        Event::Approved => {
            order_mail::tell_buyer(context, claim.purchase_order_id, |purchase| {
                let no = &purchase.order_no;
                (
                    format!("Order {no}: your {what} is approved"),
                    format!("Your {what} for order {no} is approved: please send the item back. We refund ₩{total} once the vendor receives it.\n"),
                    format!("<p>Your {what} for order <b>{no}</b> is approved: please send the item back. We refund ₩{total} once the vendor receives it.</p>"),
                )
            })
            .await
        }
        Event::Rejected => {
            let note = claim.decision_note.clone().unwrap_or_default();
            order_mail::tell_buyer(context, claim.purchase_order_id, |purchase| {
                let no = &purchase.order_no;
                let html_note = escape_html(&note);
                (
                    format!("Order {no}: your {what} was not accepted"),
                    format!("The vendor did not accept your {what} for order {no}: {note}\n"),
                    format!("<p>The vendor did not accept your {what} for order <b>{no}</b>: {html_note}</p>"),
                )
            })
            .await
        }
        Event::Exchanged => {
            order_mail::tell_buyer(context, claim.purchase_order_id, |purchase| {
                let no = &purchase.order_no;
                (
                    format!("Order {no}: your exchange is being prepared"),
                    format!("The vendor has your item back; the option you chose for order {no} is being prepared. You will be told when it ships.\n"),
                    format!("<p>The vendor has your item back; the option you chose for order <b>{no}</b> is being prepared. You will be told when it ships.</p>"),
                )
            })
            .await
        }
        Event::Refunded => {
            order_mail::tell_buyer(context, claim.purchase_order_id, |purchase| {
                let no = &purchase.order_no;
                (
                    format!("Order {no}: ₩{total} refunded"),
                    format!("Your {what} for order {no} is done: ₩{total} goes back to how you paid (card, cash wallet, points).\n"),
                    format!("<p>Your {what} for order <b>{no}</b> is done: ₩{total} goes back to how you paid (card, cash wallet, points).</p>"),
                )
            })
            .await
        }
    }
}
