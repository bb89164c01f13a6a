//! Coupon rules: what a coupon takes off, on what, when, and who pays for it.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::money::{AmountError, Currency, check_amount};

/// What a coupon takes off the eligible amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Benefit {
    /// A fixed amount, never more than the eligible amount.
    Fixed(Decimal),
    /// A percentage (rounded down to the minor unit), capped when `max` is set.
    Percent {
        percent: Decimal,
        max: Option<Decimal>,
    },
}

/// Which items a coupon applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Items in these categories or any of their subcategories.
    Categories(Vec<i64>),
    Sellers(Vec<Uuid>),
    Products(Vec<Uuid>),
}

/// Who bears the discount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Funding {
    /// A vendor's own coupon: only its items, all at its cost.
    Seller(Uuid),
    /// A platform coupon; `seller_share_percent` of the discount is charged
    /// to the vendors whose items took it (0: fully platform-funded).
    Platform { seller_share_percent: Decimal },
}

/// A coupon as the pricing engine sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    pub id: Uuid,
    pub benefit: Benefit,
    /// The eligible amount must reach this for the coupon to apply.
    pub min_purchase: Decimal,
    pub scope: Scope,
    /// Never discounted, whatever the scope says.
    pub excluded_products: Vec<Uuid>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub funding: Funding,
    /// Platform coupons only: whether vendors' coupons may be used in the
    /// same order.
    pub stacks_with_seller_coupons: bool,
}

/// What the engine knows about an item when matching a coupon's scope.
#[derive(Debug, Clone, Copy)]
pub struct ItemFacts<'a> {
    pub product_id: Uuid,
    pub seller_id: Uuid,
    /// The item's category and its ancestors.
    pub category_path: &'a [i64],
}

/// Which part of a coupon definition was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct CouponDefinitionError {
    pub field: &'static str,
    pub reason: &'static str,
}

fn refuse(field: &'static str, reason: &'static str) -> CouponDefinitionError {
    CouponDefinitionError { field, reason }
}

fn amount(
    currency: Currency,
    field: &'static str,
    value: Decimal,
) -> Result<Decimal, CouponDefinitionError> {
    check_amount(currency, value).map_err(|error| match error {
        AmountError::Negative => refuse(field, "must not be negative"),
        AmountError::Fraction => refuse(field, "must be in whole units of the currency"),
        AmountError::TooLarge => refuse(field, "is too large"),
    })
}

impl Coupon {
    /// A definition that can be issued: positive benefit, percent in
    /// (0, 100], a window that ends after it starts, a sensible funding share.
    pub fn checked(mut self, currency: Currency) -> Result<Self, CouponDefinitionError> {
        self.benefit = match self.benefit {
            Benefit::Fixed(value) => {
                let value = amount(currency, "discount_amount", value)?;
                if value.is_zero() {
                    return Err(refuse("discount_amount", "must be above zero"));
                }
                Benefit::Fixed(value)
            }
            Benefit::Percent { percent, max } => {
                if percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
                    return Err(refuse(
                        "discount_percent",
                        "must be above 0 and at most 100",
                    ));
                }
                if percent.normalize().scale() > 2 {
                    return Err(refuse("discount_percent", "takes at most two decimals"));
                }
                let max = match max {
                    Some(value) if value.is_zero() => {
                        return Err(refuse("max_discount", "must be above zero"));
                    }
                    Some(value) => Some(amount(currency, "max_discount", value)?),
                    None => None,
                };
                Benefit::Percent { percent, max }
            }
        };
        self.min_purchase = amount(currency, "min_purchase", self.min_purchase)?;
        if self.valid_from >= self.valid_until {
            return Err(refuse("valid_until", "must be after valid_from"));
        }
        let empty_scope = match &self.scope {
            Scope::All => false,
            Scope::Categories(ids) => ids.is_empty(),
            Scope::Sellers(ids) | Scope::Products(ids) => ids.is_empty(),
        };
        if empty_scope {
            return Err(refuse("scope", "names nothing"));
        }
        if let Funding::Platform {
            seller_share_percent,
        } = self.funding
            && (seller_share_percent < Decimal::ZERO || seller_share_percent > Decimal::ONE_HUNDRED)
        {
            return Err(refuse("seller_share_percent", "must be between 0 and 100"));
        }
        Ok(self)
    }

    pub fn is_platform(&self) -> bool {
        matches!(self.funding, Funding::Platform { .. })
    }

    /// Whether the coupon can be used at `now` (its window is half-open).
    pub fn is_valid_at(&self, now: DateTime<Utc>) -> bool {
        self.valid_from <= now && now < self.valid_until
    }

    /// Whether the coupon covers this item.
    pub fn covers(&self, item: ItemFacts<'_>) -> bool {
        if self.excluded_products.contains(&item.product_id) {
            return false;
        }
        if let Funding::Seller(seller) = self.funding
            && seller != item.seller_id
        {
            return false;
        }
        match &self.scope {
            Scope::All => true,
            Scope::Categories(ids) => item.category_path.iter().any(|c| ids.contains(c)),
            Scope::Sellers(ids) => ids.contains(&item.seller_id),
            Scope::Products(ids) => ids.contains(&item.product_id),
        }
    }

    /// The discount (minor units) on an eligible amount (minor units) that
    /// already reaches the minimum purchase.
    pub fn discount_on(&self, currency: Currency, eligible: i64) -> i64 {
        self.benefit.discount_on(currency, eligible)
    }
}

