//! Starting the two servers a differential test talks to: a real `redis-server`
//! child process and a `cachelab-server` (in-process by default, or a binary).
//!
//! Readiness is a condition, never a sleep: we poll until the port accepts a
//! connection and answers PING, with a deadline, and notice a child that died.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::resp::{Connection, Value};

/// How long a server may take to start accepting connections.
const START_DEADLINE: Duration = Duration::from_secs(20);

/// Where the real Redis lives: `$CACHELAB_REDIS_SERVER`, else Debian's path.
pub fn redis_server_path() -> PathBuf {
    std::env::var_os("CACHELAB_REDIS_SERVER")
        .map_or_else(|| PathBuf::from("/usr/bin/redis-server"), PathBuf::from)
}

/// True when `CACHELAB_REQUIRE_ALL=1`: missing prerequisites fail instead of skipping.
pub fn require_all() -> bool {
    std::env::var("CACHELAB_REQUIRE_ALL").is_ok_and(|v| v == "1")
}

/// Skips the tests named `what` for want of redis-server, or fails them under
/// `CACHELAB_REQUIRE_ALL=1`.
pub fn skip_without_redis(what: &str) {
    let msg = format!(
        "redis-server not found at {} (set CACHELAB_REDIS_SERVER)",
        redis_server_path().display()
    );
    assert!(!require_all(), "{msg}, and CACHELAB_REQUIRE_ALL=1");
    eprintln!("SKIPPED {what}: {msg}");
}

/// A port that was free a moment ago. Another process could take it before we
/// use it; callers retry the start in that case.
fn free_port() -> std::io::Result<u16> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(l.local_addr()?.port())
}

/// Polls `addr` until it answers PING with PONG, the child (if any) exits, or
/// the deadline passes.
fn wait_until_ready(
    addr: SocketAddr,
    mut child: Option<&mut Child>,
    what: &str,
) -> Result<(), String> {
    let deadline = Instant::now() + START_DEADLINE;
    let mut backoff = Duration::from_millis(2);
    loop {
        if let Some(c) = child.as_deref_mut() {
            if let Ok(Some(status)) = c.try_wait() {
                return Err(format!(
                    "{what} exited before accepting connections ({status})"
                ));
            }
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            if let Ok(mut conn) = Connection::connect(addr) {
                if let Ok(r) = conn.call_str(&["PING"]) {
                    if r.value == Value::Status(b"PONG".to_vec()) {
                        return Ok(());
                    }
                }
            }
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "{what} did not accept connections on {addr} within {START_DEADLINE:?}"
            ));
        }
        // A short, growing pause between polls; the loop ends on the condition.
        std::thread::sleep(backoff);
        backoff = (backoff * 2).min(Duration::from_millis(50));
    }
}

/// A redis-server child process, killed when dropped.
pub struct RedisServer {
    child: Child,
    pub addr: SocketAddr,
    log: PathBuf,
    /// Where a SYNC makes it save its snapshot.
    rdb: PathBuf,
}

impl RedisServer {
    /// Starts redis-server on a free port. `Ok(None)` means the binary is missing.
    pub fn start() -> Result<Option<RedisServer>, String> {
        RedisServer::start_with(&[])
    }

    /// Starts redis-server for the tests named `what`. If the binary is missing
    /// they are skipped (with a notice), or fail under `CACHELAB_REQUIRE_ALL=1`;
    /// a server that won't start fails them.
    pub fn start_or_skip(what: &str) -> Option<RedisServer> {
        RedisServer::start_with_or_skip(what, &[])
    }

    /// [`RedisServer::start_or_skip`] with extra arguments (see
    /// [`RedisServer::start_with`]).
    pub fn start_with_or_skip(what: &str, extra: &[&str]) -> Option<RedisServer> {
        match RedisServer::start_with(extra) {
            Ok(Some(server)) => Some(server),
            Ok(None) => {
                skip_without_redis(what);
                None
            }
            Err(e) => panic!("could not start redis-server: {e}"),
        }
    }

