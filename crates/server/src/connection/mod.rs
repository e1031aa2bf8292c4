//! One client connection: read, parse every complete request, execute the
//! batch under one lock, answer with one write once the other ready
//! connections have run theirs.
//!
//! Batching is what makes pipelining cheap: with `redis-benchmark -P 32` a
//! single read usually holds 32 requests, and they cost one lock, one clock
//! read and one `write` system call between them.
//!
//! A blocking command (BLPOP and friends) that has to wait parks the client in
//! the engine. The connection then writes what it has, and waits for its
//! mailbox (another client's write served it, or it timed out) while watching
//! the socket for a disconnect. Like Redis, it runs nothing else meanwhile:
//! requests pipelined after the blocking one wait their turn.
//!
//! A client that sends SYNC (or PSYNC) becomes a replica: it gets the snapshot
//! as `$<len>\r\n<rdb>` (after `+FULLRESYNC <replid> <offset>` for PSYNC) and
//! then the replication stream, and no more replies (what it sends is still
//! executed, as Redis does for REPLCONF ACK). It is disconnected when the
//! engine lets its replicas go (REPLICAOF NO ONE, a new master's snapshot).
//!
//! Pub/Sub pushes for this client (messages, keyspace notifications) arrive in
//! the same mailbox. They are written as soon as the connection is between
//! commands: while idle, while blocked, and before a batch runs (under the
//! engine lock, so a push produced before a command is written before its reply).
//!
//! A script (EVAL, FCALL) leaves the batch for tokio's blocking pool with the
//! client lent to it, so a long one doesn't stop the runtime; while it is
//! busy, other connections answer as Redis does then (see `busy`), also
//! before a new connection has its client.
//!
//! Invariants:
//! - replies go out in request order, and every reply for requests before a
//!   protocol error or a QUIT is written before the connection closes;
//! - a client that disconnects, even mid-request or while blocked, is dropped
//!   silently (and unparked);
//! - the engine lock is never held across an `.await`.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use cachelab_core::engine::Exec;
use cachelab_core::resp::{ProtocolError, RequestParser};
use cachelab_core::{Client, ConnInfo, Reply};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::busy::is_script_command;
use crate::{lock, now_us, Hub, Mail};

mod script;
mod waiting;

use script::run_script;

/// The usual read size (Redis's PROTO_IOBUF_LEN).
const READ_CHUNK: usize = 16 * 1024;
/// A pending request this big is in a bulk payload (see `read_more`).
const BIG_PENDING: usize = 128 * 1024;
/// Buffers that grew past this for one big request are shrunk back afterwards,
/// so an idle connection doesn't keep megabytes alive.
const KEEP_BUFFER: usize = 1024 * 1024;
/// Replies beyond this are written out before the batch goes on.
const FLUSH_AT: usize = 256 * 1024;
/// How long a closing connection keeps draining input after its last reply.
const LINGER: Duration = Duration::from_millis(500);

/// Runs one client from accept to close.
pub(crate) async fn handle(mut stream: TcpStream, hub: Arc<Hub>) {
    // Replies are written in whole batches, so Nagle's algorithm would only add
    // latency (40 ms per round trip with delayed ACKs).
    let _ = stream.set_nodelay(true);
    let mut conn = Connection::new(RequestParser::new().max_bulk_len);
    let peer = stream.peer_addr().ok().map(|peer| {
        let laddr = stream
            .local_addr()
            .map_or_else(|_| "?:0".to_string(), |a| a.to_string());
        let fd = {
            use std::os::fd::AsRawFd;
            i64::from(stream.as_raw_fd())
        };
        let info = ConnInfo {
            addr: peer.to_string(),
            laddr,
            fd,
        };
        (peer.ip().to_string(), info)
    });
    // A script may be busy: until it ends, answer as Redis does then. The
    // client is made and registered under one lock, so that a script that
    // starts right after can't keep this connection from being answered.
    let ready = loop {
        if let Ok(mut engine) = hub.engine_unless_busy().await {
            conn.parser.max_bulk_len = engine.proto_max_bulk_len();
            let mut client = engine.new_client();
            if let Some((ip, info)) = &peer {
                client.set_peer_ip(ip.clone());
                engine.set_client_conn(&client, info.clone());
            }
            break Some(client);
        }
        if !matches!(conn.serve_busy(&mut stream, &hub.script).await, Ok(true)) {
            break None;
        }
    };
    let Some(mut client) = ready else {
        return;
    };
    let mut mailbox = hub.register(client.id);
    let ending = conn.run(&mut stream, &hub, &mut client, &mut mailbox).await;
    hub.engine_when_free().await.drop_client(&client);
    hub.unregister(client.id);
    if let Ok(End::CloseAfterReply) = ending {
        linger(stream).await;
    }
}

