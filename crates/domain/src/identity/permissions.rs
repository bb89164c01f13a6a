//! What staff may do. Operations staff hold permissions through roles (a
//! matrix managed in admin-api); vendor staff through their fixed role. Each
//! permission is a named constant, and every staff route declares the one it
//! needs.

/// The operations role that holds every permission: demo data and the first
/// administrator get it, it gains new permissions as they are added, and its
/// last active holder keeps it.
pub const ADMINISTRATOR_ROLE: &str = "administrator";

/// A permission of operations staff (admin-api).
pub mod admin {
    pub const STAFF_READ: &str = "staff.read";
    pub const STAFF_MANAGE: &str = "staff.manage";
    pub const ROLES_READ: &str = "roles.read";
    pub const ROLES_MANAGE: &str = "roles.manage";
    pub const AUDIT_READ: &str = "audit.read";
    /// Read a shopper's personal data (name, email, phone); every read is audited.
    pub const USERS_PERSONAL_DATA_READ: &str = "users.personal_data.read";
    pub const PARTNERS_READ: &str = "partners.read";
    pub const PARTNERS_MANAGE: &str = "partners.manage";
    pub const SELLERS_REVIEW: &str = "sellers.review";
    /// Support for vendors' staff accounts (e.g. resetting a lost second factor).
    pub const SELLERS_STAFF_MANAGE: &str = "sellers.staff.manage";
    pub const SELLERS_DOCUMENTS_READ_BUSINESS_REGISTRATION: &str =
        "sellers.documents.read.business_registration";
    pub const SELLERS_DOCUMENTS_READ_BANKBOOK: &str = "sellers.documents.read.bankbook";
    pub const SELLERS_DOCUMENTS_READ_REPRESENTATIVE_ID: &str =
        "sellers.documents.read.representative_id";
    pub const SELLERS_DOCUMENTS_READ_MAIL_ORDER_REPORT: &str =
        "sellers.documents.read.mail_order_report";
    pub const CATALOG_MANAGE: &str = "catalog.manage";
    pub const PRODUCTS_MODERATE: &str = "products.moderate";
    /// Hide shoppers' reviews (and show them again).
    pub const REVIEWS_MODERATE: &str = "reviews.moderate";
    pub const COUPONS_MANAGE: &str = "coupons.manage";
    pub const ORDERS_READ: &str = "orders.read";
    /// Decide on shoppers' claims in place of the vendor.
    pub const CLAIMS_MANAGE: &str = "claims.manage";
    /// Withdraw or deliver a parcel in place of the vendor or the carrier.
    pub const FULFILMENT_OVERRIDE: &str = "fulfilment.override";
    pub const POINTS_GRANT: &str = "points.grant";
    /// Grant bonus (event) cash to a shopper's wallet.
    pub const CASH_GRANT: &str = "cash.grant";
    /// Read commission rules, the journal and the trial balance.
    pub const SETTLEMENT_READ: &str = "settlement.read";
    /// Change vendors' commission rates and payout cycles, sweep payouts
    /// outside the schedule (audited).
    pub const SETTLEMENT_MANAGE: &str = "settlement.manage";
    /// Approve payout batches, export their transfers and record the
    /// bank's answer (audited).
    pub const SETTLEMENT_APPROVE: &str = "settlement.approve";

    /// Every operations permission, in display order.
    pub const ALL: &[&str] = &[
        STAFF_READ,
        STAFF_MANAGE,
        ROLES_READ,
        ROLES_MANAGE,
        AUDIT_READ,
        USERS_PERSONAL_DATA_READ,
        PARTNERS_READ,
        PARTNERS_MANAGE,
        SELLERS_REVIEW,
        SELLERS_STAFF_MANAGE,
        SELLERS_DOCUMENTS_READ_BUSINESS_REGISTRATION,
        SELLERS_DOCUMENTS_READ_BANKBOOK,
        SELLERS_DOCUMENTS_READ_REPRESENTATIVE_ID,
        SELLERS_DOCUMENTS_READ_MAIL_ORDER_REPORT,
        CATALOG_MANAGE,
        PRODUCTS_MODERATE,
        REVIEWS_MODERATE,
        COUPONS_MANAGE,
        ORDERS_READ,
        CLAIMS_MANAGE,
        FULFILMENT_OVERRIDE,
        POINTS_GRANT,
        CASH_GRANT,
        SETTLEMENT_READ,
        SETTLEMENT_MANAGE,
        SETTLEMENT_APPROVE,
    ];

    /// The known constant equal to `name`, if any.
    pub fn parse(name: &str) -> Option<&'static str> {
        ALL.iter().copied().find(|known| *known == name)
    }
}

/// A permission of vendor staff (seller-api), granted by their role.
pub mod seller {
    pub const STAFF_READ: &str = "seller.staff.read";
    pub const STAFF_MANAGE: &str = "seller.staff.manage";
    pub const PROFILE_MANAGE: &str = "seller.profile.manage";
    pub const SETTLEMENT_ACCOUNT_MANAGE: &str = "seller.settlement_account.manage";
    /// Read the representative's ID document (owners only).
    pub const IDENTITY_DOCUMENTS_READ: &str = "seller.identity_documents.read";
    pub const PRODUCTS_MANAGE: &str = "seller.products.manage";
    pub const ORDERS_MANAGE: &str = "seller.orders.manage";
    pub const COUPONS_MANAGE: &str = "seller.coupons.manage";
    pub const SETTLEMENTS_READ: &str = "seller.settlements.read";

