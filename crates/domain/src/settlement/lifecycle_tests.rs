//! Random order lifecycles through settlement's rules: orders priced by the
//! real engine (both coupon fundings), shipped, confirmed, claimed before
//! and after payouts, exchanged, with commission rates edited after
//! placement, and swept into payouts (what a vendor owes back moved to its
//! claims receivable). After every event the journal
//! balances to the won, follows each order exactly, and each vendor's
//! payable is its statements' closing balance and what an independent
//! reckoning of the order says it is owed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Days, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::accrual::{Followed, line_target, posting, shipping_target};
use super::commission::{Candidate, Change, Period as RulePeriod, Rule, RuleError, pick, plan};
use super::earning::ConfirmedLine;
use super::journal::{Account, Entry, EntryKind, Nets, Side};
use super::payouts::receivable_move;
use super::statements::{Period, Statement};
use crate::claims::quote::{ClaimRequest, Snapshot, apply, quote};
use crate::claims::seeded::{Seeded, kind_for, seeded_order};

const VAT_BP: i64 = 1_000;

fn won(amount: i64) -> Decimal {
    Decimal::from(amount)
}

fn rate(bp: i64) -> Decimal {
    Decimal::new(bp, 4)
}

/// What the journal follows for one order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Line(Uuid),
    Shipping(Uuid),
}

#[derive(Debug, Clone, PartialEq)]
struct Posted {
    payee: Uuid,
    key: Option<Key>,
    kind: EntryKind,
    entry: Entry,
    period: Period,
    batch: Option<usize>,
}

/// A vendor's commission rules: the base rate's periods and one
/// category's override, each `(period, rate in basis points)`.
#[derive(Debug, Clone, Default)]
struct Rules {
    base: Vec<(RulePeriod, i64)>,
    category: Vec<(RulePeriod, i64)>,
}

impl Rules {
    fn in_force(periods: &[(RulePeriod, i64)], at: DateTime<Utc>) -> Option<&(RulePeriod, i64)> {
        periods
            .iter()
            .find(|(p, _)| p.from <= at && p.until.is_none_or(|until| at < until))
    }

    /// The rate a line of the overridden category (or not) takes at `at`,
    /// as placement resolves it.
    fn resolve(&self, overridden: bool, at: DateTime<Utc>) -> i64 {
        let mut candidates = Vec::new();
        for (periods, levels_up, category_id) in
            [(&self.base, None, None), (&self.category, Some(0), Some(7))]
        {
            if levels_up.is_some() && !overridden {
                continue;
            }
            if let Some((period, bp)) = Self::in_force(periods, at) {
                candidates.push(Candidate {
                    rule: Rule {
                        id: period.id,
                        category_id,
                        rate: rate(*bp),
                        vat_rate: rate(VAT_BP),
                    },
                    levels_up,
                });
            }
        }
        let rule = pick(&candidates).expect("the base rate always applies");
        self.base
            .iter()
            .chain(&self.category)
            .find(|(period, _)| period.id == rule.id)
            .map(|(_, bp)| *bp)
            .expect("the rule picked is one of the vendor's")
    }
}

struct World {
    order: Snapshot,
    placed_at: DateTime<Utc>,
    now: DateTime<Utc>,
    rules: BTreeMap<Uuid, Rules>,
    /// Lines of the category with an override.
    overridden: BTreeSet<Uuid>,
    /// The rate (basis points) each line froze at placement.
    frozen: BTreeMap<Uuid, i64>,
    confirmed: BTreeSet<Uuid>,
    journal: Vec<Posted>,
    batches: Vec<(Uuid, Decimal)>,
    next_period_id: i64,
}

