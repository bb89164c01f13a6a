//! A shopper's wishlist (likes); each product's like count follows.

use diesel_async::AsyncConnection;
use persistence::StoreError;
use persistence::catalog::listing;
use persistence::catalog::wishlist;
use uuid::Uuid;

use crate::catalog::browse::Card;
use crate::{AppError, Context};

/// Likes a listed product (again: no change). Returns whether it was new.
pub async fn add(context: &Context, user_id: Uuid, product_id: Uuid) -> Result<bool, AppError> {
    let mut conn = context.db.get().await?;
    if listing::find_listed(&mut conn, product_id).await?.is_none() {
        return Err(AppError::NotFound {
            resource: "product",
        });
    }
    conn.transaction(async |conn| {
        wishlist::add(conn, user_id, product_id)
            .await
            .map_err(|e| match e {
                StoreError::MissingReference(_) => AppError::NotFound {
                    resource: "product",
                },
                other => other.into(),
            })
    })
    .await
}

/// Removes a like (none: no change).
pub async fn remove(context: &Context, user_id: Uuid, product_id: Uuid) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        Ok::<_, AppError>(wishlist::remove(conn, user_id, product_id).await?)
    })
    .await?;
    Ok(())
}

/// The liked products still on the shelves, most recently liked first.
pub async fn list(context: &Context, user_id: Uuid) -> Result<Vec<Card>, AppError> {
    let mut conn = context.db.get().await?;
    let ids = wishlist::product_ids(&mut conn, user_id, 500).await?;
    let mut listed = listing::find_listed_many(&mut conn, &ids).await?;
    drop(conn);
    listed.sort_by_key(|p| ids.iter().position(|id| *id == p.id));
    crate::catalog::browse::cards(context, listed).await
}
