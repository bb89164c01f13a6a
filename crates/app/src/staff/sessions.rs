//! Staff login on seller-api and admin-api: password, then (for accounts
//! that have one, and always for operations staff and vendor owners, who
//! must enrol first) a TOTP code or a one-time recovery code.

use auth::Audience;
use auth::mfa::{self, Challenge, ChallengeAttempt, ChallengeKind};
use auth::throttle::Attempt;
use chrono::Utc;
use crypto::Sealed;
use diesel_async::AsyncConnection;
use domain::identity::permissions::SellerRole;
use persistence::StoreError;
use persistence::kernel::passwords::{self as credentials, Holder};
use persistence::staff::members::{self, status};
use serde_json::json;
use uuid::Uuid;

use crate::identity::sessions::{Client, TokenPair, start_session, verify_password};
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::device_hash;
use crate::kernel::principals::{STAFF_SCOPES, StaffPrincipal, staff_kind};
use crate::{AppError, Context};

/// What a correct password leads to.
#[derive(Debug)]
pub enum StaffLogin {
    /// No second factor needed (a vendor role that reads no personal data,
    /// without one enrolled).
    Tokens(TokenPair),
    /// Send a code (or a recovery code) with `mfa_token` to `/v1/auth/mfa/verify`.
    MfaRequired { mfa_token: String, expires_in: u64 },
    /// The account must enrol a second factor first: `/v1/auth/mfa/enrolment`,
    /// then verify a first code.
    MfaEnrolmentRequired { mfa_token: String, expires_in: u64 },
}

pub async fn login(
    context: &Context,
    audience: Audience,
    email: &str,
    password: &str,
    client: &Client<'_>,
) -> Result<StaffLogin, AppError> {
    let kind = staff_kind(audience).ok_or(AppError::Forbidden {
        code: ProblemCode::StaffOnly,
    })?;
    let (account, rehash, attempt) = verify_password(
        context,
        audience,
        email,
        password,
        client,
        async |conn, index| members::find_credentials_by_email_index(conn, kind, index).await,
    )
    .await?;
    let id = account.id.to_string();
    if account.status != status::ACTIVE {
        attempt.record("disabled", Some(&id)).await?;
        return Err(AppError::Forbidden {
            code: ProblemCode::AccountInactive,
        });
    }
    if let Some(new_hash) = rehash {
        let mut conn = context.db.get().await?;
        credentials::update_password_hash(&mut conn, Holder::Staff, account.id, &new_hash).await?;
    }
    let enrolled = account.mfa_enabled_at.is_some();
    let mandatory = kind == members::kind::ADMIN
        || account
            .seller_role
            .as_deref()
            .and_then(SellerRole::parse)
            .is_some_and(SellerRole::requires_mfa);
    if !(enrolled || mandatory) {
        attempt.record("succeeded", Some(&id)).await?;
        return Ok(StaffLogin::Tokens(
            start_session(context, &id, audience, STAFF_SCOPES, client).await?,
        ));
    }
    let challenges = &context.identity.mfa_challenges;
    let mfa_token = crypto::random_token(32);
    let challenge_kind = if enrolled {
        ChallengeKind::Verify
    } else {
        ChallengeKind::Enrol
    };
    challenges
        .open(
            &mfa_token,
            &Challenge {
                staff_id: id.clone(),
                audience: audience.as_str().to_owned(),
                device_hash: device_hash(client.device_id),
                kind: challenge_kind,
            },
        )
        .await?;
    attempt.record("mfa_required", Some(&id)).await?;
    let expires_in = challenges.lifetime().as_secs();
    Ok(match challenge_kind {
        ChallengeKind::Verify => StaffLogin::MfaRequired {
            mfa_token,
            expires_in,
        },
        ChallengeKind::Enrol => StaffLogin::MfaEnrolmentRequired {
            mfa_token,
            expires_in,
        },
    })
}

/// The throttle's name for second-factor tries, counted per staff account.
const MFA_SCOPE: &str = "mfa";

fn challenge_refused() -> AppError {
    AppError::Unauthorized {
        code: ProblemCode::MfaChallengeInvalid,
    }
}

/// Takes one attempt on the challenge; it must be of this API and device.
async fn open_challenge(
    context: &Context,
    audience: Audience,
    mfa_token: &str,
    client: &Client<'_>,
) -> Result<(Challenge, Uuid), AppError> {
    let ChallengeAttempt::Open(challenge) =
        context.identity.mfa_challenges.attempt(mfa_token).await?
    else {
        return Err(challenge_refused());
    };
    if challenge.audience != audience.as_str()
        || challenge.device_hash != device_hash(client.device_id)
    {
        return Err(challenge_refused());
    }
    let staff_id = Uuid::parse_str(&challenge.staff_id).map_err(|_| challenge_refused())?;
    Ok((challenge, staff_id))
}

