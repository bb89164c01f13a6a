//! The discarding SMTP relay of load benchmarks (see `testkit::smtp_sink`).
//! On SIGINT or SIGTERM it prints how many messages it accepted.
//!
//! Usage: smtp-sink PORT
#![expect(clippy::expect_used, reason = "a development tool that fails loudly")]

use tokio::signal::unix::{SignalKind, signal};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("usage: smtp-sink PORT");
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind");
    let sink = testkit::smtp_sink::SmtpSink::start(listener);
    println!("discarding SMTP sink on 127.0.0.1:{port}");
    let mut terminate = signal(SignalKind::terminate()).expect("signal");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
    println!("{} messages accepted", sink.accepted());
}
