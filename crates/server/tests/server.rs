//! The server over real sockets: framing, pipelining, inline commands,
//! protocol errors and connection lifetime, checked byte for byte.
//!
//! Each test starts `cachelab_server::serve` in-process on a port-0 listener
//! (its own runtime on a background thread) and talks raw RESP through a
//! blocking `std::net::TcpStream`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;

mod common;

use common::{connect, expect_closed, expect_reply, read_line, start_server};

fn send(stream: &mut TcpStream, bytes: &[u8]) {
    stream.write_all(bytes).expect("write");
}

/// Encodes one request as a RESP multibulk.
fn request(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[test]
fn hundred_pipelined_pings_in_one_write() {
    let mut s = connect(start_server());
    send(&mut s, &b"*1\r\n$4\r\nPING\r\n".repeat(100));
    expect_reply(&mut s, &b"+PONG\r\n".repeat(100));
}

#[test]
fn inline_commands_and_blank_lines() {
    let mut s = connect(start_server());
    send(&mut s, b"PING\r\n");
    expect_reply(&mut s, b"+PONG\r\n");
    send(&mut s, b"SET a \"b c\"\r\n");
    expect_reply(&mut s, b"+OK\r\n");
    // A blank line gets no reply at all; the PING after it does.
    send(&mut s, b"\r\nGET a\r\nPING\r\n");
    expect_reply(&mut s, b"$3\r\nb c\r\n+PONG\r\n");
}

#[test]
fn request_split_across_many_writes() {
    let mut s = connect(start_server());
    let set = request(&[b"SET", b"split", b"value"]);
    for byte in &set {
        send(&mut s, std::slice::from_ref(byte));
    }
    expect_reply(&mut s, b"+OK\r\n");
    send(&mut s, &request(&[b"GET", b"split"]));
    expect_reply(&mut s, b"$5\r\nvalue\r\n");
}

#[test]
fn large_value_round_trip() {
    let mut s = connect(start_server());
    let value: Vec<u8> = (0..5_000_000u32).map(|i| (i % 251) as u8).collect();
    send(&mut s, &request(&[b"SET", b"big", &value]));
    expect_reply(&mut s, b"+OK\r\n");
    send(&mut s, &request(&[b"GET", b"big"]));
    let mut expected = format!("${}\r\n", value.len()).into_bytes();
    expected.extend_from_slice(&value);
    expected.extend_from_slice(b"\r\n");
    expect_reply(&mut s, &expected);
}

#[test]
fn pipelined_big_replies_all_arrive_in_order() {
    let mut s = connect(start_server());
    let value = vec![b'x'; 300_000];
    send(&mut s, &request(&[b"SET", b"big", &value]));
    expect_reply(&mut s, b"+OK\r\n");
    // 20 GETs of 300 kB each (more than one flush) followed by a PING.
    let mut pipeline = request(&[b"GET", b"big"]).repeat(20);
    pipeline.extend_from_slice(&request(&[b"PING"]));
    send(&mut s, &pipeline);
    let mut one = format!("${}\r\n", value.len()).into_bytes();
    one.extend_from_slice(&value);
    one.extend_from_slice(b"\r\n");
    let mut expected = one.repeat(20);
    expected.extend_from_slice(b"+PONG\r\n");
    expect_reply(&mut s, &expected);
}

#[test]
fn malformed_request_gets_protocol_error_then_close() {
    let addr = start_server();
    let mut bystander = connect(addr);
    let mut s = connect(addr);
    // The PING before the garbage is answered first.
    send(&mut s, b"*1\r\n$4\r\nPING\r\n*1\r\n$x\r\nPING\r\n");
    expect_reply(
        &mut s,
        b"+PONG\r\n-ERR Protocol error: invalid bulk length\r\n",
    );
    expect_closed(&mut s);
    // Everyone else is unaffected, and new clients are still accepted.
    send(&mut bystander, b"PING\r\n");
    expect_reply(&mut bystander, b"+PONG\r\n");
    let mut newcomer = connect(addr);
    send(&mut newcomer, b"PING\r\n");
    expect_reply(&mut newcomer, b"+PONG\r\n");
}

#[test]
fn oversize_bulk_length_is_refused() {
    let mut s = connect(start_server());
    send(&mut s, b"*1\r\n$999999999999\r\n");
    expect_reply(&mut s, b"-ERR Protocol error: invalid bulk length\r\n");
    expect_closed(&mut s);
}

#[test]
fn quit_replies_ok_then_closes_ignoring_the_rest() {
    let mut s = connect(start_server());
    send(
        &mut s,
        b"*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n",
    );
    expect_reply(&mut s, b"+PONG\r\n+OK\r\n");
    expect_closed(&mut s);
}

#[test]
fn disconnect_mid_request_leaves_server_healthy() {
    let addr = start_server();
    for _ in 0..20 {
        let mut s = connect(addr);
        send(
            &mut s,
            b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nonly part of the value",
        );
        drop(s);
    }
    let mut s = connect(addr);
    send(&mut s, &request(&[b"GET", b"k"]));
    expect_reply(&mut s, b"$-1\r\n");
}

#[test]
fn concurrent_clients_share_one_keyspace() {
    let addr = start_server();
    let workers: Vec<_> = (0..8)
        .map(|i| {
            thread::spawn(move || {
                let mut s = connect(addr);
                let key = format!("worker:{i}");
                for round in 0..50 {
                    let value = format!("{i}-{round}");
                    send(
                        &mut s,
                        &request(&[b"SET", key.as_bytes(), value.as_bytes()]),
                    );
                    expect_reply(&mut s, b"+OK\r\n");
                }
                // And a pipelined burst, interleaving with the other workers.
                send(&mut s, &request(&[b"GET", key.as_bytes()]).repeat(20));
                expect_reply(&mut s, &format!("$4\r\n{i}-49\r\n").repeat(20).into_bytes());
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("worker panicked");
    }
    // Every worker's last write is visible to a new client.
    let mut s = connect(addr);
    for i in 0..8 {
        send(
            &mut s,
            &request(&[b"GET", format!("worker:{i}").as_bytes()]),
        );
        expect_reply(&mut s, format!("$4\r\n{i}-49\r\n").as_bytes());
    }
}

#[test]
fn blpop_waits_for_another_clients_push() {
    let addr = start_server();
    let mut waiter = connect(addr);
    // The PING pipelined after BLPOP must wait until BLPOP is answered.
    send(&mut waiter, b"BLPOP queue 0\r\nPING\r\n");
    thread::sleep(Duration::from_millis(100));
    let mut pusher = connect(addr);
    send(&mut pusher, &request(&[b"RPUSH", b"queue", b"job"]));
    expect_reply(&mut pusher, b":1\r\n");
    expect_reply(&mut waiter, b"*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n+PONG\r\n");
    // The element went to the waiter, not into the list.
    send(&mut pusher, &request(&[b"LLEN", b"queue"]));
    expect_reply(&mut pusher, b":0\r\n");
}

#[test]
fn blpop_times_out_with_nil() {
    let mut s = connect(start_server());
    let started = std::time::Instant::now();
    send(&mut s, &request(&[b"BLPOP", b"nothing", b"0.2"]));
    expect_reply(&mut s, b"*-1\r\n");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(190) && waited < Duration::from_secs(3),
        "waited {waited:?}"
    );
    send(&mut s, b"PING\r\n");
    expect_reply(&mut s, b"+PONG\r\n");
}

#[test]
fn client_that_leaves_while_blocked_is_forgotten() {
    let addr = start_server();
    let mut waiter = connect(addr);
    send(&mut waiter, &request(&[b"BLPOP", b"jobs", b"0"]));
    thread::sleep(Duration::from_millis(100));
    drop(waiter);
    thread::sleep(Duration::from_millis(100));
    // Nobody is waiting any more, so the pushed element stays in the list.
    let mut s = connect(addr);
    send(&mut s, &request(&[b"RPUSH", b"jobs", b"a"]));
    expect_reply(&mut s, b":1\r\n");
    send(&mut s, &request(&[b"LLEN", b"jobs"]));
    expect_reply(&mut s, b":1\r\n");
}

/// Reads a bulk string reply.
fn read_bulk(stream: &mut TcpStream) -> String {
    let header = read_line(stream);
    let len: usize = header
        .trim_end()
        .strip_prefix('$')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not a bulk header: {header:?}"));
    let mut body = vec![0u8; len + 2];
    stream.read_exact(&mut body).expect("bulk body");
    body.truncate(len);
    String::from_utf8_lossy(&body).into_owned()
}

/// Sends SYNC and checks the snapshot: `$<len>\r\n` and an RDB file, no CRLF.
/// Like Redis's test suite, first makes the master's PINGs rare.
fn attach_replica(addr: SocketAddr) -> TcpStream {
    let mut admin = connect(addr);
    send(&mut admin, b"CONFIG SET repl-ping-replica-period 3600\r\n");
    expect_reply(&mut admin, b"+OK\r\n");
    let mut replica = connect(addr);
    send(&mut replica, b"SYNC\r\n");
    let header = read_line(&mut replica);
    let len: usize = header
        .trim_end()
        .strip_prefix('$')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not a snapshot header: {header:?}"));
    let mut rdb = vec![0u8; len];
    replica.read_exact(&mut rdb).expect("snapshot");
    assert!(rdb.starts_with(b"REDIS0010"), "{rdb:?}");
    let mut copy = cachelab_core::Engine::new();
    cachelab_core::rdb::keyspace::load(&mut copy, &rdb, 1_700_000_000_000)
        .expect("the snapshot is a valid RDB file");
    replica
}

#[test]
fn sync_streams_the_writes_to_the_replica() {
    let addr = start_server();
    let mut replica = attach_replica(addr);
    let mut c = connect(addr);
    send(
        &mut c,
        b"SET a 1\r\nGET a\r\nSET b 2 EX 100\r\nDEL nokey\r\nSELECT 3\r\nINCR n\r\n",
    );
    expect_reply(&mut c, b"+OK\r\n$1\r\n1\r\n+OK\r\n:0\r\n+OK\r\n:1\r\n");
    expect_reply(
        &mut replica,
        b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    // SET EX arrives as SET PXAT with an absolute deadline.
    let mut head = [0u8; 37];
    replica.read_exact(&mut head).expect("SET PXAT");
    assert_eq!(
        &head[..],
        b"*5\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n$4\r\nPXAT\r\n"
    );
    let mut deadline = [0u8; 20];
    replica.read_exact(&mut deadline).expect("the deadline");
    assert!(deadline.starts_with(b"$13\r\n"), "{deadline:?}");
    expect_reply(
        &mut replica,
        b"*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n",
    );
    // The replica gets no replies of its own, and cannot touch the keyspace.
    send(&mut replica, b"REPLCONF ACK 0\r\nGET a\r\nPING\r\n");
    send(&mut c, b"SET c 3\r\n");
    expect_reply(&mut c, b"+OK\r\n");
    expect_reply(&mut replica, b"*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n");
}

#[test]
fn every_replica_gets_the_stream_from_its_own_sync_on() {
    let addr = start_server();
    let mut first = attach_replica(addr);
    let mut c = connect(addr);
    send(&mut c, b"SET a 1\r\n");
    expect_reply(&mut c, b"+OK\r\n");
    let mut second = attach_replica(addr);
    send(&mut c, b"SET b 2\r\n");
    expect_reply(&mut c, b"+OK\r\n");
    let select = b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n";
    let set_a = b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n";
    let set_b = b"*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
    // A new replica makes the master select its database again.
    expect_reply(&mut first, &[&select[..], set_a, select, set_b].concat());
    expect_reply(&mut second, &[&select[..], set_b].concat());
    // A replica that leaves is forgotten; the other one carries on.
    drop(second);
    thread::sleep(Duration::from_millis(100));
    send(&mut c, b"INFO replication\r\n");
    let info = read_bulk(&mut c);
    assert!(info.contains("connected_slaves:1"), "{info}");
    send(&mut c, b"DEL a\r\n");
    expect_reply(&mut c, b":1\r\n");
    expect_reply(&mut first, b"*2\r\n$3\r\nDEL\r\n$1\r\na\r\n");
}

#[test]
fn a_blocked_pop_reaches_the_replica_after_the_push() {
    let addr = start_server();
    let mut replica = attach_replica(addr);
    let mut waiter = connect(addr);
    send(&mut waiter, b"BLPOP q 0\r\n");
    thread::sleep(Duration::from_millis(100));
    let mut pusher = connect(addr);
    send(&mut pusher, b"RPUSH q job\r\n");
    expect_reply(&mut pusher, b":1\r\n");
    expect_reply(&mut waiter, b"*2\r\n$1\r\nq\r\n$3\r\njob\r\n");
    expect_reply(
        &mut replica,
        b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$3\r\njob\r\n*2\r\n$4\r\nLPOP\r\n$1\r\nq\r\n",
    );
}

/// Polls INFO until `n` clients are blocked (or postponed by CLIENT PAUSE).
fn wait_blocked(stream: &mut TcpStream, n: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        send(stream, &request(&[b"INFO", b"clients"]));
        let info = read_bulk(stream);
        if info.contains(&format!("blocked_clients:{n}\r\n")) {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{info}");
        thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn client_pause_postpones_writes_until_unpause() {
    let addr = start_server();
    let mut admin = connect(addr);
    send(
        &mut admin,
        &request(&[b"CLIENT", b"PAUSE", b"60000", b"WRITE"]),
    );
    expect_reply(&mut admin, b"+OK\r\n");
    let mut writer = connect(addr);
    // The PING pipelined after the SET waits behind it.
    send(&mut writer, b"SET k v\r\nPING\r\n");
    wait_blocked(&mut admin, 1);
    send(&mut admin, &request(&[b"GET", b"k"]));
    expect_reply(&mut admin, b"$-1\r\n");
    send(&mut admin, &request(&[b"CLIENT", b"UNPAUSE"]));
    expect_reply(&mut admin, b"+OK\r\n");
    expect_reply(&mut writer, b"+OK\r\n+PONG\r\n");
    send(&mut admin, &request(&[b"GET", b"k"]));
    expect_reply(&mut admin, b"$1\r\nv\r\n");
}

#[test]
fn client_pause_all_runs_out_on_its_own() {
    let addr = start_server();
    let mut admin = connect(addr);
    send(&mut admin, &request(&[b"CLIENT", b"PAUSE", b"200", b"ALL"]));
    expect_reply(&mut admin, b"+OK\r\n");
    let mut reader = connect(addr);
    let started = std::time::Instant::now();
    send(&mut reader, b"PING\r\n");
    expect_reply(&mut reader, b"+PONG\r\n");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(150) && waited < Duration::from_secs(5),
        "waited {waited:?}"
    );
}
