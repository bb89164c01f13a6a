//! The vendor's own coupons (vendor-funded, only its items).

web::coupon_routes!(
    permission = "seller.coupons.manage",
    define = "Defines a vendor coupon.",
    list = "The vendor's coupons, newest first.",
);
