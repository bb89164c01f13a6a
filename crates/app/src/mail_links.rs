//! Emails that carry a signed link (verification, password reset): load the
//! account, decrypt its address, sign the link, send. Shared by the jobs.

use persistence::users;
use uuid::Uuid;

use crate::Context;

/// A message around a link; `compose` gets the account's name and the link.
pub(crate) struct LinkMessage {
    pub subject: &'static str,
    pub text: String,
    pub html: String,
}

/// Emails `user_id` the link `<base>/<path>?token=<signed id>` for `purpose`.
pub(crate) async fn send_link(
    context: &Context,
    user_id: Uuid,
    purpose: &str,
    id: Uuid,
    path: &str,
    compose: impl FnOnce(&str, &str) -> LinkMessage,
) -> Result<(), jobs::JobError> {
    let retry = |e: &dyn std::fmt::Display| jobs::JobError::retry(e.to_string());
    let user = {
        let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
        users::find(&mut conn, user_id)
            .await
            .map_err(|e| retry(&e))?
    };
    let (Some(address), Some(name)) = (user.email.value(), user.name.value()) else {
        return Err(jobs::JobError::permanent(
            "the account's email cannot be decrypted",
        ));
    };
    let token = context.identity.links.sign(purpose, id.into_bytes());
    let link = format!(
        "{}/{path}?token={token}",
        context.identity.email_link_base_url
    );
    let message = compose(name, &link);
    let email = integrations::email::Email {
        to: address.to_owned(),
        subject: message.subject.to_owned(),
        text: message.text,
        html: message.html,
    };
    context.mailer.send(&email).await.map_err(|e| retry(&e))
}

pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
