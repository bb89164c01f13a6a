//! A seller's application and its documents.

use crate::sellers::views::{ApplicationView, ShippingPolicyBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRequest {
    #[schema(example = "Seoul Denim Works Co., Ltd.")]
    pub company_name: String,
    /// Ten digits, dashes allowed; the check digit is verified.
    #[schema(example = "220-81-62517")]
    pub business_registration_no: String,
    #[schema(example = "Kim Minji")]
    pub representative_name: String,
    #[schema(example = "cs@seoul-denim.example")]
    pub contact_email: String,
    #[schema(example = "010-1234-5678")]
    pub contact_phone: String,
    /// The bank's three-digit code.
    #[schema(example = "004")]
    pub settlement_bank_code: String,
    #[schema(example = "123456-01-234567")]
    pub settlement_account_number: String,
    #[schema(example = "Seoul Denim Works")]
    pub settlement_account_holder: String,
    pub shipping_policy: ShippingPolicyBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationCreated {
    pub application_id: Uuid,
    #[schema(example = "submitted")]
    pub status: super::vocabulary::ApplicationStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationList {
    pub items: Vec<ApplicationView>,
}

/// The form of a document upload.
#[derive(Debug, ToSchema)]
pub struct DocumentUpload {
    /// `business_registration`, `bankbook`, `representative_id` or `mail_order_report`.
    #[schema(value_type = super::vocabulary::DocumentType, example = "business_registration")]
    pub document_type: String,
    /// A PDF, JPEG or PNG file of at most 10 MB (recognised by its bytes).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}
