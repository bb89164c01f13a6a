//! Refresh-token rotation (OAuth 2.0 Security BCP §4.14): every use rotates
//! the token; presenting a rotated token again means it was stolen, and the
//! whole family (every token descended from the same login) is revoked. A
//! short grace window lets a client that sent two refreshes at once keep its
//! session: the second is answered with the successor the first received,
//! so a family never forks into two live lines. A family never outlives its
//! absolute lifetime, however often it is refreshed.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// `[auth.refresh]` lifetimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct RefreshPolicy {
    /// How long one refresh token stays usable (≈ 14 days).
    #[serde(with = "seconds")]
    pub token_lifetime: Duration,
    /// How long a family may be refreshed at all, from its login (≈ 30 days).
    #[serde(with = "seconds")]
    pub family_lifetime: Duration,
    /// A rotated token presented again within this window is answered with
    /// its successor again instead of revoking (≈ 20 s).
    #[serde(with = "seconds")]
    pub reuse_grace: Duration,
}

mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_secs(u64::deserialize(deserializer)?))
    }
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self {
            token_lifetime: Duration::from_secs(14 * 24 * 3600),
            family_lifetime: Duration::from_secs(30 * 24 * 3600),
            reuse_grace: Duration::from_secs(20),
        }
    }
}

/// Where a stored refresh token stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshState {
    /// The newest token of its family.
    Current,
    /// Exchanged for a successor at this time.
    Rotated { at: DateTime<Utc> },
    /// Its family was revoked (logout, reuse, password reset).
    Revoked,
}

/// The facts about a presented token that the decision needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresentedRefresh {
    pub state: RefreshState,
    pub issued_at: DateTime<Utc>,
    pub family_started_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshDecision {
    /// Issue a successor in the same family and mark this token rotated.
    Rotate,
    /// Answer with the successor this token was already exchanged for
    /// (never a second one: the family keeps one live line).
    RepeatSuccessor,
    /// Refuse, and revoke the whole family: a rotated token came back.
    RevokeFamily,
    /// Refuse: too old, or already revoked.
    Refuse,
}

impl RefreshPolicy {
    pub fn decide(&self, token: &PresentedRefresh, now: DateTime<Utc>) -> RefreshDecision {
        let within = |since: DateTime<Utc>, limit: Duration| {
            now.signed_duration_since(since)
                .to_std()
                .map_or(true, |elapsed| elapsed < limit)
        };
        if token.state == RefreshState::Revoked
            || !within(token.family_started_at, self.family_lifetime)
            || !within(token.issued_at, self.token_lifetime)
        {
            return RefreshDecision::Refuse;
        }
        match token.state {
            RefreshState::Current => RefreshDecision::Rotate,
            RefreshState::Rotated { at } if within(at, self.reuse_grace) => {
                RefreshDecision::RepeatSuccessor
            }
            RefreshState::Rotated { .. } => RefreshDecision::RevokeFamily,
            RefreshState::Revoked => RefreshDecision::Refuse,
        }
    }

    /// When a token issued at `issued_at` in a family started at
    /// `family_started_at` stops being usable.
    pub fn expires_at(
        &self,
        issued_at: DateTime<Utc>,
        family_started_at: DateTime<Utc>,
    ) -> DateTime<Utc> {
        let by_token = issued_at
            + chrono::Duration::from_std(self.token_lifetime).unwrap_or(chrono::Duration::MAX);
        let by_family = family_started_at
            + chrono::Duration::from_std(self.family_lifetime).unwrap_or(chrono::Duration::MAX);
        by_token.min(by_family)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use proptest::prelude::*;

    fn t(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() + TimeDelta::seconds(seconds)
    }

    const DAY: i64 = 24 * 3600;

    fn token(state: RefreshState, issued: i64, family: i64) -> PresentedRefresh {
        PresentedRefresh {
            state,
            issued_at: t(issued),
            family_started_at: t(family),
        }
    }

    #[test]
    fn a_current_token_rotates() {
        let policy = RefreshPolicy::default();
        assert_eq!(
            policy.decide(&token(RefreshState::Current, 0, 0), t(60)),
            RefreshDecision::Rotate
        );
    }

    #[test]
    fn a_simultaneous_second_refresh_keeps_the_session() {
        let policy = RefreshPolicy::default();
        let rotated = token(RefreshState::Rotated { at: t(100) }, 0, 0);
        assert_eq!(
            policy.decide(&rotated, t(105)),
            RefreshDecision::RepeatSuccessor
        );
        assert_eq!(
            policy.decide(&rotated, t(119)),
            RefreshDecision::RepeatSuccessor
        );
    }

    #[test]
    fn a_rotated_token_after_the_grace_revokes_the_family() {
        let policy = RefreshPolicy::default();
        let rotated = token(RefreshState::Rotated { at: t(100) }, 0, 0);
        assert_eq!(
            policy.decide(&rotated, t(120)),
            RefreshDecision::RevokeFamily
        );
        assert_eq!(
            policy.decide(&rotated, t(10 * DAY)),
            RefreshDecision::RevokeFamily
        );
    }

    #[test]
    fn lifetimes_are_enforced() {
        let policy = RefreshPolicy::default();
        assert_eq!(
            policy.decide(&token(RefreshState::Current, 0, 0), t(14 * DAY)),
            RefreshDecision::Refuse
        );
        // Refreshed daily, the family still ends 30 days after login.
        assert_eq!(
            policy.decide(&token(RefreshState::Current, 29 * DAY, 0), t(30 * DAY)),
            RefreshDecision::Refuse
        );
        assert_eq!(
            policy.decide(&token(RefreshState::Revoked, 0, 0), t(1)),
            RefreshDecision::Refuse
        );
        assert_eq!(policy.expires_at(t(29 * DAY), t(0)), t(30 * DAY));
        assert_eq!(policy.expires_at(t(DAY), t(0)), t(15 * DAY));
    }

    fn state() -> impl Strategy<Value = RefreshState> {
        prop_oneof![
            Just(RefreshState::Current),
            Just(RefreshState::Revoked),
            (0i64..40 * DAY).prop_map(|at| RefreshState::Rotated { at: t(at) }),
        ]
    }

    proptest! {
        #[test]
        fn decisions_respect_every_rule(state in state(), issued in 0i64..40 * DAY, family_age in 0i64..40 * DAY, later in 0i64..40 * DAY) {
            let policy = RefreshPolicy::default();
            let family = issued - family_age;
            let presented = token(state, issued, family);
            let now = t(issued + later);
            let decision = policy.decide(&presented, now);
            if decision != RefreshDecision::Refuse {
                // Never past either lifetime, never for a revoked family.
                prop_assert!(now < policy.expires_at(presented.issued_at, presented.family_started_at));
                prop_assert_ne!(state, RefreshState::Revoked);
            }
            if let RefreshState::Rotated { at } = state {
                let reused_late = (now - at).num_seconds() >= 20;
                prop_assert_ne!(decision, RefreshDecision::Rotate, "a rotated token never rotates again");
                if decision == RefreshDecision::RepeatSuccessor {
                    prop_assert!(!reused_late, "a late reuse is never answered");
                }
            }
            if state == RefreshState::Current && now < policy.expires_at(presented.issued_at, presented.family_started_at) {
                prop_assert_eq!(decision, RefreshDecision::Rotate);
            }
        }
    }
}
