//! Pub/Sub over real sockets: messages reach other connections (RESP2 arrays,
//! RESP3 pushes), keyspace notifications too, also while the subscriber is
//! blocked, and a closed connection stops listening. Bytes match redis-server
//! 7.0.15.

use std::io::Read;
use std::io::Write;
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

mod common;

use common::{connect, expect_reply as expect, start_server};

/// Sends one command (inline form: no argument here needs quoting).
fn send(stream: &mut TcpStream, line: &str) {
    stream
        .write_all(format!("{line}\r\n").as_bytes())
        .expect("write");
}

/// HELLO 3, skipping its map (whose client id varies).
fn hello3(stream: &mut TcpStream) {
    send(stream, "HELLO 3");
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"$7\r\nmodules\r\n*0\r\n") {
        stream.read_exact(&mut byte).expect("HELLO reply");
        seen.push(byte[0]);
    }
}

#[test]
fn subscribers_receive_messages_and_patterns() {
    let addr = start_server();
    let mut sub = connect(addr);
    let mut publisher = connect(addr);
    send(&mut sub, "SUBSCRIBE news");
    expect(&mut sub, b"*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
    send(&mut sub, "PSUBSCRIBE n*");
    expect(&mut sub, b"*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:2\r\n");
    send(&mut publisher, "PUBLISH news hello");
    expect(&mut publisher, b":2\r\n");
    expect(
        &mut sub,
        b"*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n\
          *4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n",
    );
    // The subscriber is in RESP2 subscribed mode.
    send(&mut sub, "GET k");
    expect(
        &mut sub,
        b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
    );
    send(&mut sub, "PING");
    expect(&mut sub, b"*2\r\n$4\r\npong\r\n$0\r\n\r\n");
}

#[test]
fn resp3_messages_are_pushes_even_to_a_blocked_client() {
    let addr = start_server();
    let mut sub = connect(addr);
    let mut other = connect(addr);
    hello3(&mut sub);
    send(&mut sub, "SUBSCRIBE c");
    expect(&mut sub, b">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n");
    // RESP3 subscribers may run anything, even block.
    send(&mut sub, "BLPOP q 0");
    send(&mut other, "PUBLISH c hi");
    expect(&mut other, b":1\r\n");
    expect(&mut sub, b">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n");
    send(&mut other, "RPUSH q v");
    expect(&mut other, b":1\r\n");
    expect(&mut sub, b"*2\r\n$1\r\nq\r\n$1\r\nv\r\n");
    // A client's own message comes before its PUBLISH reply.
    send(&mut sub, "PUBLISH c self");
    expect(
        &mut sub,
        b">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$4\r\nself\r\n:1\r\n",
    );
}

#[test]
fn keyspace_notifications_reach_other_connections() {
    let addr = start_server();
    let mut sub = connect(addr);
    let mut writer = connect(addr);
    send(&mut writer, "CONFIG SET notify-keyspace-events KEA");
    expect(&mut writer, b"+OK\r\n");
    send(&mut sub, "PSUBSCRIBE __key*__:*");
    expect(
        &mut sub,
        b"*3\r\n$10\r\npsubscribe\r\n$10\r\n__key*__:*\r\n:1\r\n",
    );
    send(&mut writer, "LPUSH list a");
    expect(&mut writer, b":1\r\n");
    expect(
        &mut sub,
        b"*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$19\r\n__keyspace@0__:list\r\n$5\r\nlpush\r\n\
          *4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$20\r\n__keyevent@0__:lpush\r\n$4\r\nlist\r\n",
    );
    // Active expiry runs on the server's own timer; its events go out too.
    send(&mut writer, "SET k v PX 20");
    expect(&mut writer, b"+OK\r\n");
    expect(
        &mut sub,
        b"*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$16\r\n__keyspace@0__:k\r\n$3\r\nset\r\n\
          *4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n\
          *4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$16\r\n__keyspace@0__:k\r\n$6\r\nexpire\r\n\
          *4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$21\r\n__keyevent@0__:expire\r\n$1\r\nk\r\n\
          *4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$16\r\n__keyspace@0__:k\r\n$7\r\nexpired\r\n\
          *4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$22\r\n__keyevent@0__:expired\r\n$1\r\nk\r\n",
    );
}

#[test]
fn a_closed_subscriber_stops_counting() {
    let addr = start_server();
    let mut publisher = connect(addr);
    {
        let mut sub = connect(addr);
        send(&mut sub, "SUBSCRIBE gone");
        expect(&mut sub, b"*3\r\n$9\r\nsubscribe\r\n$4\r\ngone\r\n:1\r\n");
    }
    // The server notices the close asynchronously: poll until it has.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        send(&mut publisher, "PUBLISH gone x");
        let mut reply = [0u8; 4];
        publisher.read_exact(&mut reply).expect("PUBLISH reply");
        if &reply == b":0\r\n" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the closed subscriber still counts"
        );
        thread::sleep(Duration::from_millis(5));
    }
    send(&mut publisher, "PUBSUB NUMSUB gone");
    expect(&mut publisher, b"*2\r\n$4\r\ngone\r\n:0\r\n");
}
