//! The words of fulfilment.

use crate::kernel::vocabulary::vocabulary;

vocabulary! {
    /// What the vendor did with a shipment: `shipped` (handed to the
    /// carrier), `delivered`, or `cancelled` (withdrawn before the carrier
    /// scanned it).
    ShipmentStatus {
        Shipped = "shipped", Delivered = "delivered", Cancelled = "cancelled",
    }
}

vocabulary! {
    /// Where the carrier says the parcel is (the tracking service's
    /// `TrackEventStatusCode`, lower-cased).
    CarrierStatus {
        Unknown = "unknown", InformationReceived = "information_received", AtPickup = "at_pickup",
        InTransit = "in_transit", OutForDelivery = "out_for_delivery", AttemptFail = "attempt_fail",
        Exception = "exception", AvailableForPickup = "available_for_pickup", Delivered = "delivered",
    }
}

vocabulary! {
    /// Why a vendor delays a dispatch (the shopper is told).
    DelayReason {
        ProductPreparing = "product_preparing", CustomerRequest = "customer_request",
        CustomBuild = "custom_build", ReservedDispatch = "reserved_dispatch", Other = "other",
    }
}

vocabulary! {
    /// What runs late: `late_dispatch` (not dispatched by the deadline),
    /// `no_carrier_scan` (no carrier scan a day after shipping),
    /// `long_in_transit` (more than five days with the carrier).
    DelayKind {
        LateDispatch = "late_dispatch", NoCarrierScan = "no_carrier_scan",
        LongInTransit = "long_in_transit",
    }
}

vocabulary! {
    /// Carriers a vendor can ship with (the tracking service's ids).
    CarrierId {
        CjLogistics = "kr.cjlogistics", Epost = "kr.epost", Hanjin = "kr.hanjin",
        Lotte = "kr.lotte", Logen = "kr.logen", CuPost = "kr.cupost", Cvsnet = "kr.cvsnet",
    }
}

#[cfg(test)]
mod tests {
    use domain::fulfilment::{carriers, delays, dispatch, tracking};

    use super::*;

    #[test]
    fn the_words_are_the_domain_s() {
        let carrier_ids: Vec<&str> = carriers::CARRIERS.iter().map(|c| c.id).collect();
        assert_eq!(CarrierId::VALUES, carrier_ids.as_slice());
        let statuses: Vec<&str> = tracking::TrackStatus::ALL
            .iter()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(CarrierStatus::VALUES, statuses.as_slice());
        let reasons: Vec<&str> = dispatch::DelayReason::ALL
            .iter()
            .map(|r| r.as_str())
            .collect();
        assert_eq!(DelayReason::VALUES, reasons.as_slice());
        let kinds: Vec<&str> = delays::DelayKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(DelayKind::VALUES, kinds.as_slice());
    }
}
