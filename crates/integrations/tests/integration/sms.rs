//! The Solapi client against the protocol double.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use integrations::sms::{SmsError, SmsSettings, SolapiClient};
use secrecy::SecretString;
use testkit::doubles::Solapi;

fn client(base_url: String, secret: &str) -> SolapiClient {
    SolapiClient::new(SmsSettings {
        base_url,
        api_key: testkit::doubles::solapi_api_key().to_owned(),
        api_secret: SecretString::from(secret.to_owned()),
        sender: "0212345678".to_owned(),
        timeout_ms: 2000,
    })
    .unwrap()
}

#[tokio::test]
async fn sends_a_signed_message_in_the_domestic_number_format() {
    let solapi = Solapi::start().await;
    client(solapi.base_url(), testkit::doubles::solapi_api_secret())
        .send_text("+821012345678", "[Marketplace] code 123456")
        .await
        .unwrap();
    let sent = solapi.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].to.as_str(), sent[0].from.as_str()),
        ("01012345678", "0212345678")
    );
    assert_eq!(sent[0].text, "[Marketplace] code 123456");
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_provider() {
    let solapi = Solapi::start().await;
    let outcome = client(solapi.base_url(), "not the secret")
        .send_text("+821012345678", "x")
        .await;
    assert!(
        matches!(outcome, Err(SmsError::Rejected { ref code, .. }) if code == "SignatureDoesNotMatch"),
        "{outcome:?}"
    );
    assert!(solapi.sent().is_empty());
}

#[tokio::test]
async fn foreign_numbers_are_not_sent_and_outages_are_retryable() {
    let solapi = Solapi::start().await;
    let sms = client(solapi.base_url(), testkit::doubles::solapi_api_secret());
    assert!(matches!(
        sms.send_text("+14155552671", "x").await,
        Err(SmsError::UnsupportedNumber(_))
    ));
    solapi.go_down().await;
    assert!(matches!(
        sms.send_text("+821012345678", "x").await,
        Err(SmsError::Unavailable(_))
    ));
}

#[tokio::test]
async fn accepted_messages_are_listed_for_developers() {
    let solapi = Solapi::start().await;
    client(solapi.base_url(), testkit::doubles::solapi_api_secret())
        .send_text("+821012345678", "[Marketplace] code 654321")
        .await
        .unwrap();
    let listed: serde_json::Value = reqwest::get(format!("{}/messages", solapi.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed,
        serde_json::json!([{
            "to": "01012345678",
            "from": "0212345678",
            "text": "[Marketplace] code 654321",
        }])
    );
}