/// Why [`Connection::run`] (or one batch of it) stopped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    /// The peer closed its side.
    PeerClosed,
    /// We answered QUIT or reported a protocol error and must hang up.
    CloseAfterReply,
}

/// Per-connection buffers, reused across batches to avoid allocating.
struct Connection {
    parser: RequestParser,
    /// Bytes read but not yet parsed: at most one incomplete request.
    input: Vec<u8>,
    /// Where small reads land before being appended to `input`.
    scratch: Box<[u8]>,
    batch: Vec<Vec<Vec<u8>>>,
    output: Vec<u8>,
    /// The replication stream, once this client became a replica with SYNC.
    replica: Option<UnboundedReceiver<Arc<[u8]>>>,
}

impl Connection {
    fn new(max_bulk_len: usize) -> Self {
        let mut parser = RequestParser::new();
        parser.max_bulk_len = max_bulk_len;
        Connection {
            parser,
            input: Vec::with_capacity(READ_CHUNK),
            scratch: vec![0; READ_CHUNK].into_boxed_slice(),
            batch: Vec::new(),
            output: Vec::with_capacity(READ_CHUNK),
            replica: None,
        }
    }

    async fn run(
        &mut self,
        stream: &mut TcpStream,
        hub: &Arc<Hub>,
        client: &mut Client,
        mailbox: &mut UnboundedReceiver<Mail>,
    ) -> io::Result<End> {
        loop {
            // Parse first: bytes may have arrived while a command was blocked.
            let protocol_error = self.parse_batch();
            if self.batch.is_empty() && protocol_error.is_none() {
                if self.replica.is_some() {
                    if !self.stream_to_replica(stream).await? {
                        return Ok(End::PeerClosed);
                    }
                    continue;
                }
                tokio::select! {
                    read = self.read_more(stream) => {
                        if read? == 0 {
                            return Ok(End::PeerClosed);
                        }
                    }
                    Some(mail) = mailbox.recv() => {
                        let mut killed = matches!(mail, Mail::Close);
                        self.write_mail(mail, client.protocol());
                        // Write everything that is already there with one flush.
                        while let Ok(mail) = mailbox.try_recv() {
                            killed |= matches!(mail, Mail::Close);
                            self.write_mail(mail, client.protocol());
                        }
                        if killed {
                            // CLIENT KILL: Redis frees the client at once.
                            return Ok(End::PeerClosed);
                        }
                        self.flush(stream).await?;
                    }
                }
                continue;
            }
            let ended = self.execute_batch(stream, hub, client, mailbox).await?;
            if ended == Some(End::PeerClosed) {
                return Ok(End::PeerClosed);
            }
            // After QUIT, whatever followed it (even garbage) goes unanswered.
            if let (Some(err), None) = (&protocol_error, ended) {
                self.output.push(b'-');
                self.output.extend_from_slice(err.0.as_bytes());
                self.output.extend_from_slice(b"\r\n");
            }
            // Let every other connection with input run its batch first, and
            // write after them, as Redis writes all replies in beforeSleep: the
            // replies then go out in one burst, and a client reading several
            // connections (redis-benchmark) is woken once for them rather than
            // once each. On this VM that halved the kernel time per reply and
            // took pipelined SET from 0.85x Redis to 1.3x.
            tokio::task::yield_now().await;
            self.flush(stream).await?;
            if ended.is_some() || protocol_error.is_some() {
                return Ok(End::CloseAfterReply);
            }
        }
    }

    /// Appends the next read to `input`; 0 means the peer closed.
    ///
    /// Like Redis, reads at most [`READ_CHUNK`] bytes at a time and parses
    /// after each read, so the parser's "too big" errors trigger at the same
    /// points. Past [`BIG_PENDING`] only a bulk payload can still be pending
    /// (longer header or inline lines are errors), and then reads go straight
    /// into `input`, growing with it, so a huge value takes few system calls.
    ///
    /// Cancel-safe: bytes are appended in the same poll that reads them.
    async fn read_more(&mut self, stream: &mut TcpStream) -> io::Result<usize> {
        if self.input.len() >= BIG_PENDING {
            self.input.reserve(self.input.len());
            return stream.read_buf(&mut self.input).await;
        }
        let n = stream.read(&mut self.scratch).await?;
        self.input.extend_from_slice(&self.scratch[..n]);
        Ok(n)
    }

