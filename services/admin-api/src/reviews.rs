//! Review moderation (`reviews.moderate`): search, hide with a reason, show
//! again. Hidden reviews leave the product's count and average.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use api_types::catalog::reviews::{HideReason, ReviewSearch};
use api_types::catalog::reviews::{StaffReview, StaffReviewPage};
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// Reviews of every vendor's products, newest first.
#[utoipa::path(get, path = "/v1/reviews", tag = "reviews",
    security(("bearer" = ["reviews.moderate"])),
    params(ReviewSearch),
    responses((status = 200, body = StaffReviewPage),
        (status = 422, description = "`rating` out of range", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/reviews")]
pub async fn search_reviews(
    state: Data<AppState>,
    caller: Staff,
    query: Query<ReviewSearch>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = query.page.unwrap_or(1).max(1);
    let size = query.size.unwrap_or(20).clamp(1, 100);
    let found = app::catalog::reviews::search(
        &state.context,
        &caller.0,
        app::catalog::reviews::ReviewFilter {
            seller_id: query.seller_id,
            product_id: query.product_id,
            rating: query.rating,
            hidden: query.hidden,
            unanswered: false,
        },
        page,
        size,
    )
    .await?;
    Ok(HttpResponse::Ok().json(StaffReviewPage::new(found, page, size)))
}

/// Hides a review from shoppers and takes it out of the product's figures.
#[utoipa::path(post, path = "/v1/reviews/{id}/hide", tag = "reviews",
    security(("bearer" = ["reviews.moderate"])),
    params(("id" = Uuid, Path, description = "Review id")),
    request_body = HideReason,
    responses((status = 200, body = StaffReview),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`review_hidden` already", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`reason` missing or too long", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/reviews/{id}/hide")]
pub async fn hide_review(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<HideReason>,
) -> Result<HttpResponse, ApiError> {
    let review = app::catalog::reviews::moderate(
        &state.context,
        &caller.0,
        id.into_inner(),
        Some(&body.reason),
    )
    .await?;
    Ok(HttpResponse::Ok().json(StaffReview::from(review)))
}

/// Shows a hidden review again; it counts in the product's figures again.
#[utoipa::path(post, path = "/v1/reviews/{id}/unhide", tag = "reviews",
    security(("bearer" = ["reviews.moderate"])),
    params(("id" = Uuid, Path, description = "Review id")),
    responses((status = 200, body = StaffReview),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`review_not_hidden`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/reviews/{id}/unhide")]
pub async fn unhide_review(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let review =
        app::catalog::reviews::moderate(&state.context, &caller.0, id.into_inner(), None).await?;
    Ok(HttpResponse::Ok().json(StaffReview::from(review)))
}
