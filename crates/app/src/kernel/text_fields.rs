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

/// A bank account number: 8 to 20 digits, dashes and spaces dropped.
pub(crate) fn bank_account_number(field: &'static str, value: &str) -> Result<String, AppError> {
    let digits: String = value.chars().filter(|c| *c != '-' && *c != ' ').collect();
    if !(8..=20).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid(
            field,
            FieldCode::InvalidFormat,
            "8 to 20 digits (dashes allowed)",
        ));
    }
    Ok(digits)
}
