//! One error type for every HTTP surface, rendered as RFC 9457 problem+json.

use std::borrow::Cow;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use api_types::kernel::problem::{FieldError, ProblemDetails};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The error every handler returns (boxed: handlers return it by value on
/// every path, so it stays one pointer wide).
#[derive(Debug, Clone)]
pub struct ApiError(Box<Problem>);

#[derive(Debug, Clone)]
struct Problem {
    status: StatusCode,
    retry_after_secs: Option<u64>,
    code: Cow<'static, str>,
    title: Cow<'static, str>,
    detail: Option<String>,
    errors: Vec<FieldError>,
    extensions: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, title: &'static str) -> Self {
        Self(Box::new(Problem {
            status,
            retry_after_secs: None,
            code: Cow::Borrowed(code),
            title: Cow::Borrowed(title),
            detail: None,
            errors: Vec::new(),
            extensions: serde_json::Map::new(),
        }))
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.0.detail = Some(detail.into());
        self
    }

    pub fn with_field(
        mut self,
        field: impl Into<String>,
        code: &str,
        message: impl Into<String>,
    ) -> Self {
        self.0.errors.push(FieldError {
            field: field.into(),
            code: code.to_owned(),
            message: message.into(),
        });
        self
    }

    /// Sent as `Retry-After` (429, 503).
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.0.retry_after_secs = Some(seconds);
        self
    }

    pub fn with_extension(mut self, name: &str, value: serde_json::Value) -> Self {
        self.0.extensions.insert(name.to_owned(), value);
        self
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Resource not found")
    }

    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "Service temporarily unavailable",
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Internal server error",
        )
    }

    /// The generic problem for a status produced outside our handlers.
    pub fn from_status(status: StatusCode) -> Self {
        let (code, title) = match status.as_u16() {
            400 => ("bad_request", "Bad request"),
            401 => ("unauthorized", "Authentication required"),
            403 => ("forbidden", "Forbidden"),
            404 => ("not_found", "Resource not found"),
            405 => ("method_not_allowed", "Method not allowed"),
            406 => ("not_acceptable", "Not acceptable"),
            408 => ("request_timeout", "Request timeout"),
            411 => ("length_required", "Length required"),
            413 => ("payload_too_large", "Request body too large"),
            414 => ("uri_too_long", "URI too long"),
            415 => ("unsupported_media_type", "Unsupported media type"),
            421 => ("misdirected_request", "Host not served here"),
            429 => ("too_many_requests", "Too many requests"),
            431 => ("headers_too_large", "Request headers too large"),
            503 => ("service_unavailable", "Service temporarily unavailable"),
            s if s >= 500 => ("internal_error", "Internal server error"),
            _ => ("bad_request", "Bad request"),
        };
        Self::new(status, code, title)
    }

    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    pub fn code(&self) -> &str {
        &self.0.code
    }

    pub fn problem(&self) -> ProblemDetails {
        ProblemDetails {
            problem_type: format!("urn:problem:{}", self.0.code),
            title: self.0.title.to_string(),
            status: self.0.status.as_u16(),
            code: self.0.code.to_string(),
            detail: self.0.detail.clone(),
            errors: self.0.errors.clone(),
            extensions: self.0.extensions.clone(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0.status.as_u16(), self.0.code)?;
        if let Some(detail) = &self.0.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status
    }

    fn error_response(&self) -> HttpResponse {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = HttpResponse::build(self.0.status);
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let Some(seconds) = self.0.retry_after_secs {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if self.0.status == StatusCode::UNAUTHORIZED {
            // RFC 9110 §15.5.2: a 401 names the scheme that would succeed.
            response.insert_header((
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"marketplace\""),
            ));
        }
        response.body(body)
    }
}

impl From<app::AppError> for ApiError {
    fn from(error: app::AppError) -> Self {
        use app::AppError;
        match error {
            AppError::Invalid {
                field,
                code,
                message,
            } => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "Request body is invalid",
            )
            .with_field(field, code, message),
            AppError::Unauthorized { code } => {
                Self::new(StatusCode::UNAUTHORIZED, code, "Authentication failed")
            }
            AppError::Forbidden { code } => Self::new(StatusCode::FORBIDDEN, code, "Forbidden"),
            AppError::PermissionDenied { permission } => {
                Self::new(StatusCode::FORBIDDEN, "permission_denied", "Forbidden")
                    .with_detail(format!("this needs the `{permission}` permission"))
                    .with_extension("permission", serde_json::Value::String(permission))
            }
            AppError::TooManyRequests {
                code,
                retry_after_secs,
            } => Self::new(StatusCode::TOO_MANY_REQUESTS, code, "Too many requests")
                .with_retry_after(retry_after_secs),
            AppError::PreconditionFailed => Self::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                "The resource changed since it was read",
            )
            .with_detail("read it again (GET) and retry with the new ETag in If-Match"),
            AppError::NotFound { resource } => {
                Self::not_found().with_detail(format!("{resource} not found"))
            }
            AppError::Conflict { code, message } => {
                Self::new(StatusCode::CONFLICT, code, "Conflict").with_detail(message)
            }
            AppError::ConflictDetails {
                code,
                message,
                name,
                details,
            } => Self::new(StatusCode::CONFLICT, code, "Conflict")
                .with_detail(message)
                .with_extension(name, details),
            AppError::PaymentDeclined {
                provider_code,
                message,
            } => Self::new(
                StatusCode::PAYMENT_REQUIRED,
                "payment_declined",
                "Payment declined",
            )
            .with_detail(message)
            .with_extension("provider_code", serde_json::Value::String(provider_code)),
            AppError::Unavailable(reason) => {
                tracing::warn!(%reason, "dependency unavailable");
                Self::unavailable()
            }
            AppError::Internal(reason) => {
                // Logged once here; the body stays opaque.
                tracing::error!(%reason, "internal error");
                Self::internal()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_rfc9457_members_and_omits_empty_ones() {
        let problem = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "Invalid",
        )
        .with_field("email", "invalid_format", "not an email")
        .problem();
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["type"], "urn:problem:validation_failed");
        assert_eq!(json["status"], 422);
        assert_eq!(json["errors"][0]["field"], "email");
        assert!(json.get("detail").is_none());
    }

    #[test]
    fn internal_errors_never_leak_their_cause() {
        let error = ApiError::from(app::AppError::Internal("password=hunter2".into()));
        let body = serde_json::to_string(&error.problem()).unwrap();
        assert!(!body.contains("hunter2"));
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
