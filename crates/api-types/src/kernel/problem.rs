//! The problem document (RFC 9457) every error answers with.

use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem document. `code` is stable and meant for programs;
/// `title` and `detail` are for people and may change.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemDetails {
    /// `urn:problem:<code>`.
    #[serde(rename = "type")]
    #[schema(example = "urn:problem:validation_failed")]
    pub problem_type: String,
    #[schema(example = "Request body is invalid")]
    pub title: String,
    #[schema(example = 422)]
    pub status: u16,
    #[schema(example = "validation_failed")]
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The fields at fault, when the problem is about the request's content.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Problem-specific members (for example readiness `checks`).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

/// One invalid field: its JSON path (`items[0].quantity`), a stable code and a message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    #[schema(example = "quantity")]
    pub field: String,
    #[schema(example = "out_of_range")]
    pub code: String,
    pub message: String,
}
