//! What every context shares and that names no context: the context every
//! use case receives, errors and their codes, who is calling, idempotency, limits, text
//! fields, the audit log and emailed links.

pub mod admission;
pub mod audit;
pub mod background;
pub(crate) mod context;
pub(crate) mod error;
pub mod error_codes;
pub mod idempotency;
pub mod identity_services;
pub mod limits;
pub mod lots;
pub(crate) mod mail_links;
pub(crate) mod order_mail;
pub(crate) mod passwords;
pub mod principals;
pub(crate) mod provider_refunds;
pub mod providers;
pub(crate) mod sealed_kv;
pub mod security;
pub mod settings;
pub(crate) mod text_fields;

pub use context::Context;
pub use error::AppError;
pub use error_codes::{FieldCode, ProblemCode};
