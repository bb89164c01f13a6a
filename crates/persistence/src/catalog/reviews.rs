//! Buyers' reviews of their product orders, their photos, vendors' replies
//! and operations' hiding; each product's review figures follow in
//! `product_stats`.

use chrono::{DateTime, Utc};
use crypto::Sealed;
use diesel::prelude::*;
use diesel::sql_types::{Array, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::tenant::Tenant;
use uuid::Uuid;

use crate::StoreError;
use crate::identity::users::UserName;
use crate::schema::{
    product_orders, product_stats, purchase_orders, review_photos, reviews, users,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reviews, check_for_backend(diesel::pg::Pg))]
pub struct ReviewRow {
    pub id: Uuid,
    pub product_order_id: Uuid,
    pub product_id: Uuid,
    pub seller_id: Uuid,
    pub user_id: Uuid,
    pub option_values: Vec<Option<String>>,
    pub rating: i16,
    pub body: String,
    pub seller_reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub hidden_at: Option<DateTime<Utc>>,
    pub hidden_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A review with its author's (sealed) name, for display.
#[derive(Debug, Clone)]
pub struct AuthoredReview {
    pub review: ReviewRow,
    pub author: Sealed<UserName>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = review_photos, check_for_backend(diesel::pg::Pg))]
pub struct PhotoRow {
    pub id: Uuid,
    pub review_id: Option<Uuid>,
    pub position: Option<i16>,
    pub object_key: String,
    pub content_type: String,
}

/// The product order a member may review, as far as the store knows.
#[derive(Debug, Clone, Queryable)]
pub struct BoughtLine {
    pub product_order_id: Uuid,
    pub product_id: Uuid,
    pub seller_id: Uuid,
    pub option_values: Vec<Option<String>>,
    pub status: String,
}

/// One of the member's own product orders (a guest's orders are nobody's).
pub async fn own_product_order(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    product_order_id: Uuid,
) -> Result<Option<BoughtLine>, StoreError> {
    Ok(product_orders::table
        .inner_join(purchase_orders::table)
        .filter(product_orders::id.eq(product_order_id))
        .filter(purchase_orders::user_id.eq(user_id))
        .select((
            product_orders::id,
            product_orders::product_id,
            product_orders::seller_id,
            product_orders::option_values,
            product_orders::status,
        ))
        .first(conn)
        .await
        .optional()?)
}

pub struct NewReview<'a> {
    pub id: Uuid,
    pub line: &'a BoughtLine,
    pub user_id: Uuid,
    pub rating: i16,
    pub body: &'a str,
}

/// Stores a review and counts it on its product; a second review of the
/// same product order is `Conflict("reviews_one_per_product_order")`.
pub async fn insert(conn: &mut AsyncPgConnection, new: &NewReview<'_>) -> Result<(), StoreError> {
    diesel::insert_into(reviews::table)
        .values((
            reviews::id.eq(new.id),
            reviews::product_order_id.eq(new.line.product_order_id),
            reviews::product_id.eq(new.line.product_id),
            reviews::seller_id.eq(new.line.seller_id),
            reviews::user_id.eq(new.user_id),
            reviews::option_values.eq(&new.line.option_values),
            reviews::rating.eq(new.rating),
            reviews::body.eq(new.body),
        ))
        .execute(conn)
        .await?;
    count_on_product(conn, new.line.product_id, new.rating, 1).await
}

