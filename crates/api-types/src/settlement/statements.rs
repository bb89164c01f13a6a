//! Statements and balances as vendors and operations read them.

use app::catalog::browse::in_minor_units as won;
use app::settlement::BalanceRow;
use app::settlement::statements::StatementView;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One month of a vendor's settlement (KRW; deductions negative in the CSV,
/// positive here).
#[derive(Debug, Serialize, ToSchema)]
pub struct SettlementStatement {
    pub seller_id: Uuid,
    /// `YYYY-MM`, a calendar month in Korea.
    #[schema(example = "2026-12")]
    pub period: String,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// The month has ended: the statement no longer changes.
    pub closed: bool,
    /// Owed to the vendor when the month began (negative: carried, owed by
    /// the vendor).
    #[schema(value_type = String, example = "0")]
    pub opening_balance: Decimal,
    /// Confirmed sales at the price charged before coupons.
    #[schema(value_type = String, example = "90000")]
    pub sales: Decimal,
    /// Coupons the vendor funded (deducted).
    #[schema(value_type = String, example = "0")]
    pub vendor_funded_discounts: Decimal,
    /// Coupons the platform funded (paid to the vendor as if the buyer had).
    #[schema(value_type = String, example = "0")]
    pub platform_funded_discounts: Decimal,
    #[schema(value_type = String, example = "9000")]
    pub commission: Decimal,
    #[schema(value_type = String, example = "900")]
    pub commission_vat: Decimal,
    /// Shipping fees and the fees claims kept, collected for the vendor.
    #[schema(value_type = String, example = "3000")]
    pub shipping: Decimal,
    /// Earnings re-priced by claims on other lines.
    #[schema(value_type = String, example = "0")]
    pub adjustments: Decimal,
    /// Earnings claims took back (negative).
    #[schema(value_type = String, example = "0")]
    pub clawbacks: Decimal,
    /// Paid out (negative).
    #[schema(value_type = String, example = "-83100")]
    pub payouts: Decimal,
    #[schema(value_type = String, example = "0")]
    pub closing_balance: Decimal,
}

impl From<StatementView> for SettlementStatement {
    fn from(view: StatementView) -> Self {
        let s = view.statement;
        Self {
            seller_id: view.payee_id,
            period: view.period.name(),
            from: view.from,
            until: view.until,
            closed: view.closed,
            opening_balance: won(s.opening),
            sales: won(s.sales),
            vendor_funded_discounts: won(s.payee_funded_discounts),
            platform_funded_discounts: won(s.platform_funded_discounts),
            commission: won(s.commission),
            commission_vat: won(s.commission_vat),
            shipping: won(s.shipping),
            adjustments: won(s.adjustments),
            clawbacks: won(s.clawbacks),
            payouts: won(s.payouts),
            closing_balance: won(s.closing),
        }
    }
}

/// The months a vendor has statements for, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementPeriods {
    #[schema(example = json!(["2026-12", "2026-11"]))]
    pub items: Vec<String>,
}

/// Every vendor's statement for a month (operations).
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementList {
    pub items: Vec<SettlementStatement>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// `YYYY-MM`.
    pub period: String,
    /// One vendor's (default: every vendor with entries).
    pub seller_id: Option<Uuid>,
}

/// What the platform owes a vendor, in its parts (KRW).
#[derive(Debug, Serialize, ToSchema)]
pub struct SettlementBalance {
    /// Everything earned so far, net of claims.
    #[schema(value_type = String, example = "83100")]
    pub earned: Decimal,
    #[schema(value_type = String, example = "0")]
    pub paid: Decimal,
    /// In payout batches not paid yet.
    #[schema(value_type = String, example = "83100")]
    pub pending: Decimal,
    /// Earned and not in a batch yet (the next sweep takes it).
    #[schema(value_type = String, example = "0")]
    pub unswept: Decimal,
    /// What the vendor owes back after claims, netted against later
    /// earnings before anything is paid.
    #[schema(value_type = String, example = "0")]
    pub carried: Decimal,
}

impl From<BalanceRow> for SettlementBalance {
    fn from(row: BalanceRow) -> Self {
        let (unswept, carried) = if row.unswept < Decimal::ZERO {
            (Decimal::ZERO, -row.unswept)
        } else {
            (row.unswept, Decimal::ZERO)
        };
        Self {
            earned: won(row.earned),
            paid: won(row.paid),
            pending: won(row.pending),
            unswept: won(unswept),
            carried: won(carried),
        }
    }
}
