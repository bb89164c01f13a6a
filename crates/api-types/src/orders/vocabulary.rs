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
    /// A product order's status: an order's, then its fulfilment's (`preparing` once the vendor accepts it), and `cancelled` or `returned` by a claim.
    ProductOrderStatus {
        PendingPayment = "pending_payment", Paid = "paid", Cancelled = "cancelled",
        Expired = "expired", Preparing = "preparing", Shipped = "shipped", Delivered = "delivered",
        Confirmed = "confirmed", Returned = "returned",
    }
}
