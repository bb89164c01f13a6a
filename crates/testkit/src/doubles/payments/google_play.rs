//! Google Play: the OAuth 2.0 token endpoint (service-account JWT bearer
//! assertions, RS256, checked against the account's public key), the
//! androidpublisher v3 product purchases (`GET` a purchase, `:consume`), and
//! Google's OIDC signing keys (`/oauth2/v3/certs`, a JWKS) under which the
//! Pub/Sub pushes' tokens are signed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::wire::{header, json, locked, random_id};

pub const PACKAGE_NAME: &str = "com.example.marketplace";
const SERVICE_ACCOUNT_PUBLIC_KEY: &str =
    include_str!("../../../fixtures/google-play-service-account.pub.pem");
/// The double's stand-in for Google's OIDC signing key, and its JWKS.
const OIDC_SIGNING_KEY: &str = include_str!("../../../fixtures/google-oidc.key.pem");
const OIDC_JWKS: &str = include_str!("../../../fixtures/google-oidc.jwks.json");
const OIDC_KEY_ID: &str = "double-google-oidc-1";
/// The push subscription's audience and account in the test configuration.
pub const PUSH_AUDIENCE: &str = "http://partner.localhost/v1/webhooks/google";
pub const PUSH_ACCOUNT: &str = "pubsub-push@double.iam.gserviceaccount.com";

/// An OIDC token as Google attaches to a Pub/Sub push (RS256 under the
/// double's key): `aud`, `email` (verified), issued now.
pub fn push_token(audience: &str, email: &str, issued_secs_ago: i64) -> String {
    signed_push_token(OIDC_SIGNING_KEY, audience, email, issued_secs_ago)
}

/// A push token that names Google's key but is signed with another.
pub fn forged_push_token() -> String {
    signed_push_token(
        include_str!("../../../fixtures/google-play-service-account.key.pem"),
        PUSH_AUDIENCE,
        PUSH_ACCOUNT,
        0,
    )
}

fn signed_push_token(key_pem: &str, audience: &str, email: &str, issued_secs_ago: i64) -> String {
    let now = chrono::Utc::now().timestamp() - issued_secs_ago;
    let mut header = jsonwebtoken::Header::new(Algorithm::RS256);
    header.kid = Some(OIDC_KEY_ID.to_owned());
    let claims = json!({
        "aud": audience, "azp": "109876543210987654321", "email": email,
        "email_verified": true, "exp": now + 3600, "iat": now,
        "iss": "https://accounts.google.com", "sub": "109876543210987654321",
    });
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(key_pem.as_bytes()).expect("fixture key");
    jsonwebtoken::encode(&header, &claims, &key).expect("signed")
}

struct Purchase {
    product_id: String,
    order_id: String,
    purchase_state: i64,
    consumption_state: i64,
    account: Option<String>,
}

pub(super) struct State {
    base: String,
    purchases: HashMap<String, Purchase>,
    tokens: Vec<String>,
    pub consumed: usize,
}

fn error(status: u16, message: &str, reason: &str) -> ResponseTemplate {
    json(
        status,
        json!({ "error": {
            "code": status, "message": message,
            "status": if status == 404 { "NOT_FOUND" } else { "INVALID_ARGUMENT" },
            "errors": [{ "message": message, "domain": "androidpublisher", "reason": reason }],
        }}),
    )
}

impl State {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            purchases: HashMap::new(),
            tokens: Vec::new(),
            consumed: 0,
        }
    }

    pub fn purchase(&mut self, product_id: &str, account: Option<&str>) -> String {
        let token = format!("{}.AO-J1O{}", random_id(24).to_lowercase(), random_id(30));
        self.purchases.insert(
            token.clone(),
            Purchase {
                product_id: product_id.to_owned(),
                order_id: format!("GPA.{}-{}-{}", &random_id(4), &random_id(4), &random_id(5)),
                purchase_state: 0,
                consumption_state: 0,
                account: account.map(str::to_owned),
            },
        );
        token
    }

    pub fn set_state(&mut self, token: &str, purchase_state: i64) {
        if let Some(purchase) = self.purchases.get_mut(token) {
            purchase.purchase_state = purchase_state;
        }
    }

    pub fn notification(&self, token: &str, notification_type: i64) -> Value {
        let sku = self
            .purchases
            .get(token)
            .map(|p| p.product_id.clone())
            .unwrap_or_default();
        Self::push(json!({
            "version": "1.0", "packageName": PACKAGE_NAME,
            "eventTimeMillis": chrono::Utc::now().timestamp_millis().to_string(),
            "oneTimeProductNotification": {
                "version": "1.0", "notificationType": notification_type, "purchaseToken": token, "sku": sku,
            },
        }))
    }

    /// A voided-purchase notification for `order_id` (the order need not
    /// be voided: a notification is a claim, not a fact).
    pub fn voided_notification(&self, token: &str, order_id: &str) -> Value {
        Self::push(json!({
            "version": "1.0", "packageName": PACKAGE_NAME,
            "eventTimeMillis": chrono::Utc::now().timestamp_millis().to_string(),
            "voidedPurchaseNotification": {
                "purchaseToken": token, "orderId": order_id, "productType": 2, "refundType": 1,
            },
        }))
    }

    pub fn order_of(&self, token: &str) -> Option<String> {
        self.purchases.get(token).map(|p| p.order_id.clone())
    }

    fn push(data: Value) -> Value {
        json!({
            "message": {
                "data": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, data.to_string()),
                "messageId": random_id(16), "publishTime": chrono::Utc::now().to_rfc3339(),
            },
            "subscription": "projects/marketplace/subscriptions/play-notifications",
        })
    }

    fn token(&mut self, request: &Request) -> ResponseTemplate {
        let form: HashMap<String, String> =
            serde_urlencoded::from_bytes(&request.body).unwrap_or_default();
        let assertion = form.get("assertion").cloned().unwrap_or_default();
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_audience(&[format!("{}/token", self.base)]);
        validation.set_required_spec_claims(&["exp", "iat", "aud", "iss"]);
        let key =
            DecodingKey::from_rsa_pem(SERVICE_ACCOUNT_PUBLIC_KEY.as_bytes()).expect("fixture key");
        let claims = jsonwebtoken::decode::<Value>(&assertion, &key, &validation).map(|t| t.claims);
        let good = form.get("grant_type").map(String::as_str)
            == Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
            && claims
                .as_ref()
                .is_ok_and(|c| c["scope"] == "https://www.googleapis.com/auth/androidpublisher");
        if !good {
            return json(
                400,
                json!({ "error": "invalid_grant", "error_description": "Invalid JWT Signature." }),
            );
        }
        let token = format!("ya29.{}", random_id(32));
        self.tokens.push(token.clone());
        json(
            200,
            json!({ "access_token": token, "expires_in": 3599, "token_type": "Bearer" }),
        )
    }
}

