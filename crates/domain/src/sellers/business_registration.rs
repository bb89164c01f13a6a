//! Korean business registration numbers (사업자등록번호): ten digits, the last a
//! check digit over the first nine.

/// A well-formed registration number, as ten digits without dashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessRegistrationNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BusinessRegistrationError {
    #[error("must be 10 digits (dashes allowed)")]
    Format,
    #[error("the check digit does not match")]
    CheckDigit,
}

const WEIGHTS: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];

impl BusinessRegistrationNumber {
    /// Accepts `1234567890` or `123-45-67890`.
    pub fn parse(input: &str) -> Result<Self, BusinessRegistrationError> {
        let trimmed = input.trim();
        let digits: String = trimmed.chars().filter(|c| *c != '-').collect();
        let dashed_ok = !trimmed.contains('-')
            || (trimmed.len() == 12
                && trimmed.as_bytes()[3] == b'-'
                && trimmed.as_bytes()[6] == b'-');
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) || !dashed_ok {
            return Err(BusinessRegistrationError::Format);
        }
        let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        if values[9] != check_digit(&values[..9]) {
            return Err(BusinessRegistrationError::CheckDigit);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The National Tax Service's check digit over the first nine digits.
fn check_digit(first_nine: &[u32]) -> u32 {
    let weighted: u32 = first_nine.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    let sum = weighted + first_nine[8] * 5 / 10;
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_valid_numbers_with_or_without_dashes() {
        // Published example numbers with valid check digits.
        for valid in ["2208162517", "220-81-62517", "1248100998", "1078155843"] {
            assert!(BusinessRegistrationNumber::parse(valid).is_ok(), "{valid}");
        }
        assert_eq!(
            BusinessRegistrationNumber::parse("220-81-62517").map(|n| n.0),
            Ok("2208162517".to_owned())
        );
    }

    #[test]
    fn refuses_a_wrong_check_digit_and_bad_formats() {
        assert_eq!(
            BusinessRegistrationNumber::parse("2208162518"),
            Err(BusinessRegistrationError::CheckDigit)
        );
        for bad in ["", "220816251", "22081625170", "22-081-62517", "220816251a"] {
            assert_eq!(
                BusinessRegistrationNumber::parse(bad),
                Err(BusinessRegistrationError::Format),
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn exactly_one_check_digit_fits_any_nine_digits(first in proptest::collection::vec(0u32..10, 9)) {
            let prefix: String = first.iter().map(|d| char::from(b'0' + *d as u8)).collect();
            let accepted: Vec<u32> = (0..10)
                .filter(|d| BusinessRegistrationNumber::parse(&format!("{prefix}{d}")).is_ok())
                .collect();
            prop_assert_eq!(accepted.len(), 1);
        }
    }
}
