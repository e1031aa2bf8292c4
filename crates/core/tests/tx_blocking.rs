//! Transactions and blocking commands between clients, through the engine API.

use cachelab_core::engine::Exec;
use cachelab_core::{cli, Client, Engine, Reply};

const T0: u64 = 1_700_000_000_000_000;

fn args(line: &str) -> Vec<Vec<u8>> {
    cli::tokenize(line).expect("test lines are well quoted")
}

fn run(e: &mut Engine, c: &mut Client, line: &str) -> String {
    cli::format_reply(&e.execute(c, args(line), T0))
}

#[test]
fn multi_exec_queues_and_runs() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    assert_eq!(run(&mut e, &mut c, "MULTI"), "OK");
    assert!(c.in_multi());
    assert_eq!(run(&mut e, &mut c, "SET a 1"), "QUEUED");
    assert_eq!(run(&mut e, &mut c, "INCR a"), "QUEUED");
    assert_eq!(
        run(&mut e, &mut c, "MULTI"),
        "(error) ERR MULTI calls can not be nested"
    );
    assert_eq!(run(&mut e, &mut c, "EXEC"), "1) OK\n2) (integer) 2");
    assert!(!c.in_multi());
    assert_eq!(
        run(&mut e, &mut c, "EXEC"),
        "(error) ERR EXEC without MULTI"
    );
    assert_eq!(
        run(&mut e, &mut c, "DISCARD"),
        "(error) ERR DISCARD without MULTI"
    );
}

#[test]
fn queue_errors_abort_exec() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    run(&mut e, &mut c, "MULTI");
    assert_eq!(
        run(&mut e, &mut c, "SET a"),
        "(error) ERR wrong number of arguments for 'set' command"
    );
    assert_eq!(run(&mut e, &mut c, "SET a 1"), "QUEUED");
    assert_eq!(
        run(&mut e, &mut c, "EXEC"),
        "(error) EXECABORT Transaction discarded because of previous errors."
    );
    assert_eq!(run(&mut e, &mut c, "EXISTS a"), "(integer) 0");
}

#[test]
fn runtime_errors_do_not_abort_the_rest() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    run(&mut e, &mut c, "SET s x");
    run(&mut e, &mut c, "MULTI");
    run(&mut e, &mut c, "INCR s");
    run(&mut e, &mut c, "SET t y");
    assert_eq!(
        run(&mut e, &mut c, "EXEC"),
        "1) (error) ERR value is not an integer or out of range\n2) OK"
    );
}

#[test]
fn watch_is_invalidated_by_writes_flush_and_expiry() {
    let mut e = Engine::new();
    let mut a = e.new_client();
    let mut b = e.new_client();
    for (setup, expect) in [
        ("SET k other", "(nil)"),
        ("FLUSHALL", "(nil)"),
        ("GET k", "1) OK"),
    ] {
        run(&mut e, &mut a, "SET k v");
        assert_eq!(run(&mut e, &mut a, "WATCH k"), "OK");
        run(&mut e, &mut b, setup);
        run(&mut e, &mut a, "MULTI");
        run(&mut e, &mut a, "SET k mine");
        assert_eq!(run(&mut e, &mut a, "EXEC"), expect, "after {setup}");
    }
    // Expiry of a watched key aborts too.
    run(&mut e, &mut a, "SET k v PX 10");
    run(&mut e, &mut a, "WATCH k");
    run(&mut e, &mut a, "MULTI");
    run(&mut e, &mut a, "SET j 1");
    let later = T0 + 20_000;
    assert_eq!(e.execute(&mut a, args("EXEC"), later), Reply::NilArray);
    assert_eq!(run(&mut e, &mut a, "WATCH k"), "OK");
    assert_eq!(run(&mut e, &mut a, "UNWATCH"), "OK");
}

#[test]
fn blpop_waits_for_a_push_from_another_client() {
    let mut e = Engine::new();
    let mut waiter = e.new_client();
    let mut pusher = e.new_client();
    let r = e.execute_blocking(&mut waiter, args("BLPOP q1 q2 0"), T0);
    assert_eq!(r, Exec::Blocked);
    assert_eq!(e.blocked_clients(), 1);
    assert_eq!(run(&mut e, &mut pusher, "RPUSH q2 job"), "(integer) 1");
    let out = e.take_unblocked();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].0, waiter.id);
    assert_eq!(cli::format_reply(&out[0].1), "1) \"q2\"\n2) \"job\"");
    assert_eq!(run(&mut e, &mut pusher, "EXISTS q2"), "(integer) 0");
    assert_eq!(e.blocked_clients(), 0);
}

#[test]
fn blocked_clients_are_served_in_order_and_time_out_on_the_engine_clock() {
    let mut e = Engine::new();
    let mut w1 = e.new_client();
    let mut w2 = e.new_client();
    let mut p = e.new_client();
    assert_eq!(
        e.execute_blocking(&mut w1, args("BRPOP q 1.5"), T0),
        Exec::Blocked
    );
    assert_eq!(
        e.execute_blocking(&mut w2, args("BZPOPMIN z 0"), T0),
        Exec::Blocked
    );
    e.expire_blocked(T0 + 1_000_000);
    assert!(e.take_unblocked().is_empty());
    e.expire_blocked(T0 + 1_600_000);
    assert_eq!(e.take_unblocked(), vec![(w1.id, Reply::NilArray)]);
    run(&mut e, &mut p, "ZADD z 2 b 1 a");
    let out = e.take_unblocked();
    assert_eq!(cli::format_reply(&out[0].1), "1) \"z\"\n2) \"a\"\n3) \"1\"");
}

#[test]
fn blocking_commands_do_not_block_inside_multi_or_plain_execute() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    assert_eq!(run(&mut e, &mut c, "BLPOP q 0"), "(nil)");
    assert_eq!(
        e.execute(&mut c, args("BLMOVE a b LEFT RIGHT 0"), T0),
        Reply::Nil
    );
    run(&mut e, &mut c, "MULTI");
    run(&mut e, &mut c, "BLPOP q 0");
    assert_eq!(run(&mut e, &mut c, "EXEC"), "1) (nil)");
    assert_eq!(
        run(&mut e, &mut c, "BLPOP q -1"),
        "(error) ERR timeout is negative"
    );
    assert_eq!(
        run(&mut e, &mut c, "BLPOP q abc"),
        "(error) ERR timeout is not a float or out of range"
    );
}

#[test]
fn blmove_chain_serves_the_next_waiter() {
    let mut e = Engine::new();
    let mut w1 = e.new_client();
    let mut w2 = e.new_client();
    let mut p = e.new_client();
    assert_eq!(
        e.execute_blocking(&mut w1, args("BLMOVE a b LEFT RIGHT 0"), T0),
        Exec::Blocked
    );
    assert_eq!(
        e.execute_blocking(&mut w2, args("BLPOP b 0"), T0),
        Exec::Blocked
    );
    run(&mut e, &mut p, "LPUSH a x");
    let out = e.take_unblocked();
    assert_eq!(out.len(), 2);
    assert_eq!(out[0], (w1.id, Reply::bulk(b"x".to_vec())));
    assert_eq!(cli::format_reply(&out[1].1), "1) \"b\"\n2) \"x\"");
}
