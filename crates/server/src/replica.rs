//! The link to the master, while the engine is a replica (REPLICAOF host port).
//!
//! [`supervise`] runs for the whole life of the server. Whenever the engine's
//! master changes (a connection calls [`Hub::watch_master`] after each batch),
//! it drops the link task of the old master and starts one for the new one.
//! A link task does what Redis's `connectWithMaster` and
//! `syncWithMaster` do, over and over until the master changes:
//! 1. connect, then the handshake: `PING`, `AUTH` when `masterauth` is set,
//!    `REPLCONF listening-port <port>`,
//!    `REPLCONF capa eof capa psync2`, `PSYNC ? -1` (falling back to `SYNC`
//!    for a master that does not know PSYNC);
//! 2. read the snapshot, sent as `$<len>\r\n<rdb>` or, diskless, as
//!    `$EOF:<40-byte mark>\r\n<rdb><mark>` (newlines before it are the
//!    master's keepalives), and have the engine load it;
//! 3. apply the stream: every command, parsed by the usual RESP parser, runs
//!    as the master client, with the bytes it came in; answer REPLCONF GETACK
//!    and acknowledge the offset every second (`REPLCONF ACK <offset>`).
//!
//! If anything fails, or nothing arrives for `repl-timeout` seconds, the link
//! is down: the engine hears of it and the task retries after a pause that
//! grows from 100 ms to a second. Every engine call names the target's epoch,
//! so a task whose master is gone is refused and ends; the engine lock is never
//! held across an `.await`.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cachelab_core::replica::{LinkState, MasterLinkError, MasterTarget};
use cachelab_core::resp::RequestParser;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::{lock, now_us, AbortOnDrop, Hub};

/// The first pause before reconnecting, and the longest.
const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(1);
/// How often a connected replica acknowledges its offset.
const ACK_PERIOD: Duration = Duration::from_secs(1);
/// The length of a diskless transfer's EOF mark (`RDB_EOF_MARK_SIZE`).
const EOF_MARK_LEN: usize = 40;
/// Read size.
const READ_CHUNK: usize = 16 * 1024;

/// Keeps one link task running for the engine's current master, if any.
pub(crate) async fn supervise(hub: Arc<Hub>) {
    let mut current: Option<(u64, AbortOnDrop)> = None;
    loop {
        let target = lock(&hub.engine).master_target();
        let wanted = target.as_ref().map(|t| t.epoch);
        if current.as_ref().map(|(epoch, _)| *epoch) != wanted {
            // Dropping the old task's handle aborts it.
            current = target.map(|t| {
                let epoch = t.epoch;
                (epoch, AbortOnDrop(tokio::spawn(link(Arc::clone(&hub), t))))
            });
        }
        hub.master_changed.notified().await;
    }
}

/// Why one connection to the master ended.
enum Ended {
    /// The engine has another master now (or none): stop for good.
    Obsolete,
    /// The link failed; try again.
    Lost,
}

