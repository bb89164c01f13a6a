//! What the journal should hold for each thing it follows, and the entry
//! that brings it there. A confirmed product order should stand at its
//! earning (nothing once a claim took it back); a vendor order, once due,
//! at the shipping and fees collected for it. Only the difference from
//! what is posted is written, the first posting with its gross lines, so
//! a sequence of events ends where one would.

use rust_decimal::Decimal;

use super::earning::{self, ConfirmedLine};
use super::journal::{Entry, EntryKind, Nets};

/// What a confirmed product order should stand at: its earning, or
/// nothing once a claim took it back.
pub fn line_target(line: &ConfirmedLine, taken_back: bool) -> Entry {
    if taken_back {
        Entry::default()
    } else {
        earning::earning(line).entry
    }
}

/// What a vendor order should stand at: what was collected for it, once a
/// line of it is confirmed or every line was taken back; nothing before.
pub fn shipping_target(collected: Decimal, due: bool) -> Entry {
    if due {
        earning::shipping(collected)
    } else {
        Entry::default()
    }
}

/// What the journal follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Followed {
    /// A product order, and whether a claim took it back.
    Line { taken_back: bool },
    /// A vendor order's shipping and fees.
    Shipping,
}

/// The entry that takes what is `posted` for one followed thing to its
/// `target`, and its kind; none when they already agree. The first
/// posting keeps the target's gross lines (the sale and the commission
/// apart, which statements show); later ones post the difference.
pub fn posting(followed: Followed, target: &Entry, posted: &Nets) -> Option<(EntryKind, Entry)> {
    let first = posted.is_empty();
    let entry = if first {
        target.clone()
    } else {
        Entry::difference(&target.nets(), posted)
    };
    if entry.lines().is_empty() {
        return None;
    }
    let kind = match followed {
        Followed::Line { .. } if first => EntryKind::Earning,
        Followed::Line { taken_back: true } => EntryKind::Clawback,
        Followed::Line { taken_back: false } => EntryKind::Adjustment,
        Followed::Shipping => EntryKind::Shipping,
    };
    Some((kind, entry))
}
