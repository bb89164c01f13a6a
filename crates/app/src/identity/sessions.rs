//! Logging in, refreshing and logging out: access JWTs, opaque rotating
//! refresh tokens, and the Redis session registry that makes revocation
//! immediate.

use auth::Audience;
use auth::sessions::NewSession;
use auth::throttle::Attempt;
use auth::token::NewAccessToken;
use chrono::{DateTime, Utc};
use crypto::BlindIndexKind;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use domain::identity::refresh::{PresentedRefresh, RefreshDecision, RefreshState};
use persistence::StoreError;
use persistence::identity::refresh_tokens::{self, NewRefreshToken, RefreshTokenRow};
use persistence::identity::users::{self, status};
use persistence::kernel::passwords::{self as credentials, Holder};
use uuid::Uuid;

use crate::kernel::ProblemCode;
use crate::kernel::principals::{ADULT_SCOPE, GUEST_SCOPES, device_hash, shopper_scopes};
use crate::{AppError, Context};

/// Who is logging in or refreshing, and from where.
#[derive(Debug, Clone)]
pub struct Client<'a> {
    /// The `X-Device-Id` the session is bound to.
    pub device_id: Uuid,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// What a successful login or refresh hands back.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub refresh_expires_at: DateTime<Utc>,
    pub session_id: String,
}

fn unauthorized(code: ProblemCode) -> AppError {
    AppError::Unauthorized { code }
}

/// Email + password for a shopper. Unknown email and wrong password answer
/// alike and take alike (a decoy hash is verified for unknown accounts).
/// After a few failures, per account and per client IP, each further try
/// must wait longer (never a permanent lock); every attempt is recorded.
pub async fn login(
    context: &Context,
    email: &str,
    password: &str,
    client: &Client<'_>,
) -> Result<TokenPair, AppError> {
    let (account, rehash, attempt) = verify_password(
        context,
        Audience::Service,
        email,
        password,
        client,
        async |conn, index| users::find_credentials_by_email_index(conn, index).await,
    )
    .await?;
    let actor_id = account.id.to_string();
    if account.status != status::ACTIVE {
        attempt.record("not_verified", Some(&actor_id)).await?;
        return Err(AppError::Forbidden {
            code: ProblemCode::EmailNotVerified,
        });
    }
    if let Some(new_hash) = rehash {
        let mut conn = context.db.get().await?;
        credentials::update_password_hash(&mut conn, Holder::Shopper, account.id, &new_hash)
            .await?;
    }
    attempt.record("succeeded", Some(&actor_id)).await?;
    let scopes = shopper_scopes(adult_now(
        context,
        account.adult,
        account.identity_verified_at,
    ));
    start_session(context, &actor_id, Audience::Service, scopes, client).await
}

/// Whether an account's verification of age still gives the `adult` scope:
/// it found an adult, within `identity_verification.adult_valid_days`
/// (older ones must be renewed).
pub(crate) fn adult_now(
    context: &Context,
    adult: bool,
    verified_at: Option<DateTime<Utc>>,
) -> bool {
    let days = context.identity_verification.adult_valid_days;
    let since = Utc::now() - chrono::TimeDelta::days(i64::from(days));
    adult && verified_at.is_some_and(|at| at >= since)
}

/// [`adult_now`] for the account `user_id` as stored.
pub(crate) async fn account_adult_now(
    conn: &mut AsyncPgConnection,
    context: &Context,
    user_id: Uuid,
) -> Result<bool, StoreError> {
    Ok(users::age_verification(conn, user_id)
        .await?
        .is_some_and(|(adult, verified_at)| adult_now(context, adult, verified_at)))
}

/// An account that may have a password.
pub(crate) trait PasswordHolder {
    fn account_id(&self) -> Uuid;
    fn password_hash(&self) -> Option<&str>;
}