    /// Executes `batch` in order, appending replies to `output`. Returns
    /// `Some` if the connection must end: QUIT (the rest of the batch is
    /// dropped) or a disconnect while blocked.
    ///
    /// Normally the whole batch runs under one lock. The lock is released, and
    /// the replies so far written out, when they pile up past [`FLUSH_AT`]
    /// (say, a pipeline of GETs on a big value) and when a command blocks.
    async fn execute_batch(
        &mut self,
        stream: &mut TcpStream,
        hub: &Arc<Hub>,
        client: &mut Client,
        mailbox: &mut UnboundedReceiver<Mail>,
    ) -> io::Result<Option<End>> {
        let mut next = 0;
        let mut ended = None;
        while next < self.batch.len() && ended.is_none() {
            if is_script_command(&self.batch[next]) && !client.in_multi() {
                let argv = std::mem::take(&mut self.batch[next]);
                next += 1;
                // Pushes delivered before the script precede its reply.
                while let Ok(mail) = mailbox.try_recv() {
                    self.write_mail(mail, client.protocol());
                }
                match run_script(hub, client, argv).await? {
                    Exec::Reply(reply) => reply.write_resp_v(&mut self.output, client.protocol()),
                    Exec::Postponed(argv) => {
                        // CLIENT PAUSE: it runs again when the pause ends.
                        next -= 1;
                        self.batch[next] = argv;
                        self.flush(stream).await?;
                        if !self
                            .wait_resumed(stream, mailbox, client.protocol())
                            .await?
                        {
                            ended = Some(End::PeerClosed);
                        }
                    }
                    // A script's commands never block.
                    Exec::Blocked => {}
                }
                if client.should_close() {
                    ended = Some(End::CloseAfterReply);
                }
                continue;
            }
            let mut blocked = false;
            let mut postponed = false;
            let busy = match hub.engine_unless_busy().await {
                Err(script) => Some(script),
                Ok(mut engine) => {
                    let now = now_us();
                    // Pushes delivered before we took the lock precede our replies.
                    while let Ok(mail) = mailbox.try_recv() {
                        self.write_mail(mail, client.protocol());
                    }
                    engine.begin_batch();
                    while next < self.batch.len() && self.output.len() < FLUSH_AT {
                        if is_script_command(&self.batch[next]) && !client.in_multi() {
                            break; // it runs on the blocking pool (below)
                        }
                        let argv = std::mem::take(&mut self.batch[next]);
                        next += 1;
                        if argv.is_empty() {
                            continue; // a blank inline line: Redis ignores it
                        }
                        let exec = engine.execute_blocking(client, argv, now);
                        let sleep = engine.take_sleep();
                        if sleep > 0 {
                            // DEBUG SLEEP stops the whole server, as in Redis.
                            std::thread::sleep(Duration::from_micros(sleep));
                        }
                        match exec {
                            Exec::Reply(reply) => {
                                if client.is_replica() {
                                    if self.replica.is_none() {
                                        // SYNC: the stream so far belongs to the replicas
                                        // that were there before; this one starts here.
                                        hub.feed_replicas(&mut engine);
                                        self.replica = Some(hub.add_replica(client.id));
                                        write_snapshot(&mut self.output, reply);
                                    }
                                    // A replica gets no replies.
                                } else {
                                    reply.write_resp_v(&mut self.output, client.protocol())
                                }
                            }
                            Exec::Blocked => {
                                blocked = true;
                                break;
                            }
                            Exec::Postponed(argv) => {
                                // CLIENT PAUSE: this command runs again when it ends.
                                next -= 1;
                                self.batch[next] = argv;
                                postponed = true;
                                break;
                            }
                        }
                        if client.should_close() {
                            ended = Some(End::CloseAfterReply);
                            break;
                        }
                    }
                    engine.end_batch();
                    // CONFIG SET proto-max-bulk-len applies from the next read.
                    self.parser.max_bulk_len = engine.proto_max_bulk_len();
                    hub.feed_replicas(&mut engine);
                    // Writes in this batch may have served clients blocked elsewhere,
                    // and what it published goes to the subscribers.
                    hub.deliver(&mut engine);
                    // REPLICAOF starts (or stops) the link to a master.
                    hub.watch_master(&engine);
                    hub.watch_shutdown(&engine);
                    None
                }
            };
            if busy.is_some() {
                // A script is busy: answer the next request as Redis does.
                if self.answer_busy(&hub.script, Some(client), &mut next).await {
                    ended = Some(End::CloseAfterReply);
                }
                self.flush(stream).await?;
                continue;
            }
            if postponed {
                self.flush(stream).await?;
                if !self
                    .wait_resumed(stream, mailbox, client.protocol())
                    .await?
                {
                    ended = Some(End::PeerClosed);
                }
            } else if blocked {
                self.flush(stream).await?;
                match self
                    .wait_unblocked(stream, mailbox, client.protocol())
                    .await?
                {
                    Some((reply, close)) => {
                        reply.write_resp_v(&mut self.output, client.protocol());
                        if close {
                            // The server turned replica: Redis drops such clients.
                            ended = Some(End::CloseAfterReply);
                        }
                    }
                    None => ended = Some(End::PeerClosed),
                }
            } else if self.output.len() >= FLUSH_AT {
                self.flush(stream).await?;
            }
        }
        self.batch.clear();
        Ok(ended)
    }

