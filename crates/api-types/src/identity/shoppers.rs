//! A shopper as operations staff see them.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct ShopperView {
    pub id: Uuid,
    /// `null` when it cannot be decrypted.
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    #[schema(value_type = super::vocabulary::ShopperStatus)]
    pub status: String,
}
