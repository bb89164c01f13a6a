//! Extractor configuration: framework rejections become problems that name
//! what was wrong.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{HttpRequest, web};

use crate::ApiError;
use app::FieldCode;
use app::ProblemCode;

pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|error, _req: &HttpRequest| json_problem(error).into())
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _req| query_problem(error).into())
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, _req| path_problem(error).into())
}

fn json_problem(error: JsonPayloadError) -> ApiError {
    match error {
        JsonPayloadError::ContentType => {
            ApiError::new(ProblemCode::UnsupportedMediaType, "Unsupported media type")
                .with_detail("the body must be JSON with Content-Type: application/json")
        }
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            ApiError::new(ProblemCode::PayloadTooLarge, "Request body too large")
                .with_detail(format!("the body may be at most {limit} bytes"))
        }
        JsonPayloadError::Deserialize(error) if error.is_data() => {
            let message = error.to_string();
            let problem = ApiError::new(ProblemCode::ValidationFailed, "Request body is invalid");
            match field_named_in(&message) {
                Some(field) => problem.with_field(field, FieldCode::Invalid, message),
                None => problem.with_detail(message),
            }
        }
        JsonPayloadError::Deserialize(error) => {
            ApiError::new(ProblemCode::MalformedJson, "Malformed JSON")
                .with_detail(error.to_string())
        }
        other => ApiError::new(ProblemCode::InvalidBody, "Request body could not be read")
            .with_detail(other.to_string()),
    }
}

/// serde names the field in its messages (``missing field `email` ``,
/// ``unknown field `x` ``); the problem carries it as the field at fault.
fn field_named_in(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let length = message[start..].find('`')?;
    let field = &message[start..start + length];
    let is_field = message.contains("field") && !field.is_empty();
    is_field.then(|| field.to_owned())
}

fn query_problem(error: QueryPayloadError) -> ApiError {
    let message = error.to_string();
    let problem = ApiError::new(ProblemCode::InvalidQuery, "Query string is invalid");
    match field_named_in(&message) {
        Some(field) => problem.with_field(field, FieldCode::Invalid, message),
        None => problem.with_detail(message),
    }
}

fn path_problem(error: PathError) -> ApiError {
    ApiError::new(ProblemCode::NotFound, "Resource not found")
        .with_detail(format!("path parameter is invalid: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_field_serde_names() {
        assert_eq!(
            field_named_in("missing field `email` at line 1 column 2").as_deref(),
            Some("email")
        );
        assert_eq!(
            field_named_in("invalid type: string \"x\", expected u32"),
            None
        );
    }
}
