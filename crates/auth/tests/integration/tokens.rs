//! The access-token verifier against the attacks it must refuse.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use auth::Audience;
use auth::token::{
    AccessClaims, NewAccessToken, SigningKeySettings, TokenError, TokenKeys, TokenSettings,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::SecretString;

const PRIMARY_KEY: &str = include_str!("../fixtures/primary.key.pem");
const PRIMARY_PUB: &str = include_str!("../fixtures/primary.pub.pem");
const SECONDARY_KEY: &str = include_str!("../fixtures/secondary.key.pem");
const SECONDARY_PUB: &str = include_str!("../fixtures/secondary.pub.pem");
const FOREIGN_KEY: &str = include_str!("../fixtures/foreign.key.pem");

const ISSUER: &str = "https://id.marketplace.test";

fn key(private: Option<&str>, public: &str) -> SigningKeySettings {
    SigningKeySettings {
        private_key_pem: private.map(|p| SecretString::from(p.to_owned())),
        public_key_pem: public.to_owned(),
    }
}

fn keys_with(issuer: &str, active: &str, listed: Vec<(&str, SigningKeySettings)>) -> TokenKeys {
    TokenKeys::from_settings(&TokenSettings {
        issuer: issuer.to_owned(),
        access_ttl_secs: 600,
        leeway_secs: 5,
        active_key: active.to_owned(),
        keys: listed
            .into_iter()
            .map(|(kid, k)| (kid.to_owned(), k))
            .collect(),
    })
    .unwrap()
}

fn keys() -> TokenKeys {
    keys_with(
        ISSUER,
        "primary",
        vec![("primary", key(Some(PRIMARY_KEY), PRIMARY_PUB))],
    )
}

fn new_token(audience: Audience) -> NewAccessToken<'static> {
    NewAccessToken {
        subject: "user-1",
        audience,
        session_id: "session-1",
        device_hash: "device-hash",
        scopes: &["orders", "cart"],
    }
}

fn issue(audience: Audience) -> String {
    keys().issue(&new_token(audience), Utc::now()).unwrap().0
}

fn claims_for(audience: Audience) -> AccessClaims {
    let now = Utc::now().timestamp();
    AccessClaims {
        iss: ISSUER.to_owned(),
        sub: "user-1".to_owned(),
        aud: audience.as_str().to_owned(),
        exp: now + 600,
        iat: now,
        jti: "j".to_owned(),
        sid: "s".to_owned(),
        did: "d".to_owned(),
        scope: String::new(),
    }
}

/// Signs `claims` with an arbitrary header and key, as an attacker would.
fn forge(header: Header, claims: &impl serde::Serialize, key: &EncodingKey) -> String {
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

fn eddsa_header(kid: &str) -> Header {
    let mut header = Header::new(Algorithm::EdDSA);
    header.typ = Some("at+jwt".to_owned());
    header.kid = Some(kid.to_owned());
    header
}

fn refused(token: &str) -> TokenError {
    keys().verify(token, Audience::Service).unwrap_err()
}

#[test]
fn a_fresh_token_verifies_for_its_own_audience() {
    let claims = keys()
        .verify(&issue(Audience::Service), Audience::Service)
        .unwrap();
    assert_eq!(
        (
            claims.sub.as_str(),
            claims.sid.as_str(),
            claims.did.as_str()
        ),
        ("user-1", "session-1", "device-hash")
    );
    assert!(claims.has_scope("cart") && !claims.has_scope("adult"));
}

#[test]
fn all_twelve_cross_audience_pairs_are_refused() {
    let mut pairs = 0;
    for minted_for in Audience::ALL {
        let token = issue(minted_for);
        for presented_to in Audience::ALL.into_iter().filter(|a| *a != minted_for) {
            assert_eq!(
                keys().verify(&token, presented_to),
                Err(TokenError::Invalid("audience")),
                "{minted_for:?} -> {presented_to:?}"
            );
            pairs += 1;
        }
    }
    assert_eq!(pairs, 12);
}

#[test]
fn alg_none_is_refused() {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"at+jwt","kid":"primary"}"#);
    let payload =
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims_for(Audience::Service)).unwrap());
    for signature in ["", "e30"] {
        assert!(matches!(
            refused(&format!("{header}.{payload}.{signature}")),
            TokenError::Invalid(_)
        ));
    }
}

#[test]
fn algorithm_confusion_with_the_public_key_as_hmac_secret_is_refused() {
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("at+jwt".to_owned());
    header.kid = Some("primary".to_owned());
    let token = forge(
        header,
        &claims_for(Audience::Service),
        &EncodingKey::from_secret(PRIMARY_PUB.as_bytes()),
    );
    assert_eq!(refused(&token), TokenError::Invalid("algorithm"));
}

#[test]
fn foreign_keys_are_refused_whatever_kid_they_claim() {
    let foreign = EncodingKey::from_ed_pem(FOREIGN_KEY.as_bytes()).unwrap();
    let claims = claims_for(Audience::Service);
    assert_eq!(
        refused(&forge(eddsa_header("foreign"), &claims, &foreign)),
        TokenError::Invalid("unknown key id")
    );
    assert_eq!(
        refused(&forge(eddsa_header("primary"), &claims, &foreign)),
        TokenError::Invalid("signature")
    );
    let mut no_kid = eddsa_header("x");
    no_kid.kid = None;
    assert_eq!(
        refused(&forge(no_kid, &claims, &foreign)),
        TokenError::Invalid("no key id")
    );
    // A header pointing at the attacker's key set is not followed.
    let mut jku = eddsa_header("primary");
    jku.jku = Some("https://attacker.example/jwks.json".to_owned());
    assert_eq!(
        refused(&forge(jku, &claims, &foreign)),
        TokenError::Invalid("signature")
    );
}

