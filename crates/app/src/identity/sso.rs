//! Sign-in with an outside identity provider (OAuth 2.0 code + PKCE S256).
//! The authorization request's state, PKCE verifier and nonce wait sealed in
//! Redis, bound to the device, and are good once. The provider's ID token
//! arrives encrypted to our RSA key pair (JWE, RSA-OAEP-256, decrypted with
//! aws-lc-rs) and signed under its pinned key; its access token is dropped.
//! A known subject logs in. A new one whose email an account already uses is
//! never linked by that email (anyone can assert an address at some
//! provider): the answer carries a link token that the account's owner,
//! signed in with their password on the same device, redeems to link it. A
//! new one otherwise becomes a new account once what the provider did not
//! tell us (name, a verified phone) is collected.

use auth::Audience;
use auth::sso::IdTokenClaims;
use chrono::Utc;
use crypto::{BlindIndexKind, Sealed};
use diesel_async::AsyncConnection;
use integrations::sso::{AuthorizationRequest, SsoError};
use persistence::StoreError;
use persistence::identity::users::{self, NewUser, status};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::identity::phone::{Phone, PhonePurpose};
use crate::identity::sessions::{Client, TokenPair, account_adult_now, start_session};
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::{device_hash, shopper_scopes};
use crate::kernel::sealed_kv;
use crate::{AppError, Context};

/// Where to send the shopper, and the state that must come back.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub expires_in: u64,
}

/// The authorization request as it waits (sealed) for the callback.
#[derive(Serialize, Deserialize)]
struct PendingAuthorization {
    provider: String,
    code_verifier: String,
    nonce: String,
    device_hash: String,
}

/// What the provider told us about a person we have no account for yet.
#[derive(Serialize, Deserialize)]
struct PendingSignup {
    provider: String,
    subject: String,
    email: Option<String>,
    email_verified: bool,
    name: Option<String>,
    /// E.164, only when the provider verified it.
    phone: Option<String>,
    device_hash: String,
}

/// A provider identity waiting for the owner of an existing account to link it.
#[derive(Serialize, Deserialize)]
struct PendingLink {
    provider: String,
    subject: String,
    device_hash: String,
}

/// Sealed-record purposes; records are named by a digest of their token.
const STATE: &str = "sso-state";
const SIGNUP: &str = "sso-signup";
const LINK: &str = "sso-link";

fn digest(token: &str) -> String {
    crypto::digest::sha256_hex(token.as_bytes())
}

/// Starts a sign-in: PKCE verifier, state and nonce, bound to the device.
pub async fn authorize(
    context: &Context,
    provider_name: &str,
    device_id: Uuid,
) -> Result<Authorization, AppError> {
    let sso = &context.sso;
    let provider = sso.provider(provider_name)?;
    let (state, nonce) = (crypto::random_token(32), crypto::random_token(32));
    crate::kernel::limits::guard(
        context,
        "sso-device",
        &device_hash(device_id),
        30,
        crate::kernel::limits::MINUTE,
    )
    .await?;
    let code_verifier = auth::sso::new_code_verifier(crypto::fill_random);
    let url = provider
        .client
        .authorization_url(AuthorizationRequest {
            state: &state,
            nonce: &nonce,
            code_challenge: &auth::sso::code_challenge(&code_verifier),
        })
        .map_err(AppError::internal)?;
    let pending = PendingAuthorization {
        provider: provider_name.to_owned(),
        code_verifier,
        nonce,
        device_hash: device_hash(device_id),
    };
    sealed_kv::put(context, STATE, &digest(&state), &pending, sso.state_ttl).await?;
    Ok(Authorization {
        url,
        state,
        expires_in: sso.state_ttl.as_secs(),
    })
}

