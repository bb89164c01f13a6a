//! Payouts: a payee is paid in batches, one per payout cycle. A batch
//! claims every entry of its payee before the cycle's cut-off that no batch
//! claimed, and pays their net; a payee whose net is not positive is paid
//! nothing and carries it (the entries stay unclaimed and net with later
//! earnings). Operations approve a batch, export the bank transfer, and
//! record whether it was paid; a failed transfer reopens the same batch.
//! What a payee owes back sits in its claims receivable from the sweep that
//! finds it owing until later earnings net it ([`receivable_move`]).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::journal::{Account, Entry};
use crate::calendar::BusinessCalendar;

/// The entry that leaves a payee's claims receivable holding exactly what
/// the payee owes back: `owed` is what the platform owes it over all its
/// accounts (negative when it owes), `receivable` the receivable's balance.
/// It moves the difference between the payable and the receivable, so
/// what the payee is owed does not change; empty when nothing moves.
pub fn receivable_move(owed: Decimal, receivable: Decimal) -> Entry {
    let change = (-owed).max(Decimal::ZERO) - receivable;
    Entry::default()
        .debit(Account::ClaimsReceivable, change)
        .credit(Account::PayeePayable, change)
}

/// How often a payee is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cycle {
    /// Entries before each Monday.
    Weekly,
    /// Entries before each 1st of the month.
    Monthly,
}

impl Cycle {
    pub const ALL: [Cycle; 2] = [Self::Weekly, Self::Monthly];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// The start of the cycle period `date` falls in.
    fn period_start(self, date: NaiveDate) -> NaiveDate {
        match self {
            Self::Weekly => {
                date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday()))
            }
            Self::Monthly => date.with_day(1).unwrap_or(date),
        }
    }
}

/// The cut-off (a Korean date: entries before its start are swept) of the
/// sweep that runs on `today`, when `today` is a sweep day: the first
/// business day on or after the period's start.
pub fn cut_off(cycle: Cycle, today: NaiveDate, calendar: &BusinessCalendar) -> Option<NaiveDate> {
    let start = cycle.period_start(today);
    let sweep_day = start
        .iter_days()
        .find(|day| calendar.is_business_day(*day))
        .unwrap_or(start);
    (sweep_day == today).then_some(start)
}

/// Where a batch stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Swept, waiting for operations' review.
    Draft,
    /// Approved for transfer (again, after a failed one).
    Approved,
    /// In the bank-transfer file handed to the bank.
    Exported,
    /// The bank paid it: final.
    Paid,
}

impl Status {
    pub const ALL: [Status; 4] = [Self::Draft, Self::Approved, Self::Exported, Self::Paid];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Approved => "approved",
            Self::Exported => "exported",
            Self::Paid => "paid",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    /// Exporting an exported batch hands out the same transfer again.
    Export,
    MarkPaid,
    /// The transfer bounced: the batch is approved again, for a new export.
    MarkFailed,
}

impl Status {
    pub fn after(self, action: Action) -> Option<Status> {
        match (self, action) {
            (Self::Draft, Action::Approve) => Some(Self::Approved),
            (Self::Approved | Self::Exported, Action::Export) => Some(Self::Exported),
            (Self::Exported, Action::MarkPaid) => Some(Self::Paid),
            (Self::Exported, Action::MarkFailed) => Some(Self::Approved),
            _ => None,
        }
    }
}

/// One transfer of a bulk bank-transfer file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The bank's 3-digit code.
    pub bank_code: String,
    pub account_number: String,
    pub holder: String,
    /// Whole won.
    pub amount: i64,
    /// What the payee's statement shows.
    pub memo: String,
}

/// A bulk-transfer file as Korean firm banking takes it: a header, then one
/// line per transfer (bank code, account, holder, amount, memo), CRLF.
pub fn transfer_file(transfers: &[Transfer]) -> String {
    let mut file = String::from("bank_code,account_number,account_holder,amount,memo\r\n");
    for t in transfers {
        let fields = [
            csv_field(&t.bank_code),
            csv_field(&t.account_number),
            csv_field(&t.holder),
            t.amount.to_string(),
            csv_field(&t.memo),
        ];
        file.push_str(&fields.join(","));
        file.push_str("\r\n");
    }
    file
}