/// Connects to `target` again and again until the engine's master changes.
async fn link(hub: Arc<Hub>, target: MasterTarget) {
    let mut pause = FIRST_RETRY;
    loop {
        let mut synced = false;
        match connect_and_sync(&hub, &target, &mut synced).await {
            Ended::Obsolete => return,
            Ended::Lost => {}
        }
        if !lock(&hub.engine).set_master_link_state(target.epoch, LinkState::Connect, now_us()) {
            return;
        }
        if synced {
            pause = FIRST_RETRY;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(LAST_RETRY);
    }
}

/// One connection to the master, from connect to failure.
async fn connect_and_sync(hub: &Hub, target: &MasterTarget, synced: &mut bool) -> Ended {
    let epoch = target.epoch;
    let state = |s: LinkState| lock(&hub.engine).set_master_link_state(epoch, s, now_us());
    if !state(LinkState::Connecting) {
        return Ended::Obsolete;
    }
    let timeout = repl_timeout(hub);
    let addr = (target.host.as_str(), target.port);
    let stream = match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Ok(Ok(stream)) => stream,
        _ => return Ended::Lost,
    };
    let _ = stream.set_nodelay(true);
    let mut master = MasterConn {
        stream,
        buf: Vec::with_capacity(READ_CHUNK),
        timeout,
    };
    if !state(LinkState::Handshake) {
        return Ended::Obsolete;
    }
    let auth = master_auth(hub);
    let Ok((replid, offset)) = handshake(&mut master, hub.port, auth).await else {
        return Ended::Lost;
    };
    if !lock(&hub.engine).begin_master_sync(epoch, replid, offset, now_us()) {
        return Ended::Obsolete;
    }
    let rdb = match receive_snapshot(&mut master, hub, epoch).await {
        Ok(Some(rdb)) => rdb,
        Ok(None) => return Ended::Obsolete,
        Err(_) => return Ended::Lost,
    };
    let ack = {
        let mut engine = lock(&hub.engine);
        match engine.load_master_snapshot(epoch, &rdb, now_us()) {
            Ok(()) => {}
            Err(MasterLinkError::Obsolete) => return Ended::Obsolete,
            Err(MasterLinkError::Snapshot(err)) => {
                eprintln!("cachelab-server: the master's snapshot did not load: {err}");
                hub.deliver(&mut engine);
                return Ended::Lost;
            }
        }
        // Our own replicas were let go: they resync from the new data.
        hub.feed_replicas(&mut engine);
        hub.deliver(&mut engine);
        engine.master_ack(epoch)
    };
    drop(rdb);
    *synced = true;
    // A diskless master starts the stream once it has our first ACK.
    if let Some(ack) = ack {
        if master.stream.write_all(&ack).await.is_err() {
            return Ended::Lost;
        }
    }
    apply_stream(&mut master, hub, epoch).await
}

/// `repl-timeout`, in seconds.
fn repl_timeout(hub: &Hub) -> Duration {
    let engine = lock(&hub.engine);
    let secs = engine
        .config()
        .extra
        .get("repl-timeout")
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(60)
        .max(1);
    Duration::from_secs(secs)
}

/// The connection to the master, with what has been read and not used yet.
struct MasterConn {
    stream: TcpStream,
    buf: Vec<u8>,
    timeout: Duration,
}

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

impl MasterConn {
    /// Reads more bytes into `buf`, within the timeout; an error at EOF.
    async fn fill(&mut self) -> io::Result<usize> {
        self.buf.reserve(READ_CHUNK);
        match tokio::time::timeout(self.timeout, self.stream.read_buf(&mut self.buf)).await {
            Ok(Ok(0)) => Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(result) => result,
            Err(_) => Err(io::ErrorKind::TimedOut.into()),
        }
    }

