//! Tokens over HTTP on all four APIs: each accepts only its own audience, and
//! the usual JWT attacks are refused everywhere.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use app::identity::sessions::{Client, TokenPair};
use auth::Audience;
use auth::token::AccessClaims;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use testkit::{TestApp, TestServer};
use uuid::Uuid;

const FOREIGN_KEY: &str = include_str!("../../../../crates/auth/tests/fixtures/foreign.key.pem");

struct Platform {
    api: TestApp,
    others: Vec<TestServer>,
}

impl Platform {
    async fn start() -> Self {
        let api = TestApp::spawn(service_api::SERVICE).await;
        let others = vec![
            api.sibling(seller_api::SERVICE),
            api.sibling(admin_api::SERVICE),
            api.sibling(external_api::SERVICE),
        ];
        Self { api, others }
    }

    fn servers(&self) -> Vec<(&TestServer, Audience)> {
        let mut all = vec![(&*self.api, Audience::Service)];
        all.extend(
            self.others
                .iter()
                .zip([Audience::Seller, Audience::Admin, Audience::External]),
        );
        all
    }
}

/// A session for a principal of `audience`'s kind: on the staff APIs a real,
/// active staff account (their routes check it), elsewhere any subject.
async fn session(app: &TestApp, audience: Audience, device: Uuid) -> TokenPair {
    let client = Client {
        device_id: device,
        ip: "203.0.113.1",
        user_agent: "test",
    };
    let (subject, scopes) = match audience {
        Audience::Admin => (
            testkit::staff::admin(app, "ops", &[]).await.id.to_string(),
            app::kernel::principals::STAFF_SCOPES,
        ),
        Audience::Seller => {
            let vendor = testkit::staff::seller(app, "Vendor").await;
            let staff = testkit::staff::seller_staff(app, "staff", vendor, "staff").await;
            (staff.id.to_string(), app::kernel::principals::STAFF_SCOPES)
        }
        Audience::Service | Audience::External => ("principal-1".to_owned(), &["test"][..]),
    };
    app::identity::sessions::start_session(&app.state.context, &subject, audience, scopes, &client)
        .await
        .unwrap()
}

async fn status(server: &TestServer, token: &str, device: Uuid) -> StatusCode {
    server
        .get("/v1/auth/session")
        .bearer_auth(token)
        .header("x-device-id", device.to_string())
        .send()
        .await
        .unwrap()
        .status()
}

fn claims_of(token: &str) -> AccessClaims {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn header(alg: Algorithm, kid: &str, typ: &str) -> Header {
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_owned());
    header.typ = Some(typ.to_owned());
    header
}

#[tokio::test]
async fn each_api_accepts_only_tokens_minted_for_it() {
    let platform = Platform::start().await;
    let device = Uuid::new_v4();
    let mut refused = 0;
    for (_, minted_for) in platform.servers() {
        let token = session(&platform.api, minted_for, device)
            .await
            .access_token;
        for (server, audience) in platform.servers() {
            let got = status(server, &token, device).await;
            if audience == minted_for {
                assert_eq!(got, StatusCode::OK, "{minted_for:?} on its own API");
            } else {
                assert_eq!(
                    got,
                    StatusCode::UNAUTHORIZED,
                    "{minted_for:?} token on {audience:?}"
                );
                refused += 1;
            }
        }
    }
    assert_eq!(refused, 12);
}

#[tokio::test]
async fn the_jwt_attack_set_is_refused_on_every_host() {
    let platform = Platform::start().await;
    let settings = &platform.api.state.settings.auth.tokens;
    let key = &settings.keys[&settings.active_key];
    let ours = EncodingKey::from_ed_pem(
        key.private_key_pem
            .as_ref()
            .unwrap()
            .expose_secret()
            .as_bytes(),
    )
    .unwrap();
    let foreign = EncodingKey::from_ed_pem(FOREIGN_KEY.as_bytes()).unwrap();
    let kid = settings.active_key.as_str();

    for (server, audience) in platform.servers() {
        let device = Uuid::new_v4();
        let pair = session(&platform.api, audience, device).await;
        assert_eq!(
            status(server, &pair.access_token, device).await,
            StatusCode::OK,
            "baseline on {audience:?}"
        );
        let live = claims_of(&pair.access_token);
        let with = |change: &dyn Fn(&mut AccessClaims)| {
            let mut claims = live.clone();
            change(&mut claims);
            claims
        };
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"none","typ":"at+jwt","kid":"{kid}"}}"#)),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&live).unwrap())
        );
        let confusion = jsonwebtoken::encode(
            &header(Algorithm::HS256, kid, "at+jwt"),
            &live,
            &EncodingKey::from_secret(key.public_key_pem.as_bytes()),
        )
        .unwrap();
        let mut jku = header(Algorithm::EdDSA, kid, "at+jwt");
        jku.jku = Some("https://attacker.example/jwks.json".to_owned());
        let attacks: Vec<(&str, String)> = vec![
            ("alg none", none),
            ("HS256 keyed with our public key", confusion),
            (
                "foreign key, our kid",
                jsonwebtoken::encode(&header(Algorithm::EdDSA, kid, "at+jwt"), &live, &foreign)
                    .unwrap(),
            ),
            (
                "foreign key, unknown kid",
                jsonwebtoken::encode(
                    &header(Algorithm::EdDSA, "attacker-1", "at+jwt"),
                    &live,
                    &foreign,
                )
                .unwrap(),
            ),
            (
                "foreign key behind jku",
                jsonwebtoken::encode(&jku, &live, &foreign).unwrap(),
            ),
            (
                "expired",
                jsonwebtoken::encode(
                    &header(Algorithm::EdDSA, kid, "at+jwt"),
                    &with(&|c| c.exp = c.iat - 60),
                    &ours,
                )
                .unwrap(),
            ),
            (
                "wrong issuer",
                jsonwebtoken::encode(
                    &header(Algorithm::EdDSA, kid, "at+jwt"),
                    &with(&|c| c.iss = "https://evil.example".into()),
                    &ours,
                )
                .unwrap(),
            ),
            (
                "wrong audience",
                jsonwebtoken::encode(
                    &header(Algorithm::EdDSA, kid, "at+jwt"),
                    &with(&|c| c.aud = "partner".into()),
                    &ours,
                )
                .unwrap(),
            ),
            (
                "wrong type",
                jsonwebtoken::encode(&header(Algorithm::EdDSA, kid, "JWT"), &live, &ours).unwrap(),
            ),
            ("refresh token as access token", pair.refresh_token.clone()),
            ("garbage", "not.a.token".to_owned()),
        ];
        for (name, token) in attacks {
            assert_eq!(
                status(server, &token, device).await,
                StatusCode::UNAUTHORIZED,
                "{name} on {audience:?}"
            );
        }
        // A genuine token, once its session has ended.
        app::identity::sessions::logout(
            &platform.api.state.context,
            &live.sub,
            &live.sid,
            app::kernel::audit::Actor::system(),
        )
        .await
        .unwrap();
        assert_eq!(
            status(server, &pair.access_token, device).await,
            StatusCode::UNAUTHORIZED,
            "after logout on {audience:?}"
        );
    }
}
