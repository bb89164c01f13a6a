//! The shopper API over HTTP against the real stores.
//!
//! One test binary per crate: each module is one area, and the crate links once.

mod audiences;
mod browse;
mod categories;
mod checkout;
mod contention;
mod coupons_and_order_views;
mod demo_catalog;
mod email_change;
mod guests;
mod honeypot;
mod identity_verification;
mod in_app;
mod key_rotation;
mod openapi;
mod passwords;
mod payments;
mod phone_codes;
mod process;
mod profile;
mod reviews;
mod sessions;
mod signup;
mod sso;
mod throttle;
mod wallet;
mod wishlist;
