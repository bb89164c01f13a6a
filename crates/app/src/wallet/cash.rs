//! The cash wallet: charged cash (through a payment provider or an in-app
//! purchase; refundable while unused) and bonus cash (granted by events;
//! expiring; not refundable), spent at checkout in `domain::wallet`'s order.

use chrono::Utc;
use domain::money::{Currency, check_amount};
use domain::wallet::{Balance, Lot, LotKind};
use persistence::AsyncPgConnection;
use persistence::kernel::lots::{self, Ledger};
use persistence::wallet::cash::{self, kind};
use persistence::wallet::refunds;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::principals::Buyer;
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
    /// Charged cash on its way back to its payments: out of the wallet,
    /// the provider's answer not known yet.
    pub refunds_in_progress: Decimal,
    /// The latest entries, newest first.
    pub history: Vec<lots::Entry>,
}

pub(super) fn member_of(buyer: &Buyer) -> Result<Uuid, AppError> {
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
pub(super) fn refundable_lot(lot: &cash::Lot) -> bool {
    lot.kind == kind::CHARGE && lot.source.starts_with("toss:")
}

pub async fn view(context: &Context, buyer: &Buyer) -> Result<WalletView, AppError> {
    let user_id = member_of(buyer)?;
    let mut conn = context.db.get().await?;
    let mut lots = cash::open_lots(&mut conn, user_id, Utc::now()).await?;
    lots.sort_by(|a, b| domain::wallet::spending_order(&to_domain(a), &to_domain(b)));
    let history = lots::history(&mut conn, Ledger::Cash, user_id, 100).await?;
    let refunds_in_progress = refunds::pending_total(&mut conn, user_id).await?;
    let domain_lots: Vec<Lot> = lots.iter().map(to_domain).collect();
    Ok(WalletView {
        balance: domain::wallet::balance(&domain_lots),
        refundable: lots
            .iter()
            .filter(|l| refundable_lot(l))
            .map(|l| l.remaining)
            .sum(),
        lots,
        refunds_in_progress,
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
