//! The replication stream: what a replica attached with SYNC receives for each
//! command, checked argument by argument (Redis 7.0's propagation rules).

#[path = "replication/commands.rs"]
mod commands;
#[path = "replication/units.rs"]
mod units;

use cachelab_core::engine::Exec;
use cachelab_core::{cli, Client, Engine, Reply};

/// 2023-11-14T22:13:20Z, in µs.
const T0: u64 = 1_700_000_000_000_000;
const T0_MS: u64 = T0 / 1000;

fn args(line: &str) -> Vec<Vec<u8>> {
    cli::tokenize(line).expect("test lines are well quoted")
}

/// An engine with one replica attached and one ordinary client.
struct Setup {
    e: Engine,
    c: Client,
    replica: Client,
}

impl Setup {
    fn new() -> Setup {
        let mut e = Engine::new();
        e.accept_replicas();
        let mut replica = e.new_client();
        let reply = e.execute(&mut replica, args("SYNC"), T0);
        assert!(
            matches!(&reply, Reply::Bulk(rdb) if rdb.starts_with(b"REDIS0010")),
            "SYNC answers with the snapshot: {reply:?}"
        );
        assert!(replica.is_replica());
        let c = e.new_client();
        Setup { e, c, replica }
    }

    fn run(&mut self, line: &str) -> String {
        self.run_at(line, T0)
    }

    fn run_at(&mut self, line: &str, now_us: u64) -> String {
        cli::format_reply(&self.e.execute(&mut self.c, args(line), now_us))
    }

    /// The stream written since the last call, one command per entry, arguments
    /// joined by spaces.
    fn stream(&mut self) -> Vec<String> {
        parse_stream(&self.e.take_replication_stream())
    }
}

/// Splits RESP multibulk arrays into "arg arg arg" strings.
fn parse_stream(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = bytes;
    let line = |rest: &mut &[u8]| -> String {
        let end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a complete line");
        let l = String::from_utf8_lossy(&rest[..end]).into_owned();
        *rest = &rest[end + 2..];
        l
    };
    while !rest.is_empty() {
        let head = line(&mut rest);
        let n: usize = head
            .strip_prefix('*')
            .and_then(|n| n.parse().ok())
            .expect("a multibulk header");
        let mut cmd = Vec::new();
        for _ in 0..n {
            let len: usize = line(&mut rest)
                .strip_prefix('$')
                .and_then(|n| n.parse().ok())
                .expect("a bulk header");
            cmd.push(String::from_utf8_lossy(&rest[..len]).into_owned());
            rest = &rest[len + 2..];
        }
        out.push(cmd.join(" "));
    }
    out
}

fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn nothing_is_recorded_without_a_replica() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    e.execute(&mut c, args("SET a 1"), T0);
    assert!(e.take_replication_stream().is_empty());
    assert_eq!(e.connected_replicas(), 0);
}

#[test]
fn sync_is_refused_where_replicas_cannot_be_served() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    let reply = cli::format_reply(&e.execute(&mut c, args("SYNC"), T0));
    assert!(reply.starts_with("(error) ERR SYNC needs"), "{reply}");
    assert!(!c.is_replica());
}

#[test]
fn first_command_after_sync_is_preceded_by_select() {
    let mut s = Setup::new();
    s.run("SET a 1");
    s.run("SET b 2");
    assert_eq!(s.stream(), lines(&["SELECT 0", "SET a 1", "SET b 2"]));
    s.run("SELECT 3");
    s.run("SET a 1");
    s.run("SELECT 0");
    s.run("DEL a");
    assert_eq!(
        s.stream(),
        lines(&["SELECT 3", "SET a 1", "SELECT 0", "DEL a"])
    );
}

#[test]
fn commands_that_change_nothing_are_not_propagated() {
    let mut s = Setup::new();
    s.run("GET a");
    s.run("DEL nokey");
    s.run("SET a 1 NX");
    s.run("SET a 2 NX");
    s.run("SET nokey 1 XX");
    s.run("EXPIRE nokey 10");
    s.run("PERSIST a");
    s.run("INCR a");
    s.run("SADD s x");
    s.run("SADD s x");
    s.run("SREM s y");
    s.run("LPUSH l a");
    s.run("INCR l"); // an error
    s.run("GETEX a");
    assert_eq!(
        s.stream(),
        lines(&["SELECT 0", "SET a 1 NX", "INCR a", "SADD s x", "LPUSH l a"])
    );
}

