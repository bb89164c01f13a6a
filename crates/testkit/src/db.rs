//! A database per test, cloned from a migrated template.

use std::sync::OnceLock;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use persistence::{Db, DbConnection, DbSettings, PlanCacheMode};
use secrecy::SecretString;

const TEST_DB_PREFIX: &str = "mkt_test_";
const TEMPLATE_PREFIX: &str = "mkt_tpl_";
/// Serialises template builds and sweeps across concurrent test processes.
const TEMPLATE_LOCK_KEY: i64 = 0x006d_6b74_5f74_706c;
const READY_MARK: &str = "migrated";

static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
static MIGRATION_DIGEST: OnceLock<String> = OnceLock::new();

/// A database of this test's own; dropped (forcefully) when this value drops.
pub struct TestDb {
    name: String,
    url: String,
    admin_url: String,
    db: Db,
}

impl TestDb {
    pub async fn new() -> Self {
        let admin_url = crate::env::required_env("TEST_DATABASE_URL");
        let template = TEMPLATE
            .get_or_init(|| ensure_template(admin_url.clone()))
            .await
            .clone();
        let name = format!(
            "{TEST_DB_PREFIX}{}_{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let mut admin = connect(&admin_url).await;
        clone_database(&mut admin, &template, &name).await;
        let url = database_url(&admin_url, &name);
        let db = Db::new(&pool_settings(&url)).expect("test pool");
        Self {
            name,
            url,
            admin_url,
            db,
        }
    }

    /// The URL of this test's database.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A further pool on this test's database holding at most `max_size`
    /// connections (a pool of one hands out again what it took back).
    pub fn pool_of(&self, max_size: usize) -> Db {
        Db::new(&DbSettings {
            pool_max_size: max_size,
            ..self.pool_settings()
        })
        .expect("test pool")
    }

    /// The settings of this test's pools, for a pool configured otherwise.
    pub fn pool_settings(&self) -> DbSettings {
        pool_settings(&self.url)
    }

    /// A pool on this test's database.
    pub fn db(&self) -> Db {
        self.db.clone()
    }

    pub async fn conn(&self) -> DbConnection {
        self.db.get().await.expect("test database connection")
    }

    /// The `value` column (text) of every row `query` returns, for
    /// assertions on raw stored data.
    pub async fn query_text(&self, query: &str) -> Vec<String> {
        let mut conn = self.conn().await;
        texts(&mut conn, query).await
    }

    /// Runs one SQL statement (fixtures and constraint checks); the error is
    /// PostgreSQL's message, constraint names included.
    pub async fn run_sql(&self, statement: &str) -> Result<usize, String> {
        let mut conn = self.conn().await;
        diesel::sql_query(statement)
            .execute(&mut conn)
            .await
            .map_err(|error| match &error {
                diesel::result::Error::DatabaseError(_, info) => format!(
                    "{} (constraint {})",
                    info.message(),
                    info.constraint_name().unwrap_or("-")
                ),
                _ => error.to_string(),
            })
    }

    /// Opens a transaction and runs `lock_sql` in it (a `SELECT … FOR
    /// UPDATE`); the locks stay until the returned value is released.
    pub async fn hold_lock(&self, lock_sql: &str) -> HeldLock {
        let mut conn = self.conn().await;
        execute(&mut conn, "BEGIN").await;
        execute(&mut conn, lock_sql).await;
        HeldLock { conn }
    }

    /// Returns once another session of this database waits for a lock.
    /// PostgreSQL tells of a wait only through its activity view, so this
    /// asks until it does (for up to ten seconds).
    pub async fn until_a_session_waits_for_a_lock(&self) {
        let asked = "SELECT count(*)::text AS value FROM pg_stat_activity \
                     WHERE datname = current_database() AND wait_event_type = 'Lock'";
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while self.query_text(asked).await[0] == "0" {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no session waited for a lock within ten seconds"
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
}

/// A transaction held open on a connection of its own, so that a test can
/// stop another request half-way: what it locked stays locked until
/// [`HeldLock::release`].
pub struct HeldLock {
    conn: DbConnection,
}

impl HeldLock {
    pub async fn release(mut self) {
        execute(&mut self.conn, "ROLLBACK").await;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.db.close();
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs outside any async context we could rely on: use a thread
        // with its own runtime and wait for it, so nothing outlives the test.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime for dropping a test database");
            runtime.block_on(async {
                let mut admin = connect(&admin_url).await;
                execute(
                    &mut admin,
                    &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                )
                .await;
            });
        })
        .join();
        if dropped.is_err() {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

pub(crate) fn pool_settings(url: &str) -> DbSettings {
    DbSettings {
        url: SecretString::from(url.to_owned()),
        pool_max_size: 8,
        pool_wait_timeout_ms: 5_000,
        connect_timeout_ms: 5_000,
        max_connection_age_secs: 600,
        plan_cache_mode: PlanCacheMode::default(),
    }
}

/// `admin_url` with its database name replaced by `name`.
pub(crate) fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_end..]
        .find('/')
        .map_or(base.len(), |i| authority_end + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

async fn connect(url: &str) -> AsyncPgConnection {
    AsyncPgConnection::establish(url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL ({e}); is it running?"))
}

async fn execute(conn: &mut AsyncPgConnection, sql: &str) {
    diesel::sql_query(sql)
        .execute(conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[derive(diesel::QueryableByName)]
/// One text column named `value`: what `texts` and `query_text` read.
struct TextValue {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

async fn texts(conn: &mut AsyncPgConnection, sql: &str) -> Vec<String> {
    let rows: Vec<TextValue> = diesel::sql_query(sql)
        .load(conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().map(|row| row.value).collect()
}

/// A digest of every migration file: a changed migration makes a new template.
fn migration_digest() -> &'static str {
    MIGRATION_DIGEST.get_or_init(|| {
        let root = crate::env::repository_root().join("migrations");
        let mut files = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("migrations directory") {
                let path = entry.expect("migrations entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        files.sort();
        let mut bytes = Vec::new();
        for file in files {
            bytes.extend(
                file.strip_prefix(&root)
                    .expect("under root")
                    .to_string_lossy()
                    .as_bytes(),
            );
            bytes.extend(std::fs::read(&file).expect("migration file"));
        }
        crypto::digest::sha256_hex(&bytes)[..16].to_owned()
    })
}

/// Makes sure the migrated template exists and returns its name. Runs once
/// per process; the advisory lock makes it once per migration set overall.
async fn ensure_template(admin_url: String) -> String {
    let template = format!("{TEMPLATE_PREFIX}{}", migration_digest());
    let mut admin = connect(&admin_url).await;
    execute(
        &mut admin,
        &format!("SELECT pg_advisory_lock({TEMPLATE_LOCK_KEY})"),
    )
    .await;

    sweep_leftovers(&mut admin, &template).await;
    let ready = texts(
        &mut admin,
        &format!(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') AS value \
             FROM pg_database WHERE datname = '{template}'"
        ),
    )
    .await;
    if <[String]>::first(&ready).map(String::as_str) != Some(READY_MARK) {
        // Absent, or left half-built by a killed run.
        execute(
            &mut admin,
            &format!("DROP DATABASE IF EXISTS \"{template}\" WITH (FORCE)"),
        )
        .await;
        execute(&mut admin, &format!("CREATE DATABASE \"{template}\"")).await;
        let url = database_url(&admin_url, &template);
        persistence::infra::migrations::run_pending(&url)
            .unwrap_or_else(|e| panic!("migrating the test template: {e}"));
        execute(
            &mut admin,
            &format!("COMMENT ON DATABASE \"{template}\" IS '{READY_MARK}'"),
        )
        .await;
    }

    execute(
        &mut admin,
        &format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK_KEY})"),
    )
    .await;
    template
}

/// Drops test databases whose process is gone, and templates of other
/// migration sets.
async fn sweep_leftovers(admin: &mut AsyncPgConnection, current_template: &str) {
    let databases = texts(
        admin,
        &format!(
            "SELECT datname AS value FROM pg_database \
             WHERE datname LIKE '{TEST_DB_PREFIX}%' OR datname LIKE '{TEMPLATE_PREFIX}%'"
        ),
    )
    .await;
    for name in databases {
        let stale = match name.strip_prefix(TEST_DB_PREFIX) {
            Some(rest) => rest
                .split('_')
                .next()
                .and_then(|pid| pid.parse::<u32>().ok())
                .is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists()),
            None => name != current_template,
        };
        if stale {
            execute(
                admin,
                &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            )
            .await;
        }
    }
}

async fn clone_database(admin: &mut AsyncPgConnection, template: &str, name: &str) {
    let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
    // The template's last migration connection may still be closing on the
    // server side; PostgreSQL refuses to copy a database that has sessions.
    for attempt in 1..=50 {
        match diesel::sql_query(&sql).execute(admin).await {
            Ok(_) => return,
            Err(error)
                if attempt < 50 && error.to_string().contains("being accessed by other users") =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(error) => panic!("{sql}: {error}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn replaces_the_database_name_and_keeps_the_query() {
        assert_eq!(
            database_url("postgres://u@127.0.0.1:5432/postgres?sslmode=disable", "x"),
            "postgres://u@127.0.0.1:5432/x?sslmode=disable"
        );
        assert_eq!(database_url("postgres://u@h:1", "x"), "postgres://u@h:1/x");
    }
}
