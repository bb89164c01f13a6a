//! `worker`: runs jobs and schedules, and the operational commands
//! (`worker --help` lists them).

use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use runtime::Settings;
use secrecy::ExposeSecret;

/// Runs the marketplace's jobs and schedules, and its operational commands.
#[derive(Parser)]
#[command(name = "worker", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run jobs and schedules until SIGTERM or SIGINT (the default).
    Run,
    /// Apply pending database migrations (a release step: servers never migrate).
    Migrate,
    /// Load the demo data (idempotent).
    SeedDemo,
    /// Invite an operations account with every permission.
    CreateAdmin { email: String, name: String },
    /// Print the current TOTP code for a base32 secret (demo accounts, scripts).
    TotpCode { secret: String },
    /// Print a fresh base64 key for a keyring.
    GenerateKey,
    /// Print the shopper catalog's statements (what the benchmark runs).
    CatalogSql,
    /// Fail if any order's, refund's, claim's or the settlement journal's money
    /// does not add up to the last won.
    CheckOrders,
    /// Release unpaid orders past their hold now (the schedule does it every minute).
    ReleaseExpired,
    /// Re-seal personal data still under retired keys.
    Reseal,
    /// Jobs that exhausted their attempts.
    #[command(subcommand)]
    Jobs(JobsCommand),
}

#[derive(Subcommand)]
enum JobsCommand {
    /// List jobs that exhausted their attempts.
    Failed,
    /// Give a failed job a fresh attempt budget.
    Retry { id: i64 },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Run)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("worker: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::GenerateKey => {
            println!("{}", crypto::keyring::generate_key());
            return Ok(());
        }
        Command::TotpCode { secret } => {
            let secret = auth::mfa::decode_secret(&secret).context("not a base32 TOTP secret")?;
            let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
            println!("{}", auth::mfa::code_at(&secret, now)?);
            return Ok(());
        }
        Command::CatalogSql => {
            for (name, sql) in app::catalog::browse::benchmark_statements() {
                println!("{name}\t{sql}");
            }
            return Ok(());
        }
        _ => {}
    }
    let settings = Settings::load()?;
    runtime::telemetry::init(&settings.telemetry);
    runtime::install_vault(&settings)?;
    match command {
        Command::Migrate => {
            // Migrations run on a thread of their own, before any runtime.
            let applied =
                persistence::infra::migrations::run_pending(settings.database.url.expose_secret())
                    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
            println!("applied {} migration(s){}", applied.len(), list(&applied));
            Ok(())
        }
        Command::SeedDemo => runtime()?.block_on(async {
            let report = demo::seed(&context(&settings)?).await?;
            println!(
                "demo data loaded: {} categories created{}, {} staff accounts created, \
                 {} brands, {} products, {} SKUs and {} images created, {} coupons created, \
                 {} reviews written",
                report.categories_created,
                if report.shopper_created {
                    ", demo shopper created"
                } else {
                    ""
                },
                report.staff_created,
                report.catalog.brands,
                report.catalog.products,
                report.catalog.skus,
                report.catalog.images,
                report.coupons_created,
                report.reviews_created
            );
            Ok(())
        }),
        Command::CheckOrders => runtime()?.block_on(async {
            let context = context(&settings)?;
            let orders = app::orders::purchase_orders::allocation_mismatches(&context).await?;
            for id in &orders {
                println!("{id}\tmoney does not add up over its product orders and shipping");
            }
            let (refund_lots, charges) = app::wallet::refunds::mismatches(&context).await?;
            for id in &refund_lots {
                println!("wallet refund {id}\tthe cash ledger disagrees with the refund's state");
            }
            for id in &charges {
                println!("payment {id}\tcancelled amount differs from the wallet refunds made of it");
            }
            let confirmations = app::fulfilment::confirmation::mismatches(&context).await?;
            for id in &confirmations {
                println!("product order {id}\tits confirmation, amounts or earned points disagree");
            }
            let claims = app::claims::mismatches(&context).await?;
            for id in &claims {
                println!("{id}\ta claim's refund disagrees with its card steps, payment or ledgers");
            }
            let journal = app::settlement::journal::mismatches(&context, None, chrono::Utc::now()).await?;
            for problem in &journal {
                println!("{problem}	the settlement journal disagrees");
            }
            if !orders.is_empty()
                || !refund_lots.is_empty()
                || !charges.is_empty()
                || !confirmations.is_empty()
                || !claims.is_empty()
                || !journal.is_empty()
            {
                bail!(
                    "{} order(s), {} wallet refund(s), {} wallet charge(s), {} confirmation(s), {} claim refund(s) and {} journal problem(s) do not add up",
                    orders.len(),
                    refund_lots.len(),
                    charges.len(),
                    confirmations.len(),
                    claims.len(),
                    journal.len()
                );
            }
            println!(
                "every order, wallet refund, confirmation, claim refund and journal entry adds up to the last won"
            );
            Ok(())
        }),
        Command::ReleaseExpired => runtime()?.block_on(async {
            let released = app::orders::holds::release_expired(&context(&settings)?).await?;
            println!("{released} unpaid order(s) past their hold released");
            Ok(())
        }),
        Command::CreateAdmin { email, name } => runtime()?.block_on(async {
            let id =
                app::staff::members::bootstrap_admin(&context(&settings)?, &email, &name).await?;
            println!(
                "operations account {id} invited with the administrator role: the invitation is emailed by the worker"
            );
            Ok(())
        }),
        Command::Reseal => runtime()?.block_on(async {
            match app::maintenance::rotation::start(&context(&settings)?).await? {
                Some(id) => println!("re-sealing under the active keys: job {id}"),
                None => println!("a re-sealing pass is already queued or running"),
            }
            Ok(())
        }),
        Command::Jobs(JobsCommand::Failed) => runtime()?.block_on(async {
            for job in app::maintenance::job_queue::failed_jobs(&context(&settings)?, 100).await? {
                println!(
                    "{}\t{}\t{} attempts\t{}\t{}",
                    job.id,
                    job.kind,
                    job.attempts,
                    job.finished_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    job.last_error.unwrap_or_default()
                );
            }
            Ok(())
        }),
        Command::Jobs(JobsCommand::Retry { id }) => runtime()?.block_on(async {
            if !app::maintenance::job_queue::retry_failed_job(&context(&settings)?, id).await? {
                bail!("job {id} is not a failed job");
            }
            println!("job {id} queued again");
            Ok(())
        }),
        Command::Run => runtime()?.block_on(work(settings)),
        // Answered above, before any settings are read.
        Command::GenerateKey | Command::TotpCode { .. } | Command::CatalogSql => Ok(()),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(": {}", items.join(", "))
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn context(settings: &Settings) -> anyhow::Result<app::Context> {
    runtime::build_context(settings).map_err(anyhow::Error::msg)
}

async fn work(settings: Settings) -> anyhow::Result<()> {
    let context = context(&settings)?;
    let (registry, schedules) = app::background::worker_parts(&context)?;
    let worker = jobs::Worker::new(
        context.db.clone(),
        registry,
        jobs::Scheduler::new(schedules),
        settings.worker.clone(),
    );
    worker.run(shutdown_signal()).await;
    context.db.close();
    Ok(())
}

/// Resolves on SIGTERM or SIGINT; the worker then finishes its batch and exits.
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(error) => {
            tracing::warn!(%error, "no SIGTERM handler; stopping on SIGINT only");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
    tracing::info!("shutdown requested");
}
