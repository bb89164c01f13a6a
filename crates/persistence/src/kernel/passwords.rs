//! Passwords of everyone who logs in with one, shoppers and staff alike:
//! the stored hash and the single-use reset links. One mechanism; each kind
//! of account keeps its own tables (`users` and `password_resets`,
//! `staff_accounts` and `staff_password_resets`).

use chrono::{DateTime, Utc};
use diesel::OptionalExtension;
use diesel::QueryableByName;
use diesel::sql_types::{Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;

/// Whose password: a shopper's account or a staff member's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Shopper,
    Staff,
}

/// The statements of one kind of account, written once for both.
struct Statements {
    hash: &'static str,
    set_hash: &'static str,
    insert_reset: &'static str,
    usable_reset: &'static str,
    mark_reset_used: &'static str,
}

macro_rules! statements {
    ($accounts:literal, $resets:literal, $owner:literal) => {
        Statements {
            hash: concat!("SELECT password_hash FROM ", $accounts, " WHERE id = $1"),
            set_hash: concat!(
                "UPDATE ",
                $accounts,
                " SET password_hash = $2 WHERE id = $1"
            ),
            insert_reset: concat!(
                "INSERT INTO ",
                $resets,
                " (id, ",
                $owner,
                ", expires_at) VALUES ($1, $2, $3)"
            ),
            // Locked until the transaction ends: two uses of one link
            // cannot both pass.
            usable_reset: concat!(
                "SELECT ",
                $owner,
                " AS account FROM ",
                $resets,
                " WHERE id = $1 AND used_at IS NULL AND expires_at > $2 FOR UPDATE"
            ),
            mark_reset_used: concat!("UPDATE ", $resets, " SET used_at = $2 WHERE id = $1"),
        }
    };
}

const SHOPPERS: Statements = statements!("users", "password_resets", "user_id");
const STAFF: Statements = statements!("staff_accounts", "staff_password_resets", "staff_id");

impl Holder {
    fn statements(self) -> &'static Statements {
        match self {
            Self::Shopper => &SHOPPERS,
            Self::Staff => &STAFF,
        }
    }
}

#[derive(QueryableByName)]
struct Hash {
    #[diesel(sql_type = Nullable<Text>)]
    password_hash: Option<String>,
}

/// The account's password hash, if it has a password.
pub async fn find_password_hash(
    conn: &mut AsyncPgConnection,
    holder: Holder,
    id: Uuid,
) -> Result<Option<String>, StoreError> {
    let row: Option<Hash> =
        Reusable::fixed(diesel::sql_query(holder.statements().hash).bind::<SqlUuid, _>(id))
            .get_result(conn)
            .await
            .optional()?;
    Ok(row.and_then(|r| r.password_hash))
}

pub async fn update_password_hash(
    conn: &mut AsyncPgConnection,
    holder: Holder,
    id: Uuid,
    hash: &str,
) -> Result<(), StoreError> {
    Reusable::fixed(
        diesel::sql_query(holder.statements().set_hash)
            .bind::<SqlUuid, _>(id)
            .bind::<Text, _>(hash),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A reset link `id` for the account, good until `expires_at`.
pub async fn insert_reset(
    conn: &mut AsyncPgConnection,
    holder: Holder,
    id: Uuid,
    account_id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    Reusable::fixed(
        diesel::sql_query(holder.statements().insert_reset)
            .bind::<SqlUuid, _>(id)
            .bind::<SqlUuid, _>(account_id)
            .bind::<Timestamptz, _>(expires_at),
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(QueryableByName)]
struct Account {
    #[diesel(sql_type = SqlUuid)]
    account: Uuid,
}

/// The account of an unused, unexpired reset, the row locked until the
/// transaction ends (two uses of one link cannot both pass).
pub async fn find_usable_reset_for_update(
    conn: &mut AsyncPgConnection,
    holder: Holder,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    let row: Option<Account> = Reusable::fixed(
        diesel::sql_query(holder.statements().usable_reset)
            .bind::<SqlUuid, _>(id)
            .bind::<Timestamptz, _>(now),
    )
    .get_result(conn)
    .await
    .optional()?;
    Ok(row.map(|r| r.account))
}

pub async fn mark_reset_used(
    conn: &mut AsyncPgConnection,
    holder: Holder,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    Reusable::fixed(
        diesel::sql_query(holder.statements().mark_reset_used)
            .bind::<SqlUuid, _>(id)
            .bind::<Timestamptz, _>(now),
    )
    .execute(conn)
    .await?;
    Ok(())
}
