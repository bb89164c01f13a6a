//! Points: members' balances derived from the ledger; grants by operations.

use chrono::Utc;
use persistence::kernel::lots::{self, Ledger};
use persistence::pricing::points;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{AppError, Context};

pub struct PointsView {
    pub balance: Decimal,
    /// Unexpired lots with what is left, soonest to expire first.
    pub lots: Vec<points::Lot>,
    /// The latest entries, newest first.
    pub history: Vec<lots::Entry>,
}

pub async fn view(context: &Context, user_id: Uuid) -> Result<PointsView, AppError> {
    let mut conn = context.db.get().await?;
    let lots = points::open_lots(&mut conn, user_id, Utc::now()).await?;
    let history = lots::history(&mut conn, Ledger::Points, user_id, 100).await?;
    Ok(PointsView {
        balance: lots.iter().map(|l| l.remaining).sum(),
        lots,
        history,
    })
}
