//! The replica side: an engine that REPLICAOF made a replica, driven through
//! the link calls a host makes (states, snapshot, stream), with a real master
//! engine producing the snapshot and the stream. Manual clock throughout.

use cachelab_core::engine::Exec;
use cachelab_core::replica::{LinkState, MasterLinkError};
use cachelab_core::resp::RequestParser;
use cachelab_core::{cli, Client, Engine, Reply};

/// 2023-11-14T22:13:20Z, in µs.
const T0: u64 = 1_700_000_000_000_000;
const SEC: u64 = 1_000_000;

fn args(line: &str) -> Vec<Vec<u8>> {
    cli::tokenize(line).expect("test lines are well quoted")
}

fn run(e: &mut Engine, c: &mut Client, line: &str) -> String {
    run_at(e, c, line, T0)
}

fn run_at(e: &mut Engine, c: &mut Client, line: &str, now: u64) -> String {
    cli::format_reply(&e.execute(c, args(line), now))
}

/// One field of `INFO <section>`.
fn info(e: &mut Engine, section: &str, field: &str) -> String {
    info_at(e, section, field, T0)
}

fn info_at(e: &mut Engine, section: &str, field: &str, now: u64) -> String {
    let mut c = e.new_client();
    let Reply::Bulk(text) = e.execute(&mut c, args(&format!("INFO {section}")), now) else {
        panic!("INFO answers with a bulk string");
    };
    e.drop_client(&c);
    let text = String::from_utf8(text.into_vec()).expect("INFO is text");
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")).map(str::to_string))
        .unwrap_or_else(|| panic!("no {field} in INFO {section}:\n{text}"))
}

fn has_info(e: &mut Engine, section: &str, field: &str) -> bool {
    let mut c = e.new_client();
    let Reply::Bulk(text) = e.execute(&mut c, args(&format!("INFO {section}")), T0) else {
        panic!("INFO answers with a bulk string");
    };
    e.drop_client(&c);
    String::from_utf8_lossy(&text)
        .lines()
        .any(|l| l.starts_with(&format!("{field}:")))
}

/// Splits a replication stream into (arguments, raw bytes) per command.
fn commands(stream: &[u8]) -> Vec<(Vec<Vec<u8>>, Vec<u8>)> {
    let mut parser = RequestParser::new();
    let mut out = Vec::new();
    let mut at = 0;
    while at < stream.len() {
        let (argv, used) = parser
            .parse(&stream[at..])
            .expect("a well-formed stream")
            .expect("whole commands");
        out.push((argv, stream[at..at + used].to_vec()));
        at += used;
    }
    out
}