impl World {
    fn new(seeded: &Seeded, rates: &[(i64, Option<i64>)]) -> Self {
        let placed_at = Utc.with_ymd_and_hms(2026, 6, 1, 3, 0, 0).unwrap();
        let mut rules = BTreeMap::new();
        let mut next_period_id = 1;
        for (n, vendor) in seeded.snapshot.vendors.iter().enumerate() {
            let (base, category) = rates[n % rates.len()];
            let opened = placed_at - TimeDelta::days(30);
            let mut vendor_rules = Rules::default();
            vendor_rules.base.push((
                RulePeriod {
                    id: next_period_id,
                    from: opened,
                    until: None,
                },
                base,
            ));
            next_period_id += 1;
            if let Some(bp) = category {
                vendor_rules.category.push((
                    RulePeriod {
                        id: next_period_id,
                        from: opened,
                        until: None,
                    },
                    bp,
                ));
                next_period_id += 1;
            }
            rules.insert(vendor.id, vendor_rules);
        }
        let overridden: BTreeSet<Uuid> = seeded
            .snapshot
            .lines
            .iter()
            .enumerate()
            .filter(|(n, _)| n % 2 == 0)
            .map(|(_, l)| l.id)
            .collect();
        let frozen = seeded
            .snapshot
            .lines
            .iter()
            .map(|l| {
                let bp = rules[&l.vendor_order].resolve(overridden.contains(&l.id), placed_at);
                (l.id, bp)
            })
            .collect();
        Self {
            order: seeded.snapshot.clone(),
            placed_at,
            now: placed_at,
            rules,
            overridden,
            frozen,
            confirmed: BTreeSet::new(),
            journal: Vec::new(),
            batches: Vec::new(),
            next_period_id,
        }
    }

    fn period(&self) -> Period {
        Period::of(crate::calendar::korean_date(self.now))
    }

    fn confirmed_line(&self, id: Uuid) -> (ConfirmedLine, bool) {
        let line = self
            .order
            .lines
            .iter()
            .find(|l| l.id == id)
            .expect("a line");
        (
            ConfirmedLine {
                list_amount: won(line.sale_amount),
                product_discount: Decimal::ZERO,
                seller_coupon_discount: won(line.seller_coupon),
                platform_coupon_discount: won(line.platform_coupon),
                platform_coupon_seller_funded: won(line.platform_seller_funded),
                commission_rate: rate(self.frozen[&id]),
                commission_vat_rate: rate(VAT_BP),
            },
            !line.open,
        )
    }

    /// What the journal should hold now, per followed thing.
    fn targets(&self) -> Vec<(Key, Uuid, Followed, Entry)> {
        let mut targets = Vec::new();
        for id in &self.confirmed {
            let (line, taken_back) = self.confirmed_line(*id);
            let vendor = self.vendor_of(*id);
            targets.push((
                Key::Line(*id),
                vendor,
                Followed::Line { taken_back },
                line_target(&line, taken_back),
            ));
        }
        for vendor in &self.order.vendors {
            let lines = self
                .order
                .lines
                .iter()
                .filter(|l| l.vendor_order == vendor.id);
            let due = lines.clone().any(|l| self.confirmed.contains(&l.id))
                || lines.clone().all(|l| !l.open);
            targets.push((
                Key::Shipping(vendor.id),
                vendor.id,
                Followed::Shipping,
                shipping_target(won(vendor.shipping + vendor.fees), due),
            ));
        }
        targets
    }

    fn vendor_of(&self, line: Uuid) -> Uuid {
        self.order
            .lines
            .iter()
            .find(|l| l.id == line)
            .map(|l| l.vendor_order)
            .expect("a line")
    }

    fn posted(&self, key: Key) -> Nets {
        let mut nets = Nets::new();
        for posted in self.journal.iter().filter(|p| p.key == Some(key)) {
            for (account, net) in posted.entry.nets() {
                *nets.entry(account).or_default() += net;
            }
        }
        nets.retain(|_, net| !net.is_zero());
        nets
    }

