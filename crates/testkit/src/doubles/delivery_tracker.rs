//! A Delivery Tracker double: answers the GraphQL `track` query and the
//! `registerTrackWebhook` mutation as the service documents them, after
//! checking the `TRACKQL-API-KEY` credentials; errors come as
//! `errors[].extensions.code` with HTTP 200, as the service sends them. A
//! test (or a developer) scans parcels, makes the next queries fail, and
//! fires the webhook callbacks, which carry only the carrier and the
//! number, as often or as rarely as a flaky network would.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const CLIENT_ID: &str = "tracker-test-client";
pub const CLIENT_SECRET: &str = "tracker-test-secret-0000000001";

type Parcel = (String, String);

#[derive(Default)]
struct State {
    events: HashMap<Parcel, Vec<(DateTime<Utc>, String, String)>>,
    webhooks: HashMap<Parcel, (String, DateTime<Utc>)>,
    failures_left: usize,
    track_calls: usize,
}

pub struct DeliveryTracker {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

struct Api {
    state: Arc<Mutex<State>>,
}

fn error(code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "data": null,
        "errors": [{ "message": message, "extensions": { "code": code } }]
    }))
}

impl Respond for Api {
    #[expect(clippy::expect_used, reason = "a test double that fails loudly")]
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let expected = format!("TRACKQL-API-KEY {CLIENT_ID}:{CLIENT_SECRET}");
        let authorized = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == expected);
        if !authorized {
            return error("UNAUTHENTICATED", "invalid credentials");
        }
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return error("BAD_REQUEST", "the body is not JSON");
        };
        let query = body["query"].as_str().unwrap_or_default();
        let variables = &body["variables"];
        let mut state = self.state.lock().expect("tracker state");
        if query.contains("registerTrackWebhook") {
            let input = &variables["input"];
            let (Some(carrier), Some(number), Some(url), Some(expires)) = (
                input["carrierId"].as_str(),
                input["trackingNumber"].as_str(),
                input["callbackUrl"].as_str(),
                input["expirationTime"]
                    .as_str()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok()),
            ) else {
                return error(
                    "BAD_REQUEST",
                    "carrierId, trackingNumber, callbackUrl and expirationTime are required",
                );
            };
            let parcel = (carrier.to_owned(), number.to_owned());
            if expires.with_timezone(&Utc) <= Utc::now() {
                state.webhooks.remove(&parcel);
            } else {
                state
                    .webhooks
                    .insert(parcel, (url.to_owned(), expires.with_timezone(&Utc)));
            }
            return ResponseTemplate::new(200)
                .set_body_json(json!({ "data": { "registerTrackWebhook": true } }));
        }
        if !query.contains("track(") {
            return error("BAD_REQUEST", "unsupported operation");
        }
        state.track_calls += 1;
        if state.failures_left > 0 {
            state.failures_left -= 1;
            return error("INTERNAL", "temporary failure");
        }
        let (Some(carrier), Some(number)) = (
            variables["carrierId"].as_str(),
            variables["trackingNumber"].as_str(),
        ) else {
            return error("BAD_REQUEST", "carrierId and trackingNumber are required");
        };
        let Some(events) = state
            .events
            .get(&(carrier.to_owned(), number.to_owned()))
            .filter(|events| !events.is_empty())
        else {
            return error("NOT_FOUND", "no such tracking number");
        };
        let mut events = events.clone();
        events.sort_by_key(|(at, ..)| *at);
        let edges: Vec<Value> = events
            .iter()
            .map(|(at, code, description)| {
                json!({ "node": {
                    "time": at.to_rfc3339_opts(SecondsFormat::Secs, true),
                    "status": { "code": code },
                    "description": description,
                } })
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "data": { "track": {
            "trackingNumber": number,
            "events": { "edges": edges },
        } } }))
    }
}

impl DeliveryTracker {
    pub async fn start() -> Self {
        Self::mount(MockServer::start().await).await
    }

    /// On a listener of the caller's (the development stack's fixed port).
    pub async fn start_on(listener: std::net::TcpListener) -> Self {
        Self::mount(MockServer::builder().listener(listener).start().await).await
    }

    async fn mount(server: MockServer) -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        Mock::given(method("POST"))
            .and(path("/graphql"))
            .respond_with(Api {
                state: Arc::clone(&state),
            })
            .mount(&server)
            .await;
        Self { server, state }
    }

    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    #[expect(clippy::expect_used, reason = "a test double that fails loudly")]
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("tracker state")
    }

    /// The carrier records an event of the parcel (`code` as the service
    /// spells it: `IN_TRANSIT`).
    pub fn scan(&self, carrier: &str, number: &str, at: DateTime<Utc>, code: &str) {
        self.state()
            .events
            .entry((carrier.to_owned(), number.to_owned()))
            .or_default()
            .push((at, code.to_owned(), code.to_lowercase()));
    }

    /// The next `count` `track` queries fail with `INTERNAL`.
    pub fn fail_next(&self, count: usize) {
        self.state().failures_left = count;
    }

    /// How many `track` queries arrived.
    pub fn track_calls(&self) -> usize {
        self.state().track_calls
    }

    /// Where and until when the parcel's webhook is registered.
    pub fn webhook(&self, carrier: &str, number: &str) -> Option<(String, DateTime<Utc>)> {
        self.state()
            .webhooks
            .get(&(carrier.to_owned(), number.to_owned()))
            .cloned()
    }

    /// The callback the service would send now for the parcel: the path of
    /// its registered URL and the body (only the carrier and the number),
    /// or `None` when no live webhook is registered. The test sends it to
    /// its own external-api, as often or as rarely as the network would.
    pub fn callback(&self, carrier: &str, number: &str) -> Option<(String, Value)> {
        let (url, expires) = self.webhook(carrier, number)?;
        if expires <= Utc::now() {
            return None;
        }
        let path = url.find("/v1/").map_or(url.as_str(), |start| &url[start..]);
        Some((
            path.to_owned(),
            json!({ "carrierId": carrier, "trackingNumber": number }),
        ))
    }
}