fn words(argv: &[Vec<u8>]) -> String {
    argv.iter()
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A master engine with one replica attached through PSYNC.
struct Master {
    e: Engine,
    c: Client,
    /// FULLRESYNC's replication ID and offset, and the snapshot.
    replid: String,
    offset: u64,
    rdb: Vec<u8>,
}

impl Master {
    fn new(setup: &[&str]) -> Master {
        let mut e = Engine::new();
        e.accept_replicas();
        let mut c = e.new_client();
        for line in setup {
            run(&mut e, &mut c, line);
        }
        let mut replica = e.new_client();
        replica.set_peer_ip("127.0.0.1");
        let Reply::Sequence(parts) = e.execute(&mut replica, args("PSYNC ? -1"), T0) else {
            panic!("PSYNC answers FULLRESYNC and the snapshot");
        };
        let [Reply::Status(full), Reply::Bulk(rdb)] = parts.as_slice() else {
            panic!("PSYNC answers FULLRESYNC and the snapshot: {parts:?}");
        };
        let mut words = full.split(' ');
        assert_eq!(words.next(), Some("FULLRESYNC"));
        let replid = words.next().expect("an ID").to_string();
        let offset = words.next().expect("an offset").parse().expect("a number");
        Master {
            e,
            c,
            replid,
            offset,
            rdb: rdb.to_vec(),
        }
    }

    fn run(&mut self, line: &str) -> String {
        run(&mut self.e, &mut self.c, line)
    }

    fn stream(&mut self) -> Vec<(Vec<Vec<u8>>, Vec<u8>)> {
        commands(&self.e.take_replication_stream())
    }
}

/// A replica engine whose link to `master` is up, and a client of its own.
fn connected_replica(master: &Master) -> (Engine, Client, u64) {
    let mut e = Engine::new();
    e.accept_replicas();
    let mut c = e.new_client();
    assert_eq!(run(&mut e, &mut c, "REPLICAOF 127.0.0.1 6379"), "OK");
    let epoch = e.master_target().expect("a master to connect to").epoch;
    assert!(e.set_master_link_state(epoch, LinkState::Connecting, T0));
    assert!(e.set_master_link_state(epoch, LinkState::Handshake, T0));
    assert!(e.begin_master_sync(epoch, Some(master.replid.clone()), Some(master.offset), T0));
    assert_eq!(e.load_master_snapshot(epoch, &master.rdb, T0), Ok(()));
    (e, c, epoch)
}

/// Applies the master's stream to the replica; the commands applied.
fn apply(replica: &mut Engine, epoch: u64, master: &mut Master, now: u64) -> Vec<String> {
    master
        .stream()
        .into_iter()
        .map(|(argv, raw)| {
            let shown = words(&argv);
            assert!(replica.execute_from_master(epoch, argv, &raw, now));
            shown
        })
        .collect()
}

#[test]
fn becoming_a_replica_releases_blocked_clients() {
    let mut e = Engine::new();
    e.accept_replicas();
    let mut waiter = e.new_client();
    let mut admin = e.new_client();
    assert_eq!(
        e.execute_blocking(&mut waiter, args("BLPOP q 0"), T0),
        Exec::Blocked
    );
    run(&mut e, &mut admin, "CONFIG RESETSTAT");
    assert_eq!(run(&mut e, &mut admin, "REPLICAOF 127.0.0.1 6379"), "OK");
    assert_eq!(e.blocked_clients(), 0);
    assert_eq!(
        e.take_unblocked(),
        vec![(
            waiter.id,
            Reply::error(
                "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)"
            )
        )]
    );
    // Redis closes them after the error.
    assert_eq!(e.take_closing_clients(), vec![waiter.id]);
    assert_eq!(
        info(&mut e, "commandstats", "cmdstat_blpop"),
        "calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0"
    );
    assert_eq!(info(&mut e, "errorstats", "errorstat_UNBLOCKED"), "count=1");
    // A client that blocks on a replica (XREAD is a read) is released again
    // when the master changes.
    let mut reader = e.new_client();
    assert_eq!(
        e.execute_blocking(&mut reader, args("XREAD BLOCK 0 STREAMS s $"), T0),
        Exec::Blocked
    );
    assert_eq!(run(&mut e, &mut admin, "REPLICAOF 127.0.0.1 6380"), "OK");
    assert_eq!(e.take_unblocked().len(), 1);
    assert_eq!(e.take_closing_clients(), vec![reader.id]);
}

/// unit/multi "MULTI / EXEC with REPLICAOF": demoted inside EXEC, the rest of
/// the transaction runs but is not propagated.
#[test]
fn a_transaction_that_demotes_the_master_is_not_propagated() {
    let mut m = Master::new(&[]);
    assert_eq!(m.run("SET foo bar"), "OK");
    assert_eq!(m.run("MULTI"), "OK");
    assert_eq!(m.run("SET foo2 bar"), "QUEUED");
    assert_eq!(m.run("REPLICAOF localhost 9999"), "QUEUED");
    assert_eq!(m.run("SET foo3 bar"), "QUEUED");
    assert_eq!(m.run("EXEC"), "1) OK\n2) OK\n3) OK");
    assert_eq!(
        m.run("SET foo4 bar"),
        "(error) READONLY You can't write against a read only replica."
    );
    let stream = m.stream();
    let sent: Vec<String> = stream.iter().map(|(argv, _)| words(argv)).collect();
    assert_eq!(sent, ["SELECT 0", "SET foo bar"]);
    let sent_bytes: usize = stream.iter().map(|(_, raw)| raw.len()).sum();
    assert_eq!(
        m.run("MGET foo foo2 foo3 foo4"),
        "1) \"bar\"\n2) \"bar\"\n3) \"bar\"\n4) (nil)"
    );
    // Still attached: a replica keeps its replicas when it changes master.
    assert_eq!(m.e.connected_replicas(), 1);
    assert!(m.e.take_closing_clients().is_empty());
    let replid = info(&mut m.e, "replication", "master_replid");
    let offset: i64 = info(&mut m.e, "replication", "master_repl_offset")
        .parse()
        .unwrap();
    assert_eq!(offset, sent_bytes as i64);
    // Promoted: a new history, and the replicas must resync.
    assert_eq!(m.run("REPLICAOF NO ONE"), "OK");
    assert_eq!(m.e.connected_replicas(), 0);
    assert_eq!(m.e.take_closing_clients().len(), 1);
    assert_eq!(info(&mut m.e, "replication", "role"), "master");
    assert_eq!(info(&mut m.e, "replication", "master_replid2"), replid);
    assert_ne!(info(&mut m.e, "replication", "master_replid"), replid);
    assert_eq!(
        info(&mut m.e, "replication", "second_repl_offset"),
        (offset + 1).to_string()
    );
    assert_eq!(m.run("SET foo5 bar"), "OK");
}

#[test]
fn psync_answers_fullresync_and_a_snapshot_that_says_where_the_stream_goes_on() {
    let m = Master::new(&["SET a 1", "SELECT 2", "SET b 2"]);
    assert_eq!(m.replid.len(), 40);
    assert_eq!(m.offset, 0);
    let mut copy = Engine::new();
    cachelab_core::rdb::keyspace::load(&mut copy, &m.rdb, T0 / 1000).expect("an RDB file");
    for aux in [
        &b"\x0erepl-stream-db"[..],
        b"\x07repl-id",
        b"\x0brepl-offset",
    ] {
        assert!(
            m.rdb.windows(aux.len()).any(|w| w == aux),
            "{} in the snapshot",
            String::from_utf8_lossy(&aux[1..])
        );
    }
    let mut e = Engine::new();
    e.accept_replicas();
    let mut c = e.new_client();
    // Attached replicas are listed by the address and port they announced.
    c.set_peer_ip("10.0.0.7");
    assert_eq!(run(&mut e, &mut c, "REPLCONF listening-port 6380"), "OK");
    assert!(matches!(
        e.execute(&mut c, args("SYNC"), T0),
        Reply::Bulk(_)
    ));
    let mut admin = e.new_client();
    assert_eq!(
        run(&mut e, &mut admin, "ROLE"),
        "1) \"master\"\n2) (integer) 0\n3) 1) 1) \"10.0.0.7\"\n      2) \"6380\"\n      3) \"0\""
    );
    assert_eq!(
        info(&mut e, "replication", "slave0"),
        "ip=10.0.0.7,port=6380,state=online,offset=0,lag=0"
    );
    run(&mut e, &mut c, "REPLCONF ACK 14");
    assert_eq!(
        info_at(&mut e, "replication", "slave0", T0 + 3 * SEC),
        "ip=10.0.0.7,port=6380,state=online,offset=14,lag=3"
    );
}

#[test]
fn the_master_stream_runs_as_the_master_client() {
    let mut m = Master::new(&["SET a 1", "SELECT 3", "RPUSH l x"]);
    let (mut e, mut c, epoch) = connected_replica(&m);
    // The master client is no incoming connection, but a client all the same.
    assert_eq!(info(&mut e, "stats", "total_connections_received"), "2");
    assert_eq!(info(&mut e, "clients", "connected_clients"), "3");
    assert_eq!(run(&mut e, &mut c, "GET a"), "\"1\"");
    assert_eq!(run(&mut e, &mut c, "SELECT 3"), "OK");
    assert_eq!(run(&mut e, &mut c, "LRANGE l 0 -1"), "1) \"x\"");
    assert_eq!(
        run(&mut e, &mut c, "ROLE"),
        "1) \"slave\"\n2) \"127.0.0.1\"\n3) (integer) 6379\n4) \"connected\"\n5) (integer) 0"
    );
    // The stream: writes in several databases, a transaction, a PING.
    m.run("RPUSH l y");
    m.run("SELECT 0");
    m.run("INCR n");
    m.run("MULTI");
    m.run("SET t 1");
    m.run("SET u 2");
    m.run("EXEC");
    let applied = apply(&mut e, epoch, &mut m, T0);
    assert_eq!(
        applied,
        [
            "SELECT 3",
            "RPUSH l y",
            "SELECT 0",
            "INCR n",
            "MULTI",
            "SET t 1",
            "SET u 2",
            "EXEC"
        ]
    );
    assert_eq!(run(&mut e, &mut c, "LRANGE l 0 -1"), "1) \"x\"\n2) \"y\"");
    assert_eq!(run(&mut e, &mut c, "SELECT 0"), "OK");
    assert_eq!(
        run(&mut e, &mut c, "MGET n t u"),
        "1) \"1\"\n2) \"1\"\n3) \"2\""
    );
    // Both sides count the same bytes.
    let offset = info(&mut m.e, "replication", "master_repl_offset");
    assert_eq!(info(&mut e, "replication", "slave_repl_offset"), offset);
    assert_eq!(info(&mut e, "replication", "master_repl_offset"), offset);
    assert_eq!(info(&mut e, "replication", "master_replid"), m.replid);
    assert_eq!(info(&mut e, "replication", "master_link_status"), "up");
    assert!(!has_info(
        &mut e,
        "replication",
        "master_link_down_since_seconds"
    ));
    assert_eq!(
        run(&mut e, &mut c, "ROLE"),
        format!(
            "1) \"slave\"\n2) \"127.0.0.1\"\n3) (integer) 6379\n4) \"connected\"\n5) (integer) {offset}"
        )
    );
    // Clients still may not write.
    assert_eq!(
        run(&mut e, &mut c, "SET mine 1"),
        "(error) READONLY You can't write against a read only replica."
    );
}

#[test]
fn a_transaction_from_the_master_counts_once_exec_has_run() {
    let mut m = Master::new(&[]);
    let (mut e, mut c, epoch) = connected_replica(&m);
    m.run("MULTI");
    m.run("SET t 1");
    m.run("INCR t");
    m.run("EXEC");
    let stream = m.stream();
    assert_eq!(stream.len(), 5, "SELECT, MULTI, SET, INCR, EXEC");
    let mut expected = 0u64;
    for (i, (argv, raw)) in stream.into_iter().enumerate() {
        let before: u64 = info(&mut e, "replication", "slave_repl_offset")
            .parse()
            .unwrap();
        expected += raw.len() as u64;
        assert!(e.execute_from_master(epoch, argv, &raw, T0));
        let after: u64 = info(&mut e, "replication", "slave_repl_offset")
            .parse()
            .unwrap();
        if (1..4).contains(&i) {
            // MULTI, SET and INCR wait for EXEC.
            assert_eq!(after, before, "command {i}");
        } else {
            assert_eq!(after, expected, "command {i}");
        }
    }
    assert_eq!(run(&mut e, &mut c, "GET t"), "\"2\"");
}

#[test]
fn getack_is_answered_with_the_offset_before_it() {
    let mut m = Master::new(&[]);
    let (mut e, _c, epoch) = connected_replica(&m);
    m.run("SET a 1");
    let applied = apply(&mut e, epoch, &mut m, T0);
    assert_eq!(applied, ["SELECT 0", "SET a 1"]);
    let offset = info(&mut e, "replication", "slave_repl_offset");
    assert_eq!(e.take_master_reply(epoch), Some(Vec::new()));
    let getack = b"*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n";
    assert!(e.execute_from_master(epoch, args("REPLCONF GETACK *"), getack, T0));
    let ack = format!(
        "*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n${}\r\n{offset}\r\n",
        offset.len()
    );
    assert_eq!(
        e.take_master_reply(epoch).map(String::from_utf8),
        Some(Ok(ack))
    );
    // The periodic ACK includes the GETACK itself.
    let now: u64 = offset.parse::<u64>().unwrap() + getack.len() as u64;
    let ack = format!(
        "*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n${}\r\n{now}\r\n",
        now.to_string().len()
    );
    assert_eq!(e.master_ack(epoch).map(String::from_utf8), Some(Ok(ack)));
}

#[test]
fn the_link_state_shows_in_role_info_and_stale_data_checks() {
    let m = Master::new(&["SET k v"]);
    let mut e = Engine::new();
    let mut c = e.new_client();
    run(&mut e, &mut c, "REPLICAOF 127.0.0.1 6379");
    run(&mut e, &mut c, "CONFIG SET replica-serve-stale-data no");
    let epoch = e.master_target().unwrap().epoch;
    let role = |e: &mut Engine, c: &mut Client| {
        let r = run(e, c, "ROLE");
        r.lines().nth(3).unwrap_or_default().to_string()
    };
    assert_eq!(role(&mut e, &mut c), "4) \"connect\"");
    assert_eq!(e.master_link_state(), Some(LinkState::Connect));
    e.set_master_link_state(epoch, LinkState::Connecting, T0);
    assert_eq!(role(&mut e, &mut c), "4) \"connecting\"");
    e.set_master_link_state(epoch, LinkState::Handshake, T0);
    assert_eq!(role(&mut e, &mut c), "4) \"handshake\"");
    e.begin_master_sync(epoch, Some(m.replid.clone()), Some(m.offset), T0);
    assert_eq!(role(&mut e, &mut c), "4) \"sync\"");
    assert_eq!(info(&mut e, "replication", "master_sync_in_progress"), "1");
    assert_eq!(info(&mut e, "replication", "master_sync_total_bytes"), "-1");
    e.master_sync_progress(epoch, 100, 25, T0);
    assert_eq!(
        info(&mut e, "replication", "master_sync_total_bytes"),
        "100"
    );
    assert_eq!(info(&mut e, "replication", "master_sync_read_bytes"), "25");
    assert_eq!(info(&mut e, "replication", "master_sync_left_bytes"), "75");
    assert_eq!(info(&mut e, "replication", "master_sync_perc"), "25.00");
    assert_eq!(info(&mut e, "replication", "master_link_status"), "down");
    assert_eq!(
        info(&mut e, "replication", "master_link_down_since_seconds"),
        "-1"
    );
    assert_eq!(
        run(&mut e, &mut c, "GET k"),
        "(error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
    );
    // SYNC and PSYNC lack the stale flag.
    assert_eq!(
        run(&mut e, &mut c, "PSYNC ? -1"),
        "(error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
    );
    e.load_master_snapshot(epoch, &m.rdb, T0).unwrap();
    assert_eq!(run(&mut e, &mut c, "GET k"), "\"v\"");
    assert_eq!(info(&mut e, "replication", "master_sync_in_progress"), "0");
    assert_eq!(
        info(&mut e, "replication", "master_last_io_seconds_ago"),
        "0"
    );
    // The link drops: the master client goes, the data stays (stale).
    assert!(e.set_master_link_state(epoch, LinkState::Connect, T0 + 5 * SEC));
    let later = T0 + 12 * SEC;
    let field = |e: &mut Engine, f: &str| info_at(e, "replication", f, later);
    assert_eq!(field(&mut e, "master_link_status"), "down");
    assert_eq!(field(&mut e, "master_last_io_seconds_ago"), "-1");
    assert_eq!(field(&mut e, "master_link_down_since_seconds"), "7");
    assert_eq!(
        run(&mut e, &mut c, "ROLE"),
        "1) \"slave\"\n2) \"127.0.0.1\"\n3) (integer) 6379\n4) \"connect\"\n5) (integer) -1"
    );
    assert!(!e.execute_from_master(epoch, args("SET k w"), b"", T0));
    assert_eq!(
        run(&mut e, &mut c, "GET k"),
        "(error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
    );
    assert_eq!(info(&mut e, "clients", "connected_clients"), "2");
}

#[test]
fn calls_for_an_older_master_are_refused() {
    let m = Master::new(&["SET k v"]);
    let (mut e, mut c, epoch) = connected_replica(&m);
    assert_eq!(run(&mut e, &mut c, "REPLICAOF 127.0.0.1 7000"), "OK");
    let target = e.master_target().unwrap();
    assert_ne!(target.epoch, epoch);
    assert_eq!((target.host.as_str(), target.port), ("127.0.0.1", 7000));
    assert!(!e.set_master_link_state(epoch, LinkState::Connecting, T0));
    assert!(!e.begin_master_sync(epoch, None, None, T0));
    assert!(!e.execute_from_master(epoch, args("SET k w"), b"x", T0));
    assert_eq!(
        e.load_master_snapshot(epoch, &m.rdb, T0),
        Err(MasterLinkError::Obsolete)
    );
    assert_eq!(e.master_ack(epoch), None);
    assert_eq!(e.take_master_reply(epoch), None);
    // The new master's link starts from scratch.
    assert_eq!(e.master_link_state(), Some(LinkState::Connect));
    assert_eq!(run(&mut e, &mut c, "GET k"), "\"v\"");
    // The old master client is gone: ours and INFO's remain.
    assert_eq!(info(&mut e, "clients", "connected_clients"), "2");
    assert_eq!(run(&mut e, &mut c, "REPLICAOF NO ONE"), "OK");
    assert_eq!(e.master_target(), None);
    assert!(!e.set_master_link_state(target.epoch, LinkState::Connecting, T0));
}

#[test]
fn a_snapshot_that_does_not_load_leaves_an_empty_dataset() {
    let (mut e, mut c, _) = connected_replica(&Master::new(&["SET k v"]));
    assert_eq!(run(&mut e, &mut c, "DBSIZE"), "(integer) 1");
    run(&mut e, &mut c, "REPLICAOF 127.0.0.1 7000");
    let epoch = e.master_target().unwrap().epoch;
    e.begin_master_sync(epoch, None, None, T0);
    assert!(matches!(
        e.load_master_snapshot(epoch, b"REDIS0010garbage", T0),
        Err(MasterLinkError::Snapshot(_))
    ));
    assert_eq!(e.master_link_state(), Some(LinkState::Connect));
    assert_eq!(run(&mut e, &mut c, "DBSIZE"), "(integer) 0");
}

#[test]
fn keys_expire_when_the_master_says_so() {
    let mut m = Master::new(&["SET k v PX 1000", "SET keep v"]);
    let (mut e, mut c, epoch) = connected_replica(&m);
    let later = T0 + 2 * SEC;
    // Past its deadline the key reads as missing, but stays until the DEL.
    assert_eq!(run_at(&mut e, &mut c, "GET k", later), "(nil)");
    assert_eq!(run_at(&mut e, &mut c, "EXISTS k", later), "(integer) 0");
    e.active_expire_cycle(later);
    assert_eq!(run_at(&mut e, &mut c, "DBSIZE", later), "(integer) 2");
    assert_eq!(info(&mut e, "stats", "expired_keys"), "0");
    // The master's own lookup expires it and sends a DEL.
    assert_eq!(run_at(&mut m.e, &mut m.c, "GET k", later), "(nil)");
    assert_eq!(apply(&mut e, epoch, &mut m, later), ["SELECT 0", "DEL k"]);
    assert_eq!(run_at(&mut e, &mut c, "DBSIZE", later), "(integer) 1");
}

#[test]
fn a_snapshot_keeps_keys_past_their_deadline_for_the_master_to_delete() {
    let m = Master::new(&["SET k v PX 1000"]);
    let mut e = Engine::new();
    let mut c = e.new_client();
    run(&mut e, &mut c, "REPLICAOF 127.0.0.1 6379");
    let epoch = e.master_target().unwrap().epoch;
    e.load_master_snapshot(epoch, &m.rdb, T0 + 5 * SEC).unwrap();
    assert_eq!(run(&mut e, &mut c, "DBSIZE"), "(integer) 1");
}

#[test]
fn a_replica_relays_its_masters_stream_to_its_own_replicas() {
    let mut m = Master::new(&["SELECT 4", "SET a 1"]);
    let mut e = Engine::new();
    e.accept_replicas();
    let mut c = e.new_client();
    run(&mut e, &mut c, "REPLICAOF 127.0.0.1 6379");
    let epoch = e.master_target().unwrap().epoch;
    // Nothing to relay before the link is up.
    let mut sub = e.new_client();
    assert_eq!(
        run(&mut e, &mut sub, "SYNC"),
        "(error) NOMASTERLINK Can't SYNC while not connected with my master"
    );
    assert!(!sub.is_replica());
    e.begin_master_sync(epoch, Some(m.replid.clone()), Some(m.offset), T0);
    e.load_master_snapshot(epoch, &m.rdb, T0).unwrap();
    m.run("SET b 2");
    apply(&mut e, epoch, &mut m, T0);
    // Attached now, it continues where the master client is: in database 4,
    // at the master's offset, in the master's history.
    let Reply::Sequence(parts) = e.execute(&mut sub, args("PSYNC ? -1"), T0) else {
        panic!("FULLRESYNC and a snapshot");
    };
    let [Reply::Status(full), Reply::Bulk(rdb)] = parts.as_slice() else {
        panic!("FULLRESYNC and a snapshot: {parts:?}");
    };
    let offset = info(&mut m.e, "replication", "master_repl_offset");
    assert_eq!(full, &format!("FULLRESYNC {} {offset}", m.replid));
    assert!(rdb.windows(17).any(|w| w == b"\x0erepl-stream-db\xc0\x04"));
    let mut sub_engine = Engine::new();
    let mut sc = sub_engine.new_client();
    run(&mut sub_engine, &mut sc, "REPLICAOF 127.0.0.1 6380");
    let sub_epoch = sub_engine.master_target().unwrap().epoch;
    let offset = offset.parse().ok();
    sub_engine.begin_master_sync(sub_epoch, Some(m.replid.clone()), offset, T0);
    sub_engine.load_master_snapshot(sub_epoch, rdb, T0).unwrap();
    m.run("SET c 3");
    m.run("SELECT 0");
    m.run("SET d 4");
    let master_bytes: Vec<u8> = m
        .stream()
        .into_iter()
        .flat_map(|(argv, raw)| {
            assert!(e.execute_from_master(epoch, argv, &raw, T0));
            raw
        })
        .collect();
    // The same bytes, not commands of its own (no SELECT for the newcomer).
    let relayed = e.take_replication_stream();
    assert_eq!(relayed, master_bytes);
    for (argv, raw) in commands(&relayed) {
        assert!(sub_engine.execute_from_master(sub_epoch, argv, &raw, T0));
    }
    assert_eq!(run(&mut sub_engine, &mut sc, "SELECT 4"), "OK");
    assert_eq!(
        run(&mut sub_engine, &mut sc, "MGET a b c"),
        "1) \"1\"\n2) \"2\"\n3) \"3\""
    );
    assert_eq!(run(&mut sub_engine, &mut sc, "SELECT 0"), "OK");
    assert_eq!(run(&mut sub_engine, &mut sc, "GET d"), "\"4\"");
    // Everyone down the chain shares the master's offset.
    let offset = info(&mut m.e, "replication", "master_repl_offset");
    assert_eq!(info(&mut e, "replication", "master_repl_offset"), offset);
    assert_eq!(
        info(&mut sub_engine, "replication", "master_repl_offset"),
        offset
    );
    // A new snapshot from the master: our replicas must resync.
    assert!(e.take_closing_clients().is_empty());
    e.load_master_snapshot(epoch, &m.rdb, T0).unwrap();
    assert_eq!(e.take_closing_clients(), vec![sub.id]);
    assert_eq!(e.connected_replicas(), 0);
}

#[test]
fn a_replica_ignores_maxmemory() {
    let m = Master::new(&["SET k v"]);
    let (mut e, mut c, epoch) = connected_replica(&m);
    run(&mut e, &mut c, "CONFIG SET maxmemory-policy allkeys-random");
    run(&mut e, &mut c, "CONFIG SET maxmemory 1");
    assert!(e.execute_from_master(
        epoch,
        args("SET big value"),
        b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$5\r\nvalue\r\n",
        T0
    ));
    assert_eq!(run(&mut e, &mut c, "DBSIZE"), "(integer) 2");
    assert_eq!(info(&mut e, "stats", "evicted_keys"), "0");
    run(&mut e, &mut c, "CONFIG SET replica-ignore-maxmemory no");
    assert_eq!(run(&mut e, &mut c, "GET k"), "(nil)");
}
