//! The caller behind an access token: genuine, unexpired, for this API,
//! bound to the device that presents it, and of a session still live.

use auth::Audience;
use auth::token::{AccessClaims, TokenError};
use persistence::StoreError;
use uuid::Uuid;

use crate::Context;

/// The scopes of a shopper's access token.
pub const SHOPPER_SCOPES: &[&str] = &["shopper"];

/// The device id as it travels in tokens and rows: a hash, never the id.
pub fn device_hash(device_id: Uuid) -> String {
    crypto::digest::sha256_hex(device_id.as_bytes())
}

/// A shopper's scopes: `adult` too once identity verification found them of age.
pub fn shopper_scopes(adult: bool) -> &'static [&'static str] {
    if adult {
        &["shopper", ADULT_SCOPE]
    } else {
        SHOPPER_SCOPES
    }
}

/// A verified caller of an API.
#[derive(Debug, Clone)]
pub struct Principal {
    pub subject: String,
    pub session_id: String,
    pub claims: AccessClaims,
}

/// Why a presented access token was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthenticationError {
    /// Missing, malformed, forged, expired, for another API, for another
    /// device, or for an ended session.
    Refused(&'static str),
    /// The session registry could not be asked: refuse, but say it is us.
    Unavailable,
}

/// Verifies an access token presented to `audience` from `device_id`, and
/// that its session is still live (fails closed when Redis is unreachable).
pub async fn authenticate(
    context: &Context,
    audience: Audience,
    token: &str,
    device_id: Uuid,
) -> Result<Principal, AuthenticationError> {
    let claims = verified_claims(context, audience, token, device_id)?;
    let live = context
        .identity
        .sessions
        .is_live(&claims.sub, &claims.sid)
        .await;
    principal_if_live(claims, live)
}

/// The claims of a token that is genuine, unexpired, for `audience` and
/// bound to `device_id`; whether its session is live is asked separately.
pub(crate) fn verified_claims(
    context: &Context,
    audience: Audience,
    token: &str,
    device_id: Uuid,
) -> Result<AccessClaims, AuthenticationError> {
    let claims = context
        .identity
        .tokens
        .verify(token, audience)
        .map_err(|error| match error {
            TokenError::Invalid(reason) => AuthenticationError::Refused(reason),
            TokenError::Keys(_) | TokenError::Signing(_) => AuthenticationError::Refused("token"),
        })?;
    if claims.did != device_hash(device_id) {
        return Err(AuthenticationError::Refused("device"));
    }
    Ok(claims)
}

/// The caller behind verified `claims`, given what the session registry
/// answered about their session.
pub(crate) fn principal_if_live(
    claims: AccessClaims,
    live: Result<bool, StoreError>,
) -> Result<Principal, AuthenticationError> {
    match live {
        Ok(true) => Ok(Principal {
            subject: claims.sub.clone(),
            session_id: claims.sid.clone(),
            claims,
        }),
        Ok(false) => Err(AuthenticationError::Refused("session")),
        Err(error) => {
            tracing::warn!(%error, "session registry unreachable: refusing the token");
            Err(AuthenticationError::Unavailable)
        }
    }
}

/// The scope of a guest's token: enough to browse, hold a cart and check out.
pub const GUEST_SCOPES: &[&str] = &["guest"];

/// The scope identity verification grants to adults.
pub const ADULT_SCOPE: &str = "adult";
