//! The replication stream: what a replica attached with SYNC receives for each
//! command, checked argument by argument (Redis 7.0's propagation rules).

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
fn relative_ttls_become_absolute_pxat() {
    let mut s = Setup::new();
    let at = T0_MS + 100_000;
    s.run("SET k v EX 100");
    s.run("SET k v PX 100000");
    s.run(&format!("SET k v EXAT {}", at / 1000));
    s.run(&format!("SET k v PXAT {at}"));
    s.run("SETEX k 100 v");
    s.run("PSETEX k 100000 v");
    s.run("SET k v PX 100000 GET");
    s.run("SET k v GET KEEPTTL get");
    let pxat = format!("SET k v PXAT {at}");
    assert_eq!(
        s.stream(),
        vec![
            "SELECT 0".to_string(),
            pxat.clone(),
            pxat.clone(),
            pxat.clone(),
            pxat.clone(),
            pxat.clone(),
            pxat.clone(),
            pxat,
            "SET k v KEEPTTL".to_string(),
        ]
    );
}

#[test]
fn expire_family_becomes_pexpireat() {
    let mut s = Setup::new();
    s.run("SET k v");
    s.stream();
    let at = T0_MS + 100_000;
    s.run("EXPIRE k 100");
    s.run("PEXPIRE k 100000 XX");
    s.run(&format!("EXPIREAT k {}", at / 1000));
    s.run(&format!("PEXPIREAT k {at}"));
    s.run("EXPIRE k 50 GT"); // no change
    s.run("EXPIRE k -1");
    assert_eq!(
        s.stream(),
        vec![
            format!("PEXPIREAT k {at}"),
            format!("PEXPIREAT k {at} XX"),
            format!("PEXPIREAT k {at}"),
            format!("PEXPIREAT k {at}"),
            "DEL k".to_string(),
        ]
    );
}

#[test]
fn deadlines_in_the_past_propagate_as_deletions() {
    let mut s = Setup::new();
    s.run("SET k v");
    s.run("EXPIREAT k 1");
    s.run("SET k v");
    s.run("CONFIG SET lazyfree-lazy-expire yes");
    s.run("PEXPIRE k 0");
    assert_eq!(
        s.stream(),
        lines(&["SELECT 0", "SET k v", "DEL k", "SET k v", "UNLINK k"])
    );
}

#[test]
fn getex_and_getdel_propagate_as_what_they_did() {
    let mut s = Setup::new();
    s.run("SET k v");
    s.run("GETEX k EX 10");
    s.run("GETEX k PERSIST");
    s.run("GETEX k PERSIST");
    s.run("GETEX k");
    s.run("GETEX k EXAT 1");
    s.run("SET k v");
    s.run("GETDEL k");
    s.run("GETDEL k");
    assert_eq!(
        s.stream(),
        vec![
            "SELECT 0".to_string(),
            "SET k v".to_string(),
            format!("PEXPIREAT k {}", T0_MS + 10_000),
            "PERSIST k".to_string(),
            "DEL k".to_string(),
            "SET k v".to_string(),
            "DEL k".to_string(),
        ]
    );
}

#[test]
fn float_increments_propagate_their_result() {
    let mut s = Setup::new();
    s.run("SET f 10.5");
    s.run("INCRBYFLOAT f 0.1");
    s.run("HINCRBYFLOAT h x 1.5");
    s.run("HINCRBYFLOAT h x 1e2");
    s.run("GETSET f 1");
    assert_eq!(
        s.stream(),
        lines(&[
            "SELECT 0",
            "SET f 10.5",
            "SET f 10.6 KEEPTTL",
            "HSET h x 1.5",
            "HSET h x 101.5",
            "SET f 1",
        ])
    );
}

#[test]
fn spop_propagates_the_members_it_removed() {
    let mut s = Setup::new();
    s.run("SADD s a");
    s.run("SPOP s");
    s.run("SADD s a b c d");
    s.stream();
    let popped = s.run("SPOP s 2");
    let mut members: Vec<&str> = popped
        .lines()
        .filter_map(|l| l.split_once('"').map(|(_, m)| m.trim_end_matches('"')))
        .collect();
    members.sort_unstable();
    let mut stream = s.stream();
    assert_eq!(stream.first().map(String::as_str), Some("MULTI"));
    assert_eq!(stream.last().map(String::as_str), Some("EXEC"));
    stream.retain(|c| c.starts_with("SREM"));
    stream.sort();
    let expect: Vec<String> = members.iter().map(|m| format!("SREM s {m}")).collect();
    assert_eq!(stream, expect);
    s.run("SPOP s 10");
    assert_eq!(s.stream(), lines(&["DEL s"]));
}

#[test]
fn single_spop_is_an_srem() {
    let mut s = Setup::new();
    s.run("SADD s a");
    s.run("SPOP s");
    assert_eq!(s.stream(), lines(&["SELECT 0", "SADD s a", "SREM s a"]));
}