    /// Brings the journal to what the order says; what it posted.
    fn settle(&mut self) -> usize {
        let before = self.journal.len();
        for (key, payee, followed, target) in self.targets() {
            if let Some((kind, entry)) = posting(followed, &target, &self.posted(key)) {
                let period = self.period();
                self.journal.push(Posted {
                    payee,
                    key: Some(key),
                    kind,
                    entry,
                    period,
                    batch: None,
                });
            }
        }
        self.journal.len() - before
    }

    fn claim(&mut self, lines: &[Uuid]) -> Result<(), TestCaseError> {
        let open: Vec<Uuid> = lines
            .iter()
            .copied()
            .filter(|id| self.order.lines.iter().any(|l| l.id == *id && l.open))
            .collect();
        if open.is_empty() {
            return Ok(());
        }
        let request = ClaimRequest {
            kind: kind_for(&self.order, &open),
            fault: crate::claims::reasons::Fault::ALL[open.len() % 3],
            lines: open.into_iter().collect(),
        };
        let plan = quote(&self.order, &request).map_err(|e| TestCaseError::fail(e.to_string()))?;
        self.order = apply(&self.order, &request, &plan);
        Ok(())
    }

    /// A payout sweep of one vendor: a batch claims its unclaimed entries
    /// when they net to something owed, and is paid; then its claims
    /// receivable is left holding what it owes back.
    fn sweep(&mut self, payee: Uuid) -> Result<(), TestCaseError> {
        let unclaimed: Decimal = self
            .journal
            .iter()
            .filter(|p| p.payee == payee && p.batch.is_none())
            .map(|p| p.entry.payee_net())
            .sum();
        let period = self.period();
        if unclaimed > Decimal::ZERO {
            let batch = self.batches.len();
            for posted in self.journal.iter_mut() {
                if posted.payee == payee && posted.batch.is_none() {
                    posted.batch = Some(batch);
                }
            }
            self.batches.push((payee, unclaimed));
            self.journal.push(Posted {
                payee,
                key: None,
                kind: EntryKind::Payout,
                entry: Entry::default()
                    .debit(Account::PayeePayable, unclaimed)
                    .credit(Account::BuyerClearing, unclaimed),
                period,
                batch: Some(batch),
            });
        }
        let owed = self.owed(payee);
        let entry = receivable_move(owed, self.receivable(payee));
        if !entry.lines().is_empty() {
            self.journal.push(Posted {
                payee,
                key: None,
                kind: EntryKind::Receivable,
                entry,
                period,
                batch: None,
            });
        }
        prop_assert_eq!(
            self.owed(payee),
            owed,
            "the receivable's move changed what is owed"
        );
        prop_assert_eq!(self.receivable(payee), (-owed).max(Decimal::ZERO));
        Ok(())
    }

    fn owed(&self, payee: Uuid) -> Decimal {
        self.journal
            .iter()
            .filter(|p| p.payee == payee)
            .map(|p| p.entry.payee_net())
            .sum()
    }

    fn receivable(&self, payee: Uuid) -> Decimal {
        self.journal
            .iter()
            .filter(|p| p.payee == payee)
            .filter_map(|p| p.entry.nets().get(&Account::ClaimsReceivable).copied())
            .sum()
    }

    /// Edits a vendor's base or override rate from now on; an edit into
    /// the past is refused.
    fn edit_rate(&mut self, payee: Uuid, category: bool, bp: i64) -> Result<(), TestCaseError> {
        let now = self.now;
        let next_id = self.next_period_id;
        let rules = self.rules.get_mut(&payee).expect("rules");
        let periods = if category {
            &mut rules.category
        } else {
            &mut rules.base
        };
        let stored: Vec<RulePeriod> = periods.iter().map(|(p, _)| p.clone()).collect();
        prop_assert_eq!(
            plan(&stored, !category, Change::Set, self.placed_at, now),
            Err(RuleError::Retroactive)
        );
        let change = plan(&stored, !category, Change::Set, now, now)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        periods.retain(|(p, _)| !change.drop.contains(&p.id));
        if let Some(close) = change.close {
            for (p, _) in periods.iter_mut() {
                if p.id == close {
                    p.until = Some(now);
                }
            }
        }
        if change.open {
            periods.push((
                RulePeriod {
                    id: next_id,
                    from: now,
                    until: None,
                },
                bp,
            ));
            self.next_period_id += 1;
        }
        Ok(())
    }

