//! Reviews: a member reviews a product order that reached them (delivered
//! or confirmed), once, with a rating, text and photos; the product's review
//! count and average follow in the same transaction. Vendors reply to the
//! reviews of their products; operations hide reviews (and show them again),
//! which takes them out of the figures. Every change by staff is audited.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use chrono::{DateTime, TimeDelta, Utc};
use diesel_async::AsyncConnection;
use domain::catalog::review::{self as rules, MAX_BODY_CHARS, MAX_PHOTOS, MAX_REPLY_CHARS};
use domain::tenant::Tenant;
use jobs::{Job, JobError};
use persistence::StoreError;
use persistence::catalog::reviews::{self, AuthoredReview, NewPhoto, NewReview, PhotoRow};
pub use persistence::catalog::reviews::{ReviewFilter, ReviewRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::text_fields;
use crate::{AppError, Context};

/// Photos uploaded but never attached to a review are deleted after this.
const UNATTACHED_PHOTO_TTL: TimeDelta = TimeDelta::hours(24);
/// A member may hold this many uploaded photos no review took yet.
const MAX_UNATTACHED_PHOTOS: i64 = 20;

/// A review photo with its short-lived URL.
#[derive(Debug, Clone)]
pub struct Photo {
    pub id: Uuid,
    pub content_type: String,
    pub url: String,
}

/// A review as the shop shows it.
#[derive(Debug, Clone)]
pub struct Review {
    pub row: ReviewRow,
    /// The reviewer, masked ("김**").
    pub reviewer: String,
    pub photos: Vec<Photo>,
}

/// Stores a photo for a review the member is about to write.
pub async fn upload_photo(
    context: &Context,
    user_id: Uuid,
    bytes: Bytes,
) -> Result<Photo, AppError> {
    let kind = crate::catalog::images::check("file", &bytes)?;
    let mut conn = context.db.get().await?;
    if reviews::unattached_count(&mut conn, user_id).await? >= MAX_UNATTACHED_PHOTOS {
        return Err(AppError::Conflict {
            code: ProblemCode::TooManyPhotos,
            message: format!(
                "at most {MAX_UNATTACHED_PHOTOS} photos may wait for a review; write the review first"
            ),
        });
    }
    let id = Uuid::new_v4();
    let object_key = format!("reviews/{user_id}/{id}.{}", kind.extension());
    crate::catalog::images::store(context, &object_key, bytes, async |size| {
        let photo = NewPhoto {
            id,
            user_id,
            object_key: &object_key,
            content_type: kind.content_type(),
            size_bytes: size,
        };
        Ok(reviews::insert_photo(&mut conn, &photo).await?)
    })
    .await?;
    photo_of(
        context,
        PhotoRow {
            id,
            review_id: None,
            position: None,
            object_key,
            content_type: kind.content_type().to_owned(),
        },
    )
    .await
}

/// What a member writes.
#[derive(Debug, Clone)]
pub struct WriteReview {
    pub product_order_id: Uuid,
    pub rating: i16,
    pub text: String,
    pub photo_ids: Vec<Uuid>,
}

/// Writes the member's review of one of their product orders.
pub async fn write(
    context: &Context,
    user_id: Uuid,
    input: WriteReview,
) -> Result<Review, AppError> {
    if !rules::RATING_RANGE.contains(&input.rating) {
        return Err(AppError::invalid(
            "rating",
            FieldCode::OutOfRange,
            "a whole number from 1 to 5",
        ));
    }
    let body = text_fields::required("text", &input.text, MAX_BODY_CHARS)?;
    let photo_ids = input.photo_ids;
    let asked = photo_ids.len();
    let distinct: std::collections::HashSet<&Uuid> = photo_ids.iter().collect();
    if distinct.len() != asked {
        return Err(AppError::invalid(
            "photo_ids",
            FieldCode::Duplicate,
            "each photo once",
        ));
    }
    if asked > MAX_PHOTOS {
        return Err(AppError::invalid(
            "photo_ids",
            FieldCode::TooMany,
            format!("at most {MAX_PHOTOS} photos"),
        ));
    }
    let mut conn = context.db.get().await?;
    let line = reviews::own_product_order(&mut conn, user_id, input.product_order_id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "product_order",
        })?;
    if !rules::is_reviewable(&line.status) {
        return Err(AppError::Conflict {
            code: ProblemCode::NotReviewable,
            message: format!(
                "only a delivered or confirmed order can be reviewed (this one is {})",
                line.status
            ),
        });
    }
    let id = Uuid::new_v4();
    conn.transaction(async |conn| {
        reviews::insert(
            conn,
            &NewReview {
                id,
                line: &line,
                user_id,
                rating: input.rating,
                body: &body,
            },
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => AppError::Conflict {
                code: ProblemCode::AlreadyReviewed,
                message: "this order line already has a review".into(),
            },
            other => other.into(),
        })?;
        if !photo_ids.is_empty() {
            let attached = reviews::attach_photos(conn, user_id, id, &photo_ids).await?;
            if attached != photo_ids.len() {
                return Err(AppError::invalid(
                    "photo_ids",
                    FieldCode::UnknownPhoto,
                    "upload each photo first; a photo serves one review",
                ));
            }
        }
        Ok::<_, AppError>(())
    })
    .await?;
    shown(context, &mut conn, id).await
}

