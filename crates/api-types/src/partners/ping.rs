//! A partner's authenticated ping.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct Pong {
    pub partner_id: Uuid,
    /// The visible prefix of the key that signed.
    pub key_prefix: String,
    pub scopes: Vec<String>,
}
