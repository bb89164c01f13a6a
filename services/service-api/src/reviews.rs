//! Reviews: members review what reached them; everyone reads a product's.

use actix_multipart::Multipart;
use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use api_types::catalog::reviews::{
    PhotoUpload, ReviewPage, ReviewQuery, ReviewSummary, WriteReview,
};
use api_types::catalog::reviews::{Review, ReviewPhoto};
use app::catalog::images::MAX_IMAGE_BYTES;
use uuid::Uuid;
use web::{ApiError, AppState, Authenticated};

/// Uploads a photo for a review about to be written (multipart: `file`);
/// name its id in the review's `photo_ids`. A photo no review takes within
/// a day is deleted.
#[utoipa::path(post, path = "/v1/reviews/photos", tag = "reviews", security(("bearer" = [])),
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = ReviewPhoto),
        (status = 403, description = "Guests cannot review", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`too_many_photos` waiting for a review", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Over 5 MB", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`unsupported_file_type`, `malware_detected`, missing file", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/reviews/photos")]
pub async fn upload_photo(
    state: Data<AppState>,
    caller: Authenticated,
    form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    let upload = web::upload::read(form, "file", MAX_IMAGE_BYTES).await?;
    let photo =
        app::catalog::reviews::upload_photo(&state.context, user_id, upload.file("file")?).await?;
    Ok(HttpResponse::Created().json(ReviewPhoto::from(photo)))
}

/// Reviews one of the caller's product orders once it was delivered (or
/// confirmed); one review per product order.
#[utoipa::path(post, path = "/v1/reviews", tag = "reviews", security(("bearer" = [])),
    request_body = WriteReview,
    responses((status = 201, body = Review),
        (status = 403, description = "Guests cannot review", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Not one of the caller's product orders", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`not_reviewable` (not delivered yet), `already_reviewed`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule (`rating`, `text`, `photo_ids`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/reviews")]
pub async fn write_review(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<WriteReview>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    let body = body.into_inner();
    let review = app::catalog::reviews::write(
        &state.context,
        user_id,
        app::catalog::reviews::WriteReview {
            product_order_id: body.product_order_id,
            rating: body.rating,
            text: body.text,
            photo_ids: body.photo_ids,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(Review::from(review)))
}

/// A product's reviews, newest first (hidden ones are not shown).
#[utoipa::path(get, path = "/v1/products/{id}/reviews", tag = "reviews",
    params(("id" = Uuid, Path, description = "Product id"), ReviewQuery),
    responses((status = 200, body = ReviewPage),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`rating` or `cursor` is invalid", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/products/{id}/reviews")]
pub async fn product_reviews(
    state: Data<AppState>,
    id: Path<Uuid>,
    query: Query<ReviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = app::catalog::reviews::of_product(
        &state.context,
        id.into_inner(),
        app::catalog::reviews::ProductReviewsQuery {
            rating: query.rating,
            cursor: query.cursor,
            size: query.size.unwrap_or(20),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(ReviewPage {
        summary: ReviewSummary {
            review_count: page.summary.count,
            rating: page.summary.average,
            rating_counts: page.summary.counts,
        },
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}
