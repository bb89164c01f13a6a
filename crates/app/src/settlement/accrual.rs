//! Earnings accrue when a product order is confirmed: the earning entry of
//! the line, and with the vendor order's first confirmation its shipping
//! fee. Each is named by its event, so it posts once.

use domain::settlement::commission::PayeeKind;
use domain::settlement::earning::{self, ConfirmedLine};
use persistence::AsyncPgConnection;
use persistence::fulfilment::confirmations::ConfirmationRow;
use persistence::settlement::journal::{self as store, NewEntry, kind};

use crate::AppError;

/// Posts what `confirmation` earns its vendor, in the caller's transaction.
pub async fn accrue(
    conn: &mut AsyncPgConnection,
    confirmation: &ConfirmationRow,
) -> Result<(), AppError> {
    let earning = earning::earning(&ConfirmedLine {
        list_amount: confirmation.list_amount,
        product_discount: confirmation.product_discount,
        seller_coupon_discount: confirmation.seller_coupon_discount,
        platform_coupon_discount: confirmation.platform_coupon_discount,
        platform_coupon_seller_funded: confirmation.platform_coupon_seller_funded,
        commission_rate: confirmation.commission_rate,
        commission_vat_rate: confirmation.commission_vat_rate,
    });
    let header = |kind, source| NewEntry {
        kind,
        source,
        payee_kind: PayeeKind::Seller.as_str(),
        payee_id: confirmation.seller_id,
        purchase_order_id: Some(confirmation.purchase_order_id),
        seller_order_id: Some(confirmation.seller_order_id),
        product_order_id: None,
        occurred_at: confirmation.confirmed_at,
    };
    store::post(
        conn,
        &NewEntry {
            product_order_id: Some(confirmation.product_order_id),
            ..header(
                kind::EARNING,
                format!("earning:{}", confirmation.product_order_id),
            )
        },
        &earning.entry,
    )
    .await?;
    let shipping = earning::shipping(confirmation.shipping_fee);
    if !shipping.lines().is_empty() {
        store::post(
            conn,
            &header(
                kind::SHIPPING,
                format!("shipping:{}", confirmation.seller_order_id),
            ),
            &shipping,
        )
        .await?;
    }
    Ok(())
}