    pub const ALL: &[&str] = &[
        STAFF_READ,
        STAFF_MANAGE,
        PROFILE_MANAGE,
        SETTLEMENT_ACCOUNT_MANAGE,
        IDENTITY_DOCUMENTS_READ,
        PRODUCTS_MANAGE,
        ORDERS_MANAGE,
        COUPONS_MANAGE,
        SETTLEMENTS_READ,
    ];

    /// Permissions that show personal data: buyers' names, phones and
    /// addresses on orders; colleagues' contacts; the representative's ID;
    /// the settlement account. A role holding any needs a second factor.
    pub const READS_PERSONAL_DATA: &[&str] = &[
        ORDERS_MANAGE,
        STAFF_READ,
        IDENTITY_DOCUMENTS_READ,
        SETTLEMENT_ACCOUNT_MANAGE,
    ];
}

/// What a partner platform may call on external-api (its client's scopes).
pub mod partner {
    /// Read the catalog (categories, products) to list it elsewhere.
    pub const CATALOG_READ: &str = "catalog.read";
    /// Read the orders placed through the partner.
    pub const ORDERS_READ: &str = "orders.read";
    /// Report carriers' tracking events of parcels (carriers, logistics
    /// partners).
    pub const TRACKING_WRITE: &str = "tracking.write";

    pub const ALL: &[&str] = &[CATALOG_READ, ORDERS_READ, TRACKING_WRITE];

    pub fn parse(name: &str) -> Option<&'static str> {
        ALL.iter().copied().find(|known| *known == name)
    }
}

/// The role of a vendor's staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SellerRole {
    /// Everything, including staff and the settlement account.
    Owner,
    /// Runs the shop: everything but staff and the settlement account.
    Manager,
    /// Day-to-day work: products and orders.
    Staff,
}

impl SellerRole {
    pub const ALL: [SellerRole; 3] = [Self::Owner, Self::Manager, Self::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Manager => "manager",
            Self::Staff => "staff",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == value)
    }

    pub fn permissions(self) -> &'static [&'static str] {
        use seller::*;
        match self {
            Self::Owner => ALL,
            Self::Manager => &[
                STAFF_READ,
                PROFILE_MANAGE,
                PRODUCTS_MANAGE,
                ORDERS_MANAGE,
                COUPONS_MANAGE,
                SETTLEMENTS_READ,
            ],
            Self::Staff => &[PRODUCTS_MANAGE, ORDERS_MANAGE],
        }
    }

    pub fn may(self, permission: &str) -> bool {
        self.permissions().contains(&permission)
    }

    /// Whether this role must use a second factor to log in: every role
    /// that reads personal data (buyers' orders, staff, identity papers,
    /// the settlement account) does.
    pub fn requires_mfa(self) -> bool {
        self.permissions()
            .iter()
            .any(|permission| seller::READS_PERSONAL_DATA.contains(permission))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn permission_names_are_unique_and_dotted() {
        // Each set is its own namespace (staff tokens vs partner signatures).
        for set in [admin::ALL, seller::ALL, partner::ALL] {
            let unique: HashSet<&str> = set.iter().copied().collect();
            assert_eq!(unique.len(), set.len());
            for name in set {
                assert!(
                    name.split('.').count() >= 2
                        && name
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn seller_roles_are_nested_and_only_the_owner_manages_staff() {
        for permission in SellerRole::Staff.permissions() {
            assert!(SellerRole::Manager.may(permission));
        }
        for permission in SellerRole::Manager.permissions() {
            assert!(SellerRole::Owner.may(permission));
            assert!(seller::ALL.contains(permission));
        }
        assert!(SellerRole::Owner.may(seller::STAFF_MANAGE));
        assert!(!SellerRole::Manager.may(seller::STAFF_MANAGE));
        assert!(!SellerRole::Manager.may(seller::SETTLEMENT_ACCOUNT_MANAGE));
    }

    #[test]
    fn every_role_that_reads_personal_data_needs_a_second_factor() {
        for role in SellerRole::ALL {
            let reads = role
                .permissions()
                .iter()
                .any(|p| seller::READS_PERSONAL_DATA.contains(p));
            assert_eq!(role.requires_mfa(), reads, "{role:?}");
        }
        // Today every role sees buyers' orders.
        assert!(SellerRole::ALL.iter().all(|role| role.requires_mfa()));
    }

    #[test]
    fn parses_only_known_names() {
        assert_eq!(admin::parse("audit.read"), Some(admin::AUDIT_READ));
        assert_eq!(admin::parse("audit.*"), None);
        assert_eq!(SellerRole::parse("owner"), Some(SellerRole::Owner));
        assert_eq!(SellerRole::parse("root"), None);
    }
}
