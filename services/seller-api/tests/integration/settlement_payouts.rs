//! Payouts: a sweep claims a vendor's earnings into a draft batch;
//! operations approve it, export the transfer (the same file each time),
//! record a bounce (the same batch again, nothing re-swept) and the
//! payment (posted once), which the vendor follows; a clawback after a payout nets against later
//! earnings, what it owes back sitting in its claims receivable until
//! then; the schedule sweeps on each cycle's first business day; two
//! replicas sweeping at once never claim an entry twice.

#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::shoppers::Login;
use testkit::{TestApp, TestServer, shop, staff};
use uuid::Uuid;

use super::fulfilment_shipping::{PARCEL, a_paid_order, code, send};

struct Treasury {
    admin: TestServer,
    login: Login,
}

impl Treasury {
    async fn of(app: &TestApp) -> Self {
        let admin = app.sibling(admin_api::SERVICE);
        let account = staff::admin(
            app,
            "treasury",
            &["settlement.read", "settlement.manage", "settlement.approve"],
        )
        .await;
        let login = staff::log_in(&admin, &account, 0).await;
        Self { admin, login }
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        send(self.login.call(&self.admin, Method::POST, path).json(&body)).await
    }

    async fn export(&self, batch: i64) -> (StatusCode, String) {
        let response = self
            .login
            .call(
                &self.admin,
                Method::POST,
                &format!("/v1/settlement/payout-batches/{batch}/export"),
            )
            .send()
            .await
            .expect("export");
        let status = response.status();
        (status, response.text().await.expect("a file"))
    }