/// The end of a sign-in: tokens, or what is missing to create the account.
#[derive(Debug)]
pub enum SsoOutcome {
    Tokens(TokenPair),
    SignupRequired {
        signup_token: String,
        expires_in: u64,
        /// `name`, `phone`.
        missing: Vec<&'static str>,
        email: Option<String>,
        name: Option<String>,
    },
}

fn refused(code: ProblemCode) -> AppError {
    AppError::Unauthorized { code }
}

/// The provider sent the shopper back with `code` and `state`.
pub async fn callback(
    context: &Context,
    provider_name: &str,
    code: &str,
    state: &str,
    client: &Client<'_>,
) -> Result<SsoOutcome, AppError> {
    let sso = &context.sso;
    let provider = sso.provider(provider_name)?;
    crate::kernel::limits::guard(
        context,
        "sso-callback-ip",
        client.ip,
        60,
        crate::kernel::limits::MINUTE,
    )
    .await?;
    let pending: PendingAuthorization = sealed_kv::take(context, STATE, &digest(state))
        .await?
        .ok_or_else(|| refused(ProblemCode::InvalidState))?;
    if pending.provider != provider_name || pending.device_hash != device_hash(client.device_id) {
        return Err(refused(ProblemCode::InvalidState));
    }
    let answer = provider
        .client
        .exchange(code, &pending.code_verifier)
        .await
        .map_err(|error| match error {
            SsoError::Rejected { error, description } => {
                tracing::info!(%error, %description, "sign-in code refused by the provider");
                refused(ProblemCode::InvalidGrant)
            }
            SsoError::Unavailable(reason) => {
                AppError::Unavailable(format!("sign-in provider: {reason}"))
            }
            SsoError::Config(reason) => AppError::internal(reason),
        })?;
    let decrypter = sso
        .decrypter
        .as_ref()
        .ok_or_else(|| AppError::internal("no SSO decryption key"))?;
    let signed = decrypter.decrypt(&answer.id_token).map_err(|error| {
        tracing::warn!(%error, "ID token does not decrypt");
        refused(ProblemCode::InvalidIdToken)
    })?;
    let signed = String::from_utf8(signed).map_err(|_| refused(ProblemCode::InvalidIdToken))?;
    let claims = provider
        .verifier
        .verify(&signed, &pending.nonce)
        .map_err(|error| {
            tracing::warn!(%error, "ID token refused");
            refused(ProblemCode::InvalidIdToken)
        })?;
    sign_in(context, provider_name, claims, client).await
}

fn subject_index(provider: &str, subject: &str) -> Result<Vec<u8>, AppError> {
    let vault = crypto::installed().map_err(AppError::internal)?;
    Ok(vault.blind_index(BlindIndexKind::SsoSubject, &format!("{provider}:{subject}")))
}

fn actor(client: &Client<'_>, user_id: Uuid) -> audit::Actor {
    client.actor(Audience::Service, Some(&user_id.to_string()))
}

