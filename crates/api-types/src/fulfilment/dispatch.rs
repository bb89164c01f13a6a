//! A vendor order's dispatch deadline, and the vendor accepting lines.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Product orders of the vendor order to act on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    pub product_order_ids: Vec<Uuid>,
}

/// The product orders now being prepared.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub product_order_ids: Vec<Uuid>,
}

/// The day the vendor will dispatch: today or later, no later than due.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclareRequest {
    #[schema(example = "2026-12-09")]
    pub date: NaiveDate,
}

/// A one-time delay of the dispatch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelayRequest {
    /// The new last day to dispatch (later than the current one, at most 90
    /// days ahead).
    #[schema(example = "2026-12-18")]
    pub until: NaiveDate,
    #[schema(value_type = super::vocabulary::DelayReason)]
    pub reason: String,
    /// Told to the shopper; required when the reason is `other`.
    pub note: Option<String>,
}

/// When a vendor order must leave the vendor (Korean dates).
#[derive(Debug, Serialize, ToSchema)]
pub struct Dispatch {
    pub seller_order_id: Uuid,
    /// Three business days after payment.
    pub due: Option<NaiveDate>,
    /// The earlier date the vendor declared.
    pub declared: Option<NaiveDate>,
    /// The later date the vendor delayed to.
    pub delayed_to: Option<NaiveDate>,
    #[schema(value_type = Option<super::vocabulary::DelayReason>)]
    pub delay_reason: Option<String>,
    pub delay_note: Option<String>,
    /// The last day to dispatch, all the above considered.
    pub deadline: Option<NaiveDate>,
}

impl From<app::fulfilment::dispatch::DispatchView> for Dispatch {
    fn from(view: app::fulfilment::dispatch::DispatchView) -> Self {
        Self {
            seller_order_id: view.seller_order_id,
            due: view.due,
            declared: view.declared,
            delayed_to: view.delayed_to,
            delay_reason: view.delay_reason,
            delay_note: view.delay_note,
            deadline: view.deadline,
        }
    }
}
