//! The identity-verification double of the development stack: PortOne V2's
//! protocol on a fixed port, with the shopper's verification window at
//! `/verify` (see `testkit::doubles::PortOneIdentity`; the secret and store
//! are `config/development.toml`'s).
//!
//! Usage: identity-double PORT

#[tokio::main(flavor = "current_thread")]
async fn main() {
    testkit::doubles::serve(
        "identity-double",
        "identity-verification double",
        " (window at /verify)",
        testkit::doubles::PortOneIdentity::start_on,
    )
    .await;
}
