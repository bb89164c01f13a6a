//! The SMTP sink (maildev) as tests see it.

use serde_json::Value;

/// Settings for sending to the sink, and a reader of what it received.
pub struct TestMail {
    smtp_url: String,
    api_url: String,
}

impl TestMail {
    pub fn from_env() -> Self {
        Self {
            smtp_url: crate::env::required_env("TEST_SMTP_URL"),
            api_url: crate::env::required_env("TEST_MAILDEV_URL"),
        }
    }

    pub fn smtp_url(&self) -> &str {
        &self.smtp_url
    }

    /// Every message the sink holds for `address` (tests use unique addresses),
    /// oldest first, as maildev's JSON (`subject`, `text`, `html`, `to`, ...).
    pub async fn messages_to(&self, address: &str) -> Vec<Value> {
        let all: Vec<Value> = reqwest::get(format!("{}/email", self.api_url))
            .await
            .expect("maildev answers")
            .json()
            .await
            .expect("maildev JSON");
        all.into_iter()
            .filter(|message| {
                message["to"].as_array().is_some_and(|to| {
                    to.iter().any(|r| {
                        r["address"]
                            .as_str()
                            .is_some_and(|a| a.eq_ignore_ascii_case(address))
                    })
                })
            })
            .collect()
    }

    /// The `token` of the link in the newest message to `address`.
    pub async fn emailed_token(&self, address: &str) -> String {
        let messages = self.messages_to(address).await;
        let text = messages.last().expect("a message")["text"]
            .as_str()
            .expect("a text part")
            .to_owned();
        let start = text.find("token=").expect("a link with a token") + "token=".len();
        text[start..]
            .split_whitespace()
            .next()
            .expect("token")
            .to_owned()
    }

    /// A unique address for this test.
    pub fn unique_address(label: &str) -> String {
        format!(
            "{label}.{}@example.com",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        )
    }
}
