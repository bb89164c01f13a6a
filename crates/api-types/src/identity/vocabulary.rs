//! Where a shopper's account stands, and the fixed words of sign-in answers.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// Where a shopper's account stands.
    ShopperStatus {
        PendingVerification = "pending_verification", Active = "active", Deleted = "deleted",
    }
}

vocabulary! {
    /// What a phone code is for.
    PhoneCodePurpose {
        Signup = "signup", PhoneChange = "phone_change", GuestOrder = "guest_order",
    }
}

vocabulary! {
    /// How to present the access token.
    TokenType {
        Bearer = "Bearer",
    }
}

vocabulary! {
    /// An outside sign-in that needs more before the account exists.
    SsoStatus {
        SignupRequired = "signup_required",
    }
}

vocabulary! {
    /// The identity provider that verifies age.
    VerificationProvider {
        PortOne = "portone",
    }
}
