//! An OAuth 2.0 access token kept until shortly before it lapses.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Renewed this long before the provider's expiry, so a request never
/// carries a token about to lapse.
const EARLY_RENEWAL: Duration = Duration::from_secs(60);

#[derive(Default)]
pub(crate) struct TokenCache(Mutex<Option<(String, Instant)>>);

impl TokenCache {
    /// The token, if one is held and still fresh.
    pub fn get(&self) -> Option<String> {
        let held = self.0.lock().ok()?;
        held.as_ref()
            .filter(|(_, renew_at)| *renew_at > Instant::now())
            .map(|(token, _)| token.clone())
    }

    pub fn put(&self, token: &str, lifetime_secs: u64) {
        if let Ok(mut held) = self.0.lock() {
            let renew_at =
                Instant::now() + Duration::from_secs(lifetime_secs).saturating_sub(EARLY_RENEWAL);
            *held = Some((token.to_owned(), renew_at));
        }
    }

    /// Forgets the token (the provider refused it).
    pub fn clear(&self) {
        if let Ok(mut held) = self.0.lock() {
            *held = None;
        }
    }
}
