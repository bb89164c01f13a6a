//! The cash wallet: charged cash (through a payment provider or an in-app
//! purchase; refundable while unused) and bonus cash (granted by events;
//! expiring; not refundable), spent at checkout in `domain::wallet`'s order.

use chrono::Utc;
use diesel_async::AsyncConnection;
use domain::money::{Currency, check_amount};
use domain::wallet::{Balance, Lot, LotKind};
use persistence::AsyncPgConnection;
use persistence::kernel::lots::{self, Ledger};
use persistence::payments::attempts as payment_store;
use persistence::wallet::cash::{self, kind};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::principals::Buyer;
use crate::kernel::provider_refunds::{record_refund, refund_failure};
use crate::{AppError, Context};

/// The smallest and largest charge through a payment provider (KRW).
const MIN_CHARGE: i64 = 1_000;
const MAX_CHARGE: i64 = 2_000_000;
/// Toss `orderId`s of wallet charges start with this (order numbers are digits).
pub const CHARGE_ORDER_PREFIX: &str = "cash-";

pub struct WalletView {
    pub balance: Balance,
    /// Charged cash that can be refunded (bought through a payment provider).
    pub refundable: Decimal,
    /// Lots with something left, in the order they are spent.
    pub lots: Vec<cash::Lot>,
    /// The latest entries, newest first.
    pub history: Vec<lots::Entry>,
}

fn member_of(buyer: &Buyer) -> Result<Uuid, AppError> {
    buyer.member_id().ok_or(AppError::Forbidden {
        code: ProblemCode::MembersOnly,
    })
}

pub(crate) fn to_domain(lot: &cash::Lot) -> Lot {
    Lot {
        id: lot.id,
        kind: if lot.kind == kind::BONUS {
            LotKind::Bonus
        } else {
            LotKind::Charged
        },
        remaining: lot.remaining,
        expires_at: lot.expires_at,
    }
}

/// Whether a lot's cash can go back to where it came from (a charge
/// through a payment provider; app-store purchases are refunded by the store).
fn refundable_lot(lot: &cash::Lot) -> bool {
    lot.kind == kind::CHARGE && lot.source.starts_with("toss:")
}

pub async fn view(context: &Context, buyer: &Buyer) -> Result<WalletView, AppError> {
    let user_id = member_of(buyer)?;
    let mut conn = context.db.get().await?;
    let mut lots = cash::open_lots(&mut conn, user_id, Utc::now()).await?;
    lots.sort_by(|a, b| domain::wallet::spending_order(&to_domain(a), &to_domain(b)));
    let history = lots::history(&mut conn, Ledger::Cash, user_id, 100).await?;
    let domain_lots: Vec<Lot> = lots.iter().map(to_domain).collect();
    Ok(WalletView {
        balance: domain::wallet::balance(&domain_lots),
        refundable: lots
            .iter()
            .filter(|l| refundable_lot(l))
            .map(|l| l.remaining)
            .sum(),
        lots,
        history,
    })
}

/// A charge waiting for its payment: what the payment widget needs.
pub struct ChargeStarted {
    pub charge_id: Uuid,
    /// The Toss `orderId` of the charge.
    pub order_id: String,
    pub amount: Decimal,
    pub order_name: String,
    pub toss_client_key: String,
}

/// Starts charging `amount` of cash; paid through the Toss widget and
/// confirmed like an order (`/v1/payments/toss/confirm`).
pub async fn start_charge(
    context: &Context,
    buyer: &Buyer,
    amount: Decimal,
) -> Result<ChargeStarted, AppError> {
    let user_id = member_of(buyer)?;
    let amount = check_amount(Currency::Krw, amount)
        .map_err(|e| AppError::invalid("amount", FieldCode::InvalidAmount, e.to_string()))?;
    if amount < Decimal::from(MIN_CHARGE) || amount > Decimal::from(MAX_CHARGE) {
        return Err(AppError::invalid(
            "amount",
            FieldCode::OutOfRange,
            format!("between {MIN_CHARGE} and {MAX_CHARGE}"),
        ));
    }
    let charge_id = Uuid::new_v4();
    let mut conn = context.db.get().await?;
    cash::insert_charge(&mut conn, charge_id, user_id, amount).await?;
    Ok(ChargeStarted {
        charge_id,
        order_id: charge_order_id(charge_id),
        amount,
        order_name: format!("Cash {amount} KRW"),
        toss_client_key: context.payments.toss.client_key().to_owned(),
    })
}

