//! The vendor's product images. Ownership is part of every query: another
//! vendor's product or image is not found.

use actix_multipart::Multipart;
use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, delete, post};
use api_types::catalog::images::ImageUpload;
use api_types::catalog::views::ProductImage;
use app::catalog::images::MAX_IMAGE_BYTES;
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// Adds an image to one of the vendor's products (multipart: `file`); at
/// most ten per product, shown in upload order.
#[utoipa::path(post, path = "/v1/products/{id}/images", tag = "products",
    security(("bearer" = ["seller.products.manage"])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body(content = ImageUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = ProductImage),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`too_many_images`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Over 5 MB", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`unsupported_file_type`, `malware_detected`, missing file", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/products/{id}/images")]
pub async fn upload_image(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let upload = web::upload::read(form, "file", MAX_IMAGE_BYTES).await?;
    let image = app::catalog::product_images::upload(
        &state.context,
        &caller.0,
        id.into_inner(),
        upload.file("file")?,
    )
    .await?;
    Ok(HttpResponse::Created().json(ProductImage::from(image)))
}

/// Removes an image of one of the vendor's products.
#[utoipa::path(delete, path = "/v1/products/{id}/images/{image_id}", tag = "products",
    security(("bearer" = ["seller.products.manage"])),
    params(("id" = Uuid, Path, description = "Product id"),
        ("image_id" = Uuid, Path, description = "Image id")),
    responses((status = 204),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[delete("/v1/products/{id}/images/{image_id}")]
pub async fn delete_image(
    state: Data<AppState>,
    caller: Staff,
    path: Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (product_id, image_id) = path.into_inner();
    app::catalog::product_images::remove(&state.context, &caller.0, product_id, image_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
