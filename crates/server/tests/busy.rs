//! A script that runs past `busy-reply-threshold`, as Redis's other clients
//! see it: BUSY replies (after the usual unknown-command and arity errors),
//! SCRIPT KILL and FUNCTION KILL for the right kind of script, UNKILLABLE
//! once it wrote, and SHUTDOWN NOSAVE. Replies are the bytes redis-server
//! 7.0.15 sent in the same exchanges. Every wait polls for a condition.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

mod common;

use common::{connect, expect_closed, expect_reply, read_line, request, start_server};

const EVAL_BUSY: &str =
    "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
const FUNCTION_BUSY: &str =
    "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

/// Sends one request and returns the first line of its reply.
fn call(stream: &mut TcpStream, args: &[&str]) -> String {
    stream.write_all(&request(args)).expect("write");
    read_line(stream)
}

/// A fresh connection's reply to `args`.
fn call_new(addr: SocketAddr, args: &[&str]) -> String {
    call(&mut connect(addr), args)
}

/// Starts `args` (a script that doesn't end by itself) on a connection of
/// its own, and waits until another client's PING meets it as busy.
fn start_busy(addr: SocketAddr, args: &[&str], busy: &str) -> TcpStream {
    let mut setup = connect(addr);
    assert_eq!(
        call(&mut setup, &["CONFIG", "SET", "busy-reply-threshold", "50"]),
        "+OK"
    );
    let mut runner = connect(addr);
    runner.write_all(&request(args)).expect("write");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match call(&mut setup, &["PING"]) {
            reply if reply == busy => return runner,
            reply => assert_eq!(reply, "+PONG", "before the script is busy"),
        }
        assert!(Instant::now() < deadline, "the script never became busy");
    }
}

/// Polls PING on fresh connections until the script is over.
fn wait_until_free(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while call_new(addr, &["PING"]) != "+PONG" {
        assert!(Instant::now() < deadline, "the script never ended");
    }
}

#[test]
fn script_kill_stops_a_busy_script_that_has_not_written() {
    let addr = start_server();
    let mut runner = start_busy(addr, &["EVAL", "while true do end", "0"], EVAL_BUSY);
    assert_eq!(call_new(addr, &["FUNCTION", "STATS"]), EVAL_BUSY);
    // A client connected before, and ones that connect while it is busy.
    let mut other = connect(addr);
    assert_eq!(call(&mut other, &["GET", "k"]), EVAL_BUSY);
    assert_eq!(
        call(&mut other, &["GET"]),
        "-ERR wrong number of arguments for 'get' command"
    );
    assert_eq!(
        call_new(addr, &["NOSUCH"]),
        "-ERR unknown command 'NOSUCH', with args beginning with: "
    );
    assert_eq!(call_new(addr, &["FUNCTION", "KILL"]), EVAL_BUSY);
    assert_eq!(call_new(addr, &["SHUTDOWN"]), EVAL_BUSY);
    assert_eq!(call_new(addr, &["SCRIPT", "KILL"]), "+OK");
    assert_eq!(
        read_line(&mut runner),
        "-ERR Script killed by user with SCRIPT KILL... script: 694a5fe1ddb97a4c6a1bf299d9537c7d3d0f84e7, on @user_script:1."
    );
    wait_until_free(addr);
    // The runner's connection goes on as usual.
    assert_eq!(call(&mut runner, &["PING"]), "+PONG");
    assert_eq!(
        call(&mut other, &["SCRIPT", "KILL"]),
        "-NOTBUSY No scripts in execution right now."
    );
}

#[test]
fn function_kill_stops_a_busy_function() {
    let addr = start_server();
    let library =
        "#!lua name=spinlib\nredis.register_function('spin', function() while true do end end)";
    assert_eq!(call_new(addr, &["FUNCTION", "LOAD", library]), "$7");
    let mut runner = start_busy(addr, &["FCALL", "spin", "0"], FUNCTION_BUSY);
    assert_eq!(call_new(addr, &["SCRIPT", "KILL"]), FUNCTION_BUSY);
    // FUNCTION STATS shows it running.
    let mut stats = connect(addr);
    assert_eq!(call(&mut stats, &["FUNCTION", "STATS"]), "*4");
    let mut lines: Vec<String> = (0..31).map(|_| read_line(&mut stats)).collect();
    assert!(lines[18].starts_with(':'), "duration_ms: {}", lines[18]);
    lines[18] = ":<ms>".into();
    assert_eq!(
        lines.join(" "),
        "$14 running_script *6 $4 name $4 spin $7 command *3 $5 FCALL $4 spin $1 0 \
         $11 duration_ms :<ms> $7 engines *2 $3 LUA *4 $15 libraries_count :1 $15 functions_count :1"
    );
    assert_eq!(call_new(addr, &["FUNCTION", "KILL"]), "+OK");
    assert_eq!(
        read_line(&mut runner),
        "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2."
    );
    wait_until_free(addr);
}

#[test]
fn a_busy_script_that_wrote_is_unkillable_but_shutdown_nosave_stops_it() {
    let addr = start_server();
    let _runner = start_busy(
        addr,
        &["EVAL", "redis.call('set', 'k', 'v') while true do end", "0"],
        EVAL_BUSY,
    );
    let unkillable = "-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
    assert_eq!(call_new(addr, &["SCRIPT", "KILL"]), unkillable);
    assert_eq!(call_new(addr, &["FUNCTION", "KILL"]), unkillable);
    let mut admin = connect(addr);
    admin
        .write_all(&request(&["SHUTDOWN", "NOSAVE"]))
        .expect("write");
    expect_closed(&mut admin);
}

#[test]
fn commands_pipelined_after_a_script_run_once_it_is_over() {
    let addr = start_server();
    let mut s = connect(addr);
    let mut batch = request(&["EVAL", "redis.call('set', KEYS[1], 'x') return 1", "1", "k"]);
    batch.extend_from_slice(&request(&["GET", "k"]));
    batch.extend_from_slice(&request(&["MULTI"]));
    batch.extend_from_slice(&request(&["EVAL", "return 2", "0"]));
    batch.extend_from_slice(&request(&["EXEC"]));
    s.write_all(&batch).expect("write");
    expect_reply(&mut s, b":1\r\n$1\r\nx\r\n+OK\r\n+QUEUED\r\n*1\r\n:2\r\n");
}
