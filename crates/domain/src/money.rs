//! Money: `Decimal` amounts in a currency, rounded to its minor unit only here.

use rust_decimal::{Decimal, RoundingStrategy};

/// Currencies we settle in, with their minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Currency {
    Krw,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Self::Krw => "KRW",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "KRW" => Some(Self::Krw),
            _ => None,
        }
    }

    /// Decimal places of the minor unit (the won has none).
    pub fn minor_unit_scale(self) -> u32 {
        match self {
            Self::Krw => 0,
        }
    }

    /// Rounds half away from zero to the minor unit.
    pub fn round(self, amount: Decimal) -> Decimal {
        amount.round_dp_with_strategy(
            self.minor_unit_scale(),
            RoundingStrategy::MidpointAwayFromZero,
        )
    }

    /// `amount` counted in minor units, rounded to the unit first; `None`
    /// past the range of `i64`.
    pub fn to_minor(self, amount: Decimal) -> Option<i64> {
        use rust_decimal::prelude::ToPrimitive;
        let scaled = self.round(amount) * Decimal::from(10_i64.pow(self.minor_unit_scale()));
        scaled.to_i64()
    }

    /// An amount of `units` minor units.
    pub fn from_minor(self, units: i64) -> Decimal {
        Decimal::new(units, self.minor_unit_scale())
    }

    /// Whether `amount` is already in whole minor units.
    pub fn is_whole(self, amount: Decimal) -> bool {
        amount.normalize().scale() <= self.minor_unit_scale()
    }
}

/// The largest amount a `NUMERIC(14,2)` column holds.
pub fn column_max() -> Decimal {
    Decimal::new(99_999_999_999_999, 2)
}

/// Why an amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("must not be negative")]
    Negative,
    #[error("must be in whole units of the currency")]
    Fraction,
    #[error("is too large")]
    TooLarge,
}

/// A non-negative amount in whole minor units that fits the columns.
pub fn check_amount(currency: Currency, amount: Decimal) -> Result<Decimal, AmountError> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(AmountError::Negative);
    }
    if !currency.is_whole(amount) {
        return Err(AmountError::Fraction);
    }
    if amount > column_max() {
        return Err(AmountError::TooLarge);
    }
    Ok(amount.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn won_rounds_half_away_from_zero() {
        assert_eq!(Currency::Krw.round(Decimal::new(15, 1)), Decimal::from(2));
        assert_eq!(Currency::Krw.round(Decimal::new(-15, 1)), Decimal::from(-2));
        assert_eq!(Currency::Krw.round(Decimal::new(14, 1)), Decimal::from(1));
    }

    #[test]
    fn amounts_must_be_whole_non_negative_and_fit() {
        let krw = Currency::Krw;
        assert_eq!(
            check_amount(krw, Decimal::new(300000, 2)),
            Ok(Decimal::from(3000))
        );
        assert_eq!(
            check_amount(krw, Decimal::new(-1, 0)),
            Err(AmountError::Negative)
        );
        assert_eq!(
            check_amount(krw, Decimal::new(1005, 1)),
            Err(AmountError::Fraction)
        );
        assert_eq!(
            check_amount(krw, Decimal::from(1_000_000_000_000_i64)),
            Err(AmountError::TooLarge)
        );
    }

    proptest! {
        #[test]
        fn rounding_is_idempotent_and_within_half_a_unit(cents in -10_000_000_i64..10_000_000) {
            let amount = Decimal::new(cents, 2);
            let rounded = Currency::Krw.round(amount);
            prop_assert_eq!(Currency::Krw.round(rounded), rounded);
            prop_assert!((rounded - amount).abs() <= Decimal::new(5, 1));
            prop_assert!(Currency::Krw.is_whole(rounded));
        }
    }
}
