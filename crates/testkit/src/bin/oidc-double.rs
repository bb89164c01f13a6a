//! The sign-in provider double of the development stack: an OpenID Connect
//! provider on a fixed port that approves every authorization request for a
//! demo person (see `testkit::doubles::OidcProvider`).
//!
//! Usage: oidc-double PORT
#![expect(clippy::expect_used, reason = "a development tool that fails loudly")]

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("usage: oidc-double PORT");
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind");
    let _provider = testkit::doubles::OidcProvider::start_auto_approving(listener).await;
    println!("OpenID Connect double on http://127.0.0.1:{port}");
    tokio::signal::ctrl_c().await.expect("signal");
}
