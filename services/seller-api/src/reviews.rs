//! Reviews of the vendor's products, and the vendor's replies. Another
//! vendor's review is never found.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, put};
use api_types::catalog::reviews::{Reply, SellerReviewQuery};
use api_types::catalog::reviews::{StaffReview, StaffReviewPage};
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// Reviews of the vendor's products, newest first (hidden ones included,
/// with the reason).
#[utoipa::path(get, path = "/v1/reviews", tag = "reviews",
    security(("bearer" = ["seller.products.manage"])),
    params(SellerReviewQuery),
    responses((status = 200, body = StaffReviewPage),
        (status = 422, description = "`rating` out of range", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/reviews")]
pub async fn list_reviews(
    state: Data<AppState>,
    caller: Staff,
    query: Query<SellerReviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = query.page.unwrap_or(1).max(1);
    let size = query.size.unwrap_or(20).clamp(1, 100);
    let found = app::catalog::reviews::search(
        &state.context,
        &caller.0,
        app::catalog::reviews::ReviewFilter {
            product_id: query.product_id,
            rating: query.rating,
            unanswered: query.unanswered,
            ..Default::default()
        },
        page,
        size,
    )
    .await?;
    Ok(HttpResponse::Ok().json(StaffReviewPage::new(found, page, size)))
}

/// Answers a review of one of the vendor's products (shown under it).
#[utoipa::path(put, path = "/v1/reviews/{id}/reply", tag = "reviews",
    security(("bearer" = ["seller.products.manage"])),
    params(("id" = Uuid, Path, description = "Review id")),
    request_body = Reply,
    responses((status = 200, body = StaffReview),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`text` is empty or too long", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[put("/v1/reviews/{id}/reply")]
pub async fn reply_to_review(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<Reply>,
) -> Result<HttpResponse, ApiError> {
    let review =
        app::catalog::reviews::reply(&state.context, &caller.0, id.into_inner(), &body.text)
            .await?;
    Ok(HttpResponse::Ok().json(StaffReview::from(review)))
}
