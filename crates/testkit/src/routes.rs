//! The operations of a service's OpenAPI document, with what each declares
//! of its caller, for tests that walk every route.

use serde_json::Value;
use uuid::Uuid;

use crate::TestServer;
use crate::shoppers::Login;

/// The routes of the staff APIs (seller-api, admin-api) reachable without a
/// token: staff login, second factor, invitations, password resets, probes.
pub const STAFF_PUBLIC: &[(&str, &str)] = &[
    ("POST", "/v1/auth/login"),
    ("POST", "/v1/auth/mfa/enrolment"),
    ("POST", "/v1/auth/mfa/verify"),
    ("POST", "/v1/auth/refresh"),
    ("POST", "/v1/auth/invitations/accept"),
    ("POST", "/v1/auth/password-resets"),
    ("POST", "/v1/auth/password-resets/confirm"),
    ("GET", "/livez"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
];

/// The routes of the staff APIs any logged-in staff member may call about
/// themselves (no permission).
pub const STAFF_SELF_SERVICE: &[(&str, &str)] = &[
    ("POST", "/v1/auth/logout"),
    ("GET", "/v1/auth/session"),
    ("GET", "/v1/me"),
    ("PUT", "/v1/me/password"),
    ("POST", "/v1/me/mfa/enrolment"),
    ("POST", "/v1/me/mfa/confirm"),
];

/// One documented operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub method: reqwest::Method,
    /// The template, e.g. `/v1/staff/{id}`.
    pub path: String,
    /// The `bearer` scopes it lists: `None` when it declares none.
    pub bearer: Option<Vec<String>>,
    /// The `partner` scopes it lists: `None` when it declares none.
    pub partner: Option<Vec<String>>,
}

impl Operation {
    /// The path with every `{param}` filled by a fresh UUID.
    pub fn concrete_path(&self) -> String {
        let mut path = String::new();
        for segment in self.path.split('/').skip(1) {
            path.push('/');
            if segment.starts_with('{') {
                path.push_str(&Uuid::new_v4().to_string());
            } else {
                path.push_str(segment);
            }
        }
        path
    }

    pub fn key(&self) -> (String, String) {
        (self.method.to_string(), self.path.clone())
    }

    /// Whether `(method, path)` pairs of `list` name this operation.
    pub fn is_in(&self, list: &[(&str, &str)]) -> bool {
        let (method, path) = self.key();
        list.iter().any(|(m, p)| *m == method && *p == path)
    }

    /// Calls it as `login` with fresh ids in the path and `{}` as the body
    /// of a write: enough to reach authorisation, which comes first.
    pub async fn call(&self, server: &TestServer, login: &Login) -> (reqwest::StatusCode, Value) {
        let mut request = login.call(server, self.method.clone(), &self.concrete_path());
        if matches!(self.method.as_str(), "POST" | "PUT" | "PATCH") {
            request = request.json(&serde_json::json!({}));
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// Every operation of `service`'s document.
pub fn operations(service: &web::Service) -> Vec<Operation> {
    let document = serde_json::to_value(web::openapi::document(service)).expect("document");
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let scopes = |scheme: &str| {
                operation["security"].as_array().and_then(|requirements| {
                    requirements.iter().find_map(|requirement| {
                        requirement[scheme].as_array().map(|scopes| {
                            scopes
                                .iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                    })
                })
            };
            operations.push(Operation {
                method: method.to_uppercase().parse().expect("method"),
                path: path.clone(),
                bearer: scopes("bearer"),
                partner: scopes("partner"),
            });
        }
    }
    operations
}
