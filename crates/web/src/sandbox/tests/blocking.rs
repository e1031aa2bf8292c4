//! Blocking commands across tabs: waits, timeouts on the simulated clock, Ctrl+C.

use super::*;

#[test]
fn blpop_waits_until_another_tab_pushes() {
    let mut sb = sandbox();
    sb.open_client();
    assert_eq!(
        sb.run_line_in(1, "BLPOP jobs 0", T0),
        LineOutcome::Blocked(String::new())
    );
    assert_eq!(sb.mode(1), ClientMode::Waiting);
    assert_eq!(sb.run_line_in(1, "PING", T0), LineOutcome::Busy);
    sb.advance(3600 * 1_000_000, T0);
    assert!(sb.take_output().is_empty(), "timeout 0 waits for ever");
    assert_eq!(run_in(&mut sb, 2, "RPUSH jobs mail"), "(integer) 1");
    let out = sb.take_output();
    assert_eq!(
        out,
        [reply(1, "1) \"jobs\"\n2) \"mail\"\n(3600.00s)", true)],
        "with redis-cli's note of how long the line took"
    );
    assert_eq!(sb.mode(1), ClientMode::Ready);
    assert_eq!(run_in(&mut sb, 2, "LLEN jobs"), "(integer) 0");
}

#[test]
fn a_quick_serve_has_no_elapsed_note() {
    let mut sb = sandbox();
    sb.open_client();
    sb.run_line_in(1, "BRPOP jobs 0", T0);
    run_at(&mut sb, 2, "RPUSH jobs a", T0 + 499_000);
    assert_eq!(sb.take_output(), [reply(1, "1) \"jobs\"\n2) \"a\"", true)]);
    sb.run_line_in(1, "BRPOP jobs 0", T0);
    run_at(&mut sb, 2, "RPUSH jobs b", T0 + 700_000);
    assert_eq!(
        sb.take_output(),
        [reply(1, "1) \"jobs\"\n2) \"b\"\n(0.70s)", true)]
    );
}

#[test]
fn a_blocked_command_times_out_when_the_clock_jumps_past_it() {
    let mut sb = sandbox();
    assert_eq!(
        sb.run_line("BLPOP jobs 5", T0),
        LineOutcome::Blocked(String::new())
    );
    sb.tick(T0 + 1_000_000);
    assert!(sb.take_output().is_empty());
    sb.advance(10 * 1_000_000, T0 + 1_000_000);
    assert_eq!(sb.take_output(), [reply(1, "(nil)\n(11.00s)", true)]);
    assert_eq!(sb.mode(1), ClientMode::Ready);
}

#[test]
fn a_blocked_command_times_out_on_the_beat() {
    let mut sb = sandbox();
    sb.run_line("BZPOPMIN z 1.5", T0);
    sb.tick(T0 + 1_400_000);
    assert!(sb.take_output().is_empty());
    sb.tick(T0 + 1_500_000);
    assert_eq!(sb.take_output(), [reply(1, "(nil)\n(1.50s)", true)]);
}

#[test]
fn a_paused_clock_never_times_a_command_out() {
    let mut sb = sandbox();
    sb.toggle_pause(T0);
    sb.run_line("BLPOP jobs 1", T0);
    sb.tick(T0 + 60_000_000);
    assert!(sb.take_output().is_empty());
    assert_eq!(sb.mode(1), ClientMode::Waiting);
}

#[test]
fn ctrl_c_stops_a_wait_and_the_push_goes_elsewhere() {
    let mut sb = sandbox();
    sb.open_client();
    sb.run_line_in(1, "BLPOP jobs 0", T0);
    assert!(sb.interrupt(1, T0));
    assert_eq!(sb.mode(1), ClientMode::Ready);
    assert!(sb.take_output().is_empty());
    run_in(&mut sb, 2, "RPUSH jobs a");
    assert!(sb.take_output().is_empty());
    assert_eq!(run_in(&mut sb, 2, "LLEN jobs"), "(integer) 1");
}

#[test]
fn blocking_commands_of_every_kind_are_served_across_tabs() {
    let cases: &[(&str, &str, &str)] = &[
        ("BLMOVE src dst LEFT RIGHT 0", "RPUSH src a", "\"a\""),
        (
            "BLMPOP 0 1 src LEFT",
            "RPUSH src a",
            "1) \"src\"\n2) 1) \"a\"",
        ),
        ("BZPOPMAX z 0", "ZADD z 1 m", "1) \"z\"\n2) \"m\"\n3) \"1\""),
        (
            "BZMPOP 0 1 z MIN",
            "ZADD z 2 m",
            "1) \"z\"\n2) 1) 1) \"m\"\n      2) \"2\"",
        ),
        (
            "XREAD BLOCK 0 STREAMS s $",
            "XADD s 1-1 f v",
            "1) 1) \"s\"\n   2) 1) 1) \"1-1\"\n         2) 1) \"f\"\n            2) \"v\"",
        ),
    ];
    for (wait, write, expect) in cases {
        let mut sb = sandbox();
        sb.open_client();
        assert_eq!(
            sb.run_line_in(1, wait, T0),
            LineOutcome::Blocked(String::new()),
            "{wait}"
        );
        run_in(&mut sb, 2, write);
        assert_eq!(sb.take_output(), [reply(1, expect, true)], "{wait}");
    }
}

