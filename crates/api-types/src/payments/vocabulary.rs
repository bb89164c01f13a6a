//! Payment providers, where a payment stands, and what a webhook did.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// The payment provider that took a payment.
    PaymentProvider {
        Toss = "toss", KakaoPay = "kakaopay", PayPal = "paypal",
    }
}

vocabulary! {
    /// Where a payment stands at its provider.
    PaymentStatus {
        Pending = "pending", Confirming = "confirming", InDoubt = "in_doubt",
        AwaitingDeposit = "awaiting_deposit", Succeeded = "succeeded", Failed = "failed",
        Cancelling = "cancelling", Cancelled = "cancelled",
    }
}

vocabulary! {
    /// What a provider's notification did: `ignored` when it is not our
    /// payment, or not an event we act on.
    WebhookResult {
        Applied = "applied", Ignored = "ignored",
    }
}

impl From<app::payments::webhooks::Handled> for WebhookResult {
    fn from(handled: app::payments::webhooks::Handled) -> Self {
        match handled {
            app::payments::webhooks::Handled::Applied => Self::Applied,
            app::payments::webhooks::Handled::Ignored => Self::Ignored,
        }
    }
}
