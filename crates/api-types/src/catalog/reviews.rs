//! Reviews: as shoppers write and read them, as vendors answer them and as
//! operations staff search and hide them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A review photo: a pre-signed URL valid for a few minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewPhoto {
    pub id: Uuid,
    #[schema(example = "image/jpeg")]
    pub content_type: String,
    pub url: String,
}

impl From<app::catalog::reviews::Photo> for ReviewPhoto {
    fn from(photo: app::catalog::reviews::Photo) -> Self {
        Self {
            id: photo.id,
            content_type: photo.content_type,
            url: photo.url,
        }
    }
}

/// The vendor's answer to a review.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerReply {
    pub text: String,
    pub replied_at: DateTime<Utc>,
}

/// A review as shoppers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Review {
    pub id: Uuid,
    pub product_id: Uuid,
    /// 1 to 5.
    pub rating: i16,
    pub text: String,
    /// The options bought, e.g. `["Black", "M"]`.
    pub option_values: Vec<String>,
    /// The reviewer's first character, masked.
    #[schema(example = "김**")]
    pub reviewer: String,
    pub photos: Vec<ReviewPhoto>,
    pub seller_reply: Option<SellerReply>,
    pub created_at: DateTime<Utc>,
}

pub fn reply_of(row: &app::catalog::reviews::ReviewRow) -> Option<SellerReply> {
    row.seller_reply
        .clone()
        .zip(row.replied_at)
        .map(|(text, replied_at)| SellerReply { text, replied_at })
}

impl From<app::catalog::reviews::Review> for Review {
    fn from(review: app::catalog::reviews::Review) -> Self {
        let seller_reply = reply_of(&review.row);
        let row = review.row;
        Self {
            id: row.id,
            product_id: row.product_id,
            rating: row.rating,
            text: row.body,
            option_values: row.option_values.into_iter().flatten().collect(),
            reviewer: review.reviewer,
            photos: review.photos.into_iter().map(Into::into).collect(),
            seller_reply,
            created_at: row.created_at,
        }
    }
}

/// A review as vendor and operations staff see it: which order line it
/// is of, and whether operations hid it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffReview {
    #[serde(flatten)]
    pub review: Review,
    pub product_order_id: Uuid,
    pub seller_id: Uuid,
    pub hidden_at: Option<DateTime<Utc>>,
    pub hidden_reason: Option<String>,
}

impl From<app::catalog::reviews::Review> for StaffReview {
    fn from(review: app::catalog::reviews::Review) -> Self {
        let (product_order_id, seller_id) = (review.row.product_order_id, review.row.seller_id);
        let (hidden_at, hidden_reason) = (review.row.hidden_at, review.row.hidden_reason.clone());
        Self {
            review: review.into(),
            product_order_id,
            seller_id,
            hidden_at,
            hidden_reason,
        }
    }
}

/// A page of reviews for staff, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffReviewPage {
    pub items: Vec<StaffReview>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
}

impl StaffReviewPage {
    pub fn new(page: app::catalog::reviews::StaffReviewPage, number: i64, size: i64) -> Self {
        Self {
            items: page.items.into_iter().map(Into::into).collect(),
            total: page.total,
            page: number,
            size,
        }
    }
}

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

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SellerReviewQuery {
    pub product_id: Option<Uuid>,
    /// Only reviews giving this many stars.
    pub rating: Option<i16>,
    /// Only reviews not yet answered.
    #[serde(default)]
    pub unanswered: bool,
    pub page: Option<i64>,
    pub size: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// 1 to 1,000 characters; replaces an earlier reply.
    pub text: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReviewSearch {
    pub product_id: Option<Uuid>,
    pub seller_id: Option<Uuid>,
    /// Only reviews giving this many stars.
    pub rating: Option<i16>,
    /// `true`: only hidden reviews; `false`: only visible ones.
    pub hidden: Option<bool>,
    pub page: Option<i64>,
    pub size: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideReason {
    /// Why (kept with the review and in the audit log).
    #[schema(example = "Contains the buyer's phone number.")]
    pub reason: String,
}
