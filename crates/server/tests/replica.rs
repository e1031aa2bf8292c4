//! REPLICAOF over real sockets: a cachelab-server following a cachelab master
//! (and a replica of that replica), following a scripted master that checks
//! every byte of the handshake and the acknowledgements, through a diskless
//! snapshot, a dropped link and a disk snapshot; and what a change of role
//! does to blocked clients and attached replicas.
//!
//! Waiting is always for a condition (polled, with a deadline), never a
//! fixed sleep.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

mod common;

use common::{connect, expect_closed, expect_reply, read_line, request, start_server};

/// How long a replica may take to get in sync.
const DEADLINE: Duration = Duration::from_secs(10);

/// A reply, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Status(String),
    Error(String),
    Int(i64),
    Bulk(Option<Vec<u8>>),
    Array(Vec<Value>),
}

fn read_value(stream: &mut TcpStream) -> Value {
    let line = read_line(stream);
    let (kind, rest) = line.split_at(1);
    match kind {
        "+" => Value::Status(rest.to_string()),
        "-" => Value::Error(rest.to_string()),
        ":" => Value::Int(rest.parse().expect("an integer")),
        "$" => {
            let Ok(len) = usize::try_from(rest.parse::<i64>().expect("a length")) else {
                return Value::Bulk(None);
            };
            let mut body = vec![0u8; len + 2];
            stream.read_exact(&mut body).expect("a bulk");
            body.truncate(len);
            Value::Bulk(Some(body))
        }
        "*" => {
            let n: usize = rest.parse().expect("a count");
            Value::Array((0..n).map(|_| read_value(stream)).collect())
        }
        _ => panic!("not a reply: {line:?}"),
    }
}

fn call(stream: &mut TcpStream, args: &[&str]) -> Value {
    stream.write_all(&request(args)).expect("write");
    read_value(stream)
}

fn bulk(text: &str) -> Value {
    Value::Bulk(Some(text.as_bytes().to_vec()))
}

fn ok() -> Value {
    Value::Status("OK".to_string())
}

/// One field of `INFO <section>`.
fn info(stream: &mut TcpStream, section: &str, field: &str) -> String {
    let Value::Bulk(Some(text)) = call(stream, &["INFO", section]) else {
        panic!("INFO answers with a bulk string");
    };
    String::from_utf8_lossy(&text)
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")).map(str::to_string))
        .unwrap_or_default()
}

/// Polls `probe` until it returns `want`, within [`DEADLINE`].
fn wait_for<T: PartialEq + std::fmt::Debug>(what: &str, want: T, mut probe: impl FnMut() -> T) {
    let deadline = Instant::now() + DEADLINE;
    let mut last = probe();
    while last != want {
        assert!(
            Instant::now() < deadline,
            "{what}: still {last:?}, want {want:?}"
        );
        thread::sleep(Duration::from_millis(10));
        last = probe();
    }
}

/// The link state in ROLE (`connect`, ..., `connected`).
fn link_state(stream: &mut TcpStream) -> String {
    match call(stream, &["ROLE"]) {
        Value::Array(parts) => match parts.get(3) {
            Some(Value::Bulk(Some(state))) => String::from_utf8_lossy(state).into_owned(),
            _ => "master".to_string(),
        },
        other => panic!("ROLE: {other:?}"),
    }
}

/// A port with nothing listening on it (bound, then let go).
fn unused_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("local_addr").port()
}

fn replicaof(stream: &mut TcpStream, master: SocketAddr) {
    let port = master.port().to_string();
    assert_eq!(call(stream, &["REPLICAOF", "127.0.0.1", &port]), ok());
}

