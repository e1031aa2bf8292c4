//! Replication between cachelab-server and a real redis-server, both ways:
//! cachelab as a replica of Redis (a diskless snapshot between EOF marks, and
//! one from disk as `$<len>`), and Redis as a replica of cachelab (PSYNC,
//! FULLRESYNC, our snapshot). After the snapshot and after more writes
//! (several databases, a transaction, expiry), the replica reads exactly what
//! the master does, and both count the same offset.
//!
//! Without redis-server the tests print a notice and pass, unless
//! `CACHELAB_REQUIRE_ALL=1`.

use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};

use cachelab_tests::resp::{Connection, Value};
use cachelab_tests::servers::{CachelabServer, RedisServer};

/// How long a replica may take to get in sync.
const DEADLINE: Duration = Duration::from_secs(20);

/// Written on the master before the replica attaches: (database, command).
const BEFORE: &[(usize, &str)] = &[
    (0, "SET str hello"),
    (0, "SET ttl v EX 3600"),
    (0, "RPUSH list a b c"),
    (0, "HSET hash f1 v1 f2 v2"),
    (0, "SADD set x y z"),
    (0, "ZADD zset 1 a 2.5 b"),
    (0, "XADD stream 1-1 f v"),
    (7, "SET other-db yes"),
    (7, "INCRBY counter 41"),
];

/// Written on the master once the replica is in sync.
const AFTER: &[(usize, &str)] = &[
    (0, "SET str world"),
    (0, "LPUSH list z"),
    (0, "HDEL hash f1"),
    (0, "SREM set y"),
    (0, "ZINCRBY zset 10 a"),
    (0, "XADD stream 2-1 g w"),
    (0, "EXPIRE list 1000"),
    (0, "SET gone soon PX 1"),
    (7, "INCR counter"),
    (7, "MULTI"),
    (7, "SET tx 1"),
    (7, "INCRBYFLOAT tx 0.5"),
    (7, "EXEC"),
    (3, "SET third db"),
];

/// Read on both sides and compared byte for byte: (database, command).
const READS: &[(usize, &str)] = &[
    (0, "DBSIZE"),
    (0, "GET str"),
    (0, "EXISTS ttl"),
    (0, "LRANGE list 0 -1"),
    (0, "HMGET hash f1 f2"),
    (0, "SORT_RO set ALPHA"),
    (0, "ZRANGE zset 0 -1 WITHSCORES"),
    (0, "XRANGE stream - +"),
    (0, "GET gone"),
    (3, "DBSIZE"),
    (3, "GET third"),
    (7, "DBSIZE"),
    (7, "GET other-db"),
    (7, "GET counter"),
    (7, "GET tx"),
];

fn connect(addr: SocketAddr) -> Connection {
    Connection::connect(addr).unwrap_or_else(|e| panic!("connect to {addr}: {e}"))
}

fn call(conn: &mut Connection, line: &str) -> Value {
    let argv = cachelab_core::cli::tokenize(line).expect("test lines are well quoted");
    conn.call(&argv)
        .unwrap_or_else(|e| panic!("{line}: {e}"))
        .value
}

fn text(value: &Value) -> String {
    match value {
        Value::Bulk(Some(b)) | Value::Status(b) | Value::Error(b) => {
            String::from_utf8_lossy(b).into_owned()
        }
        other => format!("{other:?}"),
    }
}

/// One field of `INFO <section>`.
fn info(conn: &mut Connection, section: &str, field: &str) -> String {
    let all = text(&call(conn, &format!("INFO {section}")));
    all.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")).map(str::to_string))
        .unwrap_or_default()
}

/// Polls `probe` until it returns `want`, within [`DEADLINE`].
fn wait_for(what: &str, want: &str, mut probe: impl FnMut() -> String) {
    let deadline = Instant::now() + DEADLINE;
    let mut last = probe();
    while last != want {
        assert!(
            Instant::now() < deadline,
            "{what}: still {last:?}, want {want:?}"
        );
        thread::sleep(Duration::from_millis(20));
        last = probe();
    }
}

fn run_all(conn: &mut Connection, commands: &[(usize, &str)]) {
    for (db, line) in commands {
        call(conn, &format!("SELECT {db}"));
        if let Value::Error(e) = call(conn, line) {
            panic!("{line}: {}", String::from_utf8_lossy(&e));
        }
    }
}

/// The replica reads what the master reads.
fn compare(master: &mut Connection, replica: &mut Connection, when: &str) {
    for (db, line) in READS {
        call(master, &format!("SELECT {db}"));
        call(replica, &format!("SELECT {db}"));
        let want = call(master, line);
        let got = call(replica, line);
        assert_eq!(got, want, "{when}: {line} in db {db}");
    }
}

