//! The words of claims.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// `cancel` (before shipping: refunded at once), `return` (after
    /// delivery), `exchange` (after delivery, for another option of the same product).
    ClaimKind {
        Cancel = "cancel", Return = "return", Exchange = "exchange",
    }
}

vocabulary! {
    /// Why the claim is made; the reason decides the fault. The shopper's
    /// own (`change_of_mind`, `wrong_option_ordered`) pay return shipping;
    /// `sold_out` is the vendor's to give.
    ClaimReason {
        ChangeOfMind = "change_of_mind", WrongOptionOrdered = "wrong_option_ordered",
        Defective = "defective", NotAsDescribed = "not_as_described", WrongItemSent = "wrong_item_sent",
        DamagedInTransit = "damaged_in_transit", LostInTransit = "lost_in_transit", SoldOut = "sold_out",
        DispatchDelayed = "dispatch_delayed",
    }
}

vocabulary! {
    /// Whose fault the claim is: the shopper pays shipping only for their own.
    ClaimFault {
        Buyer = "buyer", Vendor = "vendor", Carrier = "carrier",
    }
}

vocabulary! {
    /// Where a claim stands: `requested` → `approved` → `received` →
    /// `completed` (refunded), or `rejected` / `withdrawn`. A cancel is
    /// `completed` as it is made.
    ClaimStatus {
        Requested = "requested", Approved = "approved", Received = "received",
        Completed = "completed", Rejected = "rejected", Withdrawn = "withdrawn",
    }
}

vocabulary! {
    /// One card refund step: `pending` while the provider's answer is not
    /// known (asked again every minute), `refunded`, or `failed` (the
    /// provider refused; operations pay it back another way).
    CardRefundStatus {
        Pending = "pending", Refunded = "refunded", Failed = "failed",
    }
}

vocabulary! {
    /// Where a claim's card refund stands as a whole (`none`: nothing goes
    /// back by card).
    CardRefundState {
        None = "none", Pending = "pending", Refunded = "refunded", Failed = "failed",
    }
}
