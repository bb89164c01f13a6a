//! Sending a request and reading its JSON answer in one step.

use serde_json::Value;

/// Sends a request and reads its JSON answer, failing the test loudly when
/// either does not work.
pub trait SendJson {
    fn json_body(self) -> impl Future<Output = Value>;
}

impl SendJson for reqwest::RequestBuilder {
    async fn json_body(self) -> Value {
        self.send()
            .await
            .expect("the request is sent")
            .json()
            .await
            .expect("the answer is JSON")
    }
}

/// Marks a request as one operation, as a client does for anything that
/// moves money or stock: a fresh `Idempotency-Key`.
pub trait FreshKey {
    #[must_use]
    fn fresh_key(self) -> Self;
}

impl FreshKey for reqwest::RequestBuilder {
    fn fresh_key(self) -> Self {
        self.header("idempotency-key", uuid::Uuid::new_v4().to_string())
    }
}
