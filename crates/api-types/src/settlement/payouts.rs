//! Payout batches as operations see and move them.

use app::catalog::browse::in_minor_units as won;
use app::settlement::{BatchFilter, BatchRow, DueEarning};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One payee's payout for one cycle.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutBatch {
    pub id: i64,
    pub payee_kind: String,
    pub payee_id: Uuid,
    /// Entries that occurred before this moment were claimed.
    pub cut_off: DateTime<Utc>,
    #[schema(value_type = String, example = "80100")]
    pub amount: Decimal,
    /// `draft`, `approved`, `exported` or `paid`.
    pub status: String,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub exported_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    /// Transfers the bank bounced (the batch was approved again each time).
    pub failures: i32,
    pub last_failure: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<BatchRow> for PayoutBatch {
    fn from(row: BatchRow) -> Self {
        Self {
            id: row.id,
            payee_kind: row.payee_kind,
            payee_id: row.payee_id,
            cut_off: row.cut_off,
            amount: won(row.amount),
            status: row.status,
            approved_by: row.approved_by,
            approved_at: row.approved_at,
            exported_at: row.exported_at,
            paid_at: row.paid_at,
            failures: row.failures,
            last_failure: row.last_failure,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutBatchPage {
    pub items: Vec<PayoutBatch>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

/// The id to pass as `before` for the page after `rows`: none when the
/// page is not full (the last one).
fn next_before(rows: &[BatchRow], limit: i64) -> Option<i64> {
    let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= limit;
    full.then(|| rows.last().map(|row| row.id)).flatten()
}

impl PayoutBatchPage {
    pub fn of(rows: Vec<BatchRow>, limit: i64) -> Self {
        Self {
            next_before: next_before(&rows, limit),
            items: rows.into_iter().map(PayoutBatch::from).collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PayoutBatchQuery {
    /// `draft`, `approved`, `exported` or `paid`.
    pub status: Option<String>,
    pub seller_id: Option<Uuid>,
    /// The last batch id of the previous page.
    pub before: Option<i64>,
    /// 1 to 100 (default 20).
    pub limit: Option<i64>,
}

impl PayoutBatchQuery {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(20).clamp(1, 100)
    }

    pub fn filter(&self) -> BatchFilter {
        BatchFilter {
            status: self.status.clone(),
            payee_id: self.seller_id,
            before: self.before,
        }
    }
}

/// A payout as its vendor sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VendorPayout {
    pub id: i64,
    /// Earnings that occurred before this moment are in it.
    pub cut_off: DateTime<Utc>,
    #[schema(value_type = String, example = "80100")]
    pub amount: Decimal,
    /// `draft` (under review), `approved`, `exported` (sent to the bank) or `paid`.
    pub status: String,
    pub exported_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<BatchRow> for VendorPayout {
    fn from(row: BatchRow) -> Self {
        Self {
            id: row.id,
            cut_off: row.cut_off,
            amount: won(row.amount),
            status: row.status,
            exported_at: row.exported_at,
            paid_at: row.paid_at,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VendorPayoutPage {
    pub items: Vec<VendorPayout>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

impl VendorPayoutPage {
    pub fn of(rows: Vec<BatchRow>, limit: i64) -> Self {
        Self {
            next_before: next_before(&rows, limit),
            items: rows.into_iter().map(VendorPayout::from).collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VendorPayoutQuery {
    /// `draft`, `approved`, `exported` or `paid`.
    pub status: Option<String>,
    /// The last payout id of the previous page.
    pub before: Option<i64>,
    /// 1 to 100 (default 20).
    pub limit: Option<i64>,
}

impl VendorPayoutQuery {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(20).clamp(1, 100)
    }

    /// The vendor's own payouts only.
    pub fn filter(&self, seller_id: Uuid) -> BatchFilter {
        BatchFilter {
            status: self.status.clone(),
            payee_id: Some(seller_id),
            before: self.before,
        }
    }
}

/// Sweeping now, outside the schedule: one vendor or every one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutSweep {
    pub seller_id: Option<Uuid>,
    /// Entries that occurred before this moment are claimed (default: now).
    pub cut_off: Option<DateTime<Utc>>,
}

/// The batches a sweep opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutBatchList {
    pub items: Vec<PayoutBatch>,
}

/// The bank refused the transfer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutFailure {
    /// 1 to 500 characters.
    pub reason: String,
}

/// An earning near or past its payout due date, not paid yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutDeadline {
    pub entry_id: i64,
    pub seller_id: Uuid,
    pub product_order_id: Option<Uuid>,
    pub confirmed_at: DateTime<Utc>,
    /// Confirmation plus the configured due days.
    pub due_at: DateTime<Utc>,
    /// The batch holding it, if swept, and where that batch stands.
    pub payout_batch_id: Option<i64>,
    pub batch_status: Option<String>,
}

/// Earnings to pay now, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutDeadlines {
    pub items: Vec<PayoutDeadline>,
}

impl PayoutDeadlines {
    pub fn of(rows: Vec<(DueEarning, DateTime<Utc>)>) -> Self {
        Self {
            items: rows
                .into_iter()
                .map(|(earning, due_at)| PayoutDeadline {
                    entry_id: earning.entry_id,
                    seller_id: earning.payee_id,
                    product_order_id: earning.product_order_id,
                    confirmed_at: earning.occurred_at,
                    due_at,
                    payout_batch_id: earning.payout_batch_id,
                    batch_status: earning.batch_status,
                })
                .collect(),
        }
    }
}

/// How often a vendor is paid.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutCycle {
    /// `weekly` (entries before each Monday, swept on the week's first
    /// business day) or `monthly` (before each 1st).
    #[schema(example = "monthly")]
    pub cycle: String,
}

/// Holding a vendor's payouts, or releasing them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutHold {
    pub held: bool,
    /// Why (required to hold; 1 to 500 characters).
    pub reason: Option<String>,
}
