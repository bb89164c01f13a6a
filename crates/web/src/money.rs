//! Amounts in answers: stored with two decimals, shown in the currency's
//! minor unit (`"12000"`, never `"12000.00"`).

use rust_decimal::Decimal;

/// A KRW amount in whole won.
pub fn won(amount: Decimal) -> Decimal {
    domain::money::Currency::Krw.round(amount)
}
