//! A vendor's own staff: the owner invites colleagues and disables them.
//! Every query is scoped to the caller's vendor.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, delete, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use web::staff_auth::{StaffList, StaffView};
use web::{ApiError, AppState, Staff};

/// The caller's vendor's staff (names and emails: the read is audited).
#[utoipa::path(get, path = "/v1/staff", tag = "staff",
    security(("bearer" = ["seller.staff.read"])),
    responses((status = 200, body = StaffList),
        (status = 403, description = "`permission_denied`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/staff")]
pub async fn list_staff(state: Data<AppState>, caller: Staff) -> Result<HttpResponse, ApiError> {
    let items = app::staff::members::list(&state.context, &caller.0).await?;
    Ok(HttpResponse::Ok().json(StaffList {
        items: items.into_iter().map(StaffView::from).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SellerInvitationRequest {
    #[schema(example = "md@brand.example")]
    pub email: String,
    #[schema(example = "Choi Yuna")]
    pub name: String,
    /// `owner`, `manager` or `staff`.
    #[schema(example = "manager")]
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationResponse {
    pub staff_id: Uuid,
    #[schema(example = "invited")]
    pub status: &'static str,
}

/// Invites a colleague to the caller's vendor; they choose their password
/// through the emailed link.
#[utoipa::path(post, path = "/v1/staff", tag = "staff",
    security(("bearer" = ["seller.staff.manage"])),
    request_body = SellerInvitationRequest,
    responses((status = 201, body = InvitationResponse),
        (status = 403, description = "`permission_denied`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`email_already_registered`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/staff")]
pub async fn invite(
    state: Data<AppState>,
    caller: Staff,
    body: Json<SellerInvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let staff_id = app::staff::members::invite(
        &state.context,
        &caller.0,
        app::staff::members::Invitation {
            email: body.email,
            name: body.name,
            seller_role: Some(body.role),
            role_ids: Vec::new(),
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(InvitationResponse {
        staff_id,
        status: "invited",
    }))
}

/// Disables a colleague of the caller's vendor and ends their sessions.
#[utoipa::path(delete, path = "/v1/staff/{id}", tag = "staff",
    security(("bearer" = ["seller.staff.manage"])),
    params(("id" = Uuid, Path, description = "Staff id")),
    responses((status = 204, description = "Disabled"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[delete("/v1/staff/{id}")]
pub async fn disable(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    app::staff::members::disable(&state.context, &caller.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Removes a colleague's second factor (lost device and recovery codes):
/// their sessions end and they enrol again at their next login.
#[utoipa::path(post, path = "/v1/staff/{id}/mfa-reset", tag = "staff",
    security(("bearer" = ["seller.staff.manage"])),
    params(("id" = Uuid, Path, description = "Staff id")),
    responses((status = 204, description = "Reset"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/staff/{id}/mfa-reset")]
pub async fn reset_mfa(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    app::staff::members::reset_mfa(&state.context, &caller.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
