//! The failed-try counters against a real Redis: a try is judged and
//! counted in one step, and the wait it imposes is the domain's back-off.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::time::Duration;

use auth::throttle::{Attempt, LoginThrottle, ThrottleRule};
use domain::identity::throttle::backoff;
use testkit::TestKv;

const RULE: ThrottleRule = ThrottleRule {
    free: 3,
    ceiling: Duration::from_secs(900),
    window: Duration::from_secs(3600),
};

/// Sets `subject`'s record to `failures`, the last one `ago` before Redis' now.
async fn set_record(kv: &persistence::Kv, subject: &str, failures: u32, ago: Duration) {
    let mut conn = kv.connection();
    let (secs, micros): (u64, u64) = redis::cmd("TIME").query_async(&mut conn).await.unwrap();
    let now_ms = secs * 1000 + micros / 1000;
    let last_ms = now_ms - u64::try_from(ago.as_millis()).unwrap();
    let _: () = redis::cmd("HSET")
        .arg(kv.key(&format!("login-failures:mfa:{subject}")))
        .arg("failures")
        .arg(failures)
        .arg("last_ms")
        .arg(last_ms)
        .query_async(&mut conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn free_tries_pass_then_each_waits_the_domain_s_back_off() {
    let kv = TestKv::new();
    let throttle = LoginThrottle::new(kv.handle());
    for failures in 1..=4 {
        assert_eq!(
            throttle.attempt("mfa", "a", RULE).await.unwrap(),
            Attempt::Admitted { failures }
        );
    }
    for failures in 4..=16 {
        let wait = backoff(failures, RULE.free, RULE.ceiling);
        set_record(&kv.handle(), "b", failures, Duration::ZERO).await;
        let Attempt::Wait(left) = throttle.attempt("mfa", "b", RULE).await.unwrap() else {
            panic!("{failures} failures must wait");
        };
        assert!(
            left <= wait && left + Duration::from_millis(500) > wait,
            "{failures}: {left:?} of {wait:?}"
        );
        set_record(&kv.handle(), "b", failures, wait + Duration::from_millis(5)).await;
        assert_eq!(
            throttle.attempt("mfa", "b", RULE).await.unwrap(),
            Attempt::Admitted {
                failures: failures + 1
            },
            "after its wait"
        );
    }
    throttle.clear("mfa", "b").await.unwrap();
    assert_eq!(
        throttle.attempt("mfa", "b", RULE).await.unwrap(),
        Attempt::Admitted { failures: 1 }
    );
}

#[tokio::test]
async fn tries_made_at_once_pass_no_more_than_the_free_ones_and_one() {
    let kv = TestKv::new();
    let throttle = LoginThrottle::new(kv.handle());
    let mut tries = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let throttle = throttle.clone();
        tries.spawn(async move { throttle.attempt("mfa", "burst", RULE).await.unwrap() });
    }
    let answers = tries.join_all().await;
    let admitted = answers
        .iter()
        .filter(|answer| matches!(answer, Attempt::Admitted { .. }))
        .count();
    assert_eq!(admitted, 4, "{answers:?}");
}
