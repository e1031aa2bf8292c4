//! INFO commandstats and errorstats: what each kind of call counts as.

use cachelab_core::engine::Exec;
use cachelab_core::{cli, Engine, Reply};

const T0: u64 = 1_700_000_000_000_000;

fn args(line: &str) -> Vec<Vec<u8>> {
    cli::tokenize(line).expect("test lines are well quoted")
}

/// The `cmdstat_<name>` line's value, if the command has one.
fn cmdstat(e: &mut Engine, name: &str) -> Option<String> {
    let mut c = e.new_client();
    let Reply::Bulk(info) = e.execute(&mut c, args("INFO commandstats"), T0) else {
        panic!("INFO answers with a bulk string");
    };
    let info = String::from_utf8(info.into_vec()).expect("INFO is text");
    let prefix = format!("cmdstat_{name}:");
    info.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(str::to_string)
}

fn line(calls: u64, rejected: u64, failed: u64) -> Option<String> {
    Some(format!(
        "calls={calls},usec=0,usec_per_call=0.00,rejected_calls={rejected},failed_calls={failed}"
    ))
}

#[test]
fn calls_rejections_and_failures_are_counted_per_command() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    for l in [
        "SET k v",
        "GET k",
        "GET k",
        "LPUSH k x",
        "GET",
        "GET a b",
        "CONFIG GET maxmemory",
    ] {
        e.execute(&mut c, args(l), T0);
    }
    assert_eq!(cmdstat(&mut e, "set"), line(1, 0, 0));
    assert_eq!(cmdstat(&mut e, "get"), line(2, 2, 0));
    assert_eq!(cmdstat(&mut e, "lpush"), line(1, 0, 1));
    assert_eq!(cmdstat(&mut e, "config|get"), line(1, 0, 0));
    assert_eq!(cmdstat(&mut e, "info"), line(4, 0, 0));
    // Unknown commands have no line; CONFIG RESETSTAT clears them all.
    e.execute(&mut c, args("NOSUCH x"), T0);
    e.execute(&mut c, args("CONFIG RESETSTAT"), T0);
    assert_eq!(cmdstat(&mut e, "set"), None);
    assert_eq!(cmdstat(&mut e, "info"), line(1, 0, 0));
}

#[test]
fn transactions_count_each_queued_command_and_a_spoiled_exec_fails() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    for l in ["MULTI", "INCR n", "SET", "EXEC"] {
        e.execute(&mut c, args(l), T0);
    }
    assert_eq!(cmdstat(&mut e, "set"), line(0, 1, 0));
    assert_eq!(cmdstat(&mut e, "incr"), None, "discarded, never run");
    // EXEC itself runs and answers EXECABORT: a failed call (as in Redis 7.0).
    assert_eq!(cmdstat(&mut e, "exec"), line(1, 0, 1));
    for l in ["SET s x", "MULTI", "INCR n", "INCR s", "EXEC"] {
        e.execute(&mut c, args(l), T0);
    }
    assert_eq!(cmdstat(&mut e, "incr"), line(2, 0, 1));
    assert_eq!(cmdstat(&mut e, "set"), line(1, 1, 0));
    assert_eq!(cmdstat(&mut e, "exec"), line(2, 0, 1));
}

#[test]
fn a_blocked_command_counts_once_when_it_is_answered() {
    let mut e = Engine::new();
    let mut waiter = e.new_client();
    let mut other = e.new_client();
    let exec = e.execute_blocking(&mut waiter, args("BLPOP q 0"), T0);
    assert_eq!(exec, Exec::Blocked);
    assert_eq!(cmdstat(&mut e, "blpop"), None);
    e.execute(&mut other, args("RPUSH q a"), T0);
    assert_eq!(e.take_unblocked().len(), 1);
    assert_eq!(cmdstat(&mut e, "blpop"), line(1, 0, 0));
    // Timing out counts as an answered call; a stream group destroyed under a
    // blocked XREADGROUP is a failed one.
    e.execute_blocking(&mut waiter, args("BLPOP q 1"), T0);
    e.expire_blocked(T0 + 2_000_000);
    assert_eq!(e.take_unblocked(), vec![(waiter.id, Reply::NilArray)]);
    assert_eq!(cmdstat(&mut e, "blpop"), line(2, 0, 0));
    e.execute(&mut other, args("XGROUP CREATE s g $ MKSTREAM"), T0);
    e.execute_blocking(
        &mut waiter,
        args("XREADGROUP GROUP g c BLOCK 0 STREAMS s >"),
        T0,
    );
    e.execute(&mut other, args("XGROUP DESTROY s g"), T0);
    assert_eq!(e.take_unblocked().len(), 1);
    assert_eq!(cmdstat(&mut e, "xreadgroup"), line(1, 0, 1));
}