    /// What each vendor is owed, reckoned from the order alone: each
    /// confirmed line kept, at its frozen rate, its vendor order's
    /// shipping and fees once due, less what was paid.
    fn reckoned(&self, payee: Uuid) -> Decimal {
        let mut owed = 0_i64;
        for line in self.order.lines.iter().filter(|l| l.vendor_order == payee) {
            if !self.confirmed.contains(&line.id) || !line.open {
                continue;
            }
            let base = line.sale_amount - line.seller_coupon - line.platform_seller_funded;
            let commission = (base * self.frozen[&line.id] + 5_000) / 10_000;
            let vat = (commission * VAT_BP + 5_000) / 10_000;
            owed += base - commission - vat;
        }
        let lines: Vec<_> = self
            .order
            .lines
            .iter()
            .filter(|l| l.vendor_order == payee)
            .collect();
        if lines.iter().any(|l| self.confirmed.contains(&l.id)) || lines.iter().all(|l| !l.open) {
            let vendor = self
                .order
                .vendors
                .iter()
                .find(|v| v.id == payee)
                .expect("a vendor");
            owed += vendor.shipping + vendor.fees;
        }
        let paid: Decimal = self
            .batches
            .iter()
            .filter(|(p, _)| *p == payee)
            .map(|(_, a)| *a)
            .sum();
        won(owed) - paid
    }

    fn check(&self) -> Result<(), TestCaseError> {
        // Every entry balances, and so does the journal.
        let (mut debits, mut credits) = (Decimal::ZERO, Decimal::ZERO);
        for posted in &self.journal {
            prop_assert!(posted.entry.balances(), "an unbalanced entry: {:?}", posted);
            prop_assert!(!posted.entry.lines().is_empty());
            prop_assert!(
                posted
                    .entry
                    .lines()
                    .iter()
                    .all(|l| l.amount > Decimal::ZERO)
            );
            debits += posted.entry.total(Side::Debit);
            credits += posted.entry.total(Side::Credit);
        }
        prop_assert_eq!(debits, credits);
        // The journal follows each order exactly.
        for (key, _, _, target) in self.targets() {
            prop_assert_eq!(self.posted(key), target.nets(), "{:?} drifted", key);
        }
        // Each batch pays what it claimed; no entry is claimed by two.
        for (n, (payee, amount)) in self.batches.iter().enumerate() {
            let claimed: Decimal = self
                .journal
                .iter()
                .filter(|p| p.batch == Some(n) && p.kind != EntryKind::Payout)
                .map(|p| p.entry.payee_net())
                .sum();
            prop_assert_eq!(claimed, *amount);
            prop_assert!(*amount > Decimal::ZERO);
            prop_assert!(
                self.journal
                    .iter()
                    .filter(|p| p.batch == Some(n))
                    .all(|p| p.payee == *payee)
            );
        }
        for vendor in &self.order.vendors {
            let payable = self.owed(vendor.id);
            prop_assert!(self.receivable(vendor.id) >= Decimal::ZERO);
            // The statements, month by month, carry to the same balance.
            let mut opening = Decimal::ZERO;
            let periods: BTreeSet<Period> = self.journal.iter().map(|p| p.period).collect();
            for period in periods {
                let lines = self
                    .journal
                    .iter()
                    .filter(|p| p.payee == vendor.id && p.period == period)
                    .flat_map(|p| p.entry.lines().iter().map(move |l| (p.kind, l)));
                let statement = Statement::of(opening, lines);
                prop_assert_eq!(
                    statement.closing,
                    statement.opening
                        + statement.earned()
                        + statement.shipping
                        + statement.adjustments
                        + statement.clawbacks
                        + statement.payouts
                );
                opening = statement.closing;
            }
            prop_assert_eq!(opening, payable, "statements disagree with the journal");
            prop_assert_eq!(
                payable,
                self.reckoned(vendor.id),
                "the journal disagrees with the order"
            );
        }
        Ok(())
    }
}

