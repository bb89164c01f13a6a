//! The identity-verification double of the development stack: PortOne V2's
//! protocol on a fixed port, with the shopper's verification window at
//! `/verify` (see `testkit::doubles::PortOneIdentity`; the secret and store
//! are `config/development.toml`'s).
//!
//! Usage: identity-double PORT
#![expect(clippy::expect_used, reason = "a development tool that fails loudly")]

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("usage: identity-double PORT");
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind");
    let _provider = testkit::doubles::PortOneIdentity::start_on(listener).await;
    println!("identity-verification double on http://127.0.0.1:{port} (window at /verify)");
    tokio::signal::ctrl_c().await.expect("signal");
}
