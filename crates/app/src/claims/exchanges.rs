//! An exchange's other option: of the same product, priced now against
//! what was paid, with the round trip the shopper's own reasons pay; and
//! letting its held units go when the exchange will not happen.

use chrono::{DateTime, Utc};
use domain::catalog::product::Pricing;
use domain::claims::reasons::Reason;
use persistence::AsyncPgConnection;
use persistence::claims::exchanges::{self as store, OptionRow};
use persistence::claims::orders::OrderForClaim;
use persistence::claims::requests::{self as claims, ClaimLineRow, ClaimRow};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::AppError;
use crate::kernel::FieldCode;

/// An exchange priced on its locked order.
pub(super) struct Exchange {
    pub from_sku: Uuid,
    pub option: OptionRow,
    pub quantity: i32,
    pub price_difference: Decimal,
    pub fee: Decimal,
}

/// The other option of an exchange of `line_id`: of the same product, on
/// sale; what it costs more (or less) now, and the round trip the shopper's
/// own reasons pay for.
pub(super) async fn exchange_of(
    conn: &mut AsyncPgConnection,
    found: &OrderForClaim,
    line_id: Uuid,
    sku_id: Uuid,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<Exchange, AppError> {
    let line = found
        .lines
        .iter()
        .find(|l| l.id == line_id)
        .ok_or_else(|| AppError::internal("a checked line is gone"))?;
    let not_an_option =
        |why: &str| AppError::invalid("exchange_sku_id", FieldCode::InvalidValue, why);
    let option = store::option(conn, sku_id)
        .await?
        .ok_or_else(|| not_an_option("no such option"))?;
    if option.product_id != line.product_id {
        return Err(not_an_option("an option of the same product"));
    }
    if option.id == line.sku_id {
        return Err(not_an_option("the option the shopper already has"));
    }
    let pricing = Pricing {
        list_price: option.list_price,
        sale_price: option.sale_price,
        sale_starts_at: option.sale_starts_at,
        sale_ends_at: option.sale_ends_at,
    };
    let unit_paid = (line.list_amount - line.product_discount) / Decimal::from(line.quantity);
    let price_difference = (pricing.effective_at(now) - unit_paid) * Decimal::from(line.quantity);
    let fee = if reason.fault().shopper_pays_shipping() {
        found
            .terms
            .iter()
            .find(|t| t.id == line.seller_id)
            .map_or(Decimal::ZERO, |t| t.shipping_base_fee + t.return_fee)
    } else {
        Decimal::ZERO
    };
    Ok(Exchange {
        from_sku: line.sku_id,
        option,
        quantity: line.quantity,
        price_difference,
        fee,
    })
}

/// An exchange that will not happen lets go of the option's held units.
pub(super) async fn exchange_ends(
    conn: &mut AsyncPgConnection,
    row: &ClaimRow,
    lines: &[ClaimLineRow],
) -> Result<(), AppError> {
    let Some(sku_id) = row.exchange_sku_id else {
        return Ok(());
    };
    let ids: Vec<Uuid> = lines.iter().map(|l| l.product_order_id).collect();
    let quantity: i32 = claims::claimed_units(conn, &ids)
        .await?
        .iter()
        .map(|unit| unit.quantity)
        .sum();
    store::release(conn, sku_id, quantity).await?;
    Ok(())
}
