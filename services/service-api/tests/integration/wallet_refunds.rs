//! Refunds of unused charged cash over HTTP: recorded and taken out of the
//! wallet before any provider is asked; per payment, refunded, or refused
//! (the cash comes back), or left pending while the provider's answer is
//! unknown (reconciliation asks again under the same key). Bank-transfer
//! payments are refunded to the account the shopper names.
#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::FreshKey;
use testkit::shoppers::Login;

use super::wallet::{Shop, money, send, shop};

const ACCOUNT: &str =
    r#"{"bank_code": "88", "account_number": "110-123-456789", "holder_name": "Kim Minji"}"#;

fn account() -> Value {
    serde_json::from_str(ACCOUNT).expect("account")
}

impl Shop {
    /// Charges `amount` by bank transfer to a Toss virtual account; the
    /// transfer arrives and Toss's deposit callback credits it.
    async fn charge_by_transfer(&self, login: &Login, amount: i64) -> String {
        let started = self.start_charge(login, amount).await;
        let order_id = started["order_id"].as_str().expect("order id").to_owned();
        let key = self
            .provider
            .toss_authorize_virtual_account(&order_id, amount);
        let (status, payment) = self.confirm(login, &key, &order_id, amount).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{payment}");
        assert_eq!(payment["status"], "awaiting_deposit");
        let partner = self.app.sibling(external_api::SERVICE);
        let callback = self.provider.toss_deposit(&key);
        let (status, received) = send(partner.post("/v1/webhooks/toss").json(&callback)).await;
        assert_eq!(status, StatusCode::OK, "{received}");
        key
    }

    async fn refund(&self, login: &Login, body: Value) -> (StatusCode, Value) {
        send(
            login
                .call(&self.app, Method::POST, "/v1/wallet/refunds")
                .fresh_key()
                .json(&body),
        )
        .await
    }

    async fn reconcile(&self) -> app::wallet::refunds::Reconciled {
        app::wallet::refunds::reconcile(&self.app.state.context)
            .await
            .expect("reconcile")
    }

    /// The cash ledger agrees with every refund, and every charge's
    /// payment with what its refunds gave back (`worker check-orders`).
    async fn assert_refunds_add_up(&self) {
        let (lots, charges) = app::wallet::refunds::mismatches(&self.app.state.context)
            .await
            .expect("check");
        assert!(lots.is_empty(), "refund lots that do not add up: {lots:?}");
        assert!(
            charges.is_empty(),
            "charges that do not add up: {charges:?}"
        );
    }

    async fn count(&self, sql: &str) -> i64 {
        self.app
            .db
            .query_text(&format!("SELECT ({sql})::text AS value"))
            .await[0]
            .parse()
            .expect("a count")
    }
}