impl PasswordHolder for users::Credentials {
    fn account_id(&self) -> Uuid {
        self.id
    }
    fn password_hash(&self) -> Option<&str> {
        self.password_hash.as_deref()
    }
}

impl PasswordHolder for persistence::staff::members::StaffCredentials {
    fn account_id(&self) -> Uuid {
        self.id
    }
    fn password_hash(&self) -> Option<&str> {
        self.password_hash.as_deref()
    }
}

/// A login attempt in progress, recorded once its outcome is known.
pub(crate) struct LoginAttempt<'a> {
    context: &'a Context,
    audience: Audience,
    email_index: Option<Vec<u8>>,
    client: &'a Client<'a>,
}

impl LoginAttempt<'_> {
    /// Records the outcome in `login_attempts` and the security audit log.
    pub(crate) async fn record(
        &self,
        outcome: &str,
        account: Option<&str>,
    ) -> Result<(), AppError> {
        let mut conn = self.context.db.get().await?;
        let attempt = persistence::kernel::security::NewLoginAttempt {
            audience: self.audience.as_str(),
            email_index: self.email_index.as_deref(),
            ip: self.client.ip,
            user_agent: self.client.user_agent,
            outcome,
        };
        let event = crate::kernel::audit::AuditEvent {
            actor: self.client.actor(self.audience, account),
            action: login_action(outcome),
            subject: None,
            details: serde_json::json!({ "audience": self.audience.as_str() }),
        };
        conn.transaction(async |conn| {
            persistence::kernel::security::insert_login_attempt(conn, &attempt).await?;
            crate::kernel::audit::record(conn, &event).await
        })
        .await?;
        Ok(())
    }
}

fn login_action(outcome: &str) -> &'static str {
    match outcome {
        "succeeded" => "login.succeeded",
        "throttled" => "login.throttled",
        "not_verified" => "login.not_verified",
        "disabled" => "login.disabled",
        "mfa_required" => "login.mfa_required",
        _ => "login.failed",
    }
}

impl Client<'_> {
    /// The audit actor for this client acting as `account` on `audience`.
    pub fn actor(&self, audience: Audience, account: Option<&str>) -> crate::kernel::audit::Actor {
        crate::kernel::audit::Actor::on(audience, account, self.ip, self.user_agent)
    }
}

