//! Where a claim stands. A cancel completes as it is made; a return or an
//! exchange waits for the vendor's approval and for the item to come back.
//! A vendor's holdback (a disputed return fee, an item not received back) is
//! an axis of its own: it pauses completion without changing the status.

use super::reasons::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Requested,
    Approved,
    /// The item is back with the vendor.
    Received,
    /// Refunded (or, for an exchange, the new item sent).
    Completed,
    Rejected,
    /// The shopper took the claim back.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Requested,
        Self::Approved,
        Self::Received,
        Self::Completed,
        Self::Rejected,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Received => "received",
            Self::Completed => "completed",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Rejected | Self::Withdrawn)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Receive,
    Complete,
    Reject,
    Withdraw,
    HoldBack,
    Release,
}

/// A claim's status and whether the vendor holds it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub kind: Kind,
    pub status: Status,
    pub held_back: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("a {kind} claim that is {status} cannot be {action}")]
    NotFrom {
        kind: &'static str,
        status: &'static str,
        action: &'static str,
    },
    #[error("the vendor holds the claim back")]
    HeldBack,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Receive => "received",
            Self::Complete => "completed",
            Self::Reject => "rejected",
            Self::Withdraw => "withdrawn",
            Self::HoldBack => "held back",
            Self::Release => "released",
        }
    }
}

impl Claim {
    /// A new claim. A cancel is complete once its refund is written, in the
    /// same transaction.
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            status: Status::Requested,
            held_back: false,
        }
    }

    pub fn apply(self, action: Action) -> Result<Self, StepError> {
        use Status::*;
        let refused = || StepError::NotFrom {
            kind: self.kind.as_str(),
            status: self.status.as_str(),
            action: action.as_str(),
        };
        let comes_back = self.kind.comes_back();
        let status = match (action, self.status) {
            (Action::Approve, Requested) if comes_back => Approved,
            (Action::Receive, Approved) if comes_back => Received,
            (Action::Complete, Requested) if !comes_back => Completed,
            (Action::Complete, Received) if comes_back => Completed,
            (Action::Reject, Requested | Approved | Received) if comes_back => Rejected,
            (Action::Withdraw, Requested | Approved) if comes_back => Withdrawn,
            (Action::HoldBack, Approved | Received) if !self.held_back => {
                return Ok(Self {
                    held_back: true,
                    ..self
                });
            }
            (Action::Release, status) if self.held_back && !status.is_final() => {
                return Ok(Self {
                    held_back: false,
                    ..self
                });
            }
            _ => return Err(refused()),
        };
        if self.held_back && status == Completed {
            return Err(StepError::HeldBack);
        }
        Ok(Self {
            status,
            held_back: self.held_back && !status.is_final(),
            ..self
        })
    }

    /// Whether the claim still stands in the way of the purchase being
    /// confirmed.
    pub fn is_open(self) -> bool {
        !self.status.is_final()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn claim(kind: Kind) -> Claim {
        Claim::new(kind)
    }

    #[test]
    fn a_return_is_approved_received_and_completed() {
        let done = [Action::Approve, Action::Receive, Action::Complete]
            .into_iter()
            .try_fold(claim(Kind::Return), Claim::apply);
        assert_eq!(done.map(|c| c.status), Ok(Status::Completed));
    }

    #[test]
    fn a_cancel_completes_at_once_and_nothing_comes_back() {
        assert_eq!(
            claim(Kind::Cancel)
                .apply(Action::Complete)
                .map(|c| c.status),
            Ok(Status::Completed)
        );
        assert!(claim(Kind::Cancel).apply(Action::Approve).is_err());
        assert!(claim(Kind::Cancel).apply(Action::Receive).is_err());
    }

    #[test]
    fn a_holdback_pauses_completion_until_released() {
        let held = [Action::Approve, Action::Receive, Action::HoldBack]
            .into_iter()
            .try_fold(claim(Kind::Return), Claim::apply)
            .expect("held");
        assert_eq!(held.apply(Action::Complete), Err(StepError::HeldBack));
        let released = held.apply(Action::Release).expect("released");
        assert_eq!(
            released.apply(Action::Complete).map(|c| c.status),
            Ok(Status::Completed)
        );
    }

    fn any_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::Approve),
            Just(Action::Receive),
            Just(Action::Complete),
            Just(Action::Reject),
            Just(Action::Withdraw),
            Just(Action::HoldBack),
            Just(Action::Release),
        ]
    }

    fn any_kind() -> impl Strategy<Value = Kind> {
        prop_oneof![Just(Kind::Cancel), Just(Kind::Return), Just(Kind::Exchange)]
    }

    proptest! {
        #[test]
        fn any_sequence_keeps_the_rules(
            kind in any_kind(),
            actions in prop::collection::vec(any_action(), 0..16),
        ) {
            let mut current = claim(kind);
            let mut received = false;
            for action in actions {
                let before = current;
                match current.apply(action) {
                    Ok(next) => {
                        // Final statuses stay final; a holdback never survives one.
                        prop_assert!(!before.status.is_final());
                        prop_assert!(!(next.status.is_final() && next.held_back));
                        // Completion is never while held back, and an item that
                        // comes back completes only once received.
                        if next.status == Status::Completed {
                            prop_assert!(!before.held_back);
                            prop_assert!(!kind.comes_back() || received);
                        }
                        // Nothing comes back on a cancel, and a shopper cannot
                        // withdraw once the vendor has the item.
                        if next.status == Status::Received {
                            prop_assert!(kind.comes_back());
                            received = true;
                        }
                        if next.status == Status::Withdrawn {
                            prop_assert!(!received);
                        }
                        current = next;
                    }
                    Err(_) => prop_assert_eq!(current, before),
                }
            }
        }
    }
}
