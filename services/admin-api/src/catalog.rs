//! Categories and brands, managed by operations (`catalog.manage`). Edits
//! need `If-Match` with the version read.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse, get, patch, post};
use api_types::catalog::taxonomy::{
    BrandPatchBody, BrandRequest, CategoryPatchBody, CategoryRequest, ManagedBrand,
    ManagedBrandList, ManagedCategoryList, ManagedCategoryView,
};
use web::conditional::{etag_header, required_if_match};
use web::{ApiError, AppState, Staff};

/// Every category, inactive ones included, by depth and display order.
#[utoipa::path(get, path = "/v1/categories", tag = "catalog",
    security(("bearer" = ["catalog.manage"])),
    responses((status = 200, body = ManagedCategoryList)))]
#[get("/v1/categories")]
pub async fn list_managed_categories(
    state: Data<AppState>,
    _caller: Staff,
) -> Result<HttpResponse, ApiError> {
    let rows = app::catalog::taxonomy::categories(&state.context).await?;
    Ok(HttpResponse::Ok().json(ManagedCategoryList {
        items: rows.into_iter().map(Into::into).collect(),
    }))
}

/// Creates a category (at most three levels deep).
#[utoipa::path(post, path = "/v1/categories", tag = "catalog",
    security(("bearer" = ["catalog.manage"])),
    request_body = CategoryRequest,
    responses((status = 201, body = ManagedCategoryView),
        (status = 409, description = "`slug_taken`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule (`too_deep`, `unknown_reference`...)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/categories")]
pub async fn create_category(
    state: Data<AppState>,
    caller: Staff,
    body: Json<CategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let row = app::catalog::taxonomy::create_category(
        &state.context,
        &caller.0,
        app::catalog::taxonomy::CategoryInput {
            parent_id: body.parent_id,
            slug: body.slug,
            name: body.name,
            display_order: body.display_order,
            is_active: body.is_active,
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag_header(row.version))
        .json(ManagedCategoryView::from(row)))
}

/// Changes a category; `If-Match` required.
#[utoipa::path(patch, path = "/v1/categories/{id}", tag = "catalog",
    security(("bearer" = ["catalog.manage"])),
    params(("id" = i64, Path, description = "Category id"),
        ("If-Match" = String, Header, description = "`\"v<version>\"`")),
    request_body = CategoryPatchBody,
    responses((status = 200, body = ManagedCategoryView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`category_has_children`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[patch("/v1/categories/{id}")]
pub async fn update_category(
    state: Data<AppState>,
    request: HttpRequest,
    caller: Staff,
    id: Path<i64>,
    body: Json<CategoryPatchBody>,
) -> Result<HttpResponse, ApiError> {
    let version = required_if_match(&request, "category")?;
    let body = body.into_inner();
    let row = app::catalog::taxonomy::update_category(
        &state.context,
        &caller.0,
        id.into_inner(),
        version,
        app::catalog::taxonomy::CategoryPatch {
            parent_id: body.parent_id,
            name: body.name,
            display_order: body.display_order,
            is_active: body.is_active,
        },
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(row.version))
        .json(ManagedCategoryView::from(row)))
}

/// Every brand, inactive ones included.
#[utoipa::path(get, path = "/v1/brands", tag = "catalog",
    security(("bearer" = ["catalog.manage"])),
    responses((status = 200, body = ManagedBrandList)))]
#[get("/v1/brands")]
pub async fn list_managed_brands(
    state: Data<AppState>,
    _caller: Staff,
) -> Result<HttpResponse, ApiError> {
    let rows = app::catalog::taxonomy::brands(&state.context, false).await?;
    Ok(HttpResponse::Ok().json(ManagedBrandList {
        items: rows.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(post, path = "/v1/brands", tag = "catalog",
    security(("bearer" = ["catalog.manage"])),
    request_body = BrandRequest,
    responses((status = 201, body = ManagedBrand),
        (status = 409, description = "`slug_taken`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/brands")]
pub async fn create_brand(
    state: Data<AppState>,
    caller: Staff,
    body: Json<BrandRequest>,
) -> Result<HttpResponse, ApiError> {
    let row =
        app::catalog::taxonomy::create_brand(&state.context, &caller.0, &body.slug, &body.name)
            .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag_header(row.version))
        .json(ManagedBrand::from(row)))
}

/// Changes a brand; `If-Match` required.
#[utoipa::path(patch, path = "/v1/brands/{id}", tag = "catalog",
    security(("bearer" = ["catalog.manage"])),
    params(("id" = i64, Path, description = "Brand id"),
        ("If-Match" = String, Header, description = "`\"v<version>\"`")),
    request_body = BrandPatchBody,
    responses((status = 200, body = ManagedBrand),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[patch("/v1/brands/{id}")]
pub async fn update_brand(
    state: Data<AppState>,
    request: HttpRequest,
    caller: Staff,
    id: Path<i64>,
    body: Json<BrandPatchBody>,
) -> Result<HttpResponse, ApiError> {
    let version = required_if_match(&request, "brand")?;
    let body = body.into_inner();
    let row = app::catalog::taxonomy::update_brand(
        &state.context,
        &caller.0,
        id.into_inner(),
        version,
        body.name,
        body.is_active,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(row.version))
        .json(ManagedBrand::from(row)))
}
