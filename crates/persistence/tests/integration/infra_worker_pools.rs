//! Each server worker thread has pools of its own (ADR 0014): they split the
//! process's connection budget, count their statements with the process's
//! pool, close with it, and reach Redis on connections of their own.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use diesel_async::RunQueryDsl;
use persistence::{Db, DbSettings, Kv, StoreError};
use redis::AsyncCommands;
use testkit::{TestDb, TestKv};

/// A pool of `max_size` connections that gives up on a busy pool at once.
fn impatient_pool(db: &TestDb, max_size: usize) -> Db {
    Db::new(&DbSettings {
        pool_max_size: max_size,
        pool_wait_timeout_ms: 50,
        ..db.pool_settings()
    })
    .unwrap()
}

#[tokio::test]
async fn worker_pools_share_the_budget_and_the_statement_count() {
    let db = TestDb::new().await;
    let process = impatient_pool(&db, 3);
    let worker = process.for_worker(2).unwrap();
    let before = process.statements_sent();

    let mut first = worker.get().await.unwrap();
    diesel::sql_query("SELECT 1")
        .execute(&mut first)
        .await
        .unwrap();
    let _second = worker.get().await.unwrap();
    assert!(
        matches!(worker.get().await, Err(StoreError::Unavailable(_))),
        "one of two workers holds half of three connections, rounded up: two"
    );

    assert_eq!(process.statements_sent() - before, 1);
    let stats = process.stats();
    assert_eq!((stats.max_size, stats.size, stats.available), (3, 2, 0));
}

#[tokio::test]
async fn closing_the_process_pool_closes_the_worker_pools() {
    let db = TestDb::new().await;
    let process = impatient_pool(&db, 4);
    let worker = process.for_worker(2).unwrap();
    drop(worker.get().await.unwrap());

    process.close();

    assert!(matches!(
        worker.get().await,
        Err(StoreError::Unavailable(_))
    ));
}

async fn client_id(kv: &Kv) -> i64 {
    let mut connection = kv.connection();
    redis::cmd("CLIENT")
        .arg("ID")
        .query_async(&mut connection)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_worker_reaches_the_same_keyspace_on_a_connection_of_its_own() {
    let test_kv = TestKv::new();
    let process = test_kv.handle();
    let worker = process.for_worker().unwrap();

    assert_ne!(client_id(&process).await, client_id(&worker).await);

    let key = process.key("worker-probe");
    let _: () = process.connection().set(&key, "seen").await.unwrap();
    let read: String = worker
        .connection()
        .get(worker.key("worker-probe"))
        .await
        .unwrap();
    assert_eq!(read, "seen");
}
