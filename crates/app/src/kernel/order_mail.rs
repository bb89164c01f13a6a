//! Telling an order's buyer or vendor about it by email, from background
//! jobs: where to write (the member's address or the guest's as given at
//! checkout; the vendor's contact address), reading what the message needs
//! on a pooled connection, and the retry a job asks for when a store or the
//! mail server fails.

use integrations::email::Email;
use persistence::identity::users;
use persistence::orders::purchase_orders::{self, PurchaseOrderRow, SellerOrderNotice};
use persistence::{AsyncPgConnection, StoreError};
use uuid::Uuid;

use crate::Context;

/// A job's retry for any failure.
pub(crate) fn retry(error: &dyn std::fmt::Display) -> jobs::JobError {
    jobs::JobError::retry(error.to_string())
}

/// Reads what a job needs on a pooled connection; a failure asks for a retry.
pub(crate) async fn load<T>(
    context: &Context,
    read: impl AsyncFnOnce(&mut AsyncPgConnection) -> Result<T, StoreError>,
) -> Result<T, jobs::JobError> {
    let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
    read(&mut conn).await.map_err(|e| retry(&e))
}

/// Where to email the buyer of `purchase`, if anywhere.
async fn address_of(
    conn: &mut AsyncPgConnection,
    purchase: &PurchaseOrderRow,
) -> Result<Option<String>, StoreError> {
    Ok(match purchase.user_id {
        Some(user_id) => match users::find(conn, user_id).await {
            Ok(user) => user.email.value().map(str::to_owned),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e),
        },
        None => purchase
            .orderer_email
            .as_ref()
            .and_then(|e| e.value().map(str::to_owned)),
    })
}

async fn send(
    context: &Context,
    to: String,
    message: (String, String, String),
) -> Result<(), jobs::JobError> {
    let (subject, text, html) = message;
    context
        .mailer
        .send(&Email {
            to,
            subject,
            text,
            html,
        })
        .await
        .map_err(|e| retry(&e))
}

/// Emails the buyer of purchase order `id` what `write` makes of it (a
/// subject, text and HTML); nothing when the order or an address is gone.
pub(crate) async fn tell_buyer(
    context: &Context,
    id: Uuid,
    write: impl FnOnce(&PurchaseOrderRow) -> (String, String, String),
) -> Result<(), jobs::JobError> {
    let found = load(context, async |conn| {
        let Some(purchase) = purchase_orders::find_purchase(conn, id, None).await? else {
            return Ok(None);
        };
        let address = address_of(conn, &purchase).await?;
        Ok(address.map(|to| (purchase, to)))
    })
    .await?;
    let Some((purchase, to)) = found else {
        return Ok(());
    };
    send(context, to, write(&purchase)).await
}

/// Emails the vendor's contact address about its vendor order `id` what
/// `write` makes of it; nothing when the order or an address is gone.
pub(crate) async fn tell_vendor(
    context: &Context,
    id: Uuid,
    write: impl FnOnce(&SellerOrderNotice) -> (String, String, String),
) -> Result<(), jobs::JobError> {
    let notice = load(context, async |conn| {
        purchase_orders::seller_order_notice(conn, id).await
    })
    .await?;
    let Some((notice, to)) = notice.and_then(|notice| {
        let to = notice.contact_email.value().map(str::to_owned)?;
        Some((notice, to))
    }) else {
        return Ok(());
    };
    send(context, to, write(&notice)).await
}
