//! The shared rate limiter against a real Redis.

use std::time::Duration;

use auth::rate_limit::{Decision, Rate, RateLimiter};
use testkit::TestKv;

#[tokio::test]
async fn allows_the_burst_then_refuses_with_a_retry_time() {
    let kv = TestKv::new();
    let limiter = RateLimiter::new(kv.handle());
    let rate = Rate::per(5, Duration::from_secs(3600));
    for attempt in 1..=5 {
        assert_eq!(
            limiter.check("codes", "+821012345678", rate).await.unwrap(),
            Decision::Allowed,
            "attempt {attempt}"
        );
    }
    let Decision::Limited { retry_after } =
        limiter.check("codes", "+821012345678", rate).await.unwrap()
    else {
        panic!("the sixth must be limited");
    };
    // One event is earned back every 12 minutes.
    assert!(
        retry_after > Duration::from_secs(11 * 60) && retry_after <= Duration::from_secs(12 * 60),
        "{retry_after:?}"
    );
    // Other subjects and other rules have their own budgets.
    assert_eq!(
        limiter.check("codes", "+821099999999", rate).await.unwrap(),
        Decision::Allowed
    );
    assert_eq!(
        limiter
            .check("logins", "+821012345678", rate)
            .await
            .unwrap(),
        Decision::Allowed
    );
}

#[tokio::test]
async fn replicas_share_one_budget_under_concurrency() {
    let kv = TestKv::new();
    let rate = Rate::per(10, Duration::from_secs(60));
    let attempts: Vec<_> = (0..40)
        .map(|i| {
            // Each task is a replica with its own connection.
            let limiter = RateLimiter::new(kv.handle());
            tokio::spawn(async move {
                (
                    i,
                    limiter.check("login", "203.0.113.9", rate).await.unwrap(),
                )
            })
        })
        .collect();
    let mut allowed = 0;
    for attempt in attempts {
        if attempt.await.unwrap().1 == Decision::Allowed {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 10);
}

#[tokio::test]
async fn the_budget_refills_over_time() {
    let kv = TestKv::new();
    let limiter = RateLimiter::new(kv.handle());
    let rate = Rate::per(2, Duration::from_millis(200));
    assert_eq!(
        limiter.check("r", "s", rate).await.unwrap(),
        Decision::Allowed
    );
    assert_eq!(
        limiter.check("r", "s", rate).await.unwrap(),
        Decision::Allowed
    );
    let Decision::Limited { retry_after } = limiter.check("r", "s", rate).await.unwrap() else {
        panic!("limited");
    };
    // Waiting is the behaviour under test: the budget is a function of time.
    tokio::time::sleep(retry_after + Duration::from_millis(5)).await;
    assert_eq!(
        limiter.check("r", "s", rate).await.unwrap(),
        Decision::Allowed
    );
}
