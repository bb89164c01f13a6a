//! Rotating the financial keys: a staff member's TOTP secret and a
//! partner's signing secret (both sealed twice) are re-sealed under the new
//! inner and outer keys, and keep working.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use crypto::{DataClass, Field, Vault};
use persistence::partners::registry::PartnerSigningSecret;
use persistence::staff::members::StaffTotpSecret;
use reqwest::StatusCode;
use testkit::{TestApp, staff};

const NEW_INNER: &str = "q45WxRNupmNXSz6isv955w5+bkCrqzVoqGd3SyHSICI=";
const NEW_OUTER: &str = "yUZRlHPEot3BNE5jUQe4dW20L4KaTdcbfI1P0EnXB9U=";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes a one-row hex query returns.
async fn stored(app: &TestApp, query: &str) -> Vec<u8> {
    let hex = app.db.query_text(query).await.pop().unwrap();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

#[tokio::test]
async fn financial_secrets_are_resealed_under_both_new_keys_and_still_work() {
    let app = TestApp::builder(admin_api::SERVICE)
        .settings([
            ("crypto.financial.active", "test2"),
            ("crypto.financial.keys.test2", NEW_INNER),
            ("crypto.financial_outer.active", "test2"),
            ("crypto.financial_outer.keys.test2", NEW_OUTER),
        ])
        .spawn()
        .await;
    let mut before = app.state.settings.crypto.clone();
    before.financial.active = "test1".to_owned();
    before.financial_outer.active = "test1".to_owned();
    let old = Vault::from_settings(&before).unwrap();

    // An enrolled administrator whose secret was sealed before the rotation.
    let admin = staff::admin(&app, "ops", &["audit.read"]).await;
    let secret = auth::mfa::encode_secret(admin.totp_secret.as_deref().unwrap());
    let sealed = old.seal(
        DataClass::Financial,
        StaffTotpSecret::COLUMN,
        secret.as_bytes(),
    );
    app.db
        .run_sql(&format!(
            "UPDATE staff_accounts SET totp_secret = decode('{}', 'hex') WHERE id = '{}'",
            hex(&sealed),
            admin.id
        ))
        .await
        .unwrap();
    let partner_secret = old.seal(
        DataClass::Financial,
        PartnerSigningSecret::COLUMN,
        b"mks_old",
    );
    let partner_id = uuid::Uuid::new_v4();
    app.db
        .run_sql(&format!(
            "INSERT INTO partners (id, name, rate_limit_per_minute) VALUES ('{partner_id}', 'Old partner', 10)"
        ))
        .await
        .unwrap();
    app.db
        .run_sql(&format!(
            "INSERT INTO partner_keys (id, partner_id, prefix, key_hash, signing_secret) \
             VALUES (gen_random_uuid(), '{partner_id}', 'oldkeyprefix', '\\x00', decode('{}', 'hex'))",
            hex(&partner_secret)
        ))
        .await
        .unwrap();

    let vault = crypto::installed().unwrap();
    let totp_query = "SELECT encode(totp_secret, 'hex') AS value FROM staff_accounts";
    let partner_query = "SELECT encode(signing_secret, 'hex') AS value FROM partner_keys";
    assert!(
        !vault
            .is_current(
                DataClass::Financial,
                StaffTotpSecret::COLUMN,
                &stored(&app, totp_query).await
            )
            .unwrap()
    );

    app::maintenance::rotation::start(&app.state.context)
        .await
        .unwrap();
    app.run_jobs().await;

    assert!(
        vault
            .is_current(
                DataClass::Financial,
                StaffTotpSecret::COLUMN,
                &stored(&app, totp_query).await
            )
            .unwrap()
    );
    let partner = stored(&app, partner_query).await;
    assert!(
        vault
            .is_current(DataClass::Financial, PartnerSigningSecret::COLUMN, &partner)
            .unwrap()
    );
    assert_eq!(
        vault
            .open(DataClass::Financial, PartnerSigningSecret::COLUMN, &partner)
            .unwrap(),
        b"mks_old"
    );
    let login = staff::log_in(&app, &admin, 0).await;
    let me = login
        .call(&app, reqwest::Method::GET, "/v1/me")
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
}
