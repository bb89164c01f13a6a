//! The PortOne identity-verification client against a double that speaks
//! PortOne's V2 protocol (authorization header, store id, answer shapes).
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::time::Duration;

use chrono::NaiveDate;
use integrations::identity::{
    IdentityError, IdentityVerificationSettings, PortOneIdentityClient, VerificationOutcome,
};
use secrecy::SecretString;
use testkit::doubles::PortOneIdentity;

fn client(
    double: &PortOneIdentity,
    secret: Option<&str>,
    timeout_ms: u64,
) -> PortOneIdentityClient {
    let overrides = double.settings_overrides();
    let value = |key: &str| {
        overrides
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    PortOneIdentityClient::new(IdentityVerificationSettings {
        base_url: value("identity_verification.base_url"),
        api_secret: SecretString::from(
            secret
                .map(str::to_owned)
                .unwrap_or_else(|| value("identity_verification.api_secret")),
        ),
        store_id: value("identity_verification.store_id"),
        channel_key: value("identity_verification.channel_key"),
        verification_page_url: "http://localhost/verify".into(),
        timeout_ms,
        pending_ttl_secs: 300,
        adult_valid_days: 365,
    })
    .unwrap()
}

#[tokio::test]
async fn reads_a_verified_person_and_other_outcomes() {
    let double = PortOneIdentity::start().await;
    let client = client(&double, None, 2_000);
    double.verify("iv-adult", "1990-05-17");
    double.fail("iv-cancelled");
    match client.fetch("iv-adult").await.unwrap() {
        VerificationOutcome::Verified(person) => {
            assert_eq!(
                person.birth_date,
                NaiveDate::from_ymd_opt(1990, 5, 17).unwrap()
            );
            assert_eq!(person.ci.as_deref(), Some("ci-iv-adult"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        client.fetch("iv-cancelled").await.unwrap(),
        VerificationOutcome::NotVerified {
            status: "FAILED".into()
        }
    );
    assert!(matches!(
        client.fetch("iv-unknown").await,
        Err(IdentityError::NotFound)
    ));
}

#[tokio::test]
async fn a_wrong_secret_is_refused_and_a_slow_provider_times_out() {
    let double = PortOneIdentity::start().await;
    double.verify("iv-1", "1990-05-17");
    let refused = client(&double, Some("not-the-secret"), 2_000)
        .fetch("iv-1")
        .await;
    assert!(
        matches!(refused, Err(IdentityError::Rejected(ref m)) if m.starts_with("UNAUTHORIZED")),
        "{refused:?}"
    );

    double.stall("iv-slow", Duration::from_secs(5));
    let slow = client(&double, None, 200).fetch("iv-slow").await;
    assert!(
        matches!(slow, Err(IdentityError::Unavailable(_))),
        "{slow:?}"
    );
}

#[tokio::test]
async fn the_development_window_opens_a_verification_and_verifies_the_shopper() {
    let double = PortOneIdentity::start().await;
    let client = client(&double, None, 2_000);
    let http = reqwest::Client::new();
    let page = http
        .get(format!(
            "{}?identityVerificationId=iv-window",
            double.window_url()
        ))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("iv-window"));
    assert_eq!(
        client.fetch("iv-window").await.unwrap(),
        VerificationOutcome::NotVerified {
            status: "READY".into()
        },
        "an opened window is a verification waiting for the shopper"
    );
    http.post(double.window_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("identityVerificationId=iv-window&name=Kim&birthDate=2001-02-03")
        .send()
        .await
        .unwrap();
    match client.fetch("iv-window").await.unwrap() {
        VerificationOutcome::Verified(person) => {
            assert_eq!(
                person.birth_date,
                NaiveDate::from_ymd_opt(2001, 2, 3).unwrap()
            );
        }
        other => panic!("{other:?}"),
    }
}
