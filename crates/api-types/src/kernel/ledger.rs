//! What points and cash ledger entries show alike.

/// Implements `From<app::kernel::lots::Entry>` for a ledger's entry type
/// (the same fields in every ledger; only the words of `kind` differ).
macro_rules! entry_from_ledger {
    ($entry:ident) => {
        impl From<app::kernel::lots::Entry> for $entry {
            fn from(entry: app::kernel::lots::Entry) -> Self {
                Self {
                    kind: entry.kind,
                    amount: app::catalog::browse::in_minor_units(entry.amount),
                    expires_at: entry.expires_at,
                    purchase_order_id: entry.purchase_order_id,
                    reason: entry.reason,
                    created_at: entry.created_at,
                }
            }
        }
    };
}
pub(crate) use entry_from_ledger;
