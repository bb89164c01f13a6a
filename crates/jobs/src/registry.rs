//! Job kinds and the handlers that run them.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Job;

/// What a handler knows about the job it runs.
#[derive(Debug, Clone)]
pub struct JobContext {
    /// Stable across retries: use it to make the job's effect idempotent.
    pub job_id: i64,
    /// 1 on the first run.
    pub attempt: i32,
    pub max_attempts: i32,
}

/// A failed run. `retryable: false` fails the job for good at once.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct JobError {
    pub message: String,
    pub retryable: bool,
}

impl JobError {
    pub fn retry(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retryable: true,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retryable: false,
        }
    }
}

type Handler = Arc<
    dyn Fn(JobContext, serde_json::Value) -> BoxFuture<'static, Result<(), JobError>> + Send + Sync,
>;

/// Maps each job kind to its handler.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Handler>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers the handler of `J`; its payload is decoded before the call.
    pub fn register<J, F, Fut>(&mut self, handler: F) -> &mut Self
    where
        J: Job,
        F: Fn(JobContext, J) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        self.handlers.insert(
            J::KIND,
            Arc::new(move |context, payload| {
                let handler = Arc::clone(&handler);
                Box::pin(async move {
                    let job: J = serde_json::from_value(payload).map_err(|e| {
                        JobError::permanent(format!("payload of {} does not decode: {e}", J::KIND))
                    })?;
                    handler(context, job).await
                })
            }),
        );
        self
    }

    /// Whether a handler runs jobs of `kind`.
    pub fn handles(&self, kind: &str) -> bool {
        self.handlers.contains_key(kind)
    }

    pub(crate) fn handler(&self, kind: &str) -> Option<Handler> {
        self.handlers.get(kind).cloned()
    }
}
