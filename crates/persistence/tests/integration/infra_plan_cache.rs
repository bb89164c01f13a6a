//! The pool's connections plan each kept statement once (ADR 0015): under
//! PostgreSQL's own choice a statement's first five executions are planned
//! for their values, and a connection can go on planning every execution.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use persistence::{Db, DbSettings, PlanCacheMode};
use testkit::TestDb;

fn pool(db: &TestDb, plan_cache_mode: PlanCacheMode) -> Db {
    Db::new(&DbSettings {
        plan_cache_mode,
        ..db.pool_settings()
    })
    .unwrap()
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The plan of a prepared statement's first execution, with 7 bound.
async fn first_execution_plan(db: &Db) -> String {
    let mut conn = db.get().await.unwrap();
    conn.batch_execute("PREPARE probe(int) AS SELECT relname FROM pg_class WHERE relpages = $1")
        .await
        .unwrap();
    let lines: Vec<PlanLine> = diesel::sql_query("EXPLAIN EXECUTE probe(7)")
        .load(&mut conn)
        .await
        .unwrap();
    conn.batch_execute("DEALLOCATE probe").await.unwrap();
    lines
        .into_iter()
        .map(|l| l.line)
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_kept_statement_runs_its_one_generic_plan_from_the_first_execution() {
    let db = TestDb::new().await;

    let plan = first_execution_plan(&pool(&db, PlanCacheMode::default())).await;

    assert!(
        plan.contains("relpages = $1"),
        "generic plan expected:\n{plan}"
    );
}

#[tokio::test]
async fn the_mode_can_be_handed_back_to_postgresql() {
    let db = TestDb::new().await;

    let plan = first_execution_plan(&pool(&db, PlanCacheMode::Auto)).await;

    assert!(
        plan.contains("relpages = 7"),
        "a plan for the value expected:\n{plan}"
    );
}
