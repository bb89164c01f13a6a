//! The SMS provider double of the development stack: Solapi's protocol on a
//! fixed port, its messages listed at `GET /messages` (see
//! `testkit::doubles::Solapi`; the keys are `config/development.toml`'s).
//!
//! Usage: sms-double PORT
#![expect(clippy::expect_used, reason = "a development tool that fails loudly")]

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("usage: sms-double PORT");
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind");
    let _provider = testkit::doubles::Solapi::start_on(listener).await;
    println!("SMS double on http://127.0.0.1:{port} (messages at /messages)");
    tokio::signal::ctrl_c().await.expect("signal");
}
