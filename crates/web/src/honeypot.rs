//! Decoy admin login pages. Nothing real lives at these paths, so whoever
//! posts a login here is probing: the try is recorded (IP, user agent, the
//! username typed; the password is never read) and, after a few, the IP is
//! blocked on every service. Only the sender's own posts count (not a form
//! another site makes a browser send), and our own proxies' addresses are
//! never blocked. Mounted by the services that face the internet
//! most (service-api, admin-api); not in the OpenAPI documents.

use std::collections::HashMap;

use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::AppState;

pub const DECOY_PATHS: [&str; 7] = [
    "/admin",
    "/admin/login",
    "/administrator",
    "/wp-login.php",
    "/wp-admin",
    "/phpmyadmin",
    "/user/login",
];

/// Field names login forms use for the account name (WordPress: `log`).
const USERNAME_FIELDS: [&str; 6] = ["username", "user", "log", "login", "email", "name"];

pub fn configure(config: &mut web::ServiceConfig) {
    for path in DECOY_PATHS {
        config.service(
            web::resource(path)
                .route(web::get().to(login_page))
                .route(web::post().to(login_attempt)),
        );
    }
}

fn page(message: &str) -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Administration — Sign in</title></head>\
         <body><main><h1>Administration</h1>{message}<form method=\"post\">\
         <label>Username <input name=\"username\" autocomplete=\"username\"></label>\
         <label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>\
         <button type=\"submit\">Sign in</button></form></main></body></html>"
    ))
}

async fn login_page() -> HttpResponse {
    page("")
}

/// The username a form or JSON body carries, if any (never the password).
fn username_in(body: &[u8]) -> String {
    let from_form = serde_urlencoded::from_bytes::<HashMap<String, String>>(body).ok();
    let from_json = serde_json::from_slice::<HashMap<String, serde_json::Value>>(body)
        .ok()
        .map(|fields| {
            fields
                .into_iter()
                .filter_map(|(key, value)| value.as_str().map(|v| (key, v.to_owned())))
                .collect::<HashMap<_, _>>()
        });
    from_json
        .or(from_form)
        .and_then(|fields| {
            USERNAME_FIELDS
                .iter()
                .find_map(|name| fields.get(*name).cloned())
        })
        .unwrap_or_default()
}

/// Whether a post to a decoy is the sender's own doing. A page of another
/// site can make any visitor's browser post here (a forged form), and would
/// get that visitor blocked: such posts (a foreign `Origin`, or
/// `Sec-Fetch-Site: cross-site`) do not count.
fn sent_from_here(request: &HttpRequest) -> bool {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("cross-site") {
        return false;
    }
    match header("origin") {
        None => true,
        Some(origin) => {
            let authority = origin.split_once("://").map(|(_, rest)| rest);
            authority.is_some_and(|authority| Some(authority) == header("host"))
        }
    }
}

async fn login_attempt(request: HttpRequest, state: Data<AppState>, body: Bytes) -> HttpResponse {
    let looks_failed = || page("<p role=\"alert\">Invalid username or password.</p>");
    if !sent_from_here(&request) {
        tracing::info!(path = request.path(), "cross-site post to a decoy ignored");
        return looks_failed();
    }
    let client = crate::client_ip::of(&request);
    let from_proxy = crate::client_ip::is_proxy(client, &state.settings.server.trusted_proxies);
    let ip = client.to_string();
    let user_agent = request
        .headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let attempt = app::kernel::security::HoneypotAttempt {
        ip: &ip,
        user_agent,
        path: request.path(),
        username: &username_in(&body),
        from_proxy,
    };
    if let Err(error) =
        app::kernel::security::record_honeypot_attempt(&state.context, &attempt).await
    {
        tracing::error!(%error, "honeypot attempt not recorded");
    }
    // Looks like any failed login.
    looks_failed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_username_and_never_the_password() {
        assert_eq!(username_in(b"log=admin&pwd=hunter2"), "admin");
        assert_eq!(
            username_in(br#"{"email":"root@example.com","password":"hunter2"}"#),
            "root@example.com"
        );
        assert_eq!(username_in(b"password=hunter2"), "");
    }
}
