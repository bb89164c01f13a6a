//! A Solapi (CoolSMS) double: checks every request's HMAC-SHA256
//! `Authorization` (computed here independently of our client), the API key
//! and the date's freshness, then answers like Solapi: a group summary on
//! success, `{errorCode, errorMessage}` on a refused request. The messages it
//! accepted are listed at `GET /messages`, newest last, so a developer can
//! read the codes sent (the `sms-double` binary of the development stack).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const API_KEY: &str = "NCSTESTKEY0000001";
pub const API_SECRET: &str = "TESTSECRETTESTSECRETTESTSECRET01";

/// A message the double accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentSms {
    pub to: String,
    pub from: String,
    pub text: String,
}

pub struct Solapi {
    server: MockServer,
    sent: Arc<Mutex<Vec<SentSms>>>,
}

struct Gateway {
    sent: Arc<Mutex<Vec<SentSms>>>,
}

fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({ "errorCode": code, "errorMessage": message }))
}

/// Why the gateway refuses a request: (status, errorCode, errorMessage).
type Refusal = (u16, &'static str, &'static str);

fn authorized(request: &Request) -> Result<(), Refusal> {
    let header = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or((
            401,
            "InvalidAuthorization",
            "Authorization header is missing",
        ))?;
    let fields = header.strip_prefix("HMAC-SHA256 ").ok_or((
        401,
        "InvalidAuthorization",
        "unsupported authorization scheme",
    ))?;
    let field = |name: &str| {
        fields
            .split(", ")
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .unwrap_or_default()
            .to_owned()
    };
    let (key, date, salt, signature) = (
        field("apiKey"),
        field("date"),
        field("salt"),
        field("signature"),
    );
    if key != API_KEY {
        return Err((401, "InvalidApiKey", "unknown API key"));
    }
    let sent_at = DateTime::parse_from_rfc3339(&date)
        .map_err(|_| (401, "InvalidDate", "date is not RFC 3339"))?;
    if (Utc::now() - sent_at.with_timezone(&Utc))
        .num_minutes()
        .abs()
        > 15
    {
        return Err((
            401,
            "RequestTimeTooSkewed",
            "date is more than 15 minutes off",
        ));
    }
    if salt.is_empty() {
        return Err((401, "InvalidSalt", "salt is missing"));
    }
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(API_SECRET.as_bytes()).expect("HMAC key");
    mac.update(format!("{date}{salt}").as_bytes());
    if hex::encode(mac.finalize().into_bytes()) != signature {
        return Err((401, "SignatureDoesNotMatch", "signature does not match"));
    }
    Ok(())
}

impl Respond for Gateway {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if let Err((status, code, message)) = authorized(request) {
            return error(status, code, message);
        }
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return error(400, "ValidationError", "body is not JSON");
        };
        let Some(messages) = body["messages"].as_array().filter(|m| !m.is_empty()) else {
            return error(400, "ValidationError", "messages is required");
        };
        let mut accepted = Vec::new();
        for message in messages {
            let (to, from, text) = (
                message["to"].as_str(),
                message["from"].as_str(),
                message["text"].as_str(),
            );
            match (to, from, text) {
                (Some(to), Some(from), Some(text))
                    if to.starts_with("01") && to.len() >= 10 && !text.is_empty() =>
                {
                    accepted.push(SentSms {
                        to: to.into(),
                        from: from.into(),
                        text: text.into(),
                    });
                }
                _ => {
                    return error(
                        400,
                        "ValidationError",
                        "to, from and text are required; to must be a mobile number",
                    );
                }
            }
        }
        let total = accepted.len();
        self.sent.lock().expect("sent").extend(accepted);
        ResponseTemplate::new(200).set_body_json(json!({
            "groupInfo": { "count": { "total": total, "sentTotal": 0, "sentFailed": 0, "sentSuccess": 0,
                "sentPending": total, "sentReplacement": 0, "refund": 0,
                "registeredFailed": 0, "registeredSuccess": total } },
            "failedMessageList": [],
            "status": "SENDING",
            "groupId": "G4V20261121000000TESTGROUP0000001",
        }))
    }
}

/// `GET /messages`: what was accepted, oldest first.
struct Outbox {
    sent: Arc<Mutex<Vec<SentSms>>>,
}

impl Respond for Outbox {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let sent = self.sent.lock().expect("sent");
        let listed: Vec<Value> = sent
            .iter()
            .map(|m| json!({ "to": m.to, "from": m.from, "text": m.text }))
            .collect();
        ResponseTemplate::new(200).set_body_json(listed)
    }
}

impl Solapi {
    pub async fn start() -> Self {
        Self::mount(MockServer::start().await).await
    }

    /// On a listener of the caller's (the development stack's fixed port).
    pub async fn start_on(listener: std::net::TcpListener) -> Self {
        Self::mount(MockServer::builder().listener(listener).start().await).await
    }

    async fn mount(server: MockServer) -> Self {
        let sent = Arc::new(Mutex::new(Vec::new()));
        Mock::given(method("POST"))
            .and(path("/messages/v4/send-many/detail"))
            .respond_with(Gateway {
                sent: Arc::clone(&sent),
            })
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/messages"))
            .respond_with(Outbox {
                sent: Arc::clone(&sent),
            })
            .mount(&server)
            .await;
        Self { server, sent }
    }

    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// The `[sms]` settings of a client pointed at this double.
    pub fn settings_overrides(&self) -> Vec<(&'static str, String)> {
        vec![
            ("sms.base_url", self.base_url()),
            ("sms.api_key", API_KEY.to_owned()),
            ("sms.api_secret", API_SECRET.to_owned()),
        ]
    }

    /// Every message accepted so far, oldest first.
    pub fn sent(&self) -> Vec<SentSms> {
        self.sent.lock().expect("sent").clone()
    }

    /// Answers every later request with 503 (the provider is down).
    pub async fn go_down(&self) {
        self.server.reset().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&self.server)
            .await;
    }
}
