//! One signed-in session as its owner sees it.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub subject: String,
    #[schema(example = "service")]
    pub audience: String,
    pub session_id: String,
    pub scopes: Vec<String>,
    /// Unix seconds when the access token expires.
    pub expires_at: i64,
}
