//! The vendor's side of fulfilment, per product order: accepted
//! (`preparing`), shipped in a shipment, delivered, confirmed by the
//! shopper (or by schedule), or cancelled. The carrier's story is kept apart
//! (`tracking`); only its delivery event moves a product order here.

/// Where a product order stands after payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Paid,
    Preparing,
    Shipped,
    Delivered,
    Confirmed,
    Cancelled,
}

/// What someone does to a product order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The vendor accepts the line and starts preparing it.
    Accept,
    /// The vendor hands it to a carrier.
    Ship,
    /// The vendor withdraws a shipment before delivery (a wrong tracking
    /// number): the line is being prepared again.
    Unship,
    /// The carrier (or the vendor, for its own deliveries) delivered it.
    Deliver,
    /// The shopper, or the schedule, confirms the purchase.
    Confirm,
    /// A claim cancels it before it ships.
    Cancel,
    /// An exchange took the delivered item back: the other option is
    /// prepared to ship.
    Exchange,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Self::Paid,
        Self::Preparing,
        Self::Shipped,
        Self::Delivered,
        Self::Confirmed,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::Preparing => "preparing",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.as_str() == name)
    }

    /// The steps `action` may be taken from.
    pub fn allowed_from(action: Action) -> &'static [Step] {
        match action {
            Action::Accept => &[Self::Paid],
            Action::Ship => &[Self::Paid, Self::Preparing],
            Action::Unship => &[Self::Shipped],
            Action::Deliver => &[Self::Shipped],
            // Confirmation without a delivery event is the schedule's
            // last resort (shipped long ago, the shopper told first).
            Action::Confirm => &[Self::Shipped, Self::Delivered],
            Action::Cancel => &[Self::Paid, Self::Preparing],
            Action::Exchange => &[Self::Delivered],
        }
    }

    /// The step after `action`, or `None` when it cannot be taken here.
    pub fn after(self, action: Action) -> Option<Step> {
        if !Self::allowed_from(action).contains(&self) {
            return None;
        }
        Some(match action {
            Action::Accept | Action::Unship | Action::Exchange => Self::Preparing,
            Action::Ship => Self::Shipped,
            Action::Deliver => Self::Delivered,
            Action::Confirm => Self::Confirmed,
            Action::Cancel => Self::Cancelled,
        })
    }

    /// Nothing more happens to it in fulfilment.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Confirmed | Self::Cancelled)
    }

    /// Still waiting to leave the vendor.
    pub fn awaits_dispatch(self) -> bool {
        matches!(self, Self::Paid | Self::Preparing)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const ACTIONS: [Action; 7] = [
        Action::Accept,
        Action::Ship,
        Action::Unship,
        Action::Deliver,
        Action::Confirm,
        Action::Cancel,
        Action::Exchange,
    ];

    #[test]
    fn names_round_trip() {
        for step in Step::ALL {
            assert_eq!(Step::parse(step.as_str()), Some(step));
        }
    }

    proptest! {
        /// Whatever is tried in whatever order: final steps stay final, a
        /// cancelled line never shipped, a delivered or confirmed one did.
        #[test]
        fn any_sequence_keeps_the_rules(
            tries in proptest::collection::vec(proptest::sample::select(ACTIONS.to_vec()), 0..40),
        ) {
            let mut step = Step::Paid;
            let mut shipped = false;
            for action in tries {
                match step.after(action) {
                    Some(next) => {
                        prop_assert!(!step.is_final());
                        if next == Step::Shipped { shipped = true; }
                        if next == Step::Preparing { shipped = false; }
                        if next == Step::Cancelled { prop_assert!(!shipped); }
                        if matches!(next, Step::Delivered | Step::Confirmed) { prop_assert!(shipped); }
                        step = next;
                    }
                    None => prop_assert!(!Step::allowed_from(action).contains(&step)),
                }
            }
        }
    }
}