async fn sign_in(
    context: &Context,
    provider_name: &str,
    claims: IdTokenClaims,
    client: &Client<'_>,
) -> Result<SsoOutcome, AppError> {
    let index = subject_index(provider_name, &claims.sub)?;
    let mut conn = context.db.get().await?;
    if let Some(user_id) =
        persistence::identity::sso::find_user(&mut conn, provider_name, &index).await?
    {
        return Ok(SsoOutcome::Tokens(session(context, user_id, client).await?));
    }
    let email = claims
        .email
        .as_deref()
        .map(crypto::normalize_email)
        .transpose()
        .map_err(|_| refused(ProblemCode::InvalidIdToken))?;
    let vault = crypto::installed().map_err(AppError::internal)?;
    if let Some(email) = &email {
        let email_index = vault.blind_index(BlindIndexKind::Email, email);
        if users::find_credentials_by_email_index(&mut conn, &email_index)
            .await?
            .is_some()
        {
            return Err(link_required(context, provider_name, &claims.sub, client).await?);
        }
    }
    let pending = PendingSignup {
        provider: provider_name.to_owned(),
        subject: claims.sub,
        email,
        email_verified: claims.email_verified,
        name: claims
            .name
            .or(claims.nickname)
            .filter(|n| !n.trim().is_empty()),
        phone: claims
            .phone_number
            .filter(|_| claims.phone_number_verified)
            .and_then(|phone| crypto::normalize_phone(&phone).ok()),
        device_hash: device_hash(client.device_id),
    };
    if pending.email.is_none() {
        return Err(AppError::invalid(
            "email",
            FieldCode::SsoEmailRequired,
            "the provider shared no email address: allow it to, and try again",
        ));
    }
    let mut missing = Vec::new();
    if pending.name.is_none() {
        missing.push("name");
    }
    if pending.phone.is_none() {
        missing.push("phone");
    }
    let signup_token = crypto::random_token(32);
    sealed_kv::put(
        context,
        SIGNUP,
        &digest(&signup_token),
        &pending,
        context.sso.signup_ttl,
    )
    .await?;
    Ok(SsoOutcome::SignupRequired {
        signup_token,
        expires_in: context.sso.signup_ttl.as_secs(),
        missing,
        email: pending.email,
        name: pending.name,
    })
}

/// The answer to a new provider identity whose email an account uses: a
/// link token for the account's owner, bound to this device.
async fn link_required(
    context: &Context,
    provider_name: &str,
    subject: &str,
    client: &Client<'_>,
) -> Result<AppError, AppError> {
    let link_token = crypto::random_token(32);
    let pending = PendingLink {
        provider: provider_name.to_owned(),
        subject: subject.to_owned(),
        device_hash: device_hash(client.device_id),
    };
    let ttl = context.sso.signup_ttl;
    sealed_kv::put(context, LINK, &digest(&link_token), &pending, ttl).await?;
    Ok(AppError::ConflictDetails {
        code: ProblemCode::SsoLinkRequired,
        message: "an account uses this email: sign in with its password on this device, then \
                  link this sign-in with the link token"
            .into(),
        name: "link",
        details: json!({ "link_token": link_token, "expires_in": ttl.as_secs() }),
    })
}

/// Links the provider identity of `link_token` to the signed-in member's
/// account: their session proves the account, the token (single use, from
/// a sign-in on the same device) the provider identity.
pub async fn link(
    context: &Context,
    user_id: Uuid,
    link_token: &str,
    client: &Client<'_>,
) -> Result<(), AppError> {
    let pending = sealed_kv::take::<PendingLink>(context, LINK, &digest(link_token))
        .await?
        .filter(|pending| pending.device_hash == device_hash(client.device_id))
        .ok_or_else(|| refused(ProblemCode::InvalidLinkToken))?;
    let index = subject_index(&pending.provider, &pending.subject)?;
    let event = AuditEvent {
        actor: actor(client, user_id),
        action: "sso.linked",
        subject: Some(("user", user_id.to_string())),
        details: json!({ "provider": pending.provider }),
    };
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        persistence::identity::sso::link(conn, &pending.provider, &index, user_id).await?;
        audit::record(conn, &event).await
    })
    .await
    .map_err(|error| match error {
        StoreError::Conflict(_) => AppError::Conflict {
            code: ProblemCode::Conflict,
            message: "this sign-in is already linked to an account".into(),
        },
        other => other.into(),
    })?;
    Ok(())
}

/// What the shopper adds to finish an SSO sign-up.
pub struct SignupCompletion<'a> {
    pub signup_token: &'a str,
    pub name: Option<&'a str>,
    /// Verified just before with an SMS code (purpose `signup`).
    pub phone: Option<&'a str>,
}