/// What an authenticator app needs to add the account.
#[derive(Debug)]
pub struct Enrolment {
    /// Base32, for typing in.
    pub secret: String,
    /// `otpauth://totp/...`, for a QR code.
    pub otpauth_uri: String,
}

/// Issues a new (unconfirmed) TOTP secret to an account that must enrol.
/// Asking again replaces it; the first correct code confirms it.
pub async fn begin_enrolment(
    context: &Context,
    audience: Audience,
    mfa_token: &str,
    client: &Client<'_>,
) -> Result<Enrolment, AppError> {
    let (challenge, staff_id) = open_challenge(context, audience, mfa_token, client).await?;
    if challenge.kind != ChallengeKind::Enrol {
        return Err(already_enrolled());
    }
    issue_secret(context, audience, staff_id).await
}

fn already_enrolled() -> AppError {
    AppError::Conflict {
        code: ProblemCode::MfaAlreadyEnrolled,
        message: "this account already has a second factor".into(),
    }
}

/// A new, unconfirmed secret for `staff_id` (replacing an unconfirmed one).
async fn issue_secret(
    context: &Context,
    audience: Audience,
    staff_id: Uuid,
) -> Result<Enrolment, AppError> {
    let mut conn = context.db.get().await?;
    let account = members::find_mfa(&mut conn, staff_id)
        .await?
        .ok_or_else(challenge_refused)?;
    let secret = mfa::new_secret(crypto::fill_random);
    let encoded = mfa::encode_secret(&secret);
    if !members::set_pending_totp_secret(&mut conn, staff_id, Sealed::new(encoded)).await? {
        return Err(already_enrolled());
    }
    let account_name = account.email.value().unwrap_or("staff").to_owned();
    let issuer = format!(
        "{} ({})",
        context.identity.staff.totp_issuer,
        audience.as_str()
    );
    let (secret, otpauth_uri) =
        mfa::provisioning(&secret, &issuer, &account_name).map_err(AppError::internal)?;
    Ok(Enrolment {
        secret,
        otpauth_uri,
    })
}

/// Accepts `code` against the account's (pending or confirmed) secret, once.
async fn accept_code(
    conn: &mut persistence::AsyncPgConnection,
    account: &members::StaffMfa,
    code: &str,
    now: chrono::DateTime<Utc>,
) -> Result<bool, StoreError> {
    let secret = account
        .totp_secret
        .as_ref()
        .and_then(|sealed| sealed.value())
        .and_then(|encoded| mfa::decode_secret(encoded).ok());
    match secret
        .and_then(|s| mfa::matching_step(&s, code, u64::try_from(now.timestamp()).unwrap_or(0)))
    {
        Some(step) => {
            members::accept_totp_step(conn, account.id, i64::try_from(step).unwrap_or(i64::MAX))
                .await
        }
        None => Ok(false),
    }
}

/// Confirms the pending secret and hands out fresh recovery codes.
async fn enable_with_recovery_codes(
    conn: &mut persistence::AsyncPgConnection,
    staff_id: Uuid,
    now: chrono::DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    members::enable_mfa(conn, staff_id, now).await?;
    let codes = mfa::new_recovery_codes(crypto::fill_random);
    let digests: Vec<Vec<u8>> = codes
        .iter()
        .map(|code| crypto::digest::sha256(mfa::normalize_recovery_code(code).as_bytes()))
        .collect();
    members::replace_recovery_codes(conn, staff_id, &digests).await?;
    Ok(codes)
}

