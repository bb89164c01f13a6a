//! A transaction whose `BEGIN` travels with its first statements (ADR 0011).
//!
//! diesel-async's `transaction` sends `BEGIN` and waits for it before the
//! body runs: one more wait on PostgreSQL per transaction. Here the body's
//! first group is sent right behind `BEGIN`, and PostgreSQL runs them in
//! the order sent. Commit and rollback go through diesel-async's own
//! transaction manager, which counts this transaction as open from the
//! start: a transaction dropped half-way (a client gone, a timeout) leaves
//! a connection the pool refuses to hand out again, exactly as with
//! diesel-async's `transaction`.

use diesel::connection::{TransactionDepthChange, TransactionManagerStatus};
use diesel::result::Error;
use diesel_async::{AnsiTransactionManager, AsyncPgConnection, RunQueryDsl, TransactionManager};
use futures_util::future::try_join3;

use crate::infra::reusable_sql::Reusable;

/// Runs `first` on the shared connection right behind `BEGIN`, then `rest`
/// with what it returned, and commits; any error rolls back.
pub async fn transaction<T, R, E>(
    conn: &mut AsyncPgConnection,
    first: impl AsyncFnOnce(&AsyncPgConnection) -> Result<T, E>,
    rest: impl AsyncFnOnce(&mut AsyncPgConnection, T) -> Result<R, E>,
) -> Result<R, E>
where
    E: From<Error>,
{
    transaction_after(
        conn,
        async |_| Ok(()),
        first,
        async |conn, ((), head)| rest(conn, head).await,
    )
    .await
}

/// As [`transaction`], with `lead` sent ahead of `BEGIN` in the same
/// pipeline: it runs outside the transaction and commits on its own,
/// whatever becomes of the transaction. `first` sees what it wrote.
pub async fn transaction_after<L, T, R, E>(
    conn: &mut AsyncPgConnection,
    lead: impl AsyncFnOnce(&AsyncPgConnection) -> Result<L, E>,
    first: impl AsyncFnOnce(&AsyncPgConnection) -> Result<T, E>,
    rest: impl AsyncFnOnce(&mut AsyncPgConnection, (L, T)) -> Result<R, E>,
) -> Result<R, E>
where
    E: From<Error>,
{
    count_as_open(conn)?;
    let outcome = async {
        let head = {
            let shared: &AsyncPgConnection = conn;
            let (led, (), head) = try_join3(lead(shared), begin(shared), first(shared)).await?;
            (led, head)
        };
        rest(conn, head).await
    }
    .await;
    match outcome {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(conn).await?;
            Ok(value)
        }
        Err(error) => {
            // A failed rollback leaves the manager broken, and the pool
            // then discards the connection; the body's error is the news.
            let _ = AnsiTransactionManager::rollback_transaction(conn).await;
            Err(error)
        }
    }
}

/// Registers the transaction with diesel-async's manager before anything
/// is sent, so that from here on the pool treats the connection as busy
/// with a transaction until commit or rollback ends it.
fn count_as_open(conn: &mut AsyncPgConnection) -> Result<(), Error> {
    match AnsiTransactionManager::transaction_manager_status_mut(conn) {
        TransactionManagerStatus::Valid(status) if status.transaction_depth().is_none() => {
            status.change_transaction_depth(TransactionDepthChange::IncreaseDepth)
        }
        TransactionManagerStatus::Valid(_) => Err(Error::AlreadyInTransaction),
        TransactionManagerStatus::InError => Err(Error::BrokenTransactionManager),
    }
}

async fn begin<E: From<Error>>(mut conn: &AsyncPgConnection) -> Result<(), E> {
    Reusable::fixed(diesel::sql_query("BEGIN"))
        .execute(&mut conn)
        .await?;
    Ok(())
}