#[tokio::test]
async fn unused_charged_cash_is_refunded_to_its_payment() {
    let s = shop().await;
    let (login, user_id) = s.member("refund").await;
    let first = s.charge(&login, 10_000).await;
    let second = s.charge(&login, 5_000).await;
    s.grant_bonus(&user_id, 3_000, 10).await;

    let (status, problem) = s.refund(&login, json!({ "amount": "15001" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["code"], "not_refundable");

    // Newest charge first: all of the second, 2,000 of the first.
    let (status, refunded) = s.refund(&login, json!({ "amount": "7000" })).await;
    assert_eq!(status, StatusCode::OK, "{refunded}");
    assert_eq!(money(&refunded["refunded"]), 7_000);
    assert_eq!(refunded["refund"]["status"], "refunded");
    let parts: Vec<i64> = refunded["refund"]["payments"]
        .as_array()
        .expect("payments")
        .iter()
        .map(|p| money(&p["amount"]))
        .collect();
    assert_eq!(parts, vec![5_000, 2_000]);
    assert_eq!(s.provider.toss_balance(&second), Some(0));
    assert_eq!(s.provider.toss_status(&second).as_deref(), Some("CANCELED"));
    assert_eq!(s.provider.toss_balance(&first), Some(8_000));
    assert_eq!(money(&refunded["wallet"]["charged"]), 8_000);
    assert_eq!(money(&refunded["wallet"]["bonus"]), 3_000);

    // The rest; the bonus stays.
    let (status, refunded) = s.refund(&login, json!({ "amount": null })).await;
    assert_eq!(status, StatusCode::OK, "{refunded}");
    assert_eq!(money(&refunded["refunded"]), 8_000);
    assert_eq!(s.provider.toss_status(&first).as_deref(), Some("CANCELED"));
    assert_eq!(money(&refunded["wallet"]["total"]), 3_000);
    let (status, _) = s.refund(&login, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, list) = send(login.call(&s.app, Method::GET, "/v1/wallet/refunds")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let amounts: Vec<i64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| money(&r["refunded"]))
        .collect();
    assert_eq!(amounts, vec![8_000, 7_000]);
    s.assert_refunds_add_up().await;
}

#[tokio::test]
async fn a_refused_cancel_gives_its_cash_back_while_the_other_payment_is_refunded() {
    let s = shop().await;
    let (login, _) = s.member("refused").await;
    let transfer = s.charge_by_transfer(&login, 10_000).await;
    let card = s.charge(&login, 5_000).await;
    assert_eq!(money(&s.wallet(&login).await["refundable"]), 15_000);

    // Cash paid by transfer goes back to an account the shopper names;
    // without one nothing is recorded and nothing leaves the wallet.
    let (status, problem) = s.refund(&login, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "refund_account");
    assert_eq!(problem["errors"][0]["code"], "required");
    let mut bad = account();
    bad["account_number"] = json!("12-34");
    let (status, problem) = s.refund(&login, json!({ "refund_account": bad })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        problem["errors"][0]["field"],
        "refund_account.account_number"
    );
    assert_eq!(s.count("SELECT count(*) FROM wallet_refunds").await, 0);
    assert_eq!(money(&s.wallet(&login).await["total"]), 15_000);

    // Toss refuses the transfer's cancellation; the card's goes through.
    s.provider.toss_refuse_cancels(&transfer);
    let (status, refunded) = s
        .refund(&login, json!({ "refund_account": account() }))
        .await;
    assert_eq!(status, StatusCode::OK, "{refunded}");
    let refund = &refunded["refund"];
    assert_eq!(refund["status"], "partially_refunded");
    assert_eq!(money(&refund["refunded"]), 5_000);
    assert_eq!(money(&refund["failed"]), 10_000);
    let outcomes: Vec<(&str, Option<&str>)> = refund["payments"]
        .as_array()
        .expect("payments")
        .iter()
        .map(|p| {
            (
                p["status"].as_str().expect("status"),
                p["failure_code"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        vec![
            ("refunded", None),
            ("failed", Some("FAILED_REFUND_PROCESS"))
        ]
    );
    // The card lot is refunded and gone; the transfer's cash is back and
    // spendable; Toss agrees.
    assert_eq!(s.provider.toss_status(&card).as_deref(), Some("CANCELED"));
    assert_eq!(s.provider.toss_balance(&transfer), Some(10_000));
    let wallet = &refunded["wallet"];
    assert_eq!(money(&wallet["total"]), 10_000);
    assert_eq!(money(&wallet["refundable"]), 10_000);
    assert_eq!(money(&wallet["refunds_in_progress"]), 0);
    s.assert_refunds_add_up().await;
    // Settled: the account is not kept.
    assert_eq!(
        s.count("SELECT count(*) FROM wallet_refunds WHERE refund_account IS NOT NULL")
            .await,
        0
    );

    // A refused lot's cash comes back once: a second restore is refused by
    // the store, and a ledger that disagrees with a refund is reported.
    let restore_again = s
        .app
        .db
        .run_sql(
            "INSERT INTO cash_ledger (user_id, kind, amount, lot_id, source, reason) \
             SELECT user_id, kind, amount, lot_id, source, reason FROM cash_ledger \
             WHERE kind = 'restore' AND source LIKE 'wallet-refund:%'",
        )
        .await;
    assert!(restore_again.is_err(), "a second restore was accepted");
    s.app
        .db
        .run_sql(
            "UPDATE wallet_refund_lots SET status = 'refunded', failure_code = NULL \
             WHERE status = 'failed'",
        )
        .await
        .expect("fixture");
    let (lots, _) = app::wallet::refunds::mismatches(&s.app.state.context)
        .await
        .expect("check");
    assert_eq!(lots.len(), 1);
}

#[tokio::test]
async fn a_refund_whose_answer_is_lost_stays_out_of_the_wallet_until_reconciled() {
    let s = shop().await;
    let (login, _) = s.member("lost").await;
    let card = s.charge(&login, 10_000).await;

    // Toss cancels the payment, but its answer never arrives.
    s.provider.toss_lose_cancel_answer(&card);
    let (status, refunded) = s.refund(&login, json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{refunded}");
    assert_eq!(refunded["refund"]["status"], "pending");
    assert_eq!(money(&refunded["refunded"]), 0);
    assert_eq!(s.provider.toss_balance(&card), Some(0));
    // Refunded at Toss, so never spendable here meanwhile.
    let wallet = &refunded["wallet"];
    assert_eq!(money(&wallet["total"]), 0);
    assert_eq!(money(&wallet["refundable"]), 0);
    assert_eq!(money(&wallet["refunds_in_progress"]), 10_000);
    let (status, _) = s.refund(&login, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Reconciliation asks again under the same key: Toss replays its
    // answer, nothing is cancelled twice.
    let round = s.reconcile().await;
    assert_eq!((round.asked, round.unanswered), (1, 0));
    let (_, list) = send(login.call(&s.app, Method::GET, "/v1/wallet/refunds")).await;
    assert_eq!(list["items"][0]["status"], "refunded");
    assert_eq!(money(&list["items"][0]["refunded"]), 10_000);
    assert_eq!(s.provider.toss_status(&card).as_deref(), Some("CANCELED"));
    let wallet = s.wallet(&login).await;
    assert_eq!(money(&wallet["total"]), 0);
    assert_eq!(money(&wallet["refunds_in_progress"]), 0);
    assert_eq!(s.reconcile().await.asked, 0);
    s.assert_refunds_add_up().await;
}

#[tokio::test]
async fn a_refund_asked_during_an_outage_is_made_once_the_provider_is_back() {
    let s = shop().await;
    let (login, _) = s.member("outage").await;
    let transfer = s.charge_by_transfer(&login, 8_000).await;

    s.provider.toss_outage(true);
    let (status, refunded) = s
        .refund(&login, json!({ "refund_account": account() }))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{refunded}");
    assert_eq!(money(&refunded["wallet"]["total"]), 0);
    assert_eq!(s.provider.toss_balance(&transfer), Some(8_000));
    // Kept, sealed, while the refund still needs it.
    assert_eq!(
        s.count("SELECT count(*) FROM wallet_refunds WHERE refund_account IS NOT NULL")
            .await,
        1
    );
    let stored = s
        .app
        .db
        .query_text("SELECT encode(refund_account, 'escape') AS value FROM wallet_refunds")
        .await;
    assert!(
        !stored[0].contains("456789"),
        "the account is stored in the clear"
    );
    let round = s.reconcile().await;
    assert_eq!((round.asked, round.unanswered), (1, 1));

    // Back up: the refund goes to the named account, once.
    s.provider.toss_outage(false);
    let round = s.reconcile().await;
    assert_eq!((round.asked, round.unanswered), (1, 0));
    assert_eq!(
        s.provider.toss_status(&transfer).as_deref(),
        Some("CANCELED")
    );
    let (_, list) = send(login.call(&s.app, Method::GET, "/v1/wallet/refunds")).await;
    assert_eq!(list["items"][0]["status"], "refunded");
    assert_eq!(
        s.count("SELECT count(*) FROM wallet_refunds WHERE refund_account IS NOT NULL")
            .await,
        0
    );
    assert_eq!(money(&s.wallet(&login).await["total"]), 0);
    s.assert_refunds_add_up().await;
}

#[tokio::test]
async fn refunds_sent_at_once_take_the_cash_once() {
    let s = shop().await;
    let (login, _) = s.member("at-once").await;
    let card = s.charge(&login, 10_000).await;
    let answers = futures_util::future::join_all((0..4).map(|_| s.refund(&login, json!({})))).await;
    let mut statuses: Vec<StatusCode> = answers.iter().map(|(status, _)| *status).collect();
    statuses.sort();
    assert_eq!(
        statuses,
        vec![
            StatusCode::OK,
            StatusCode::UNPROCESSABLE_ENTITY,
            StatusCode::UNPROCESSABLE_ENTITY,
            StatusCode::UNPROCESSABLE_ENTITY
        ]
    );
    assert_eq!(s.provider.toss_status(&card).as_deref(), Some("CANCELED"));
    assert_eq!(s.count("SELECT count(*) FROM wallet_refund_lots").await, 1);
    s.assert_refunds_add_up().await;
}
