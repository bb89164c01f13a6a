//! Time per argon2id hash and verification at the configured default cost,
//! with a cheap-parameter run in the same process as the baseline.
//! `cargo run --release -p auth --example argon2_cost [N]`
#![expect(clippy::unwrap_used, reason = "a measurement script")]

use std::time::Instant;

use auth::password::{Argon2Settings, PasswordHasher};

fn per_hash_ms(settings: Argon2Settings, rounds: u32) -> (f64, f64) {
    let hasher = PasswordHasher::new(settings).unwrap();
    let started = Instant::now();
    let mut last = String::new();
    for _ in 0..rounds {
        last = hasher.hash("correct horse battery staple").unwrap();
    }
    let hash_ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds);
    let started = Instant::now();
    for _ in 0..rounds {
        assert!(hasher.verify("correct horse battery staple", &last));
    }
    (
        hash_ms,
        started.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds),
    )
}

fn main() {
    let rounds: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let defaults = Argon2Settings::default();
    let baseline = Argon2Settings {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
    };
    let (base_hash, _) = per_hash_ms(baseline, rounds);
    let (hash, verify) = per_hash_ms(defaults, rounds);
    println!(
        "argon2id m={} KiB, t={}, p={}: {hash:.1} ms per hash, {verify:.1} ms per verify ({rounds} rounds)",
        defaults.memory_kib, defaults.iterations, defaults.parallelism
    );
    println!(
        "baseline m=1024 KiB, t=1, p=1: {base_hash:.1} ms per hash; default/baseline = x{:.1}",
        hash / base_hash
    );
}
