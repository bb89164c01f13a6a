//! Commission rules: a payee's base rate and overrides for categories,
//! each in force over a period. A product order takes, once at placement,
//! the rule of its product's nearest category that has one, else the base;
//! the rate and its VAT are frozen on the line with the rule's id.
//!
//! Periods change only forward: a change takes effect at a moment not in
//! the past, closes the period in force then and drops changes scheduled
//! after it (they never applied). So past placements keep their rule, the
//! periods of one rule never overlap, and the base rate never has a gap.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// Who settlement pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayeeKind {
    Seller,
}

impl PayeeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seller => "seller",
        }
    }
}

/// A rule in force, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: i64,
    pub category_id: Option<i64>,
    pub rate: Decimal,
    pub vat_rate: Decimal,
}

/// A rule that may apply to a product: `levels_up` is how far above the
/// product's own category the rule's category is (`None` for the base).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub rule: Rule,
    pub levels_up: Option<u32>,
}

/// The rule for a product: the nearest category's, else the base.
pub fn pick(candidates: &[Candidate]) -> Option<&Rule> {
    candidates
        .iter()
        .filter_map(|c| c.levels_up.map(|levels| (levels, &c.rule)))
        .min_by_key(|(levels, _)| *levels)
        .map(|(_, rule)| rule)
        .or_else(|| {
            candidates
                .iter()
                .find(|c| c.rule.category_id.is_none())
                .map(|c| &c.rule)
        })
}

/// One stored period of a payee's rule for one category (or the base).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub id: i64,
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

impl Period {
    fn covers(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && self.until.is_none_or(|until| at < until)
    }
}

/// What a change does to the stored periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The period in force at the change, to end when it takes effect.
    pub close: Option<i64>,
    /// Periods scheduled to begin at or after the change: never in force.
    pub drop: Vec<i64>,
    /// Whether a new period opens (not when an override ends).
    pub open: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleError {
    /// A change cannot take effect before now: past orders keep their rule.
    Retroactive,
    /// The base rate always applies; it can change but not end.
    BaseCannotEnd,
    /// An override neither in force at that moment nor scheduled after it
    /// cannot end.
    NothingToEnd,
}

/// Whether the change sets a rate or ends a category's override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Set,
    End,
}

/// Plans a change to the periods of one payee's rule for one category
/// (`base` when the rule has no category), taking effect `at`.
pub fn plan(
    periods: &[Period],
    base: bool,
    change: Change,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Plan, RuleError> {
    if at < now {
        return Err(RuleError::Retroactive);
    }
    if base && change == Change::End {
        return Err(RuleError::BaseCannotEnd);
    }
    let drop: Vec<i64> = periods
        .iter()
        .filter(|p| p.from >= at)
        .map(|p| p.id)
        .collect();
    let close = periods
        .iter()
        .find(|p| p.from < at && p.covers(at))
        .map(|p| p.id);
    if change == Change::End && close.is_none() && drop.is_empty() {
        return Err(RuleError::NothingToEnd);
    }
    Ok(Plan {
        close,
        drop,
        open: change == Change::Set,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;
    use proptest::prelude::*;

    fn rule(id: i64, category_id: Option<i64>, rate: i64) -> Rule {
        Rule {
            id,
            category_id,
            rate: Decimal::new(rate, 2),
            vat_rate: Decimal::new(10, 2),
        }
    }

    #[test]
    fn the_nearest_category_wins_over_its_ancestors_and_the_base() {
        let candidates = [
            Candidate {
                rule: rule(1, None, 10),
                levels_up: None,
            },
            Candidate {
                rule: rule(2, Some(7), 8),
                levels_up: Some(2),
            },
            Candidate {
                rule: rule(3, Some(9), 15),
                levels_up: Some(0),
            },
        ];
        assert_eq!(pick(&candidates).map(|r| r.id), Some(3));
        assert_eq!(pick(&candidates[..2]).map(|r| r.id), Some(2));
        assert_eq!(pick(&candidates[..1]).map(|r| r.id), Some(1));
        assert_eq!(pick(&[]), None);
    }

    fn day(n: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::days(n)
    }

    #[test]
    fn a_change_cannot_reach_into_the_past_and_the_base_cannot_end() {
        let periods = [Period {
            id: 1,
            from: day(0),
            until: None,
        }];
        assert_eq!(
            plan(&periods, true, Change::Set, day(4), day(5)),
            Err(RuleError::Retroactive)
        );
        assert_eq!(
            plan(&periods, true, Change::End, day(6), day(5)),
            Err(RuleError::BaseCannotEnd)
        );
        assert_eq!(
            plan(&[], false, Change::End, day(6), day(5)),
            Err(RuleError::NothingToEnd)
        );
    }

    /// Applies a plan to periods kept in memory, as the store does.
    fn apply(periods: &mut Vec<(Period, i64)>, plan: &Plan, at: DateTime<Utc>, rate: i64, id: i64) {
        periods.retain(|(p, _)| !plan.drop.contains(&p.id));
        for (p, _) in periods.iter_mut() {
            if Some(p.id) == plan.close {
                p.until = Some(at);
            }
        }
        if plan.open {
            periods.push((
                Period {
                    id,
                    from: at,
                    until: None,
                },
                rate,
            ));
        }
    }

    fn rate_at(periods: &[(Period, i64)], at: DateTime<Utc>) -> Option<i64> {
        let covering: Vec<i64> = periods
            .iter()
            .filter(|(p, _)| p.covers(at))
            .map(|(_, rate)| *rate)
            .collect();
        assert!(covering.len() <= 1, "periods overlap at {at}");
        covering.first().copied()
    }

    proptest! {
        /// Changes made over time, each effective now or later: the rate in
        /// force at any moment already past never changes, periods never
        /// overlap, and the base covers every moment from its first period on.
        #[test]
        fn forward_changes_keep_the_past_and_leave_no_gap(
            changes in prop::collection::vec((0_i64..3, 0_i64..10, 1_i64..40, any::<bool>()), 1..30),
        ) {
            for base in [true, false] {
                let mut periods: Vec<(Period, i64)> = Vec::new();
                let mut now = 0_i64;
                let mut next_id = 1;
                for &(elapsed, ahead, rate, end) in &changes {
                    now += elapsed;
                    let past: Vec<Option<i64>> = (0..now).map(|d| rate_at(&periods, day(d))).collect();
                    let at = day(now + ahead);
                    let stored: Vec<Period> = periods.iter().map(|(p, _)| p.clone()).collect();
                    let change = if end { Change::End } else { Change::Set };
                    match plan(&stored, base, change, at, day(now)) {
                        Ok(plan) => {
                            apply(&mut periods, &plan, at, rate, next_id);
                            next_id += 1;
                        }
                        Err(RuleError::BaseCannotEnd) => prop_assert!(base && end),
                        Err(RuleError::NothingToEnd) => prop_assert!(end && rate_at(&periods, at).is_none()),
                        Err(RuleError::Retroactive) => prop_assert!(false, "a change at or after now is not retroactive"),
                    }
                    for (d, before) in past.iter().enumerate() {
                        prop_assert_eq!(rate_at(&periods, day(d as i64)), *before, "day {} changed", d);
                    }
                    if base
                        && let Some(first) = periods.iter().map(|(p, _)| p.from).min()
                    {
                        for d in 0..now + 50 {
                            if day(d) >= first {
                                prop_assert!(rate_at(&periods, day(d)).is_some(), "gap on day {}", d);
                            }
                        }
                    }
                }
            }
        }
    }
}
