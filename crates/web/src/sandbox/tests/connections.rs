//! Connections the server closes (CLIENT KILL) and MONITOR tabs, as redis-cli
//! shows them.

use super::*;

#[test]
fn a_killed_tab_reports_the_closed_connection_then_connects_again() {
    let mut sb = sandbox();
    sb.open_client();
    run_in(&mut sb, 2, "SELECT 3");
    run_in(&mut sb, 2, "CLIENT SETNAME victim");
    assert_eq!(run_in(&mut sb, 1, "CLIENT KILL ID 2"), "(integer) 1");
    assert_eq!(
        run_in(&mut sb, 1, "CLIENT LIST").lines().count(),
        1,
        "the killed client is gone at once"
    );
    // redis-cli notices only when it next sends a command.
    assert_eq!(sb.prompt_of(2), "127.0.0.1:6379[3]> ");
    assert_eq!(
        sb.run_line_in(2, "GET k", T0),
        LineOutcome::Local("Error: Server closed the connection".into())
    );
    assert_eq!(sb.prompt_of(2), "not connected> ");
    // Then it connects again, on its db, as a new client without the name.
    assert_eq!(run_in(&mut sb, 2, "CLIENT ID"), "(integer) 3");
    assert_eq!(sb.prompt_of(2), "127.0.0.1:6379[3]> ");
    assert_eq!(run_in(&mut sb, 2, "CLIENT GETNAME"), "(nil)");
    assert_eq!(run_in(&mut sb, 2, "CLIENT LIST").lines().count(), 2);
    // Each tab has an address of its own, so the old form can pick one.
    let line = run_in(&mut sb, 2, "CLIENT INFO");
    let addr = line
        .split(' ')
        .find_map(|f| f.strip_prefix("addr="))
        .expect("an addr field")
        .to_string();
    assert_eq!(run_in(&mut sb, 1, &format!("CLIENT KILL {addr}")), "OK");
    assert_eq!(
        run_in(&mut sb, 1, &format!("CLIENT KILL {addr}")),
        "(error) ERR No such client"
    );
}

#[test]
fn killing_yourself_closes_after_the_reply() {
    let mut sb = sandbox();
    sb.open_client();
    assert_eq!(
        run_in(&mut sb, 1, "CLIENT KILL TYPE normal SKIPME no"),
        "(integer) 2"
    );
    for tab in [1, 2] {
        assert_eq!(
            run_in(&mut sb, tab, "PING"),
            "Error: Server closed the connection"
        );
        assert_eq!(sb.prompt_of(tab), "not connected> ");
        assert_eq!(run_in(&mut sb, tab, "PING"), "PONG");
    }
}

#[test]
fn a_waiting_or_subscribed_tab_sees_the_close_at_once() {
    let mut sb = sandbox();
    sb.open_client();
    sb.open_client();
    assert_eq!(
        sb.run_line_in(2, "BLPOP jobs 0", T0),
        LineOutcome::Blocked(String::new())
    );
    run_in(&mut sb, 3, "SUBSCRIBE news");
    sb.take_output();
    assert_eq!(run_in(&mut sb, 1, "CLIENT KILL TYPE normal"), "(integer) 1");
    assert_eq!(run_in(&mut sb, 1, "CLIENT KILL TYPE pubsub"), "(integer) 1");
    assert_eq!(
        sb.take_output(),
        [
            reply(2, "Error: Server closed the connection", true),
            message(3, "Error: Server closed the connection"),
        ]
    );
    assert_eq!(sb.mode(2), ClientMode::Ready);
    assert_eq!(sb.mode(3), ClientMode::Ready);
    assert_eq!(sb.prompt_of(3), "not connected> ");
    assert_eq!(run_in(&mut sb, 1, "RPUSH jobs x"), "(integer) 1");
    assert!(sb.take_output().is_empty(), "nobody waits any more");
    assert_eq!(run_in(&mut sb, 1, "PUBLISH news x"), "(integer) 0");
    assert_eq!(run_in(&mut sb, 3, "PING"), "PONG");
}

#[test]
fn a_monitoring_tab_prints_every_command_until_ctrl_c() {
    let mut sb = sandbox();
    sb.open_client();
    assert_eq!(run_in(&mut sb, 2, "MONITOR"), "OK");
    assert_eq!(sb.mode(2), ClientMode::Monitoring);
    assert_eq!(sb.run_line_in(2, "PING", T0), LineOutcome::Busy);
    run_in(&mut sb, 1, "SELECT 1");
    run_in(&mut sb, 1, "SET greeting \"hi there\"");
    run_in(&mut sb, 1, "CONFIG GET maxmemory");
    let addr = run_in(&mut sb, 1, "CLIENT INFO")
        .split(' ')
        .find_map(|f| f.strip_prefix("addr="))
        .expect("an addr field")
        .to_string();
    let out = sb.take_output();
    let lines: Vec<String> = out
        .iter()
        .map(|d| match d {
            Delivery::Message { client: 2, text } => text.clone(),
            other => panic!("unexpected delivery {other:?}"),
        })
        .collect();
    assert_eq!(
        lines,
        [
            format!("1700000000.000000 [1 {addr}] \"SELECT\" \"1\""),
            format!("1700000000.000000 [1 {addr}] \"SET\" \"greeting\" \"hi there\""),
            format!("1700000000.000000 [1 {addr}] \"CLIENT\" \"INFO\""),
        ],
        "CONFIG is administrative: not shown"
    );
    assert!(sb.interrupt(2, T0));
    assert_eq!(sb.mode(2), ClientMode::Ready);
    run_in(&mut sb, 1, "PING");
    assert!(
        sb.take_output().is_empty(),
        "the new connection does not monitor"
    );
}
