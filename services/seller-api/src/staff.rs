//! A vendor's own staff: the owner invites colleagues and disables them.
//! Every query is scoped to the caller's vendor.

use actix_web::web::{Data, Json};
use actix_web::{HttpResponse, post};
use api_types::staff::auth::InvitationResponse;
use api_types::staff::seller_staff::SellerInvitationRequest;
use api_types::staff::vocabulary::StaffStatus;
use web::{ApiError, AppState, Staff};

web::staff_management_routes!(
    read = "seller.staff.read",
    manage = "seller.staff.manage",
    list = "The caller's vendor's staff (names and emails: the read is audited).",
    disable = "Disables a colleague of the caller's vendor and ends their sessions.",
);

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
        status: StaffStatus::Invited,
    }))
}
