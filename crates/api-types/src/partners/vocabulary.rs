//! Where a partner stands.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// A disabled partner's keys are refused.
    PartnerStatus {
        Active = "active", Disabled = "disabled",
    }
}