/// A product's review figures: count, average and how many give each star.
#[derive(Debug, Clone)]
pub struct Summary {
    pub count: i64,
    pub average: Option<f64>,
    /// Index 0 holds one-star reviews, index 4 five-star ones.
    pub counts: [i64; 5],
}

/// One page of a product's reviews, newest first.
#[derive(Debug, Clone)]
pub struct ReviewPage {
    pub summary: Summary,
    pub items: Vec<Review>,
    pub next_cursor: Option<String>,
}

pub struct ProductReviewsQuery {
    pub rating: Option<i16>,
    pub cursor: Option<String>,
    pub size: i64,
}

/// The visible reviews of a listed product.
pub async fn of_product(
    context: &Context,
    product_id: Uuid,
    query: ProductReviewsQuery,
) -> Result<ReviewPage, AppError> {
    if query
        .rating
        .is_some_and(|r| !rules::RATING_RANGE.contains(&r))
    {
        return Err(AppError::invalid("rating", FieldCode::OutOfRange, "1 to 5"));
    }
    let size = query.size.clamp(1, 50);
    let after = query.cursor.as_deref().map(decode_cursor).transpose()?;
    let mut conn = context.db.get().await?;
    if persistence::catalog::listing::find_listed(&mut conn, product_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound {
            resource: "product",
        });
    }
    let counts = reviews::rating_counts(&mut conn, product_id).await?;
    let mut rows =
        reviews::visible_of_product(&mut conn, product_id, query.rating, after, size + 1).await?;
    let more = rows.len() > usize::try_from(size).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(size).unwrap_or(usize::MAX));
    let next_cursor = more
        .then(|| rows.last())
        .flatten()
        .map(|last| encode_cursor(last.review.created_at, last.review.id));
    let items = assembled(context, &mut conn, rows).await?;
    let count = counts.iter().sum();
    let sum = (1..=5).zip(counts).map(|(stars, n)| stars * n).sum();
    Ok(ReviewPage {
        summary: Summary {
            count,
            average: rules::average_rating(sum, count),
            counts,
        },
        items,
        next_cursor,
    })
}

/// A page of reviews for staff, with the total.
pub struct StaffReviewPage {
    pub items: Vec<Review>,
    pub total: i64,
}

/// The reviews the caller may read, newest first: a vendor's those of its
/// own products, operations' any (or one vendor's, by the filter).
pub async fn search(
    context: &Context,
    caller: &StaffPrincipal,
    filter: ReviewFilter,
    page: i64,
    size: i64,
) -> Result<StaffReviewPage, AppError> {
    if filter
        .rating
        .is_some_and(|r| !rules::RATING_RANGE.contains(&r))
    {
        return Err(AppError::invalid("rating", FieldCode::OutOfRange, "1 to 5"));
    }
    let size = size.clamp(1, 100);
    let offset = (page.max(1) - 1) * size;
    let mut conn = context.db.get().await?;
    let (rows, total) = reviews::search(&mut conn, caller.tenant(), &filter, size, offset).await?;
    Ok(StaffReviewPage {
        items: assembled(context, &mut conn, rows).await?,
        total,
    })
}

/// The vendor's reply to a review of one of its products (a second reply
/// replaces the first).
pub async fn reply(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    text: &str,
) -> Result<Review, AppError> {
    let seller_id = caller.own_seller_id()?;
    let text = text_fields::required("text", text, MAX_REPLY_CHARS)?;
    let mut conn = context.db.get().await?;
    let row = conn
        .transaction(async |conn| {
            let row = reviews::reply(conn, seller_id, id, &text, caller.id)
                .await?
                .ok_or(AppError::NotFound { resource: "review" })?;
            audit::record(
                conn,
                &AuditEvent {
                    actor: caller.actor.clone(),
                    action: "review.replied",
                    subject: Some(("review", id.to_string())),
                    details: json!({ "seller_id": seller_id, "product_id": row.product_id }),
                },
            )
            .await?;
            Ok::<_, AppError>(row)
        })
        .await?;
    shown(context, &mut conn, row.id).await
}

