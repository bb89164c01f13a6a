use persistence::{Db, Kv};

/// What every use case may reach: the stores (and, as they arrive, the outside
/// clients). Cheap to clone; built once per process.
#[derive(Clone)]
pub struct Context {
    pub db: Db,
    pub kv: Kv,
}
