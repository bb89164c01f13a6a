//! Product images: uploaded by the vendor (see `images` for what is
//! accepted; ten per product), kept in the private object store, shown
//! through short-lived pre-signed URLs.

use bytes::Bytes;
use diesel_async::AsyncConnection;
use persistence::catalog::product_images::{self, ImageRow};
use uuid::Uuid;

use crate::kernel::ProblemCode;
use crate::kernel::principals::StaffPrincipal;
use crate::{AppError, Context};

/// An image as shoppers and vendors see it.
#[derive(Debug, Clone)]
pub struct Image {
    pub id: Uuid,
    pub position: i16,
    pub content_type: String,
    /// Pre-signed, valid for the object store's download TTL.
    pub url: String,
}

/// Adds an image to one of the caller's vendor's products.
pub async fn upload(
    context: &Context,
    caller: &StaffPrincipal,
    product_id: Uuid,
    bytes: Bytes,
) -> Result<Image, AppError> {
    let seller_id = caller.own_seller_id()?;
    let kind = crate::catalog::images::check("file", &bytes)?;
    let mut conn = context.db.get().await?;
    let id = Uuid::new_v4();
    let object_key = format!("products/{product_id}/images/{id}.{}", kind.extension());
    // The product must be the caller's before anything is stored.
    if !product_images::lock_own_product(&mut conn, seller_id, product_id).await? {
        return Err(AppError::NotFound {
            resource: "product",
        });
    }
    let row = crate::catalog::images::store(context, &object_key, bytes, async |size| {
        conn.transaction(async |conn| {
            if !product_images::lock_own_product(conn, seller_id, product_id).await? {
                return Err(AppError::NotFound {
                    resource: "product",
                });
            }
            let position = product_images::next_position(conn, product_id)
                .await?
                .ok_or_else(|| AppError::Conflict {
                    code: ProblemCode::TooManyImages,
                    message: format!("at most {} images", product_images::MAX_PER_PRODUCT),
                })?;
            let row = ImageRow {
                id,
                product_id,
                position,
                object_key: object_key.clone(),
                content_type: kind.content_type().to_owned(),
                size_bytes: size,
            };
            product_images::insert(conn, &row).await?;
            Ok::<_, AppError>(row)
        })
        .await
    })
    .await?;
    image_of(context, row).await
}

/// Removes one of the caller's vendor's product images.
pub async fn remove(
    context: &Context,
    caller: &StaffPrincipal,
    product_id: Uuid,
    image_id: Uuid,
) -> Result<(), AppError> {
    let seller_id = caller.own_seller_id()?;
    let mut conn = context.db.get().await?;
    let removed = product_images::delete_own(&mut conn, seller_id, product_id, image_id)
        .await?
        .ok_or(AppError::NotFound { resource: "image" })?;
    // Only the product's own files: demo images are shared.
    if removed
        .object_key
        .starts_with(&format!("products/{product_id}/"))
        && let Err(error) = context.objects.delete(&removed.object_key).await
    {
        tracing::warn!(%error, key = removed.object_key, "image object left behind");
    }
    Ok(())
}

/// A product's images with URLs, in display order.
pub async fn of_product(context: &Context, product_id: Uuid) -> Result<Vec<Image>, AppError> {
    let mut conn = context.db.get().await?;
    let rows = product_images::of_products(&mut conn, &[product_id]).await?;
    let mut images = Vec::with_capacity(rows.len());
    for row in rows {
        images.push(image_of(context, row).await?);
    }
    Ok(images)
}

async fn image_of(context: &Context, row: ImageRow) -> Result<Image, AppError> {
    let url = context.objects.shared_download_url(&row.object_key).await?;
    Ok(Image {
        id: row.id,
        position: row.position,
        content_type: row.content_type,
        url: url.to_string(),
    })
}