#[test]
fn a_replica_of_a_cachelab_master_gets_the_snapshot_then_the_stream() {
    let master_addr = start_server();
    let replica_addr = start_server();
    let mut master = connect(master_addr);
    let mut replica = connect(replica_addr);
    assert_eq!(call(&mut master, &["SET", "before", "1"]), ok());
    assert_eq!(call(&mut master, &["SELECT", "3"]), ok());
    assert_eq!(
        call(&mut master, &["RPUSH", "list", "a", "b"]),
        Value::Int(2)
    );
    // Data the replica had of its own goes.
    assert_eq!(call(&mut replica, &["SET", "mine", "x"]), ok());
    replicaof(&mut replica, master_addr);
    wait_for("the link", "connected".to_string(), || {
        link_state(&mut replica)
    });
    // From the snapshot.
    assert_eq!(call(&mut replica, &["GET", "before"]), bulk("1"));
    assert_eq!(call(&mut replica, &["GET", "mine"]), Value::Bulk(None));
    assert_eq!(call(&mut replica, &["SELECT", "3"]), ok());
    assert_eq!(
        call(&mut replica, &["LRANGE", "list", "0", "-1"]),
        Value::Array(vec![bulk("a"), bulk("b")])
    );
    // From the stream, in the right database.
    assert_eq!(call(&mut master, &["RPUSH", "list", "c"]), Value::Int(3));
    assert_eq!(call(&mut master, &["SELECT", "0"]), ok());
    assert_eq!(call(&mut master, &["SET", "after", "2"]), ok());
    wait_for("the stream", Value::Int(3), || {
        call(&mut replica, &["LLEN", "list"])
    });
    assert_eq!(call(&mut replica, &["SELECT", "0"]), ok());
    wait_for("the stream", bulk("2"), || {
        call(&mut replica, &["GET", "after"])
    });
    // Clients of the replica may read, not write.
    replica
        .write_all(&request(&["SET", "after", "3"]))
        .expect("write");
    expect_reply(
        &mut replica,
        b"-READONLY You can't write against a read only replica.\r\n",
    );
    assert_eq!(
        info(&mut replica, "replication", "master_link_status"),
        "up"
    );
    assert_eq!(
        info(&mut replica, "replication", "master_port"),
        master_addr.port().to_string()
    );
    // Both count the same bytes, once the stream has been applied.
    let offset = info(&mut master, "replication", "master_repl_offset");
    wait_for("the offset", offset.clone(), || {
        info(&mut replica, "replication", "slave_repl_offset")
    });
    assert_eq!(
        info(&mut replica, "replication", "master_replid"),
        info(&mut master, "replication", "master_replid")
    );
    // The master lists the replica by the port it announced, with the offset
    // it acknowledged (every second).
    let listed = Value::Array(vec![
        bulk("127.0.0.1"),
        bulk(&replica_addr.port().to_string()),
        bulk(&offset),
    ]);
    wait_for("the ACK", listed, || match call(&mut master, &["ROLE"]) {
        Value::Array(parts) => match parts.get(2) {
            Some(Value::Array(replicas)) => replicas.first().cloned().unwrap_or(ok()),
            _ => ok(),
        },
        other => other,
    });
    // Promoted: writable again, and the master lets the link go.
    assert_eq!(call(&mut replica, &["REPLICAOF", "NO", "ONE"]), ok());
    assert_eq!(call(&mut replica, &["SET", "after", "3"]), ok());
    assert_eq!(link_state(&mut replica), "master");
    wait_for("the master to see the replica go", "0".to_string(), || {
        info(&mut master, "replication", "connected_slaves")
    });
    assert_eq!(call(&mut master, &["GET", "after"]), bulk("2"));
}

#[test]
fn a_replica_relays_the_stream_to_its_own_replica() {
    let master_addr = start_server();
    let middle_addr = start_server();
    let end_addr = start_server();
    let mut master = connect(master_addr);
    let mut middle = connect(middle_addr);
    let mut end = connect(end_addr);
    assert_eq!(call(&mut master, &["SET", "a", "1"]), ok());
    replicaof(&mut middle, master_addr);
    wait_for("the first link", "connected".to_string(), || {
        link_state(&mut middle)
    });
    replicaof(&mut end, middle_addr);
    wait_for("the second link", "connected".to_string(), || {
        link_state(&mut end)
    });
    assert_eq!(call(&mut end, &["GET", "a"]), bulk("1"));
    assert_eq!(call(&mut master, &["SELECT", "5"]), ok());
    assert_eq!(call(&mut master, &["INCR", "n"]), Value::Int(1));
    assert_eq!(call(&mut end, &["SELECT", "5"]), ok());
    wait_for("the relayed stream", bulk("1"), || {
        call(&mut end, &["GET", "n"])
    });
    let offset = info(&mut master, "replication", "master_repl_offset");
    wait_for("the offset down the chain", offset, || {
        info(&mut end, "replication", "master_repl_offset")
    });
}

