//! Key rotation: once a new key is active, this pass re-seals every value
//! still under an older one — accounts first, then every other sealed
//! column — a batch at a time. Each batch enqueues the next
//! with its cursor; a worker dying mid-batch just means the batch runs again
//! (re-sealing is repeatable), so the work always finishes.

use crypto::DataClass;
use jobs::Job as _;
use persistence::identity::users::{UserEmail, UserName, UserPhone};
use persistence::maintenance::rotation::{self, SealedColumn, SealedUser};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Context;

const BATCH: i32 = 200;

/// Re-seals accounts after `after` (by id) still under a retired contact key.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ResealUsers {
    pub after: Option<Uuid>,
}

impl jobs::Job for ResealUsers {
    const KIND: &'static str = "crypto.reseal_users";
}

/// Starts a pass unless one is already queued or running.
pub async fn start(context: &Context) -> Result<Option<i64>, crate::AppError> {
    let mut conn = context.db.get().await?;
    let options = jobs::EnqueueOptions {
        unique_key: Some(ResealUsers::KIND.to_owned()),
        ..jobs::EnqueueOptions::default()
    };
    Ok(jobs::enqueue_with(&mut conn, &ResealUsers::default(), options).await?)
}

fn reseal<F: crypto::Field>(
    vault: &crypto::Vault,
    sealed: &[u8],
) -> Result<Vec<u8>, jobs::JobError> {
    vault
        .reseal(F::CLASS, F::COLUMN, sealed)
        .map_err(|e| jobs::JobError::permanent(format!("{}: {e}", F::COLUMN)))
}

pub(crate) async fn reseal_users(
    context: &Context,
    job: ResealUsers,
) -> Result<(), jobs::JobError> {
    let retry = |e: &dyn std::fmt::Display| jobs::JobError::retry(e.to_string());
    let vault = crypto::installed().map_err(|e| retry(&e))?;
    let active = vault.active_key(DataClass::Contact).to_owned();
    let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
    let batch = rotation::users_not_under(&mut conn, &active, job.after, BATCH)
        .await
        .map_err(|e| retry(&e))?;
    let mut resealed = 0;
    for row in &batch {
        let fresh = SealedUser {
            id: row.id,
            email: reseal::<UserEmail>(vault, &row.email)?,
            name: reseal::<UserName>(vault, &row.name)?,
            phone: row
                .phone
                .as_deref()
                .map(|p| reseal::<UserPhone>(vault, p))
                .transpose()?,
        };
        if rotation::replace_sealed_user(&mut conn, row, &fresh)
            .await
            .map_err(|e| retry(&e))?
        {
            resealed += 1;
        }
    }
    tracing::info!(
        resealed,
        examined = batch.len(),
        "re-sealed accounts under retired keys"
    );
    if batch.len() == usize::try_from(BATCH).unwrap_or(usize::MAX) {
        let next = ResealUsers {
            after: batch.last().map(|row| row.id),
        };
        jobs::enqueue(&mut conn, &next)
            .await
            .map_err(|e| retry(&e))?;
    } else {
        jobs::enqueue(&mut conn, &ResealColumns::default())
            .await
            .map_err(|e| retry(&e))?;
    }
    Ok(())
}

/// The rest of a pass: every other sealed column (staff, partner secrets,
/// birth dates, pending emails), one after another, a batch per job.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ResealColumns {
    /// Index into [`SealedColumn::ALL`].
    pub column: usize,
    pub after: Option<Uuid>,
}

impl jobs::Job for ResealColumns {
    const KIND: &'static str = "crypto.reseal_columns";
}

fn field_of(column: SealedColumn) -> (DataClass, &'static str) {
    use crypto::Field;
    use persistence::identity::users;
    use persistence::{partners::registry, sellers::vendors, staff::members, wallet::refunds};
    fn of<F: Field>() -> (DataClass, &'static str) {
        (F::CLASS, F::COLUMN)
    }
    match column {
        SealedColumn::StaffEmail => of::<members::StaffEmail>(),
        SealedColumn::StaffName => of::<members::StaffName>(),
        SealedColumn::StaffTotpSecret => of::<members::StaffTotpSecret>(),
        SealedColumn::PartnerSigningSecret => of::<registry::PartnerSigningSecret>(),
        SealedColumn::UserBirthDate => of::<users::UserBirthDate>(),
        SealedColumn::PendingEmail => of::<users::PendingEmail>(),
        SealedColumn::SellerContactEmail => of::<vendors::SellerContactEmail>(),
        SealedColumn::SellerContactPhone => of::<vendors::SellerContactPhone>(),
        SealedColumn::SettlementAccountNumber => of::<vendors::SettlementAccountNumber>(),
        SealedColumn::SettlementAccountHolder => of::<vendors::SettlementAccountHolder>(),
        SealedColumn::WalletRefundAccount => of::<refunds::RefundAccountField>(),
        SealedColumn::ClaimRefundAccount => {
            of::<persistence::claims::requests::ClaimRefundAccount>()
        }
    }
}

pub(crate) async fn reseal_columns(
    context: &Context,
    job: ResealColumns,
) -> Result<(), jobs::JobError> {
    let retry = |e: &dyn std::fmt::Display| jobs::JobError::retry(e.to_string());
    let vault = crypto::installed().map_err(|e| retry(&e))?;
    let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
    let (mut index, mut after) = (job.column, job.after);
    while let Some(&column) = SealedColumn::ALL.get(index) {
        let (class, aad) = field_of(column);
        // A contact envelope names its key in the clear; a financial one
        // hides the inner key, so those rows are checked after opening.
        let outer = match class {
            DataClass::Contact => Some(vault.active_key(DataClass::Contact).to_owned()),
            DataClass::Financial => None,
        };
        let batch = rotation::sealed_values(&mut conn, column, outer.as_deref(), after, BATCH)
            .await
            .map_err(|e| retry(&e))?;
        let mut resealed = 0;
        for row in &batch {
            let current = vault
                .is_current(class, aad, &row.value)
                .map_err(|e| jobs::JobError::permanent(format!("{aad}: {e}")))?;
            if current {
                continue;
            }
            let fresh = vault
                .reseal(class, aad, &row.value)
                .map_err(|e| jobs::JobError::permanent(format!("{aad}: {e}")))?;
            if rotation::replace_sealed_value(&mut conn, column, row.id, &row.value, &fresh)
                .await
                .map_err(|e| retry(&e))?
            {
                resealed += 1;
            }
        }
        tracing::info!(
            column = aad,
            resealed,
            examined = batch.len(),
            "re-sealed values under retired keys"
        );
        if batch.len() == usize::try_from(BATCH).unwrap_or(usize::MAX) {
            let next = ResealColumns {
                column: index,
                after: batch.last().map(|row| row.id),
            };
            return jobs::enqueue(&mut conn, &next)
                .await
                .map(|_| ())
                .map_err(|e| retry(&e));
        }
        (index, after) = (index + 1, None);
    }
    Ok(())
}
