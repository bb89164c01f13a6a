//! Local doubles of outside providers, speaking their documented protocols.

pub mod app_store;
mod delivery_tracker;
mod oidc;
mod payments;
mod portone;
mod solapi;

pub use delivery_tracker::DeliveryTracker;
pub use oidc::{OidcProvider, Person, Twist};
pub use payments::{PUSH_ACCOUNT, PUSH_AUDIENCE, Payments, forged_push_token, push_token};
pub use portone::PortOneIdentity;
pub use solapi::{SentSms, Solapi};

/// The credentials the Delivery Tracker double accepts.
pub fn tracker_client_id() -> &'static str {
    delivery_tracker::CLIENT_ID
}

pub fn tracker_client_secret() -> &'static str {
    delivery_tracker::CLIENT_SECRET
}

/// The credentials the Solapi double accepts.
pub fn solapi_api_key() -> &'static str {
    solapi::API_KEY
}

pub fn solapi_api_secret() -> &'static str {
    solapi::API_SECRET
}

/// The whole of a development double's binary: binds `127.0.0.1:PORT` (the
/// one argument), starts the double there with `start`, says where it is
/// (`what` names it, `at` adds a path to look at), and serves until
/// interrupted.
#[expect(clippy::expect_used, reason = "a development tool that fails loudly")]
pub async fn serve<D, Fut>(
    binary: &str,
    what: &str,
    at: &str,
    start: impl FnOnce(std::net::TcpListener) -> Fut,
) where
    Fut: std::future::Future<Output = D>,
{
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("usage: {binary} PORT"));
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind");
    let _double = start(listener).await;
    println!("{what} on http://127.0.0.1:{port}{at}");
    tokio::signal::ctrl_c().await.expect("signal");
}
