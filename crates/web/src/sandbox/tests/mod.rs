use super::*;

mod blocking;
mod connections;

const T0: u64 = 1_700_000_000_000_000;

fn sandbox() -> Sandbox {
    Sandbox::new(Engine::new(), Clock::default())
}

fn run(sb: &mut Sandbox, line: &str) -> String {
    sb.run_line(line, T0).text().unwrap_or_default().to_string()
}

#[test]
fn commands_reach_the_engine_and_print_like_redis_cli() {
    let mut sb = sandbox();
    assert_eq!(
        sb.run_line("SET greeting hello", T0),
        LineOutcome::Reply("OK".into())
    );
    assert_eq!(run(&mut sb, "GET greeting"), "\"hello\"");
    assert_eq!(
        run(&mut sb, "get"),
        "(error) ERR wrong number of arguments for 'get' command"
    );
}

#[test]
fn local_lines_never_reach_the_engine() {
    let mut sb = sandbox();
    assert_eq!(sb.run_line("", T0), LineOutcome::Blank);
    assert_eq!(sb.run_line("   ", T0), LineOutcome::Blank);
    assert_eq!(sb.run_line("CLEAR", T0), LineOutcome::Clear);
    assert_eq!(sb.run_line("quit", T0), LineOutcome::Quit);
    assert_eq!(sb.run_line("Exit", T0), LineOutcome::Quit);
    assert_eq!(
        sb.run_line("GET \"unbalanced", T0),
        LineOutcome::Local("Invalid argument(s)".into())
    );
    assert!(matches!(sb.run_line("help", T0), LineOutcome::Local(t) if !t.is_empty()));
    assert!(matches!(sb.run_line("HELP SET", T0), LineOutcome::Local(t) if !t.contains('\r')));
    // `clear` with arguments is an ordinary (unknown) command in redis-cli.
    assert!(matches!(sb.run_line("clear x", T0), LineOutcome::Reply(_)));
}

#[test]
fn a_leading_number_repeats_the_command() {
    let mut sb = sandbox();
    assert_eq!(
        run(&mut sb, "3 INCR n"),
        "(integer) 1\n(integer) 2\n(integer) 3"
    );
    assert_eq!(
        run(&mut sb, "0 INCR n"),
        "Invalid redis-cli repeat command option value."
    );
    assert_eq!(
        run(&mut sb, "-2 INCR n"),
        "Invalid redis-cli repeat command option value."
    );
    assert_eq!(run(&mut sb, "GET n"), "\"3\"");
    // A lone number is a command name, not a repeat count.
    assert!(run(&mut sb, "5").starts_with("(error) ERR unknown command"));
}

#[test]
fn prompt_shows_the_db_and_transactions() {
    assert_eq!(prompt(0, false, false), "127.0.0.1:6379> ");
    assert_eq!(prompt(1, false, false), "127.0.0.1:6379[1]> ");
    assert_eq!(prompt(0, true, false), "127.0.0.1:6379(TX)> ");
    assert_eq!(prompt(15, true, false), "127.0.0.1:6379[15](TX)> ");
    assert_eq!(prompt(0, false, true), "127.0.0.1:6379(subscribed mode)> ");
    assert_eq!(
        prompt(2, false, true),
        "127.0.0.1:6379[2](subscribed mode)> "
    );
}

#[test]
fn prompt_follows_select() {
    let mut sb = sandbox();
    assert_eq!(sb.prompt(), "127.0.0.1:6379> ");
    run(&mut sb, "SELECT 1");
    assert_eq!(sb.prompt(), "127.0.0.1:6379[1]> ");
    assert_eq!(sb.db(), 1);
    run(&mut sb, "SELECT 0");
    assert_eq!(sb.prompt(), "127.0.0.1:6379> ");
}

#[test]
fn keys_expire_on_simulated_time() {
    let mut sb = sandbox();
    run(&mut sb, "SET k v");
    run(&mut sb, "EXPIRE k 30");
    let keys = sb.keys(T0);
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].ttl_ms, Some(30_000));
    sb.toggle_pause(T0);
    sb.tick(T0 + 60_000_000);
    assert_eq!(
        sb.keys(T0 + 60_000_000).len(),
        1,
        "paused time stands still"
    );
    sb.advance(31_000_000, T0 + 60_000_000);
    assert!(sb.keys(T0 + 60_000_000).is_empty());
    assert_eq!(run(&mut sb, "EXISTS k"), "(integer) 0");
}

fn run_in(sb: &mut Sandbox, client: u32, line: &str) -> String {
    run_at(sb, client, line, T0)
}

