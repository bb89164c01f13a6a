//! Signed App Store payloads as Apple makes them: a JWS (ES256) whose `x5c`
//! carries leaf → intermediate → root, under a test root that the test and
//! development configuration pin (crates/testkit/fixtures/app-store). Also
//! payloads that must be refused: another root, a leaf without Apple's
//! marker, a signature by another key.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

const ROOT: &str = include_str!("../../fixtures/app-store/root.pem");
const INTERMEDIATE: &str = include_str!("../../fixtures/app-store/intermediate.pem");
const LEAF: &str = include_str!("../../fixtures/app-store/leaf.pem");
const LEAF_KEY: &str = include_str!("../../fixtures/app-store/leaf.key.pem");
const ROGUE_LEAF: &str = include_str!("../../fixtures/app-store/rogue_leaf.pem");
const ROGUE_LEAF_KEY: &str = include_str!("../../fixtures/app-store/rogue_leaf.key.pem");
const FOREIGN_ROOT: &str = include_str!("../../fixtures/app-store/foreign_root.pem");
const FOREIGN_INTERMEDIATE: &str =
    include_str!("../../fixtures/app-store/foreign_intermediate.pem");
const FOREIGN_LEAF: &str = include_str!("../../fixtures/app-store/foreign_leaf.pem");
const FOREIGN_LEAF_KEY: &str = include_str!("../../fixtures/app-store/foreign_leaf.key.pem");

pub const BUNDLE_ID: &str = "com.example.marketplace";

/// How a payload deviates from one Apple would sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Signing {
    #[default]
    Apple,
    /// A whole chain under another root.
    ForeignRoot,
    /// Apple's chain, but a developer leaf without the App Store marker.
    LeafWithoutMarker,
    /// Apple's chain, signed by a key that is not the leaf's.
    WrongKey,
}

fn der_base64(pem: &str) -> String {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    STANDARD.encode(STANDARD.decode(body).expect("fixture certificate"))
}

/// Signs `payload` as Apple would (or as `signing` says).
pub fn sign(payload: &Value, signing: Signing) -> String {
    let (chain, key) = match signing {
        Signing::Apple => ([LEAF, INTERMEDIATE, ROOT], LEAF_KEY),
        Signing::ForeignRoot => (
            [FOREIGN_LEAF, FOREIGN_INTERMEDIATE, FOREIGN_ROOT],
            FOREIGN_LEAF_KEY,
        ),
        Signing::LeafWithoutMarker => ([ROGUE_LEAF, INTERMEDIATE, ROOT], ROGUE_LEAF_KEY),
        Signing::WrongKey => ([LEAF, INTERMEDIATE, ROOT], ROGUE_LEAF_KEY),
    };
    let mut header = Header::new(Algorithm::ES256);
    header.x5c = Some(chain.iter().map(|pem| der_base64(pem)).collect());
    let key = EncodingKey::from_ec_pem(key.as_bytes()).expect("fixture key");
    jsonwebtoken::encode(&header, payload, &key).expect("sign")
}

/// A consumable's transaction as StoreKit 2 reports it.
pub fn transaction(transaction_id: &str, product_id: &str, account: Option<&str>) -> Value {
    let now = chrono::Utc::now().timestamp_millis();
    let mut payload = json!({
        "transactionId": transaction_id, "originalTransactionId": transaction_id,
        "bundleId": BUNDLE_ID, "productId": product_id, "purchaseDate": now,
        "originalPurchaseDate": now, "quantity": 1, "type": "Consumable",
        "inAppOwnershipType": "PURCHASED", "signedDate": now, "environment": "Sandbox",
        "transactionReason": "PURCHASE", "storefront": "KOR", "storefrontId": "143466",
        "price": 11000000, "currency": "KRW",
    });
    if let Some(account) = account {
        payload["appAccountToken"] = json!(account);
    }
    payload
}

/// An App Store Server Notification (V2) about a transaction.
pub fn notification(notification_type: &str, transaction: &Value) -> Value {
    json!({ "signedPayload": sign(&json!({
        "notificationType": notification_type,
        "notificationUUID": uuid::Uuid::new_v4().to_string(),
        "version": "2.0", "signedDate": chrono::Utc::now().timestamp_millis(),
        "data": {
            "bundleId": BUNDLE_ID, "environment": "Sandbox", "appAppleId": 1_234_567_890,
            "signedTransactionInfo": sign(transaction, Signing::Apple),
        },
    }), Signing::Apple) })
}

/// `jws` with one character of its payload changed.
pub fn tampered(jws: &str) -> String {
    let mut parts: Vec<String> = jws.split('.').map(str::to_owned).collect();
    let payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).expect("payload")).expect("JSON");
    let mut changed = payload;
    changed["quantity"] = json!(50);
    parts[1] = URL_SAFE_NO_PAD.encode(changed.to_string());
    parts.join(".")
}
