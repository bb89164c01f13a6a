//! Settlement: commission rules frozen at placement, and the journal of
//! what each vendor earns (at purchase confirmation).

pub mod accrual;
pub mod commission;
pub mod jobs;
pub mod journal;
pub mod payouts;
pub mod statements;

pub use persistence::settlement::journal::{AccountTotals, EntryFilter, EntryRow, LineRow};
pub use persistence::settlement::payouts::{BatchFilter, BatchRow, DueEarning};
pub use persistence::settlement::rules::RuleRow;
pub use persistence::settlement::statements::BalanceRow;
