//! Telling a shopper about their order by email: where to write (the
//! member's address, or the guest's as given at checkout), and the retry a
//! job asks for when a store or the mail server fails.

use integrations::email::Email;
use persistence::identity::users;
use persistence::orders::purchase_orders::{self, PurchaseOrderRow};
use persistence::{AsyncPgConnection, StoreError};
use uuid::Uuid;

use crate::Context;

/// A job's retry for any failure.
pub(crate) fn retry(error: &dyn std::fmt::Display) -> jobs::JobError {
    jobs::JobError::retry(error.to_string())
}

/// Where to email the buyer of `purchase`, if anywhere.
pub(crate) async fn address_of(
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

/// Emails the buyer of purchase order `id` what `write` makes of it (a
/// subject, text and HTML); nothing when the order or an address is gone.
pub(crate) async fn tell_buyer(
    context: &Context,
    id: Uuid,
    write: impl FnOnce(&PurchaseOrderRow) -> (String, String, String),
) -> Result<(), jobs::JobError> {
    let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
    let Some(purchase) = purchase_orders::find_purchase(&mut conn, id, None)
        .await
        .map_err(|e| retry(&e))?
    else {
        return Ok(());
    };
    let Some(to) = address_of(&mut conn, &purchase)
        .await
        .map_err(|e| retry(&e))?
    else {
        return Ok(());
    };
    drop(conn);
    let (subject, text, html) = write(&purchase);
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
