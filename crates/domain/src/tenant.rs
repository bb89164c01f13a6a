//! Whose rows a staff member's query reads. Every such query takes a
//! [`Tenant`]: there is no default, so no query can be called without
//! saying whose rows it reads.

use uuid::Uuid;

/// The organisation a staff member acts for.
///
/// Over vendors' rows (products, reviews, applications) a vendor reads its
/// own and operations read every vendor's; over rows both kinds of
/// organisation own (staff accounts, coupons) each reads its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tenant {
    /// One vendor.
    Seller(Uuid),
    /// The platform's operations staff.
    Operations,
}

impl Tenant {
    /// The vendor, for a vendor's tenant.
    pub fn seller_id(self) -> Option<Uuid> {
        match self {
            Self::Seller(id) => Some(id),
            Self::Operations => None,
        }
    }
}
