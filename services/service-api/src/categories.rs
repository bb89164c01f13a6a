//! `GET /v1/categories`.

use actix_web::{HttpRequest, HttpResponse, get, web::Data};
use api_types::catalog::views::CategoryTree;
use web::{ApiError, AppState};

/// The browsable category tree: active categories, ordered for display.
///
/// Carries a strong `ETag`; send it back in `If-None-Match` to get `304`.
#[utoipa::path(
    get,
    path = "/v1/categories",
    tag = "catalog",
    responses(
        (status = 200, description = "The tree", body = CategoryTree,
            headers(("ETag" = String, description = "Validator of this representation"))),
        (status = 304, description = "Unchanged since the `If-None-Match` validator"),
        (status = 503, description = "Storage unavailable", body = web::ProblemDetails,
            content_type = "application/problem+json"),
    )
)]
#[get("/v1/categories")]
pub async fn list_categories(
    request: HttpRequest,
    state: Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let tree = app::catalog::browse::category_tree(&state.context).await?;
    web::conditional::json_with_etag(&request, &CategoryTree::of(tree), "public, max-age=60")
}
