//! Acknowledgements of provider notifications.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Received {
    /// `applied`, or `ignored` (not our payment, or not an event we act on).
    #[schema(example = "applied")]
    pub result: super::vocabulary::WebhookResult,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppleNotification {
    /// A JWS signed by Apple (App Store Server Notifications V2).
    pub signed_payload: String,
}
