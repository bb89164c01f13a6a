//! Products: their status as the vendor and operations move it, the options
//! whose combinations are the SKUs, and what a SKU costs at a moment.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductStatus {
    Draft,
    OnSale,
    SoldOut,
    Hidden,
    /// Set by operations only; the vendor cannot lift it.
    Banned,
}

impl ProductStatus {
    pub const ALL: [Self; 5] = [
        Self::Draft,
        Self::OnSale,
        Self::SoldOut,
        Self::Hidden,
        Self::Banned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::OnSale => "on_sale",
            Self::SoldOut => "sold_out",
            Self::Hidden => "hidden",
            Self::Banned => "banned",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Shoppers see (and may find) the product.
    pub fn is_listed(self) -> bool {
        matches!(self, Self::OnSale | Self::SoldOut)
    }

    /// Whether the vendor may move the product from `self` to `next`.
    pub fn vendor_may_set(self, next: Self) -> bool {
        self != Self::Banned && next != Self::Banned && (next != Self::Draft || self == Self::Draft)
    }
}

/// The most options a product has, and SKUs it generates.
pub const MAX_OPTIONS: usize = 3;
pub const MAX_SKUS_PER_PRODUCT: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductOption {
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    #[error("at most 3 options")]
    TooManyOptions,
    #[error("an option needs a name and at least one value, without repeats")]
    Malformed,
    #[error("at most 100 combinations")]
    TooManyCombinations,
}

/// Every combination of option values, in option order (colour × size →
/// `[Black, S], [Black, M], ...`); a product without options has one.
pub fn combinations(options: &[ProductOption]) -> Result<Vec<Vec<String>>, OptionError> {
    if options.len() > MAX_OPTIONS {
        return Err(OptionError::TooManyOptions);
    }
    let mut total: usize = 1;
    for option in options {
        let mut seen = std::collections::HashSet::new();
        let distinct = option
            .values
            .iter()
            .all(|v| !v.trim().is_empty() && seen.insert(v.trim()));
        if option.name.trim().is_empty() || option.values.is_empty() || !distinct {
            return Err(OptionError::Malformed);
        }
        total = total.saturating_mul(option.values.len());
    }
    if total > MAX_SKUS_PER_PRODUCT {
        return Err(OptionError::TooManyCombinations);
    }
    let mut result: Vec<Vec<String>> = vec![Vec::new()];
    for option in options {
        result = result
            .into_iter()
            .flat_map(|prefix| {
                option.values.iter().map(move |value| {
                    let mut next = prefix.clone();
                    next.push(value.trim().to_owned());
                    next
                })
            })
            .collect();
    }
    Ok(result)
}

/// A SKU's prices: the sale price applies inside its window (open ends are
/// unbounded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pricing {
    pub list_price: Decimal,
    pub sale_price: Option<Decimal>,
    pub sale_starts_at: Option<DateTime<Utc>>,
    pub sale_ends_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("list_price: must be above zero")]
    ListPrice,
    #[error("sale_price: must be above zero and not above the list price")]
    SalePrice,
    #[error("sale_ends_at: must be after sale_starts_at")]
    Window,
    #[error("sale_starts_at: a sale window needs a sale price")]
    WindowWithoutSale,
}

impl PricingError {
    pub fn field(self) -> &'static str {
        match self {
            Self::ListPrice => "list_price",
            Self::SalePrice => "sale_price",
            Self::Window => "sale_ends_at",
            Self::WindowWithoutSale => "sale_starts_at",
        }
    }
}

impl Pricing {
    pub fn checked(self) -> Result<Self, PricingError> {
        if self.list_price <= Decimal::ZERO {
            return Err(PricingError::ListPrice);
        }
        if let Some(sale) = self.sale_price
            && (sale <= Decimal::ZERO || sale > self.list_price)
        {
            return Err(PricingError::SalePrice);
        }
        if let (Some(start), Some(end)) = (self.sale_starts_at, self.sale_ends_at)
            && start >= end
        {
            return Err(PricingError::Window);
        }
        if self.sale_price.is_none()
            && (self.sale_starts_at.is_some() || self.sale_ends_at.is_some())
        {
            return Err(PricingError::WindowWithoutSale);
        }
        Ok(self)
    }

    /// What a shopper pays per unit at `now`.
    pub fn effective_at(&self, now: DateTime<Utc>) -> Decimal {
        let started = self.sale_starts_at.is_none_or(|start| start <= now);
        let not_ended = self.sale_ends_at.is_none_or(|end| now < end);
        match self.sale_price {
            Some(sale) if started && not_ended => sale,
            _ => self.list_price,
        }
    }
}

