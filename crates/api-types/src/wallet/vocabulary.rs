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

vocabulary! {
    /// Where a refund of cash stands.
    RefundState {
        Refunded = "refunded", PartiallyRefunded = "partially_refunded", Failed = "failed",
        Pending = "pending",
    }
}

vocabulary! {
    /// Where one payment's part of a refund stands.
    RefundPaymentState {
        Refunded = "refunded", Failed = "failed", Pending = "pending",
    }
}
