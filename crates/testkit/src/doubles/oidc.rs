//! An OpenID Connect provider double: authorization code with PKCE S256
//! (RFC 6749, RFC 7636) and ID tokens signed with its Ed25519 key, then
//! encrypted to our RSA key pair (JWE, RSA-OAEP-256 + A256GCM), as a
//! provider configured for encrypted ID tokens answers. The test plays the
//! browser: it hands the authorization URL to [`OidcProvider::approve`] and
//! gets the `code` and `state` the redirect would carry.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use sha2::{Digest, Sha256};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const CLIENT_ID: &str = "marketplace-demo";
pub const CLIENT_SECRET: &str = "demo-client-secret-0001";
const SIGNING_KEY: &str = include_str!("../../fixtures/idp.key.pem");
/// Another provider's key: signatures under it must be refused.
const FOREIGN_SIGNING_KEY: &str = include_str!("../../../auth/tests/fixtures/foreign.key.pem");
/// Our key pair (as configured in `config/test.toml`).
const OUR_ENCRYPTION_KEY: &str = include_str!("../../fixtures/sso-encryption.key.pem");

/// The person who signs in at the provider.
#[derive(Debug, Clone)]
pub struct Person {
    pub sub: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub phone_number: Option<String>,
    pub phone_number_verified: bool,
}

impl Person {
    pub fn new(sub: &str, email: &str) -> Self {
        Self {
            sub: sub.to_owned(),
            email: Some(email.to_owned()),
            email_verified: true,
            name: Some("Kim Minji".into()),
            phone_number: None,
            phone_number_verified: false,
        }
    }
}

/// How the ID token of an approval deviates from a good one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Twist {
    #[default]
    None,
    /// Signed with another key.
    ForeignSignature,
    /// For another client.
    WrongAudience,
    /// Carrying another request's nonce.
    WrongNonce,
    /// Signed but not encrypted to us.
    NotEncrypted,
    Expired,
}

struct Grant {
    person: Person,
    challenge: String,
    nonce: String,
    redirect_uri: String,
    twist: Twist,
}

pub struct OidcProvider {
    server: MockServer,
    grants: Arc<Mutex<HashMap<String, Grant>>>,
}

struct TokenEndpoint {
    issuer: String,
    grants: Arc<Mutex<HashMap<String, Grant>>>,
}

fn oauth_error(error: &str, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(400)
        .set_body_json(json!({ "error": error, "error_description": description }))
}

impl TokenEndpoint {
    fn id_token(&self, grant: &Grant) -> String {
        let now = chrono::Utc::now().timestamp();
        let person = &grant.person;
        let claims = json!({
            "iss": self.issuer,
            "aud": if grant.twist == Twist::WrongAudience { "someone-else" } else { CLIENT_ID },
            "sub": person.sub,
            "iat": now,
            "exp": if grant.twist == Twist::Expired { now - 600 } else { now + 300 },
            "nonce": if grant.twist == Twist::WrongNonce { "another-nonce".to_owned() } else { grant.nonce.clone() },
            "email": person.email,
            "email_verified": person.email_verified,
            "name": person.name,
            "phone_number": person.phone_number,
            "phone_number_verified": person.phone_number_verified,
        });
        let key = if grant.twist == Twist::ForeignSignature {
            FOREIGN_SIGNING_KEY
        } else {
            SIGNING_KEY
        };
        let signed = jsonwebtoken::encode(
            &Header::new(Algorithm::EdDSA),
            &claims,
            &EncodingKey::from_ed_pem(key.as_bytes()).expect("provider key"),
        )
        .expect("sign");
        if grant.twist == Twist::NotEncrypted {
            return signed;
        }
        let ours = crypto::jwe::JweDecrypter::from_pkcs8_pem(OUR_ENCRYPTION_KEY).expect("our key");
        crypto::jwe::encrypt(ours.public_key_der(), signed.as_bytes(), Some("JWT"))
            .expect("encrypt")
    }
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form: HashMap<String, String> =
            serde_urlencoded::from_bytes(&request.body).unwrap_or_default();
        let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
        if field("grant_type") != "authorization_code" {
            return oauth_error("unsupported_grant_type", "authorization_code only");
        }
        if field("client_id") != CLIENT_ID || field("client_secret") != CLIENT_SECRET {
            return ResponseTemplate::new(401).set_body_json(
                json!({ "error": "invalid_client", "error_description": "unknown client" }),
            );
        }
        // A code is good once, whatever happens next.
        let Some(grant) = self.grants.lock().expect("grants").remove(field("code")) else {
            return oauth_error("invalid_grant", "unknown or used code");
        };
        if field("redirect_uri") != grant.redirect_uri {
            return oauth_error("invalid_grant", "redirect_uri differs");
        }
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(field("code_verifier").as_bytes()));
        if challenge != grant.challenge {
            return oauth_error("invalid_grant", "PKCE verification failed");
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("provider-access-{}", uuid::Uuid::new_v4()),
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": "openid profile email phone",
            "id_token": self.id_token(&grant),
        }))
    }
}

