//! Settings the context carries that belong to no outside client.

use serde::Deserialize;

/// `[checkout]`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct CheckoutSettings {
    /// How long an unpaid order holds its stock.
    pub hold_minutes: u32,
    /// Unpaid orders one shopper may hold at once.
    pub max_open_orders: i64,
    /// The demo payment method (never in production).
    pub test_payments: bool,
}

/// `[fulfilment]`: purchase confirmation's waits and what it earns.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct FulfilmentSettings {
    /// Days after the carrier's delivery event a purchase confirms itself.
    pub confirm_after_delivery_days: u32,
    /// Days added to those, counted from shipping, when no carrier reported
    /// delivery.
    pub confirm_without_delivery_extra_days: u32,
    /// Days the shopper is told before a purchase confirms without a
    /// delivery event.
    pub confirmation_notice_days: u32,
    /// Points earned per won paid (card and cash) on confirmation.
    pub confirmation_points_rate: rust_decimal::Decimal,
    /// How long the earned points stay spendable.
    pub confirmation_points_valid_days: u32,
}

/// `[settlement]`: what a vendor pays the platform until operations set
/// its rates.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct SettlementSettings {
    /// A new vendor's base commission (a fraction of its sales).
    pub default_commission_rate: rust_decimal::Decimal,
    /// VAT charged on commission, frozen with each rule.
    pub commission_vat_rate: rust_decimal::Decimal,
    /// Days after confirmation by which an earning is paid out.
    pub payout_due_days: u32,
    /// Days before that due date a payee is swept early, off its cycle.
    pub payout_due_margin_days: u32,
    /// What a payee may owe back (claims beyond its earnings) before its
    /// payouts hold for operations.
    pub receivable_cap: rust_decimal::Decimal,
}

/// `[tracking]`: where the tracking service's callbacks reach us, and how
/// hard we may ask it.
#[derive(Debug, Clone, Deserialize)]
pub struct TrackingSettings {
    /// external-api's callback route as the tracking service reaches it,
    /// ending in our secret token (`.../v1/webhooks/delivery-tracker/<token>`).
    pub callback_url: String,
    /// How long a registered webhook lives before the keep-alive renews it.
    pub webhook_ttl_hours: u32,
    /// A live parcel is read again when nothing was heard of it this long.
    pub poll_after_minutes: u32,
    /// Reads per minute and per day our credentials may spend.
    pub reads_per_minute: u32,
    pub reads_per_day: u32,
}

impl TrackingSettings {
    /// The secret the callback URL ends with: a callback naming another is
    /// refused.
    pub fn callback_token(&self) -> &str {
        self.callback_url.rsplit('/').next().unwrap_or_default()
    }
}

/// `[security]`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct SecuritySettings {
    /// Tries on the decoy login pages before the IP is blocked.
    pub honeypot_block_after: u32,
    /// The window those tries are counted over.
    pub honeypot_window_secs: u64,
    /// How long a blocked IP stays blocked, on every service.
    pub ip_block_secs: u64,
}
