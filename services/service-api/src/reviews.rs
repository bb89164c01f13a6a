//! Reviews: members review what reached them; everyone reads a product's.

use actix_multipart::Multipart;
use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use app::catalog::images::MAX_IMAGE_BYTES;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use web::review_views::{Review, ReviewPhoto};
use web::{ApiError, AppState, Authenticated};

/// The form of a photo upload.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the multipart form; read by web::upload"
)]
pub struct PhotoUpload {
    /// A JPEG or PNG image of at most 5 MB (recognised by its bytes).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteReview {
    /// One of the caller's product orders, delivered or confirmed.
    pub product_order_id: Uuid,
    /// 1 to 5.
    pub rating: i16,
    /// 1 to 2,000 characters.
    pub text: String,
    /// Photos uploaded through `POST /v1/reviews/photos`, in display order (at most 5).
    #[serde(default)]
    pub photo_ids: Vec<Uuid>,
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

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReviewQuery {
    /// Only reviews giving this many stars.
    pub rating: Option<i16>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1–50, default 20.
    pub size: Option<i64>,
}

/// A product's review figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewSummary {
    pub review_count: i64,
    /// Average rating, one decimal (null without reviews).
    pub rating: Option<f64>,
    /// How many reviews give 1, 2, 3, 4 and 5 stars.
    pub rating_counts: [i64; 5],
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewPage {
    pub summary: ReviewSummary,
    pub items: Vec<Review>,
    /// Where the next page starts (absent on the last).
    pub next_cursor: Option<String>,
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
