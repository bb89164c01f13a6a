//! Categories and brands, managed by operations (`catalog.manage`). Edits
//! need `If-Match` with the version read.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse, get, patch, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use web::catalog_views::Brand;
use web::conditional::{etag_header, required_if_match};
use web::{ApiError, AppState, Staff};

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedCategoryView {
    pub id: i64,
    pub parent_id: Option<i64>,
    #[schema(example = "women-outer")]
    pub slug: String,
    pub name: String,
    pub depth: i16,
    pub display_order: i32,
    pub is_active: bool,
    pub version: i32,
}

impl From<app::catalog::taxonomy::ManagedCategory> for ManagedCategoryView {
    fn from(row: app::catalog::taxonomy::ManagedCategory) -> Self {
        Self {
            id: row.id,
            parent_id: row.parent_id,
            slug: row.slug,
            name: row.name,
            depth: row.depth,
            display_order: row.display_order,
            is_active: row.is_active,
            version: row.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedCategoryList {
    pub items: Vec<ManagedCategoryView>,
}

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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryRequest {
    pub parent_id: Option<i64>,
    #[schema(example = "women-outer")]
    pub slug: String,
    #[schema(example = "Outerwear")]
    pub name: String,
    #[serde(default)]
    pub display_order: i32,
    #[serde(default = "active")]
    pub is_active: bool,
}

fn active() -> bool {
    true
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryPatchBody {
    /// `null` makes it top-level; a category with subcategories cannot move.
    #[serde(default, deserialize_with = "web::double_option::deserialize")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    pub name: Option<String>,
    pub display_order: Option<i32>,
    /// An inactive category hides its whole subtree from shoppers.
    pub is_active: Option<bool>,
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedBrand {
    #[serde(flatten)]
    pub brand: Brand,
    pub is_active: bool,
    pub version: i32,
}

impl From<app::catalog::taxonomy::BrandRow> for ManagedBrand {
    fn from(row: app::catalog::taxonomy::BrandRow) -> Self {
        Self {
            is_active: row.is_active,
            version: row.version,
            brand: Brand {
                id: row.id,
                slug: row.slug,
                name: row.name,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedBrandList {
    pub items: Vec<ManagedBrand>,
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandRequest {
    #[schema(example = "seoul-denim")]
    pub slug: String,
    #[schema(example = "Seoul Denim")]
    pub name: String,
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandPatchBody {
    pub name: Option<String>,
    pub is_active: Option<bool>,
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
