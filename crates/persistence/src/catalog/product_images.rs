//! A product's images (the files live in the object store).

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{product_images, products};

/// At most this many images per product.
pub const MAX_PER_PRODUCT: i64 = 10;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_images, check_for_backend(diesel::pg::Pg))]
pub struct ImageRow {
    pub id: Uuid,
    pub product_id: Uuid,
    pub position: i16,
    pub object_key: String,
    pub content_type: String,
    pub size_bytes: i32,
}

/// Locks the vendor's product (so positions are handed out one at a
/// time); `false` when it is not the vendor's.
pub async fn lock_own_product(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
    product_id: Uuid,
) -> Result<bool, StoreError> {
    Ok(products::table
        .filter(products::id.eq(product_id))
        .filter(products::seller_id.eq(seller_id))
        .for_update()
        .select(products::id)
        .first::<Uuid>(conn)
        .await
        .optional()?
        .is_some())
}

/// The first free position, if the product has room.
pub async fn next_position(
    conn: &mut AsyncPgConnection,
    product_id: Uuid,
) -> Result<Option<i16>, StoreError> {
    let taken: Vec<i16> = product_images::table
        .filter(product_images::product_id.eq(product_id))
        .select(product_images::position)
        .load(conn)
        .await?;
    Ok((0..MAX_PER_PRODUCT as i16).find(|p| !taken.contains(p)))
}

pub async fn insert(conn: &mut AsyncPgConnection, row: &ImageRow) -> Result<(), StoreError> {
    diesel::insert_into(product_images::table)
        .values((
            product_images::id.eq(row.id),
            product_images::product_id.eq(row.product_id),
            product_images::position.eq(row.position),
            product_images::object_key.eq(&row.object_key),
            product_images::content_type.eq(&row.content_type),
            product_images::size_bytes.eq(row.size_bytes),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The images of these products, in display order.
pub async fn of_products(
    conn: &mut AsyncPgConnection,
    product_ids: &[Uuid],
) -> Result<Vec<ImageRow>, StoreError> {
    Ok(product_images::table
        .filter(product_images::product_id.eq_any(product_ids))
        .order((product_images::product_id, product_images::position))
        .select(ImageRow::as_select())
        .load(conn)
        .await?)
}

/// Deletes one of the vendor's images; returns it.
pub async fn delete_own(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
    product_id: Uuid,
    image_id: Uuid,
) -> Result<Option<ImageRow>, StoreError> {
    let owned = products::table
        .filter(products::id.eq(product_id))
        .filter(products::seller_id.eq(seller_id))
        .select(products::id);
    Ok(diesel::delete(
        product_images::table
            .filter(product_images::id.eq(image_id))
            .filter(product_images::product_id.eq_any(owned)),
    )
    .returning(ImageRow::as_returning())
    .get_result(conn)
    .await
    .optional()?)
}
