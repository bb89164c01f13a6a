//! Browsing: `GET /v1/products` and `GET /v1/products/{id}`.

use actix_web::web::{Data, Path, Query};
use actix_web::{HttpResponse, get};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use web::catalog_views::ProductCard;
use web::{ApiError, AppState};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProductListQuery {
    /// The category and everything under it.
    pub category_id: Option<i64>,
    pub brand_id: Option<i64>,
    pub seller_id: Option<Uuid>,
    /// Bounds on the lowest current unit price (decimal strings).
    #[param(value_type = Option<String>)]
    pub min_price: Option<Decimal>,
    #[param(value_type = Option<String>)]
    pub max_price: Option<Decimal>,
    /// Only products with a sale running now.
    pub on_sale: Option<bool>,
    /// Only products with a SKU in stock.
    pub in_stock: Option<bool>,
    /// Words in the name, description or brand (Korean works as typed).
    pub q: Option<String>,
    /// `newest` (default), `price_asc`, `price_desc`, `popular`, `rating`.
    pub sort: Option<String>,
    /// Page mode: from 1, with the total count.
    pub page: Option<i64>,
    /// 1–100, default 20.
    pub size: Option<i64>,
    /// Cursor mode: `next_cursor` of the previous page (no total).
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductList {
    pub items: Vec<ProductCard>,
    /// Page mode only.
    pub total: Option<i64>,
    pub page: Option<i64>,
    pub size: i64,
    /// Where the next page starts (absent on the last).
    pub next_cursor: Option<String>,
}

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

#[derive(Debug, Serialize, ToSchema)]
pub struct OptionView {
    #[schema(example = "Colour")]
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkuOffer {
    pub id: Uuid,
    pub option_values: Vec<String>,
    #[schema(value_type = String, example = "49000")]
    pub price: Decimal,
    #[schema(value_type = String, example = "59000")]
    pub list_price: Decimal,
    /// `in_stock`, `low_stock` (five or fewer) or `sold_out`.
    #[schema(example = "in_stock")]
    pub stock: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDetail {
    #[serde(flatten)]
    pub card: ProductCard,
    pub description: String,
    pub max_per_order: Option<i32>,
    pub options: Vec<OptionView>,
    pub skus: Vec<SkuOffer>,
    /// In display order; the URLs are valid for a few minutes.
    pub images: Vec<web::catalog_views::ProductImage>,
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
