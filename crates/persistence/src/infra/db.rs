//! The PostgreSQL connection pool.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel_async::{AsyncConnection, SimpleAsyncConnection};

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{Hook, HookError, Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::StoreError;

/// Pool configuration (`[database]`); the URL is a secret and comes from the
/// environment (`APP__DATABASE__URL`) outside local development.
#[derive(Debug, Clone, Deserialize)]
pub struct DbSettings {
    pub url: SecretString,
    pub pool_max_size: usize,
    /// How long a request waits for a free connection before failing with 503.
    pub pool_wait_timeout_ms: u64,
    /// How long opening a new connection may take.
    pub connect_timeout_ms: u64,
    /// Connections older than this are closed instead of reused, so failovers
    /// and credential rotations are picked up without a restart.
    pub max_connection_age_secs: u64,
    /// How PostgreSQL plans the statements each connection keeps prepared
    /// (ADR 0015).
    #[serde(default)]
    pub plan_cache_mode: PlanCacheMode,
}

/// PostgreSQL's `plan_cache_mode` for the pool's connections.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanCacheMode {
    /// One plan per kept statement and connection, made at its first
    /// execution and remade only when the tables' statistics or definitions
    /// change.
    #[default]
    ForceGenericPlan,
    /// PostgreSQL's own choice, which can settle on planning a kept
    /// statement anew at every execution for the rest of the connection's
    /// life (ADR 0015).
    Auto,
}

impl PlanCacheMode {
    fn set_statement(self) -> &'static str {
        match self {
            Self::ForceGenericPlan => "SET plan_cache_mode = force_generic_plan",
            Self::Auto => "SET plan_cache_mode = auto",
        }
    }
}

/// A pooled connection.
pub type DbConnection = Object<AsyncPgConnection>;

/// A connection pool; cheap to clone. A process has one per server worker
/// thread besides its first ([`Db::for_worker`]), all counted together.
#[derive(Clone)]
pub struct Db {
    pool: Pool<AsyncPgConnection>,
    family: Arc<PoolFamily>,
}

/// What the pools of one process share: their configuration, the count of
/// statements sent, and each other, for the process's statistics and for
/// closing them all at shutdown.
struct PoolFamily {
    settings: DbSettings,
    statements: Arc<AtomicU64>,
    pools: Mutex<Vec<Pool<AsyncPgConnection>>>,
}

/// Counts the statements every connection of a pool sends.
struct StatementCounter(Arc<AtomicU64>);

impl Instrumentation for StatementCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// A snapshot of pool occupancy for the metrics endpoint.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub max_size: usize,
    pub size: usize,
    pub available: usize,
    pub waiting: usize,
}

impl Db {
    /// Builds the pool without connecting: a server starts even while the
    /// database is down and reports it through readiness.
    pub fn new(settings: &DbSettings) -> Result<Self, StoreError> {
        let family = Arc::new(PoolFamily {
            settings: settings.clone(),
            statements: Arc::new(AtomicU64::new(0)),
            pools: Mutex::new(Vec::new()),
        });
        Self::in_family(family, settings.pool_max_size)
    }

    /// Another pool of this one's configuration, for one of `workers` server
    /// threads, with its share of the connections. A connection's I/O runs
    /// on the thread that opened it; shared between threads, a round trip
    /// of the other thread's requests would need this one to run as well.
    pub fn for_worker(&self, workers: usize) -> Result<Self, StoreError> {
        let share = self.family.settings.pool_max_size.div_ceil(workers.max(1));
        Self::in_family(self.family.clone(), share.max(1))
    }

    fn in_family(family: Arc<PoolFamily>, max_size: usize) -> Result<Self, StoreError> {
        let settings = &family.settings;
        // Checkout without a `SELECT 1` round trip: a dead connection fails
        // its first statement, is marked broken and is not reused.
        let mut config = ManagerConfig::default();
        config.recycling_method = RecyclingMethod::Fast;
        let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(
            settings.url.expose_secret(),
            config,
        );
        let max_age = Duration::from_secs(settings.max_connection_age_secs);
        let connect_timeout = Duration::from_millis(settings.connect_timeout_ms);
        let counted = family.statements.clone();
        let set_plan_cache_mode = settings.plan_cache_mode.set_statement();
        let pool = Pool::builder(manager)
            .max_size(max_size)
            .wait_timeout(Some(Duration::from_millis(settings.pool_wait_timeout_ms)))
            .create_timeout(Some(connect_timeout))
            .recycle_timeout(Some(connect_timeout))
            .runtime(deadpool::Runtime::Tokio1)
            .post_create(Hook::async_fn(move |conn: &mut AsyncPgConnection, _| {
                let counted = counted.clone();
                Box::pin(async move {
                    // Before the counter: the statements counted are the
                    // requests' own.
                    conn.batch_execute(set_plan_cache_mode)
                        .await
                        .map_err(|e| HookError::message(format!("setting up a connection: {e}")))?;
                    conn.set_instrumentation(StatementCounter(counted));
                    Ok(())
                })
            }))
            .pre_recycle(Hook::sync_fn(move |_, metrics| {
                if metrics.age() > max_age {
                    Err(HookError::message("connection reached its maximum age"))
                } else {
                    Ok(())
                }
            }))
            .build()
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        family.pools().push(pool.clone());
        Ok(Self { pool, family })
    }

    /// How many SQL statements this pool's connections have sent (for
    /// metrics, and for tests that hold a request's statement count fixed).
    pub fn statements_sent(&self) -> u64 {
        self.family.statements.load(Ordering::Relaxed)
    }

    pub async fn get(&self) -> Result<DbConnection, StoreError> {
        Ok(self.pool.get().await?)
    }

    /// Round trip to the server: `SELECT 1` on a pooled connection.
    pub async fn ping(&self) -> Result<(), StoreError> {
        use diesel_async::RunQueryDsl;
        let mut conn = self.get().await?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await?;
        Ok(())
    }

    /// Occupancy of all the process's pools together, against the
    /// configured maximum.
    pub fn stats(&self) -> PoolStats {
        let mut stats = PoolStats {
            max_size: self.family.settings.pool_max_size,
            size: 0,
            available: 0,
            waiting: 0,
        };
        for pool in self.family.pools().iter() {
            let status = pool.status();
            stats.size += status.size;
            stats.available += status.available;
            stats.waiting += status.waiting;
        }
        stats
    }

    /// Closes idle connections and refuses new checkouts, in every pool of
    /// the process (shutdown).
    pub fn close(&self) {
        for pool in self.family.pools().iter() {
            pool.close();
        }
    }
}

impl PoolFamily {
    fn pools(&self) -> std::sync::MutexGuard<'_, Vec<Pool<AsyncPgConnection>>> {
        // The list is only pushed to and read: a panic elsewhere cannot
        // leave it half-changed.
        self.pools.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