fn run_at(sb: &mut Sandbox, client: u32, line: &str, real: u64) -> String {
    match sb.run_line_in(client, line, real) {
        LineOutcome::Reply(t) | LineOutcome::Local(t) => t,
        other => panic!("`{line}` in client {client}: {other:?}"),
    }
}

fn message(client: u32, text: &str) -> Delivery {
    Delivery::Message {
        client,
        text: text.into(),
    }
}

fn reply(client: u32, text: &str, done: bool) -> Delivery {
    Delivery::Reply {
        client,
        text: text.into(),
        done,
    }
}

const SUBSCRIBED_ORDERS: &str = "Reading messages... (press Ctrl-C to quit)\n\
                                 1) \"subscribe\"\n2) \"orders:new\"\n3) (integer) 1";

#[test]
fn tabs_open_under_the_lowest_free_number_up_to_the_limit() {
    let mut sb = sandbox();
    assert_eq!(
        sb.clients(),
        [ClientTab {
            number: 1,
            mode: ClientMode::Ready
        }]
    );
    assert_eq!(sb.open_client(), Some(2));
    assert_eq!(sb.active(), 2);
    assert_eq!(sb.open_client(), Some(3));
    assert!(sb.close_client(2));
    assert_eq!(
        sb.active(),
        3,
        "closing a background tab keeps the front one"
    );
    assert_eq!(sb.open_client(), Some(2));
    let numbers: Vec<u32> = sb.clients().iter().map(|t| t.number).collect();
    assert_eq!(numbers, [1, 2, 3], "tabs stay in number order");
    while sb.open_client().is_some() {}
    assert_eq!(sb.clients().len(), MAX_CLIENTS);
    assert!(!sb.ensure_client(MAX_CLIENTS as u32 + 1));
}

#[test]
fn closing_the_front_tab_brings_a_neighbour_and_the_last_tab_stays() {
    let mut sb = sandbox();
    sb.open_client();
    sb.open_client();
    assert!(sb.close_client(3));
    assert_eq!(sb.active(), 2);
    assert!(sb.select(1));
    assert!(sb.close_client(1));
    assert_eq!(sb.active(), 2);
    assert!(!sb.close_client(2), "the last tab can't be closed");
    assert!(!sb.select(7));
    assert_eq!(sb.active(), 2);
}

#[test]
fn a_lesson_command_can_name_its_tab() {
    let mut sb = sandbox();
    assert!(sb.ensure_client(2));
    assert_eq!(sb.active(), 2);
    assert!(sb.ensure_client(1));
    assert_eq!(sb.active(), 1);
    assert_eq!(sb.clients().len(), 2, "an open tab is reused");
    assert_eq!(run(&mut sb, "CLIENT ID"), "(integer) 1");
    sb.select(2);
    assert_eq!(
        run(&mut sb, "CLIENT ID"),
        "(integer) 2",
        "each tab is a client"
    );
}

#[test]
fn each_tab_has_its_own_db_and_transaction_and_the_panel_follows_the_front() {
    let mut sb = sandbox();
    sb.open_client();
    run_in(&mut sb, 2, "SELECT 3");
    run_in(&mut sb, 2, "SET k v");
    run_in(&mut sb, 1, "MULTI");
    assert_eq!(sb.prompt_of(1), "127.0.0.1:6379(TX)> ");
    assert_eq!(sb.prompt_of(2), "127.0.0.1:6379[3]> ");
    assert_eq!(sb.db(), 3);
    assert_eq!(sb.keys(T0).len(), 1);
    sb.select(1);
    assert_eq!(sb.prompt(), "127.0.0.1:6379(TX)> ");
    assert!(sb.keys(T0).is_empty());
}

#[test]
fn publish_reaches_a_subscriber_in_another_tab() {
    let mut sb = sandbox();
    sb.open_client();
    assert_eq!(
        run_in(&mut sb, 1, "SUBSCRIBE orders:new"),
        SUBSCRIBED_ORDERS
    );
    assert_eq!(sb.mode(1), ClientMode::Subscribed);
    assert_eq!(sb.prompt_of(1), "127.0.0.1:6379(subscribed mode)> ");
    assert!(sb.take_output().is_empty());
    assert_eq!(
        run_in(&mut sb, 2, "PUBLISH orders:new 'order 1042 paid'"),
        "(integer) 1"
    );
    assert_eq!(
        sb.take_output(),
        [message(
            1,
            "1) \"message\"\n2) \"orders:new\"\n3) \"order 1042 paid\""
        )]
    );
    assert!(!sb.has_output());
}

