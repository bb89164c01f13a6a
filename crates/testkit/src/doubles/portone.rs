//! A PortOne (V2) identity-verification double: checks the
//! `Authorization: PortOne <secret>` header and the `storeId`, and answers
//! `GET /identity-verifications/{id}` as PortOne does — the verification
//! (`READY`, `VERIFIED` with `verifiedCustomer`, `FAILED`) or an error
//! `{type, message}`. Tests decide each verification's outcome, as the
//! shopper's trip through the provider's window would; on the development
//! stack (the `identity-double` binary) the shopper goes through a window of
//! the double's own: `GET /verify?identityVerificationId=<id>` opens it (the
//! verification exists, `READY`), and submitting it verifies them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const API_SECRET: &str = "portone-test-api-secret-0001";
pub const STORE_ID: &str = "store-00000000-0000-4000-8000-000000000001";
pub const CHANNEL_KEY: &str = "channel-key-00000000-0000-4000-8000-000000000002";

#[derive(Debug, Clone)]
enum Outcome {
    /// The window was opened; nothing decided yet.
    Ready,
    Verified {
        birth_date: String,
        name: String,
    },
    Failed,
    /// Answers only after this long (a provider timeout).
    Slow(Duration),
}

#[derive(Default)]
struct State {
    outcomes: HashMap<String, Outcome>,
    requests: usize,
}

pub struct PortOneIdentity {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

struct Provider {
    state: Arc<Mutex<State>>,
}

fn error(status: u16, kind: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "type": kind, "message": message }))
}

impl Respond for Provider {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().expect("state");
        state.requests += 1;
        let authorization = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if authorization != format!("PortOne {API_SECRET}") {
            return error(401, "UNAUTHORIZED", "invalid API secret");
        }
        let store = request
            .url
            .query_pairs()
            .find(|(key, _)| key == "storeId")
            .map(|(_, value)| value.into_owned());
        if store.as_deref() != Some(STORE_ID) {
            return error(403, "FORBIDDEN", "the store does not belong to this secret");
        }
        let id = request
            .url
            .path()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let verification = |status: &str| {
            json!({
                "status": status, "id": id, "requestedAt": "2026-12-02T00:00:00Z",
                "updatedAt": "2026-12-02T00:00:10Z", "statusChangedAt": "2026-12-02T00:00:10Z",
                "version": "V2", "channel": { "type": "LIVE", "key": CHANNEL_KEY, "pgProvider": "DANAL" },
            })
        };
        match state.outcomes.get(&id) {
            None => error(
                404,
                "IDENTITY_VERIFICATION_NOT_FOUND",
                "no such identity verification",
            ),
            Some(Outcome::Failed) => {
                let mut body = verification("FAILED");
                body["failure"] =
                    json!({ "reason": "cancelled by the customer", "pgCode": "9999" });
                ResponseTemplate::new(200).set_body_json(body)
            }
            Some(Outcome::Verified { birth_date, name }) => {
                let mut body = verification("VERIFIED");
                body["verifiedCustomer"] = json!({
                    "name": name, "birthDate": birth_date, "gender": "FEMALE", "isForeigner": false,
                    "phoneNumber": "01012345678", "operator": "SKT",
                    "ci": format!("ci-{id}"), "di": format!("di-{id}"),
                });
                body["verifiedAt"] = json!("2026-12-02T00:00:10Z");
                body["pgTxId"] = json!("danal-tx-1");
                body["pgRawResponse"] = json!("{}");
                ResponseTemplate::new(200).set_body_json(body)
            }
            Some(Outcome::Ready) => ResponseTemplate::new(200).set_body_json(verification("READY")),
            Some(Outcome::Slow(delay)) => ResponseTemplate::new(200)
                .set_body_json(verification("READY"))
                .set_delay(*delay),
        }
    }
}

