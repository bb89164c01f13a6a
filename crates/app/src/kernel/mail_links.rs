//! Emails that carry a signed link (verification, password reset): load the
//! account, decrypt its address, sign the link, send. Shared by the jobs.

use persistence::identity::users;
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
    let recipient = Recipient {
        address: user.email.value(),
        name: user.name.value(),
    };
    let link = Link {
        base_url: &context.identity.email_link_base_url,
        path,
        purpose,
        id,
    };
    send_link_to(context, recipient, link, compose).await
}

/// Who a link goes to, as decrypted (`None`: could not be).
pub(crate) struct Recipient<'a> {
    pub address: Option<&'a str>,
    pub name: Option<&'a str>,
}

/// Where a link points and what it carries.
pub(crate) struct Link<'a> {
    pub base_url: &'a str,
    pub path: &'a str,
    pub purpose: &'a str,
    pub id: Uuid,
}

/// Signs `link.id` for `link.purpose` and emails `<base>/<path>?token=...`.
pub(crate) async fn send_link_to(
    context: &Context,
    recipient: Recipient<'_>,
    link: Link<'_>,
    compose: impl FnOnce(&str, &str) -> LinkMessage,
) -> Result<(), jobs::JobError> {
    let (Some(address), Some(name)) = (recipient.address, recipient.name) else {
        return Err(jobs::JobError::permanent(
            "the recipient's email cannot be decrypted",
        ));
    };
    let token = context
        .identity
        .links
        .sign(link.purpose, link.id.into_bytes());
    let url = format!(
        "{}/{}?token={token}",
        link.base_url.trim_end_matches('/'),
        link.path
    );
    let message = compose(name, &url);
    let email = integrations::email::Email {
        to: address.to_owned(),
        subject: message.subject.to_owned(),
        text: message.text,
        html: message.html,
    };
    context
        .mailer
        .send(&email)
        .await
        .map_err(|e| jobs::JobError::retry(e.to_string()))
}

pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
