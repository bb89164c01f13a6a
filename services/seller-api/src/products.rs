//! The vendor's products and SKUs. Every query is scoped to the caller's
//! vendor: another vendor's ids answer 404.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use api_types::catalog::manage::{
    OptionView, PageQuery, ProductPage, ProductPatchBody, ProductRequest, ProductView, SkuBody,
    SkuPatchBody, SkuView,
};
use app::catalog::manage::{self, ProductDetail};
use uuid::Uuid;
use web::conditional::{etag_header, required_if_match};
use web::{ApiError, AppState, Staff};

fn product_response(detail: ProductDetail) -> HttpResponse {
    let etag = etag_header(detail.product.version);
    let view = ProductView {
        description: detail.product.description.clone(),
        adult_only: detail.product.adult_only,
        max_per_order: detail.product.max_per_order,
        moderation_note: detail.product.moderation_note.clone(),
        summary: detail.product.into(),
        options: detail
            .options
            .into_iter()
            .map(|o| OptionView {
                name: o.name,
                values: o.values,
            })
            .collect(),
        skus: detail.skus.into_iter().map(Into::into).collect(),
    };
    HttpResponse::Ok().insert_header(etag).json(view)
}

/// Creates a draft product with its options and SKUs (approved vendors only).
#[utoipa::path(post, path = "/v1/products", tag = "products",
    security(("bearer" = ["seller.products.manage"])),
    request_body = ProductRequest,
    responses((status = 201, body = ProductView),
        (status = 403, description = "`seller_not_approved`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`sku_code_taken`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/products")]
pub async fn create_product(
    state: Data<AppState>,
    caller: Staff,
    body: Json<ProductRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let id = manage::create(
        &state.context,
        &caller.0,
        manage::ProductInput {
            category_id: body.category_id,
            brand_id: body.brand_id,
            name: body.name,
            description: body.description,
            adult_only: body.adult_only,
            max_per_order: body.max_per_order,
            options: body
                .options
                .into_iter()
                .map(|o| manage::ProductOption {
                    name: o.name,
                    values: o.values,
                })
                .collect(),
            skus: body.skus.into_iter().map(Into::into).collect(),
        },
    )
    .await?;
    let detail = manage::detail(&state.context, &caller.0, id).await?;
    let mut response = product_response(detail);
    *response.status_mut() = actix_web::http::StatusCode::CREATED;
    Ok(response)
}

/// The vendor's products, newest first.
#[utoipa::path(get, path = "/v1/products", tag = "products",
    security(("bearer" = ["seller.products.manage"])),
    params(PageQuery),
    responses((status = 200, body = ProductPage)))]
#[get("/v1/products")]
pub async fn list_own_products(
    state: Data<AppState>,
    caller: Staff,
    query: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = query.page.unwrap_or(1).max(1);
    let size = query.size.unwrap_or(20).clamp(1, 100);
    let (rows, total) = manage::list(&state.context, &caller.0, page, size).await?;
    Ok(HttpResponse::Ok().json(ProductPage {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        page,
        size,
    }))
}

/// One of the vendor's products with options and SKUs (`ETag` for `PATCH`).
#[utoipa::path(get, path = "/v1/products/{id}", tag = "products",
    security(("bearer" = ["seller.products.manage"])),
    params(("id" = Uuid, Path, description = "Product id")),
    responses((status = 200, body = ProductView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/products/{id}")]
pub async fn own_product(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let detail = manage::detail(&state.context, &caller.0, id.into_inner()).await?;
    Ok(product_response(detail))
}

/// Changes a product; `If-Match` is required (412 on a stale version).
#[utoipa::path(patch, path = "/v1/products/{id}", tag = "products",
    security(("bearer" = ["seller.products.manage"])),
    params(("id" = Uuid, Path, description = "Product id"),
        ("If-Match" = String, Header, description = "The ETag read")),
    request_body = ProductPatchBody,
    responses((status = 200, body = ProductView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_status_change`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 428, description = "`precondition_required`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[patch("/v1/products/{id}")]
pub async fn update_own_product(
    state: Data<AppState>,
    request: HttpRequest,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<ProductPatchBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    // Ownership first: another vendor's product is 404 whatever the header.
    manage::detail(&state.context, &caller.0, id).await?;
    let version = required_if_match(&request, "product")?;
    let body = body.into_inner();
    manage::update(
        &state.context,
        &caller.0,
        id,
        version,
        manage::ProductPatch {
            name: body.name,
            description: body.description,
            category_id: body.category_id,
            brand_id: body.brand_id,
            status: body.status,
            adult_only: body.adult_only,
            max_per_order: body.max_per_order,
        },
    )
    .await?;
    let detail = manage::detail(&state.context, &caller.0, id).await?;
    Ok(product_response(detail))
}

/// Deletes a draft (a listed product is hidden instead: 409).
#[utoipa::path(delete, path = "/v1/products/{id}", tag = "products",
    security(("bearer" = ["seller.products.manage"])),
    params(("id" = Uuid, Path, description = "Product id")),
    responses((status = 204, description = "Deleted"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`product_not_draft`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[delete("/v1/products/{id}")]
pub async fn delete_own_product(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    manage::delete(&state.context, &caller.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds a SKU to a product.
#[utoipa::path(post, path = "/v1/products/{id}/skus", tag = "products",
    security(("bearer" = ["seller.products.manage"])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body = SkuBody,
    responses((status = 201, body = ProductView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`sku_code_taken`, `sku_options_taken`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/products/{id}/skus")]
pub async fn add_sku(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<SkuBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    manage::add_sku(&state.context, &caller.0, id, body.into_inner().into()).await?;
    let detail = manage::detail(&state.context, &caller.0, id).await?;
    let mut response = product_response(detail);
    *response.status_mut() = actix_web::http::StatusCode::CREATED;
    Ok(response)
}

/// Changes a SKU's prices and/or stock; `If-Match` (the SKU's `version`) is required.
#[utoipa::path(patch, path = "/v1/skus/{id}", tag = "products",
    security(("bearer" = ["seller.products.manage"])),
    params(("id" = Uuid, Path, description = "SKU id"),
        ("If-Match" = String, Header, description = "`\"v<version>\"` of the SKU")),
    request_body = SkuPatchBody,
    responses((status = 200, body = SkuView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`insufficient_stock`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[patch("/v1/skus/{id}")]
pub async fn update_sku(
    state: Data<AppState>,
    request: HttpRequest,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<SkuPatchBody>,
) -> Result<HttpResponse, ApiError> {
    let version = required_if_match(&request, "sku")?;
    let body = body.into_inner();
    let row = manage::update_sku(
        &state.context,
        &caller.0,
        id.into_inner(),
        version,
        manage::SkuPatch {
            pricing: body.pricing.map(Into::into),
            stock: body.stock.map(|s| manage::StockChange {
                delta: s.delta,
                reason: s.reason,
                reference: s.reference,
            }),
        },
    )
    .await?;
    let etag = etag_header(row.version);
    Ok(HttpResponse::Ok()
        .insert_header(etag)
        .json(SkuView::from(row)))
}