/// `master` (the address it is reached at) and `replica` are running: attach,
/// check the snapshot, write more, check the stream, detach.
fn follow(master_addr: SocketAddr, replica_addr: SocketAddr) {
    let mut master = connect(master_addr);
    let mut replica = connect(replica_addr);
    call(&mut master, "FLUSHALL");
    run_all(&mut master, BEFORE);
    let port = master_addr.port().to_string();
    assert_eq!(
        call(&mut replica, &format!("REPLICAOF 127.0.0.1 {port}")),
        Value::Status(b"OK".to_vec())
    );
    wait_for("the link", "up", || {
        info(&mut replica, "replication", "master_link_status")
    });
    compare(&mut master, &mut replica, "after the snapshot");
    run_all(&mut master, AFTER);
    // `gone` expires on the master (a lookup does it at the latest); its DEL
    // reaches the replica.
    call(&mut master, "SELECT 0");
    wait_for("the key to expire", "-2", || {
        format!("{:?}", call(&mut master, "PTTL gone").as_int().unwrap_or(0))
    });
    let offset = info(&mut master, "replication", "master_repl_offset");
    wait_for("the stream", &offset, || {
        info(&mut replica, "replication", "slave_repl_offset")
    });
    compare(&mut master, &mut replica, "after the stream");
    assert_eq!(
        info(&mut replica, "replication", "master_replid"),
        info(&mut master, "replication", "master_replid")
    );
    // The master sees the replica at the port it announced, acknowledged.
    wait_for(
        "the ACK",
        &format!("{} {offset}", replica_addr.port()),
        || {
            let role = call(&mut master, "ROLE");
            let replicas = match &role {
                Value::Array(Some(parts)) => parts.get(2),
                _ => None,
            };
            let first = match replicas {
                Some(Value::Array(Some(list))) => list.first(),
                _ => None,
            };
            match first {
                Some(Value::Array(Some(r))) if r.len() == 3 => {
                    format!("{} {}", text(&r[1]), text(&r[2]))
                }
                _ => format!("{role:?}"),
            }
        },
    );
    assert_eq!(
        call(&mut replica, "SET str mine"),
        Value::Error(b"READONLY You can't write against a read only replica.".to_vec())
    );
    assert_eq!(
        call(&mut replica, "REPLICAOF NO ONE"),
        Value::Status(b"OK".to_vec())
    );
    assert_eq!(
        call(&mut replica, "SET str mine"),
        Value::Status(b"OK".to_vec())
    );
    wait_for("the master to let the replica go", "0", || {
        info(&mut master, "replication", "connected_slaves")
    });
}

fn cachelab() -> CachelabServer {
    CachelabServer::start().unwrap_or_else(|e| panic!("could not start cachelab-server: {e}"))
}

#[test]
fn cachelab_follows_redis_through_a_diskless_snapshot() {
    let Some(redis) = RedisServer::start_with_or_skip(
        "replication from redis-server",
        &[
            "--repl-diskless-sync",
            "yes",
            "--repl-diskless-sync-delay",
            "0",
        ],
    ) else {
        return;
    };
    follow(redis.addr, cachelab().addr);
}

#[test]
fn cachelab_follows_redis_through_a_snapshot_on_disk() {
    let Some(redis) = RedisServer::start_with_or_skip(
        "replication from redis-server",
        &["--repl-diskless-sync", "no"],
    ) else {
        return;
    };
    follow(redis.addr, cachelab().addr);
}

#[test]
fn redis_follows_cachelab() {
    let Some(redis) = RedisServer::start_or_skip("replication to redis-server") else {
        return;
    };
    follow(cachelab().addr, redis.addr);
}

#[test]
fn cachelab_authenticates_to_its_master_with_masterauth() {
    let Some(redis) = RedisServer::start_or_skip("replication from redis-server") else {
        return;
    };
    let server = cachelab();
    let mut master = connect(redis.addr);
    call(&mut master, "FLUSHALL");
    call(&mut master, "SET guarded yes");
    assert_eq!(
        call(&mut master, "CONFIG SET requirepass s3cret"),
        Value::Status(b"OK".to_vec())
    );
    let mut replica = connect(server.addr);
    assert_eq!(
        call(&mut replica, "CONFIG SET masterauth s3cret"),
        Value::Status(b"OK".to_vec())
    );
    assert_eq!(
        call(&mut replica, "CONFIG GET masterauth"),
        Value::Array(Some(vec![
            Value::Bulk(Some(b"masterauth".to_vec())),
            Value::Bulk(Some(b"s3cret".to_vec())),
        ]))
    );
    let port = redis.addr.port().to_string();
    call(&mut replica, &format!("REPLICAOF 127.0.0.1 {port}"));
    wait_for("the link", "up", || {
        info(&mut replica, "replication", "master_link_status")
    });
    assert_eq!(
        call(&mut replica, "GET guarded"),
        Value::Bulk(Some(b"yes".to_vec()))
    );
    call(&mut replica, "REPLICAOF NO ONE");
}
