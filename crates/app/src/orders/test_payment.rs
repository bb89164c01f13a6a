//! The `test` payment method: completes payment without a provider so the
//! whole path runs in demos and tests. Refused unless configured (never in
//! the production profile).

use persistence::AsyncPgConnection;
use persistence::infra::pipelined;
use persistence::orders::purchase_orders::{self, status};
use uuid::Uuid;

use crate::kernel::principals::Buyer;
use crate::orders::purchase_orders::{OrderDetail, settle_paid};

use crate::kernel::ProblemCode;
use crate::{AppError, Context};

pub const METHOD: &str = "test";

/// Pays one of the buyer's unpaid orders. Confirming a paid order again
/// changes nothing and answers the same.
pub async fn confirm(
    context: &Context,
    buyer: &Buyer,
    order_id: Uuid,
) -> Result<OrderDetail, AppError> {
    if !context.checkout.test_payments {
        return Err(AppError::Forbidden {
            code: ProblemCode::PaymentMethodDisabled,
        });
    }
    let key = buyer.key();
    let mut conn = context.db.get().await?;
    // The order's lock travels with BEGIN (ADR 0011).
    let first = async |shared: &AsyncPgConnection| {
        purchase_orders::lock_purchase(shared, order_id, Some(&key))
            .await?
            .ok_or(AppError::NotFound { resource: "order" })
    };
    pipelined::transaction(&mut conn, first, async |conn, order| {
        if order.status == status::PAID && order.payment_method.as_deref() == Some(METHOD) {
            return Ok(());
        }
        if order.status == status::PENDING_PAYMENT && order.expires_at <= chrono::Utc::now() {
            return Err(AppError::Conflict {
                code: ProblemCode::OrderExpired,
                message: "the order's hold on its stock ended; check out again".into(),
            });
        }
        settle_paid(conn, &order, METHOD).await
    })
    .await?;
    crate::orders::purchase_orders::detail(&mut conn, order_id, Some(&key)).await
}
