//! A Redis keyspace per test: a unique key prefix, swept when the test ends.

/// Owns the prefix `test:<uuid>:`; deletes every key under it on drop.
pub struct TestKv {
    url: String,
    prefix: String,
}

impl TestKv {
    pub fn new() -> Self {
        Self {
            url: crate::env::required_env("TEST_REDIS_URL"),
            prefix: format!("test:{}:", uuid::Uuid::new_v4().simple()),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A handle on this test's keyspace, as the application builds one.
    /// Must be called inside a Tokio runtime.
    pub fn handle(&self) -> persistence::Kv {
        self.handle_at(&self.url)
    }

    /// The same keyspace reached through another URL (a [`crate::TcpProxy`]).
    pub fn handle_at(&self, url: &str) -> persistence::Kv {
        persistence::Kv::new(&persistence::KvSettings {
            url: secrecy::SecretString::from(url.to_owned()),
            key_prefix: self.prefix.clone(),
            connect_timeout_ms: 300,
            response_timeout_ms: 300,
        })
        .expect("redis handle")
    }

    /// Every key currently under this test's prefix.
    pub fn keys(&self) -> Vec<String> {
        let Ok(client) = redis::Client::open(self.url.as_str()) else {
            return Vec::new();
        };
        let Ok(mut conn) = client.get_connection() else {
            return Vec::new();
        };
        let pattern = format!("{}*", self.prefix);
        conn.scan_match::<_, String>(&pattern)
            .map(|keys| keys.filter_map(Result::ok).collect())
            .unwrap_or_default()
    }
}

impl Default for TestKv {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestKv {
    fn drop(&mut self) {
        let keys = self.keys();
        if keys.is_empty() {
            return;
        }
        if let Ok(mut conn) =
            redis::Client::open(self.url.as_str()).and_then(|c| c.get_connection())
        {
            let _: redis::RedisResult<()> = redis::cmd("DEL").arg(&keys).query(&mut conn);
        }
    }
}

use redis::TypedCommands as _;
