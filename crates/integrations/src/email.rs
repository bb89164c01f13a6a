//! Email over SMTP (the SMTP sink `maildev` in development and tests).

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// `[smtp]`.
#[derive(Debug, Clone, Deserialize)]
pub struct SmtpSettings {
    /// `smtp://host:port` (plain, local sinks), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host:465`. A secret when it has credentials.
    pub url: SecretString,
    /// The sender, e.g. `Marketplace <no-reply@example.com>`.
    pub from: String,
    pub timeout_ms: u64,
}

/// One message to one recipient, with a plain-text and an HTML body.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail configuration: {0}")]
    Config(String),
    #[error("address {0:?} is not valid")]
    Address(String),
    #[error("message could not be built: {0}")]
    Build(String),
    /// The server refused or could not be reached; retrying may succeed.
    #[error("sending failed: {0}")]
    Send(String),
}

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(settings: &SmtpSettings) -> Result<Self, MailError> {
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(settings.url.expose_secret())
                .map_err(|e| MailError::Config(e.to_string()))?
                .timeout(Some(Duration::from_millis(settings.timeout_ms)))
                .build();
        let from = settings
            .from
            .parse()
            .map_err(|_| MailError::Address(settings.from.clone()))?;
        Ok(Self { transport, from })
    }

    pub async fn send(&self, email: &Email) -> Result<(), MailError> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|_| MailError::Address(email.to.clone()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.subject)
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|e| MailError::Build(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailError::Send(e.to_string()))?;
        Ok(())
    }
}
