//! Phone verification by a six-digit code sent as SMS.

use auth::phone_codes::CodeCheck;
use crypto::BlindIndexKind;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::limits::{HOUR, guard};
use crate::{AppError, Context};

/// What a verified phone is for; each has its own codes and proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhonePurpose {
    Signup,
    PhoneChange,
    GuestOrder,
}

impl PhonePurpose {
    pub fn parse(text: &str) -> Result<Self, AppError> {
        match text {
            "signup" => Ok(Self::Signup),
            "phone_change" => Ok(Self::PhoneChange),
            "guest_order" => Ok(Self::GuestOrder),
            _ => Err(AppError::invalid(
                "purpose",
                FieldCode::InvalidValue,
                "one of signup, phone_change, guest_order",
            )),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Signup => "signup",
            Self::PhoneChange => "phone_change",
            Self::GuestOrder => "guest_order",
        }
    }
}

const CODE_DIGEST: &str = "phone-code";

/// A phone number as the account rules see it.
pub(crate) struct Phone {
    /// E.164 (`+821012345678`).
    pub e164: String,
    /// The blind index stored beside the sealed number.
    pub index: Vec<u8>,
    /// Names the phone in Redis keys without revealing it.
    pub key: String,
}

impl Phone {
    /// Normalises any common form; the field at fault is `phone`.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let e164 = crypto::normalize_phone(raw).map_err(|_| {
            AppError::invalid(
                "phone",
                FieldCode::InvalidFormat,
                "not a valid phone number",
            )
        })?;
        let vault = crypto::installed().map_err(AppError::internal)?;
        let index = vault.blind_index(BlindIndexKind::Phone, &e164);
        let key = hex::encode(&index[..16]);
        Ok(Self { e164, index, key })
    }

    /// Takes the single-use proof that this phone was verified for `purpose`.
    pub async fn take_verified(
        &self,
        context: &Context,
        purpose: PhonePurpose,
    ) -> Result<bool, AppError> {
        Ok(context
            .identity
            .phone_codes
            .take_verified(&self.key, purpose.as_str())
            .await?)
    }
}

/// A uniformly random six-digit code (rejection sampling: no modulo bias).
fn six_digits() -> String {
    loop {
        let mut bytes = [0u8; 4];
        crypto::fill_random(&mut bytes);
        let value = u32::from_le_bytes(bytes);
        if value < u32::MAX - (u32::MAX % 1_000_000) {
            return format!("{:06}", value % 1_000_000);
        }
    }
}

/// Sends a code to `phone` for `purpose`; returns its lifetime in seconds.
/// Limited per phone and per client IP, across replicas.
pub async fn send_code(
    context: &Context,
    raw_phone: &str,
    purpose: PhonePurpose,
    ip: &str,
) -> Result<u64, AppError> {
    let phone = Phone::parse(raw_phone)?;
    let settings = context.identity.phone_code_settings;
    // The IP first: every attempt from an address counts, so one client
    // cannot pump SMS to many numbers (SMS pumping fraud).
    guard(context, "phone-code-ip", ip, settings.per_ip_per_hour, HOUR).await?;
    guard(
        context,
        "phone-code-phone",
        &phone.key,
        settings.per_phone_per_hour,
        HOUR,
    )
    .await?;
    let code = six_digits();
    let digest = context
        .identity
        .links
        .digest(CODE_DIGEST, format!("{}:{}", phone.e164, code).as_bytes());
    let codes = &context.identity.phone_codes;
    codes.store(&phone.key, purpose.as_str(), &digest).await?;
    let text =
        format!("[Marketplace] 인증번호 {code} (3분 안에 입력해 주세요 / valid for 3 minutes)");
    if let Err(error) = context.sms.send(&phone.e164, &text).await {
        codes.discard(&phone.key, purpose.as_str()).await?;
        return Err(match error {
            integrations::sms::SmsError::UnsupportedNumber(_) => AppError::invalid(
                "phone",
                FieldCode::UnsupportedNumber,
                "SMS reaches Korean mobile numbers only",
            ),
            other => AppError::Unavailable(other.to_string()),
        });
    }
    Ok(settings.lifetime_secs)
}

/// Checks a code. The sixth attempt on one code is refused even when right.
pub async fn verify_code(
    context: &Context,
    raw_phone: &str,
    purpose: PhonePurpose,
    code: &str,
) -> Result<(), AppError> {
    let phone = Phone::parse(raw_phone)?;
    let digest = context.identity.links.digest(
        CODE_DIGEST,
        format!("{}:{}", phone.e164, code.trim()).as_bytes(),
    );
    match context
        .identity
        .phone_codes
        .check(&phone.key, purpose.as_str(), &digest)
        .await?
    {
        CodeCheck::Verified => Ok(()),
        CodeCheck::Wrong { attempts_left } => Err(AppError::invalid(
            "code",
            FieldCode::InvalidCode,
            format!("wrong code; {attempts_left} attempt(s) left"),
        )),
        CodeCheck::Locked => Err(AppError::TooManyRequests {
            code: ProblemCode::TooManyAttempts,
            retry_after_secs: 0,
        }),
        CodeCheck::Expired => Err(AppError::invalid(
            "code",
            FieldCode::CodeExpired,
            "no valid code: request a new one",
        )),
    }
}
