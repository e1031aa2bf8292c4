//! Replication differential tests: every `tests/replication/*.redis` script runs on
//! a real redis-server and on cachelab-server, each with a replica attached through
//! SYNC. The replies must match (as in the differential tests), and so must the
//! replication streams, command by command, with unix times in ms masked (the two
//! servers run a few milliseconds apart).
//!
//! Environment: as `differential.rs` (`CACHELAB_REDIS_SERVER`, `CACHELAB_SERVER_BIN`,
//! `CACHELAB_REQUIRE_ALL`, and `CACHELAB_SCRIPT` to pick scripts by name).

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use cachelab_tests::diff;
use cachelab_tests::replica::{masked, ReplicaStream};
use cachelab_tests::resp::Connection;
use cachelab_tests::servers::{CachelabServer, RedisServer};

/// The stream is complete once nothing arrives for this long.
const QUIET: Duration = Duration::from_millis(300);

/// Keeps the replicas' stream free of PINGs, as Redis's own tests do.
fn quiet_pings(addr: SocketAddr) -> Result<(), String> {
    let mut conn = Connection::connect(addr).map_err(|e| format!("connect: {e}"))?;
    conn.call_str(&["CONFIG", "SET", "repl-ping-replica-period", "3600"])
        .map_err(|e| format!("CONFIG SET: {e}"))?;
    Ok(())
}

/// Runs one script with replicas attached; returns every difference found.
fn run(name: &str, src: &str, redis: SocketAddr, cachelab: SocketAddr) -> Vec<String> {
    let mut problems = Vec::new();
    let mut attach = |addr: SocketAddr, who: &str| -> Option<ReplicaStream> {
        if let Err(e) = quiet_pings(addr) {
            problems.push(format!("{name}: {who}: {e}"));
            return None;
        }
        match ReplicaStream::attach(addr) {
            Ok((stream, rdb)) if rdb.starts_with(b"REDIS") => Some(stream),
            Ok(_) => {
                problems.push(format!("{name}: {who}: the snapshot is not an RDB file"));
                None
            }
            Err(e) => {
                problems.push(format!("{name}: {who}: SYNC failed: {e}"));
                None
            }
        }
    };
    let (Some(mut redis_stream), Some(mut cachelab_stream)) =
        (attach(redis, "redis"), attach(cachelab, "cachelab"))
    else {
        return problems;
    };
    match diff::run_script(name, src, redis, cachelab) {
        Ok(outcome) => problems.extend(outcome.mismatches.iter().map(|m| m.to_string())),
        Err(e) => problems.push(e),
    }
    let mut read = |stream: &mut ReplicaStream, who: &str| -> Vec<String> {
        match stream.read_until_quiet(QUIET) {
            Ok(cmds) => cmds.iter().map(|c| masked(c)).collect(),
            Err(e) => {
                problems.push(format!("{name}: {who}: reading the stream: {e}"));
                Vec::new()
            }
        }
    };
    let r = read(&mut redis_stream, "redis");
    let c = read(&mut cachelab_stream, "cachelab");
    if r != c {
        let mut report = format!("{name}: the replication streams differ\n");
        let missing = "<nothing>".to_string();
        for i in 0..r.len().max(c.len()) {
            let (a, b) = (r.get(i).unwrap_or(&missing), c.get(i).unwrap_or(&missing));
            let mark = if a == b { "  " } else { "!!" };
            report.push_str(&format!("  {mark} redis: {a}\n     cachelab: {b}\n"));
        }
        problems.push(report);
    }
    problems
}

#[test]
fn replication_streams_match_real_redis() {
    let Some(redis) = RedisServer::start_or_skip("replication tests") else {
        return;
    };
    let cachelab =
        CachelabServer::start().unwrap_or_else(|e| panic!("could not start cachelab-server: {e}"));

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/replication");
    let files = cachelab_tests::script::files(&dir);
    assert!(!files.is_empty(), "no scripts in {}", dir.display());
    let filter = std::env::var("CACHELAB_SCRIPT").unwrap_or_default();

    let mut problems = Vec::new();
    let mut ran = 0;
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !name.contains(&filter) {
            continue;
        }
        let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        problems.extend(run(&name, &src, redis.addr, cachelab.addr));
        ran += 1;
    }
    eprintln!(
        "replication scripts run: {ran}, problems: {}",
        problems.len()
    );
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