/// For the development stack: every authorization request is approved at
/// once for a fixed demo person and redirected back with `code` and `state`.
struct AutoApprove {
    grants: Arc<Mutex<HashMap<String, Grant>>>,
}

impl Respond for AutoApprove {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        let get = |name: &str| query.get(name).cloned().unwrap_or_default();
        if get("response_type") != "code"
            || get("client_id") != CLIENT_ID
            || get("code_challenge_method") != "S256"
            || get("redirect_uri").is_empty()
        {
            return oauth_error("invalid_request", "code flow with PKCE S256 only");
        }
        let code = format!("code-{}", uuid::Uuid::new_v4().simple());
        let mut person = Person::new("demo-sso-person", "sso@demo.marketplace.localhost");
        person.name = Some("SSO Demo".into());
        let location = format!(
            "{}?{}",
            get("redirect_uri"),
            serde_urlencoded::to_string([("code", code.as_str()), ("state", &get("state"))])
                .unwrap_or_default()
        );
        self.grants.lock().expect("grants").insert(
            code,
            Grant {
                person,
                challenge: get("code_challenge"),
                nonce: get("nonce"),
                redirect_uri: get("redirect_uri"),
                twist: Twist::None,
            },
        );
        ResponseTemplate::new(302).insert_header("location", location.as_str())
    }
}

impl OidcProvider {
    pub async fn start() -> Self {
        Self::mount(MockServer::start().await).await
    }

    /// On a listener of the caller's (the development stack's fixed port),
    /// approving every authorization request for a demo person.
    pub async fn start_auto_approving(listener: std::net::TcpListener) -> Self {
        let provider = Self::mount(MockServer::builder().listener(listener).start().await).await;
        Mock::given(method("GET"))
            .and(path("/oauth/authorize"))
            .respond_with(AutoApprove {
                grants: Arc::clone(&provider.grants),
            })
            .mount(&provider.server)
            .await;
        provider
    }

    async fn mount(server: MockServer) -> Self {
        let grants = Arc::new(Mutex::new(HashMap::new()));
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(TokenEndpoint {
                issuer: server.uri(),
                grants: Arc::clone(&grants),
            })
            .mount(&server)
            .await;
        Self { server, grants }
    }

    /// The `demo` provider's settings pointed here.
    pub fn settings_overrides(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "sso.providers.demo.authorize_url",
                format!("{}/oauth/authorize", self.server.uri()),
            ),
            (
                "sso.providers.demo.token_url",
                format!("{}/oauth/token", self.server.uri()),
            ),
            ("sso.providers.demo.issuer", self.server.uri()),
        ]
    }

    /// The person approves the authorization request at `url`: returns
    /// the `(code, state)` the redirect back would carry.
    pub fn approve(&self, url: &str, person: Person, twist: Twist) -> (String, String) {
        let query: HashMap<String, String> = url::Url::parse(url)
            .expect("authorization URL")
            .query_pairs()
            .into_owned()
            .collect();
        let get = |name: &str| query.get(name).cloned().unwrap_or_default();
        assert_eq!(get("response_type"), "code");
        assert_eq!(get("client_id"), CLIENT_ID);
        assert_eq!(get("code_challenge_method"), "S256");
        assert_eq!(get("code_challenge").len(), 43, "an S256 challenge");
        assert!(!get("nonce").is_empty() && !get("state").is_empty());
        let code = format!("code-{}", uuid::Uuid::new_v4().simple());
        self.grants.lock().expect("grants").insert(
            code.clone(),
            Grant {
                person,
                challenge: get("code_challenge"),
                nonce: get("nonce"),
                redirect_uri: get("redirect_uri"),
                twist,
            },
        );
        (code, get("state"))
    }
}