/// The verification window a shopper goes through: `GET /verify` shows
/// it (and the verification exists from then on), `POST /verify` is the
/// shopper passing it.
struct Window {
    state: Arc<Mutex<State>>,
}

fn html(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "text/html; charset=utf-8")
}

/// Escapes text for an HTML attribute or element.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Respond for Window {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().expect("state");
        if request.method.as_str() == "GET" {
            let id = request
                .url
                .query_pairs()
                .find(|(key, _)| key == "identityVerificationId")
                .map(|(_, value)| value.into_owned())
                .unwrap_or_default();
            state.outcomes.entry(id.clone()).or_insert(Outcome::Ready);
            let id = escaped(&id);
            return html(format!(
                "<!doctype html><meta charset=\"utf-8\"><title>Identity verification (development double)</title>\
                 <h1>Identity verification</h1><p>Verification <code>{id}</code></p>\
                 <form method=\"post\" action=\"/verify\"><input type=\"hidden\" name=\"identityVerificationId\" value=\"{id}\">\
                 <label>Name <input name=\"name\" value=\"김민지\"></label>\
                 <label>Birth date <input type=\"date\" name=\"birthDate\" value=\"1990-05-17\"></label>\
                 <button>Verify</button></form>"
            ));
        }
        let form: HashMap<String, String> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        let field = |name: &str| form.get(name).cloned().unwrap_or_default();
        let id = field("identityVerificationId");
        state.outcomes.insert(
            id.clone(),
            Outcome::Verified {
                birth_date: field("birthDate"),
                name: field("name"),
            },
        );
        html(format!(
            "<p>Verified {}. Return to the shop.</p>",
            escaped(&id)
        ))
    }
}

impl PortOneIdentity {
    pub async fn start() -> Self {
        Self::mount(MockServer::start().await).await
    }

    /// On a listener of the caller's (the development stack's fixed port).
    pub async fn start_on(listener: std::net::TcpListener) -> Self {
        Self::mount(MockServer::builder().listener(listener).start().await).await
    }

    async fn mount(server: MockServer) -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        Mock::given(method("GET"))
            .and(path_regex("^/identity-verifications/[^/]+$"))
            .respond_with(Provider {
                state: Arc::clone(&state),
            })
            .mount(&server)
            .await;
        Mock::given(path("/verify"))
            .respond_with(Window {
                state: Arc::clone(&state),
            })
            .mount(&server)
            .await;
        Self { server, state }
    }

    /// Where the shopper's verification window is.
    pub fn window_url(&self) -> String {
        format!("{}/verify", self.server.uri())
    }

    /// The `[identity_verification]` settings of a client pointed here.
    pub fn settings_overrides(&self) -> Vec<(&'static str, String)> {
        vec![
            ("identity_verification.base_url", self.server.uri()),
            ("identity_verification.api_secret", API_SECRET.to_owned()),
            ("identity_verification.store_id", STORE_ID.to_owned()),
            ("identity_verification.channel_key", CHANNEL_KEY.to_owned()),
        ]
    }

    /// The shopper passed verification `id` as someone born on `birth_date`.
    pub fn verify(&self, id: &str, birth_date: &str) {
        self.set(
            id,
            Outcome::Verified {
                birth_date: birth_date.to_owned(),
                name: "김민지".to_owned(),
            },
        );
    }

    /// The shopper gave up (or the carrier refused).
    pub fn fail(&self, id: &str) {
        self.set(id, Outcome::Failed);
    }

    /// The provider takes `delay` to answer about `id`.
    pub fn stall(&self, id: &str, delay: Duration) {
        self.set(id, Outcome::Slow(delay));
    }

    fn set(&self, id: &str, outcome: Outcome) {
        self.state
            .lock()
            .expect("state")
            .outcomes
            .insert(id.to_owned(), outcome);
    }

    /// How many requests reached the provider.
    pub fn requests(&self) -> usize {
        self.state.lock().expect("state").requests
    }
}
