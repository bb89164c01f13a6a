//! `service-api`: the shoppers' API (`api.<domain>`).

mod accounts;
mod brands;
mod cart;
mod categories;
mod checkout;
mod claims;
mod coupons;
mod email_change;
mod fulfilment;
mod identity;
mod me;
mod orders;
mod passwords;
mod payments;
mod phone;
mod products;
mod reviews;
mod sessions;
mod sso;
mod wallet;
mod wishlist;

use actix_web::web::ServiceConfig;
use auth::Audience;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        categories::list_categories,
        brands::list_brands,
        products::list_products,
        products::product_detail,
        reviews::product_reviews,
        reviews::upload_photo,
        reviews::write_review,
        wishlist::wishlist,
        wishlist::like_product,
        wishlist::unlike_product,
        wishlist::subscribe_restock,
        cart::cart,
        cart::add_item,
        cart::set_quantity,
        cart::remove_item,
        coupons::my_coupons,
        coupons::claim_coupon,
        coupons::redeem_coupon,
        coupons::my_points,
        checkout::quote,
        checkout::checkout,
        orders::confirm_test_payment,
        payments::toss_confirm,
        payments::kakaopay_ready,
        payments::kakaopay_approve,
        payments::paypal_create,
        payments::paypal_capture,
        payments::own_payment,
        wallet::my_wallet,
        wallet::start_charge,
        wallet::refund,
        wallet::refunds,
        wallet::apple_purchase,
        wallet::google_purchase,
        orders::list_orders,
        orders::own_order,
        orders::cancel_order,
        fulfilment::order_shipments,
        fulfilment::confirm_purchase,
        claims::quote_claim,
        claims::create_claim,
        claims::my_claims,
        claims::my_claim,
        claims::withdraw_claim,
        orders::guest_order,
        accounts::signup,
        accounts::verify_email,
        sessions::login,
        web::tokens::refresh,
        web::tokens::logout,
        sessions::guest,
        phone::send_code,
        passwords::request_reset,
        passwords::confirm_reset,
        passwords::change_password,
        phone::verify_code,
        me::me,
        me::update_me,
        me::delete_me,
        me::sessions,
        me::revoke_session,
        identity::start_identity_verification,
        identity::identity_verification_result,
        email_change::request_change,
        email_change::confirm_change,
        sso::sso_authorize,
        sso::sso_callback,
        sso::sso_signup,
        sso::link_sso
    ),
    tags(
        (name = "auth", description = "Sign-up, verification, login and sessions"),
        (name = "catalog", description = "Categories, brands and products"),
        (name = "reviews", description = "Buyers' reviews of what they received"),
        (name = "wishlist", description = "Likes and restock alerts"),
        (name = "cart", description = "The cart of a member or a guest"),
        (name = "coupons", description = "Coupons and points"),
        (name = "checkout", description = "Pricing and placing orders"),
        (name = "payments", description = "Paying for orders"),
        (name = "orders", description = "Orders: purchase, vendor and product tiers"),
        (name = "claims", description = "Cancels and returns of product orders, quoted before they are made"),
        (name = "me", description = "The caller's own account")
    )
)]
struct ApiDoc;

fn routes(config: &mut ServiceConfig) {
    config
        .service(categories::list_categories)
        .service(brands::list_brands)
        .service(products::list_products)
        .service(products::product_detail)
        .service(reviews::product_reviews)
        .service(reviews::upload_photo)
        .service(reviews::write_review)
        .service(wishlist::wishlist)
        .service(wishlist::like_product)
        .service(wishlist::unlike_product)
        .service(wishlist::subscribe_restock)
        .service(cart::cart)
        .service(cart::add_item)
        .service(cart::set_quantity)
        .service(cart::remove_item)
        .service(coupons::my_coupons)
        .service(coupons::redeem_coupon)
        .service(coupons::claim_coupon)
        .service(coupons::my_points)
        .service(checkout::quote)
        .service(checkout::checkout)
        .service(orders::confirm_test_payment)
        .service(payments::toss_confirm)
        .service(payments::kakaopay_ready)
        .service(payments::kakaopay_approve)
        .service(payments::paypal_create)
        .service(payments::paypal_capture)
        .service(payments::own_payment)
        .service(wallet::my_wallet)
        .service(wallet::start_charge)
        .service(wallet::refund)
        .service(wallet::refunds)
        .service(wallet::apple_purchase)
        .service(wallet::google_purchase)
        .service(orders::list_orders)
        .service(orders::own_order)
        .service(orders::cancel_order)
        .service(fulfilment::order_shipments)
        .service(fulfilment::confirm_purchase)
        .service(claims::quote_claim)
        .service(claims::create_claim)
        .service(claims::my_claims)
        .service(claims::my_claim)
        .service(claims::withdraw_claim)
        .service(orders::guest_order)
        .service(accounts::signup)
        .service(accounts::verify_email)
        .service(sessions::login)
        .service(web::tokens::refresh)
        .service(web::tokens::logout)
        .service(sessions::guest)
        .service(phone::send_code)
        .service(passwords::request_reset)
        .service(passwords::confirm_reset)
        .service(passwords::change_password)
        .service(phone::verify_code)
        .service(me::me)
        .service(me::update_me)
        .service(me::delete_me)
        .service(me::sessions)
        .service(me::revoke_session)
        .service(identity::start_identity_verification)
        .service(identity::identity_verification_result)
        .service(email_change::request_change)
        .service(email_change::confirm_change)
        .service(sso::sso_authorize)
        .service(sso::sso_callback)
        .service(sso::sso_signup)
        .service(sso::link_sso)
        .configure(web::honeypot::configure);
}

pub const SERVICE: web::Service = web::Service {
    name: "service-api",
    settings_key: "service_api",
    audience: Audience::Service,
    title: "Marketplace shopper API",
    description: "Shoppers and guests: catalog, cart, checkout, payments, orders.",
    routes,
    openapi: ApiDoc::openapi,
};