    /// One line, without its `\r\n` (or `\n`).
    async fn line(&mut self) -> io::Result<Vec<u8>> {
        let mut searched = 0;
        loop {
            if let Some(i) = self.buf[searched..].iter().position(|&b| b == b'\n') {
                let end = searched + i;
                let mut line: Vec<u8> = self.buf.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            searched = self.buf.len();
            if searched > 64 * 1024 {
                return Err(invalid("the master sent an overlong line"));
            }
            self.fill().await?;
        }
    }

    /// Sends a command and reads its one-line reply.
    async fn call(&mut self, argv: &[&[u8]]) -> io::Result<Vec<u8>> {
        let mut out = format!("*{}\r\n", argv.len()).into_bytes();
        for a in argv {
            out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            out.extend_from_slice(a);
            out.extend_from_slice(b"\r\n");
        }
        self.stream.write_all(&out).await?;
        self.line().await
    }
}

/// `masteruser` and `masterauth`: the AUTH arguments for the master, if a
/// password is set.
fn master_auth(hub: &Hub) -> Option<Vec<Vec<u8>>> {
    let engine = lock(&hub.engine);
    let setting = |name: &str| {
        engine
            .config()
            .extra
            .get(name)
            .filter(|v| !v.is_empty())
            .map(|v| v.as_bytes().to_vec())
    };
    let password = setting("masterauth")?;
    Some(match setting("masteruser") {
        Some(user) => vec![user, password],
        None => vec![password],
    })
}

/// PING, AUTH (when `masterauth` is set), REPLCONF and PSYNC (or SYNC).
/// Returns FULLRESYNC's replication ID and offset (none after SYNC). The
/// snapshot follows.
async fn handshake(
    master: &mut MasterConn,
    port: u16,
    auth: Option<Vec<Vec<u8>>>,
) -> io::Result<(Option<String>, Option<u64>)> {
    let pong = master.call(&[b"PING"]).await?;
    // An authentication error still proves the master is there (as in Redis).
    if pong.starts_with(b"-")
        && !pong.starts_with(b"-NOAUTH")
        && !pong.starts_with(b"-NOPERM")
        && !pong.starts_with(b"-ERR operation not permitted")
    {
        return Err(invalid("error reply to PING"));
    }
    if let Some(auth) = auth {
        let mut argv: Vec<&[u8]> = vec![b"AUTH"];
        argv.extend(auth.iter().map(Vec::as_slice));
        if master.call(&argv).await?.starts_with(b"-") {
            return Err(invalid("the master refused AUTH"));
        }
    }
    // Errors here are not fatal: an old master may not know these options.
    let port = port.to_string();
    master
        .call(&[b"REPLCONF", b"listening-port", port.as_bytes()])
        .await?;
    master
        .call(&[b"REPLCONF", b"capa", b"eof", b"capa", b"psync2"])
        .await?;
    let mut reply = master.call(&[b"PSYNC", b"?", b"-1"]).await?;
    // Newlines before the answer keep the connection alive while the master
    // gets ready.
    while reply.is_empty() {
        reply = master.line().await?;
    }
    if let Some(rest) = reply.strip_prefix(b"+FULLRESYNC") {
        let text = String::from_utf8_lossy(rest);
        let mut words = text.split_whitespace();
        let replid = words.next().map(str::to_string);
        let offset = words.next().and_then(|o| o.parse::<u64>().ok());
        return Ok((replid, offset));
    }
    if reply.starts_with(b"-NOMASTERLINK") || reply.starts_with(b"-LOADING") {
        return Err(invalid("the master cannot serve a sync now"));
    }
    if reply.starts_with(b"-") {
        // A master from before PSYNC: ask for the snapshot the old way.
        master.stream.write_all(b"SYNC\r\n").await?;
        return Ok((None, None));
    }
    // "+CONTINUE" cannot answer "PSYNC ? -1"; anything else is a protocol error.
    Err(invalid("unexpected reply to PSYNC"))
}

/// Reads the snapshot (after FULLRESYNC). `Ok(None)` if the engine's master
/// changed meanwhile.
async fn receive_snapshot(
    master: &mut MasterConn,
    hub: &Hub,
    epoch: u64,
) -> io::Result<Option<Vec<u8>>> {
    // Newlines are keepalives while the master prepares the snapshot.
    let header = loop {
        let line = master.line().await?;
        if !line.is_empty() {
            break line;
        }
    };
    let Some(spec) = header.strip_prefix(b"$") else {
        return Err(invalid("no snapshot from the master"));
    };
    let mark = spec.strip_prefix(b"EOF:").map(<[u8]>::to_vec);
    let size = match &mark {
        Some(mark) if mark.len() == EOF_MARK_LEN => 0,
        Some(_) => return Err(invalid("a bad EOF mark")),
        None => std::str::from_utf8(spec)
            .ok()
            .and_then(|n| n.parse::<u64>().ok())
            .ok_or_else(|| invalid("a bad snapshot length"))?,
    };
    let progress = |read: usize| {
        let size = i64::try_from(size).unwrap_or(i64::MAX);
        lock(&hub.engine).master_sync_progress(epoch, size, read as u64, now_us())
    };
    if !progress(master.buf.len()) {
        return Ok(None);
    }
    if let Ok(size) = usize::try_from(size) {
        master.buf.reserve(size.min(64 << 20));
    }
    let mut reported = Instant::now();
    // Where the search for the EOF mark resumes.
    let mut searched = 0;
    loop {
        let done = match &mark {
            Some(mark) => {
                let found = master.buf[searched..]
                    .windows(EOF_MARK_LEN)
                    .position(|w| w == mark.as_slice())
                    .map(|at| (searched + at, searched + at + EOF_MARK_LEN));
                searched = master.buf.len().saturating_sub(EOF_MARK_LEN - 1);
                found
            }
            None => {
                let size = usize::try_from(size).map_err(|_| invalid("snapshot too big"))?;
                (master.buf.len() >= size).then_some((size, size))
            }
        };
        if let Some((len, used)) = done {
            let rest = master.buf.split_off(used);
            let mut rdb = std::mem::replace(&mut master.buf, rest);
            rdb.truncate(len);
            return Ok(Some(rdb));
        }
        master.fill().await?;
        // INFO's master_sync_read_bytes, without taking the lock on every read.
        if reported.elapsed() >= Duration::from_millis(100) {
            reported = Instant::now();
            if !progress(master.buf.len()) {
                return Ok(None);
            }
        }
    }
}

/// Applies the master's stream until the link fails or the master changes.
async fn apply_stream(master: &mut MasterConn, hub: &Hub, epoch: u64) -> Ended {
    let mut parser = RequestParser::new();
    // The master client has no bulk length limit.
    parser.max_bulk_len = usize::MAX;
    let mut acks = tokio::time::interval(ACK_PERIOD);
    acks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is immediate; the ACK after the snapshot went out already.
    acks.tick().await;
    let mut scratch = vec![0u8; READ_CHUNK];
    let mut last_data = Instant::now();
    loop {
        // Commands complete in the buffer: (start, length, arguments).
        let mut commands = Vec::new();
        let mut used = 0;
        while used < master.buf.len() {
            match parser.parse(&master.buf[used..]) {
                Ok(Some((argv, consumed))) => {
                    let consumed = consumed.max(1).min(master.buf.len() - used);
                    commands.push((used, consumed, argv));
                    used += consumed;
                }
                Ok(None) => break,
                Err(_) => return Ended::Lost,
            }
        }
        let mut reply = Vec::new();
        if !commands.is_empty() {
            let mut engine = lock(&hub.engine);
            let now = now_us();
            for (start, len, argv) in commands {
                let raw = &master.buf[start..start + len];
                if !engine.execute_from_master(epoch, argv, raw, now) {
                    return Ended::Obsolete;
                }
            }
            match engine.take_master_reply(epoch) {
                Some(bytes) => reply = bytes,
                None => return Ended::Obsolete,
            }
            hub.feed_replicas(&mut engine);
            hub.deliver(&mut engine);
        }
        master.buf.drain(..used);
        if !reply.is_empty() && master.stream.write_all(&reply).await.is_err() {
            return Ended::Lost;
        }
        tokio::select! {
            read = master.stream.read(&mut scratch) => match read {
                Ok(0) | Err(_) => return Ended::Lost,
                Ok(n) => {
                    master.buf.extend_from_slice(&scratch[..n]);
                    last_data = Instant::now();
                }
            },
            _ = acks.tick() => {
                if last_data.elapsed() > master.timeout {
                    return Ended::Lost;
                }
                let ack = lock(&hub.engine).master_ack(epoch);
                match ack {
                    Some(ack) => {
                        if master.stream.write_all(&ack).await.is_err() {
                            return Ended::Lost;
                        }
                    }
                    None => return Ended::Obsolete,
                }
            }
        }
    }
}
