//! The shopper's cash wallet: lots, entries, charges, refunds and in-app purchases.

use app::catalog::browse::in_minor_units as won;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct CashLot {
    /// `charge` (paid for; refundable while unused when charged through a
    /// payment provider) or `bonus` (event cash; not refundable).
    #[schema(value_type = super::vocabulary::CashLotKind, example = "charge")]
    pub kind: String,
    #[schema(value_type = String, example = "10000")]
    pub remaining: Decimal,
    /// `null`: never expires.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CashEntry {
    /// `charge`, `bonus`, `spend`, `restore` or `refund`.
    #[schema(value_type = super::vocabulary::CashEntryKind)]
    pub kind: String,
    /// Signed: spends and refunds are negative.
    #[schema(value_type = String, example = "-5000")]
    pub amount: Decimal,
    pub expires_at: Option<DateTime<Utc>>,
    pub purchase_order_id: Option<Uuid>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

crate::kernel::ledger::entry_from_ledger!(CashEntry);

#[derive(Debug, Serialize, ToSchema)]
pub struct Wallet {
    #[schema(value_type = String, example = "15000")]
    pub charged: Decimal,
    #[schema(value_type = String, example = "3000")]
    pub bonus: Decimal,
    #[schema(value_type = String, example = "18000")]
    pub total: Decimal,
    /// Unused charged cash that can be refunded.
    #[schema(value_type = String, example = "15000")]
    pub refundable: Decimal,
    /// Cash on its way back to its payments whose provider has not answered
    /// yet: out of the wallet until it does.
    #[schema(value_type = String, example = "0")]
    pub refunds_in_progress: Decimal,
    /// Lots with something left, in the order they are spent.
    pub lots: Vec<CashLot>,
    /// The latest 100 entries, newest first.
    pub ledger: Vec<CashEntry>,
}

impl From<app::wallet::cash::WalletView> for Wallet {
    fn from(view: app::wallet::cash::WalletView) -> Self {
        Self {
            charged: won(view.balance.charged),
            bonus: won(view.balance.bonus),
            total: won(view.balance.total()),
            refundable: won(view.refundable),
            refunds_in_progress: won(view.refunds_in_progress),
            lots: view
                .lots
                .into_iter()
                .map(|l| CashLot {
                    kind: l.kind,
                    remaining: won(l.remaining),
                    expires_at: l.expires_at,
                })
                .collect(),
            ledger: view.history.into_iter().map(CashEntry::from).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChargeRequest {
    /// Whole won, 1,000 to 2,000,000.
    #[schema(value_type = String, example = "10000")]
    pub amount: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChargeStarted {
    pub charge_id: Uuid,
    /// The `orderId` to give the Toss widget, and to confirm with
    /// (`POST /v1/payments/toss/confirm`).
    #[schema(example = "cash-0b5e3c1f9a2d4e6f8a1b2c3d4e5f6a7b")]
    pub order_id: String,
    #[schema(value_type = String, example = "10000")]
    pub amount: Decimal,
    pub order_name: String,
    pub toss_client_key: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// How much of the unused charged cash; all of it when absent.
    #[schema(value_type = Option<String>, example = "5000")]
    pub amount: Option<Decimal>,
    /// Where cash paid by bank transfer (a virtual account) goes back:
    /// required when any of the refunded cash was paid that way.
    pub refund_account: Option<RefundAccount>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundAccount {
    /// The bank's two-digit code as TossPayments lists it (`88`: Shinhan).
    #[schema(example = "88")]
    pub bank_code: String,
    /// 8 to 20 digits; dashes allowed.
    #[schema(example = "110-123-456789")]
    pub account_number: String,
    #[schema(example = "Kim Minji")]
    pub holder_name: String,
}

impl From<RefundAccount> for app::wallet::refunds::RefundAccount {
    fn from(account: RefundAccount) -> Self {
        Self {
            bank_code: account.bank_code,
            account_number: account.account_number,
            holder_name: account.holder_name,
        }
    }
}

/// A refund of unused charged cash, per payment it goes back to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Refund {
    pub id: Uuid,
    #[schema(value_type = String, example = "15000")]
    pub amount: Decimal,
    /// `refunded`; `partially_refunded` (the provider refused some
    /// payments: their cash is back in the wallet); `failed` (refused
    /// entirely); `pending` (a provider's answer is not known yet: the cash
    /// stays out of the wallet until it is).
    #[schema(value_type = super::vocabulary::RefundState, example = "refunded")]
    pub status: String,
    #[schema(value_type = String, example = "15000")]
    pub refunded: Decimal,
    #[schema(value_type = String, example = "0")]
    pub pending: Decimal,
    #[schema(value_type = String, example = "0")]
    pub failed: Decimal,
    pub payments: Vec<RefundPayment>,
    pub created_at: DateTime<Utc>,
}

/// What goes back to one payment.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefundPayment {
    pub payment_id: Uuid,
    #[schema(value_type = String, example = "10000")]
    pub amount: Decimal,
    #[schema(value_type = super::vocabulary::RefundPaymentState, example = "refunded")]
    pub status: String,
    /// The provider's code when it refused.
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
}

impl From<app::wallet::refunds::RefundView> for Refund {
    fn from(view: app::wallet::refunds::RefundView) -> Self {
        Self {
            id: view.id,
            amount: won(view.amount),
            status: view.state.as_str().to_owned(),
            refunded: won(view.refunded),
            pending: won(view.pending),
            failed: won(view.failed),
            payments: view
                .lots
                .into_iter()
                .map(|lot| RefundPayment {
                    payment_id: lot.payment_id,
                    amount: won(lot.amount),
                    status: lot.status,
                    failure_code: lot.failure_code,
                    failure_message: lot.failure_message,
                })
                .collect(),
            created_at: view.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Refunded {
    /// What went back to the payments (pending and refused parts excluded).
    #[schema(value_type = String, example = "5000")]
    pub refunded: Decimal,
    pub refund: Refund,
    pub wallet: Wallet,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefundList {
    /// The latest 50, newest first.
    pub items: Vec<Refund>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplePurchase {
    /// StoreKit 2's `Transaction.jwsRepresentation`.
    pub signed_transaction: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GooglePurchase {
    #[schema(example = "cash_10000")]
    pub product_id: String,
    pub purchase_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InAppCredited {
    #[schema(value_type = String, example = "10000")]
    pub cash: Decimal,
    /// The store's transaction (App Store transaction id, Google order id).
    pub store_transaction_id: String,
    pub wallet: Wallet,
}
