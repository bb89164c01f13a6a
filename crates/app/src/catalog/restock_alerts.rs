//! Restock alerts: a shopper subscribes to a sold-out SKU; when its
//! available stock goes from zero to more, a job (enqueued in the same
//! transaction as the stock change: the outbox) emails every subscriber once.

use persistence::catalog::{products, restock_alerts};
use persistence::identity::users;
use persistence::{AsyncPgConnection, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kernel::ProblemCode;
use crate::{AppError, Context};

/// Emails the subscribers of one SKU that it is back.
#[derive(Debug, Serialize, Deserialize)]
pub struct SendRestockAlerts {
    pub sku_id: Uuid,
}

impl jobs::Job for SendRestockAlerts {
    const KIND: &'static str = "catalog.send_restock_alerts";
}

/// Subscribes the caller to a sold-out SKU of a listed product.
pub async fn subscribe(context: &Context, user_id: Uuid, sku_id: Uuid) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    match products::listed_sku_available(&mut conn, sku_id).await? {
        None => Err(AppError::NotFound { resource: "sku" }),
        Some(available) if available > 0 => Err(AppError::Conflict {
            code: ProblemCode::InStock,
            message: "this SKU is in stock: no alert needed".into(),
        }),
        Some(_) => Ok(restock_alerts::subscribe(&mut conn, user_id, sku_id).await?),
    }
}

/// Called inside every transaction that changes a SKU's stock: queues the
/// alerts when available stock went from none to some.
pub async fn on_stock_change(
    conn: &mut AsyncPgConnection,
    sku_id: Uuid,
    available_before: i32,
    available_after: i32,
) -> Result<(), StoreError> {
    if available_before <= 0 && available_after > 0 {
        jobs::enqueue(conn, &SendRestockAlerts { sku_id }).await?;
    }
    Ok(())
}

const BATCH: i64 = 100;

pub(crate) async fn send_restock_alerts(
    context: &Context,
    job: SendRestockAlerts,
) -> Result<(), jobs::JobError> {
    let retry = |e: &dyn std::fmt::Display| jobs::JobError::retry(e.to_string());
    let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
    let Some((product_id, name, option_values)) = products::sku_label(&mut conn, job.sku_id)
        .await
        .map_err(|e| retry(&e))?
    else {
        return Ok(());
    };
    let options: Vec<String> = option_values.into_iter().flatten().collect();
    let label = if options.is_empty() {
        name
    } else {
        format!("{name} ({})", options.join(" / "))
    };
    loop {
        let waiting = restock_alerts::pending(&mut conn, job.sku_id, BATCH)
            .await
            .map_err(|e| retry(&e))?;
        if waiting.is_empty() {
            return Ok(());
        }
        for user_id in waiting {
            let user = users::find(&mut conn, user_id)
                .await
                .map_err(|e| retry(&e))?;
            if let Some(address) = user.email.value() {
                let link = format!(
                    "{}/products/{product_id}",
                    context.identity.email_link_base_url
                );
                context
                    .mailer
                    .send(&integrations::email::Email {
                        to: address.to_owned(),
                        subject: format!("Back in stock: {label}"),
                        text: format!("{label} is back in stock.\n\n{link}\n"),
                        html: format!(
                            "<p>{label} is back in stock.</p><p><a href=\"{link}\">See it</a></p>"
                        ),
                    })
                    .await
                    .map_err(|e| retry(&e))?;
            }
            // Marked after sending: a retry resends to no one already told.
            restock_alerts::mark_notified(&mut conn, user_id, job.sku_id)
                .await
                .map_err(|e| retry(&e))?;
        }
    }
}