/// Creates the account the provider's sign-in started; the pending sign-up
/// is used up only when the account exists.
pub async fn complete_signup(
    context: &Context,
    provider_name: &str,
    completion: SignupCompletion<'_>,
    client: &Client<'_>,
) -> Result<TokenPair, AppError> {
    crate::kernel::limits::guard(
        context,
        "sso-signup-ip",
        client.ip,
        30,
        crate::kernel::limits::MINUTE,
    )
    .await?;
    let pending: PendingSignup = sealed_kv::get(context, SIGNUP, &digest(completion.signup_token))
        .await?
        .ok_or_else(|| refused(ProblemCode::InvalidSignupToken))?;
    if pending.provider != provider_name || pending.device_hash != device_hash(client.device_id) {
        return Err(refused(ProblemCode::InvalidSignupToken));
    }
    let name = match (&pending.name, completion.name) {
        (_, Some(name)) => crate::identity::accounts::display_name(name)?,
        (Some(name), None) => crate::identity::accounts::display_name(name)?,
        (None, None) => {
            return Err(AppError::invalid(
                "name",
                FieldCode::Required,
                "between 1 and 50 characters",
            ));
        }
    };
    let phone = match (&pending.phone, completion.phone) {
        (Some(verified), None) => Phone::parse(verified)?,
        (_, Some(raw)) => {
            let phone = Phone::parse(raw)?;
            if !phone.take_verified(context, PhonePurpose::Signup).await? {
                return Err(AppError::invalid(
                    "phone",
                    FieldCode::PhoneNotVerified,
                    "verify the number first (purpose signup)",
                ));
            }
            phone
        }
        (None, None) => {
            return Err(AppError::invalid(
                "phone",
                FieldCode::Required,
                "a verified phone number",
            ));
        }
    };
    let email = pending
        .email
        .clone()
        .ok_or_else(|| refused(ProblemCode::InvalidSignupToken))?;
    let vault = crypto::installed().map_err(AppError::internal)?;
    let user_id = Uuid::new_v4();
    let user = NewUser {
        id: user_id,
        email_index: vault.blind_index(BlindIndexKind::Email, &email),
        email: Sealed::new(email),
        name: Sealed::new(name),
        phone_index: Some(phone.index),
        phone: Some(Sealed::new(phone.e164)),
        password_hash: None,
        status: status::ACTIVE,
    };
    let index = subject_index(provider_name, &pending.subject)?;
    let event = AuditEvent {
        actor: actor(client, user_id),
        action: "sso.signup",
        subject: Some(("user", user_id.to_string())),
        details: json!({ "provider": provider_name, "email_verified": pending.email_verified }),
    };
    let now = Utc::now();
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        users::insert(conn, user).await?;
        if pending.email_verified {
            users::mark_email_verified(conn, user_id, now).await?;
        }
        persistence::identity::sso::link(conn, provider_name, &index, user_id).await?;
        audit::record(conn, &event).await?;
        Ok::<_, StoreError>(())
    })
    .await
    .map_err(|error| match error {
        StoreError::Conflict(constraint) if constraint == "users_email_index_key" => {
            AppError::Conflict {
                code: ProblemCode::EmailAlreadyRegistered,
                message: "an account with this email already exists".into(),
            }
        }
        StoreError::Conflict(constraint) if constraint == "users_phone_index_key" => {
            AppError::Conflict {
                code: ProblemCode::PhoneAlreadyRegistered,
                message: "an account with this phone number already exists".into(),
            }
        }
        other => other.into(),
    })?;
    sealed_kv::remove(context, SIGNUP, &digest(completion.signup_token)).await?;
    session(context, user_id, client).await
}

async fn session(
    context: &Context,
    user_id: Uuid,
    client: &Client<'_>,
) -> Result<TokenPair, AppError> {
    let adult = {
        let mut conn = context.db.get().await?;
        account_adult_now(&mut conn, context, user_id).await?
    };
    let scopes = shopper_scopes(adult);
    start_session(
        context,
        &user_id.to_string(),
        Audience::Service,
        scopes,
        client,
    )
    .await
}
