//! Finding and rewriting sealed values still under a retired key. The key id
//! sits in each envelope's header (`[version][id length][id]...`), so SQL can
//! select exactly the rows that need work.

use diesel::prelude::*;
use diesel::sql_types::{Bytea, Integer, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;

/// The raw sealed columns of one account.
#[derive(Debug, Clone, QueryableByName)]
pub struct SealedUser {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Bytea)]
    pub email: Vec<u8>,
    #[diesel(sql_type = Bytea)]
    pub name: Vec<u8>,
    #[diesel(sql_type = Nullable<Bytea>)]
    pub phone: Option<Vec<u8>>,
}

/// Accounts (by id, after `after`) with any contact value not sealed under
/// `active_key`, at most `limit`.
pub async fn users_not_under(
    conn: &mut AsyncPgConnection,
    active_key: &str,
    after: Option<Uuid>,
    limit: i32,
) -> Result<Vec<SealedUser>, StoreError> {
    Ok(diesel::sql_query(
        "SELECT id, email, name, phone FROM users \
         WHERE ($2::uuid IS NULL OR id > $2) \
           AND (substring(email FROM 3 FOR get_byte(email, 1)) <> convert_to($1, 'UTF8') \
             OR substring(name FROM 3 FOR get_byte(name, 1)) <> convert_to($1, 'UTF8') \
             OR (phone IS NOT NULL AND substring(phone FROM 3 FOR get_byte(phone, 1)) <> convert_to($1, 'UTF8'))) \
         ORDER BY id LIMIT $3",
    )
    .bind::<Text, _>(active_key)
    .bind::<Nullable<SqlUuid>, _>(after)
    .bind::<Integer, _>(limit)
    .load(conn)
    .await?)
}

/// Replaces the sealed values if they are still what was read (a concurrent
/// edit wins; the next pass picks the row up again if needed).
pub async fn replace_sealed_user(
    conn: &mut AsyncPgConnection,
    before: &SealedUser,
    after: &SealedUser,
) -> Result<bool, StoreError> {
    let updated = diesel::sql_query(
        "UPDATE users SET email = $5, name = $6, phone = $7 \
         WHERE id = $1 AND email = $2 AND name = $3 AND phone IS NOT DISTINCT FROM $4",
    )
    .bind::<SqlUuid, _>(before.id)
    .bind::<Bytea, _>(&before.email)
    .bind::<Bytea, _>(&before.name)
    .bind::<Nullable<Bytea>, _>(before.phone.as_deref())
    .bind::<Bytea, _>(&after.email)
    .bind::<Bytea, _>(&after.name)
    .bind::<Nullable<Bytea>, _>(after.phone.as_deref())
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// The sealed columns beyond `users`' contact data, re-sealed one after
/// another by the same pass. Every table here keys its rows by `id UUID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedColumn {
    StaffEmail,
    StaffName,
    StaffTotpSecret,
    PartnerSigningSecret,
    UserBirthDate,
    PendingEmail,
    SellerContactEmail,
    SellerContactPhone,
    SettlementAccountNumber,
    SettlementAccountHolder,
    WalletRefundAccount,
    ClaimRefundAccount,
}

impl SealedColumn {
    pub const ALL: [SealedColumn; 12] = [
        Self::StaffEmail,
        Self::StaffName,
        Self::StaffTotpSecret,
        Self::PartnerSigningSecret,
        Self::UserBirthDate,
        Self::PendingEmail,
        Self::SellerContactEmail,
        Self::SellerContactPhone,
        Self::SettlementAccountNumber,
        Self::SettlementAccountHolder,
        Self::WalletRefundAccount,
        Self::ClaimRefundAccount,
    ];

    /// `(table, column)`: fixed names, never from input.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::StaffEmail => ("staff_accounts", "email"),
            Self::StaffName => ("staff_accounts", "name"),
            Self::StaffTotpSecret => ("staff_accounts", "totp_secret"),
            Self::PartnerSigningSecret => ("partner_keys", "signing_secret"),
            Self::UserBirthDate => ("users", "birth_date"),
            Self::PendingEmail => ("email_verifications", "new_email"),
            Self::SellerContactEmail => ("seller_business_profiles", "contact_email"),
            Self::SellerContactPhone => ("seller_business_profiles", "contact_phone"),
            Self::SettlementAccountNumber => {
                ("seller_business_profiles", "settlement_account_number")
            }
            Self::SettlementAccountHolder => {
                ("seller_business_profiles", "settlement_account_holder")
            }
            Self::WalletRefundAccount => ("wallet_refunds", "refund_account"),
            Self::ClaimRefundAccount => ("claims", "refund_account"),
        }
    }
}

/// One sealed value and the row it belongs to.
#[derive(Debug, Clone, QueryableByName)]
pub struct SealedValue {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Bytea)]
    pub value: Vec<u8>,
}

/// Rows (by id, after `after`) with a value in `column`; with
/// `not_under_key`, only those whose outer envelope names another key.
pub async fn sealed_values(
    conn: &mut AsyncPgConnection,
    column: SealedColumn,
    not_under_key: Option<&str>,
    after: Option<Uuid>,
    limit: i32,
) -> Result<Vec<SealedValue>, StoreError> {
    let (table, name) = column.names();
    let key_filter = if not_under_key.is_some() {
        format!("AND substring({name} FROM 3 FOR get_byte({name}, 1)) <> convert_to($1, 'UTF8')")
    } else {
        "AND $1::text IS NULL".to_owned()
    };
    Ok(diesel::sql_query(format!(
        "SELECT id, {name} AS value FROM {table} \
         WHERE {name} IS NOT NULL AND ($2::uuid IS NULL OR id > $2) {key_filter} \
         ORDER BY id LIMIT $3"
    ))
    .bind::<Nullable<Text>, _>(not_under_key)
    .bind::<Nullable<SqlUuid>, _>(after)
    .bind::<Integer, _>(limit)
    .load(conn)
    .await?)
}

/// Replaces one sealed value if it is still what was read.
pub async fn replace_sealed_value(
    conn: &mut AsyncPgConnection,
    column: SealedColumn,
    id: Uuid,
    before: &[u8],
    after: &[u8],
) -> Result<bool, StoreError> {
    let (table, name) = column.names();
    let updated = diesel::sql_query(format!(
        "UPDATE {table} SET {name} = $3 WHERE id = $1 AND {name} = $2"
    ))
    .bind::<SqlUuid, _>(id)
    .bind::<Bytea, _>(before)
    .bind::<Bytea, _>(after)
    .execute(conn)
    .await?;
    Ok(updated == 1)
}