    /// Appends a push to `output`. A stray blocked-command reply (the client is
    /// not blocked any more) has no request to answer and is dropped, and so is
    /// a close (the engine refuses a killed client's commands, and the
    /// connection then closes).
    fn write_mail(&mut self, mail: Mail, protocol: u8) {
        if let Mail::Push(push) = mail {
            push.write_resp_v(&mut self.output, protocol);
        }
    }

    /// Writes all pending replies with one `write_all`.
    async fn flush(&mut self, stream: &mut TcpStream) -> io::Result<()> {
        if !self.output.is_empty() {
            stream.write_all(&self.output).await?;
            self.output.clear();
            self.output.shrink_to(KEEP_BUFFER);
        }
        Ok(())
    }

    /// Moves every complete request in `input` to `batch`. Returns the
    /// protocol error that stopped parsing, if any; requests before it are
    /// still in `batch` and must be answered first.
    fn parse_batch(&mut self) -> Option<ProtocolError> {
        let mut used = 0;
        let mut error = None;
        while used < self.input.len() {
            match self.parser.parse(&self.input[used..]) {
                Ok(Some((argv, consumed))) => {
                    // Clamped so a parser bug can't spin here or overrun.
                    used += consumed.max(1).min(self.input.len() - used);
                    self.batch.push(argv);
                }
                Ok(None) => break,
                Err(err) => {
                    error = Some(err);
                    break;
                }
            }
        }
        self.input.drain(..used);
        if self.input.capacity() > KEEP_BUFFER && self.input.len() < READ_CHUNK {
            self.input.shrink_to(READ_CHUNK);
        }
        error
    }
}

/// SYNC's reply: the snapshot as `$<len>\r\n` and the RDB bytes, with no
/// trailing CRLF (an RDB transfer, not a bulk string). PSYNC's has its
/// `+FULLRESYNC <replid> <offset>` line first.
fn write_snapshot(out: &mut Vec<u8>, reply: Reply) {
    let rdb = match reply {
        Reply::Bulk(rdb) => rdb.into_vec(),
        Reply::Sequence(parts) => {
            let mut rdb = Vec::new();
            for part in parts {
                match part {
                    Reply::Bulk(bytes) => rdb = bytes.into_vec(),
                    status => status.write_resp_v(out, 2),
                }
            }
            rdb
        }
        _ => Vec::new(),
    };
    out.push(b'$');
    out.extend_from_slice(rdb.len().to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&rdb);
}

/// Closes gracefully after a final reply: send FIN, then read and discard
/// what the client still sends for a while. Closing a socket with unread
/// input makes the kernel send RST, which can destroy the reply in flight.
async fn linger(mut stream: TcpStream) {
    let _ = stream.shutdown().await;
    let drain = async {
        let mut sink = [0u8; 4096];
        while let Ok(n) = stream.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(LINGER, drain).await;
}