#[test]
fn xreadgroup_block_is_served_across_tabs() {
    let mut sb = sandbox();
    sb.open_client();
    run_in(&mut sb, 2, "XGROUP CREATE s g $ MKSTREAM");
    assert_eq!(
        sb.run_line_in(1, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >", T0),
        LineOutcome::Blocked(String::new())
    );
    run_in(&mut sb, 2, "XADD s 5-1 f v");
    assert_eq!(
        sb.take_output(),
        [reply(
            1,
            "1) 1) \"s\"\n   2) 1) 1) \"5-1\"\n         2) 1) \"f\"\n            2) \"v\"",
            true
        )]
    );
}

#[test]
fn a_repeated_blocking_line_waits_once_per_repeat() {
    let mut sb = sandbox();
    sb.open_client();
    run_in(&mut sb, 2, "RPUSH q a");
    assert_eq!(
        sb.run_line_in(1, "3 BLPOP q 0", T0),
        LineOutcome::Blocked("1) \"q\"\n2) \"a\"".into())
    );
    run_in(&mut sb, 2, "RPUSH q b");
    assert_eq!(sb.take_output(), [reply(1, "1) \"q\"\n2) \"b\"", false)]);
    run_in(&mut sb, 2, "RPUSH q c d");
    assert_eq!(sb.take_output(), [reply(1, "1) \"q\"\n2) \"c\"", true)]);
    assert_eq!(run_in(&mut sb, 2, "LRANGE q 0 -1"), "1) \"d\"");
}

#[test]
fn blocking_commands_inside_multi_never_block() {
    let mut sb = sandbox();
    run(&mut sb, "MULTI");
    assert_eq!(run(&mut sb, "BLPOP q 0"), "QUEUED");
    assert_eq!(run(&mut sb, "EXEC"), "1) (nil)");
    assert_eq!(sb.mode(1), ClientMode::Ready);
}

#[test]
fn client_unblock_from_another_tab_releases_a_wait() {
    let mut sb = sandbox();
    sb.open_client();
    sb.run_line_in(1, "BLPOP jobs 0", T0);
    assert_eq!(run_in(&mut sb, 2, "CLIENT UNBLOCK 1"), "(integer) 1");
    assert_eq!(sb.take_output(), [reply(1, "(nil)", true)]);
    sb.run_line_in(1, "BLPOP jobs 0", T0);
    assert_eq!(run_in(&mut sb, 2, "CLIENT UNBLOCK 1 ERROR"), "(integer) 1");
    assert_eq!(
        sb.take_output(),
        [reply(
            1,
            "(error) UNBLOCKED client unblocked via CLIENT UNBLOCK",
            true
        )]
    );
    assert_eq!(sb.mode(1), ClientMode::Ready);
}

#[test]
fn keyspace_events_of_expiry_reach_a_subscriber_on_the_beat() {
    let mut sb = sandbox();
    sb.open_client();
    run_in(&mut sb, 2, "CONFIG SET notify-keyspace-events Ex");
    run_in(&mut sb, 1, "SUBSCRIBE __keyevent@0__:expired");
    run_in(&mut sb, 2, "SET session abc PX 100");
    sb.tick(T0 + 50_000);
    assert!(sb.take_output().is_empty());
    sb.tick(T0 + 200_000);
    assert_eq!(
        sb.take_output(),
        [message(
            1,
            "1) \"message\"\n2) \"__keyevent@0__:expired\"\n3) \"session\""
        )]
    );
}

#[test]
fn closing_a_tab_drops_its_subscriptions_and_its_wait() {
    let mut sb = sandbox();
    sb.open_client();
    sb.open_client();
    run_in(&mut sb, 1, "SUBSCRIBE a");
    sb.run_line_in(2, "BLPOP q 0", T0);
    assert!(sb.close_client(1));
    assert!(sb.close_client(2));
    assert_eq!(run_in(&mut sb, 3, "PUBLISH a x"), "(integer) 0");
    assert_eq!(run_in(&mut sb, 3, "RPUSH q x"), "(integer) 1");
    assert!(sb.take_output().is_empty());
    assert_eq!(
        run_in(&mut sb, 3, "INFO clients")
            .lines()
            .find(|l| l.starts_with("connected_clients")),
        Some("connected_clients:1")
    );
}

#[test]
fn client_pause_holds_writes_until_unpause() {
    let mut sb = sandbox();
    sb.open_client();
    assert_eq!(run_in(&mut sb, 1, "CLIENT PAUSE 60000 WRITE"), "OK");
    // Reads go on; a write waits, in any tab, as `3 INCR` does with its repeats.
    assert_eq!(
        sb.run_line_in(2, "3 INCR n", T0),
        LineOutcome::Blocked(String::new())
    );
    assert_eq!(sb.mode(2), ClientMode::Waiting);
    assert_eq!(run_in(&mut sb, 1, "GET n"), "(nil)");
    assert_eq!(
        run_in(&mut sb, 1, "CLIENT LIST TYPE normal")
            .lines()
            .filter(|l| l.contains("flags=b"))
            .count(),
        1
    );
    assert!(sb.take_output().is_empty());
    assert_eq!(run_in(&mut sb, 1, "CLIENT UNPAUSE"), "OK");
    assert_eq!(
        sb.take_output(),
        [reply(2, "(integer) 1\n(integer) 2\n(integer) 3", true)]
    );
    assert_eq!(sb.mode(2), ClientMode::Ready);
}

#[test]
fn client_pause_all_ends_with_its_timeout() {
    let mut sb = sandbox();
    sb.open_client();
    assert_eq!(run_in(&mut sb, 1, "CLIENT PAUSE 2000"), "OK");
    assert_eq!(
        sb.run_line_in(2, "PING", T0),
        LineOutcome::Blocked(String::new())
    );
    sb.tick(T0 + 1_000_000);
    assert!(sb.take_output().is_empty());
    sb.advance(5 * 1_000_000, T0 + 1_000_000);
    assert_eq!(sb.take_output(), [reply(2, "PONG\n(6.00s)", true)]);
}
