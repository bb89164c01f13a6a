//! Settlement: vendors' commission rules (changes audited), the journal
//! by order or vendor, and the trial balance.

use actix_web::web::{Data, Json, Query};
use actix_web::{HttpResponse, get, post};
use api_types::settlement::journal::{JournalPage, JournalQuery, TrialBalance, TrialBalanceQuery};
use api_types::settlement::rules::{CommissionRuleChange, CommissionRuleList, CommissionRuleQuery};
use app::settlement::{commission, journal};
use chrono::Utc;
use web::{ApiError, AppState, Staff};

/// A vendor's commission rules: its base rate and category overrides, each
/// over its period.
#[utoipa::path(get, path = "/v1/settlement/commission-rules", tag = "settlement",
    security(("bearer" = ["settlement.read"])),
    params(CommissionRuleQuery),
    responses((status = 200, body = CommissionRuleList),
        (status = 422, description = "`invalid_query`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/settlement/commission-rules")]
pub async fn commission_rules(
    state: Data<AppState>,
    _caller: Staff,
    query: Query<CommissionRuleQuery>,
) -> Result<HttpResponse, ApiError> {
    let current = query.current.unwrap_or(false).then(Utc::now);
    let rows = commission::of_seller(&state.context, query.seller_id, current).await?;
    Ok(HttpResponse::Ok().json(CommissionRuleList::of(rows)))
}

/// Changes a vendor's base rate or a category's override from a moment on
/// (now or later; orders placed before keep their rate), or ends an
/// override. Audited. Answers the rules in force or scheduled.
#[utoipa::path(post, path = "/v1/settlement/commission-rules", tag = "settlement",
    security(("bearer" = ["settlement.manage"])),
    request_body = CommissionRuleChange,
    responses((status = 200, body = CommissionRuleList),
        (status = 422, description = "`out_of_range` (`rate`), `required` (`reason`; `rate` on the base), `in_the_past` (`effective_from`), `unknown_reference` (`seller_id`, `category_id`), `no_override` (`category_id`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/settlement/commission-rules")]
pub async fn change_commission(
    state: Data<AppState>,
    caller: Staff,
    body: Json<CommissionRuleChange>,
) -> Result<HttpResponse, ApiError> {
    let rows = commission::change(
        &state.context,
        &caller.0,
        body.into_inner().into(),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(CommissionRuleList::of(rows)))
}

/// Journal entries with their lines, newest first.
#[utoipa::path(get, path = "/v1/settlement/journal", tag = "settlement",
    security(("bearer" = ["settlement.read"])),
    params(JournalQuery),
    responses((status = 200, body = JournalPage)))]
#[get("/v1/settlement/journal")]
pub async fn journal_entries(
    state: Data<AppState>,
    _caller: Staff,
    query: Query<JournalQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = query.limit();
    let rows = journal::entries(&state.context, &query.filter(), limit).await?;
    Ok(HttpResponse::Ok().json(JournalPage::of(rows, limit)))
}

/// Every account's debits, credits and balance.
#[utoipa::path(get, path = "/v1/settlement/trial-balance", tag = "settlement",
    security(("bearer" = ["settlement.read"])),
    params(TrialBalanceQuery),
    responses((status = 200, body = TrialBalance)))]
#[get("/v1/settlement/trial-balance")]
pub async fn trial_balance(
    state: Data<AppState>,
    _caller: Staff,
    query: Query<TrialBalanceQuery>,
) -> Result<HttpResponse, ApiError> {
    let rows = journal::trial_balance(&state.context, query.until).await?;
    Ok(HttpResponse::Ok().json(TrialBalance::of(rows)))
}