impl Benefit {
    /// What the benefit takes off `eligible` (minor units), never more than it.
    pub fn discount_on(&self, currency: Currency, eligible: i64) -> i64 {
        let discount = match self {
            Benefit::Fixed(value) => currency.to_minor(*value).unwrap_or(i64::MAX),
            Benefit::Percent { percent, max } => {
                let raw = currency.from_minor(eligible) * percent / Decimal::ONE_HUNDRED;
                let floored = raw.round_dp_with_strategy(
                    currency.minor_unit_scale(),
                    rust_decimal::RoundingStrategy::ToZero,
                );
                let units = currency.to_minor(floored).unwrap_or(i64::MAX);
                match max {
                    Some(max) => units.min(currency.to_minor(*max).unwrap_or(i64::MAX)),
                    None => units,
                }
            }
        };
        discount.clamp(0, eligible.max(0))
    }
}

/// Codes are 8 to 32 letters, digits or hyphens (compared upper-cased):
/// shorter ones are guessed.
pub const CODE_LENGTH: std::ops::RangeInclusive<usize> = 8..=32;

/// The characters of codes the platform makes up: none to misread (no 0/O,
/// 1/I/L).
pub const GENERATED_CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Ten of them: 31^10 (about 8 * 10^14) codes to guess from.
pub const GENERATED_CODE_LENGTH: usize = 10;

