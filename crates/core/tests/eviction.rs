//! maxmemory with Redis's approximated LRU eviction.

use cachelab_core::{cli, Client, Engine};

const T0: u64 = 1_700_000_000_000_000;

fn run(e: &mut Engine, c: &mut Client, line: &str, now: u64) -> String {
    cli::format_reply(&e.execute(c, cli::tokenize(line).expect("quoted"), now))
}

/// An engine 20 kB over its baseline memory under `policy`, sampling 10 keys per
/// eviction; and the limit.
fn limited(policy: &str) -> (Engine, Client, u64) {
    let mut e = Engine::new();
    let mut c = e.new_client();
    let limit = e.used_memory() + 20_000;
    run(&mut e, &mut c, &format!("CONFIG SET maxmemory {limit}"), T0);
    run(
        &mut e,
        &mut c,
        &format!("CONFIG SET maxmemory-policy {policy}"),
        T0,
    );
    run(&mut e, &mut c, "CONFIG SET maxmemory-samples 10", T0);
    (e, c, limit)
}

#[test]
fn allkeys_lru_keeps_memory_under_the_limit_and_prefers_cold_keys() {
    let (mut e, mut c, limit) = limited("allkeys-lru");
    let value = "x".repeat(100);
    // A hot key, read on every step, among many cold ones.
    run(&mut e, &mut c, &format!("SET hot {value}"), T0);
    for i in 0..1000u64 {
        let now = T0 + (i + 1) * 1000;
        run(&mut e, &mut c, &format!("SET cold:{i} {value}"), now);
        assert_eq!(
            run(&mut e, &mut c, "GET hot", now),
            format!("\"{value}\""),
            "hot key evicted at step {i}"
        );
    }
    assert!(e.used_memory() <= limit);
    assert!(
        e.stats().evicted_keys > 800,
        "evicted {}",
        e.stats().evicted_keys
    );
    let info = run(&mut e, &mut c, "INFO stats", T0 + 2_000_000);
    assert!(info.contains(&format!("evicted_keys:{}", e.stats().evicted_keys)));
}

#[test]
fn noeviction_refuses_writes_over_the_limit() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    let limit = e.used_memory() + 1_000;
    run(&mut e, &mut c, &format!("CONFIG SET maxmemory {limit}"), T0);
    let big = "y".repeat(2_000);
    assert_eq!(run(&mut e, &mut c, &format!("SET a {big}"), T0), "OK");
    assert_eq!(
        run(&mut e, &mut c, "SET b 1", T0),
        "(error) OOM command not allowed when used memory > 'maxmemory'."
    );
    assert_eq!(run(&mut e, &mut c, "GET b", T0), "(nil)");
    assert_eq!(run(&mut e, &mut c, "DEL a", T0), "(integer) 1");
    assert_eq!(run(&mut e, &mut c, "SET b 1", T0), "OK");
}

/// A key read often long ago, then never again, among a stream of new keys that are
/// never read: LFU keeps it (its counter is high), LRU evicts it (it is the oldest).
fn often_read_long_ago_survives(policy: &str) -> bool {
    let (mut e, mut c, _) = limited(policy);
    run(&mut e, &mut c, "CONFIG SET lfu-decay-time 0", T0);
    let value = "x".repeat(100);
    run(&mut e, &mut c, &format!("SET popular {value}"), T0);
    for _ in 0..300 {
        run(&mut e, &mut c, "GET popular", T0);
    }
    for i in 0..1000u64 {
        let now = T0 + (i + 1) * 1000;
        run(&mut e, &mut c, &format!("SET new:{i} {value}"), now);
    }
    // (Eviction runs before each write, so the last SET may end a little over.)
    assert!(
        e.stats().evicted_keys > 800,
        "{policy}: evicted {}",
        e.stats().evicted_keys
    );
    run(&mut e, &mut c, "EXISTS popular", T0 + 2_000_000) == "(integer) 1"
}

#[test]
fn allkeys_lfu_evicts_the_least_frequently_used() {
    assert!(often_read_long_ago_survives("allkeys-lfu"));
    assert!(!often_read_long_ago_survives("allkeys-lru"));
}

#[test]
fn lfu_counters_grow_logarithmically_and_decay() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    run(
        &mut e,
        &mut c,
        "CONFIG SET maxmemory-policy allkeys-lfu",
        T0,
    );
    run(&mut e, &mut c, "SET k v", T0);
    assert_eq!(run(&mut e, &mut c, "OBJECT FREQ k", T0), "(integer) 5");
    run(&mut e, &mut c, "GET k", T0);
    assert_eq!(run(&mut e, &mut c, "OBJECT FREQ k", T0), "(integer) 6");
    for _ in 0..1000 {
        run(&mut e, &mut c, "GET k", T0);
    }
    // ~1000 more reads: the counter's growth slows as it rises.
    let freq: i64 = run(&mut e, &mut c, "OBJECT FREQ k", T0)
        .trim_start_matches("(integer) ")
        .parse()
        .expect("an integer");
    assert!((15..=40).contains(&freq), "counter {freq}");
    // One step of decay per idle minute (lfu-decay-time 1).
    let later = T0 + 3 * 60 * 1_000_000;
    assert_eq!(
        run(&mut e, &mut c, "OBJECT FREQ k", later),
        format!("(integer) {}", freq - 3)
    );
}