#[test]
fn pops_of_several_keys_propagate_as_plain_pops_with_a_count() {
    let mut s = Setup::new();
    s.run("RPUSH l a b c");
    s.run("LMPOP 2 nokey l LEFT COUNT 2");
    s.run("BLMPOP 0 1 l RIGHT COUNT 5");
    s.run("BLPOP nokey 0"); // would block: execute() answers nil, changes nothing
    s.run("RPUSH l x y");
    s.run("BRPOP l 0");
    s.run("BLMOVE l dst LEFT right 0");
    s.run("RPUSH l z");
    s.run("BRPOPLPUSH l dst 0");
    s.run("ZADD z 1 a 2 b 3 c");
    s.run("ZMPOP 1 z MAX COUNT 2");
    s.run("BZPOPMIN z 0");
    assert_eq!(
        s.stream(),
        lines(&[
            "SELECT 0",
            "RPUSH l a b c",
            "LPOP l 2",
            "RPOP l 1",
            "RPUSH l x y",
            "RPOP l",
            "LMOVE l dst LEFT right",
            "RPUSH l z",
            "RPOPLPUSH l dst",
            "ZADD z 1 a 2 b 3 c",
            "ZPOPMAX z 2",
            "ZPOPMIN z",
        ])
    );
}

#[test]
fn a_blocked_pop_served_later_propagates_after_the_push() {
    let mut s = Setup::new();
    let mut waiter = s.e.new_client();
    s.e.execute(&mut waiter, args("SELECT 2"), T0);
    let blpop = s.e.execute_blocking(&mut waiter, args("BLPOP l 0"), T0);
    assert_eq!(blpop, Exec::Blocked);
    let mut zwaiter = s.e.new_client();
    s.e.execute(&mut zwaiter, args("SELECT 2"), T0);
    let bzmpop =
        s.e.execute_blocking(&mut zwaiter, args("BZMPOP 0 1 z MIN COUNT 5"), T0);
    assert_eq!(bzmpop, Exec::Blocked);
    let mut mover = s.e.new_client();
    s.e.execute(&mut mover, args("SELECT 2"), T0);
    let blmove =
        s.e.execute_blocking(&mut mover, args("BLMOVE src l RIGHT LEFT 0"), T0);
    assert_eq!(blmove, Exec::Blocked);
    s.run("SELECT 2");
    s.run("RPUSH l a b");
    s.run("ZADD z 1 a 2 b");
    s.run("RPUSH src x");
    let served: Vec<u64> = s.e.take_unblocked().iter().map(|(id, _)| *id).collect();
    assert_eq!(served.len(), 3);
    assert_eq!(
        s.stream(),
        lines(&[
            "SELECT 2",
            "RPUSH l a b",
            "LPOP l",
            "ZADD z 1 a 2 b",
            "ZPOPMIN z 2",
            "RPUSH src x",
            "LMOVE src l right left",
        ])
    );
}

#[test]
fn transactions_with_several_effects_are_wrapped_in_multi_exec() {
    let mut s = Setup::new();
    for line in ["MULTI", "SET a 1", "GET a", "SET b 2", "EXEC"] {
        s.run(line);
    }
    assert_eq!(
        s.stream(),
        lines(&["SELECT 0", "MULTI", "SET a 1", "SET b 2", "EXEC"])
    );
    // One write: no wrapping. None: nothing at all.
    for line in [
        "MULTI", "SET a 1", "GET a", "EXEC", "MULTI", "GET a", "EXEC",
    ] {
        s.run(line);
    }
    for line in ["MULTI", "EXEC", "MULTI", "DEL nokey", "EXEC"] {
        s.run(line);
    }
    assert_eq!(s.stream(), lines(&["SET a 1"]));
}

#[test]
fn select_inside_a_transaction_is_propagated_between_its_writes() {
    let mut s = Setup::new();
    s.run("SET x 0");
    s.stream();
    for line in [
        "MULTI", "SELECT 1", "SET a 1", "SELECT 2", "SET b 2", "SELECT 0", "EXEC",
    ] {
        s.run(line);
    }
    assert_eq!(
        s.stream(),
        lines(&["SELECT 1", "MULTI", "SET a 1", "SELECT 2", "SET b 2", "EXEC"])
    );
}

#[test]
fn a_command_with_several_effects_is_a_transaction() {
    let mut s = Setup::new();
    s.run("SET k v PX 10");
    s.stream();
    // The write finds the key expired: the expiry's DEL and the SET go together.
    s.run_at("SET k w", T0 + 20_000);
    assert_eq!(s.stream(), lines(&["MULTI", "DEL k", "SET k w", "EXEC"]));
}

#[test]
fn lazy_expiry_propagates_a_del() {
    let mut s = Setup::new();
    s.run("SET a 1 PX 10");
    s.run("SET b 1 PX 10");
    s.stream();
    let later = T0 + 20_000;
    assert_eq!(s.run_at("GET a", later), "(nil)");
    assert_eq!(s.stream(), lines(&["DEL a"]));
    s.run_at("CONFIG SET lazyfree-lazy-expire yes", later);
    s.run_at("EXISTS b", later);
    assert_eq!(s.stream(), lines(&["UNLINK b"]));
}

