//! Differential tests: every `tests/scripts/**/*.redis` script runs on a real
//! redis-server and on cachelab-server, and every reply must match byte for byte
//! (unless a directive in the script says otherwise; see `cachelab_tests::script`).
//!
//! Environment:
//! - `CACHELAB_REDIS_SERVER`: the redis-server binary (default `/usr/bin/redis-server`).
//!   Missing: the test prints a notice and passes, unless `CACHELAB_REQUIRE_ALL=1`.
//! - `CACHELAB_SERVER_BIN`: run this cachelab-server binary instead of serving in-process.
//! - `CACHELAB_SCRIPT`: only run scripts whose file name contains this text.

use std::path::Path;

use cachelab_tests::diff::{self, Outcome};
use cachelab_tests::resp::{Connection, Value};
use cachelab_tests::script;
use cachelab_tests::servers::{CachelabServer, RedisServer};

/// Warns when the reference server is not the Redis version we mirror.
fn check_version(redis: &RedisServer) {
    let Ok(mut conn) = Connection::connect(redis.addr) else {
        return;
    };
    let Ok(reply) = conn.call_str(&["INFO", "server"]) else {
        return;
    };
    let Value::Bulk(Some(text)) = reply.value else {
        return;
    };
    let text = String::from_utf8_lossy(&text);
    let version = text
        .lines()
        .find_map(|l| l.strip_prefix("redis_version:"))
        .unwrap_or("?");
    if !version.starts_with("7.0.") {
        eprintln!("warning: the reference redis-server is {version}; CacheLab mirrors 7.0.15");
    }
}

#[test]
fn scripts_match_real_redis() {
    let Some(redis) = RedisServer::start_or_skip("differential tests") else {
        return;
    };
    check_version(&redis);
    let cachelab =
        CachelabServer::start().unwrap_or_else(|e| panic!("could not start cachelab-server: {e}"));

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts");
    let files = script::files(&dir);
    assert!(!files.is_empty(), "no scripts in {}", dir.display());
    let filter = std::env::var("CACHELAB_SCRIPT").unwrap_or_default();

    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut broken = Vec::new();
    for path in &files {
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
        if !name.contains(&filter) {
            continue;
        }
        let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        match diff::run_script(&name, &src, redis.addr, cachelab.addr) {
            Ok(o) => outcomes.push(o),
            Err(e) => broken.push(e),
        }
    }

    let mut total = (0, 0, 0);
    eprintln!(
        "{:<28} {:>9} {:>8} {:>11}",
        "script", "compared", "ignored", "mismatches"
    );
    for o in &outcomes {
        eprintln!(
            "{:<28} {:>9} {:>8} {:>11}",
            o.script,
            o.compared,
            o.ignored,
            o.mismatches.len()
        );
        total.0 += o.compared;
        total.1 += o.ignored;
        total.2 += o.mismatches.len();
    }
    eprintln!(
        "{:<28} {:>9} {:>8} {:>11}",
        "total", total.0, total.1, total.2
    );

    let mut report = String::new();
    for o in &outcomes {
        for m in &o.mismatches {
            report.push_str(&format!("{m}\n"));
        }
    }
    for e in &broken {
        report.push_str(&format!("could not run: {e}\n"));
    }
    assert!(
        report.is_empty(),
        "{} mismatch(es) with redis-server, {} script(s) not run:\n{report}",
        total.2,
        broken.len()
    );
}

/// COMMAND INFO for every command and subcommand cachelab implements must
/// match redis-server's, element by element, so the table can't drift from
/// Redis (subcommands compared by name: Redis lists them in dict order, and
/// lists the ones we don't implement).
#[test]
fn command_info_matches_real_redis_for_every_command() {
    let Some(redis) = RedisServer::start_or_skip("COMMAND INFO comparison") else {
        return;
    };
    let cachelab =
        CachelabServer::start().unwrap_or_else(|e| panic!("could not start cachelab-server: {e}"));
    let mut theirs = Connection::connect(redis.addr).expect("connect to redis-server");
    let mut ours = Connection::connect(cachelab.addr).expect("connect to cachelab-server");
    let Value::Array(Some(names)) = ours
        .call_str(&["COMMAND", "LIST"])
        .expect("COMMAND LIST")
        .value
    else {
        panic!("COMMAND LIST is not an array");
    };
    let info = |conn: &mut Connection, name: &[u8]| {
        let argv = [b"COMMAND".to_vec(), b"INFO".to_vec(), name.to_vec()];
        match conn.call(&argv).expect("COMMAND INFO").value {
            Value::Array(Some(mut v)) if v.len() == 1 => v.remove(0),
            other => panic!("COMMAND INFO {}: {other:?}", String::from_utf8_lossy(name)),
        }
    };
    let mut mismatches = Vec::new();
    for name in &names {
        let Value::Bulk(Some(name)) = name else {
            panic!("COMMAND LIST item {name:?}");
        };
        compare_command_info(
            &info(&mut theirs, name),
            &info(&mut ours, name),
            &mut mismatches,
        );
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} commands differ from redis-server:\n{}",
        mismatches.len(),
        names.len(),
        mismatches.join("\n")
    );
}

fn compare_command_info(theirs: &Value, ours: &Value, mismatches: &mut Vec<String>) {
    let (Value::Array(Some(t)), Value::Array(Some(o))) = (theirs, ours) else {
        if theirs != ours {
            mismatches.push(format!("redis: {theirs:?}\n  ours: {ours:?}"));
        }
        return;
    };
    let name = o
        .first()
        .map(|n| String::from_utf8_lossy(&n.encode()).trim().to_string());
    for i in 0..9 {
        if t.get(i) != o.get(i) {
            mismatches.push(format!(
                "{name:?} element {}:\n  redis: {:?}\n  ours:  {:?}",
                i + 1,
                t.get(i),
                o.get(i)
            ));
        }
    }
    let subs = |v: &[Value]| match v.get(9) {
        Some(Value::Array(Some(subs))) => subs.clone(),
        _ => Vec::new(),
    };
    let their_subs = subs(t);
    for sub in subs(o) {
        let Value::Array(Some(fields)) = &sub else {
            continue;
        };
        match their_subs.iter().find(|s| match s {
            Value::Array(Some(f)) => f.first() == fields.first(),
            _ => false,
        }) {
            Some(theirs) => compare_command_info(theirs, &sub, mismatches),
            None => mismatches.push(format!("{:?}: not a Redis subcommand", fields.first())),
        }
    }
}