/// How many lifecycles the property runs: the 10,000 in
/// `scripts/soak`, fewer in the suite.
fn lifecycles() -> u32 {
    std::env::var("SETTLEMENT_LIFECYCLES")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(500)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(lifecycles()))]

    #[test]
    fn every_event_leaves_the_journal_balanced_exact_and_stated(
        seeded in seeded_order(),
        rates in prop::collection::vec((0_i64..3_000, prop::option::of(0_i64..3_000)), 1..=3),
        events in prop::collection::vec((0_u8..7, any::<u16>(), 1_u32..96), 10..60),
    ) {
        let mut world = World::new(&seeded, &rates);
        let lines: Vec<Uuid> = world.order.lines.iter().map(|l| l.id).collect();
        let vendors: Vec<Uuid> = world.order.vendors.iter().map(|v| v.id).collect();
        let mut claims = seeded.claims.iter().map(|(lines, _)| lines);
        for (event, pick_at, hours) in events {
            world.now += TimeDelta::hours(i64::from(hours));
            let line = lines[usize::from(pick_at) % lines.len()];
            let vendor = vendors[usize::from(pick_at) % vendors.len()];
            let open = world.order.lines.iter().any(|l| l.id == line && l.open);
            let shipped = world.order.lines.iter().any(|l| l.id == line && l.shipped);
            match event {
                0 => {
                    if let Some(l) = world.order.lines.iter_mut().find(|l| l.id == line) {
                        l.shipped = true;
                    }
                }
                1 if open && shipped => {
                    world.confirmed.insert(line);
                }
                2 => {
                    if let Some(claimed) = claims.next() {
                        world.claim(claimed)?;
                    }
                }
                3 if open && shipped => {
                    // An exchange sends another option of the same price:
                    // the order is re-priced by nothing, nothing posts.
                    prop_assert_eq!(world.settle(), 0, "an exchange posted");
                }
                4 => world.sweep(vendor)?,
                5 => {
                    let before = world.journal.clone();
                    let category = pick_at % 2 == 0;
                    world.edit_rate(vendor, category, i64::from(pick_at) % 3_000)?;
                    // Placement resolves the same rule for every line as before.
                    for l in world.order.lines.iter().filter(|l| l.vendor_order == vendor) {
                        let again = world.rules[&vendor].resolve(world.overridden.contains(&l.id), world.placed_at);
                        prop_assert_eq!(again, world.frozen[&l.id]);
                    }
                    prop_assert_eq!(world.settle(), 0, "a rate edit posted");
                    prop_assert_eq!(&world.journal, &before, "a rate edit changed an entry");
                }
                _ => {
                    // A day passes, and the schedule confirms what shipped.
                    world.now = world.now.checked_add_days(Days::new(1)).expect("a day");
                    let shipped: Vec<Uuid> = world
                        .order
                        .lines
                        .iter()
                        .filter(|l| l.open && l.shipped)
                        .map(|l| l.id)
                        .collect();
                    world.confirmed.extend(shipped);
                }
            }
            let settled_once = world.settle();
            prop_assert_eq!(world.settle(), 0, "settling twice posted again (after {})", settled_once);
            world.check()?;
        }
        // The end: what is still open is confirmed, then every vendor paid.
        for line in &lines {
            if world.order.lines.iter().any(|l| l.id == *line && l.open) {
                world.confirmed.insert(*line);
            }
        }
        world.settle();
        for vendor in &vendors {
            world.sweep(*vendor)?;
        }
        world.check()?;
        for vendor in &vendors {
            prop_assert!(world.reckoned(*vendor) <= Decimal::ZERO);
        }
    }
}
