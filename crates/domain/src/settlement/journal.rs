//! The double-entry journal: a chart of accounts and entries whose debits
//! equal their credits. An account kept per payee (a vendor, a content
//! provider) holds one balance per payee; what the platform owes a payee
//! is the sum over those accounts of credits less debits.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Account {
    /// Money buyers paid (by any tender), held until it is settled.
    BuyerClearing,
    /// What the platform owes the payee for its sales.
    PayeePayable,
    /// The discounts the payee funded (its coupons, its share of ours).
    PayeeFundedDiscounts,
    /// Shipping fees buyers paid, collected for the payee.
    ShippingCollected,
    /// What the payee owes back after claims exceed its balance.
    ClaimsReceivable,
    CommissionRevenue,
    /// VAT on the commission, owed to the tax office.
    VatPayable,
    /// What the platform's own coupons took off, paid to the payee.
    PromotionExpense,
    ProviderFees,
}

impl Account {
    pub const ALL: [Account; 9] = [
        Self::BuyerClearing,
        Self::PayeePayable,
        Self::PayeeFundedDiscounts,
        Self::ShippingCollected,
        Self::ClaimsReceivable,
        Self::CommissionRevenue,
        Self::VatPayable,
        Self::PromotionExpense,
        Self::ProviderFees,
    ];

    /// The stored code (`journal_accounts.code`).
    pub fn code(self) -> &'static str {
        match self {
            Self::BuyerClearing => "buyer_clearing",
            Self::PayeePayable => "payee_payable",
            Self::PayeeFundedDiscounts => "payee_funded_discounts",
            Self::ShippingCollected => "shipping_collected",
            Self::ClaimsReceivable => "claims_receivable",
            Self::CommissionRevenue => "commission_revenue",
            Self::VatPayable => "vat_payable",
            Self::PromotionExpense => "promotion_expense",
            Self::ProviderFees => "provider_fees",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Whether the account holds a balance per payee.
    pub fn per_payee(self) -> bool {
        matches!(
            self,
            Self::PayeePayable
                | Self::PayeeFundedDiscounts
                | Self::ShippingCollected
                | Self::ClaimsReceivable
        )
    }

    /// The side its balance normally sits on.
    pub fn normal_side(self) -> Side {
        match self {
            Self::BuyerClearing
            | Self::PayeeFundedDiscounts
            | Self::ClaimsReceivable
            | Self::PromotionExpense
            | Self::ProviderFees => Side::Debit,
            Self::PayeePayable
            | Self::ShippingCollected
            | Self::CommissionRevenue
            | Self::VatPayable => Side::Credit,
        }
    }
}

/// What accounts stand at, each as debits less credits.
pub type Nets = BTreeMap<Account, Decimal>;

/// What an entry records; statements tell the kinds apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A confirmed product order's earning.
    Earning,
    /// A confirmed product order's earning changed by a claim on another
    /// line (its coupon shares re-priced).
    Adjustment,
    /// A confirmed product order a claim took back.
    Clawback,
    /// A vendor order's shipping and the fees claims kept for it (and
    /// later changes to them).
    Shipping,
    /// A payout batch the bank paid.
    Payout,
    /// What the payee owes back, moved to or from its claims receivable:
    /// no figure of the statement changes.
    Receivable,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Earning => "earning",
            Self::Adjustment => "adjustment",
            Self::Clawback => "clawback",
            Self::Shipping => "shipping",
            Self::Payout => "payout",
            Self::Receivable => "receivable",
        }
    }

    pub fn parse(kind: &str) -> Option<Self> {
        match kind {
            "earning" => Some(Self::Earning),
            "adjustment" => Some(Self::Adjustment),
            "clawback" => Some(Self::Clawback),
            "shipping" => Some(Self::Shipping),
            "payout" => Some(Self::Payout),
            "receivable" => Some(Self::Receivable),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Debit,
    Credit,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Debit => "debit",
            Self::Credit => "credit",
        }
    }

    pub fn parse(side: &str) -> Option<Self> {
        match side {
            "debit" => Some(Self::Debit),
            "credit" => Some(Self::Credit),
            _ => None,
        }
    }

    fn opposite(self) -> Self {
        match self {
            Self::Debit => Self::Credit,
            Self::Credit => Self::Debit,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub account: Account,
    pub side: Side,
    /// Always positive.
    pub amount: Decimal,
}

impl Line {
    /// The line's effect on the payee's net: credits add, debits take.
    pub fn payee_effect(&self) -> Decimal {
        match (self.account.per_payee(), self.side) {
            (false, _) => Decimal::ZERO,
            (true, Side::Credit) => self.amount,
            (true, Side::Debit) => -self.amount,
        }
    }
}

/// The lines of one entry, written as the event is read. Zero amounts are
/// left out and a negative amount posts to the other side, so every stored
/// line is positive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    lines: Vec<Line>,
}

