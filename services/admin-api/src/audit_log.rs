//! The security audit log and the check of its hash chain.

use actix_web::web::{Data, Query};
use actix_web::{HttpResponse, get};
use api_types::kernel::audit::{AuditEntryView, AuditPage, AuditQuery, ChainVerification};
use web::{ApiError, AppState, Staff};

/// Newest first, filtered, cursor-paginated.
#[utoipa::path(get, path = "/v1/audit-log", tag = "audit",
    security(("bearer" = ["audit.read"])),
    params(AuditQuery),
    responses((status = 200, body = AuditPage)))]
#[get("/v1/audit-log")]
pub async fn audit_log(
    state: Data<AppState>,
    _caller: Staff,
    query: Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let size = query.size.unwrap_or(50).clamp(1, 200);
    let filter = app::kernel::audit::AuditFilter {
        action: query.action,
        actor_id: query.actor_id,
        subject_id: query.subject_id,
        before_id: query.cursor,
    };
    let rows = app::kernel::audit::page(&state.context, &filter, size).await?;
    let next_cursor = (rows.len() as i64 == size)
        .then(|| rows.last().map(|row| row.id))
        .flatten();
    let items = rows.into_iter().map(AuditEntryView::from).collect();
    Ok(HttpResponse::Ok().json(AuditPage { items, next_cursor }))
}

/// Walks the whole hash chain and reports the first broken link.
#[utoipa::path(get, path = "/v1/audit-log/verification", tag = "audit",
    security(("bearer" = ["audit.read"])),
    responses((status = 200, body = ChainVerification)))]
#[get("/v1/audit-log/verification")]
pub async fn verify_chain(state: Data<AppState>, _caller: Staff) -> Result<HttpResponse, ApiError> {
    let check = app::kernel::audit::verify_chain(&state.context).await?;
    Ok(HttpResponse::Ok().json(ChainVerification {
        valid: check.first_broken_id.is_none(),
        entries_checked: check.entries_checked,
        first_broken_id: check.first_broken_id,
    }))
}
