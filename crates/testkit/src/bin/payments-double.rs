//! The payment provider double of the development stack: TossPayments,
//! KakaoPay, PayPal and Google Play on one fixed port (see
//! `testkit::doubles::Payments`). The shopper's steps at the providers are
//! pages of its own: `POST /_double/toss/authorize {orderId, amount,
//! method?}` stands for the Toss widget, the KakaoPay and PayPal approval
//! URLs it hands out approve at once and redirect with the token.
//!
//! Usage: payments-double PORT
#![expect(clippy::expect_used, reason = "a development tool that fails loudly")]

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("usage: payments-double PORT");
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind");
    let _providers = testkit::doubles::Payments::start_on(listener).await;
    println!("payment provider doubles on http://127.0.0.1:{port}");
    tokio::signal::ctrl_c().await.expect("signal");
}