    async fn batches_of(&self, vendor: Uuid) -> Vec<Value> {
        let (status, page) = send(self.login.call(
            &self.admin,
            Method::GET,
            &format!("/v1/settlement/payout-batches?seller_id={vendor}"),
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page["items"].as_array().expect("batches").clone()
    }
}

#[tokio::test]
async fn a_batch_is_approved_exported_bounced_and_paid_once() {
    let f = a_paid_order().await;
    let treasury = Treasury::of(&f.app).await;
    staff::seller_contact(&f.app, f.vendor, "coat@example.test").await;
    let (status, _) = f.ship(&f.lines[..1], PARCEL).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = f.confirm(f.lines[0]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // ₩80,100 earned on the line and ₩3,000 shipping: one draft batch.
    let (status, swept) = treasury
        .post("/v1/settlement/payout-batches", json!({}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{swept}");
    let opened = swept["items"].as_array().expect("batches");
    assert_eq!(opened.len(), 1, "{swept}");
    let batch = &opened[0];
    assert_eq!(batch["payee_id"], f.vendor.to_string());
    assert_eq!(batch["amount"], "83100");
    assert_eq!(batch["status"], "draft");
    let id = batch["id"].as_i64().expect("batch id");
    let path = |action: &str| format!("/v1/settlement/payout-batches/{id}/{action}");
    // Nothing is swept twice.
    let (_, again) = treasury
        .post("/v1/settlement/payout-batches", json!({}))
        .await;
    assert_eq!(again["items"].as_array().map(Vec::len), Some(0), "{again}");

    // Not exported before approval, not paid before export.
    let (status, _) = treasury.export(id).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = treasury.post(&path("paid"), json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "invalid_payout_step")
    );
    let (status, approved) = treasury.post(&path("approve"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");

    let (status, file) = treasury.export(id).await;
    assert_eq!(status, StatusCode::OK, "{file}");
    assert_eq!(
        file,
        format!(
            "bank_code,account_number,account_holder,amount,memo\r\n004,12345678901234,Kim Owner,83100,MKT PAYOUT {id}\r\n"
        )
    );
    let (_, again) = treasury.export(id).await;
    assert_eq!(again, file);

    // The bank bounces it: the same batch is approved again, re-exported.
    let (status, body) = treasury
        .post(&path("failed"), json!({ "reason": " " }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, bounced) = treasury
        .post(&path("failed"), json!({ "reason": "account closed" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{bounced}");
    assert_eq!(
        (&bounced["status"], &bounced["failures"]),
        (&json!("approved"), &json!(1))
    );
    let (status, _) = treasury.export(id).await;
    assert_eq!(status, StatusCode::OK);
    let (status, paid) = treasury.post(&path("paid"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "paid");
    let (status, body) = treasury.post(&path("paid"), json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "invalid_payout_step")
    );
    assert_eq!(treasury.batches_of(f.vendor).await.len(), 1);

    // The payout is in the journal once; the vendor is owed nothing now.
    let (status, journal) = send(treasury.login.call(
        &treasury.admin,
        Method::GET,
        &format!("/v1/settlement/journal?seller_id={}", f.vendor),
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{journal}");
    let payouts: Vec<&Value> = journal["items"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["kind"] == "payout")
        .collect();
    assert_eq!(payouts.len(), 1, "{journal}");
    assert_eq!(payouts[0]["payout_batch_id"], id);
    let audited = f
        .app
        .db
        .query_text(
            "SELECT count(*)::text AS value FROM security_audit_log WHERE action LIKE 'settlement.payout_%'",
        )
        .await;
    // Approved, exported three times, bounced, paid.
    assert_eq!(audited[0], "6");
    shop::assert_journal_exact(&f.app).await;

    // The vendor's statement, recomputed by hand from the order: one
    // ₩90,000 line at 10 % (₩9,000, VAT ₩900), ₩3,000 shipping, paid out.
    let period = domain::calendar::korean_date(Utc::now())
        .format("%Y-%m")
        .to_string();
    let (status, body) = f
        .vendor(Method::GET, "/v1/settlement/balance", Value::Null)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "permission_denied"),
        "a packer does not read settlements: {body}"
    );
    let owner_account = staff::seller_staff(&f.app, "owner", f.vendor, "owner").await;
    let owner = staff::log_in(&f.app, &owner_account, 0).await;
    let (status, periods) =
        send(owner.call(&f.app, Method::GET, "/v1/settlement/statements")).await;
    assert_eq!(status, StatusCode::OK, "{periods}");
    assert_eq!(periods["items"], json!([period]));
    let (status, statement) = send(owner.call(
        &f.app,
        Method::GET,
        &format!("/v1/settlement/statements/{period}"),
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{statement}");
    for (figure, expected) in [
        ("opening_balance", "0"),
        ("sales", "90000"),
        ("vendor_funded_discounts", "0"),
        ("commission", "9000"),
        ("commission_vat", "900"),
        ("shipping", "3000"),
        ("clawbacks", "0"),
        ("payouts", "-83100"),
        ("closing_balance", "0"),
    ] {
        assert_eq!(statement[figure], expected, "{figure}: {statement}");
    }
    let csv = |login: &Login| {
        login
            .call(
                &f.app,
                Method::GET,
                &format!("/v1/settlement/statements/{period}"),
            )
            .header("Accept", "text/csv")
            .send()
    };
    let first = csv(&owner).await.expect("csv").text().await.expect("text");
    let second = csv(&owner).await.expect("csv").text().await.expect("text");
    assert_eq!(first, second);
    assert!(
        first.contains("\r\nsales,90000\r\n") && first.contains("\r\npayouts,-83100\r\n"),
        "{first}"
    );
    let (status, balance) = send(owner.call(&f.app, Method::GET, "/v1/settlement/balance")).await;
    assert_eq!(status, StatusCode::OK, "{balance}");
    assert_eq!(
        balance,
        json!({ "earned": "83100", "paid": "83100", "pending": "0", "unswept": "0", "carried": "0" })
    );
    // The vendor follows its payouts: what each paid and when.
    let (status, payouts) = send(owner.call(&f.app, Method::GET, "/v1/settlement/payouts")).await;
    assert_eq!(status, StatusCode::OK, "{payouts}");
    let payout = &payouts["items"][0];
    assert_eq!(
        (&payout["id"], &payout["amount"], &payout["status"]),
        (&json!(id), &json!("83100"), &json!("paid")),
        "{payouts}"
    );
    assert!(payout["paid_at"].is_string() && payout.get("approved_by").is_none());
    let (status, one) =
        send(owner.call(&f.app, Method::GET, &format!("/v1/settlement/payouts/{id}"))).await;
    assert_eq!((status, &one["amount"]), (StatusCode::OK, &json!("83100")));
    let (status, body) =
        send(owner.call(&f.app, Method::GET, "/v1/settlement/payouts?status=settled")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Operations see every vendor's statement for the month.
    let (status, all) = send(treasury.login.call(
        &treasury.admin,
        Method::GET,
        &format!("/v1/settlement/statements?period={period}"),
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let sellers: Vec<&str> = all["items"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| s["seller_id"].as_str().expect("seller"))
        .collect();
    assert_eq!(sellers, [f.vendor.to_string()]);
    let (status, body) = send(treasury.login.call(
        &treasury.admin,
        Method::GET,
        "/v1/settlement/statements?period=2026-13",
    ))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

async fn an_entry(app: &TestApp, vendor: Uuid, net: i64, at: DateTime<Utc>) {
    shop::journal_entry(app, vendor, net, at).await;
}

fn kst(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    domain::calendar::korea()
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("a time")
        .to_utc()
}

#[tokio::test]
async fn the_schedule_sweeps_each_cycle_once_and_a_negative_balance_carries() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let context = &app.state.context;
    let weekly = staff::seller(&app, "Weekly Co").await;
    let monthly = staff::seller(&app, "Monthly Co").await;
    let treasury = Treasury::of(&app).await;
    let cycle = |vendor: Uuid, cycle: &str| {
        treasury
            .login
            .call(
                &treasury.admin,
                Method::PUT,
                &format!("/v1/settlement/payees/{vendor}/cycle"),
            )
            .json(&json!({ "cycle": cycle }))
    };
    let (status, set) = send(cycle(monthly, "monthly")).await;
    assert_eq!((status, &set["cycle"]), (StatusCode::OK, &json!("monthly")));
    let (status, body) = send(cycle(monthly, "daily")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = send(cycle(Uuid::new_v4(), "weekly")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Earned on Thursday 3 December 2026, and a clawback the Friday after.
    an_entry(&app, weekly, 50_000, kst(2026, 12, 3, 12)).await;
    an_entry(&app, monthly, 70_000, kst(2026, 12, 3, 12)).await;
    an_entry(&app, monthly, -90_000, kst(2026, 12, 4, 12)).await;

    // Tuesday 8 December is no sweep day; Monday 7 December is, for weekly
    // payees: what came before Monday is claimed, once.
    let swept = app::settlement::payouts::sweep_due(context, kst(2026, 12, 8, 10))
        .await
        .expect("sweep");
    assert_eq!((swept.batches, swept.carried), (0, 0));
    let monday = kst(2026, 12, 7, 10);
    let swept = app::settlement::payouts::sweep_due(context, monday)
        .await
        .expect("sweep");
    assert_eq!((swept.batches, swept.carried), (1, 0));
    let swept = app::settlement::payouts::sweep_due(context, monday)
        .await
        .expect("sweep");
    assert_eq!((swept.batches, swept.carried), (0, 0));
    let cut_off = app
        .db
        .query_text(&format!(
            "SELECT to_char(cut_off AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') || ' ' || amount::bigint \
             AS value FROM payout_batches WHERE payee_id = '{weekly}'"
        ))
        .await;
    assert_eq!(cut_off, ["2026-12-07 00:00 50000"]);

    // The monthly payee's claims outweigh its earnings on 1 January 2027
    // (a holiday: the month sweeps Monday the 4th): nothing is paid, the
    // balance carries and nets with what it earns next.
    // What it owes back sits in its claims receivable until then.
    let receivable = || async {
        app::settlement::journal::trial_balance(context, None)
            .await
            .expect("trial balance")
            .into_iter()
            .find(|row| row.account == "claims_receivable")
            .map(|row| row.debits - row.credits)
            .expect("the claims receivable account")
    };
    let swept = app::settlement::payouts::sweep_due(context, kst(2027, 1, 4, 10))
        .await
        .expect("sweep");
    assert_eq!((swept.batches, swept.carried), (0, 1));
    assert_eq!(receivable().await, rust_decimal::Decimal::from(20_000));
    app::settlement::payouts::sweep_due(context, kst(2027, 1, 4, 11))
        .await
        .expect("sweep");
    assert_eq!(receivable().await, rust_decimal::Decimal::from(20_000));
    an_entry(&app, monthly, 30_000, kst(2027, 1, 10, 12)).await;
    let swept = app::settlement::payouts::sweep_due(context, kst(2027, 2, 1, 10))
        .await
        .expect("sweep");
    assert_eq!((swept.batches, swept.carried), (1, 0));
    assert_eq!(receivable().await, rust_decimal::Decimal::ZERO);
    let paid = app
        .db
        .query_text(&format!(
            "SELECT amount::bigint::text AS value FROM payout_batches WHERE payee_id = '{monthly}'"
        ))
        .await;
    assert_eq!(paid, ["10000"]);
    shop::assert_journal_exact_at(&app, kst(2027, 2, 1, 10)).await;
}

#[tokio::test]
async fn two_replicas_sweeping_at_once_never_claim_an_entry_twice() {
    let rounds: usize = std::env::var("PAYOUT_SWEEP_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let context = app.state.context.clone();
    let vendor = staff::seller(&app, "Busy Co").await;
    let start = Utc::now() - TimeDelta::days(1);
    let mut earned = 0_i64;
    for round in 0..rounds {
        let net = 1_000 + i64::try_from(round).expect("a round") * 7;
        earned += net;
        let at = start + TimeDelta::milliseconds(i64::try_from(round).expect("a round"));
        an_entry(&app, vendor, net, at).await;
        // Two replicas, each with its own cut-off, race for the same entries.
        let cut = at + TimeDelta::microseconds(1);
        let (a, b) = tokio::join!(
            app::settlement::payouts::sweep_one(&context, vendor, cut),
            app::settlement::payouts::sweep_one(&context, vendor, cut + TimeDelta::microseconds(1)),
        );
        a.expect("replica a");
        b.expect("replica b");
    }
    let row = app
        .db
        .query_text(&format!(
            "SELECT count(*) || ' ' || COALESCE(sum(amount), 0)::bigint AS value \
             FROM payout_batches WHERE payee_id = '{vendor}'"
        ))
        .await;
    assert_eq!(row, [format!("{rounds} {earned}")]);
    let unclaimed = app
        .db
        .query_text(&format!(
            "SELECT count(*)::text AS value FROM journal_entries \
             WHERE payee_id = '{vendor}' AND payout_batch_id IS NULL"
        ))
        .await;
    assert_eq!(unclaimed, ["0"]);
    shop::assert_journal_exact(&app).await;
}

#[tokio::test]
async fn over_a_simulated_sixty_days_every_earning_is_swept_before_its_due_date() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let context = &app.state.context;
    let due_days = i64::from(context.settlement.payout_due_days);
    let weekly = staff::seller(&app, "Weekly Co").await;
    let monthly = staff::seller(&app, "Monthly Co").await;
    app.db
        .run_sql(&format!(
            "UPDATE payees SET cycle = 'monthly' WHERE payee_id = '{monthly}'"
        ))
        .await
        .expect("a monthly payee");
    // 1 December 2026 to 29 January 2027: Christmas and New Year's Day on
    // the way. Each morning the schedule sweeps; each noon both vendors
    // earn.
    let first = kst(2026, 12, 1, 0);
    for day in 0..60 {
        let morning = first + TimeDelta::days(day) + TimeDelta::hours(10);
        app::settlement::payouts::sweep_due(context, morning)
            .await
            .expect("a sweep");
        for vendor in [weekly, monthly] {
            an_entry(&app, vendor, 10_000, morning + TimeDelta::hours(2)).await;
        }
    }
    let end = first + TimeDelta::days(60);
    let breaches = app
        .db
        .query_text(&format!(
            "SELECT COALESCE('product order ' || e.product_order_id, 'entry ' || e.id) \
             || ' of ' || e.payee_id || ' earned ' || e.occurred_at || ' swept ' \
             || COALESCE(b.cut_off::text, 'never') AS value \
             FROM journal_entries e LEFT JOIN payout_batches b ON b.id = e.payout_batch_id \
             WHERE e.occurred_at + interval '{due_days} days' <= '{end}' \
               AND (b.id IS NULL OR b.cut_off > e.occurred_at + interval '{due_days} days')"
        ))
        .await;
    assert!(
        breaches.is_empty(),
        "swept after their due date: {breaches:?}"
    );
    let batches = app
        .db
        .query_text(&format!(
            "SELECT count(*)::text AS value FROM payout_batches WHERE payee_id = '{monthly}'"
        ))
        .await;
    // Its monthly sweeps, and the early ones its due dates called for.
    assert!(
        batches[0].parse::<i64>().expect("a count") > 2,
        "{batches:?}"
    );
    // Nobody approved a batch: operations are shown what is due, oldest
    // first, each due 20 days after it was earned.
    let deadlines = app::settlement::payouts::deadlines(context, end, 500)
        .await
        .expect("deadlines");
    assert!(!deadlines.is_empty());
    assert!(
        deadlines
            .windows(2)
            .all(|pair| pair[0].0.occurred_at <= pair[1].0.occurred_at)
    );
    for (earning, due) in &deadlines {
        assert_eq!(*due, earning.occurred_at + TimeDelta::days(due_days));
        assert!(*due <= end + TimeDelta::days(5), "{earning:?}");
        assert_eq!(
            earning.batch_status.as_deref(),
            Some("draft"),
            "{earning:?}"
        );
    }
    shop::assert_journal_exact_at(&app, end).await;
}

#[tokio::test]
async fn a_vendor_owing_beyond_the_cap_is_held_until_operations_release_it() {
    let app = TestApp::builder(seller_api::SERVICE)
        .settings([("settlement.receivable_cap", "50000")])
        .spawn()
        .await;
    let context = &app.state.context;
    let treasury = Treasury::of(&app).await;
    let vendor = staff::seller(&app, "Leaky Co").await;
    let start = Utc::now() - TimeDelta::days(3);
    an_entry(&app, vendor, 30_000, start).await;
    an_entry(&app, vendor, -100_000, start + TimeDelta::hours(1)).await;
    let sweep = |at: DateTime<Utc>| app::settlement::payouts::sweep_one(context, vendor, at);

    // ₩70,000 owed back, beyond the ₩50,000 cap: held, on the record.
    let held = sweep(start + TimeDelta::days(1)).await.expect("a sweep");
    assert!(
        matches!(held, app::settlement::payouts::Outcome::Held),
        "{held:?}"
    );
    let reason = app
        .db
        .query_text(&format!(
            "SELECT held_reason AS value FROM payees WHERE payee_id = '{vendor}'"
        ))
        .await;
    assert_eq!(reason, ["owes back 70000 won after claims, beyond the cap"]);
    // Earning again pays nothing while held.
    an_entry(&app, vendor, 200_000, start + TimeDelta::days(1)).await;
    let still = sweep(start + TimeDelta::days(2)).await.expect("a sweep");
    assert!(
        matches!(still, app::settlement::payouts::Outcome::Held),
        "{still:?}"
    );

    let hold = |vendor: Uuid, body: Value| {
        treasury
            .login
            .call(
                &treasury.admin,
                Method::PUT,
                &format!("/v1/settlement/payees/{vendor}/hold"),
            )
            .json(&body)
    };
    let (status, body) = send(hold(vendor, json!({ "held": true }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = send(hold(Uuid::new_v4(), json!({ "held": false }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(hold(vendor, json!({ "held": false }))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let paid = sweep(start + TimeDelta::days(2)).await.expect("a sweep");
    match paid {
        app::settlement::payouts::Outcome::Opened(batch) => {
            assert_eq!(batch.amount, rust_decimal::Decimal::from(130_000));
        }
        other => panic!("released, it is paid what it nets: {other:?}"),
    }
    let audited = app
        .db
        .query_text(
            "SELECT string_agg(action || '/' || actor_kind, ',' ORDER BY id) AS value FROM security_audit_log \
             WHERE action LIKE 'settlement.payouts_%'",
        )
        .await;
    assert_eq!(
        audited,
        ["settlement.payouts_held/system,settlement.payouts_released/admin_staff"]
    );
    shop::assert_journal_exact(&app).await;
}
