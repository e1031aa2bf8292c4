//! Whole RDB files between CacheLab and a real redis-server 7.0, both ways:
//! an engine's keyspace saved with `rdb::keyspace::save` must load in
//! redis-server (`--dbfilename`), and a redis-server `SAVE` must load with
//! `rdb::keyspace::load`; either way every key reads the same on both sides.
//!
//! Without redis-server the test prints a notice and passes, unless
//! `CACHELAB_REQUIRE_ALL=1`.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use cachelab_core::rdb::keyspace;
use cachelab_core::{cli, Client, Engine};
use cachelab_tests::resp::Connection;
use cachelab_tests::servers::{self, RedisServer};

/// (database, command) pairs that build the data set.
const SETUP: &[(usize, &str)] = &[
    (0, "SET str hello"),
    (0, "SET num 12345"),
    (0, "SET ttl v PX 3600000"),
    (
        0,
        "SET long abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc",
    ),
    (0, "RPUSH list a 1 -2 300000 hello"),
    (0, "HSET hash f v n 12"),
    (0, "SADD ints 5 -1 70000"),
    (0, "SADD strs apple banana cherry"),
    (0, "ZADD zset 1 a 2.5 b -3 c"),
    (0, "XADD stream 1-1 f v"),
    (0, "XADD stream 2-1 f w g x"),
    (0, "XGROUP CREATE stream g 0"),
    (3, "SET other-db yes"),
    (3, "ZADD z3 1 x"),
    (15, "RPUSH last 1 2 3"),
];

/// (database, read command) pairs compared after loading.
const READS: &[(usize, &str)] = &[
    (0, "DBSIZE"),
    (0, "GET str"),
    (0, "OBJECT ENCODING num"),
    (0, "GET long"),
    (0, "LRANGE list 0 -1"),
    (0, "HGETALL hash"),
    (0, "SORT ints"),
    (0, "SORT strs ALPHA"),
    (0, "OBJECT ENCODING strs"),
    (0, "ZRANGE zset 0 -1 WITHSCORES"),
    (0, "XRANGE stream - +"),
    (0, "XINFO GROUPS stream"),
    (3, "DBSIZE"),
    (3, "GET other-db"),
    (3, "ZRANGE z3 0 -1 WITHSCORES"),
    (15, "LRANGE last 0 -1"),
];

fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

struct Local {
    engine: Engine,
    client: Client,
}

impl Local {
    fn new() -> Local {
        let mut engine = Engine::new();
        let client = engine.new_client();
        Local { engine, client }
    }

    fn run(&mut self, db: usize, line: &str) -> Vec<u8> {
        let select = vec![b"SELECT".to_vec(), db.to_string().into_bytes()];
        self.engine.execute(&mut self.client, select, now_us());
        let argv = cli::tokenize(line).expect("valid line");
        self.engine
            .execute(&mut self.client, argv, now_us())
            .to_resp()
    }
}

fn remote(conn: &mut Connection, db: usize, line: &str) -> Vec<u8> {
    let select = vec![b"SELECT".to_vec(), db.to_string().into_bytes()];
    conn.call(&select).expect("SELECT");
    let argv = cli::tokenize(line).expect("valid line");
    conn.call(&argv).expect("server answers").raw
}

fn compare(local: &mut Local, conn: &mut Connection, direction: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for &(db, line) in READS {
        let ours = local.run(db, line);
        let theirs = remote(conn, db, line);
        if ours != theirs {
            problems.push(format!(
                "{direction}: db {db} `{line}`\n  cachelab: {}\n  redis:    {}",
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            ));
        }
    }
    for (side, reply) in [
        ("cachelab", local.run(0, "PTTL ttl")),
        ("redis", remote(conn, 0, "PTTL ttl")),
    ] {
        let text = String::from_utf8_lossy(&reply);
        let ms: i64 = text.trim_start_matches(':').trim().parse().unwrap_or(-9);
        if !(3_590_000..=3_600_000).contains(&ms) {
            problems.push(format!("{direction}: PTTL ttl on {side} is {ms}"));
        }
    }
    problems
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cachelab-rdb-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn rdb_files_load_on_both_sides() {
    if !servers::redis_server_path().exists() {
        servers::skip_without_redis("RDB file test");
        return;
    }
    let dir = scratch_dir();
    let dir_arg = dir.to_string_lossy().to_string();
    let mut problems = Vec::new();

    // CacheLab writes, redis-server loads.
    let mut local = Local::new();
    for &(db, line) in SETUP {
        local.run(db, line);
    }
    let bytes = keyspace::save(&local.engine, now_us() / 1000);
    std::fs::write(dir.join("ours.rdb"), &bytes).expect("write rdb");
    {
        let redis = RedisServer::start_with(&["--dir", &dir_arg, "--dbfilename", "ours.rdb"])
            .expect("redis-server starts")
            .expect("redis-server exists");
        let mut conn = Connection::connect(redis.addr).expect("connects");
        problems.extend(compare(&mut local, &mut conn, "cachelab -> redis"));
    }

    // redis-server writes (SAVE), CacheLab loads.
    {
        let redis = RedisServer::start_with(&["--dir", &dir_arg, "--dbfilename", "theirs.rdb"])
            .expect("redis-server starts")
            .expect("redis-server exists");
        let mut conn = Connection::connect(redis.addr).expect("connects");
        for &(db, line) in SETUP {
            remote(&mut conn, db, line);
        }
        remote(&mut conn, 0, "SAVE");
        let bytes = std::fs::read(dir.join("theirs.rdb")).expect("redis wrote its file");
        let mut fresh = Local::new();
        keyspace::load(&mut fresh.engine, &bytes, now_us() / 1000).expect("we load it");
        problems.extend(compare(&mut fresh, &mut conn, "redis -> cachelab"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
