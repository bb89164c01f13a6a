use std::sync::Arc;

use auth::rate_limit::RateLimiter;
use integrations::email::Mailer;
use integrations::identity::{IdentityVerificationSettings, IdentityVerifier};
use integrations::sms::SmsSender;
use persistence::{Db, Kv};

use crate::kernel::identity_services::Identity;
use crate::kernel::providers::{InAppStores, PaymentProviders, SsoProviders};
use crate::kernel::settings::{
    CheckoutSettings, FulfilmentSettings, SecuritySettings, SettlementSettings, TrackingSettings,
};

/// What every use case may reach: the stores, the identity services and the
/// outside clients. Cheap to clone; built once per process.
#[derive(Clone)]
pub struct Context {
    pub db: Db,
    pub kv: Kv,
    /// Private documents and images (S3 protocol).
    pub objects: persistence::Objects,
    pub identity: Arc<Identity>,
    pub mailer: Mailer,
    pub sms: Arc<dyn SmsSender>,
    /// Identity (adult) verification: the provider, and how our side of it is set up.
    pub identity_verifier: Arc<dyn IdentityVerifier>,
    pub identity_verification: IdentityVerificationSettings,
    /// Sign-in with outside identity providers.
    pub sso: Arc<SsoProviders>,
    /// Limits shared by every replica (through Redis).
    pub limits: RateLimiter,
    pub security: SecuritySettings,
    /// Nonces of signed partner requests already seen.
    pub partner_nonces: auth::partner_signature::NonceStore,
    pub checkout: CheckoutSettings,
    pub fulfilment: FulfilmentSettings,
    pub settlement: SettlementSettings,
    /// Payment providers.
    pub payments: Arc<PaymentProviders>,
    /// App Store and Google Play (cash bought in the apps).
    pub in_app: Arc<InAppStores>,
    /// Parcel tracking (Delivery Tracker), and our side of it.
    pub tracker: Arc<integrations::delivery_tracker::DeliveryTrackerClient>,
    pub tracking: TrackingSettings,
}