#[test]
fn tampering_with_the_payload_breaks_the_signature() {
    let token = issue(Audience::Service);
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["sub"] = "admin".into();
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    assert_eq!(
        refused(&format!("{}.{payload}.{}", parts[0], parts[2])),
        TokenError::Invalid("signature")
    );
}

#[test]
fn expiry_allows_only_a_few_seconds_of_leeway() {
    let primary = EncodingKey::from_ed_pem(PRIMARY_KEY.as_bytes()).unwrap();
    let mut just_expired = claims_for(Audience::Service);
    just_expired.exp = Utc::now().timestamp() - 3;
    assert!(
        keys()
            .verify(
                &forge(eddsa_header("primary"), &just_expired, &primary),
                Audience::Service
            )
            .is_ok()
    );
    let mut expired = claims_for(Audience::Service);
    expired.exp = Utc::now().timestamp() - 30;
    assert_eq!(
        refused(&forge(eddsa_header("primary"), &expired, &primary)),
        TokenError::Invalid("expired")
    );
    let old = keys()
        .issue(
            &new_token(Audience::Service),
            Utc::now() - Duration::hours(1),
        )
        .unwrap()
        .0;
    assert_eq!(refused(&old), TokenError::Invalid("expired"));
}

#[test]
fn another_issuer_and_another_token_type_are_refused() {
    let other_issuer = keys_with(
        "https://elsewhere.test",
        "primary",
        vec![("primary", key(Some(PRIMARY_KEY), PRIMARY_PUB))],
    );
    let token = other_issuer
        .issue(&new_token(Audience::Service), Utc::now())
        .unwrap()
        .0;
    assert_eq!(refused(&token), TokenError::Invalid("issuer"));

    let primary = EncodingKey::from_ed_pem(PRIMARY_KEY.as_bytes()).unwrap();
    let mut id_token = eddsa_header("primary");
    id_token.typ = Some("JWT".to_owned());
    assert_eq!(
        refused(&forge(id_token, &claims_for(Audience::Service), &primary)),
        TokenError::Invalid("type")
    );
}

#[test]
fn required_claims_must_be_present() {
    let primary = EncodingKey::from_ed_pem(PRIMARY_KEY.as_bytes()).unwrap();
    let mut claims = serde_json::to_value(claims_for(Audience::Service)).unwrap();
    claims.as_object_mut().unwrap().remove("sub");
    assert!(matches!(
        refused(&forge(eddsa_header("primary"), &claims, &primary)),
        TokenError::Invalid(_)
    ));
}

#[test]
fn rotation_keeps_tokens_of_the_retired_key_valid() {
    let before = keys_with(
        ISSUER,
        "secondary",
        vec![("secondary", key(Some(SECONDARY_KEY), SECONDARY_PUB))],
    );
    let old_token = before
        .issue(&new_token(Audience::Seller), Utc::now())
        .unwrap()
        .0;
    // After rotation: primary signs, secondary only verifies (no private key kept).
    let after = keys_with(
        ISSUER,
        "primary",
        vec![
            ("primary", key(Some(PRIMARY_KEY), PRIMARY_PUB)),
            ("secondary", key(None, SECONDARY_PUB)),
        ],
    );
    assert!(after.verify(&old_token, Audience::Seller).is_ok());
    let new_token = after
        .issue(&new_token(Audience::Seller), Utc::now())
        .unwrap()
        .0;
    assert_eq!(
        jsonwebtoken::decode_header(&new_token)
            .unwrap()
            .kid
            .as_deref(),
        Some("primary")
    );
    // Dropping the retired key ends its tokens.
    assert_eq!(
        keys().verify(&old_token, Audience::Seller),
        Err(TokenError::Invalid("unknown key id"))
    );
}

#[test]
fn a_verified_token_is_remembered_for_its_audience_until_it_expires() {
    let keys = keys();
    let issued_at = Utc::now();
    let (token, claims) = keys
        .issue(&new_token(Audience::Service), issued_at)
        .unwrap();
    let now = issued_at.timestamp();
    assert_eq!(
        keys.verify_at(&token, Audience::Service, now),
        Ok(claims.clone())
    );
    assert_eq!(
        keys.verify_at(&token, Audience::Service, now + 1),
        Ok(claims.clone())
    );
    assert_eq!(keys.remembered(), 1, "one entry, verified once");

    assert_eq!(
        keys.verify_at(&token, Audience::Seller, now),
        Err(TokenError::Invalid("audience")),
        "remembered for the service API only"
    );
    assert_eq!(
        keys.verify_at(&token, Audience::Service, claims.exp + 5),
        Ok(claims.clone()),
        "the leeway holds for a remembered token"
    );
    assert_eq!(
        keys.verify_at(&token, Audience::Service, claims.exp + 6),
        Err(TokenError::Invalid("expired"))
    );
}

#[test]
fn a_refused_token_is_not_remembered() {
    let keys = keys();
    let token = issue(Audience::Service);
    let tampered = format!("{token}x");
    assert!(keys.verify(&tampered, Audience::Service).is_err());
    assert!(keys.verify(&token, Audience::Admin).is_err());
    assert_eq!(keys.remembered(), 0);
    assert!(keys.verify(&token, Audience::Service).is_ok());
    assert!(
        keys.verify(&tampered, Audience::Service).is_err(),
        "a remembered token vouches for no other text"
    );
}
