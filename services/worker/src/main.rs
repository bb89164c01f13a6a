//! `worker`: runs jobs and schedules, and the operational commands.
//!
//! ```text
//! worker [run]              run jobs and schedules until SIGTERM/SIGINT
//! worker migrate            apply pending database migrations
//! worker seed-demo          load the demo data (idempotent)
//! worker catalog-sql        print the shopper catalog's statements (benchmark)
//! worker check-orders       fail if any order's money does not add up exactly
//! worker release-expired    release unpaid orders past their hold now
//! worker jobs failed        list jobs that exhausted their attempts
//! worker jobs retry <id>    give a failed job a fresh attempt budget
//! worker generate-key       print a fresh base64 key for a keyring
//! worker reseal             re-seal personal data still under retired keys
//! ```

use std::process::ExitCode;

use anyhow::{Context as _, bail};
use secrecy::ExposeSecret;
use web::Settings;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("worker: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if args.as_slice() == ["generate-key"] {
        println!("{}", crypto::keyring::generate_key());
        return Ok(());
    }
    if let ["totp-code", secret] = args.as_slice() {
        // Plays the authenticator app for a base32 secret (demo accounts, scripts).
        let secret = auth::mfa::decode_secret(secret).context("not a base32 TOTP secret")?;
        let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
        println!("{}", auth::mfa::code_at(&secret, now)?);
        return Ok(());
    }
    let settings = Settings::load()?;
    web::telemetry::init(&settings.telemetry);
    web::server::install_vault(&settings)?;
    match args.as_slice() {
        ["migrate"] => {
            // Migrations run on a thread of their own, before any runtime.
            let applied =
                persistence::infra::migrations::run_pending(settings.database.url.expose_secret())
                    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
            println!("applied {} migration(s){}", applied.len(), list(&applied));
            Ok(())
        }
        ["seed-demo"] => runtime()?.block_on(async {
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
        ["catalog-sql"] => {
            for (name, sql) in app::catalog::browse::benchmark_statements() {
                println!("{name}\t{sql}");
            }
            Ok(())
        }
        ["check-orders"] => runtime()?.block_on(async {
            let mismatches = app::orders::purchase_orders::allocation_mismatches(&context(&settings)?).await?;
            for id in &mismatches {
                println!("{id}\tmoney does not add up over its product orders and shipping");
            }
            if !mismatches.is_empty() {
                bail!("{} order(s) do not add up", mismatches.len());
            }
            println!("every order adds up to the last won");
            Ok(())
        }),
        ["release-expired"] => runtime()?.block_on(async {
            let released = app::orders::purchase_orders::release_expired(&context(&settings)?).await?;
            println!("{released} unpaid order(s) past their hold released");
            Ok(())
        }),
        ["create-admin", email, name] => runtime()?.block_on(async {
            let id = app::staff::members::bootstrap_admin(&context(&settings)?, email, name).await?;
            println!("operations account {id} invited with the administrator role: the invitation is emailed by the worker");
            Ok(())
        }),
        ["reseal"] => runtime()?.block_on(async {
            match app::maintenance::rotation::start(&context(&settings)?).await? {
                Some(id) => println!("re-sealing under the active keys: job {id}"),
                None => println!("a re-sealing pass is already queued or running"),
            }
            Ok(())
        }),
        ["jobs", "failed"] => runtime()?.block_on(async {
            for job in app::background::failed_jobs(&context(&settings)?, 100).await? {
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
        ["jobs", "retry", id] => runtime()?.block_on(async {
            let id: i64 = id.parse().context("job id must be a number")?;
            if !app::background::retry_failed_job(&context(&settings)?, id).await? {
                bail!("job {id} is not a failed job");
            }
            println!("job {id} queued again");
            Ok(())
        }),
        [] | ["run"] => runtime()?.block_on(work(settings)),
        _ => bail!(
            "usage: worker [run | migrate | seed-demo | catalog-sql | check-orders | release-expired | create-admin <email> <name> | jobs failed | jobs retry <id> | generate-key | totp-code <base32 secret> | reseal]"
        ),
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
    web::state::build_context(settings).map_err(anyhow::Error::msg)
}

async fn work(settings: Settings) -> anyhow::Result<()> {
    let context = context(&settings)?;
    let worker = jobs::Worker::new(
        context.db.clone(),
        app::background::registry(&context),
        jobs::Scheduler::new(app::background::schedules()?),
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