#[test]
fn scan_expiring_several_keys_is_not_a_transaction() {
    let mut s = Setup::new();
    s.run("SET a 1 PX 10");
    s.run("SET b 1 PX 10");
    s.stream();
    s.run_at("SCAN 0", T0 + 20_000);
    let mut stream = s.stream();
    stream.sort();
    assert_eq!(stream, lines(&["DEL a", "DEL b"]));
}

#[test]
fn active_expiry_propagates_dels_without_a_transaction() {
    let mut s = Setup::new();
    s.run("SET a 1 PX 10");
    s.run("SET b 1 PX 10");
    s.run("SET c 1");
    s.stream();
    s.e.active_expire_cycle(T0 + 20_000);
    let mut stream = s.stream();
    stream.sort();
    assert_eq!(stream, lines(&["DEL a", "DEL b"]));
}

#[test]
fn evictions_propagate_dels() {
    let mut s = Setup::new();
    s.run("SET a 1");
    s.run("CONFIG SET maxmemory-policy allkeys-random");
    s.stream();
    let limit = s.e.used_memory() + 200;
    s.run(&format!("CONFIG SET maxmemory {limit}"));
    s.run(&format!("SET big {}", "x".repeat(400)));
    // Like Redis, memory is checked before each command.
    s.run("PING");
    let stream = s.stream();
    assert!(
        stream.iter().any(|c| c.starts_with("DEL ")),
        "an eviction is a DEL: {stream:?}"
    );
    assert!(!stream.iter().any(|c| c == "MULTI"), "{stream:?}");
}

#[test]
fn flushes_are_propagated_even_when_empty() {
    let mut s = Setup::new();
    s.run("FLUSHALL");
    s.run("FLUSHDB ASYNC");
    assert_eq!(
        s.stream(),
        lines(&["SELECT 0", "FLUSHALL", "FLUSHDB ASYNC"])
    );
}

#[test]
fn xadd_propagates_the_generated_id_and_an_exact_trim() {
    let mut s = Setup::new();
    s.run("XADD s * a 1");
    s.run("XADD s 5-* a 2");
    s.run("XADD s 6-1 a 3");
    s.run("XADD s MAXLEN ~ 1 * a 4");
    s.run("XTRIM s MAXLEN 1");
    assert_eq!(
        s.stream(),
        vec![
            "SELECT 0".to_string(),
            format!("XADD s {T0_MS}-0 a 1"),
            // 5-* is below the top ID: an error, nothing propagated.
            // 6-1 too.
            format!("XADD s MAXLEN = 2 {T0_MS}-1 a 4"),
            "XTRIM s MAXLEN 1".to_string(),
        ]
    );
}

#[test]
fn xreadgroup_propagates_xclaims() {
    let mut s = Setup::new();
    s.run("XADD s 1-1 a 1");
    s.run("XADD s 2-1 b 2");
    s.run("XGROUP CREATE s g 0");
    s.stream();
    s.run("XREADGROUP GROUP g alice COUNT 1 STREAMS s >");
    s.run("XREADGROUP GROUP g alice STREAMS s 0");
    s.run("XREADGROUP GROUP g bob STREAMS s >");
    let claim = |id: &str, c: &str| {
        format!("XCLAIM s g {c} 0 {id} TIME {T0_MS} RETRYCOUNT 1 FORCE JUSTID LASTID {id}")
    };
    assert_eq!(s.stream(), vec![claim("1-1", "alice"), claim("2-1", "bob")]);
    s.run("XADD s 3-1 c 3");
    s.run("XADD s 4-1 d 4");
    s.stream();
    s.run("XREADGROUP GROUP g carol NOACK STREAMS s >");
    assert_eq!(
        s.stream(),
        lines(&[
            "MULTI",
            "XGROUP CREATECONSUMER s g carol",
            "XGROUP SETID s g 4-1 ENTRIESREAD 4",
            "EXEC",
        ])
    );
}

#[test]
fn xclaim_and_xautoclaim_propagate_xclaims() {
    let mut s = Setup::new();
    s.run("XADD s 1-1 a 1");
    s.run("XADD s 2-1 b 2");
    s.run("XGROUP CREATE s g 0");
    s.run("XREADGROUP GROUP g alice STREAMS s >");
    s.stream();
    s.run("XCLAIM s g bob 0 1-1 JUSTID");
    assert_eq!(
        s.stream(),
        vec![format!(
            "XCLAIM s g bob 0 1-1 TIME {T0_MS} RETRYCOUNT 1 FORCE JUSTID LASTID 2-1"
        )]
    );
    s.run("XAUTOCLAIM s g carol 0 0");
    assert_eq!(
        s.stream(),
        vec![
            "MULTI".to_string(),
            format!("XCLAIM s g carol 0 1-1 TIME {T0_MS} RETRYCOUNT 2 FORCE JUSTID LASTID 2-1"),
            format!("XCLAIM s g carol 0 2-1 TIME {T0_MS} RETRYCOUNT 2 FORCE JUSTID LASTID 2-1"),
            "EXEC".to_string(),
        ]
    );
    s.run("XCLAIM s g bob 0 9-9 LASTID 5-0");
    assert_eq!(s.stream(), lines(&["XGROUP SETID s g 5-0 ENTRIESREAD 2"]));
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
