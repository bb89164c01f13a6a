//! Shoppers' records as operations staff see them; every read of personal
//! data is audited.

use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, get};
use api_types::identity::shoppers::ShopperView;
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// A shopper's personal data; the read is recorded in the audit log
/// (who, whose, what, when, from where) before it is answered.
#[utoipa::path(get, path = "/v1/users/{id}", tag = "users",
    security(("bearer" = ["users.personal_data.read"])),
    params(("id" = Uuid, Path, description = "Shopper id")),
    responses((status = 200, body = ShopperView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/users/{id}")]
pub async fn shopper(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let profile =
        app::staff::personal_data::shopper_profile(&state.context, &caller.0, id.into_inner())
            .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(ShopperView {
            id: profile.user_id,
            email: profile.email,
            name: profile.name,
            phone: profile.phone,
            status: profile.status,
        }))
}