pub fn charge_order_id(charge_id: Uuid) -> String {
    format!("{CHARGE_ORDER_PREFIX}{}", charge_id.simple())
}

/// The charge a Toss `orderId` names, if it names one.
pub fn charge_of_order_id(order_id: &str) -> Option<Uuid> {
    order_id
        .strip_prefix(CHARGE_ORDER_PREFIX)
        .and_then(|id| Uuid::parse_str(id).ok())
}

/// Credits a paid charge as a lot of charged cash (in the payment's
/// transaction); a charge credited before changes nothing.
pub(crate) async fn credit_charge(
    conn: &mut AsyncPgConnection,
    charge_id: Uuid,
    source: &str,
) -> Result<(), AppError> {
    let charge = cash::lock_charge(conn, charge_id, None)
        .await?
        .ok_or(AppError::NotFound { resource: "charge" })?;
    if charge.status == "credited" {
        return Ok(());
    }
    cash::credit(
        conn,
        charge.user_id,
        kind::CHARGE,
        charge.amount,
        None,
        source,
        "cash charged",
    )
    .await?;
    cash::set_charge_status(conn, charge_id, "credited").await?;
    Ok(())
}

/// Refunds unused charged cash (all of it when `amount` is `None`) back to
/// the payments it was charged with, newest charge first. Bonus cash is
/// never refunded. Returns what was refunded.
pub async fn refund(
    context: &Context,
    buyer: &Buyer,
    amount: Option<Decimal>,
) -> Result<Decimal, AppError> {
    let user_id = member_of(buyer)?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        lots::lock_member(conn, Ledger::Cash, user_id).await?;
        let mut lots: Vec<cash::Lot> = cash::open_lots(conn, user_id, Utc::now())
            .await?
            .into_iter()
            .filter(refundable_lot)
            .collect();
        let refundable: Decimal = lots.iter().map(|l| l.remaining).sum();
        let wanted = amount.unwrap_or(refundable);
        if wanted <= Decimal::ZERO || wanted > refundable {
            return Err(AppError::invalid(
                "amount",
                FieldCode::NotRefundable,
                format!("{refundable} of charged cash can be refunded"),
            ));
        }
        lots.sort_by_key(|lot| std::cmp::Reverse(lot.id));
        let mut left = wanted;
        for lot in lots {
            if left <= Decimal::ZERO {
                break;
            }
            let take = lot.remaining.min(left);
            refund_lot(context, conn, user_id, &lot, take).await?;
            left -= take;
        }
        Ok(wanted)
    })
    .await
}

/// Cancels `take` of the payment a lot was charged with, then records the
/// refund. The provider's idempotency key is the lot and what is left of
/// it, so a retry after a failure repeats the same cancellation.
async fn refund_lot(
    context: &Context,
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    lot: &cash::Lot,
    take: Decimal,
) -> Result<(), AppError> {
    let payment_key = lot
        .source
        .strip_prefix("toss:")
        .ok_or_else(|| AppError::internal("a lot without a payment"))?;
    let payment =
        payment_store::find_by_provider_key(conn, crate::kernel::providers::TOSS, payment_key)
            .await?
            .ok_or_else(|| AppError::internal("a charged lot without its payment"))?;
    let key = format!("refund-{}-{}", lot.id, lot.remaining);
    let answer = context
        .payments
        .toss
        .cancel_payment(payment_key, Some(take), "unused cash refunded", &key)
        .await
        .map_err(refund_failure)?;
    record_refund(conn, &payment, &answer).await?;
    lots::draw(
        conn,
        Ledger::Cash,
        user_id,
        lots::kind::REFUND,
        &[(lot.id, -take)],
        None,
        "unused cash refunded",
    )
    .await?;
    Ok(())
}
