//! The stock an unpaid order holds: when the hold ends, and giving back
//! what the order took (stock, coupons, points, cash) when it expires or is
//! cancelled. The `release-expired-orders` schedule sweeps expired holds.

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use persistence::catalog::products;
use persistence::kernel::lots::{self, Ledger};
use persistence::orders::holds;
use persistence::orders::purchase_orders::{self, PurchaseOrderRow, status};
use persistence::pricing::coupons;
use persistence::{AsyncPgConnection, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{AppError, Context};

/// Schedule: releases the holds of unpaid orders past their end.
#[derive(Debug, Serialize, Deserialize)]
pub struct ReleaseExpiredHolds;

impl jobs::Job for ReleaseExpiredHolds {
    const KIND: &'static str = "orders.release_expired";
}

/// Gives back what an unpaid order took (stock, coupons, points) and ends
/// it as `to` (expired or cancelled).
pub(crate) async fn release(
    conn: &mut AsyncPgConnection,
    order_id: Uuid,
    order_no: &str,
    user_id: Option<Uuid>,
    to: &str,
    reason: &str,
) -> Result<(), StoreError> {
    let changes = holds::finish(conn, order_id, false, order_no).await?;
    for change in &changes {
        if change.available_before <= 0 && change.available_after > 0 {
            if let Some(product_id) = products::product_of_sku(conn, change.sku_id).await? {
                products::refresh_listing(conn, product_id).await?;
            }
            crate::catalog::restock_alerts::on_stock_change(
                conn,
                change.sku_id,
                change.available_before,
                change.available_after,
            )
            .await?;
        }
    }
    coupons::release_order(conn, order_id).await?;
    if let Some(user_id) = user_id {
        for ledger in [Ledger::Points, Ledger::Cash] {
            let owed = lots::outstanding_for_order(conn, ledger, order_id).await?;
            lots::draw(
                conn,
                ledger,
                user_id,
                lots::kind::RESTORE,
                &owed,
                Some(order_id),
                reason,
            )
            .await?;
        }
    }
    purchase_orders::set_status(conn, order_id, to, None, Some(reason), None).await?;
    Ok(())
}

/// Releases unpaid orders whose hold ended; returns how many. Each order
/// in a transaction of its own: a release locks its SKU rows, the rows
/// checkouts wait for, and holds them only until its own commit. Several
/// orders in one transaction would hold the first one's SKUs while
/// releasing the rest, and take SKU locks out of the one order (by id)
/// every checkout keeps.
pub async fn release_expired(context: &Context) -> Result<usize, AppError> {
    let mut released = 0;
    let mut conn = context.db.get().await?;
    loop {
        let released_one = conn
            .transaction(async |conn| {
                let Some((id, order_no, user_id)) =
                    purchase_orders::lock_next_expired(conn, Utc::now()).await?
                else {
                    return Ok::<_, AppError>(false);
                };
                release(
                    conn,
                    id,
                    &order_no,
                    user_id,
                    status::EXPIRED,
                    "payment not completed in time",
                )
                .await?;
                Ok(true)
            })
            .await?;
        if !released_one {
            return Ok(released);
        }
        released += 1;
    }
}

/// When an unpaid order stops holding stock (for answers).
pub fn hold_ends(order: &PurchaseOrderRow) -> Option<DateTime<Utc>> {
    (order.status == status::PENDING_PAYMENT).then_some(order.expires_at)
}