#[test]
fn replicas_are_counted_and_forgotten() {
    let mut s = Setup::new();
    assert_eq!(s.e.connected_replicas(), 1);
    let info = s.run("INFO replication");
    assert!(info.contains("connected_slaves:1"), "{info}");
    let replica = s.replica.clone();
    s.e.drop_client(&replica);
    assert_eq!(s.e.connected_replicas(), 0);
    s.run("SET a 1");
    assert!(s.e.take_replication_stream().is_empty());
}

#[test]
fn a_second_sync_forces_a_select() {
    let mut s = Setup::new();
    s.run("SET a 1");
    s.stream();
    let mut second = s.e.new_client();
    s.e.execute(&mut second, args("SYNC"), T0);
    s.run("SET b 2");
    assert_eq!(s.stream(), lines(&["SELECT 0", "SET b 2"]));
    assert_eq!(s.e.connected_replicas(), 2);
}

#[test]
fn replicas_cannot_touch_the_keyspace_and_acks_get_no_reply() {
    let mut s = Setup::new();
    let reply = s.e.execute(&mut s.replica, args("GET a"), T0);
    assert_eq!(
        reply,
        Reply::Error(b"ERR Replica can't interact with the keyspace".to_vec())
    );
    let ack = s.e.execute(&mut s.replica, args("REPLCONF ACK 0"), T0);
    assert!(ack.to_resp().is_empty(), "no reply at all: {ack:?}");
    assert_eq!(s.run("REPLCONF listening-port 6380 capa eof"), "OK");
    assert_eq!(
        s.run("REPLCONF foo bar"),
        "(error) ERR Unrecognized REPLCONF option: foo"
    );
    assert_eq!(s.run("REPLCONF foo"), "(error) ERR syntax error");
}

#[test]
fn min_replicas_to_write_needs_acknowledging_replicas() {
    let mut s = Setup::new();
    s.run("CONFIG SET min-replicas-to-write 1");
    assert_eq!(
        s.run("SET a 1"),
        "(error) NOREPLICAS Not enough good replicas to write."
    );
    assert_eq!(s.run("GET a"), "(nil)");
    // Refused while queueing: the transaction is spoiled.
    s.run("MULTI");
    assert_eq!(
        s.run("INCR a"),
        "(error) NOREPLICAS Not enough good replicas to write."
    );
    s.run("DISCARD");
    // Refused at EXEC: the transaction is aborted.
    s.run("CONFIG SET min-replicas-to-write 0");
    s.run("MULTI");
    s.run("INCR a");
    let mut admin = s.e.new_client();
    s.e.execute(&mut admin, args("CONFIG SET min-replicas-to-write 1"), T0);
    assert_eq!(
        s.run("EXEC"),
        "(error) EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to write."
    );
    s.e.execute(&mut s.replica, args("REPLCONF ACK 0"), T0);
    assert_eq!(s.run("SET a 1"), "OK");
    // The acknowledgement grows old.
    assert_eq!(
        s.run_at("SET a 1", T0 + 11_000_000),
        "(error) NOREPLICAS Not enough good replicas to write."
    );
}

#[test]
fn sync_is_not_allowed_in_a_transaction() {
    let mut s = Setup::new();
    s.run("MULTI");
    assert_eq!(
        s.run("SYNC"),
        "(error) ERR Command not allowed inside a transaction"
    );
    assert_eq!(
        s.run("EXEC"),
        "(error) EXECABORT Transaction discarded because of previous errors."
    );
}

#[test]
fn pings_follow_the_configured_period() {
    let mut s = Setup::new();
    s.run("SET a 1");
    s.stream();
    s.run("CONFIG SET repl-ping-replica-period 2");
    let mut pings = 0;
    for sec in 0..6 {
        s.e.replication_cron(T0 + sec * 1_000_000);
        pings += s.stream().iter().filter(|c| *c == "ping").count();
    }
    assert_eq!(pings, 3);
}