    /// Like [`RedisServer::start`], with extra arguments after ours (later ones
    /// win, e.g. `--dir` and `--dbfilename` to load an RDB file).
    pub fn start_with(extra: &[&str]) -> Result<Option<RedisServer>, String> {
        let bin = redis_server_path();
        if !bin.exists() {
            return Ok(None);
        }
        let mut last_err = String::new();
        for _ in 0..3 {
            let port = free_port().map_err(|e| format!("no free port: {e}"))?;
            let dir = std::env::temp_dir();
            let log = dir.join(format!("cachelab-diff-redis-{port}.log"));
            let rdb = format!("cachelab-diff-redis-{port}.rdb");
            let mut child = Command::new(&bin)
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
                // DEBUG SET-ACTIVE-EXPIRE is part of what we compare; 7.0 disables DEBUG by default.
                .args(["--enable-debug-command", "local"])
                .arg("--dir")
                .arg(&dir)
                // A replica's SYNC saves a snapshot: our own file, removed on drop.
                .args(["--dbfilename", &rdb])
                .arg("--logfile")
                .arg(&log)
                .args(extra)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            match wait_until_ready(addr, Some(&mut child), "redis-server") {
                Ok(()) => {
                    return Ok(Some(RedisServer {
                        child,
                        addr,
                        log,
                        rdb: dir.join(rdb),
                    }))
                }
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let tail = std::fs::read_to_string(&log).unwrap_or_default();
                    let _ = std::fs::remove_file(&log);
                    last_err = format!("{e}\n--- redis log ---\n{tail}");
                }
            }
        }
        Err(last_err)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
        let _ = std::fs::remove_file(&self.rdb);
    }
}

/// A running cachelab-server: a child process when `$CACHELAB_SERVER_BIN` is set,
/// otherwise `cachelab_server::serve` on a thread of this test process.
pub struct CachelabServer {
    pub addr: SocketAddr,
    child: Option<Child>,
    /// The binary's RDB file (SAVE writes it), removed on drop.
    rdb: Option<PathBuf>,
}

impl CachelabServer {
    pub fn start() -> Result<CachelabServer, String> {
        match std::env::var_os("CACHELAB_SERVER_BIN") {
            Some(bin) if !bin.is_empty() => Self::start_binary(PathBuf::from(bin)),
            _ => Self::start_in_process(),
        }
    }

    fn start_binary(bin: PathBuf) -> Result<CachelabServer, String> {
        let mut last_err = String::new();
        for _ in 0..3 {
            let port = free_port().map_err(|e| format!("no free port: {e}"))?;
            // As redis-server above: no save points, and a file of our own
            // (SAVE, SHUTDOWN SAVE) in the temporary directory.
            let rdb = format!("cachelab-diff-ours-{port}.rdb");
            let mut child = Command::new(&bin)
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", ""])
                .arg("--dir")
                .arg(std::env::temp_dir())
                .args(["--dbfilename", &rdb])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            match wait_until_ready(addr, Some(&mut child), "cachelab-server") {
                Ok(()) => {
                    return Ok(CachelabServer {
                        addr,
                        child: Some(child),
                        rdb: Some(std::env::temp_dir().join(rdb)),
                    })
                }
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    last_err = e;
                }
            }
        }
        Err(last_err)
    }

    /// Binds port 0 and serves from a background thread with its own runtime. The
    /// thread lives as long as the test process.
    fn start_in_process() -> Result<CachelabServer, String> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("cachelab-server".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = tx.send(Err(format!("tokio runtime: {e}")));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listener =
                        match tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await {
                            Ok(l) => l,
                            Err(e) => {
                                let _ = tx.send(Err(format!("bind: {e}")));
                                return;
                            }
                        };
                    let addr = listener
                        .local_addr()
                        .map_err(|e| format!("local_addr: {e}"));
                    let _ = tx.send(addr);
                    cachelab_server::serve(listener).await;
                });
            })
            .map_err(|e| format!("cannot spawn the server thread: {e}"))?;
        let addr = rx
            .recv_timeout(START_DEADLINE)
            .map_err(|e| format!("the in-process server did not start: {e}"))??;
        wait_until_ready(addr, None, "in-process cachelab-server")?;
        Ok(CachelabServer {
            addr,
            child: None,
            rdb: None,
        })
    }
}

impl Drop for CachelabServer {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(rdb) = &self.rdb {
            let _ = std::fs::remove_file(rdb);
        }
    }
}