/// `code` as stored (upper-cased), if it follows the rules.
pub fn normalized_code(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    (CODE_LENGTH.contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    .then_some(code)
}

/// A code made from `random` bytes, each kept only below the largest
/// multiple of the alphabet's size so every character is equally likely;
/// `None` when the bytes ran out first (ask with more).
pub fn generated_code(random: &[u8]) -> Option<String> {
    let size = GENERATED_CODE_ALPHABET.len();
    let fair = 256 - 256 % size;
    let code: String = random
        .iter()
        .map(|b| usize::from(*b))
        .filter(|b| *b < fair)
        .take(GENERATED_CODE_LENGTH)
        .map(|b| char::from(GENERATED_CODE_ALPHABET[b % size]))
        .collect();
    (code.len() == GENERATED_CODE_LENGTH).then_some(code)
}

#[cfg(test)]
pub(crate) mod tests {

    #[test]
    fn codes_are_long_enough_and_generated_ones_are_unambiguous() {
        assert_eq!(normalized_code(" autumn-10 ").as_deref(), Some("AUTUMN-10"));
        assert_eq!(
            normalized_code("AB-12"),
            None,
            "too short to resist guessing"
        );
        assert_eq!(normalized_code("WINTER 2026"), None);
        let code = generated_code(&(0u8..=255).collect::<Vec<_>>()).unwrap();
        assert_eq!(code.len(), GENERATED_CODE_LENGTH);
        assert!(code.bytes().all(|b| GENERATED_CODE_ALPHABET.contains(&b)));
        assert!(normalized_code(&code).is_some());
        assert_eq!(generated_code(&[255; 64]), None, "unfair bytes are skipped");
    }
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn coupon(benefit: Benefit, funding: Funding) -> Coupon {
        Coupon {
            id: Uuid::from_u128(0xC0),
            benefit,
            min_purchase: Decimal::ZERO,
            scope: Scope::All,
            excluded_products: vec![],
            valid_from: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            valid_until: Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap(),
            funding,
            stacks_with_seller_coupons: true,
        }
    }

    fn platform() -> Funding {
        Funding::Platform {
            seller_share_percent: Decimal::ZERO,
        }
    }

    #[test]
    fn percent_rounds_down_and_respects_its_cap() {
        let krw = Currency::Krw;
        let ten = coupon(
            Benefit::Percent {
                percent: Decimal::from(10),
                max: Some(Decimal::from(5000)),
            },
            platform(),
        );
        assert_eq!(ten.discount_on(krw, 12_345), 1_234);
        assert_eq!(ten.discount_on(krw, 100_000), 5_000);
        let fixed = coupon(Benefit::Fixed(Decimal::from(3000)), platform());
        assert_eq!(
            fixed.discount_on(krw, 2_000),
            2_000,
            "never past the amount"
        );
        assert_eq!(fixed.discount_on(krw, 20_000), 3_000);
    }

    #[test]
    fn scope_exclusions_and_vendor_ownership_decide_what_is_covered() {
        let seller = Uuid::from_u128(1);
        let other_seller = Uuid::from_u128(2);
        let product = Uuid::from_u128(10);
        let item = |seller_id, path: &'static [i64]| ItemFacts {
            product_id: product,
            seller_id,
            category_path: path,
        };
        let mut c = coupon(Benefit::Fixed(Decimal::from(1000)), platform());
        c.scope = Scope::Categories(vec![3]);
        assert!(c.covers(item(seller, &[7, 3, 1])), "a subcategory of 3");
        assert!(!c.covers(item(seller, &[8, 1])));
        c.excluded_products = vec![product];
        assert!(!c.covers(item(seller, &[7, 3, 1])), "excluded wins");

        let own = coupon(Benefit::Fixed(Decimal::from(1000)), Funding::Seller(seller));
        assert!(own.covers(item(seller, &[1])));
        assert!(!own.covers(item(other_seller, &[1])), "only its own items");
    }

    #[test]
    fn definitions_are_checked() {
        let krw = Currency::Krw;
        let bad_percent = coupon(
            Benefit::Percent {
                percent: Decimal::from(120),
                max: None,
            },
            platform(),
        );
        assert_eq!(
            bad_percent.checked(krw).map_err(|e| e.field),
            Err("discount_percent")
        );
        let mut backwards = coupon(Benefit::Fixed(Decimal::from(1000)), platform());
        std::mem::swap(&mut backwards.valid_from, &mut backwards.valid_until);
        assert_eq!(
            backwards.checked(krw).map_err(|e| e.field),
            Err("valid_until")
        );
        let zero = coupon(Benefit::Fixed(Decimal::ZERO), platform());
        assert_eq!(
            zero.checked(krw).map_err(|e| e.field),
            Err("discount_amount")
        );
        let mut nothing = coupon(Benefit::Fixed(Decimal::from(1)), platform());
        nothing.scope = Scope::Products(vec![]);
        assert_eq!(nothing.checked(krw).map_err(|e| e.field), Err("scope"));
        let share = coupon(
            Benefit::Fixed(Decimal::from(1)),
            Funding::Platform {
                seller_share_percent: Decimal::from(101),
            },
        );
        assert_eq!(
            share.checked(krw).map_err(|e| e.field),
            Err("seller_share_percent")
        );
    }

    #[test]
    fn the_window_is_half_open() {
        let c = coupon(Benefit::Fixed(Decimal::from(1)), platform());
        assert!(c.is_valid_at(c.valid_from));
        assert!(!c.is_valid_at(c.valid_until));
    }
}
