//! How coupons are issued, what they take off and where they apply, and the
//! kinds of point ledger entries.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// How shoppers get a coupon: `auto` (platform only) is issued at sign-up.
    IssueMethod {
        Download = "download", Code = "code", Auto = "auto",
    }
}

vocabulary! {
    /// A fixed amount or a percentage off.
    DiscountKind {
        Fixed = "fixed", Percent = "percent",
    }
}

vocabulary! {
    /// What a coupon applies to: `sellers` is for platform coupons only.
    CouponScope {
        All = "all", Categories = "categories", Sellers = "sellers", Products = "products",
    }
}

vocabulary! {
    /// What a point ledger entry records.
    PointEntryKind {
        Grant = "grant", Spend = "spend", Restore = "restore",
    }
}