/// Quotes a field that needs it; a leading formula character is defused.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn sweeps_run_on_the_first_business_day_of_each_cycle() {
        let calendar = BusinessCalendar::korean();
        // Monday 2026-12-07: a sweep day for weekly payees.
        assert_eq!(
            cut_off(Cycle::Weekly, day(2026, 12, 7), &calendar),
            Some(day(2026, 12, 7))
        );
        assert_eq!(cut_off(Cycle::Weekly, day(2026, 12, 8), &calendar), None);
        // Monday 2026-10-05 is the substitute for National Foundation Day:
        // that week sweeps on Tuesday.
        assert_eq!(cut_off(Cycle::Weekly, day(2026, 10, 5), &calendar), None);
        assert_eq!(
            cut_off(Cycle::Weekly, day(2026, 10, 6), &calendar),
            Some(day(2026, 10, 5))
        );
        // 1 January 2027 is a holiday (a Friday): the month sweeps Monday the 4th.
        assert_eq!(cut_off(Cycle::Monthly, day(2027, 1, 1), &calendar), None);
        assert_eq!(
            cut_off(Cycle::Monthly, day(2027, 1, 4), &calendar),
            Some(day(2027, 1, 1))
        );
        // March 2026 begins on a Sunday, and its substitute holiday on Monday.
        assert_eq!(
            cut_off(Cycle::Monthly, day(2026, 3, 3), &calendar),
            Some(day(2026, 3, 1))
        );
    }

    proptest! {
        /// Whatever the payee's position, one move leaves the receivable
        /// at what it owes back, changes nothing it is owed, and a second
        /// move finds nothing to do.
        #[test]
        fn the_receivable_holds_what_the_payee_owes_back(
            others in -2_000_000_i64..2_000_000,
            receivable in 0_i64..1_000_000,
        ) {
            let won = Decimal::from;
            // What the payee is owed over its accounts: the receivable counts against it.
            let owed = won(others) - won(receivable);
            let entry = receivable_move(owed, won(receivable));
            prop_assert!(entry.balances());
            prop_assert_eq!(entry.payee_net(), Decimal::ZERO);
            let nets = entry.nets();
            let after = won(receivable) + nets.get(&Account::ClaimsReceivable).copied().unwrap_or_default();
            prop_assert_eq!(after, (-owed).max(Decimal::ZERO));
            prop_assert!(receivable_move(owed, after).lines().is_empty());
        }

        /// Every period of 2026–2027 has exactly one sweep day, on a business day.
        #[test]
        fn each_period_sweeps_once(offset in 0_u64..700, monthly in any::<bool>()) {
            let calendar = BusinessCalendar::korean();
            let cycle = if monthly { Cycle::Monthly } else { Cycle::Weekly };
            let start = cycle.period_start(day(2026, 1, 5) + chrono::Days::new(offset));
            let sweeps: Vec<NaiveDate> = start
                .iter_days()
                .take_while(|d| cycle.period_start(*d) == start)
                .filter(|d| cut_off(cycle, *d, &calendar).is_some())
                .collect();
            prop_assert_eq!(sweeps.len(), 1);
            prop_assert!(calendar.is_business_day(sweeps[0]));
            prop_assert_eq!(cut_off(cycle, sweeps[0], &calendar), Some(start));
        }

        /// A batch is paid at most once, and only after an export; nothing
        /// leaves `paid`.
        #[test]
        fn a_batch_is_paid_once_and_only_after_export(
            actions in prop::collection::vec(0_usize..4, 0..20),
        ) {
            let all = [Action::Approve, Action::Export, Action::MarkPaid, Action::MarkFailed];
            let mut status = Status::Draft;
            let mut paid = 0;
            for a in actions {
                let action = all[a];
                if let Some(next) = status.after(action) {
                    if next == Status::Paid {
                        prop_assert_eq!(status, Status::Exported);
                        paid += 1;
                    }
                    status = next;
                }
            }
            prop_assert!(paid <= 1);
            for action in all {
                prop_assert_eq!(Status::Paid.after(action), None);
            }
        }
    }

    #[test]
    fn the_transfer_file_quotes_what_needs_it() {
        let file = transfer_file(&[Transfer {
            bank_code: "004".into(),
            account_number: "123-456".into(),
            holder: "=Coat, \"Co\"".into(),
            amount: 80_100,
            memo: "MKT 12".into(),
        }]);
        assert_eq!(
            file,
            "bank_code,account_number,account_holder,amount,memo\r\n004,123-456,\"'=Coat, \"\"Co\"\"\",80100,MKT 12\r\n"
        );
    }
}