#[test]
fn restore_propagates_its_deadline_and_past_deadlines_as_deletions() {
    let mut s = Setup::new();
    s.run("SET src v");
    let payload = match s.e.execute(&mut s.c, args("DUMP src"), T0) {
        Reply::Bulk(p) => p,
        other => panic!("DUMP gives a payload: {other:?}"),
    };
    s.stream();
    let restore = |s: &mut Setup, key: &str, ttl: &str, extra: &[&str]| {
        let mut argv = vec![
            b"RESTORE".to_vec(),
            key.as_bytes().to_vec(),
            ttl.as_bytes().to_vec(),
            payload.to_vec(),
        ];
        argv.extend(extra.iter().map(|a| a.as_bytes().to_vec()));
        cli::format_reply(&s.e.execute(&mut s.c, argv, T0))
    };
    let shown =
        |cmd: String| cmd.replace(&String::from_utf8_lossy(&payload).into_owned(), "<payload>");
    assert_eq!(restore(&mut s, "a", "5000", &[]), "OK");
    assert_eq!(
        restore(&mut s, "b", &(T0_MS + 9000).to_string(), &["ABSTTL"]),
        "OK"
    );
    assert_eq!(restore(&mut s, "c", "0", &[]), "OK");
    // A deadline already past: with REPLACE the old value goes, and only that is sent.
    assert_eq!(restore(&mut s, "a", "1", &["REPLACE", "ABSTTL"]), "OK");
    assert_eq!(restore(&mut s, "zz", "1", &["ABSTTL"]), "OK");
    let stream: Vec<String> = s.stream().into_iter().map(shown).collect();
    assert_eq!(
        stream,
        lines(&[
            &format!("RESTORE a {} <payload> ABSTTL", T0_MS + 5000),
            &format!("RESTORE b {} <payload> ABSTTL", T0_MS + 9000),
            "RESTORE c 0 <payload>",
            "DEL a",
        ])
    );
}

#[test]
fn sync_sends_the_dataset_as_an_rdb_file() {
    let mut e = Engine::new();
    e.accept_replicas();
    let mut c = e.new_client();
    e.execute(&mut c, args("SET k v"), T0);
    e.execute(&mut c, args("RPUSH l a b"), T0);
    let mut replica = e.new_client();
    let Reply::Bulk(rdb) = e.execute(&mut replica, args("SYNC"), T0) else {
        panic!("SYNC answers with the snapshot");
    };
    let mut copy = Engine::new();
    cachelab_core::rdb::keyspace::load(&mut copy, &rdb, T0_MS).expect("a valid RDB file");
    let mut cc = copy.new_client();
    assert_eq!(
        cli::format_reply(&copy.execute(&mut cc, args("GET k"), T0)),
        "\"v\""
    );
    assert_eq!(
        cli::format_reply(&copy.execute(&mut cc, args("LRANGE l 0 -1"), T0)),
        "1) \"a\"\n2) \"b\""
    );
}

#[test]
fn publish_is_propagated_though_it_changes_nothing() {
    let mut s = Setup::new();
    assert_eq!(s.run("PUBLISH news hello"), "(integer) 0");
    assert_eq!(s.run("SPUBLISH shard hi"), "(integer) 0");
    assert_eq!(
        s.stream(),
        lines(&["SELECT 0", "PUBLISH news hello", "SPUBLISH shard hi"])
    );
}

