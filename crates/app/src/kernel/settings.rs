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
