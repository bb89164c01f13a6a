//! The vendor's application and its documents. Every query is scoped to the
//! caller's vendor: another vendor's ids answer 404.

use actix_multipart::Multipart;
use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, get, post};
use api_types::sellers::applications::{
    ApplicationCreated, ApplicationList, ApplicationRequest, DocumentUpload,
};
use api_types::sellers::views::{ApplicationDetailView, DocumentView, DownloadUrlView};
use api_types::sellers::vocabulary::ApplicationStatus;
use app::sellers::applications::ApplicationAction;
use app::sellers::documents::MAX_DOCUMENT_BYTES;
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// Applies to sell (again, after a rejection): business details, settlement
/// account and shipping policy. Documents follow, one upload each.
#[utoipa::path(post, path = "/v1/applications", tag = "onboarding",
    security(("bearer" = ["seller.settlement_account.manage"])),
    request_body = ApplicationRequest,
    responses((status = 201, body = ApplicationCreated),
        (status = 409, description = "`application_already_open`, `seller_already_approved`, `business_already_registered`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/applications")]
pub async fn submit_application(
    state: Data<AppState>,
    caller: Staff,
    body: Json<ApplicationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let id = app::sellers::applications::submit(
        &state.context,
        &caller.0,
        app::sellers::applications::ApplicationInput {
            company_name: body.company_name,
            business_registration_no: body.business_registration_no,
            representative_name: body.representative_name,
            contact_email: body.contact_email,
            contact_phone: body.contact_phone,
            settlement_bank_code: body.settlement_bank_code,
            settlement_account_number: body.settlement_account_number,
            settlement_account_holder: body.settlement_account_holder,
            shipping: body.shipping_policy.into(),
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(ApplicationCreated {
        application_id: id,
        status: ApplicationStatus::Submitted,
    }))
}

/// The vendor's applications, newest first.
#[utoipa::path(get, path = "/v1/applications", tag = "onboarding",
    security(("bearer" = ["seller.profile.manage"])),
    responses((status = 200, body = ApplicationList)))]
#[get("/v1/applications")]
pub async fn list_own_applications(
    state: Data<AppState>,
    caller: Staff,
) -> Result<HttpResponse, ApiError> {
    let rows = app::sellers::applications::own(&state.context, &caller.0).await?;
    Ok(HttpResponse::Ok().json(ApplicationList {
        items: rows.into_iter().map(Into::into).collect(),
    }))
}

/// One of the vendor's applications with its history and documents.
#[utoipa::path(get, path = "/v1/applications/{id}", tag = "onboarding",
    security(("bearer" = ["seller.profile.manage"])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses((status = 200, body = ApplicationDetailView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/applications/{id}")]
pub async fn own_application(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let detail =
        app::sellers::applications::detail(&state.context, &caller.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ApplicationDetailView::from(detail)))
}

/// Uploads a document to an open application (multipart: `document_type`
/// and `file`). Stored privately; checked by type, size and virus scan.
#[utoipa::path(post, path = "/v1/applications/{id}/documents", tag = "onboarding",
    security(("bearer" = ["seller.profile.manage"])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = DocumentView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`application_closed`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Over 10 MB", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart/form-data", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`unsupported_file_type`, `malware_detected`, missing fields", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/applications/{id}/documents")]
pub async fn upload_document(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let upload = web::upload::read(form, "file", MAX_DOCUMENT_BYTES).await?;
    let document_type = upload.field("document_type")?.to_owned();
    let file = upload.file("file")?;
    let row = app::sellers::documents::upload(
        &state.context,
        &caller.0,
        id.into_inner(),
        &document_type,
        file,
    )
    .await?;
    Ok(HttpResponse::Created().json(DocumentView::from(row)))
}

/// Answers a request for more documents: the application goes back to review.
#[utoipa::path(post, path = "/v1/applications/{id}/resubmit", tag = "onboarding",
    security(("bearer" = ["seller.profile.manage"])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses((status = 200, body = ApplicationDetailView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_application_transition`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/applications/{id}/resubmit")]
pub async fn resubmit_application(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    app::sellers::applications::act(
        &state.context,
        &caller.0,
        id,
        ApplicationAction::Resubmit,
        None,
    )
    .await?;
    let detail = app::sellers::applications::detail(&state.context, &caller.0, id).await?;
    Ok(HttpResponse::Ok().json(ApplicationDetailView::from(detail)))
}

/// A 5-minute download URL for one of the vendor's own documents.
#[utoipa::path(post, path = "/v1/documents/{id}/download-url", tag = "onboarding",
    security(("bearer" = ["seller.profile.manage"])),
    params(("id" = Uuid, Path, description = "Document id")),
    responses((status = 200, body = DownloadUrlView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/documents/{id}/download-url")]
pub async fn own_document_url(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let seller_id = caller.0.own_seller_id()?;
    let url = app::sellers::documents::download_url(
        &state.context,
        &caller.0,
        seller_id,
        id.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(DownloadUrlView::from(url)))
}