#[test]
fn restore_fires_restore_and_del_events() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    let mut sub = e.new_client();
    e.execute(&mut c, args("CONFIG SET notify-keyspace-events Eg"), T0);
    e.execute(
        &mut sub,
        args("SUBSCRIBE __keyevent@0__:restore __keyevent@0__:del"),
        T0,
    );
    e.execute(&mut c, args("SET k v"), T0);
    let Reply::Bulk(payload) = e.execute(&mut c, args("DUMP k"), T0) else {
        panic!("DUMP gives a payload");
    };
    let restore = |e: &mut Engine, c: &mut cachelab_core::Client, tail: &[&str]| {
        let mut argv = vec![b"RESTORE".to_vec(), b"r".to_vec()];
        argv.extend(tail.iter().take(1).map(|a| a.as_bytes().to_vec()));
        argv.push(payload.to_vec());
        argv.extend(tail.iter().skip(1).map(|a| a.as_bytes().to_vec()));
        cli::format_reply(&e.execute(c, argv, T0))
    };
    assert_eq!(restore(&mut e, &mut c, &["0"]), "OK");
    // A deadline already past with REPLACE: the old value is deleted.
    assert_eq!(restore(&mut e, &mut c, &["1", "REPLACE", "ABSTTL"]), "OK");
    let pushes: Vec<String> = e
        .take_pushes(sub.id)
        .iter()
        .map(cli::format_reply)
        .collect();
    assert_eq!(
        pushes,
        vec![
            "1) \"message\"\n2) \"__keyevent@0__:restore\"\n3) \"r\"".to_string(),
            "1) \"message\"\n2) \"__keyevent@0__:del\"\n3) \"r\"".to_string(),
        ]
    );
}

/// WAIT: answers at once when enough replicas acknowledged the caller's last
/// write, otherwise blocks (asking replicas with REPLCONF GETACK) until an ACK
/// or the timeout.
#[test]
fn wait_counts_the_replicas_that_acknowledged_the_last_write() {
    let mut s = Setup::new();
    assert_eq!(s.run("WAIT 1 0"), "(integer) 1", "nothing written yet");
    assert_eq!(s.run("WAIT 0 0"), "(integer) 1");
    s.run("SET k v");
    s.stream();
    let offset = s.e.replication_offset();
    // Not yet acknowledged: blocks, and the replicas are asked.
    let blocked = s.e.execute_blocking(&mut s.c, args("WAIT 1 0"), T0);
    assert!(matches!(blocked, Exec::Blocked), "{blocked:?}");
    assert_eq!(s.stream(), lines(&["REPLCONF GETACK *"]));
    // An ACK short of the write does not release it; one that covers it does.
    s.e.execute(
        &mut s.replica,
        args(&format!("REPLCONF ACK {}", offset - 1)),
        T0,
    );
    assert!(s.e.take_unblocked().is_empty());
    s.e.execute(&mut s.replica, args(&format!("REPLCONF ACK {offset}")), T0);
    let served = s.e.take_unblocked();
    assert_eq!(served.len(), 1);
    assert_eq!(cli::format_reply(&served[0].1), "(integer) 1");
    // Two replicas wanted, one there: the timeout answers with the count.
    s.run("SET k w");
    let blocked = s.e.execute_blocking(&mut s.c, args("WAIT 2 100"), T0);
    assert!(matches!(blocked, Exec::Blocked));
    s.e.expire_blocked(T0 + 50_000);
    assert!(s.e.take_unblocked().is_empty(), "not yet");
    s.e.expire_blocked(T0 + 100_000);
    let timed_out = s.e.take_unblocked();
    assert_eq!(cli::format_reply(&timed_out[0].1), "(integer) 0");
    // In a transaction it never blocks.
    s.run("MULTI");
    s.run("WAIT 2 0");
    assert_eq!(s.run("EXEC"), "1) (integer) 0");
    // Errors.
    assert_eq!(
        s.run("WAIT x 0"),
        "(error) ERR value is not an integer or out of range"
    );
    assert_eq!(
        s.run("WAIT 1 x"),
        "(error) ERR timeout is not an integer or out of range"
    );
    assert_eq!(s.run("WAIT 1 -1"), "(error) ERR timeout is negative");
}

#[test]
fn wait_without_replicas_times_out_with_zero() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    assert_eq!(
        cli::format_reply(&e.execute(&mut c, args("WAIT 0 0"), T0)),
        "(integer) 0"
    );
    let blocked = e.execute_blocking(&mut c, args("WAIT 1 1000"), T0);
    assert!(matches!(blocked, Exec::Blocked));
    e.expire_blocked(T0 + 1_000_000);
    let out = e.take_unblocked();
    assert_eq!(cli::format_reply(&out[0].1), "(integer) 0");
}
