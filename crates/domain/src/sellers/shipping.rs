//! A vendor's shipping policy and the fee it charges for one shipment.

use rust_decimal::Decimal;

use crate::money::{AmountError, Currency, check_amount};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingPolicy {
    pub base_fee: Decimal,
    /// Shipping is free from this order amount on; `None`: never free.
    pub free_shipping_threshold: Option<Decimal>,
    pub remote_area_surcharge: Decimal,
    pub return_fee: Decimal,
}

/// Which amount of a policy was refused, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippingPolicyError {
    pub field: &'static str,
    pub error: AmountError,
}

impl ShippingPolicy {
    /// Every amount whole, non-negative and in range; a threshold above zero.
    pub fn checked(self, currency: Currency) -> Result<Self, ShippingPolicyError> {
        let check = |field: &'static str, amount: Decimal| {
            check_amount(currency, amount).map_err(|error| ShippingPolicyError { field, error })
        };
        let threshold = match self.free_shipping_threshold {
            Some(t) if t.is_zero() => {
                return Err(ShippingPolicyError {
                    field: "free_shipping_threshold",
                    error: AmountError::Negative,
                });
            }
            Some(t) => Some(check("free_shipping_threshold", t)?),
            None => None,
        };
        Ok(Self {
            base_fee: check("base_fee", self.base_fee)?,
            free_shipping_threshold: threshold,
            remote_area_surcharge: check("remote_area_surcharge", self.remote_area_surcharge)?,
            return_fee: check("return_fee", self.return_fee)?,
        })
    }

    /// The fee for one shipment of goods worth `items_amount`.
    pub fn fee(&self, items_amount: Decimal, remote_area: bool) -> Decimal {
        let base = match self.free_shipping_threshold {
            Some(threshold) if items_amount >= threshold => Decimal::ZERO,
            _ => self.base_fee,
        };
        if remote_area {
            base + self.remote_area_surcharge
        } else {
            base
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ShippingPolicy {
        ShippingPolicy {
            base_fee: Decimal::from(3000),
            free_shipping_threshold: Some(Decimal::from(50000)),
            remote_area_surcharge: Decimal::from(5000),
            return_fee: Decimal::from(6000),
        }
    }

    #[test]
    fn free_from_the_threshold_but_remote_areas_still_pay_the_surcharge() {
        let p = policy();
        assert_eq!(p.fee(Decimal::from(49999), false), Decimal::from(3000));
        assert_eq!(p.fee(Decimal::from(50000), false), Decimal::ZERO);
        assert_eq!(p.fee(Decimal::from(50000), true), Decimal::from(5000));
        assert_eq!(p.fee(Decimal::from(100), true), Decimal::from(8000));
    }

    #[test]
    fn amounts_are_checked_field_by_field() {
        let mut p = policy();
        p.return_fee = Decimal::new(-1, 0);
        assert_eq!(
            p.checked(Currency::Krw).map_err(|e| e.field),
            Err("return_fee")
        );
        let mut p = policy();
        p.free_shipping_threshold = Some(Decimal::ZERO);
        assert_eq!(
            p.checked(Currency::Krw).map_err(|e| e.field),
            Err("free_shipping_threshold")
        );
        assert!(policy().checked(Currency::Krw).is_ok());
    }
}
