//! A transaction whose BEGIN travels with its first statements: it must
//! hold everything the first group does, roll it back on error, and leave
//! no connection in an open transaction when it is dropped half-way.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use diesel_async::{AsyncPgConnection, RunQueryDsl};
use persistence::StoreError;
use persistence::infra::pipelined;
use testkit::TestDb;

async fn insert(mut conn: &AsyncPgConnection, id: i32) -> Result<(), StoreError> {
    diesel::sql_query(format!("INSERT INTO pipelined_probe VALUES ({id})"))
        .execute(&mut conn)
        .await?;
    Ok(())
}

async fn probe_ids(db: &TestDb) -> Vec<String> {
    db.query_text("SELECT id::text AS value FROM pipelined_probe ORDER BY id")
        .await
}

async fn probe_table() -> TestDb {
    let db = TestDb::new().await;
    db.run_sql("CREATE TABLE pipelined_probe (id int PRIMARY KEY)")
        .await
        .unwrap();
    db
}

#[tokio::test]
async fn both_groups_commit_together() {
    let db = probe_table().await;
    let mut conn = db.conn().await;
    pipelined::transaction(
        &mut conn,
        async |shared| insert(shared, 1).await,
        async |conn, ()| insert(conn, 2).await,
    )
    .await
    .unwrap();
    assert_eq!(probe_ids(&db).await, ["1", "2"]);
}

#[tokio::test]
async fn an_error_after_the_first_group_rolls_the_first_group_back() {
    let db = probe_table().await;
    let mut conn = db.conn().await;
    let outcome: Result<(), StoreError> = pipelined::transaction(
        &mut conn,
        async |shared| insert(shared, 1).await,
        async |_, ()| Err(StoreError::NotFound),
    )
    .await;
    assert!(matches!(outcome, Err(StoreError::NotFound)));
    // Had BEGIN gone after the insert, the insert would have committed alone.
    assert!(probe_ids(&db).await.is_empty());
    // The connection is usable again, outside any transaction.
    pipelined::transaction(
        &mut conn,
        async |shared| insert(shared, 3).await,
        async |_, ()| Ok::<_, StoreError>(()),
    )
    .await
    .unwrap();
    assert_eq!(probe_ids(&db).await, ["3"]);
}

#[tokio::test]
async fn a_transaction_dropped_half_way_commits_nothing_and_its_connection_is_not_handed_out_again()
{
    let db = probe_table().await;
    let pool = db.pool_of(1);
    let (wrote, written) = tokio::sync::oneshot::channel::<()>();
    {
        let mut conn = pool.get().await.unwrap();
        let transaction = pipelined::transaction(
            &mut conn,
            async |shared| insert(shared, 1).await,
            async |_, ()| {
                wrote.send(()).unwrap();
                // A request whose client went away: it is dropped here.
                std::future::pending::<Result<(), StoreError>>().await
            },
        );
        tokio::select! {
            _ = transaction => unreachable!("the body never finishes"),
            _ = written => {}
        }
    }
    // The pool holds one connection. Had it taken the old one back, still
    // inside its transaction, this insert would commit with the first.
    let conn = pool.get().await.unwrap();
    insert(&conn, 2).await.unwrap();
    drop(conn);
    assert_eq!(probe_ids(&db).await, ["2"]);
}

#[tokio::test]
async fn a_lead_commits_on_its_own_and_the_first_group_sees_it() {
    let db = probe_table().await;
    let mut conn = db.conn().await;
    let outcome: Result<(), StoreError> = pipelined::transaction_after(
        &mut conn,
        async |shared| insert(shared, 1).await,
        async |shared| probe_count(shared).await,
        async |conn, ((), seen)| {
            assert_eq!(seen, 1, "the first group runs after the lead");
            insert(conn, 2).await?;
            Err(StoreError::NotFound)
        },
    )
    .await;
    assert!(matches!(outcome, Err(StoreError::NotFound)));
    // Sent ahead of BEGIN, the lead stays when the transaction rolls back.
    assert_eq!(probe_ids(&db).await, ["1"]);
}

async fn probe_count(mut conn: &AsyncPgConnection) -> Result<i64, StoreError> {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        rows: i64,
    }
    let count: Count = diesel::sql_query("SELECT count(*) AS rows FROM pipelined_probe")
        .get_result(&mut conn)
        .await?;
    Ok(count.rows)
}
