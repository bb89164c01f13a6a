//! Operations staff's review of seller applications.

use crate::sellers::views::{ApplicationDetailView, ApplicationView, SellerView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// `submitted` (the default: waiting for review), `documents_requested`,
    /// `approved` or `rejected`.
    #[param(value_type = Option<super::vocabulary::ApplicationStatus>)]
    pub status: Option<String>,
    /// At most this many (1–200, default 50), oldest first.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedApplicationView {
    #[serde(flatten)]
    pub application: ApplicationView,
    pub seller_name: String,
    pub company_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationQueue {
    pub items: Vec<QueuedApplicationView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationReview {
    #[serde(flatten)]
    pub application: ApplicationDetailView,
    pub seller: SellerView,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewNote {
    /// Shown to the vendor.
    #[schema(example = "The bankbook copy is unreadable; please upload a clearer scan.")]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewOutcome {
    pub application_id: Uuid,
    #[schema(example = "approved")]
    pub status: super::vocabulary::ApplicationStatus,
}
