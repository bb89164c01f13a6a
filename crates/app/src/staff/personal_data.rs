//! Staff reads of a person's personal data: each one is audited (who read
//! whose what, when, from where) before the data is handed over.

use serde_json::json;
use uuid::Uuid;

use crate::identity::accounts::Profile;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::{AppError, Context};

/// A shopper's profile, decrypted for an operations staff member.
pub async fn shopper_profile(
    context: &Context,
    caller: &StaffPrincipal,
    user_id: Uuid,
) -> Result<Profile, AppError> {
    let profile = crate::identity::accounts::profile(context, &user_id.to_string()).await?;
    audit::record_now(
        context,
        &AuditEvent {
            actor: caller.actor.clone(),
            action: "personal_data.read",
            subject: Some(("user", user_id.to_string())),
            details: json!({ "fields": ["email", "name", "phone"] }),
        },
    )
    .await?;
    Ok(profile)
}