/// Throttle, look the account up by its email's blind index, verify the
/// password (a decoy hash when there is no account, so both take alike).
/// Failures are recorded and answer `invalid_credentials`; on success the
/// caller decides (and records) the outcome, with a new hash when the
/// stored one used weaker parameters.
pub(crate) async fn verify_password<'a, A: PasswordHolder>(
    context: &'a Context,
    audience: Audience,
    email: &str,
    password: &str,
    client: &'a Client<'a>,
    find: impl AsyncFnOnce(&mut AsyncPgConnection, &[u8]) -> Result<Option<A>, StoreError>,
) -> Result<(A, Option<String>, LoginAttempt<'a>), AppError> {
    let vault = crypto::installed().map_err(AppError::internal)?;
    let index = crypto::normalize_email(email)
        .ok()
        .map(|email| vault.blind_index(BlindIndexKind::Email, &email));
    // Throttled by the index, which exists whether or not the account does.
    let account_key = format!(
        "{}:{}",
        audience.as_str(),
        hex::encode(index.as_deref().unwrap_or(&crypto::digest::sha256(
            email.trim().to_lowercase().as_bytes(),
        )))
    );
    let attempt = LoginAttempt {
        context,
        audience,
        email_index: index.clone(),
        client,
    };

    // Judged and counted before the (slow) password check, in one step
    // each, so guesses sent at once cannot all pass a check none of them
    // has counted; per account and address, so a stranger's guesses never
    // keep the owner out from another address.
    let (throttle, rules) = (&context.identity.throttle, throttle_rules(context));
    let account_from_here = format!("{account_key}:{}", client.ip);
    let admitted = match throttle
        .attempt("account", &account_from_here, rules.account)
        .await?
    {
        Attempt::Wait(wait) => Err(wait),
        Attempt::Admitted { .. } => match throttle.attempt("ip", client.ip, rules.ip).await? {
            Attempt::Wait(wait) => {
                throttle.forgive("account", &account_from_here).await?;
                Err(wait)
            }
            Attempt::Admitted { .. } => Ok(()),
        },
    };
    if let Err(wait) = admitted {
        attempt.record("throttled", None).await?;
        return Err(AppError::TooManyRequests {
            code: ProblemCode::TooManyAttempts,
            retry_after_secs: wait.as_secs_f64().ceil() as u64,
        });
    }

    let account = match &index {
        Some(index) => {
            let mut conn = context.db.get().await?;
            find(&mut conn, index).await?
        }
        None => None,
    };
    let identity = context.identity.clone();
    let password = password.to_owned();
    let hash = account
        .as_ref()
        .and_then(|a| a.password_hash().map(str::to_owned));
    let matches = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => identity.hasher.verify(&password, &hash).then(|| {
            identity
                .hasher
                .needs_rehash(&hash)
                .then(|| identity.hasher.hash(&password))
        }),
        None => identity.hasher.verify_absent(&password).then_some(None),
    })
    .await
    .map_err(AppError::internal)?;
    match (account, matches) {
        (Some(account), Some(rehash)) => {
            throttle.clear("account", &account_from_here).await?;
            throttle.forgive("ip", client.ip).await?;
            Ok((account, rehash.and_then(Result::ok), attempt))
        }
        (account, _) => {
            let id = account.map(|a| a.account_id().to_string());
            attempt.record("failed", id.as_deref()).await?;
            Err(unauthorized(ProblemCode::InvalidCredentials))
        }
    }
}

struct ThrottleRules {
    account: auth::throttle::ThrottleRule,
    ip: auth::throttle::ThrottleRule,
}

fn throttle_rules(context: &Context) -> ThrottleRules {
    let settings = context.identity.throttle_settings;
    ThrottleRules {
        account: settings.per_account(),
        ip: settings.per_ip(),
    }
}

/// Opens a session for `subject` on `audience`: registry entry (evicting the
/// oldest beyond the limit), a new refresh family, an access token.
pub async fn start_session(
    context: &Context,
    subject: &str,
    audience: Audience,
    scopes: &[&str],
    client: &Client<'_>,
) -> Result<TokenPair, AppError> {
    let now = Utc::now();
    let device_hash = device_hash(client.device_id);
    let (session_id, evicted) = context
        .identity
        .sessions
        .create(
            &NewSession {
                user_id: subject,
                audience,
                device_hash: &device_hash,
                ip: client.ip,
                user_agent: client.user_agent,
            },
            now,
        )
        .await?;
    let mut conn = context.db.get().await?;
    if !evicted.is_empty() {
        refresh_tokens::revoke_sessions(&mut conn, subject, &evicted).await?;
        record_revocation(
            &mut conn,
            client.actor(audience, Some(subject)),
            subject,
            &evicted,
            "evicted_by_new_login",
        )
        .await?;
    }
    let refresh = new_refresh_token(
        &mut conn,
        context,
        Fresh {
            family_id: Uuid::new_v4(),
            scopes: &scopes.join(" "),
            subject,
            audience,
            session_id: &session_id,
            device_hash: &device_hash,
            family_started_at: now,
        },
        now,
    )
    .await?;
    let access = issue_access(
        context,
        subject,
        audience,
        &session_id,
        &device_hash,
        scopes,
        now,
    )?;
    Ok(TokenPair {
        access_token: access,
        refresh_token: refresh.0,
        expires_in: context.identity.access_ttl_secs,
        refresh_expires_at: refresh.1,
        session_id,
    })
}

struct Fresh<'a> {
    family_id: Uuid,
    scopes: &'a str,
    subject: &'a str,
    audience: Audience,
    session_id: &'a str,
    device_hash: &'a str,
    family_started_at: DateTime<Utc>,
}

