//! Where a staff account stands, vendor staff roles, and what a login still
//! needs.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// Where a staff account stands.
    StaffStatus {
        PendingVerification = "pending_verification", Invited = "invited", Active = "active",
        Disabled = "disabled",
    }
}

vocabulary! {
    /// A vendor staff member's role.
    SellerRole {
        Owner = "owner", Manager = "manager", Staff = "staff",
    }
}

vocabulary! {
    /// The second factor a login still needs: a code
    /// (`/v1/auth/mfa/verify`), or enrolment first (`/v1/auth/mfa/enrolment`).
    MfaStatus {
        MfaRequired = "mfa_required", MfaEnrolmentRequired = "mfa_enrolment_required",
    }
}
