//! Snapshots on disk, through the real binary: SAVE writes `dir/dbfilename`,
//! a restart loads it, SHUTDOWN stops the process (saving first when asked or
//! when `save` points are set), and a corrupt file keeps the server from
//! starting, as with redis-server.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use common::{connect, expect_closed, expect_reply, read_line};

const BIN: &str = env!("CARGO_BIN_EXE_cachelab-server");

/// A directory of its own for each test, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("cachelab-persistence-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the test directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary on a free port in `dir` and waits for its readiness line.
fn start(dir: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--dir"])
        .arg(dir)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run cachelab-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server printed its readiness line")
            .expect("stdout");
        if let Some(addr) = line.strip_prefix("Ready to accept connections tcp on ") {
            break addr.parse().expect("an address");
        }
    };
    Server { child, addr }
}

/// Waits (up to 10 s) for the process to exit.
fn wait_exit(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn send(stream: &mut TcpStream, line: &str) {
    stream
        .write_all(format!("{line}\r\n").as_bytes())
        .expect("write");
}

#[test]
fn save_restart_and_shutdown() {
    let dir = TempDir::new();
    let file = dir.0.join("dump.rdb");

    let mut server = start(&dir.0, &["--save", ""]);
    let mut c = connect(server.addr);
    send(&mut c, "SET k v");
    expect_reply(&mut c, b"+OK\r\n");
    send(&mut c, "CONFIG GET dir");
    let dir_text = dir.0.canonicalize().unwrap().to_string_lossy().into_owned();
    expect_reply(
        &mut c,
        format!("*2\r\n$3\r\ndir\r\n${}\r\n{dir_text}\r\n", dir_text.len()).as_bytes(),
    );
    // The port really bound, as redis-server reports its own.
    send(&mut c, "CONFIG GET port");
    let port = server.addr.port().to_string();
    expect_reply(
        &mut c,
        format!("*2\r\n$4\r\nport\r\n${}\r\n{port}\r\n", port.len()).as_bytes(),
    );
    send(&mut c, "CONFIG GET bind");
    expect_reply(&mut c, b"*2\r\n$4\r\nbind\r\n$9\r\n127.0.0.1\r\n");
    send(&mut c, "SAVE");
    expect_reply(&mut c, b"+OK\r\n");
    let rdb = std::fs::read(&file).expect("SAVE wrote dump.rdb");
    assert!(rdb.starts_with(b"REDIS0010"), "an RDB file");
    let leftovers: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "dump.rdb")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file left: {leftovers:?}"
    );

    // Written after the save and not saved by SHUTDOWN NOSAVE: lost.
    send(&mut c, "SET k2 v2");
    expect_reply(&mut c, b"+OK\r\n");
    send(&mut c, "SHUTDOWN NOSAVE");
    expect_closed(&mut c);
    assert!(wait_exit(&mut server.child).success());

    let mut server = start(&dir.0, &["--save", "3600 1"]);
    let mut c = connect(server.addr);
    send(&mut c, "GET k");
    expect_reply(&mut c, b"$1\r\nv\r\n");
    send(&mut c, "GET k2");
    expect_reply(&mut c, b"$-1\r\n");
    send(&mut c, "CONFIG GET save");
    expect_reply(&mut c, b"*2\r\n$4\r\nsave\r\n$6\r\n3600 1\r\n");
    // A save point is set, so a plain SHUTDOWN saves first.
    send(&mut c, "SET k3 v3");
    expect_reply(&mut c, b"+OK\r\n");
    send(&mut c, "SHUTDOWN");
    expect_closed(&mut c);
    assert!(wait_exit(&mut server.child).success());

    let server = start(&dir.0, &[]);
    let mut c = connect(server.addr);
    send(&mut c, "MGET k k2 k3");
    expect_reply(&mut c, b"*3\r\n$1\r\nv\r\n$-1\r\n$2\r\nv3\r\n");
    // Without --save: Redis's default points.
    send(&mut c, "CONFIG GET save");
    expect_reply(
        &mut c,
        b"*2\r\n$4\r\nsave\r\n$23\r\n3600 1 300 100 60 10000\r\n",
    );
}

#[test]
fn a_corrupt_file_keeps_the_server_from_starting() {
    let dir = TempDir::new();
    std::fs::write(dir.0.join("dump.rdb"), b"REDIS0010 this is not an RDB file").unwrap();
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--dir"])
        .arg(&dir.0)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cachelab-server");
    let status = wait_exit(&mut child);
    assert!(!status.success());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("cannot load"), "stderr: {err}");
    assert_eq!(
        std::fs::read(dir.0.join("dump.rdb")).unwrap(),
        b"REDIS0010 this is not an RDB file",
        "the file is left alone"
    );
}

/// SIGTERM (or Ctrl-C) ends the server as redis-server does: saving first when
/// `save` points are set, not saving otherwise.
#[test]
fn sigterm_saves_when_save_points_are_set() {
    let dir = TempDir::new();
    for (save, expect) in [("", b"$-1\r\n".as_slice()), ("3600 1", b"$1\r\nv\r\n")] {
        let _ = std::fs::remove_file(dir.0.join("dump.rdb"));
        let mut server = start(&dir.0, &["--save", save]);
        let mut c = connect(server.addr);
        send(&mut c, "SET k v");
        expect_reply(&mut c, b"+OK\r\n");
        let killed = Command::new("kill")
            .args(["-TERM", &server.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(killed.success());
        assert!(
            wait_exit(&mut server.child).success(),
            "save {save:?}: exit 0"
        );
        expect_closed(&mut c);

        let server = start(&dir.0, &[]);
        let mut c = connect(server.addr);
        send(&mut c, "GET k");
        expect_reply(&mut c, expect);
    }
}

/// SIGTERM while a script is busy waits for the script's end, as in Redis,
/// and everyone is still answered meanwhile (new connections too): SCRIPT
/// KILL ends the script, and then the server.
#[test]
fn sigterm_waits_for_a_busy_script() {
    let dir = TempDir::new();
    let mut server = start(&dir.0, &["--save", ""]);
    let mut c = connect(server.addr);
    send(&mut c, "CONFIG SET busy-reply-threshold 50");
    expect_reply(&mut c, b"+OK\r\n");
    let mut runner = connect(server.addr);
    send(&mut runner, "EVAL \"while true do end\" 0");
    let busy = b"-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut fresh = connect(server.addr);
        send(&mut fresh, "PING");
        if read_line(&mut fresh) == String::from_utf8_lossy(&busy[..busy.len() - 2]) {
            break;
        }
        assert!(Instant::now() < deadline, "the script never became busy");
    }
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    // Still serving: a new connection is answered BUSY.
    let mut fresh = connect(server.addr);
    send(&mut fresh, "PING");
    expect_reply(&mut fresh, busy);
    assert!(server.child.try_wait().expect("try_wait").is_none());
    send(&mut fresh, "SCRIPT KILL");
    expect_reply(&mut fresh, b"+OK\r\n");
    assert!(wait_exit(&mut server.child).success(), "exit 0");
}