impl Entry {
    pub fn debit(self, account: Account, amount: Decimal) -> Self {
        self.post(account, Side::Debit, amount)
    }

    pub fn credit(self, account: Account, amount: Decimal) -> Self {
        self.post(account, Side::Credit, amount)
    }

    fn post(mut self, account: Account, side: Side, amount: Decimal) -> Self {
        if amount.is_zero() {
            return self;
        }
        let (side, amount) = if amount.is_sign_negative() {
            (side.opposite(), -amount)
        } else {
            (side, amount)
        };
        self.lines.push(Line {
            account,
            side,
            amount,
        });
        self
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn total(&self, side: Side) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.side == side)
            .map(|l| l.amount)
            .sum()
    }

    pub fn balances(&self) -> bool {
        self.total(Side::Debit) == self.total(Side::Credit)
    }

    /// What the entry adds to what the platform owes its payee.
    pub fn payee_net(&self) -> Decimal {
        self.lines.iter().map(Line::payee_effect).sum()
    }

    /// Each account's net, debits less credits (accounts netting to zero
    /// left out).
    pub fn nets(&self) -> Nets {
        let mut nets = Nets::new();
        for line in &self.lines {
            let signed = match line.side {
                Side::Debit => line.amount,
                Side::Credit => -line.amount,
            };
            *nets.entry(line.account).or_default() += signed;
        }
        nets.retain(|_, net| !net.is_zero());
        nets
    }

    /// The entry that takes accounts standing at `posted` to `target`
    /// (both nets, debits less credits). Two balanced states give a
    /// balanced difference; equal states give an empty one.
    pub fn difference(target: &Nets, posted: &Nets) -> Self {
        let accounts: std::collections::BTreeSet<Account> =
            target.keys().chain(posted.keys()).copied().collect();
        accounts
            .into_iter()
            .fold(Self::default(), |entry, account| {
                let wanted = target.get(&account).copied().unwrap_or_default();
                let held = posted.get(&account).copied().unwrap_or_default();
                entry.debit(account, wanted - held)
            })
    }

    /// The sum of the lines on `account` and `side`.
    pub fn on(&self, account: Account, side: Side) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.account == account && l.side == side)
            .map(|l| l.amount)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn codes_round_trip_and_sides_follow_the_account() {
        for account in Account::ALL {
            assert_eq!(Account::parse(account.code()), Some(account));
        }
        assert_eq!(Account::PayeePayable.normal_side(), Side::Credit);
        assert_eq!(Account::PromotionExpense.normal_side(), Side::Debit);
    }

    #[test]
    fn zero_lines_are_left_out_and_negative_ones_change_side() {
        let entry = Entry::default()
            .debit(Account::BuyerClearing, dec(100))
            .debit(Account::PromotionExpense, Decimal::ZERO)
            .credit(Account::PayeePayable, dec(-20))
            .credit(Account::PayeePayable, dec(120));
        assert_eq!(entry.lines().len(), 3);
        assert_eq!(entry.on(Account::PayeePayable, Side::Debit), dec(20));
        assert!(entry.balances());
        assert_eq!(entry.payee_net(), dec(100));
    }

    #[test]
    fn a_difference_moves_what_was_posted_to_what_is_wanted() {
        let posted = Entry::default()
            .debit(Account::BuyerClearing, dec(100))
            .credit(Account::PayeePayable, dec(100));
        let wanted = Entry::default()
            .debit(Account::BuyerClearing, dec(80))
            .debit(Account::PromotionExpense, dec(20))
            .credit(Account::PayeePayable, dec(100));
        let difference = Entry::difference(&wanted.nets(), &posted.nets());
        assert!(difference.balances());
        assert_eq!(difference.on(Account::BuyerClearing, Side::Credit), dec(20));
        assert_eq!(
            difference.on(Account::PromotionExpense, Side::Debit),
            dec(20)
        );
        assert_eq!(difference.lines().len(), 2);
        let mut after = posted.nets();
        for (account, net) in difference.nets() {
            *after.entry(account).or_default() += net;
        }
        after.retain(|_, net| !net.is_zero());
        assert_eq!(after, wanted.nets());
        assert!(
            Entry::difference(&wanted.nets(), &wanted.nets())
                .lines()
                .is_empty()
        );
        let reversal = Entry::difference(&Nets::new(), &wanted.nets());
        assert_eq!(reversal.payee_net(), -wanted.payee_net());
    }
}
