use persistence::StoreError;

use super::error_codes::{FieldCode, ProblemCode};

/// A use case's failure, in terms the HTTP layer maps to problem codes.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request's content breaks a rule; names the field at fault.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        code: FieldCode,
        message: String,
    },
    /// Not authenticated (bad credentials, token or refresh token).
    #[error("unauthorized: {code}")]
    Unauthorized { code: ProblemCode },
    /// Authenticated but not allowed.
    #[error("forbidden: {code}")]
    Forbidden { code: ProblemCode },
    /// A staff member whose role does not grant `permission`.
    #[error("permission denied: {permission}")]
    PermissionDenied { permission: String },
    /// A change of access that involves `permission`, which the caller
    /// does not hold.
    #[error("access beyond the caller's own: {permission}")]
    AccessBeyondOwn { permission: String },
    /// Too many attempts; allowed again after `retry_after_secs`.
    #[error("too many requests: {code}")]
    TooManyRequests {
        code: ProblemCode,
        retry_after_secs: u64,
    },
    /// The resource changed since the client read it (`If-Match` mismatch).
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("{resource} not found")]
    NotFound { resource: &'static str },
    /// The request clashes with the current state; `code` is the stable problem code.
    #[error("{message}")]
    Conflict { code: ProblemCode, message: String },
    /// A conflict whose problem carries the details the client needs
    /// (`name` is the problem member that holds them).
    #[error("{message}")]
    ConflictDetails {
        code: ProblemCode,
        message: String,
        name: &'static str,
        details: serde_json::Value,
    },
    /// The payment provider refused the payment; nothing was charged.
    #[error("payment declined: {provider_code}")]
    PaymentDeclined {
        provider_code: String,
        message: String,
    },
    /// A store or provider is unreachable; retrying later may succeed.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A failure no caller can act on; the cause (with its own causes) is
    /// kept for the log, never shown.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// An internal error caused by `cause` (an error, or a message).
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(cause.into())
    }

    pub fn invalid(field: &'static str, code: FieldCode, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            code,
            message: message.into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(reason) => Self::Unavailable(reason),
            StoreError::NotFound => Self::NotFound {
                resource: "resource",
            },
            StoreError::Conflict(constraint) => Self::Conflict {
                code: ProblemCode::Conflict,
                message: format!("conflicts with an existing record ({constraint})"),
            },
            StoreError::Objects(reason) => Self::Unavailable(reason),
            StoreError::MissingReference(constraint) => {
                Self::internal(format!("missing reference {constraint}"))
            }
            StoreError::Check(constraint) => {
                Self::internal(format!("check {constraint} refused the change"))
            }
            other @ (StoreError::Query(_) | StoreError::Redis(_)) => Self::internal(other),
        }
    }
}

/// Lets use cases return `AppError` from a transaction body.
impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        StoreError::from(error).into()
    }
}
