//! `GET /v1/brands`.

use actix_web::{HttpRequest, HttpResponse, get, web::Data};
use api_types::catalog::views::{Brand, BrandList};
use web::{ApiError, AppState};

/// Active brands by name. Carries a strong `ETag` (`If-None-Match` → `304`).
#[utoipa::path(get, path = "/v1/brands", tag = "catalog",
    responses(
        (status = 200, description = "The brands", body = BrandList,
            headers(("ETag" = String, description = "Validator of this representation"))),
        (status = 304, description = "Unchanged since the `If-None-Match` validator")))]
#[get("/v1/brands")]
pub async fn list_brands(
    request: HttpRequest,
    state: Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let rows = app::catalog::taxonomy::brands(&state.context, true).await?;
    let body = BrandList {
        brands: rows
            .into_iter()
            .map(|row| Brand {
                id: row.id,
                slug: row.slug,
                name: row.name,
            })
            .collect(),
    };
    web::conditional::json_with_etag(&request, &body, "public, max-age=60")
}
