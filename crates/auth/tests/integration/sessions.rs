//! The session registry against a real Redis.

use std::time::Duration;

use auth::Audience;
use auth::sessions::{NewSession, SessionRegistry};
use chrono::{TimeDelta, TimeZone, Utc};
use testkit::{TcpProxy, TestKv, redirect_url, socket_address_of};

const LIMIT: usize = 5;

fn registry(kv: persistence::Kv) -> SessionRegistry {
    SessionRegistry::new(kv, LIMIT, Duration::from_secs(14 * 24 * 3600))
}

fn login(user_id: &str) -> NewSession<'_> {
    NewSession {
        user_id,
        audience: Audience::Service,
        device_hash: "device",
        ip: "203.0.113.7",
        user_agent: "test",
    }
}

fn at(second: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap() + TimeDelta::seconds(second)
}

#[tokio::test]
async fn the_sixth_session_evicts_the_oldest() {
    let kv = TestKv::new();
    let sessions = registry(kv.handle());
    let mut ids = Vec::new();
    for second in 0..5 {
        let (id, evicted) = sessions.create(&login("u1"), at(second)).await.unwrap();
        assert!(evicted.is_empty());
        ids.push(id);
    }
    let (sixth, evicted) = sessions.create(&login("u1"), at(5)).await.unwrap();
    assert_eq!(evicted, vec![ids[0].clone()]);
    assert!(!sessions.is_live("u1", &ids[0]).await.unwrap());
    assert!(sessions.is_live("u1", &sixth).await.unwrap());
    let listed: Vec<String> = sessions
        .list("u1")
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, [&ids[1..], &[sixth]].concat());
    // Other users are untouched.
    let (other, _) = sessions.create(&login("u2"), at(0)).await.unwrap();
    assert!(sessions.is_live("u2", &other).await.unwrap());
}

#[tokio::test]
async fn concurrent_logins_never_leave_more_than_the_limit() {
    let kv = TestKv::new();
    let sessions = registry(kv.handle());
    let logins: Vec<_> = (0..12)
        .map(|second| {
            let sessions = sessions.clone();
            tokio::spawn(async move { sessions.create(&login("u1"), at(second)).await.unwrap() })
        })
        .collect();
    let mut created = Vec::new();
    for login in logins {
        created.push(login.await.unwrap());
    }
    let live = sessions.list("u1").await.unwrap();
    assert_eq!(live.len(), LIMIT);
    // The survivors are the five newest, whatever order the logins landed in.
    let newest: Vec<_> = live.iter().map(|s| s.created_at).collect();
    assert_eq!(newest, (7..12).map(at).collect::<Vec<_>>());
    let evicted: usize = created.iter().map(|(_, evicted)| evicted.len()).sum();
    assert_eq!(evicted, 12 - LIMIT);
}

#[tokio::test]
async fn a_logout_on_one_instance_is_honoured_by_another_at_once() {
    let kv = TestKv::new();
    let first_replica = registry(kv.handle());
    let second_replica = registry(kv.handle());
    let (id, _) = first_replica
        .create(&login("u1"), Utc::now())
        .await
        .unwrap();
    assert!(second_replica.is_live("u1", &id).await.unwrap());
    assert!(first_replica.revoke("u1", &id).await.unwrap());
    assert!(!second_replica.is_live("u1", &id).await.unwrap());
    assert!(
        !first_replica.revoke("u1", &id).await.unwrap(),
        "already gone"
    );
}

#[tokio::test]
async fn revoke_all_ends_every_session_and_touch_records_activity() {
    let kv = TestKv::new();
    let sessions = registry(kv.handle());
    let (first, _) = sessions.create(&login("u1"), at(0)).await.unwrap();
    assert!(
        sessions
            .touch("u1", &first, "198.51.100.1", at(60))
            .await
            .unwrap()
    );
    let info = &sessions.list("u1").await.unwrap()[0];
    assert_eq!(
        (info.ip.as_str(), info.last_seen_at, info.created_at),
        ("198.51.100.1", at(60), at(0))
    );
    sessions.create(&login("u1"), at(1)).await.unwrap();
    assert_eq!(sessions.revoke_all("u1").await.unwrap(), 2);
    assert!(sessions.list("u1").await.unwrap().is_empty());
    assert!(!sessions.touch("u1", &first, "x", at(90)).await.unwrap());
    assert!(kv.keys().is_empty(), "nothing left behind: {:?}", kv.keys());
}

#[tokio::test]
async fn every_key_lives_under_the_prefix_and_expires() {
    let kv = TestKv::new();
    let sessions = registry(kv.handle());
    sessions.create(&login("u1"), Utc::now()).await.unwrap();
    let keys = kv.keys();
    assert_eq!(keys.len(), 2);
    let mut conn = redis::Client::open(kv.url())
        .unwrap()
        .get_connection()
        .unwrap();
    for key in keys {
        let ttl: i64 = redis::cmd("TTL").arg(&key).query(&mut conn).unwrap();
        assert!(ttl > 0 && ttl <= 14 * 24 * 3600, "{key}: {ttl}");
    }
}

#[tokio::test]
async fn with_redis_unreachable_the_check_fails_closed() {
    let kv = TestKv::new();
    let proxy = TcpProxy::start(socket_address_of(kv.url())).await;
    let sessions = registry(kv.handle_at(&redirect_url(kv.url(), proxy.address())));
    let (id, _) = sessions.create(&login("u1"), Utc::now()).await.unwrap();
    assert!(sessions.is_live("u1", &id).await.unwrap());
    proxy.cut();
    assert!(
        sessions.is_live("u1", &id).await.is_err(),
        "an error, never a yes"
    );
}
