//! The sign-in provider double of the development stack: an OpenID Connect
//! provider on a fixed port that approves every authorization request for a
//! demo person (see `testkit::doubles::OidcProvider`).
//!
//! Usage: oidc-double PORT

#[tokio::main(flavor = "current_thread")]
async fn main() {
    testkit::doubles::serve(
        "oidc-double",
        "OpenID Connect double",
        "",
        testkit::doubles::OidcProvider::start_auto_approving,
    )
    .await;
}
