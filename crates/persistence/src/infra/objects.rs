//! The private object store (S3 protocol): seller documents and product
//! images. Objects are never public; readers get short-lived pre-signed URLs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::signer::Signer;
use object_store::{ObjectStoreExt, PutPayload};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::StoreError;

#[derive(Debug, Clone, Deserialize)]
pub struct ObjectStoreSettings {
    /// Base URL of the S3 endpoint (path-style requests).
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key_id: SecretString,
    pub secret_access_key: SecretString,
    /// Prepended to every key this process writes (a unique value per test).
    #[serde(default)]
    pub key_prefix: String,
    /// How long a pre-signed download URL stays valid.
    pub download_url_ttl_secs: u64,
    pub timeout_ms: u64,
}

/// Shared URLs kept at most this many; past it the cache starts over.
const SHARED_URL_CAPACITY: usize = 50_000;

/// The shared object store handle; cheap to clone.
#[derive(Clone)]
pub struct Objects {
    store: Arc<AmazonS3>,
    prefix: String,
    download_url_ttl: Duration,
    /// Signed URLs of catalog pictures by key, with when they were signed.
    shared_urls: Arc<Mutex<HashMap<String, (url::Url, Instant)>>>,
}

impl std::fmt::Debug for Objects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Objects")
            .field("prefix", &self.prefix)
            .finish()
    }
}

impl Objects {
    /// Builds the client without contacting the store.
    pub fn new(settings: &ObjectStoreSettings) -> Result<Self, StoreError> {
        let timeout = Duration::from_millis(settings.timeout_ms);
        let store = AmazonS3Builder::new()
            .with_endpoint(&settings.endpoint)
            .with_region(&settings.region)
            .with_bucket_name(&settings.bucket)
            .with_access_key_id(settings.access_key_id.expose_secret())
            .with_secret_access_key(settings.secret_access_key.expose_secret())
            .with_virtual_hosted_style_request(false)
            // Client options carry `allow_http` too: one value, set once.
            .with_client_options(
                object_store::ClientOptions::new()
                    .with_allow_http(settings.endpoint.starts_with("http://"))
                    .with_timeout(timeout)
                    .with_connect_timeout(timeout),
            )
            .build()
            .map_err(|e| StoreError::Objects(e.to_string()))?;
        Ok(Self {
            store: Arc::new(store),
            prefix: settings.key_prefix.clone(),
            download_url_ttl: Duration::from_secs(settings.download_url_ttl_secs),
            shared_urls: Arc::default(),
        })
    }

    fn path(&self, key: &str) -> Path {
        Path::from(format!("{}{key}", self.prefix))
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StoreError> {
        self.store
            .put(&self.path(key), PutPayload::from_bytes(bytes))
            .await
            .map(drop)
            .map_err(|e| StoreError::Objects(e.to_string()))
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StoreError> {
        let result = self
            .store
            .get(&self.path(key))
            .await
            .map_err(|e| StoreError::Objects(e.to_string()))?;
        result
            .bytes()
            .await
            .map_err(|e| StoreError::Objects(e.to_string()))
    }

    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.store
            .delete(&self.path(key))
            .await
            .map_err(|e| StoreError::Objects(e.to_string()))
    }

    /// The validity of [`Objects::download_url`].
    pub fn download_url_ttl(&self) -> Duration {
        self.download_url_ttl
    }

    /// A pre-signed GET URL for `key`, valid for the configured time; the
    /// store itself refuses it afterwards.
    pub async fn download_url(&self, key: &str) -> Result<url::Url, StoreError> {
        self.store
            .signed_url(
                object_store::signer::Method::GET,
                &self.path(key),
                self.download_url_ttl,
            )
            .await
            .map_err(|e| StoreError::Objects(e.to_string()))
    }

    /// A pre-signed GET URL for a picture every shopper may see (product
    /// images, review photos), valid for at least half the configured time.
    /// One URL serves many requests until then: signing each of the twenty
    /// cards of every list page would cost more than the page's query.
    /// Documents never come through here; their URLs are fresh and audited.
    pub async fn shared_download_url(&self, key: &str) -> Result<url::Url, StoreError> {
        let fresh_for = self.download_url_ttl / 2;
        if let Some((url, signed_at)) = self.shared_urls().get(key)
            && signed_at.elapsed() < fresh_for
        {
            return Ok(url.clone());
        }
        let url = self.download_url(key).await?;
        let mut cache = self.shared_urls();
        if cache.len() >= SHARED_URL_CAPACITY {
            cache.clear();
        }
        cache.insert(key.to_owned(), (url.clone(), Instant::now()));
        Ok(url)
    }

    fn shared_urls(&self) -> std::sync::MutexGuard<'_, HashMap<String, (url::Url, Instant)>> {
        // A panic while holding the lock leaves a consistent map behind.
        self.shared_urls
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