#[test]
fn becoming_a_replica_unblocks_blocked_clients_and_closes_them() {
    let addr = start_server();
    let mut waiter = connect(addr);
    let mut admin = connect(addr);
    waiter
        .write_all(&request(&["BLPOP", "q", "0"]))
        .expect("write");
    wait_for("the block", "1".to_string(), || {
        info(&mut admin, "clients", "blocked_clients")
    });
    let port = unused_port().to_string();
    assert_eq!(call(&mut admin, &["REPLICAOF", "127.0.0.1", &port]), ok());
    expect_reply(
        &mut waiter,
        b"-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n",
    );
    expect_closed(&mut waiter);
    assert_eq!(call(&mut admin, &["REPLICAOF", "NO", "ONE"]), ok());
}

#[test]
fn replicaof_no_one_lets_the_replicas_go() {
    let addr = start_server();
    let mut admin = connect(addr);
    assert_eq!(
        call(
            &mut admin,
            &["CONFIG", "SET", "repl-ping-replica-period", "3600"]
        ),
        ok()
    );
    let mut sync = connect(addr);
    sync.write_all(b"SYNC\r\n").expect("write");
    let header = read_line(&mut sync);
    let len: usize = header[1..].parse().expect("a snapshot length");
    let mut rdb = vec![0u8; len];
    sync.read_exact(&mut rdb).expect("the snapshot");
    let port = unused_port().to_string();
    assert_eq!(call(&mut admin, &["REPLICAOF", "127.0.0.1", &port]), ok());
    // A new master does not disconnect them (they may follow along)...
    assert_eq!(info(&mut admin, "replication", "connected_slaves"), "1");
    // ...but becoming a master again does: they must resync.
    assert_eq!(call(&mut admin, &["REPLICAOF", "NO", "ONE"]), ok());
    expect_closed(&mut sync);
    wait_for("the replica to go", "0".to_string(), || {
        info(&mut admin, "replication", "connected_slaves")
    });
}

/// A master played by the test: every byte the replica sends is checked.
struct ScriptedMaster {
    listener: TcpListener,
}

impl ScriptedMaster {
    fn new() -> ScriptedMaster {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        ScriptedMaster { listener }
    }

    fn addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("local_addr")
    }

    /// Waits for the replica to connect.
    fn accept(&self) -> TcpStream {
        let deadline = Instant::now() + DEADLINE;
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).expect("blocking");
                    stream
                        .set_read_timeout(Some(DEADLINE))
                        .expect("read timeout");
                    return stream;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    assert!(Instant::now() < deadline, "the replica never connected");
                    thread::sleep(Duration::from_millis(10));
                }
                Err(e) => panic!("accept: {e}"),
            }
        }
    }
}

/// The handshake of a replica listening on `replica_port`, answered up to PSYNC.
fn handshake(link: &mut TcpStream, replica_port: u16) {
    expect_reply(link, &request(&["PING"]));
    link.write_all(b"+PONG\r\n").expect("write");
    let port = replica_port.to_string();
    expect_reply(link, &request(&["REPLCONF", "listening-port", &port]));
    link.write_all(b"+OK\r\n").expect("write");
    expect_reply(
        link,
        &request(&["REPLCONF", "capa", "eof", "capa", "psync2"]),
    );
    link.write_all(b"+OK\r\n").expect("write");
    expect_reply(link, &request(&["PSYNC", "?", "-1"]));
}

/// Reads REPLCONF ACKs until one acknowledges `offset`; earlier ones may only
/// acknowledge `earlier` (periodic ACKs sent before the data arrived).
fn expect_ack(link: &mut TcpStream, offset: u64, earlier: u64) {
    loop {
        let Value::Array(parts) = read_value(link) else {
            panic!("an ACK");
        };
        assert_eq!(parts.first(), Some(&bulk("REPLCONF")));
        assert_eq!(parts.get(1), Some(&bulk("ACK")));
        let Some(Value::Bulk(Some(n))) = parts.get(2) else {
            panic!("an offset: {parts:?}");
        };
        let n: u64 = String::from_utf8_lossy(n).parse().expect("a number");
        if n == offset {
            return;
        }
        assert_eq!(n, earlier, "an ACK for {offset} or {earlier}");
    }
}

