//! Kinds of cash lots and cash ledger entries.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// `charge`: paid for (refundable while unused when charged through a
    /// payment provider); `bonus`: event cash, not refundable.
    CashLotKind {
        Charge = "charge", Bonus = "bonus",
    }
}

vocabulary! {
    /// What a cash ledger entry records.
    CashEntryKind {
        Charge = "charge", Bonus = "bonus", Spend = "spend", Restore = "restore",
        Refund = "refund",
    }
}
