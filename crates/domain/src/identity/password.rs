//! The password policy (NIST SP 800-63B style): length over composition rules,
//! a screen against common passwords and the account's own email, long
//! passphrases welcome, and never a forced periodic change.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Deserialize;

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .collect()
});

/// Configurable thresholds (`[auth.password_policy]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct PasswordPolicy {
    /// A password this long needs `min_classes` character classes...
    pub min_length: usize,
    pub min_classes: usize,
    /// ...or one this long needs `short_min_classes`.
    pub short_min_length: usize,
    pub short_min_classes: usize,
    /// Upper bound, only to cap hashing work; passphrases fit comfortably.
    pub max_length: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 10,
            min_classes: 2,
            short_min_length: 8,
            short_min_classes: 3,
            max_length: 128,
        }
    }
}

/// Why a password was refused; `code()` is the stable API code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRejection {
    #[error(
        "use at least {min_length} characters of {min_classes} kinds (or {short_min_length} of {short_min_classes} kinds)"
    )]
    TooWeak {
        min_length: usize,
        min_classes: usize,
        short_min_length: usize,
        short_min_classes: usize,
    },
    #[error("use at most {max_length} characters")]
    TooLong { max_length: usize },
    #[error("this password is too common")]
    Common,
    #[error("the password must not contain your email address")]
    ContainsEmail,
}

impl PasswordRejection {
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooWeak { .. } => "password_too_weak",
            Self::TooLong { .. } => "password_too_long",
            Self::Common => "password_too_common",
            Self::ContainsEmail => "password_contains_email",
        }
    }
}

/// Lower case, upper case, digits, everything else.
fn character_classes(password: &str) -> usize {
    let lower = password.chars().any(char::is_lowercase);
    let upper = password.chars().any(char::is_uppercase);
    let digit = password.chars().any(|c| c.is_ascii_digit());
    let other = password.chars().any(|c| !c.is_alphanumeric());
    [lower, upper, digit, other]
        .into_iter()
        .filter(|present| *present)
        .count()
}

impl PasswordPolicy {
    /// Checks `password` for the account with `email`.
    pub fn check(&self, password: &str, email: &str) -> Result<(), PasswordRejection> {
        let length = password.chars().count();
        if length > self.max_length {
            return Err(PasswordRejection::TooLong {
                max_length: self.max_length,
            });
        }
        let classes = character_classes(password);
        let strong_enough = (length >= self.min_length && classes >= self.min_classes)
            || (length >= self.short_min_length && classes >= self.short_min_classes);
        if !strong_enough {
            return Err(PasswordRejection::TooWeak {
                min_length: self.min_length,
                min_classes: self.min_classes,
                short_min_length: self.short_min_length,
                short_min_classes: self.short_min_classes,
            });
        }
        let lowered = password.to_lowercase();
        if COMMON_PASSWORDS.contains(lowered.as_str()) {
            return Err(PasswordRejection::Common);
        }
        let local_part = email
            .split('@')
            .next()
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        if local_part.chars().count() >= 3 && lowered.contains(&local_part) {
            return Err(PasswordRejection::ContainsEmail);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EMAIL: &str = "minji.kim@example.com";

    fn check(password: &str) -> Result<(), PasswordRejection> {
        PasswordPolicy::default().check(password, EMAIL)
    }

    #[test]
    fn accepts_long_or_varied_passwords() {
        assert_eq!(check("autumn leaves 7"), Ok(()));
        assert_eq!(check("Tr0ub4d&r"), Ok(()), "8+ characters of three kinds");
        assert_eq!(
            check("correct horse battery staple"),
            Ok(()),
            "a passphrase of two kinds"
        );
        assert_eq!(
            check(&"가나다라마바사아자차 1".repeat(3)),
            Ok(()),
            "non-ASCII letters count"
        );
        assert_eq!(check(&"a1".repeat(64)), Ok(()), "128 characters");
    }

    #[test]
    fn refuses_short_or_uniform_passwords() {
        let weak = |p: &str| check(p).map_err(|e| e.code());
        assert_eq!(
            weak("zqxvbnmwtr"),
            Err("password_too_weak"),
            "10 characters of one kind"
        );
        assert_eq!(
            weak("zqxvbn47"),
            Err("password_too_weak"),
            "8 characters of two kinds"
        );
        assert_eq!(
            weak("Zq4!x"),
            Err("password_too_weak"),
            "5 characters of four kinds"
        );
        assert_eq!(weak("zqxvbn4!W"), Ok(()), "9 characters of three kinds");
        assert_eq!(weak("zqxvbnmw47"), Ok(()), "10 characters of two kinds");
    }

    #[test]
    fn refuses_common_passwords_whatever_their_case() {
        for common in [
            "password123",
            "Password123",
            "1q2w3e4r5t",
            "qwertyuiop1",
            "iloveyou12",
        ] {
            assert_eq!(check(common), Err(PasswordRejection::Common), "{common}");
        }
    }

    #[test]
    fn refuses_the_email_local_part() {
        assert_eq!(
            check("Minji.Kim-2026!"),
            Err(PasswordRejection::ContainsEmail)
        );
    }

    #[test]
    fn refuses_overlong_input_before_any_other_work() {
        assert_eq!(
            check(&"a1".repeat(65)).unwrap_err().code(),
            "password_too_long"
        );
    }

    #[test]
    fn bundled_list_is_loaded() {
        assert!(COMMON_PASSWORDS.len() > 40_000);
    }

    proptest! {
        /// Anything accepted meets one of the two length/class rules.
        #[test]
        fn accepted_passwords_meet_a_length_and_class_rule(password in "\\PC{0,40}") {
            if check(&password).is_ok() {
                let length = password.chars().count();
                let classes = character_classes(&password);
                prop_assert!((length >= 10 && classes >= 2) || (length >= 8 && classes >= 3));
            }
        }
    }
}
