//! Key rotation: once a new key is active, this job re-seals every value
//! still under an older one, a batch at a time. Each batch enqueues the next
//! with its cursor; a worker dying mid-batch just means the batch runs again
//! (re-sealing is repeatable), so the work always finishes.

use crypto::DataClass;
use jobs::Job as _;
use persistence::rotation::{self, SealedUser};
use persistence::users::{UserEmail, UserName, UserPhone};
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
    }
    Ok(())
}
