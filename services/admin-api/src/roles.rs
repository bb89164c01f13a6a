//! The roles → permissions matrix.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use api_types::staff::roles::{
    NewRoleRequest, PermissionList, RoleList, RolePermissionsRequest, RoleView,
};
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

fn role_response(role: RoleView, status: actix_web::http::StatusCode) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(web::conditional::etag_header(role.version))
        .json(role)
}

#[utoipa::path(get, path = "/v1/permissions", tag = "roles",
    security(("bearer" = ["roles.read"])),
    responses((status = 200, body = PermissionList)))]
#[get("/v1/permissions")]
pub async fn list_permissions(_caller: Staff) -> HttpResponse {
    HttpResponse::Ok().json(PermissionList {
        items: app::staff::roles::all_permissions().to_vec(),
    })
}

#[utoipa::path(get, path = "/v1/roles", tag = "roles",
    security(("bearer" = ["roles.read"])),
    responses((status = 200, body = RoleList)))]
#[get("/v1/roles")]
pub async fn list_roles(state: Data<AppState>, _caller: Staff) -> Result<HttpResponse, ApiError> {
    let roles = app::staff::roles::list(&state.context).await?;
    Ok(HttpResponse::Ok().json(RoleList {
        items: roles.into_iter().map(RoleView::of).collect(),
    }))
}

#[utoipa::path(post, path = "/v1/roles", tag = "roles",
    security(("bearer" = ["roles.manage"])),
    request_body = NewRoleRequest,
    responses((status = 201, body = RoleView),
        (status = 403, description = "`access_beyond_own`: a permission the caller lacks", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`role_name_taken`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_permission`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/roles")]
pub async fn create_role(
    state: Data<AppState>,
    caller: Staff,
    body: Json<NewRoleRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let role = app::staff::roles::create(
        &state.context,
        &caller.0,
        app::staff::roles::NewRole {
            name: body.name,
            description: body.description,
            permissions: body.permissions,
        },
    )
    .await?;
    Ok(role_response(
        RoleView::of(role),
        actix_web::http::StatusCode::CREATED,
    ))
}

/// Replaces what a role grants. With `If-Match` (the role's `ETag`), an
/// edit made on a stale read is refused with 412.
#[utoipa::path(put, path = "/v1/roles/{id}/permissions", tag = "roles",
    security(("bearer" = ["roles.manage"])),
    params(("id" = Uuid, Path, description = "Role id"),
           ("If-Match" = Option<String>, Header, description = "The role's ETag")),
    request_body = RolePermissionsRequest,
    responses((status = 200, body = RoleView),
        (status = 403, description = "`cannot_change_own_access` (a role the caller holds), `access_beyond_own` (a permission the caller lacks is added or taken away)", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_permission`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[put("/v1/roles/{id}/permissions")]
pub async fn set_permissions(
    request: HttpRequest,
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<RolePermissionsRequest>,
) -> Result<HttpResponse, ApiError> {
    let expected = web::conditional::optional_if_match(&request)?;
    let role = app::staff::roles::set_permissions(
        &state.context,
        &caller.0,
        id.into_inner(),
        &body.permissions,
        expected,
    )
    .await?;
    Ok(role_response(
        RoleView::of(role),
        actix_web::http::StatusCode::OK,
    ))
}
