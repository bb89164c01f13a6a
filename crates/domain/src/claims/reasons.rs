//! What a claim is, why it was made, and whose fault that makes it.

/// What the shopper asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Before the item ships: nothing comes back, the refund is immediate.
    Cancel,
    /// After delivery: the item comes back and is refunded.
    Return,
    /// After delivery: the item comes back and another option goes out.
    Exchange,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Self::Cancel, Self::Return, Self::Exchange];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cancel => "cancel",
            Self::Return => "return",
            Self::Exchange => "exchange",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Whether the item has to come back to the vendor.
    pub fn comes_back(self) -> bool {
        !matches!(self, Self::Cancel)
    }
}

/// Who caused the claim; it decides who bears the shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    Buyer,
    Vendor,
    Carrier,
}

impl Fault {
    pub const ALL: [Fault; 3] = [Self::Buyer, Self::Vendor, Self::Carrier];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Buyer => "buyer",
            Self::Vendor => "vendor",
            Self::Carrier => "carrier",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|fault| fault.as_str() == name)
    }

    /// The shopper pays shipping only for their own change of mind; a
    /// carrier's fault is the vendor's to take up with its carrier.
    pub fn shopper_pays_shipping(self) -> bool {
        matches!(self, Self::Buyer)
    }
}

/// Why the shopper (or the vendor, for a cancel) made the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    ChangeOfMind,
    WrongOptionOrdered,
    Defective,
    NotAsDescribed,
    WrongItemSent,
    DamagedInTransit,
    LostInTransit,
    SoldOut,
    DispatchDelayed,
}

impl Reason {
    pub const ALL: [Reason; 9] = [
        Self::ChangeOfMind,
        Self::WrongOptionOrdered,
        Self::Defective,
        Self::NotAsDescribed,
        Self::WrongItemSent,
        Self::DamagedInTransit,
        Self::LostInTransit,
        Self::SoldOut,
        Self::DispatchDelayed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ChangeOfMind => "change_of_mind",
            Self::WrongOptionOrdered => "wrong_option_ordered",
            Self::Defective => "defective",
            Self::NotAsDescribed => "not_as_described",
            Self::WrongItemSent => "wrong_item_sent",
            Self::DamagedInTransit => "damaged_in_transit",
            Self::LostInTransit => "lost_in_transit",
            Self::SoldOut => "sold_out",
            Self::DispatchDelayed => "dispatch_delayed",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.as_str() == name)
    }

    pub fn fault(self) -> Fault {
        match self {
            Self::ChangeOfMind | Self::WrongOptionOrdered => Fault::Buyer,
            Self::Defective
            | Self::NotAsDescribed
            | Self::WrongItemSent
            | Self::SoldOut
            | Self::DispatchDelayed => Fault::Vendor,
            Self::DamagedInTransit | Self::LostInTransit => Fault::Carrier,
        }
    }

    /// Whether a claim of `kind` can give this reason: a cancel is about
    /// the order (the shopper changed their mind, the vendor cannot ship),
    /// a return or exchange about the item that arrived.
    pub fn fits(self, kind: Kind) -> bool {
        match kind {
            Kind::Cancel => matches!(
                self,
                Self::ChangeOfMind
                    | Self::WrongOptionOrdered
                    | Self::SoldOut
                    | Self::DispatchDelayed
            ),
            Kind::Return => !matches!(self, Self::SoldOut | Self::DispatchDelayed),
            Kind::Exchange => matches!(
                self,
                Self::ChangeOfMind
                    | Self::WrongOptionOrdered
                    | Self::Defective
                    | Self::WrongItemSent
                    | Self::DamagedInTransit
            ),
        }
    }

    /// Only the vendor says it cannot ship.
    pub fn vendor_only(self) -> bool {
        matches!(self, Self::SoldOut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        for fault in Fault::ALL {
            assert_eq!(Fault::parse(fault.as_str()), Some(fault));
        }
        for reason in Reason::ALL {
            assert_eq!(Reason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(Reason::parse("because"), None);
    }

    #[test]
    fn the_shopper_pays_shipping_only_for_their_own_reasons() {
        assert!(Reason::ChangeOfMind.fault().shopper_pays_shipping());
        assert!(Reason::WrongOptionOrdered.fault().shopper_pays_shipping());
        assert!(!Reason::NotAsDescribed.fault().shopper_pays_shipping());
        assert!(!Reason::DamagedInTransit.fault().shopper_pays_shipping());
        assert!(!Reason::SoldOut.fault().shopper_pays_shipping());
    }

    #[test]
    fn every_kind_has_a_reason_and_a_lost_parcel_is_not_exchanged() {
        for kind in Kind::ALL {
            assert!(Reason::ALL.iter().any(|reason| reason.fits(kind)));
        }
        assert!(!Reason::LostInTransit.fits(Kind::Exchange));
        assert!(!Reason::Defective.fits(Kind::Cancel));
    }
}
