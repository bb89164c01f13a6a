//! Sellers, their applications and documents as every API shows them.

use app::sellers::applications::{ApplicationEventRow, ApplicationRow};
use app::sellers::documents::DocumentRow;
use app::sellers::documents::DownloadUrl;
use app::sellers::profile::{BusinessProfileRow, SellerRow};
use chrono::{DateTime, Utc};
use domain::sellers::shipping::ShippingPolicy;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Amounts are decimal strings in the vendor's currency (KRW: whole won).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingPolicyBody {
    #[schema(value_type = String, example = "3000")]
    pub base_fee: Decimal,
    /// Shipping is free from this order amount on; omitted or null: never.
    #[schema(value_type = Option<String>, example = "50000")]
    #[serde(default)]
    pub free_shipping_threshold: Option<Decimal>,
    #[schema(value_type = String, example = "3000")]
    pub remote_area_surcharge: Decimal,
    #[schema(value_type = String, example = "6000")]
    pub return_fee: Decimal,
}

impl From<ShippingPolicy> for ShippingPolicyBody {
    fn from(policy: ShippingPolicy) -> Self {
        Self {
            base_fee: policy.base_fee,
            free_shipping_threshold: policy.free_shipping_threshold,
            remote_area_surcharge: policy.remote_area_surcharge,
            return_fee: policy.return_fee,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: Uuid,
    pub seller_id: Uuid,
    /// `submitted`, `documents_requested`, `approved` or `rejected`.
    #[schema(value_type = super::vocabulary::ApplicationStatus, example = "submitted")]
    pub status: String,
    /// The reviewer's reason or request, for the vendor.
    pub review_note: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ApplicationRow> for ApplicationView {
    fn from(row: ApplicationRow) -> Self {
        Self {
            id: row.id,
            seller_id: row.seller_id,
            status: row.status,
            review_note: row.review_note,
            reviewed_at: row.reviewed_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationEvent {
    #[schema(value_type = super::vocabulary::ApplicationStatus, example = "documents_requested")]
    pub status: String,
    pub note: Option<String>,
    pub actor_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

impl From<ApplicationEventRow> for ApplicationEvent {
    fn from(row: ApplicationEventRow) -> Self {
        Self {
            status: row.status,
            note: row.note,
            actor_id: row.actor_id,
            at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: Uuid,
    pub application_id: Uuid,
    #[schema(value_type = super::vocabulary::DocumentType, example = "business_registration")]
    pub document_type: String,
    #[schema(example = "application/pdf")]
    pub content_type: String,
    pub size_bytes: i32,
    pub uploaded_at: DateTime<Utc>,
}

impl From<DocumentRow> for DocumentView {
    fn from(row: DocumentRow) -> Self {
        Self {
            id: row.id,
            application_id: row.application_id,
            document_type: row.document_type,
            content_type: row.content_type,
            size_bytes: row.size_bytes,
            uploaded_at: row.created_at,
        }
    }
}

/// An application, its history (oldest first) and its documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDetailView {
    #[serde(flatten)]
    pub application: ApplicationView,
    pub history: Vec<ApplicationEvent>,
    pub documents: Vec<DocumentView>,
}

impl From<app::sellers::applications::ApplicationDetail> for ApplicationDetailView {
    fn from(detail: app::sellers::applications::ApplicationDetail) -> Self {
        Self {
            application: detail.application.into(),
            history: detail.history.into_iter().map(Into::into).collect(),
            documents: detail.documents.into_iter().map(Into::into).collect(),
        }
    }
}

/// A pre-signed GET URL of the object store.
#[derive(Debug, Serialize, ToSchema)]
pub struct DownloadUrlView {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

impl From<DownloadUrl> for DownloadUrlView {
    fn from(url: DownloadUrl) -> Self {
        Self {
            url: url.url,
            expires_at: url.expires_at,
        }
    }
}

/// The business as reviewed; the settlement account shows its last digits only.
#[derive(Debug, Serialize, ToSchema)]
pub struct BusinessView {
    pub company_name: String,
    #[schema(example = "2208162517")]
    pub business_registration_no: String,
    pub representative_name: String,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    #[schema(example = "004")]
    pub settlement_bank_code: String,
    #[schema(example = "****4567")]
    pub settlement_account_number: String,
    pub settlement_account_holder: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SellerView {
    pub id: Uuid,
    pub name: String,
    /// `applying`, `approved`, `rejected`, `suspended` or `closed`.
    #[schema(value_type = super::vocabulary::SellerStatus, example = "approved")]
    pub status: String,
    #[schema(example = "KRW")]
    pub currency: String,
    pub shipping_policy: ShippingPolicyBody,
    /// Absent until the vendor applies.
    pub business: Option<BusinessView>,
    pub approved_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl SellerView {
    pub fn new(row: SellerRow, business: Option<BusinessProfileRow>) -> Self {
        Self {
            shipping_policy: app::sellers::profile::policy_of(&row).into(),
            id: row.id,
            name: row.name,
            status: row.status,
            currency: row.currency,
            business: business.map(|b| BusinessView {
                company_name: b.company_name,
                business_registration_no: b.business_registration_no,
                representative_name: b.representative_name,
                contact_email: b.contact_email.value().map(str::to_owned),
                contact_phone: b.contact_phone.value().map(str::to_owned),
                settlement_bank_code: b.settlement_bank_code,
                settlement_account_number: app::sellers::profile::masked_account(
                    b.settlement_account_number.value(),
                ),
                settlement_account_holder: b.settlement_account_holder.value().map(str::to_owned),
            }),
            approved_at: row.approved_at,
            version: row.version,
        }
    }
}

impl From<ShippingPolicyBody> for ShippingPolicy {
    fn from(body: ShippingPolicyBody) -> Self {
        Self {
            base_fee: body.base_fee,
            free_shipping_threshold: body.free_shipping_threshold,
            remote_area_surcharge: body.remote_area_surcharge,
            return_fee: body.return_fee,
        }
    }
}
