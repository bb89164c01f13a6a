//! Free-text fields of requests: trimmed, bounded in characters.

use crate::AppError;
use crate::kernel::FieldCode;

/// A required text of 1 to `max` characters after trimming.
pub(crate) fn required(field: &'static str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(AppError::invalid(
            field,
            FieldCode::InvalidLength,
            format!("between 1 and {max} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// A text of at most `max` characters after trimming (empty allowed).
pub(crate) fn optional(field: &'static str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(AppError::invalid(
            field,
            FieldCode::InvalidLength,
            format!("at most {max} characters"),
        ));
    }
    Ok(value.to_owned())
}
