//! The review of a vendor's application: submitted, then approved, rejected
//! with a reason, or sent back for more documents (and submitted again).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationStatus {
    Submitted,
    DocumentsRequested,
    Approved,
    Rejected,
}

/// What a reviewer or the vendor does to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationAction {
    Approve,
    Reject,
    RequestDocuments,
    /// The vendor answers a request for documents.
    Resubmit,
}

impl ApplicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::DocumentsRequested => "documents_requested",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Submitted,
            Self::DocumentsRequested,
            Self::Approved,
            Self::Rejected,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    /// Open applications can still change; decided ones are final.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Submitted | Self::DocumentsRequested)
    }

    /// Whether the vendor may still add documents.
    pub fn accepts_documents(self) -> bool {
        self.is_open()
    }

    /// The status after `action`, or `None` when it is not allowed now.
    pub fn after(self, action: ApplicationAction) -> Option<Self> {
        use ApplicationAction as A;
        match (self, action) {
            (Self::Submitted, A::Approve) => Some(Self::Approved),
            (Self::Submitted, A::Reject) | (Self::DocumentsRequested, A::Reject) => {
                Some(Self::Rejected)
            }
            (Self::Submitted, A::RequestDocuments) => Some(Self::DocumentsRequested),
            (Self::DocumentsRequested, A::Resubmit) => Some(Self::Submitted),
            _ => None,
        }
    }
}

/// Whether an action needs a written reason for the vendor.
pub fn needs_note(action: ApplicationAction) -> bool {
    matches!(
        action,
        ApplicationAction::Reject | ApplicationAction::RequestDocuments
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationAction as A;
    use ApplicationStatus as S;
    use proptest::prelude::*;

    #[test]
    fn the_review_paths() {
        assert_eq!(S::Submitted.after(A::Approve), Some(S::Approved));
        assert_eq!(
            S::Submitted.after(A::RequestDocuments),
            Some(S::DocumentsRequested)
        );
        assert_eq!(S::DocumentsRequested.after(A::Resubmit), Some(S::Submitted));
        assert_eq!(S::DocumentsRequested.after(A::Reject), Some(S::Rejected));
        // Approval needs the requested documents first.
        assert_eq!(S::DocumentsRequested.after(A::Approve), None);
    }

    fn action() -> impl Strategy<Value = A> {
        prop_oneof![
            Just(A::Approve),
            Just(A::Reject),
            Just(A::RequestDocuments),
            Just(A::Resubmit)
        ]
    }

    proptest! {
        /// Whatever happens, a decided application never changes again.
        #[test]
        fn decisions_are_final(actions in proptest::collection::vec(action(), 0..12)) {
            let mut status = S::Submitted;
            for action in actions {
                let was_open = status.is_open();
                if let Some(next) = status.after(action) {
                    prop_assert!(was_open, "{status:?} changed by {action:?}");
                    status = next;
                }
            }
        }
    }
}