async fn new_refresh_token(
    conn: &mut AsyncPgConnection,
    context: &Context,
    fresh: Fresh<'_>,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>), StoreError> {
    let token = crypto::random_token(32);
    let expires_at = insert_refresh_token(conn, context, &token, fresh, now).await?;
    Ok((token, expires_at))
}

/// Stores `token` (its hash) as the live end of its family's line.
async fn insert_refresh_token(
    conn: &mut AsyncPgConnection,
    context: &Context,
    token: &str,
    fresh: Fresh<'_>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, StoreError> {
    let expires_at = context
        .identity
        .refresh
        .expires_at(now, fresh.family_started_at);
    let hash = crypto::digest::sha256(token.as_bytes());
    refresh_tokens::insert(
        conn,
        &NewRefreshToken {
            id: Uuid::new_v4(),
            family_id: fresh.family_id,
            subject: fresh.subject,
            audience: fresh.audience.as_str(),
            session_id: fresh.session_id,
            device_hash: fresh.device_hash,
            token_hash: &hash,
            scopes: fresh.scopes,
            issued_at: now,
            family_started_at: fresh.family_started_at,
            expires_at,
        },
    )
    .await?;
    Ok(expires_at)
}

fn issue_access(
    context: &Context,
    subject: &str,
    audience: Audience,
    session_id: &str,
    device_hash: &str,
    scopes: &[&str],
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = NewAccessToken {
        subject,
        audience,
        session_id,
        device_hash,
        scopes,
    };
    Ok(context
        .identity
        .tokens
        .issue(&token, now)
        .map_err(AppError::internal)?
        .0)
}

/// Exchanges a refresh token for a new pair (rotation). A rotated token
/// presented after the grace window revokes its family and its session.
pub async fn refresh(
    context: &Context,
    audience: Audience,
    token: &str,
    client: &Client<'_>,
) -> Result<TokenPair, AppError> {
    let per_minute = context.identity.rate_limits.refresh_per_minute;
    crate::kernel::limits::guard(
        context,
        "refresh-ip",
        client.ip,
        per_minute,
        crate::kernel::limits::MINUTE,
    )
    .await?;
    let now = Utc::now();
    let device_hash = device_hash(client.device_id);
    let mut conn = context.db.get().await?;
    let outcome = conn
        .transaction(async |conn| {
            decide_refresh(conn, context, audience, token.trim(), &device_hash, now).await
        })
        .await?;
    match outcome {
        RefreshOutcome::Rotated {
            row,
            token,
            expires_at,
        } => {
            // The session must still be live: eviction or logout end refresh too.
            if !context
                .identity
                .sessions
                .is_live(&row.subject, &row.session_id)
                .await?
            {
                refresh_tokens::revoke_family(&mut conn, row.family_id).await?;
                return Err(unauthorized(ProblemCode::SessionRevoked));
            }
            context
                .identity
                .sessions
                .touch(&row.subject, &row.session_id, client.ip, now)
                .await?;
            let mut scopes: Vec<&str> = row.scopes.split(' ').filter(|s| !s.is_empty()).collect();
            // The adult scope lasts as long as the verification of age does.
            if scopes.contains(&ADULT_SCOPE) {
                let still_adult = match Uuid::parse_str(&row.subject) {
                    Ok(user_id) => account_adult_now(&mut conn, context, user_id).await?,
                    Err(_) => false,
                };
                if !still_adult {
                    scopes.retain(|scope| *scope != ADULT_SCOPE);
                }
            }
            let access = issue_access(
                context,
                &row.subject,
                audience,
                &row.session_id,
                &device_hash,
                &scopes,
                now,
            )?;
            Ok(TokenPair {
                access_token: access,
                refresh_token: token,
                expires_in: context.identity.access_ttl_secs,
                refresh_expires_at: expires_at,
                session_id: row.session_id,
            })
        }
        RefreshOutcome::Reused { row } => {
            tracing::warn!(subject = %row.subject, family = %row.family_id, "refresh token reused: family revoked");
            context
                .identity
                .sessions
                .revoke(&row.subject, &row.session_id)
                .await?;
            record_revocation(
                &mut conn,
                client.actor(audience, None),
                &row.subject,
                std::slice::from_ref(&row.session_id),
                "refresh_token_reused",
            )
            .await?;
            Err(unauthorized(ProblemCode::RefreshTokenReused))
        }
        RefreshOutcome::Refused => Err(unauthorized(ProblemCode::InvalidRefreshToken)),
    }
}

