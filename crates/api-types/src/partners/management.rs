//! Partners and their API keys as operations staff manage them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    pub id: Uuid,
    /// The visible part of the API key (`mkp_<prefix>_…`).
    #[schema(example = "q2kzd7mbx4ra")]
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerView {
    pub id: Uuid,
    pub name: String,
    #[schema(value_type = super::vocabulary::PartnerStatus)]
    pub status: String,
    #[schema(example = json!(["catalog.read"]))]
    pub scopes: Vec<String>,
    pub rate_limit_per_minute: i32,
    pub keys: Vec<KeyView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerList {
    pub items: Vec<PartnerView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPartnerRequest {
    #[schema(example = "Lookbook Korea")]
    pub name: String,
    #[schema(example = json!(["catalog.read"]))]
    pub scopes: Vec<String>,
    #[schema(example = 600, minimum = 1, maximum = 100000)]
    pub rate_limit_per_minute: i32,
}

/// Credentials, shown only in this answer: store them now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialsView {
    pub partner_id: Uuid,
    pub key_id: Uuid,
    /// Send in `X-Api-Key`.
    pub api_key: String,
    /// Signs every request (`X-Signature`); never sent.
    pub signing_secret: String,
}
