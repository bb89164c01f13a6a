//! A shopper writing and reading reviews.

use crate::catalog::reviews::Review;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The form of a photo upload.
#[derive(Debug, ToSchema)]
pub struct PhotoUpload {
    /// A JPEG or PNG image of at most 5 MB (recognised by its bytes).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
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
