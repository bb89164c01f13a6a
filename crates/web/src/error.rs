//! One error type for every HTTP surface, rendered as RFC 9457 problem+json.

use std::borrow::Cow;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use api_types::kernel::problem::{FieldError, ProblemDetails};
use app::{FieldCode, ProblemCode};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The error every handler returns (boxed: handlers return it by value on
/// every path, so it stays one pointer wide).
#[derive(Debug, Clone)]
pub struct ApiError(Box<Problem>);

#[derive(Debug, Clone)]
struct Problem {
    status: StatusCode,
    retry_after_secs: Option<u64>,
    code: ProblemCode,
    title: Cow<'static, str>,
    detail: Option<String>,
    errors: Vec<FieldError>,
    extensions: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    /// A problem with `code`, answered with the status the registry gives it.
    pub fn new(code: ProblemCode, title: &'static str) -> Self {
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self::with_status(status, code, title)
    }

    /// A problem answered with another status than its code's: only where a
    /// code serves two situations (the registry's meaning says which).
    pub(crate) fn with_status(status: StatusCode, code: ProblemCode, title: &'static str) -> Self {
        Self(Box::new(Problem {
            status,
            retry_after_secs: None,
            code,
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
        code: FieldCode,
        message: impl Into<String>,
    ) -> Self {
        self.0.errors.push(FieldError {
            field: field.into(),
            code: code.as_str().to_owned(),
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
        Self::new(ProblemCode::NotFound, "Resource not found")
    }

    pub fn unavailable() -> Self {
        Self::new(
            ProblemCode::ServiceUnavailable,
            "Service temporarily unavailable",
        )
    }

    pub fn internal() -> Self {
        Self::new(ProblemCode::InternalError, "Internal server error")
    }

    /// The generic problem for a status produced outside our handlers (the
    /// status is kept even where its code is the generic `bad_request` or
    /// `internal_error`).
    pub fn from_status(status: StatusCode) -> Self {
        let (code, title) = match status.as_u16() {
            400 => (ProblemCode::BadRequest, "Bad request"),
            401 => (ProblemCode::Unauthorized, "Authentication required"),
            403 => (ProblemCode::Forbidden, "Forbidden"),
            404 => (ProblemCode::NotFound, "Resource not found"),
            405 => (ProblemCode::MethodNotAllowed, "Method not allowed"),
            406 => (ProblemCode::NotAcceptable, "Not acceptable"),
            408 => (ProblemCode::RequestTimeout, "Request timeout"),
            411 => (ProblemCode::LengthRequired, "Length required"),
            413 => (ProblemCode::PayloadTooLarge, "Request body too large"),
            414 => (ProblemCode::UriTooLong, "URI too long"),
            415 => (ProblemCode::UnsupportedMediaType, "Unsupported media type"),
            421 => (ProblemCode::MisdirectedRequest, "Host not served here"),
            429 => (ProblemCode::TooManyRequests, "Too many requests"),
            431 => (ProblemCode::HeadersTooLarge, "Request headers too large"),
            503 => (
                ProblemCode::ServiceUnavailable,
                "Service temporarily unavailable",
            ),
            s if s >= 500 => (ProblemCode::InternalError, "Internal server error"),
            _ => (ProblemCode::BadRequest, "Bad request"),
        };
        Self::with_status(status, code, title)
    }

    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    pub fn code(&self) -> &'static str {
        self.0.code.as_str()
    }

    pub fn problem(&self) -> ProblemDetails {
        ProblemDetails {
            problem_type: format!("urn:problem:{}", self.0.code),
            title: self.0.title.to_string(),
            status: self.0.status.as_u16(),
            code: self.0.code.as_str().to_owned(),
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
            } => Self::new(ProblemCode::ValidationFailed, "Request body is invalid")
                .with_field(field, code, message),
            AppError::Unauthorized { code } => Self::new(code, "Authentication failed"),
            AppError::Forbidden { code } => Self::new(code, "Forbidden"),
            AppError::PermissionDenied { permission } => {
                Self::new(ProblemCode::PermissionDenied, "Forbidden")
                    .with_detail(format!("this needs the `{permission}` permission"))
                    .with_extension("permission", serde_json::Value::String(permission))
            }
            AppError::AccessBeyondOwn { permission } => {
                Self::new(ProblemCode::AccessBeyondOwn, "Forbidden")
                    .with_detail(format!(
                        "only someone holding `{permission}` may grant, take away or act on it"
                    ))
                    .with_extension("permission", serde_json::Value::String(permission))
            }
            AppError::TooManyRequests {
                code,
                retry_after_secs,
            } => Self::new(code, "Too many requests").with_retry_after(retry_after_secs),
            AppError::PreconditionFailed => Self::new(
                ProblemCode::PreconditionFailed,
                "The resource changed since it was read",
            )
            .with_detail("read it again (GET) and retry with the new ETag in If-Match"),
            AppError::NotFound { resource } => {
                Self::not_found().with_detail(format!("{resource} not found"))
            }
            AppError::Conflict { code, message } => {
                Self::new(code, "Conflict").with_detail(message)
            }
            AppError::ConflictDetails {
                code,
                message,
                name,
                details,
            } => Self::new(code, "Conflict")
                .with_detail(message)
                .with_extension(name, details),
            AppError::PaymentDeclined {
                provider_code,
                message,
            } => Self::new(ProblemCode::PaymentDeclined, "Payment declined")
                .with_detail(message)
                .with_extension("provider_code", serde_json::Value::String(provider_code)),
            AppError::Unavailable(reason) => {
                tracing::warn!(%reason, "dependency unavailable");
                Self::unavailable()
            }
            AppError::Internal(cause) => {
                // Logged once here, with every cause; the body stays opaque.
                tracing::error!(reason = %cause_chain(cause.as_ref()), "internal error");
                Self::internal()
            }
        }
    }
}

/// An error and each of its causes, outermost first (`a: b: c`).
pub fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_rfc9457_members_and_omits_empty_ones() {
        let problem = ApiError::new(ProblemCode::ValidationFailed, "Invalid")
            .with_field("email", FieldCode::InvalidFormat, "not an email")
            .problem();
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["type"], "urn:problem:validation_failed");
        assert_eq!(json["status"], 422);
        assert_eq!(json["errors"][0]["field"], "email");
        assert!(json.get("detail").is_none());
    }

    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("reading the settlement file")
        }
    }

    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    /// Collects what the fmt layer writes.
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_cause_chain_names_every_cause_outermost_first() {
        let error = app::AppError::internal(Outer(std::io::Error::other("disk quota exceeded")));
        assert_eq!(
            cause_chain(&error),
            "internal error: reading the settlement file: disk quota exceeded"
        );
    }

    #[test]
    fn an_internal_error_is_logged_with_its_causes() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let error = tracing::subscriber::with_default(subscriber, || {
            ApiError::from(app::AppError::internal(Outer(std::io::Error::other(
                "disk quota exceeded",
            ))))
        });
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(
            log.contains("reading the settlement file: disk quota exceeded"),
            "{log}"
        );
    }

    #[test]
    fn internal_errors_never_leak_their_cause() {
        let error = ApiError::from(app::AppError::internal("password=hunter2"));
        let body = serde_json::to_string(&error.problem()).unwrap();
        assert!(!body.contains("hunter2"));
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