/// Adds (`sign` 1) or takes away (`sign` -1) one rating in the product's figures.
async fn count_on_product(
    conn: &mut AsyncPgConnection,
    product_id: Uuid,
    rating: i16,
    sign: i32,
) -> Result<(), StoreError> {
    diesel::update(product_stats::table.find(product_id))
        .set((
            product_stats::review_count.eq(product_stats::review_count + sign),
            product_stats::rating_sum.eq(product_stats::rating_sum + sign * i32::from(rating)),
            product_stats::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Attaches the member's own unattached photos to a review, in the order
/// given; returns how many were attached (fewer than asked: some were not
/// the member's, or already used).
pub async fn attach_photos(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    review_id: Uuid,
    photo_ids: &[Uuid],
) -> Result<usize, StoreError> {
    Ok(diesel::sql_query(
        "UPDATE review_photos p SET review_id = $1, position = (x.ord - 1)::smallint \
         FROM unnest($2::uuid[]) WITH ORDINALITY AS x(id, ord) \
         WHERE p.id = x.id AND p.user_id = $3 AND p.review_id IS NULL",
    )
    .bind::<SqlUuid, _>(review_id)
    .bind::<Array<SqlUuid>, _>(photo_ids)
    .bind::<SqlUuid, _>(user_id)
    .execute(conn)
    .await?)
}

pub struct NewPhoto<'a> {
    pub id: Uuid,
    pub user_id: Uuid,
    pub object_key: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i32,
}

pub async fn insert_photo(
    conn: &mut AsyncPgConnection,
    new: &NewPhoto<'_>,
) -> Result<(), StoreError> {
    diesel::insert_into(review_photos::table)
        .values((
            review_photos::id.eq(new.id),
            review_photos::user_id.eq(new.user_id),
            review_photos::object_key.eq(new.object_key),
            review_photos::content_type.eq(new.content_type),
            review_photos::size_bytes.eq(new.size_bytes),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// How many of the member's photos wait for a review.
pub async fn unattached_count(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> Result<i64, StoreError> {
    Ok(review_photos::table
        .filter(review_photos::user_id.eq(user_id))
        .filter(review_photos::review_id.is_null())
        .count()
        .get_result(conn)
        .await?)
}

/// The photos of these reviews, in display order.
pub async fn photos_of(
    conn: &mut AsyncPgConnection,
    review_ids: &[Uuid],
) -> Result<Vec<PhotoRow>, StoreError> {
    Ok(review_photos::table
        .filter(review_photos::review_id.eq_any(review_ids))
        .order((review_photos::review_id, review_photos::position))
        .select(PhotoRow::as_select())
        .load(conn)
        .await?)
}

/// Deletes photos uploaded before `cutoff` that no review took; returns
/// their object keys, at most `limit` at a time.
pub async fn delete_unattached(
    conn: &mut AsyncPgConnection,
    cutoff: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    #[derive(QueryableByName)]
    struct Key {
        #[diesel(sql_type = diesel::sql_types::Text)]
        object_key: String,
    }
    let keys: Vec<Key> = diesel::sql_query(
        "DELETE FROM review_photos WHERE id IN (SELECT id FROM review_photos \
         WHERE review_id IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2 \
         FOR UPDATE SKIP LOCKED) RETURNING object_key",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(cutoff)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await?;
    Ok(keys.into_iter().map(|k| k.object_key).collect())
}

/// A page of a product's visible reviews, newest first, after the
/// `(created_at, id)` cursor; `rating` keeps one star level.
pub async fn visible_of_product(
    conn: &mut AsyncPgConnection,
    product_id: Uuid,
    rating: Option<i16>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<AuthoredReview>, StoreError> {
    let mut query = reviews::table
        .inner_join(users::table)
        .filter(reviews::product_id.eq(product_id))
        .filter(reviews::hidden_at.is_null())
        .into_boxed();
    if let Some(rating) = rating {
        query = query.filter(reviews::rating.eq(rating));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            reviews::created_at
                .lt(at)
                .or(reviews::created_at.eq(at).and(reviews::id.lt(id))),
        );
    }
    let rows: Vec<(ReviewRow, Sealed<UserName>)> = query
        .order((reviews::created_at.desc(), reviews::id.desc()))
        .limit(limit)
        .select((ReviewRow::as_select(), users::name))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(review, author)| AuthoredReview { review, author })
        .collect())
}

/// How many visible reviews of the product give each star, 1 to 5.
pub async fn rating_counts(
    conn: &mut AsyncPgConnection,
    product_id: Uuid,
) -> Result<[i64; 5], StoreError> {
    let rows: Vec<(i16, i64)> = reviews::table
        .filter(reviews::product_id.eq(product_id))
        .filter(reviews::hidden_at.is_null())
        .group_by(reviews::rating)
        .select((reviews::rating, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    let mut counts = [0; 5];
    for (rating, count) in rows {
        if let Some(slot) = usize::try_from(rating - 1)
            .ok()
            .and_then(|i| counts.get_mut(i))
        {
            *slot = count;
        }
    }
    Ok(counts)
}

/// What vendors and operations filter reviews by.
#[derive(Debug, Default, Clone)]
pub struct ReviewFilter {
    /// One vendor's (operations only: a vendor reads its own regardless).
    pub seller_id: Option<Uuid>,
    pub product_id: Option<Uuid>,
    pub rating: Option<i16>,
    /// Only those without a vendor's reply.
    pub unanswered: bool,
    /// `Some(true)`: only hidden ones; `Some(false)`: only visible ones.
    pub hidden: Option<bool>,
}

/// A page of the reviews `tenant` may read (a vendor those of its own
/// products, operations any), newest first, with the total count.
pub async fn search(
    conn: &mut AsyncPgConnection,
    tenant: Tenant,
    filter: &ReviewFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuthoredReview>, i64), StoreError> {
    let seller_id = match tenant {
        Tenant::Seller(id) => Some(id),
        Tenant::Operations => filter.seller_id,
    };
    let build = || {
        let mut query = reviews::table.inner_join(users::table).into_boxed();
        if let Some(seller_id) = seller_id {
            query = query.filter(reviews::seller_id.eq(seller_id));
        }
        if let Some(product_id) = filter.product_id {
            query = query.filter(reviews::product_id.eq(product_id));
        }
        if let Some(rating) = filter.rating {
            query = query.filter(reviews::rating.eq(rating));
        }
        if filter.unanswered {
            query = query.filter(reviews::seller_reply.is_null());
        }
        match filter.hidden {
            Some(true) => query = query.filter(reviews::hidden_at.is_not_null()),
            Some(false) => query = query.filter(reviews::hidden_at.is_null()),
            None => {}
        }
        query
    };
    let rows: Vec<(ReviewRow, Sealed<UserName>)> = build()
        .order((reviews::created_at.desc(), reviews::id.desc()))
        .limit(limit)
        .offset(offset)
        .select((ReviewRow::as_select(), users::name))
        .load(conn)
        .await?;
    let total = build().count().get_result(conn).await?;
    Ok((
        rows.into_iter()
            .map(|(review, author)| AuthoredReview { review, author })
            .collect(),
        total,
    ))
}

/// One review with its author, if `tenant` may read it (a vendor those of
/// its own products, operations any).
pub async fn find(
    conn: &mut AsyncPgConnection,
    tenant: Tenant,
    id: Uuid,
) -> Result<Option<AuthoredReview>, StoreError> {
    let mut query = reviews::table
        .inner_join(users::table)
        .filter(reviews::id.eq(id))
        .into_boxed();
    if let Tenant::Seller(seller_id) = tenant {
        query = query.filter(reviews::seller_id.eq(seller_id));
    }
    Ok(query
        .select((ReviewRow::as_select(), users::name))
        .first::<(ReviewRow, Sealed<UserName>)>(conn)
        .await
        .optional()?
        .map(|(review, author)| AuthoredReview { review, author }))
}

/// Sets the vendor's reply (ownership in the query); `None` when the
/// review is not of the vendor's products.
pub async fn reply(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
    id: Uuid,
    text: &str,
    staff_id: Uuid,
) -> Result<Option<ReviewRow>, StoreError> {
    Ok(diesel::update(
        reviews::table
            .filter(reviews::id.eq(id))
            .filter(reviews::seller_id.eq(seller_id)),
    )
    .set((
        reviews::seller_reply.eq(text),
        reviews::replied_by.eq(staff_id),
        reviews::replied_at.eq(diesel::dsl::now),
    ))
    .returning(ReviewRow::as_returning())
    .get_result(conn)
    .await
    .optional()?)
}

/// Hides a visible review (or shows a hidden one again, with `hide`
/// `None`) and moves its rating out of (or back into) the product's
/// figures. `None` when the review was not in the opposite state.
pub async fn set_hidden(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    hide: Option<(Uuid, &str)>,
) -> Result<Option<ReviewRow>, StoreError> {
    let target = reviews::table.filter(reviews::id.eq(id));
    let changed = match hide {
        Some((staff_id, reason)) => {
            diesel::update(target.filter(reviews::hidden_at.is_null()))
                .set((
                    reviews::hidden_at.eq(Some(Utc::now())),
                    reviews::hidden_by.eq(Some(staff_id)),
                    reviews::hidden_reason.eq(Some(reason)),
                ))
                .returning(ReviewRow::as_returning())
                .get_result(conn)
                .await
        }
        None => {
            diesel::update(target.filter(reviews::hidden_at.is_not_null()))
                .set((
                    reviews::hidden_at.eq(None::<DateTime<Utc>>),
                    reviews::hidden_by.eq(None::<Uuid>),
                    reviews::hidden_reason.eq(None::<String>),
                ))
                .returning(ReviewRow::as_returning())
                .get_result(conn)
                .await
        }
    }
    .optional()?;
    if let Some(review) = &changed {
        let sign = if hide.is_some() { -1 } else { 1 };
        count_on_product(conn, review.product_id, review.rating, sign).await?;
    }
    Ok(changed)
}