enum RefreshOutcome {
    Rotated {
        row: RefreshTokenRow,
        token: String,
        expires_at: DateTime<Utc>,
    },
    Reused {
        row: RefreshTokenRow,
    },
    Refused,
}

/// The token a refresh token is exchanged for: derived from it under the
/// server's key, so the same exchange asked twice answers the same successor
/// without any raw token being stored.
fn successor_of(context: &Context, token: &str) -> String {
    context
        .identity
        .links
        .digest("refresh-successor", token.as_bytes())
}

async fn decide_refresh(
    conn: &mut AsyncPgConnection,
    context: &Context,
    audience: Audience,
    token: &str,
    device_hash: &str,
    now: DateTime<Utc>,
) -> Result<RefreshOutcome, StoreError> {
    let hash = crypto::digest::sha256(token.as_bytes());
    let Some(row) = refresh_tokens::find_for_update(conn, &hash).await? else {
        return Ok(RefreshOutcome::Refused);
    };
    if row.audience != audience.as_str() || row.device_hash != device_hash {
        return Ok(RefreshOutcome::Refused);
    }
    let state = match row.state.as_str() {
        refresh_tokens::state::CURRENT => RefreshState::Current,
        refresh_tokens::state::ROTATED => RefreshState::Rotated {
            at: row.rotated_at.unwrap_or(row.issued_at),
        },
        _ => RefreshState::Revoked,
    };
    let presented = PresentedRefresh {
        state,
        issued_at: row.issued_at,
        family_started_at: row.family_started_at,
    };
    match context.identity.refresh.decide(&presented, now) {
        RefreshDecision::Rotate => {
            refresh_tokens::mark_rotated(conn, row.id, now).await?;
            let successor = successor_of(context, token);
            let expires_at = insert_refresh_token(
                conn,
                context,
                &successor,
                Fresh {
                    family_id: row.family_id,
                    scopes: &row.scopes,
                    subject: &row.subject,
                    audience,
                    session_id: &row.session_id,
                    device_hash,
                    family_started_at: row.family_started_at,
                },
                now,
            )
            .await?;
            Ok(RefreshOutcome::Rotated {
                row,
                token: successor,
                expires_at,
            })
        }
        RefreshDecision::RepeatSuccessor => {
            // Only while the successor is still the live end of the line.
            let token = successor_of(context, token);
            let successor_hash = crypto::digest::sha256(token.as_bytes());
            let Some(successor) = refresh_tokens::find_for_update(conn, &successor_hash)
                .await?
                .filter(|successor| successor.state == refresh_tokens::state::CURRENT)
            else {
                return Ok(RefreshOutcome::Refused);
            };
            let expires_at = context
                .identity
                .refresh
                .expires_at(successor.issued_at, successor.family_started_at);
            Ok(RefreshOutcome::Rotated {
                row: successor,
                token,
                expires_at,
            })
        }
        RefreshDecision::RevokeFamily => {
            refresh_tokens::revoke_family(conn, row.family_id).await?;
            Ok(RefreshOutcome::Reused { row })
        }
        RefreshDecision::Refuse => Ok(RefreshOutcome::Refused),
    }
}

