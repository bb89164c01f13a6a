//! Settlement: vendors' commission rules (changes audited), the journal
//! by order or vendor, the trial balance, and payout batches (reviewed,
//! exported and recorded, audited).

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post, put};
use api_types::settlement::journal::{JournalPage, JournalQuery, TrialBalance, TrialBalanceQuery};
use api_types::settlement::payouts::{
    PayoutBatch, PayoutBatchList, PayoutBatchPage, PayoutBatchQuery, PayoutCycle, PayoutDeadlines,
    PayoutFailure, PayoutHold, PayoutSweep,
};
use api_types::settlement::rules::{CommissionRuleChange, CommissionRuleList, CommissionRuleQuery};
use api_types::settlement::statements::{SettlementStatement, StatementList, StatementQuery};
use app::settlement::payouts::{self, Decision};
use app::settlement::{commission, journal, statements};
use chrono::Utc;
use uuid::Uuid;
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

/// Payout batches, newest first.
#[utoipa::path(get, path = "/v1/settlement/payout-batches", tag = "settlement",
    security(("bearer" = ["settlement.read"])),
    params(PayoutBatchQuery),
    responses((status = 200, body = PayoutBatchPage),
        (status = 422, description = "`invalid_value` (`status`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/settlement/payout-batches")]
pub async fn payout_batches(
    state: Data<AppState>,
    _caller: Staff,
    query: Query<PayoutBatchQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = query.limit();
    let rows = payouts::list(&state.context, &query.filter(), limit).await?;
    Ok(HttpResponse::Ok().json(PayoutBatchPage::of(rows, limit)))
}

#[utoipa::path(get, path = "/v1/settlement/payout-batches/{id}", tag = "settlement",
    security(("bearer" = ["settlement.read"])),
    params(("id" = i64, Path, description = "Batch id")),
    responses((status = 200, body = PayoutBatch),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/settlement/payout-batches/{id}")]
pub async fn payout_batch(
    state: Data<AppState>,
    _caller: Staff,
    id: Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = payouts::get(&state.context, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(PayoutBatch::from(row)))
}

/// Sweeps now (the schedule does it on each vendor's cycle): every entry
/// before the cut-off that no batch claimed goes into a new draft batch per
/// vendor owed something; a vendor owed nothing carries its balance.
#[utoipa::path(post, path = "/v1/settlement/payout-batches", tag = "settlement",
    security(("bearer" = ["settlement.manage"])),
    request_body = PayoutSweep,
    responses((status = 201, body = PayoutBatchList),
        (status = 422, description = "`not_allowed` (`cut_off` later than now)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/settlement/payout-batches")]
pub async fn sweep_payouts(
    state: Data<AppState>,
    _caller: Staff,
    body: Json<PayoutSweep>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let rows = payouts::sweep_now(&state.context, body.seller_id, body.cut_off, Utc::now()).await?;
    Ok(HttpResponse::Created().json(PayoutBatchList {
        items: rows.into_iter().map(PayoutBatch::from).collect(),
    }))
}

async fn decide(
    state: &AppState,
    caller: &Staff,
    id: i64,
    decision: Decision,
) -> Result<HttpResponse, ApiError> {
    let row = payouts::decide(&state.context, &caller.0, id, decision, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(PayoutBatch::from(row)))
}

/// Approves a draft batch for transfer (audited).
#[utoipa::path(post, path = "/v1/settlement/payout-batches/{id}/approve", tag = "settlement",
    security(("bearer" = ["settlement.approve"])),
    params(("id" = i64, Path, description = "Batch id")),
    responses((status = 200, body = PayoutBatch),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_payout_step`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/settlement/payout-batches/{id}/approve")]
pub async fn approve_payout(
    state: Data<AppState>,
    caller: Staff,
    id: Path<i64>,
) -> Result<HttpResponse, ApiError> {
    decide(&state, &caller, id.into_inner(), Decision::Approve).await
}

/// The batch's bank transfer as a firm-banking bulk file (CSV: bank code,
/// account, holder, amount, memo), audited. Exporting again hands out the
/// same transfer; the batch is paid once whatever is exported.
#[utoipa::path(post, path = "/v1/settlement/payout-batches/{id}/export", tag = "settlement",
    security(("bearer" = ["settlement.approve"])),
    params(("id" = i64, Path, description = "Batch id")),
    responses((status = 200, body = String, content_type = "text/csv"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_payout_step`, `payout_account_missing`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/settlement/payout-batches/{id}/export")]
pub async fn export_payout(
    state: Data<AppState>,
    caller: Staff,
    id: Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (_, file) = payouts::export(&state.context, &caller.0, id, Utc::now()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"payout-{id}.csv\""),
        ))
        .body(file))
}

