//! Criterion benchmarks of the engine alone (no sockets, no RESP), through
//! `Engine::execute` exactly as the server and the browser call it, argv
//! allocation included.
//!
//! - `commands/{set,get,incr}`: one command on a 100k-key keyspace.
//! - `zset/{zadd,zrank}/N`: per-op time on a sorted set of N = 1k, 10k, 100k and
//!   1M members, to show O(log N) scaling. ZADD updates the score of a random
//!   existing member (skiplist delete + insert), so N stays put; ZRANK looks a
//!   random member up. Each set is built once, outside the timed loop.
//!
//! `cargo bench -p cachelab-core --bench engine`; `cargo xtask bench` runs it and
//! prints the scaling table from criterion's estimates. Runtime is kept modest
//! (10 samples, 1-2 s measurement windows): these are trends, not audits.

use std::hint::black_box;
use std::time::Duration;

use cachelab_core::{Client, Engine, Reply};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// A fixed "now": nothing in these benchmarks expires.
const NOW_US: u64 = 1_700_000_000_000_000;

/// Keys in the string keyspace (like `redis-benchmark -r 100000`).
const KEYSPACE: u64 = 100_000;

/// Sorted-set sizes for the scaling table.
const ZSET_SIZES: [u64; 4] = [1_000, 10_000, 100_000, 1_000_000];

/// Members per ZADD while building a set.
const BUILD_BATCH: u64 = 1_000;

/// xorshift64*: cheap, deterministic, good enough to pick keys.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

fn exec(engine: &mut Engine, client: &mut Client, argv: Vec<Vec<u8>>) -> Reply {
    let reply = engine.execute(client, argv, NOW_US);
    debug_assert!(!reply.is_error(), "{reply:?}");
    reply
}

fn commands(c: &mut Criterion) {
    let mut engine = Engine::new();
    let mut client = engine.new_client();
    for i in 0..KEYSPACE {
        let argv = vec![
            b"SET".to_vec(),
            format!("key:{i:012}").into_bytes(),
            b"xxx".to_vec(),
        ];
        exec(&mut engine, &mut client, argv);
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut group = c.benchmark_group("commands");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    group.bench_function("set", |b| {
        b.iter(|| {
            let key = format!("key:{:012}", rng.below(KEYSPACE)).into_bytes();
            let argv = vec![b"SET".to_vec(), key, b"xxx".to_vec()];
            black_box(exec(&mut engine, &mut client, argv))
        })
    });
    group.bench_function("get", |b| {
        b.iter(|| {
            let key = format!("key:{:012}", rng.below(KEYSPACE)).into_bytes();
            black_box(exec(&mut engine, &mut client, vec![b"GET".to_vec(), key]))
        })
    });
    group.bench_function("incr", |b| {
        b.iter(|| {
            let key = format!("counter:{:012}", rng.below(KEYSPACE)).into_bytes();
            black_box(exec(&mut engine, &mut client, vec![b"INCR".to_vec(), key]))
        })
    });
    group.finish();
}

fn member(i: u64) -> Vec<u8> {
    format!("member:{i}").into_bytes()
}

/// An engine holding sorted set `z` with members `member:0..n`, scores 0..n.
fn zset_of(n: u64) -> (Engine, Client) {
    let mut engine = Engine::new();
    let mut client = engine.new_client();
    let mut start = 0;
    while start < n {
        let end = (start + BUILD_BATCH).min(n);
        let mut argv = vec![b"ZADD".to_vec(), b"z".to_vec()];
        for i in start..end {
            argv.push(i.to_string().into_bytes());
            argv.push(member(i));
        }
        exec(&mut engine, &mut client, argv);
        start = end;
    }
    let card = exec(
        &mut engine,
        &mut client,
        vec![b"ZCARD".to_vec(), b"z".to_vec()],
    );
    assert_eq!(card, Reply::Integer(n as i64));
    (engine, client)
}

fn zset(c: &mut Criterion) {
    let mut group = c.benchmark_group("zset");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for n in ZSET_SIZES {
        let (mut engine, mut client) = zset_of(n);
        group.bench_with_input(BenchmarkId::new("zadd", n), &n, |b, &n| {
            b.iter(|| {
                let score = rng.below(n).to_string().into_bytes();
                let argv = vec![b"ZADD".to_vec(), b"z".to_vec(), score, member(rng.below(n))];
                black_box(exec(&mut engine, &mut client, argv))
            })
        });
        group.bench_with_input(BenchmarkId::new("zrank", n), &n, |b, &n| {
            b.iter(|| {
                let argv = vec![b"ZRANK".to_vec(), b"z".to_vec(), member(rng.below(n))];
                black_box(exec(&mut engine, &mut client, argv))
            })
        });
        // The set is dropped here, before the next (bigger) one is built.
    }
    group.finish();
}

criterion_group!(benches, commands, zset);
criterion_main!(benches);
