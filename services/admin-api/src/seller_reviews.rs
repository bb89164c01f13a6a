//! The review queue of vendor applications, the decisions on them, and
//! access to the documents behind them.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use api_types::sellers::application_reviews::{
    ApplicationQueue, ApplicationReview, QueueQuery, QueuedApplicationView, ReviewNote,
    ReviewOutcome,
};
use api_types::sellers::views::{DownloadUrlView, SellerView};
use app::sellers::applications::ApplicationAction;
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// Vendor applications by status, oldest first.
#[utoipa::path(get, path = "/v1/seller-applications", tag = "sellers",
    security(("bearer" = ["sellers.review"])),
    params(QueueQuery),
    responses((status = 200, body = ApplicationQueue),
        (status = 422, description = "Unknown status", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/seller-applications")]
pub async fn application_queue(
    state: Data<AppState>,
    _caller: Staff,
    query: Query<QueueQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let rows = app::sellers::applications::queue(
        &state.context,
        query.status.as_deref(),
        query.limit.unwrap_or(50),
    )
    .await?;
    Ok(HttpResponse::Ok().json(ApplicationQueue {
        items: rows
            .into_iter()
            .map(|row| QueuedApplicationView {
                application: row.application.into(),
                seller_name: row.seller_name,
                company_name: row.company_name,
            })
            .collect(),
    }))
}

/// One application with the vendor's business details (an audited read).
#[utoipa::path(get, path = "/v1/seller-applications/{id}", tag = "sellers",
    security(("bearer" = ["sellers.review"])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses((status = 200, body = ApplicationReview),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/seller-applications/{id}")]
pub async fn application_for_review(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let review =
        app::sellers::applications::review_detail(&state.context, &caller.0, id.into_inner())
            .await?;
    Ok(HttpResponse::Ok().json(ApplicationReview {
        application: review.detail.into(),
        seller: SellerView::new(review.seller, review.business),
    }))
}

async fn decide(
    state: &AppState,
    caller: &Staff,
    id: Uuid,
    action: ApplicationAction,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let status =
        app::sellers::applications::act(&state.context, &caller.0, id, action, reason).await?;
    Ok(HttpResponse::Ok().json(ReviewOutcome {
        application_id: id,
        status: status.into(),
    }))
}

/// Approves a submitted application: the vendor may list products.
#[utoipa::path(post, path = "/v1/seller-applications/{id}/approve", tag = "sellers",
    security(("bearer" = ["sellers.review"])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses((status = 200, body = ReviewOutcome),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_application_transition`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/seller-applications/{id}/approve")]
pub async fn approve_application(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    decide(
        &state,
        &caller,
        id.into_inner(),
        ApplicationAction::Approve,
        None,
    )
    .await
}

/// Rejects an application with a reason for the vendor.
#[utoipa::path(post, path = "/v1/seller-applications/{id}/reject", tag = "sellers",
    security(("bearer" = ["sellers.review"])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = ReviewNote,
    responses((status = 200, body = ReviewOutcome),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_application_transition`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`reason` missing", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/seller-applications/{id}/reject")]
pub async fn reject_application(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<ReviewNote>,
) -> Result<HttpResponse, ApiError> {
    let reason = Some(body.into_inner().reason);
    decide(
        &state,
        &caller,
        id.into_inner(),
        ApplicationAction::Reject,
        reason,
    )
    .await
}

/// Sends an application back to the vendor for more documents.
#[utoipa::path(post, path = "/v1/seller-applications/{id}/request-documents", tag = "sellers",
    security(("bearer" = ["sellers.review"])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = ReviewNote,
    responses((status = 200, body = ReviewOutcome),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_application_transition`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`reason` missing", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/seller-applications/{id}/request-documents")]
pub async fn request_documents(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<ReviewNote>,
) -> Result<HttpResponse, ApiError> {
    let reason = Some(body.into_inner().reason);
    decide(
        &state,
        &caller,
        id.into_inner(),
        ApplicationAction::RequestDocuments,
        reason,
    )
    .await
}

/// A 5-minute download URL for a vendor's document; also needs the read
/// permission of the document's type (`sellers.documents.read.<type>`).
/// Every issuance is audited.
#[utoipa::path(post, path = "/v1/sellers/{id}/documents/{document_id}/download-url", tag = "sellers",
    security(("bearer" = ["sellers.review"])),
    params(("id" = Uuid, Path, description = "Seller id"),
        ("document_id" = Uuid, Path, description = "Document id")),
    responses((status = 200, body = DownloadUrlView),
        (status = 403, description = "`permission_denied` (naming the document type's permission)", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/sellers/{id}/documents/{document_id}/download-url")]
pub async fn document_download_url(
    state: Data<AppState>,
    caller: Staff,
    path: Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (seller_id, document_id) = path.into_inner();
    let url =
        app::sellers::documents::download_url(&state.context, &caller.0, seller_id, document_id)
            .await?;
    Ok(HttpResponse::Ok().json(DownloadUrlView::from(url)))
}