/// Operations hide a review (with a reason) or show it again.
pub async fn moderate(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    hide_because: Option<&str>,
) -> Result<Review, AppError> {
    let reason = hide_because
        .map(|reason| text_fields::required("reason", reason, 1000))
        .transpose()?;
    let (action, already_code, already) = if reason.is_some() {
        (
            "review.hidden",
            ProblemCode::ReviewHidden,
            "the review is already hidden",
        )
    } else {
        (
            "review.shown",
            ProblemCode::ReviewNotHidden,
            "the review is not hidden",
        )
    };
    let mut conn = context.db.get().await?;
    let row = conn
        .transaction(async |conn| {
            let Some(changed) =
                reviews::set_hidden(conn, id, reason.as_deref().map(|r| (caller.id, r))).await?
            else {
                // Unchanged: either there is no such review or it already is so.
                return Err(match reviews::find(conn, Tenant::Operations, id).await? {
                    None => AppError::NotFound { resource: "review" },
                    Some(_) => AppError::Conflict {
                        code: already_code,
                        message: already.into(),
                    },
                });
            };
            audit::record(
                conn,
                &AuditEvent {
                    actor: caller.actor.clone(),
                    action,
                    subject: Some(("review", id.to_string())),
                    details: json!({
                        "product_id": changed.product_id,
                        "seller_id": changed.seller_id,
                        "reason": reason,
                    }),
                },
            )
            .await?;
            Ok::<_, AppError>(changed)
        })
        .await?;
    shown(context, &mut conn, row.id).await
}

/// One review as shown, with its photos.
async fn shown(
    context: &Context,
    conn: &mut persistence::AsyncPgConnection,
    id: Uuid,
) -> Result<Review, AppError> {
    let review = reviews::find(conn, Tenant::Operations, id)
        .await?
        .ok_or(AppError::NotFound { resource: "review" })?;
    let mut shown = assembled(context, conn, vec![review]).await?;
    shown.pop().ok_or(AppError::NotFound { resource: "review" })
}

/// Reviews with their photos (one query for all) and masked reviewers.
async fn assembled(
    context: &Context,
    conn: &mut persistence::AsyncPgConnection,
    rows: Vec<AuthoredReview>,
) -> Result<Vec<Review>, AppError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.review.id).collect();
    let mut photos = Vec::new();
    for row in reviews::photos_of(conn, &ids).await? {
        let review_id = row.review_id;
        photos.push((review_id, photo_of(context, row).await?));
    }
    Ok(rows
        .into_iter()
        .map(|authored| Review {
            reviewer: rules::masked_reviewer(authored.author.value()),
            photos: take_photos(&mut photos, authored.review.id),
            row: authored.review,
        })
        .collect())
}

/// Deletes photos no review took within a day, and their objects.
#[derive(Debug, Serialize, Deserialize)]
pub struct PurgeUnattachedPhotos;

impl Job for PurgeUnattachedPhotos {
    const KIND: &'static str = "reviews.purge_unattached_photos";
    const MAX_ATTEMPTS: i32 = 3;
}

/// Returns how many photos were deleted.
pub async fn purge_unattached_photos(context: &Context) -> Result<usize, JobError> {
    let retry = |e: &dyn std::fmt::Display| JobError::retry(e.to_string());
    let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
    let mut purged = 0;
    loop {
        let keys = reviews::delete_unattached(&mut conn, Utc::now() - UNATTACHED_PHOTO_TTL, 500)
            .await
            .map_err(|e| retry(&e))?;
        if keys.is_empty() {
            return Ok(purged);
        }
        purged += keys.len();
        for key in keys {
            if let Err(error) = context.objects.delete(&key).await {
                tracing::warn!(%error, key, "review photo object left behind");
            }
        }
    }
}

fn encode_cursor(at: DateTime<Utc>, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}\n{id}", at.to_rfc3339()))
}

fn decode_cursor(cursor: &str) -> Result<(DateTime<Utc>, Uuid), AppError> {
    let invalid = || {
        AppError::invalid(
            "cursor",
            FieldCode::InvalidCursor,
            "not a cursor of this list",
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (at, id) = text.split_once('\n').ok_or_else(invalid)?;
    Ok((
        DateTime::parse_from_rfc3339(at)
            .map_err(|_| invalid())?
            .with_timezone(&Utc),
        id.parse().map_err(|_| invalid())?,
    ))
}

async fn photo_of(context: &Context, row: PhotoRow) -> Result<Photo, AppError> {
    let url = context.objects.shared_download_url(&row.object_key).await?;
    Ok(Photo {
        id: row.id,
        content_type: row.content_type,
        url: url.to_string(),
    })
}

fn take_photos(photos: &mut Vec<(Option<Uuid>, Photo)>, review_id: Uuid) -> Vec<Photo> {
    let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(photos)
        .into_iter()
        .partition(|(owner, _)| *owner == Some(review_id));
    *photos = rest;
    mine.into_iter().map(|(_, photo)| photo).collect()
}
