//! Stock held for unpaid orders. Reserving is one conditional UPDATE per
//! SKU; the `skus_reserved_range` CHECK backs it, so available stock can
//! never go below zero at any concurrency.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{inventory_movements, inventory_reservations, skus};

/// Reserves `quantity` of a SKU if that many are available; returns what
/// is available after, `None` when there was not enough.
pub async fn reserve(
    conn: &mut AsyncPgConnection,
    sku_id: Uuid,
    quantity: i32,
) -> Result<Option<i32>, StoreError> {
    let after: Option<(i32, i32)> = diesel::update(skus::table)
        .filter(skus::id.eq(sku_id))
        .filter((skus::on_hand - skus::reserved).ge(quantity))
        .set(skus::reserved.eq(skus::reserved + quantity))
        .returning((skus::on_hand, skus::reserved))
        .get_result(conn)
        .await
        .optional()?;
    Ok(after.map(|(on_hand, reserved)| on_hand - reserved))
}

/// Records the holds of an order.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
    holder: &str,
    holds: &[(Uuid, i32)],
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let rows: Vec<_> = holds
        .iter()
        .map(|(sku_id, quantity)| {
            (
                inventory_reservations::id.eq(Uuid::new_v4()),
                inventory_reservations::sku_id.eq(*sku_id),
                inventory_reservations::purchase_order_id.eq(purchase_order_id),
                inventory_reservations::holder.eq(holder),
                inventory_reservations::quantity.eq(*quantity),
                inventory_reservations::expires_at.eq(expires_at),
            )
        })
        .collect();
    diesel::insert_into(inventory_reservations::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

/// A SKU whose availability changed: what was available before and after.
#[derive(Debug, Clone, Copy)]
pub struct StockChange {
    pub sku_id: Uuid,
    pub available_before: i32,
    pub available_after: i32,
}

/// Ends an order's holds: `committed` takes the units out of stock (sold,
/// with a ledger entry); otherwise they become available again.
pub async fn finish(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
    committed: bool,
    reference: &str,
) -> Result<Vec<StockChange>, StoreError> {
    let holds: Vec<(Uuid, i32)> = diesel::update(inventory_reservations::table)
        .filter(inventory_reservations::purchase_order_id.eq(purchase_order_id))
        .filter(inventory_reservations::state.eq("held"))
        .set(inventory_reservations::state.eq(if committed { "committed" } else { "released" }))
        .returning((
            inventory_reservations::sku_id,
            inventory_reservations::quantity,
        ))
        .get_results(conn)
        .await?;
    let mut holds = holds;
    // One lock order for every transaction that touches several SKUs.
    holds.sort();
    let mut changes = Vec::with_capacity(holds.len());
    for (sku_id, quantity) in holds {
        let (on_hand, reserved): (i32, i32) = if committed {
            diesel::update(skus::table.find(sku_id))
                .set((
                    skus::on_hand.eq(skus::on_hand - quantity),
                    skus::reserved.eq(skus::reserved - quantity),
                ))
                .returning((skus::on_hand, skus::reserved))
                .get_result(conn)
                .await?
        } else {
            diesel::update(skus::table.find(sku_id))
                .set(skus::reserved.eq(skus::reserved - quantity))
                .returning((skus::on_hand, skus::reserved))
                .get_result(conn)
                .await?
        };
        let after = on_hand - reserved;
        if committed {
            diesel::insert_into(inventory_movements::table)
                .values((
                    inventory_movements::sku_id.eq(sku_id),
                    inventory_movements::delta.eq(-quantity),
                    inventory_movements::reason.eq("sold"),
                    inventory_movements::reference.eq(reference),
                    inventory_movements::on_hand_after.eq(on_hand),
                ))
                .execute(conn)
                .await?;
        }
        changes.push(StockChange {
            sku_id,
            available_before: if committed { after } else { after - quantity },
            available_after: after,
        });
    }
    Ok(changes)
}