#[test]
fn pattern_and_shard_messages_print_like_redis_cli() {
    let mut sb = sandbox();
    sb.open_client();
    assert_eq!(
        run_in(&mut sb, 1, "PSUBSCRIBE orders:*"),
        "Reading messages... (press Ctrl-C to quit)\n\
         1) \"psubscribe\"\n2) \"orders:*\"\n3) (integer) 1"
    );
    run_in(&mut sb, 2, "PUBLISH orders:x hi");
    assert_eq!(
        sb.take_output(),
        [message(
            1,
            "1) \"pmessage\"\n2) \"orders:*\"\n3) \"orders:x\"\n4) \"hi\""
        )]
    );
    sb.open_client();
    run_in(&mut sb, 3, "SSUBSCRIBE s");
    assert_eq!(run_in(&mut sb, 2, "SPUBLISH s x"), "(integer) 1");
    assert_eq!(
        sb.take_output(),
        [message(3, "1) \"smessage\"\n2) \"s\"\n3) \"x\"")]
    );
}

#[test]
fn pushes_go_to_the_tab_of_the_client_that_subscribed() {
    let mut sb = sandbox();
    sb.open_client();
    sb.open_client();
    run_in(&mut sb, 1, "SUBSCRIBE a");
    run_in(&mut sb, 3, "SUBSCRIBE a b");
    assert_eq!(run_in(&mut sb, 2, "PUBLISH b x"), "(integer) 1");
    assert_eq!(
        sb.take_output(),
        [message(3, "1) \"message\"\n2) \"b\"\n3) \"x\"")]
    );
    assert_eq!(run_in(&mut sb, 2, "PUBLISH a y"), "(integer) 2");
    let to: Vec<u32> = sb.take_output().iter().map(Delivery::client).collect();
    assert_eq!(
        to,
        [1, 3],
        "subscribers hear a message in the order they subscribed"
    );
}

#[test]
fn subscribed_mode_allows_only_pubsub_commands_and_ends_with_the_last_unsubscribe() {
    let mut sb = sandbox();
    run(&mut sb, "SUBSCRIBE a");
    assert_eq!(
        run(&mut sb, "GET k"),
        "(error) ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / \
         QUIT / RESET are allowed in this context"
    );
    assert_eq!(run(&mut sb, "PING"), "1) \"pong\"\n2) \"\"");
    assert_eq!(
        run(&mut sb, "SUBSCRIBE b"),
        "1) \"subscribe\"\n2) \"b\"\n3) (integer) 2",
        "already listening: no second banner"
    );
    assert_eq!(
        run(&mut sb, "UNSUBSCRIBE"),
        "1) \"unsubscribe\"\n2) \"a\"\n3) (integer) 1\n\
         1) \"unsubscribe\"\n2) \"b\"\n3) (integer) 0"
    );
    assert_eq!(sb.mode(1), ClientMode::Ready);
    assert_eq!(sb.prompt(), "127.0.0.1:6379> ");
}

#[test]
fn a_subscribe_error_prints_the_banner_and_leaves_pubsub_mode() {
    let mut sb = sandbox();
    assert_eq!(
        run(&mut sb, "SUBSCRIBE"),
        "Reading messages... (press Ctrl-C to quit)\n\
         (error) ERR wrong number of arguments for 'subscribe' command"
    );
    assert_eq!(sb.mode(1), ClientMode::Ready);
}

#[test]
fn ctrl_c_leaves_subscribed_mode_on_a_fresh_connection_in_the_same_db() {
    let mut sb = sandbox();
    sb.open_client();
    run_in(&mut sb, 1, "SELECT 2");
    run_in(&mut sb, 1, "SUBSCRIBE orders:new");
    assert!(sb.interrupt(1, T0));
    assert_eq!(sb.mode(1), ClientMode::Ready);
    assert_eq!(sb.prompt_of(1), "127.0.0.1:6379[2]> ");
    assert_eq!(run_in(&mut sb, 2, "PUBLISH orders:new x"), "(integer) 0");
    assert!(sb.take_output().is_empty());
    assert_eq!(
        run_in(&mut sb, 1, "CLIENT ID"),
        "(integer) 3",
        "redis-cli reconnects"
    );
    assert!(
        !sb.interrupt(1, T0),
        "Ctrl+C at an ordinary prompt does nothing"
    );
}

#[test]
fn snapshot_round_trips_through_the_engine() {
    let mut sb = sandbox();
    run(&mut sb, "SET a 1");
    run(&mut sb, "SET b 2 PX 1500");
    run(&mut sb, "SELECT 3");
    run(&mut sb, "HSET h f \"\\x00\\xff\"");
    let mut engine = Engine::new();
    engine.load_snapshot(&sb.snapshot(T0), T0).unwrap();
    let mut restored = Sandbox::new(engine, sb.clock());
    assert_eq!(restored.keys(T0).len(), 2);
    assert_eq!(run(&mut restored, "PTTL b"), "(integer) 1500");
    assert_eq!(run(&mut restored, "SELECT 3"), "OK");
    assert_eq!(run(&mut restored, "HGET h f"), "\"\\x00\\xff\"");
}

