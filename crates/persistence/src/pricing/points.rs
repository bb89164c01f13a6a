//! The points ledger's lots: grants with an expiry, spent earliest expiry
//! first. Grants and the entries against them are written through `kernel::lots`
//! (`Ledger::Points`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Numeric, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;

/// A grant with what is left of it.
#[derive(Debug, Clone, QueryableByName)]
pub struct Lot {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
    #[diesel(sql_type = Numeric)]
    pub remaining: Decimal,
    #[diesel(sql_type = Timestamptz)]
    pub expires_at: DateTime<Utc>,
}

/// The member's unexpired lots with something left.
pub async fn open_lots(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Lot>, StoreError> {
    Ok(Reusable::fixed(
        diesel::sql_query(
            "SELECT g.id, g.amount + COALESCE(sum(e.amount), 0) AS remaining, g.expires_at \
         FROM point_ledger g LEFT JOIN point_ledger e ON e.lot_id = g.id \
         WHERE g.user_id = $1 AND g.kind = 'grant' AND g.expires_at > $2 \
         GROUP BY g.id HAVING g.amount + COALESCE(sum(e.amount), 0) > 0 \
         ORDER BY g.expires_at, g.id",
        )
        .bind::<SqlUuid, _>(user_id)
        .bind::<Timestamptz, _>(now),
    )
    .load(conn)
    .await?)
}
