//! `seller-api`: Vendor staff: onboarding, products, stock, coupons, orders, settlements.

mod accounts;
mod applications;
mod claims;
mod coupons;
mod fulfilment;
mod images;
mod orders;
mod products;
mod profile;
mod reviews;
mod settlement;
mod staff;

use actix_web::web::ServiceConfig;
use auth::Audience;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        accounts::signup,
        accounts::verify_email,
        web::staff_auth::login,
        web::staff_auth::mfa_enrolment,
        web::staff_auth::mfa_verify,
        web::staff_auth::accept_invitation,
        web::tokens::refresh,
        web::tokens::logout,
        web::staff_auth::current_staff,
        web::staff_auth::change_password,
        web::staff_auth::request_password_reset,
        web::staff_auth::confirm_password_reset,
        web::staff_auth::begin_own_enrolment,
        web::staff_auth::confirm_own_enrolment,
        staff::list_staff,
        staff::invite,
        staff::disable,
        staff::reset_mfa,
        applications::submit_application,
        applications::list_own_applications,
        applications::own_application,
        applications::upload_document,
        applications::resubmit_application,
        applications::own_document_url,
        profile::own_seller,
        profile::update_own_seller,
        products::create_product,
        images::upload_image,
        images::delete_image,
        products::list_own_products,
        products::own_product,
        products::update_own_product,
        products::delete_own_product,
        products::add_sku,
        products::update_sku,
        coupons::define_coupon,
        coupons::list_coupons,
        orders::list_orders,
        orders::seller_order,
        fulfilment::carriers,
        fulfilment::accept,
        fulfilment::dispatch_deadline,
        fulfilment::declare_dispatch_date,
        fulfilment::delay_dispatch,
        fulfilment::ship,
        fulfilment::ship_bulk,
        fulfilment::order_shipments,
        fulfilment::deliver,
        fulfilment::withdraw,
        claims::claims,
        claims::claim,
        claims::approve,
        claims::reject,
        claims::hold_back,
        claims::release,
        claims::receive,
        claims::cancel_lines,
        reviews::list_reviews,
        reviews::reply_to_review,
        settlement::statement_periods,
        settlement::statement,
        settlement::balance,
        settlement::payout_list,
        settlement::payout
    ),
    tags(
        (name = "auth", description = "Sign-up, login with a second factor, sessions"),
        (name = "staff", description = "The vendor's staff"),
        (name = "onboarding", description = "Applying to sell: business details and documents"),
        (name = "seller", description = "The vendor's profile and shipping policy"),
        (name = "products", description = "The vendor's products, SKUs, prices and stock"),
        (name = "coupons", description = "The vendor's own coupons"),
        (name = "orders", description = "The vendor's orders"),
        (name = "fulfilment", description = "Accepting, dispatch deadlines and shipping with tracking"),
        (name = "claims", description = "Shoppers' cancels and returns of the vendor's items"),
        (name = "reviews", description = "Reviews of the vendor's products and its replies"),
        (name = "settlement", description = "The vendor's statements, balance and payouts")
    )
)]
struct ApiDoc;

fn routes(config: &mut ServiceConfig) {
    config
        .service(accounts::signup)
        .service(accounts::verify_email)
        .configure(web::staff_auth::configure)
        .service(staff::list_staff)
        .service(staff::invite)
        .service(staff::disable)
        .service(staff::reset_mfa)
        .service(applications::submit_application)
        .service(applications::list_own_applications)
        .service(applications::own_application)
        .service(applications::upload_document)
        .service(applications::resubmit_application)
        .service(applications::own_document_url)
        .service(profile::own_seller)
        .service(profile::update_own_seller)
        .service(products::create_product)
        .service(images::upload_image)
        .service(images::delete_image)
        .service(products::list_own_products)
        .service(products::own_product)
        .service(products::update_own_product)
        .service(products::delete_own_product)
        .service(products::add_sku)
        .service(products::update_sku)
        .service(coupons::define_coupon)
        .service(coupons::list_coupons)
        .service(orders::list_orders)
        .service(orders::seller_order)
        .service(fulfilment::carriers)
        .service(fulfilment::accept)
        .service(fulfilment::dispatch_deadline)
        .service(fulfilment::declare_dispatch_date)
        .service(fulfilment::delay_dispatch)
        .service(fulfilment::ship)
        .service(fulfilment::ship_bulk)
        .service(fulfilment::order_shipments)
        .service(fulfilment::deliver)
        .service(fulfilment::withdraw)
        .service(claims::claims)
        .service(claims::claim)
        .service(claims::approve)
        .service(claims::reject)
        .service(claims::hold_back)
        .service(claims::release)
        .service(claims::receive)
        .service(claims::cancel_lines)
        .service(reviews::list_reviews)
        .service(reviews::reply_to_review)
        .service(settlement::statement_periods)
        .service(settlement::statement)
        .service(settlement::balance)
        .service(settlement::payout_list)
        .service(settlement::payout);
}

pub const SERVICE: web::Service = web::Service {
    name: "seller-api",
    settings_key: "seller_api",
    audience: Audience::Seller,
    title: "Marketplace seller API",
    description: "Vendor staff: onboarding, products, stock, coupons, orders, settlements.",
    routes,
    openapi: ApiDoc::openapi,
};