#[test]
fn shutdown_restarts_the_server_from_its_last_save() {
    let mut sb = sandbox();
    // Never saved: the restart comes back empty.
    run(&mut sb, "SET early 1");
    assert_eq!(
        sb.run_line("SHUTDOWN NOSAVE", T0),
        LineOutcome::Restarted(
            "(the server shut down and started again with no snapshot to load: \
             the keyspace is empty)"
                .into()
        )
    );
    assert_eq!(run(&mut sb, "EXISTS early"), "(integer) 0");

    run(&mut sb, "SET a 1");
    run(&mut sb, "SELECT 2");
    run(&mut sb, "SET b 2");
    assert_eq!(run(&mut sb, "SAVE"), "OK");
    run(&mut sb, "SET lost 3");
    assert!(sb.open_client().is_some());
    run(&mut sb, "MULTI");
    assert_eq!(sb.prompt(), "127.0.0.1:6379(TX)> ");
    assert_eq!(
        run(&mut sb, "SHUTDOWN NOSAVE"),
        "(error) ERR Command not allowed inside a transaction"
    );
    run(&mut sb, "DISCARD");
    sb.select(1);
    assert_eq!(
        run(&mut sb, "SHUTDOWN NOSAVE"),
        "(the server shut down and started again: its last snapshot held 2 keys)"
    );
    // Every tab connected again: back in db 0, out of any transaction.
    assert_eq!(sb.prompt(), "127.0.0.1:6379> ");
    assert_eq!(run(&mut sb, "GET a"), "\"1\"");
    assert_eq!(run(&mut sb, "SELECT 2"), "OK");
    assert_eq!(run(&mut sb, "GET b"), "\"2\"");
    assert_eq!(run(&mut sb, "GET lost"), "(nil)");
    // The snapshot is still the server's file: another restart loads it again.
    run(&mut sb, "FLUSHALL");
    assert_eq!(
        run(&mut sb, "SHUTDOWN"),
        "(the server shut down and started again: its last snapshot held 2 keys)"
    );
    assert_eq!(run(&mut sb, "GET a"), "\"1\"");
}

#[test]
fn debug_sleep_passes_simulated_time_and_shows_in_the_slow_log() {
    let mut sb = sandbox();
    assert_eq!(run(&mut sb, "SET k v PX 1500"), "OK");
    // redis-cli notes a line that took half a second or more.
    assert_eq!(run(&mut sb, "2 DEBUG SLEEP 1"), "OK\nOK\n(2.00s)");
    assert_eq!(run(&mut sb, "GET k"), "(nil)", "the key expired meanwhile");
    assert_eq!(run(&mut sb, "DEBUG SLEEP 0.1"), "OK");
    let log = run(&mut sb, "SLOWLOG GET 1");
    // Logged 2 s after T0, as slow as it slept.
    assert!(
        log.starts_with("1) 1) (integer) 2\n   2) (integer) 1700000002\n   3) (integer) 100000\n"),
        "{log}"
    );
}

#[test]
fn an_absurd_debug_sleep_saturates_the_clock_without_a_panic() {
    let mut sb = sandbox();
    assert!(run(&mut sb, "DEBUG SLEEP 1e300").starts_with("OK\n("));
    assert_eq!(run(&mut sb, "SET k v EX 10"), "OK");
    run(&mut sb, "TTL k");
    run(&mut sb, "DEBUG SLEEP 1e300");
    run(&mut sb, "GET k");
    run(&mut sb, "SLOWLOG GET");
    run(&mut sb, "INFO");
}

#[test]
fn the_latency_monitor_prints_like_redis_cli() {
    let mut sb = sandbox();
    assert_eq!(run(&mut sb, "LATENCY LATEST"), "(empty array)");
    assert_eq!(
        run(&mut sb, "CONFIG SET latency-monitor-threshold 100"),
        "OK"
    );
    run(&mut sb, "DEBUG SLEEP 0.25");
    assert_eq!(
        run(&mut sb, "LATENCY LATEST"),
        "1) 1) \"command\"\n   2) (integer) 1700000000\n   3) (integer) 250\n   4) (integer) 250"
    );
    // Verbatim text prints as it is, line by line.
    let graph = run(&mut sb, "LATENCY GRAPH command");
    assert!(
        graph.starts_with("command - high 250 ms, low 250 ms (all time high 250 ms)\n---"),
        "{graph}"
    );
    assert!(!graph.contains('"'), "{graph}");
}