pub(super) struct Api(pub Arc<Mutex<State>>);

impl Respond for Api {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = locked(&self.0);
        let path = request.url.path().to_owned();
        if path == "/token" {
            return state.token(request);
        }
        if path == "/oauth2/v3/certs" {
            return json(200, serde_json::from_str(OIDC_JWKS).expect("fixture JWKS"));
        }
        let bearer = header(request, "authorization")
            .strip_prefix("Bearer ")
            .unwrap_or_default();
        if !state.tokens.iter().any(|t| t == bearer) {
            return error(
                401,
                "Request is missing required authentication credential.",
                "required",
            );
        }
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        if let [
            "androidpublisher",
            "v3",
            "applications",
            package,
            "purchases",
            "voidedpurchases",
        ] = segments.as_slice()
        {
            if *package != PACKAGE_NAME {
                return error(
                    404,
                    "No application was found for the given package name.",
                    "applicationNotFound",
                );
            }
            let voided: Vec<Value> = state
                .purchases
                .iter()
                .filter(|(_, p)| p.purchase_state == 1)
                .map(|(token, p)| json!({
                    "kind": "androidpublisher#voidedPurchase", "purchaseToken": token, "orderId": p.order_id,
                    "voidedTimeMillis": chrono::Utc::now().timestamp_millis().to_string(),
                    "voidedSource": 0, "voidedReason": 1,
                }))
                .collect();
            return json(200, json!({ "voidedPurchases": voided }));
        }
        // /androidpublisher/v3/applications/{package}/purchases/products/{product}/tokens/{token}[:consume]
        let [
            "androidpublisher",
            "v3",
            "applications",
            package,
            "purchases",
            "products",
            product,
            "tokens",
            token,
        ] = segments.as_slice()
        else {
            return error(404, "Not found", "notFound");
        };
        if *package != PACKAGE_NAME {
            return error(
                404,
                "No application was found for the given package name.",
                "applicationNotFound",
            );
        }
        let (token, consume) = match token.strip_suffix(":consume") {
            Some(token) => (token.to_owned(), true),
            None => ((*token).to_owned(), false),
        };
        let Some(purchase) = state.purchases.get_mut(&token) else {
            return error(
                400,
                "The purchase token is no longer valid.",
                "purchaseTokenNoLongerValid",
            );
        };
        if purchase.product_id != *product {
            return error(
                400,
                "The product id does not match the purchase token.",
                "invalid",
            );
        }
        if consume {
            if purchase.purchase_state != 0 {
                return error(
                    400,
                    "The purchase is not in a valid state to perform the desired operation.",
                    "invalidPurchaseState",
                );
            }
            purchase.consumption_state = 1;
            state.consumed += 1;
            return ResponseTemplate::new(204);
        }
        let mut body = json!({
            "kind": "androidpublisher#productPurchase",
            "purchaseTimeMillis": chrono::Utc::now().timestamp_millis().to_string(),
            "purchaseState": purchase.purchase_state, "consumptionState": purchase.consumption_state,
            "developerPayload": "", "orderId": purchase.order_id, "purchaseType": 0,
            "acknowledgementState": purchase.consumption_state, "quantity": 1, "regionCode": "KR",
        });
        if let Some(account) = &purchase.account {
            body["obfuscatedExternalAccountId"] = json!(account);
        }
        json(200, body)
    }
}
