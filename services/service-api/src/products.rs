//! Browsing: `GET /v1/products` and `GET /v1/products/{id}`.

use actix_web::web::{Data, Path, Query};
use actix_web::{HttpResponse, get};
use api_types::catalog::browse::{
    OptionView, ProductDetail, ProductList, ProductListQuery, SkuOffer,
};
use uuid::Uuid;
use web::{ApiError, AppState};

/// Listed products of approved vendors, filtered and sorted.
#[utoipa::path(get, path = "/v1/products", tag = "catalog",
    params(ProductListQuery),
    responses((status = 200, body = ProductList),
        (status = 422, description = "A parameter breaks a rule", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/products")]
pub async fn list_products(
    state: Data<AppState>,
    query: Query<ProductListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = app::catalog::browse::list_products(
        &state.context,
        app::catalog::browse::ListQuery {
            category_id: query.category_id,
            brand_id: query.brand_id,
            seller_id: query.seller_id,
            min_price: query.min_price,
            max_price: query.max_price,
            on_sale: query.on_sale.unwrap_or(false),
            in_stock: query.in_stock.unwrap_or(false),
            q: query.q,
            sort: query.sort,
            page: query.page,
            size: query.size,
            cursor: query.cursor,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(ProductList {
        items: page.items.into_iter().map(Into::into).collect(),
        total: page.total,
        page: page.page,
        size: page.size,
        next_cursor: page.next_cursor,
    }))
}

/// A listed product with options, SKUs and their stock state, the vendor and
/// the review summary.
#[utoipa::path(get, path = "/v1/products/{id}", tag = "catalog",
    params(("id" = Uuid, Path, description = "Product id")),
    responses((status = 200, body = ProductDetail),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/products/{id}")]
pub async fn product_detail(
    state: Data<AppState>,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let detail = app::catalog::browse::product_detail(&state.context, id).await?;
    app::catalog::popularity::record(&state.context, id).await;
    let skus = detail
        .skus
        .iter()
        .map(|sku| SkuOffer {
            id: sku.id,
            option_values: sku.option_values.iter().flatten().cloned().collect(),
            price: app::catalog::browse::in_minor_units(app::catalog::browse::price_now(sku)),
            list_price: app::catalog::browse::in_minor_units(sku.list_price),
            stock: app::catalog::browse::StockState::of(sku).as_str(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(ProductDetail {
        card: detail.card.into(),
        description: detail.description,
        max_per_order: detail.max_per_order,
        options: detail
            .options
            .into_iter()
            .map(|o| OptionView {
                name: o.name,
                values: o.values,
            })
            .collect(),
        skus,
        images: detail.images.into_iter().map(Into::into).collect(),
    }))
}
