//! Redis: a multiplexed, self-reconnecting connection per process, and one
//! more per server worker thread.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::StoreError;

/// Redis configuration (`[redis]`).
#[derive(Debug, Clone, Deserialize)]
pub struct KvSettings {
    pub url: SecretString,
    /// Prepended to every key this process writes (`<env>:` in deployments,
    /// a unique value per test).
    pub key_prefix: String,
    pub connect_timeout_ms: u64,
    pub response_timeout_ms: u64,
}

/// A Redis handle; cheap to clone.
#[derive(Clone)]
pub struct Kv {
    connection: ConnectionManager,
    prefix: String,
    client: redis::Client,
    config: ConnectionManagerConfig,
}

impl Kv {
    /// Connects lazily: a server starts while Redis is down and the manager
    /// reconnects on its own once Redis is back. Must run inside a Tokio runtime.
    pub fn new(settings: &KvSettings) -> Result<Self, StoreError> {
        let client = redis::Client::open(settings.url.expose_secret())?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(settings.connect_timeout_ms)))
            .set_response_timeout(Some(Duration::from_millis(settings.response_timeout_ms)))
            .set_number_of_retries(1);
        let connection = ConnectionManager::new_lazy_with_config(client.clone(), config.clone())?;
        Ok(Self {
            connection,
            prefix: settings.key_prefix.clone(),
            client,
            config,
        })
    }

    /// A handle of this one's configuration on a connection of its own, for
    /// one server worker thread: the connection's I/O runs on the thread
    /// that first uses it (see [`crate::Db::for_worker`]).
    pub fn for_worker(&self) -> Result<Self, StoreError> {
        Ok(Self {
            connection: ConnectionManager::new_lazy_with_config(
                self.client.clone(),
                self.config.clone(),
            )?,
            ..self.clone()
        })
    }

    /// The full key for `name` under this process's prefix.
    pub fn key(&self, name: &str) -> String {
        format!("{}{}", self.prefix, name)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A connection handle for commands; keys must go through [`Kv::key`].
    pub fn connection(&self) -> ConnectionManager {
        self.connection.clone()
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut connection = self.connection();
        let _: String = redis::cmd("PING").query_async(&mut connection).await?;
        Ok(())
    }
}
