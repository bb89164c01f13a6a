//! `admin-api`: Operations staff: sellers, catalog moderation, coupons, orders, audit.

mod audit_log;
mod catalog;
mod claims;
mod commerce;
mod fulfilment;
mod partners;
mod products;
mod reviews;
mod roles;
mod seller_reviews;
mod settlement;
mod staff;
mod users;

use actix_web::web::ServiceConfig;
use auth::Audience;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
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
        roles::list_permissions,
        roles::list_roles,
        roles::create_role,
        roles::set_permissions,
        staff::list_staff,
        staff::invite,
        staff::set_roles,
        staff::disable,
        staff::reset_mfa,
        staff::reset_vendor_staff_mfa,
        audit_log::audit_log,
        audit_log::verify_chain,
        users::shopper,
        partners::list_partners,
        partners::create_partner,
        partners::issue_key,
        partners::revoke_key,
        seller_reviews::application_queue,
        seller_reviews::application_for_review,
        seller_reviews::approve_application,
        seller_reviews::reject_application,
        seller_reviews::request_documents,
        seller_reviews::document_download_url,
        catalog::list_managed_categories,
        catalog::create_category,
        catalog::update_category,
        catalog::list_managed_brands,
        catalog::create_brand,
        catalog::update_brand,
        products::search_products,
        products::hide_product,
        products::ban_product,
        products::unban_product,
        reviews::search_reviews,
        reviews::hide_review,
        reviews::unhide_review,
        commerce::define_coupon,
        commerce::list_coupons,
        commerce::grant_points,
        commerce::grant_cash,
        commerce::search_orders,
        commerce::any_order,
        commerce::order_payments,
        commerce::any_payment,
        fulfilment::shipment_delays,
        fulfilment::force_withdraw,
        fulfilment::force_deliver,
        claims::claims,
        claims::claim,
        claims::approve,
        claims::reject,
        claims::hold_back,
        claims::release,
        claims::receive,
        settlement::commission_rules,
        settlement::change_commission,
        settlement::journal_entries,
        settlement::trial_balance,
        settlement::payout_batches,
        settlement::payout_batch,
        settlement::sweep_payouts,
        settlement::approve_payout,
        settlement::export_payout,
        settlement::payout_paid,
        settlement::payout_failed,
        settlement::statements_of_period,
        settlement::payout_deadlines,
        settlement::set_payout_cycle,
        settlement::hold_payouts
    ),
    tags(
        (name = "auth", description = "Login with a second factor, sessions"),
        (name = "roles", description = "The roles → permissions matrix"),
        (name = "staff", description = "Operations staff"),
        (name = "audit", description = "The security audit log"),
        (name = "users", description = "Shoppers' records (audited reads)"),
        (name = "partners", description = "Partner platforms and their credentials"),
        (name = "sellers", description = "Vendor applications, their review and documents"),
        (name = "catalog", description = "Categories and brands"),
        (name = "products", description = "Product moderation"),
        (name = "reviews", description = "Review moderation"),
        (name = "coupons", description = "Platform coupons"),
        (name = "orders", description = "Every order, without personal data"),
        (name = "settlement", description = "Commission rules and the settlement journal")
    )
)]
struct ApiDoc;

fn routes(config: &mut ServiceConfig) {
    config
        .configure(web::staff_auth::configure)
        .service(roles::list_permissions)
        .service(roles::list_roles)
        .service(roles::create_role)
        .service(roles::set_permissions)
        .service(staff::list_staff)
        .service(staff::invite)
        .service(staff::set_roles)
        .service(staff::disable)
        .service(staff::reset_mfa)
        .service(staff::reset_vendor_staff_mfa)
        .service(audit_log::verify_chain)
        .service(audit_log::audit_log)
        .service(users::shopper)
        .service(partners::list_partners)
        .service(partners::create_partner)
        .service(partners::issue_key)
        .service(partners::revoke_key)
        .service(seller_reviews::application_queue)
        .service(seller_reviews::application_for_review)
        .service(seller_reviews::approve_application)
        .service(seller_reviews::reject_application)
        .service(seller_reviews::request_documents)
        .service(seller_reviews::document_download_url)
        .service(catalog::list_managed_categories)
        .service(catalog::create_category)
        .service(catalog::update_category)
        .service(catalog::list_managed_brands)
        .service(catalog::create_brand)
        .service(catalog::update_brand)
        .service(products::search_products)
        .service(products::hide_product)
        .service(products::ban_product)
        .service(products::unban_product)
        .service(reviews::search_reviews)
        .service(reviews::hide_review)
        .service(reviews::unhide_review)
        .service(commerce::define_coupon)
        .service(commerce::list_coupons)
        .service(commerce::grant_points)
        .service(commerce::grant_cash)
        .service(commerce::search_orders)
        .service(commerce::any_order)
        .service(commerce::order_payments)
        .service(commerce::any_payment)
        .service(fulfilment::shipment_delays)
        .service(fulfilment::force_withdraw)
        .service(fulfilment::force_deliver)
        .service(claims::claims)
        .service(claims::claim)
        .service(claims::approve)
        .service(claims::reject)
        .service(claims::hold_back)
        .service(claims::release)
        .service(claims::receive)
        .service(settlement::commission_rules)
        .service(settlement::change_commission)
        .service(settlement::journal_entries)
        .service(settlement::trial_balance)
        .service(settlement::payout_batches)
        .service(settlement::payout_batch)
        .service(settlement::sweep_payouts)
        .service(settlement::approve_payout)
        .service(settlement::export_payout)
        .service(settlement::payout_paid)
        .service(settlement::payout_failed)
        .service(settlement::statements_of_period)
        .service(settlement::payout_deadlines)
        .service(settlement::set_payout_cycle)
        .service(settlement::hold_payouts)
        .configure(web::honeypot::configure);
}

pub const SERVICE: web::Service = web::Service {
    name: "admin-api",
    settings_key: "admin_api",
    audience: Audience::Admin,
    title: "Marketplace operations API",
    description: "Operations staff: sellers, catalog moderation, coupons, orders, audit.",
    routes,
    openapi: ApiDoc::openapi,
};
