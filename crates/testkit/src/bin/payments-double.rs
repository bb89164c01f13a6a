//! The payment provider double of the development stack: TossPayments,
//! KakaoPay, PayPal and Google Play on one fixed port (see
//! `testkit::doubles::Payments`). The shopper's steps at the providers are
//! pages of its own: `POST /_double/toss/authorize {orderId, amount,
//! method?}` stands for the Toss widget, the KakaoPay and PayPal approval
//! URLs it hands out approve at once and redirect with the token.
//!
//! Usage: payments-double PORT

#[tokio::main(flavor = "current_thread")]
async fn main() {
    testkit::doubles::serve(
        "payments-double",
        "payment provider doubles",
        "",
        testkit::doubles::Payments::start_on,
    )
    .await;
}
