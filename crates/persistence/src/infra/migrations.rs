//! The embedded migration set and the one way to apply it.

use diesel::migration::MigrationVersion;
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type SyncConnection = AsyncConnectionWrapper<AsyncPgConnection>;

/// Applies pending migrations and returns the versions applied.
///
/// The harness blocks on the async driver, so it runs on a thread of its own
/// with its own small runtime: callable from any context, async or not.
pub fn run_pending(database_url: &str) -> Result<Vec<String>, BoxError> {
    with_connection(database_url, |conn| {
        let applied = conn.run_pending_migrations(MIGRATIONS)?;
        Ok(applied.iter().map(MigrationVersion::to_string).collect())
    })
}

/// Reverts every applied migration, newest first (exercises each `down.sql`).
pub fn revert_all(database_url: &str) -> Result<Vec<String>, BoxError> {
    with_connection(database_url, |conn| {
        let reverted = conn.revert_all_migrations(MIGRATIONS)?;
        Ok(reverted.iter().map(MigrationVersion::to_string).collect())
    })
}

fn with_connection<T: Send + 'static>(
    database_url: &str,
    work: impl FnOnce(&mut SyncConnection) -> Result<T, BoxError> + Send + 'static,
) -> Result<T, BoxError> {
    use diesel::Connection;
    let url = database_url.to_owned();
    std::thread::spawn(move || {
        let mut conn = SyncConnection::establish(&url)?;
        work(&mut conn)
    })
    .join()
    .map_err(|_| BoxError::from("migration thread panicked"))?
}