/// Ends the session the access token belongs to, on every replica.
pub async fn logout(
    context: &Context,
    subject: &str,
    session_id: &str,
    actor: crate::kernel::audit::Actor,
) -> Result<(), AppError> {
    end_sessions(context, subject, &[session_id.to_owned()], &actor, "logout").await
}

/// Ends sessions and every refresh token they hold; audited as done by
/// `actor` for `reason`.
pub async fn end_sessions(
    context: &Context,
    subject: &str,
    session_ids: &[String],
    actor: &crate::kernel::audit::Actor,
    reason: &'static str,
) -> Result<(), AppError> {
    if session_ids.is_empty() {
        return Ok(());
    }
    for session_id in session_ids {
        context
            .identity
            .sessions
            .revoke(subject, session_id)
            .await?;
    }
    let mut conn = context.db.get().await?;
    refresh_tokens::revoke_sessions(&mut conn, subject, session_ids).await?;
    record_revocation(&mut conn, actor.clone(), subject, session_ids, reason).await
}

/// Ends every live session of `subject` but `keep` (the caller's own, when
/// it should survive); audited as done by `actor` for `reason`.
pub async fn end_sessions_except(
    context: &Context,
    subject: &str,
    keep: Option<&str>,
    actor: &crate::kernel::audit::Actor,
    reason: &'static str,
) -> Result<(), AppError> {
    let others: Vec<String> = context
        .identity
        .sessions
        .list(subject)
        .await?
        .into_iter()
        .map(|session| session.id)
        .filter(|id| Some(id.as_str()) != keep)
        .collect();
    end_sessions(context, subject, &others, actor, reason).await
}

/// Audits the end of `session_ids` of `subject` for `reason`.
async fn record_revocation(
    conn: &mut AsyncPgConnection,
    actor: crate::kernel::audit::Actor,
    subject: &str,
    session_ids: &[String],
    reason: &'static str,
) -> Result<(), AppError> {
    let event = crate::kernel::audit::AuditEvent {
        actor,
        action: "session.revoked",
        subject: Some(("principal", subject.to_owned())),
        details: serde_json::json!({ "session_ids": session_ids, "reason": reason }),
    };
    conn.transaction(async |conn| crate::kernel::audit::record(conn, &event).await)
        .await?;
    Ok(())
}

/// The caller's live sessions, oldest first.
pub async fn list_sessions(
    context: &Context,
    subject: &str,
) -> Result<Vec<auth::sessions::SessionInfo>, AppError> {
    Ok(context.identity.sessions.list(subject).await?)
}

/// Ends one of the caller's own sessions; `NotFound` if it is not theirs or not live.
pub async fn revoke_own_session(
    context: &Context,
    subject: &str,
    session_id: &str,
    actor: &crate::kernel::audit::Actor,
) -> Result<(), AppError> {
    let live = context.identity.sessions.list(subject).await?;
    if !live.iter().any(|session| session.id == session_id) {
        return Err(AppError::NotFound {
            resource: "session",
        });
    }
    end_sessions(
        context,
        subject,
        &[session_id.to_owned()],
        actor,
        "revoked_by_owner",
    )
    .await
}

/// A session for someone without an account (a cart, a guest checkout).
/// Limited per client address and per device, so one client cannot open
/// sessions (and their open orders) by the hundred.
pub async fn guest_session(context: &Context, client: &Client<'_>) -> Result<TokenPair, AppError> {
    use crate::kernel::limits::{HOUR, guard};
    let limits = context.identity.rate_limits;
    let device = client.device_id.to_string();
    guard(
        context,
        "guest-session-ip",
        client.ip,
        limits.guest_sessions_per_ip_per_hour,
        HOUR,
    )
    .await?;
    guard(
        context,
        "guest-session-device",
        &device,
        limits.guest_sessions_per_device_per_hour,
        HOUR,
    )
    .await?;
    let subject = format!("guest-{}", Uuid::new_v4().simple());
    start_session(context, &subject, Audience::Service, GUEST_SCOPES, client).await
}
