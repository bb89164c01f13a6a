//! `GET /v1/categories`.

use actix_web::{HttpRequest, HttpResponse, get, web::Data};
use app::catalog::CategoryNode;
use serde::Serialize;
use utoipa::ToSchema;
use web::{ApiError, AppState};

/// The category tree.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryTree {
    pub categories: Vec<Category>,
}

/// A category and its visible subcategories (at most three levels).
#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    #[schema(example = 12)]
    pub id: i64,
    #[schema(example = "women-dresses")]
    pub slug: String,
    #[schema(example = "Dresses")]
    pub name: String,
    /// 1 for top-level categories.
    #[schema(example = 3, minimum = 1, maximum = 3)]
    pub depth: u8,
    #[schema(no_recursion)]
    pub children: Vec<Category>,
}

impl From<CategoryNode> for Category {
    fn from(node: CategoryNode) -> Self {
        Self {
            id: node.id,
            slug: node.slug,
            name: node.name,
            depth: node.depth,
            children: node.children.into_iter().map(Self::from).collect(),
        }
    }
}

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
    let tree = app::catalog::category_tree(&state.context).await?;
    let body = CategoryTree {
        categories: tree.into_iter().map(Category::from).collect(),
    };
    web::conditional::json_with_etag(&request, &body, "public, max-age=60")
}
