//! The journal as operations read it: entries by order or vendor, and the
//! trial balance.

use app::catalog::browse::in_minor_units as won;
use app::settlement::{AccountTotals, EntryFilter, EntryRow, LineRow};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One account's totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountBalance {
    #[schema(example = "payee_payable")]
    pub account: String,
    pub name: String,
    /// `debit` or `credit`: where its balance normally sits.
    pub normal_side: String,
    #[schema(value_type = String, example = "35588")]
    pub debits: Decimal,
    #[schema(value_type = String, example = "0")]
    pub credits: Decimal,
    /// On its normal side (negative when it sits on the other).
    #[schema(value_type = String, example = "35588")]
    pub balance: Decimal,
}

/// Every account's debits and credits; they sum equal.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrialBalance {
    pub accounts: Vec<AccountBalance>,
    #[schema(value_type = String)]
    pub debits: Decimal,
    #[schema(value_type = String)]
    pub credits: Decimal,
    pub balanced: bool,
}

impl TrialBalance {
    pub fn of(rows: Vec<AccountTotals>) -> Self {
        let debits = rows.iter().map(|r| r.debits).sum::<Decimal>();
        let credits = rows.iter().map(|r| r.credits).sum::<Decimal>();
        let accounts = rows
            .into_iter()
            .map(|r| {
                let balance = if r.normal_side == "debit" {
                    r.debits - r.credits
                } else {
                    r.credits - r.debits
                };
                AccountBalance {
                    account: r.account,
                    name: r.name,
                    normal_side: r.normal_side,
                    debits: won(r.debits),
                    credits: won(r.credits),
                    balance: won(balance),
                }
            })
            .collect();
        Self {
            accounts,
            debits: won(debits),
            credits: won(credits),
            balanced: debits == credits,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrialBalanceQuery {
    /// Only entries that occurred before this moment.
    pub until: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JournalLine {
    pub account: String,
    /// `debit` or `credit`.
    pub side: String,
    #[schema(value_type = String, example = "38000")]
    pub amount: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JournalEntry {
    pub id: i64,
    /// `earning` (a confirmed product order), `adjustment` (its earning
    /// re-priced by a claim on another line), `clawback` (a claim took it
    /// back), `shipping` (a vendor order's shipping and the fees claims
    /// kept for it, and their changes), `payout` (a batch the bank paid) or
    /// `receivable` (what the payee owes back, moved to or from its claims
    /// receivable by a sweep).
    pub kind: String,
    /// The event it records; an event posts once.
    pub source: String,
    pub payee_kind: String,
    pub payee_id: Uuid,
    pub purchase_order_id: Option<Uuid>,
    pub seller_order_id: Option<Uuid>,
    pub product_order_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    pub payout_batch_id: Option<i64>,
    pub lines: Vec<JournalLine>,
}

impl From<(EntryRow, Vec<LineRow>)> for JournalEntry {
    fn from((entry, lines): (EntryRow, Vec<LineRow>)) -> Self {
        Self {
            id: entry.id,
            kind: entry.kind,
            source: entry.source,
            payee_kind: entry.payee_kind,
            payee_id: entry.payee_id,
            purchase_order_id: entry.purchase_order_id,
            seller_order_id: entry.seller_order_id,
            product_order_id: entry.product_order_id,
            occurred_at: entry.occurred_at,
            payout_batch_id: entry.payout_batch_id,
            lines: lines
                .into_iter()
                .map(|l| JournalLine {
                    account: l.account,
                    side: l.side,
                    amount: won(l.amount),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JournalPage {
    pub items: Vec<JournalEntry>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

impl JournalPage {
    pub fn of(rows: Vec<(EntryRow, Vec<LineRow>)>, limit: i64) -> Self {
        let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= limit;
        let items: Vec<JournalEntry> = rows.into_iter().map(JournalEntry::from).collect();
        let next_before = if full {
            items.last().map(|e| e.id)
        } else {
            None
        };
        Self { items, next_before }
    }
}

/// Which entries to read, newest first.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// A vendor's entries.
    pub seller_id: Option<Uuid>,
    pub purchase_order_id: Option<Uuid>,
    pub product_order_id: Option<Uuid>,
    /// The last entry id of the previous page.
    pub before: Option<i64>,
    /// 1 to 100 (default 20).
    pub limit: Option<i64>,
}

impl JournalQuery {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(20).clamp(1, 100)
    }

    pub fn filter(&self) -> EntryFilter {
        EntryFilter {
            payee_id: self.seller_id,
            purchase_order_id: self.purchase_order_id,
            product_order_id: self.product_order_id,
            before: self.before,
        }
    }
}
