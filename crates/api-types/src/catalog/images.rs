//! A seller's product image upload.

use utoipa::ToSchema;

/// The form of an image upload.
#[derive(Debug, ToSchema)]
pub struct ImageUpload {
    /// A JPEG or PNG image of at most 5 MB (recognised by its bytes).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}
