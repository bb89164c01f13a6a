//! The SMS provider double of the development stack: Solapi's protocol on a
//! fixed port, its messages listed at `GET /messages` (see
//! `testkit::doubles::Solapi`; the keys are `config/development.toml`'s).
//!
//! Usage: sms-double PORT

#[tokio::main(flavor = "current_thread")]
async fn main() {
    testkit::doubles::serve(
        "sms-double",
        "SMS double",
        " (messages at /messages)",
        testkit::doubles::Solapi::start_on,
    )
    .await;
}