/// Why stock on hand changed (the ledger's reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockReason {
    Initial,
    Restock,
    Adjustment,
    Damaged,
    Returned,
    Sold,
    Cancelled,
}

impl StockReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initial => "initial",
            Self::Restock => "restock",
            Self::Adjustment => "adjustment",
            Self::Damaged => "damaged",
            Self::Returned => "returned",
            Self::Sold => "sold",
            Self::Cancelled => "cancelled",
        }
    }

    /// The reasons a vendor gives by hand (sales and cancellations come from orders).
    pub fn manual(value: &str) -> Option<Self> {
        [
            Self::Restock,
            Self::Adjustment,
            Self::Damaged,
            Self::Returned,
        ]
        .into_iter()
        .find(|r| r.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn option(name: &str, values: &[&str]) -> ProductOption {
        ProductOption {
            name: name.into(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    #[test]
    fn colour_by_size_gives_every_pair_in_order() {
        let skus = combinations(&[
            option("Colour", &["Black", "Indigo"]),
            option("Size", &["S", "M", "L"]),
        ])
        .expect("valid");
        assert_eq!(skus.len(), 6);
        assert_eq!(skus[0], ["Black", "S"]);
        assert_eq!(skus[5], ["Indigo", "L"]);
        assert_eq!(
            combinations(&[]).expect("no options"),
            vec![Vec::<String>::new()]
        );
        assert_eq!(
            combinations(&[option("Size", &["S", "S"])]),
            Err(OptionError::Malformed)
        );
        let many: Vec<String> = (0..11).map(|i| i.to_string()).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            combinations(&[option("A", &refs), option("B", &refs)]),
            Err(OptionError::TooManyCombinations)
        );
    }

    #[test]
    fn the_sale_price_holds_only_inside_its_window() {
        let now = Utc::now();
        let pricing = Pricing {
            list_price: Decimal::from(50000),
            sale_price: Some(Decimal::from(39000)),
            sale_starts_at: Some(now - chrono::Duration::hours(1)),
            sale_ends_at: Some(now + chrono::Duration::hours(1)),
        };
        assert_eq!(pricing.effective_at(now), Decimal::from(39000));
        assert_eq!(
            pricing.effective_at(now + chrono::Duration::hours(1)),
            Decimal::from(50000)
        );
        assert_eq!(
            pricing.effective_at(now - chrono::Duration::hours(2)),
            Decimal::from(50000)
        );
        let mut bad = pricing.clone();
        bad.sale_price = Some(Decimal::from(60000));
        assert_eq!(bad.checked(), Err(PricingError::SalePrice));
    }

    #[test]
    fn vendors_cannot_ban_unban_or_return_to_draft() {
        use ProductStatus as S;
        assert!(S::Draft.vendor_may_set(S::OnSale));
        assert!(S::OnSale.vendor_may_set(S::Hidden));
        assert!(!S::OnSale.vendor_may_set(S::Draft));
        assert!(!S::Banned.vendor_may_set(S::OnSale));
        assert!(!S::OnSale.vendor_may_set(S::Banned));
    }

    proptest! {
        #[test]
        fn combinations_multiply_and_are_distinct(sizes in proptest::collection::vec(1usize..5, 0..4)) {
            let options: Vec<ProductOption> = sizes
                .iter()
                .enumerate()
                .map(|(i, n)| ProductOption { name: format!("o{i}"), values: (0..*n).map(|v| v.to_string()).collect() })
                .collect();
            let result = combinations(&options);
            if options.len() > MAX_OPTIONS {
                prop_assert_eq!(result, Err(OptionError::TooManyOptions));
            } else {
                let skus = result.expect("valid");
                prop_assert_eq!(skus.len(), sizes.iter().product::<usize>());
                let distinct: std::collections::HashSet<_> = skus.iter().collect();
                prop_assert_eq!(distinct.len(), skus.len());
            }
        }

        #[test]
        fn the_effective_price_is_never_above_the_list_price(list in 1i64..1_000_000, sale in 1i64..1_000_000, offset in -100i64..100) {
            let now = Utc::now();
            let pricing = Pricing {
                list_price: Decimal::from(list),
                sale_price: Some(Decimal::from(sale.min(list))),
                sale_starts_at: Some(now),
                sale_ends_at: Some(now + chrono::Duration::seconds(50)),
            };
            let price = pricing.effective_at(now + chrono::Duration::seconds(offset));
            prop_assert!(price <= pricing.list_price && price > Decimal::ZERO);
        }
    }
}
