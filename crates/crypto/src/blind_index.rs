//! Normalisation for blind indexes: the same person's email or phone, however
//! typed, must produce the same index.

use crate::error::CryptoError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlindIndexKind {
    Email,
    Phone,
    /// An identity provider's connecting information (CI): one person.
    IdentityCi,
    /// `<provider>:<subject>` of a sign-in provider.
    SsoSubject,
}

impl BlindIndexKind {
    pub(crate) fn tag(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::IdentityCi => "identity-ci",
            Self::SsoSubject => "sso-subject",
        }
    }
}

/// Trimmed and lower-cased; must look like `local@domain.tld`.
pub fn normalize_email(email: &str) -> Result<String, CryptoError> {
    let normalized = email.trim().to_lowercase();
    let valid = normalized.len() <= 254
        && normalized.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && local.len() <= 64
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !normalized.chars().any(char::is_whitespace)
                && !domain.contains('@')
        });
    if valid {
        Ok(normalized)
    } else {
        Err(CryptoError::InvalidInput("email"))
    }
}

/// E.164 (`+821012345678`). Korean national numbers (`010-1234-5678`) get
/// the +82 country code; separators (space, `-`, `.`, parentheses) are dropped.
pub fn normalize_phone(phone: &str) -> Result<String, CryptoError> {
    let compact: String = phone
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let digits = if let Some(international) = compact.strip_prefix('+') {
        international.to_owned()
    } else if let Some(international) = compact.strip_prefix("00") {
        international.to_owned()
    } else if let Some(national) = compact.strip_prefix('0') {
        format!("82{national}")
    } else {
        return Err(CryptoError::InvalidInput("phone"));
    };
    let valid = (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(format!("+{digits}"))
    } else {
        Err(CryptoError::InvalidInput("phone"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_in_any_common_form_normalise_alike() {
        for typed in [
            "010-1234-5678",
            "01012345678",
            "+82 10 1234 5678",
            "+82-10-1234-5678",
            "(010) 1234.5678",
            "0082 10 1234 5678",
        ] {
            assert_eq!(normalize_phone(typed).unwrap(), "+821012345678", "{typed}");
        }
        assert_eq!(normalize_phone("+1 415 555 2671").unwrap(), "+14155552671");
        for bad in [
            "",
            "12345",
            "010-1234-abcd",
            "+0123456789",
            "+1234567890123456",
        ] {
            assert!(normalize_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_are_trimmed_lower_cased_and_checked() {
        assert_eq!(
            normalize_email("  Kim.Minji@Example.COM ").unwrap(),
            "kim.minji@example.com"
        );
        for bad in [
            "",
            "no-at-sign",
            "@example.com",
            "a@b",
            "a b@example.com",
            "a@.com",
            "a@@b.com",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}