/// A snapshot with `key` = `value` in database `db`.
fn snapshot(db: usize, key: &str, value: &str) -> Vec<u8> {
    let mut e = cachelab_core::Engine::new();
    let mut c = e.new_client();
    let now = 1_700_000_000_000_000;
    e.execute(
        &mut c,
        vec![b"SELECT".to_vec(), db.to_string().into_bytes()],
        now,
    );
    e.execute(&mut c, vec![b"SET".to_vec(), key.into(), value.into()], now);
    cachelab_core::rdb::keyspace::save(&e, now / 1000)
}

#[test]
fn a_replica_follows_a_scripted_master_through_diskless_and_disk_snapshots() {
    let master = ScriptedMaster::new();
    let replica_addr = start_server();
    let mut replica = connect(replica_addr);
    replicaof(&mut replica, master.addr());
    let mut link = master.accept();
    handshake(&mut link, replica_addr.port());
    // Keepalives, then a diskless snapshot between EOF marks.
    let replid = "0123456789abcdef0123456789abcdef01234567";
    let mark = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn";
    link.write_all(format!("\n+FULLRESYNC {replid} 1000\r\n\n\n").as_bytes())
        .expect("write");
    wait_for("the transfer", "sync".to_string(), || {
        link_state(&mut replica)
    });
    let mut payload = format!("$EOF:{mark}\r\n").into_bytes();
    payload.extend_from_slice(&snapshot(0, "from-snapshot", "1"));
    payload.extend_from_slice(mark.as_bytes());
    link.write_all(&payload).expect("write");
    // The first ACK comes at once: a diskless master waits for it.
    expect_ack(&mut link, 1000, 1000);
    assert_eq!(link_state(&mut replica), "connected");
    assert_eq!(call(&mut replica, &["GET", "from-snapshot"]), bulk("1"));
    assert_eq!(info(&mut replica, "replication", "master_replid"), replid);
    // The stream, and a GETACK: answered with the offset before it.
    let mut stream = request(&["SELECT", "2"]);
    stream.extend_from_slice(&request(&["SET", "from-stream", "2"]));
    let applied = 1000 + stream.len() as u64;
    let getack = request(&["REPLCONF", "GETACK", "*"]);
    stream.extend_from_slice(&getack);
    link.write_all(&stream).expect("write");
    expect_ack(&mut link, applied, 1000);
    assert_eq!(call(&mut replica, &["SELECT", "2"]), ok());
    assert_eq!(call(&mut replica, &["GET", "from-stream"]), bulk("2"));
    assert_eq!(
        info(&mut replica, "replication", "slave_repl_offset"),
        (applied + getack.len() as u64).to_string()
    );
    // The master goes away: the replica serves stale data and reconnects.
    drop(link);
    let mut link = master.accept();
    assert_ne!(link_state(&mut replica), "connected");
    assert_eq!(call(&mut replica, &["GET", "from-stream"]), bulk("2"));
    handshake(&mut link, replica_addr.port());
    // This time a snapshot from disk: `$<len>`, the new data replaces the old.
    let rdb = snapshot(2, "second", "3");
    link.write_all(format!("+FULLRESYNC {replid} 5000\r\n${}\r\n", rdb.len()).as_bytes())
        .expect("write");
    link.write_all(&rdb).expect("write");
    expect_ack(&mut link, 5000, 5000);
    assert_eq!(link_state(&mut replica), "connected");
    assert_eq!(
        call(&mut replica, &["GET", "from-stream"]),
        Value::Bulk(None)
    );
    assert_eq!(call(&mut replica, &["GET", "second"]), bulk("3"));
    // Promoted: the replica closes the link.
    assert_eq!(call(&mut replica, &["REPLICAOF", "NO", "ONE"]), ok());
    let mut rest = Vec::new();
    let _ = link.read_to_end(&mut rest);
    // Only ACKs may have come meanwhile.
    assert!(
        rest.is_empty() || rest.starts_with(b"*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n"),
        "{:?}",
        String::from_utf8_lossy(&rest)
    );
}