/// The second factor: a TOTP `code`, or one of the account's recovery codes.
#[derive(Debug, Clone, Copy)]
pub enum SecondFactor<'a> {
    Code(&'a str),
    RecoveryCode(&'a str),
}

/// A completed login; recovery codes come once, at enrolment.
#[derive(Debug)]
pub struct MfaSuccess {
    pub tokens: TokenPair,
    pub recovery_codes: Option<Vec<String>>,
}

pub async fn verify(
    context: &Context,
    audience: Audience,
    mfa_token: &str,
    factor: SecondFactor<'_>,
    client: &Client<'_>,
) -> Result<MfaSuccess, AppError> {
    let (challenge, staff_id) = open_challenge(context, audience, mfa_token, client).await?;
    let id = staff_id.to_string();
    let actor = client.actor(audience, Some(&id));
    // Wrong codes count per account across challenges: a correct password
    // opens a new challenge, never a new budget of guesses.
    let (throttle, rule) = (
        &context.identity.throttle,
        context.identity.throttle_settings.per_account(),
    );
    let failures = match throttle.attempt(MFA_SCOPE, &id, rule).await? {
        Attempt::Admitted { failures } => failures,
        Attempt::Wait(wait) => {
            return Err(AppError::TooManyRequests {
                code: ProblemCode::TooManyAttempts,
                retry_after_secs: wait.as_secs_f64().ceil() as u64,
            });
        }
    };
    let now = Utc::now();
    let mut conn = context.db.get().await?;
    let account = members::find_mfa(&mut conn, staff_id)
        .await?
        .filter(|account| account.status == status::ACTIVE)
        .ok_or_else(challenge_refused)?;
    let enrolling = challenge.kind == ChallengeKind::Enrol;
    let outcome = conn
        .transaction(async |conn| {
            let accepted = match factor {
                SecondFactor::Code(code) => accept_code(conn, &account, code, now).await?,
                SecondFactor::RecoveryCode(code) if !enrolling => {
                    let digest =
                        crypto::digest::sha256(mfa::normalize_recovery_code(code).as_bytes());
                    members::use_recovery_code(conn, staff_id, &digest, now).await?
                }
                SecondFactor::RecoveryCode(_) => false,
            };
            if !accepted {
                // Past the free tries every failure is an alert: someone
                // who knows the password is guessing the second factor.
                let action = if failures > rule.free {
                    "mfa.guessing_suspected"
                } else {
                    "mfa.failed"
                };
                audit::record(
                    conn,
                    &AuditEvent {
                        actor: actor.clone(),
                        action,
                        subject: Some(("staff", id.clone())),
                        details: json!({ "audience": audience.as_str(), "failures": failures }),
                    },
                )
                .await?;
                return Ok::<_, StoreError>(None);
            }
            let recovery_codes = if enrolling {
                Some(enable_with_recovery_codes(conn, staff_id, now).await?)
            } else {
                None
            };
            let action = match (enrolling, factor) {
                (true, _) => "mfa.enrolled",
                (false, SecondFactor::Code(_)) => "mfa.verified",
                (false, SecondFactor::RecoveryCode(_)) => "mfa.recovery_code_used",
            };
            audit::record(
                conn,
                &AuditEvent {
                    actor: actor.clone(),
                    action,
                    subject: None,
                    details: json!({ "audience": audience.as_str() }),
                },
            )
            .await?;
            Ok(Some(recovery_codes))
        })
        .await?;
    let Some(recovery_codes) = outcome else {
        return Err(AppError::Unauthorized {
            code: ProblemCode::InvalidMfaCode,
        });
    };
    throttle.clear(MFA_SCOPE, &id).await?;
    context.identity.mfa_challenges.complete(mfa_token).await?;
    let tokens = start_session(context, &id, audience, STAFF_SCOPES, client).await?;
    Ok(MfaSuccess {
        tokens,
        recovery_codes,
    })
}

/// A logged-in staff member without a second factor (vendor managers and
/// staff, for whom it is optional) asks for one.
pub async fn begin_own_enrolment(
    context: &Context,
    audience: Audience,
    caller: &StaffPrincipal,
) -> Result<Enrolment, AppError> {
    issue_secret(context, audience, caller.id).await
}

/// Confirms the caller's pending secret with a first code; answers the
/// recovery codes, once. From now on the account logs in with a code.
pub async fn confirm_own_enrolment(
    context: &Context,
    caller: &StaffPrincipal,
    code: &str,
) -> Result<Vec<String>, AppError> {
    let now = Utc::now();
    let mut conn = context.db.get().await?;
    let account = members::find_mfa(&mut conn, caller.id)
        .await?
        .ok_or(AppError::NotFound { resource: "staff" })?;
    if account.mfa_enabled_at.is_some() {
        return Err(already_enrolled());
    }
    let event = AuditEvent {
        actor: caller.actor.clone(),
        action: "mfa.enrolled",
        subject: Some(("staff", caller.id.to_string())),
        details: json!({}),
    };
    let codes = conn
        .transaction(async |conn| {
            if !accept_code(conn, &account, code, now).await? {
                return Ok::<_, StoreError>(None);
            }
            let codes = enable_with_recovery_codes(conn, caller.id, now).await?;
            audit::record(conn, &event).await?;
            Ok(Some(codes))
        })
        .await?;
    codes.ok_or(AppError::invalid(
        "code",
        FieldCode::InvalidMfaCode,
        "the code is wrong or was used",
    ))
}
