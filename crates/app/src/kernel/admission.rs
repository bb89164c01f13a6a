//! What every request meets first: whether its address is blocked and,
//! when it presents an access token, who is calling. Both answers live in
//! Redis, so they are asked in one round trip rather than one each.

use auth::Audience;
use uuid::Uuid;

use crate::Context;
use crate::kernel::principals::{
    AuthenticationError, Principal, principal_if_live, verified_claims,
};
use crate::kernel::security::{blocked_key, is_blocked};

/// The outcome of [`admit`].
#[derive(Debug)]
pub struct Admission {
    /// Whether the address is on the blocklist. An unanswered question is a
    /// "no": the block is a deterrent, and availability outweighs it.
    pub blocked: bool,
    /// The caller, when the request presented a token and device id; a
    /// session that could not be asked about is refused (fails closed).
    pub caller: Option<Result<Principal, AuthenticationError>>,
}

/// A token and the device id sent with it.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    pub token: &'a str,
    pub device_id: Uuid,
}

/// Checks the blocklist for `ip` and, with `credentials`, authenticates
/// them for `audience`.
pub async fn admit(
    context: &Context,
    audience: Audience,
    ip: &str,
    credentials: Option<Credentials<'_>>,
) -> Admission {
    let verified =
        credentials.map(|given| verified_claims(context, audience, given.token, given.device_id));
    let claims = match verified {
        None => {
            return Admission {
                blocked: blocklisted(context, ip).await,
                caller: None,
            };
        }
        Some(Err(refused)) => {
            return Admission {
                blocked: blocklisted(context, ip).await,
                caller: Some(Err(refused)),
            };
        }
        Some(Ok(claims)) => claims,
    };
    let session = context.identity.sessions.live_key(&claims.sub, &claims.sid);
    let answers: Result<(bool, bool), redis::RedisError> = redis::pipe()
        .exists(blocked_key(context, ip))
        .exists(session)
        .query_async(&mut context.kv.connection())
        .await;
    match answers {
        Ok((blocked, live)) => Admission {
            blocked,
            caller: Some(principal_if_live(claims, Ok(live))),
        },
        Err(error) => {
            tracing::warn!(%error, "blocklist unavailable; letting the request through");
            Admission {
                blocked: false,
                caller: Some(principal_if_live(claims, Err(error.into()))),
            }
        }
    }
}

async fn blocklisted(context: &Context, ip: &str) -> bool {
    is_blocked(context, ip).await.unwrap_or_else(|error| {
        tracing::warn!(%error, "blocklist unavailable; letting the request through");
        false
    })
}
