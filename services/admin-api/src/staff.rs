//! Operations staff: invitations, roles held, disabling.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, post, put};
use api_types::staff::auth::InvitationResponse;
use api_types::staff::operations_staff::{AdminInvitationRequest, StaffRolesRequest};
use api_types::staff::vocabulary::StaffStatus;
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

web::staff_management_routes!(
    read = "staff.read",
    manage = "staff.manage",
    list = "Every operations staff member (names and emails: the read is audited).",
    disable = "Disables a colleague and ends their sessions.",
);

/// Invites an operations colleague; they choose a password through the
/// emailed link and enrol a second factor at first login.
#[utoipa::path(post, path = "/v1/staff", tag = "staff",
    security(("bearer" = ["staff.manage"])),
    request_body = AdminInvitationRequest,
    responses((status = 201, body = InvitationResponse),
        (status = 403, description = "`access_beyond_own`: a role grants a permission the caller lacks", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`email_already_registered`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule (`unknown_role`...)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/staff")]
pub async fn invite(
    state: Data<AppState>,
    caller: Staff,
    body: Json<AdminInvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let staff_id = app::staff::members::invite(
        &state.context,
        &caller.0,
        app::staff::members::Invitation {
            email: body.email,
            name: body.name,
            seller_role: None,
            role_ids: body.role_ids,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(InvitationResponse {
        staff_id,
        status: StaffStatus::Invited,
    }))
}

/// Replaces the roles a colleague holds (audited with before and after):
/// only a colleague who holds no more than the caller, only with roles whose
/// permissions the caller holds, never the caller's own.
#[utoipa::path(put, path = "/v1/staff/{id}/roles", tag = "staff",
    security(("bearer" = ["staff.manage"])),
    params(("id" = Uuid, Path, description = "Staff id")),
    request_body = StaffRolesRequest,
    responses((status = 204, description = "Replaced"),
        (status = 403, description = "`cannot_change_own_access` (the caller's own roles), `access_beyond_own` (a permission the caller lacks is granted, taken away, or held by the colleague)", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`last_administrator`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_role`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[put("/v1/staff/{id}/roles")]
pub async fn set_roles(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<StaffRolesRequest>,
) -> Result<HttpResponse, ApiError> {
    app::staff::members::set_roles(&state.context, &caller.0, id.into_inner(), &body.role_ids)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Operations support for a vendor: removes the second factor of one of its
/// staff (an owner who lost both device and recovery codes). Their sessions
/// end and they enrol again at their next login.
#[utoipa::path(post, path = "/v1/sellers/{seller_id}/staff/{id}/mfa-reset", tag = "staff",
    security(("bearer" = ["sellers.staff.manage"])),
    params(("seller_id" = Uuid, Path, description = "Vendor id"), ("id" = Uuid, Path, description = "Staff id")),
    responses((status = 204, description = "Reset"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/sellers/{seller_id}/staff/{id}/mfa-reset")]
pub async fn reset_vendor_staff_mfa(
    state: Data<AppState>,
    caller: Staff,
    path: Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (seller_id, staff_id) = path.into_inner();
    app::staff::members::reset_vendor_staff_mfa(&state.context, &caller.0, seller_id, staff_id)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
