//! Access tokens this process has already verified, so a client's next
//! requests with the same token skip the Ed25519 check (about a tenth of a
//! millisecond each) until the token expires.
//!
//! An entry only ever holds what a full verification found, against the
//! signing keys this process was started with: those never change while it
//! runs, so a remembered signature stays exactly as valid as a checked one.
//! What does change with time, expiry, is checked on every use. Revocation
//! is not the token's business but the session registry's, asked on every
//! request as before. See ADR 0013.

use std::collections::HashMap;
use std::mem;
use std::sync::Mutex;

use crate::Audience;
use crate::claims::AccessClaims;

/// Entries per generation: at most twice this many are kept. When the
/// current generation fills up it becomes the previous one and the one
/// before is dropped; a token used again in the meantime moves back into
/// the current one, so the tokens in use stay while unused ones age out.
const GENERATION: usize = 4096;

struct Entry {
    audience: Audience,
    claims: AccessClaims,
}

#[derive(Default)]
struct Generations {
    current: HashMap<String, Entry>,
    previous: HashMap<String, Entry>,
}

impl Generations {
    fn insert(&mut self, token: String, entry: Entry) {
        if self.current.len() >= GENERATION {
            self.previous = mem::take(&mut self.current);
        }
        self.current.insert(token, entry);
    }
}

#[derive(Default)]
pub(crate) struct VerifiedTokens {
    generations: Mutex<Generations>,
}

impl VerifiedTokens {
    /// The claims of `token` if it was verified for `audience` before.
    /// Expiry is left to the caller, who checks it for every token alike.
    pub fn get(&self, token: &str, audience: Audience) -> Option<AccessClaims> {
        let mut generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = generations.current.get(token) {
            return (entry.audience == audience).then(|| entry.claims.clone());
        }
        let (token, entry) = generations.previous.remove_entry(token)?;
        let claims = (entry.audience == audience).then(|| entry.claims.clone());
        generations.insert(token, entry);
        claims
    }

    /// Remembers a token that passed a full verification for `audience`.
    pub fn remember(&self, token: &str, audience: Audience, claims: &AccessClaims) {
        let entry = Entry {
            audience,
            claims: claims.clone(),
        };
        self.generations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(token.to_owned(), entry);
    }

    pub fn len(&self) -> usize {
        let generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
        generations.current.len() + generations.previous.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> AccessClaims {
        AccessClaims {
            iss: "issuer".to_owned(),
            sub: "user".to_owned(),
            aud: Audience::Service.as_str().to_owned(),
            exp,
            iat: exp - 600,
            jti: "j".to_owned(),
            sid: "s".to_owned(),
            did: "d".to_owned(),
            scope: String::new(),
        }
    }

    #[test]
    fn an_entry_answers_only_for_its_own_token_and_audience() {
        let verified = VerifiedTokens::default();
        verified.remember("a.b.c", Audience::Service, &claims(1_000));
        assert_eq!(
            verified.get("a.b.c", Audience::Service),
            Some(claims(1_000))
        );
        assert_eq!(verified.get("a.b.c", Audience::Seller), None);
        assert_eq!(verified.get("a.b.d", Audience::Service), None);
    }

    #[test]
    fn tokens_in_use_stay_while_unused_ones_age_out_within_the_bound() {
        let verified = VerifiedTokens::default();
        verified.remember("in use", Audience::Service, &claims(1_000));
        verified.remember("unused", Audience::Service, &claims(1_000));
        for round in 0..4 {
            for i in 0..GENERATION {
                let token = format!("other-{round}-{i}");
                verified.remember(&token, Audience::Service, &claims(1_000));
            }
            assert!(verified.get("in use", Audience::Service).is_some());
            assert!(verified.len() <= 2 * GENERATION);
        }
        assert_eq!(verified.get("unused", Audience::Service), None);
    }
}
