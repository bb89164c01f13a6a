//! The problem document (RFC 9457) every error answers with.

use app::{FieldCode, ProblemCode};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

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
    #[schema(schema_with = problem_code)]
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
    #[schema(schema_with = field_code)]
    pub code: String,
    pub message: String,
}

/// Every problem code of the registry (`app::ProblemCode`), with its status
/// and meaning, so the documents name each one.
fn problem_code() -> Object {
    let listed: Vec<String> = ProblemCode::ALL
        .iter()
        .map(|c| format!("- `{c}` ({}): {}", c.status(), c.meaning()))
        .collect();
    code_schema(
        ProblemCode::ALL.iter().map(|c| c.as_str()),
        format!("A stable code for programs:\n{}", listed.join("\n")),
        "validation_failed",
    )
}

/// Every field code of the registry (`app::FieldCode`), with its meaning.
fn field_code() -> Object {
    let listed: Vec<String> = FieldCode::ALL
        .iter()
        .map(|c| format!("- `{c}`: {}", c.meaning()))
        .collect();
    code_schema(
        FieldCode::ALL.iter().map(|c| c.as_str()),
        format!("What is wrong with the field:\n{}", listed.join("\n")),
        "out_of_range",
    )
}

fn code_schema<'a>(
    words: impl Iterator<Item = &'a str>,
    description: String,
    example: &str,
) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(words))
        .description(Some(description))
        .examples([example])
        .build()
}