/// The bank paid the exported transfer: the payout posts to the journal,
/// once (audited).
#[utoipa::path(post, path = "/v1/settlement/payout-batches/{id}/paid", tag = "settlement",
    security(("bearer" = ["settlement.approve"])),
    params(("id" = i64, Path, description = "Batch id")),
    responses((status = 200, body = PayoutBatch),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_payout_step`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/settlement/payout-batches/{id}/paid")]
pub async fn payout_paid(
    state: Data<AppState>,
    caller: Staff,
    id: Path<i64>,
) -> Result<HttpResponse, ApiError> {
    decide(&state, &caller, id.into_inner(), Decision::MarkPaid).await
}

/// The bank refused the transfer: the same batch is approved again, for a
/// new export; nothing is swept again (audited).
#[utoipa::path(post, path = "/v1/settlement/payout-batches/{id}/failed", tag = "settlement",
    security(("bearer" = ["settlement.approve"])),
    params(("id" = i64, Path, description = "Batch id")),
    request_body = PayoutFailure,
    responses((status = 200, body = PayoutBatch),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_payout_step`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`required` (`reason`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/settlement/payout-batches/{id}/failed")]
pub async fn payout_failed(
    state: Data<AppState>,
    caller: Staff,
    id: Path<i64>,
    body: Json<PayoutFailure>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.into_inner().reason;
    decide(
        &state,
        &caller,
        id.into_inner(),
        Decision::MarkFailed { reason },
    )
    .await
}

/// Every vendor's statement for a month (or one vendor's).
#[utoipa::path(get, path = "/v1/settlement/statements", tag = "settlement",
    security(("bearer" = ["settlement.read"])),
    params(StatementQuery),
    responses((status = 200, body = StatementList),
        (status = 404, description = "A month not begun", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_format` (`period`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/settlement/statements")]
pub async fn statements_of_period(
    state: Data<AppState>,
    _caller: Staff,
    query: Query<StatementQuery>,
) -> Result<HttpResponse, ApiError> {
    let views =
        statements::of_period(&state.context, &query.period, query.seller_id, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(StatementList {
        items: views.into_iter().map(SettlementStatement::from).collect(),
    }))
}

/// Earnings whose payout due date (confirmation + the configured days) is
/// near or past and that no paid batch holds, oldest first (at most 100).
#[utoipa::path(get, path = "/v1/settlement/payout-deadlines", tag = "settlement",
    security(("bearer" = ["settlement.read"])),
    responses((status = 200, body = PayoutDeadlines)))]
#[get("/v1/settlement/payout-deadlines")]
pub async fn payout_deadlines(
    state: Data<AppState>,
    _caller: Staff,
) -> Result<HttpResponse, ApiError> {
    let rows = payouts::deadlines(&state.context, Utc::now(), 100).await?;
    Ok(HttpResponse::Ok().json(PayoutDeadlines::of(rows)))
}

/// Sets how often a vendor is paid, from its next sweep day on (audited).
/// An earning near its due date is still swept early.
#[utoipa::path(put, path = "/v1/settlement/payees/{id}/cycle", tag = "settlement",
    security(("bearer" = ["settlement.manage"])),
    params(("id" = Uuid, Path, description = "Vendor id")),
    request_body = PayoutCycle,
    responses((status = 200, body = PayoutCycle),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_value` (`cycle`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[put("/v1/settlement/payees/{id}/cycle")]
pub async fn set_payout_cycle(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<PayoutCycle>,
) -> Result<HttpResponse, ApiError> {
    let cycle = payouts::set_cycle(&state.context, &caller.0, id.into_inner(), &body.cycle).await?;
    Ok(HttpResponse::Ok().json(PayoutCycle {
        cycle: cycle.as_str().to_owned(),
    }))
}

/// Holds a vendor's payouts (no batch is opened for it) or releases them
/// (audited). A sweep holds them itself when the vendor owes back more than
/// the configured cap.
#[utoipa::path(put, path = "/v1/settlement/payees/{id}/hold", tag = "settlement",
    security(("bearer" = ["settlement.approve"])),
    params(("id" = Uuid, Path, description = "Vendor id")),
    request_body = PayoutHold,
    responses((status = 204),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`required` (`reason`, to hold)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[put("/v1/settlement/payees/{id}/hold")]
pub async fn hold_payouts(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<PayoutHold>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    payouts::set_hold(
        &state.context,
        &caller.0,
        id.into_inner(),
        body.held,
        body.reason.as_deref(),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
