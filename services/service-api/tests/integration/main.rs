//! The shopper API over HTTP against the real stores.
//!
//! One test binary per crate: each module is one area, and the crate links once.

mod catalog_browse;
mod catalog_categories;
mod catalog_reviews;
mod catalog_wishlist;
mod demo_catalog;
mod identity_adult_verification;
mod identity_audiences;
mod identity_email_change;
mod identity_guests;
mod identity_passwords;
mod identity_phone_codes;
mod identity_profile;
mod identity_sessions;
mod identity_signup;
mod identity_sso;
mod identity_throttle;
mod kernel_cors;
mod kernel_honeypot;
mod kernel_idempotency;
mod maintenance_key_rotation;
mod openapi;
mod orders_checkout;
mod orders_contention;
mod payments;
mod pricing_coupons_and_order_views;
mod process;
mod wallet;
mod wallet_in_app;
mod wallet_refunds;
