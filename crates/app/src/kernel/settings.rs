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
