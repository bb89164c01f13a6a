use std::sync::Arc;

use integrations::email::Mailer;
use persistence::{Db, Kv};

use crate::identity::Identity;

/// What every use case may reach: the stores, the identity services and the
/// outside clients. Cheap to clone; built once per process.
#[derive(Clone)]
pub struct Context {
    pub db: Db,
    pub kv: Kv,
    pub identity: Arc<Identity>,
    pub mailer: Mailer,
}
