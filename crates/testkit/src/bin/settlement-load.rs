//! Load for the settlement benchmark (used by `scripts/bench settlement`),
//! run through the app's own settlement code on the configured database:
//!
//!   settlement-load accrue --tasks N   settle every confirmed order not yet
//!                                      in the journal, N at a time
//!   settlement-load sweep              one payout batch per vendor owed
//!   settlement-load statements         this month's statement of every
//!                                      payee, one after the other
//!
//! Prints one JSON object with what was done and how long it took.

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde_json::json;
use tokio::sync::Mutex;
use uuid::Uuid;

#[derive(QueryableByName)]
struct Unsettled {
    #[diesel(sql_type = SqlUuid)]
    purchase_order_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    product_order_id: Uuid,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

async fn count(context: &app::Context, sql: &str) -> Result<i64, Failure> {
    let mut conn = context.db.get().await?;
    let row: Count = diesel::sql_query(sql).get_result(&mut conn).await?;
    Ok(row.count)
}

async fn accrue(context: app::Context, tasks: usize) -> Result<serde_json::Value, Failure> {
    let orders: Vec<Unsettled> = {
        let mut conn = context.db.get().await?;
        diesel::sql_query(
            "SELECT c.purchase_order_id, min(c.product_order_id::text)::uuid AS product_order_id \
             FROM purchase_confirmations c \
             WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.purchase_order_id = c.purchase_order_id) \
             GROUP BY c.purchase_order_id",
        )
        .load(&mut conn)
        .await?
    };
    let total = orders.len();
    let before = count(&context, "SELECT count(*) AS count FROM journal_entries").await?;
    let queue = Arc::new(Mutex::new(orders));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..tasks {
        let queue = Arc::clone(&queue);
        let context = context.clone();
        workers.push(tokio::spawn(async move {
            let mut conn = context.db.get().await?;
            loop {
                let Some(order) = queue.lock().await.pop() else {
                    return Ok::<(), Failure>(());
                };
                conn.transaction(async |conn| {
                    app::settlement::accrual::settle(
                        conn,
                        order.purchase_order_id,
                        app::settlement::accrual::Event::Confirmed {
                            product_order_id: order.product_order_id,
                        },
                        Utc::now(),
                    )
                    .await
                })
                .await?;
            }
        }));
    }
    for worker in workers {
        worker.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    let entries = count(&context, "SELECT count(*) AS count FROM journal_entries").await? - before;
    Ok(json!({
        "orders": total,
        "entries": entries,
        "seconds": seconds,
        "entries_per_second": entries as f64 / seconds,
    }))
}

async fn sweep(context: app::Context) -> Result<serde_json::Value, Failure> {
    let unswept = "SELECT count(*) AS count FROM journal_entries WHERE payout_batch_id IS NULL";
    let before = count(&context, unswept).await?;
    let started = Instant::now();
    let now = Utc::now();
    let batches = app::settlement::payouts::sweep_now(&context, None, None, now).await?;
    let seconds = started.elapsed().as_secs_f64();
    let claimed = before - count(&context, unswept).await?;
    Ok(json!({
        "batches": batches.len(),
        "entries": claimed,
        "seconds": seconds,
        "entries_per_second": claimed as f64 / seconds,
        "ms_per_batch": seconds * 1000.0 / batches.len().max(1) as f64,
    }))
}

async fn statements(context: app::Context) -> Result<serde_json::Value, Failure> {
    let payees: Vec<Uuid> = {
        #[derive(QueryableByName)]
        struct Payee {
            #[diesel(sql_type = SqlUuid)]
            payee_id: Uuid,
        }
        let mut conn = context.db.get().await?;
        let rows: Vec<Payee> =
            diesel::sql_query("SELECT DISTINCT payee_id FROM journal_entries ORDER BY payee_id")
                .load(&mut conn)
                .await?;
        rows.into_iter().map(|row| row.payee_id).collect()
    };
    let now = Utc::now();
    let period = domain::calendar::korean_date(now)
        .format("%Y-%m")
        .to_string();
    let mut millis = Vec::with_capacity(payees.len());
    let mut lines = 0_usize;
    for payee in &payees {
        let started = Instant::now();
        let view = app::settlement::statements::statement(&context, *payee, &period, now).await?;
        let csv = view.statement.to_csv(&payee.to_string(), &period);
        millis.push(started.elapsed().as_secs_f64() * 1000.0);
        lines += csv.lines().count();
    }
    millis.sort_by(f64::total_cmp);
    let at = |q: f64| millis[((millis.len() as f64 - 1.0) * q).round() as usize];
    Ok(json!({
        "statements": payees.len(),
        "csv_lines": lines,
        "ms_mean": millis.iter().sum::<f64>() / millis.len().max(1) as f64,
        "ms_p50": at(0.5),
        "ms_p95": at(0.95),
    }))
}

fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let tasks = match (args.next().as_deref(), args.next()) {
        (Some("--tasks"), Some(n)) => n.parse()?,
        _ => 4,
    };
    let settings = runtime::Settings::load()?;
    runtime::install_vault(&settings)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(async move {
        let context = runtime::build_context(&settings)?;
        match command.as_str() {
            "accrue" => accrue(context, tasks).await,
            "sweep" => sweep(context).await,
            "statements" => statements(context).await,
            other => Err(
                format!("usage: settlement-load accrue|sweep|statements (not {other:?})").into(),
            ),
        }
    })?;
    println!("{report}");
    Ok(())
}
