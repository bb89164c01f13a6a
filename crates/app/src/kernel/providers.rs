//! The outside providers' clients of a process, built once from settings:
//! payment providers, sign-in providers and the app stores.

use std::collections::BTreeMap;
use std::time::Duration;

use auth::sso::IdTokenVerifier;
use crypto::jwe::JweDecrypter;
use integrations::app_store::{AppStoreSettings, SignedPayloadVerifier};
use integrations::google_play::{GooglePlayClient, GooglePlaySettings};
use integrations::google_push::PushVerifier;
use integrations::payments::kakaopay::{KakaoPayClient, KakaoPaySettings};
use integrations::payments::paypal::{PayPalClient, PayPalSettings};
use integrations::payments::toss::{TossClient, TossSettings};
use integrations::payments::{PaymentProvider, PaymentReference};
use integrations::sso::{OAuthClient, SsoSettings};
use rust_decimal::Decimal;
use secrecy::ExposeSecret;
use serde::Deserialize;

use persistence::payments::attempts::PaymentRow;

use crate::AppError;

/// The payment providers' names, as payment attempts record them.
pub const TOSS: &str = "toss";
pub const KAKAOPAY: &str = "kakaopay";
pub const PAYPAL: &str = "paypal";

/// `[payments]`.
#[derive(Debug, Clone, Deserialize)]
pub struct PaymentSettings {
    /// How long an attempt may wait for the shopper's approval at the provider.
    pub pending_ttl_secs: i64,
    /// A `confirming` attempt this old is asked about (its process died mid-call).
    pub stalled_after_secs: i64,
    pub toss: TossSettings,
    pub kakaopay: KakaoPaySettings,
    pub paypal: PayPalSettings,
}

/// The provider clients of a process.
pub struct PaymentProviders {
    pub toss: TossClient,
    pub kakaopay: KakaoPayClient,
    pub paypal: PayPalClient,
    pub settings: PaymentSettings,
}

impl PaymentProviders {
    pub fn from_settings(settings: &PaymentSettings) -> Result<Self, String> {
        Ok(Self {
            toss: TossClient::new(settings.toss.clone()).map_err(|e| e.to_string())?,
            kakaopay: KakaoPayClient::new(settings.kakaopay.clone()).map_err(|e| e.to_string())?,
            paypal: PayPalClient::new(settings.paypal.clone()).map_err(|e| e.to_string())?,
            settings: settings.clone(),
        })
    }

    pub(crate) fn of(&self, provider: &str) -> Result<&dyn PaymentProvider, AppError> {
        match provider {
            TOSS => Ok(&self.toss),
            KAKAOPAY => Ok(&self.kakaopay),
            PAYPAL => Ok(&self.paypal),
            other => Err(AppError::internal(format!(
                "unknown payment provider {other}"
            ))),
        }
    }
}

/// What identifies an attempt's payment at its provider; `None` before the
/// provider registered it.
pub(crate) fn reference_of(payment: &PaymentRow) -> Option<PaymentReference> {
    Some(PaymentReference {
        payment_id: payment.provider_payment_id.clone()?,
        capture_id: payment.provider_capture_id.clone(),
        currency: payment.currency.clone(),
    })
}

/// The configured providers and our decryption key, built once per process.
pub struct SsoProviders {
    pub(crate) providers: BTreeMap<String, Provider>,
    pub(crate) decrypter: Option<JweDecrypter>,
    pub(crate) state_ttl: Duration,
    pub(crate) signup_ttl: Duration,
}

pub(crate) struct Provider {
    pub(crate) client: OAuthClient,
    pub(crate) verifier: IdTokenVerifier,
}

impl SsoProviders {
    pub fn from_settings(settings: &SsoSettings) -> Result<Self, String> {
        let decrypter = settings
            .encryption_private_key_pem
            .as_ref()
            .map(|pem| JweDecrypter::from_pkcs8_pem(pem.expose_secret()))
            .transpose()
            .map_err(|e| format!("sso.encryption_private_key_pem: {e}"))?;
        if decrypter.is_none() && !settings.providers.is_empty() {
            return Err("sso providers need sso.encryption_private_key_pem".into());
        }
        let mut providers = BTreeMap::new();
        for (name, provider) in &settings.providers {
            let verifier = IdTokenVerifier::new(
                &provider.id_token_public_key_pem,
                &provider.id_token_algorithm,
                &provider.issuer,
                &provider.client_id,
            )
            .map_err(|e| format!("sso.providers.{name}: {e}"))?;
            let client = OAuthClient::new(provider.clone()).map_err(|e| e.to_string())?;
            providers.insert(name.clone(), Provider { client, verifier });
        }
        Ok(Self {
            providers,
            decrypter,
            state_ttl: Duration::from_secs(settings.state_ttl_secs.max(1)),
            signup_ttl: Duration::from_secs(settings.signup_ttl_secs.max(1)),
        })
    }

    pub(crate) fn provider(&self, name: &str) -> Result<&Provider, AppError> {
        self.providers.get(name).ok_or(AppError::NotFound {
            resource: "sign-in provider",
        })
    }
}

/// A product sold in the apps and the cash it credits.
#[derive(Debug, Clone, Deserialize)]
pub struct InAppProduct {
    pub id: String,
    pub cash: Decimal,
}

/// `[wallet]`.
#[derive(Debug, Clone, Deserialize)]
pub struct WalletSettings {
    pub products: Vec<InAppProduct>,
}

/// The app stores of a process.
pub struct InAppStores {
    pub apple: SignedPayloadVerifier,
    pub app_store: AppStoreSettings,
    pub google: GooglePlayClient,
    /// Authenticates Google's Pub/Sub pushes.
    pub google_push: PushVerifier,
    pub products: Vec<InAppProduct>,
}

impl InAppStores {
    pub fn from_settings(
        wallet: &WalletSettings,
        app_store: &AppStoreSettings,
        google_play: &GooglePlaySettings,
    ) -> Result<Self, String> {
        Ok(Self {
            apple: SignedPayloadVerifier::new(&app_store.root_certificate_pem)
                .map_err(|e| format!("app_store: {e}"))?,
            app_store: app_store.clone(),
            google: GooglePlayClient::new(google_play.clone())
                .map_err(|e| format!("google_play: {e}"))?,
            google_push: PushVerifier::new(google_play.push.clone())
                .map_err(|e| format!("google_play.push: {e}"))?,
            products: wallet.products.clone(),
        })
    }

    pub(crate) fn cash_of(&self, product_id: &str) -> Option<Decimal> {
        self.products
            .iter()
            .find(|p| p.id == product_id)
            .map(|p| p.cash)
    }
}
