//! The vendor's settlement: its monthly statements (JSON, or CSV with
//! `Accept: text/csv`), its balance and its payouts. A vendor sees only its
//! own.

use actix_web::http::header::ACCEPT;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get};
use api_types::settlement::payouts::{VendorPayout, VendorPayoutPage, VendorPayoutQuery};
use api_types::settlement::statements::{SettlementBalance, SettlementStatement, StatementPeriods};
use app::settlement::{payouts, statements};
use chrono::Utc;
use web::{ApiError, AppState, Staff};

/// The months the vendor has statements for, newest first.
#[utoipa::path(get, path = "/v1/settlement/statements", tag = "settlement",
    security(("bearer" = ["seller.settlements.read"])),
    responses((status = 200, body = StatementPeriods)))]
#[get("/v1/settlement/statements")]
pub async fn statement_periods(
    state: Data<AppState>,
    caller: Staff,
) -> Result<HttpResponse, ApiError> {
    let seller = caller.0.own_seller_id()?;
    let periods = statements::periods(&state.context, seller, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(StatementPeriods {
        items: periods.into_iter().map(|p| p.name()).collect(),
    }))
}

/// One month's statement: sales, discounts by who funded them, commission
/// and its VAT, shipping, claims' adjustments and clawbacks, payouts, and
/// the balance carried in and out. A closed month's statement is the same
/// every time it is read.
#[utoipa::path(get, path = "/v1/settlement/statements/{id}", tag = "settlement",
    security(("bearer" = ["seller.settlements.read"])),
    params(("id" = String, Path, description = "The month, `YYYY-MM`")),
    responses((status = 200, description = "The statement; with `Accept: text/csv`, `item,amount` rows",
            content((SettlementStatement = "application/json"), (String = "text/csv"))),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/settlement/statements/{id}")]
pub async fn statement(
    state: Data<AppState>,
    caller: Staff,
    id: Path<String>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let seller = caller.0.own_seller_id()?;
    let view = statements::statement(&state.context, seller, &id, Utc::now()).await?;
    let wants_csv = request
        .headers()
        .get(ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/csv"));
    if wants_csv {
        let period = view.period.name();
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"statement-{period}.csv\""),
            ))
            .body(view.statement.to_csv(&seller.to_string(), &period)));
    }
    Ok(HttpResponse::Ok().json(SettlementStatement::from(view)))
}

/// What the platform owes the vendor: earned, paid, pending in batches,
/// not yet swept, and carried (owed back after claims).
#[utoipa::path(get, path = "/v1/settlement/balance", tag = "settlement",
    security(("bearer" = ["seller.settlements.read"])),
    responses((status = 200, body = SettlementBalance)))]
#[get("/v1/settlement/balance")]
pub async fn balance(state: Data<AppState>, caller: Staff) -> Result<HttpResponse, ApiError> {
    let seller = caller.0.own_seller_id()?;
    let balance = statements::balance(&state.context, seller).await?;
    Ok(HttpResponse::Ok().json(SettlementBalance::from(balance)))
}

/// The vendor's payouts, newest first: each claims what it earned before
/// its cut-off, and is paid once operations approved and sent it.
#[utoipa::path(get, path = "/v1/settlement/payouts", tag = "settlement",
    security(("bearer" = ["seller.settlements.read"])),
    params(VendorPayoutQuery),
    responses((status = 200, body = VendorPayoutPage),
        (status = 422, description = "`invalid_value` (`status`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/settlement/payouts")]
pub async fn payout_list(
    state: Data<AppState>,
    caller: Staff,
    query: Query<VendorPayoutQuery>,
) -> Result<HttpResponse, ApiError> {
    let seller = caller.0.own_seller_id()?;
    let limit = query.limit();
    let rows = payouts::list(&state.context, &query.filter(seller), limit).await?;
    Ok(HttpResponse::Ok().json(VendorPayoutPage::of(rows, limit)))
}

/// One of the vendor's payouts.
#[utoipa::path(get, path = "/v1/settlement/payouts/{id}", tag = "settlement",
    security(("bearer" = ["seller.settlements.read"])),
    params(("id" = i64, Path, description = "The payout's id")),
    responses((status = 200, body = VendorPayout),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/settlement/payouts/{id}")]
pub async fn payout(
    state: Data<AppState>,
    caller: Staff,
    id: Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let seller = caller.0.own_seller_id()?;
    let row = payouts::of_seller(&state.context, seller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(VendorPayout::from(row)))
}
