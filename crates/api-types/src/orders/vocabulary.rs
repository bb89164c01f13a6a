//! Where an order stands.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// A purchase order's or seller order's status.
    OrderStatus {
        PendingPayment = "pending_payment", Paid = "paid", Cancelled = "cancelled",
        Expired = "expired",
    }
}

vocabulary! {
    /// A product order's status: an order's, then its delivery's.
    ProductOrderStatus {
        PendingPayment = "pending_payment", Paid = "paid", Cancelled = "cancelled",
        Expired = "expired", Shipped = "shipped", Delivered = "delivered",
        Confirmed = "confirmed",
    }
}
