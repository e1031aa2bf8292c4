//! cachelab-server: RESP2 over TCP around one shared [`Engine`].
//!
//! This crate is a thin shell. It owns sockets, the tokio runtime and the
//! clock; `cachelab-core` owns every command's meaning. The pieces:
//! - [`serve`] accepts connections on a listener and gives each its own task;
//! - `connection` runs one client: read, parse every complete request,
//!   execute the whole batch under one lock, answer with one write;
//! - a background task runs the engine's active expiry ten times a second
//!   (Redis's `hz 10`) and times out blocked clients (BLPOP and friends);
//! - a client blocked by such a command gets its reply through a mailbox
//!   when another client's write (or the timeout) serves it;
//! - a client that sent SYNC becomes a replica: the engine's replication
//!   stream is drained under the engine lock after every batch (and every
//!   housekeeping tick), so it stays in order, and fanned out to each
//!   replica's channel;
//! - Pub/Sub messages (PUBLISH, keyspace notifications) reach their
//!   subscribers through the same mailboxes;
//! - after REPLICAOF host port, `replica` keeps a connection to the master
//!   (handshake, snapshot, then the stream applied as the master client), and
//!   starts over whenever the link drops or the master changes;
//! - `persistence` writes the engine's snapshots (SAVE, BGSAVE, SHUTDOWN, the
//!   `save` points) to `dir/dbfilename` and loads that file at the start;
//!   SHUTDOWN then stops the server;
//! - `busy`: EVAL and FCALL run on tokio's blocking pool, and while one
//!   runs past `busy-reply-threshold` the other clients get Redis's BUSY
//!   replies, and SCRIPT KILL, FUNCTION KILL and SHUTDOWN NOSAVE stop it;
//! - [`args`] parses the command line of the `cachelab-server` binary.
//!
//! Tests start [`serve`] in-process on a port-0 listener; the binary calls
//! [`run_with`].

pub mod args;
mod busy;
mod connection;
mod persistence;
mod replica;

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, TryLockError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cachelab_core::{Engine, Reply, RunningScript};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, Notify};
use tokio::task::JoinHandle;

pub use args::Config;

/// The one engine every connection shares. Connections take the lock once per
/// batch of pipelined requests, never once per command.
pub type SharedEngine = Arc<Mutex<Engine>>;

/// How often blocked clients' deadlines are checked (BLPOP timeouts are
/// therefore accurate to about this much).
const HOUSEKEEPING_PERIOD: Duration = Duration::from_millis(10);

/// What arrives in a client's mailbox.
#[derive(Debug)]
pub(crate) enum Mail {
    /// The reply of the client's blocked command (BLPOP and friends), and
    /// whether the connection must close after it (the server turned replica).
    Unblocked(Reply, bool),
    /// A Pub/Sub push (a message or a keyspace notification), written as soon as
    /// the connection is between commands.
    Push(Reply),
    /// CLIENT KILL disconnected this client: close the connection now.
    Close,
    /// The CLIENT PAUSE that held back the client's command is over: send it
    /// to the engine again.
    Resume,
}

/// What the connections of one server share: the engine, and a mailbox per
/// client for what arrives later: the reply of a client blocked by BLPOP and
/// friends (another client's write or the timeout served it), and Pub/Sub pushes.
pub(crate) struct Hub {
    pub(crate) engine: SharedEngine,
    mailboxes: Mutex<HashMap<u64, mpsc::UnboundedSender<Mail>>>,
    /// The replication stream channel of every replica connection.
    replicas: Mutex<HashMap<u64, mpsc::UnboundedSender<Arc<[u8]>>>>,
    /// The port we listen on (a replica announces it to its master).
    pub(crate) port: u16,
    /// The engine's master epoch last seen, and the bell that tells the
    /// master link's supervisor it changed.
    master_epoch: AtomicU64,
    master_changed: Notify,
    /// Rung when a SHUTDOWN went through: [`serve_engine`] returns.
    shutdown: Notify,
    /// The script running on the blocking pool, if any.
    pub(crate) script: Arc<busy::ScriptWatch>,
}

impl Hub {
    fn new(engine: SharedEngine, port: u16) -> Hub {
        Hub {
            engine,
            mailboxes: Mutex::new(HashMap::new()),
            replicas: Mutex::new(HashMap::new()),
            port,
            master_epoch: AtomicU64::new(0),
            master_changed: Notify::new(),
            shutdown: Notify::new(),
            script: Arc::default(),
        }
    }

    /// The engine, or the busy script that holds it. Waits (without
    /// blocking the runtime) while a script that isn't busy yet runs.
    pub(crate) async fn engine_unless_busy(&self) -> Result<MutexGuard<'_, Engine>, RunningScript> {
        loop {
            let changed = self.script.changed();
            tokio::pin!(changed);
            changed.as_mut().enable();
            match self.engine.try_lock() {
                Ok(engine) => return Ok(engine),
                Err(TryLockError::Poisoned(p)) => return Ok(p.into_inner()),
                Err(TryLockError::WouldBlock) => {}
            }
            if let Some(script) = self.script.busy() {
                return Err(script);
            }
            if !self.script.running() {
                // Another thread has it for a moment (a worker of a
                // multi-threaded runtime, a snapshot).
                return Ok(lock(&self.engine));
            }
            changed.await;
        }
    }

    /// The engine, once no script is running.
    pub(crate) async fn engine_when_free(&self) -> MutexGuard<'_, Engine> {
        loop {
            self.script.finished().await;
            if let Ok(engine) = self.engine_unless_busy().await {
                return engine;
            }
        }
    }

    /// Notices a REPLICAOF: wakes the supervisor of the master link when the
    /// engine's master changed. Cheap; call it after every batch.
    pub(crate) fn watch_master(&self, engine: &Engine) {
        // Only ever written under the engine lock, so load-then-store is enough
        // (and keeps the common case a read).
        let epoch = engine.master_epoch();
        if self.master_epoch.load(Ordering::Relaxed) != epoch {
            self.master_epoch.store(epoch, Ordering::Relaxed);
            self.master_changed.notify_one();
        }
    }

    /// Notices a SHUTDOWN that went through (the snapshot, if due, is already
    /// written): the server stops accepting and returns. Call it after every batch.
    pub(crate) fn watch_shutdown(&self, engine: &Engine) {
        if engine.shutdown_requested() {
            self.shutdown.notify_one();
        }
    }

    /// Opens the mailbox of client `id`.
    pub(crate) fn register(&self, id: u64) -> mpsc::UnboundedReceiver<Mail> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.mailboxes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, tx);
        rx
    }

    pub(crate) fn unregister(&self, id: u64) {
        self.mailboxes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
        self.replicas
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
    }

    /// Opens the replication stream of client `id`, which has just become a
    /// replica. Call it with the engine locked, right after
    /// [`Hub::feed_replicas`], so the new replica gets exactly the stream that
    /// follows its snapshot.
    pub(crate) fn add_replica(&self, id: u64) -> mpsc::UnboundedReceiver<Arc<[u8]>> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.replicas
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, tx);
        rx
    }

    /// Sends what the engine added to the replication stream to every replica.
    /// Call it with the engine locked: that keeps the stream in execution order.
    pub(crate) fn feed_replicas(&self, engine: &mut Engine) {
        let bytes = engine.take_replication_stream();
        if bytes.is_empty() {
            return;
        }
        let bytes: Arc<[u8]> = bytes.into();
        let replicas = self.replicas.lock().unwrap_or_else(PoisonError::into_inner);
        for replica in replicas.values() {
            // A closed channel: that replica is disconnecting.
            let _ = replica.send(Arc::clone(&bytes));
        }
    }

    /// Hands what the engine holds for other clients (replies of blocked
    /// clients, then Pub/Sub pushes) to their connections, and lets go the
    /// connections the engine wants closed (replicas it dropped, clients a
    /// change of role unblocked, clients CLIENT KILL disconnected).
    ///
    /// Call it with the engine still locked: a connection takes the lock before it
    /// runs commands and first writes what its mailbox holds, so pushes produced
    /// before its commands are always written before their replies.
    pub(crate) fn deliver(&self, engine: &mut Engine) {
        // Redis sends BCAST invalidations before its event loop sleeps.
        engine.broadcast_invalidations();
        let unblocked = engine.take_unblocked();
        let pushes = if engine.has_pushes() {
            engine.take_all_pushes()
        } else {
            Vec::new()
        };
        let resumed = engine.take_resumed();
        let killed = engine.take_killed_clients();
        let mut closing = engine.take_closing_clients();
        closing.extend_from_slice(&killed);
        if !closing.is_empty() {
            // A replica's connection ends once its stream channel is gone.
            let mut replicas = self.replicas.lock().unwrap_or_else(PoisonError::into_inner);
            for id in &closing {
                replicas.remove(id);
            }
        }
        if unblocked.is_empty() && pushes.is_empty() && killed.is_empty() && resumed.is_empty() {
            return;
        }
        let mailboxes = self
            .mailboxes
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // A released client's earlier pushes travel inside its reply, so the
        // pushes still waiting came after it.
        let mail = unblocked
            .into_iter()
            .map(|(id, r)| (id, Mail::Unblocked(r, closing.contains(&id))))
            .chain(pushes.into_iter().map(|(id, r)| (id, Mail::Push(r))))
            .chain(resumed.into_iter().map(|id| (id, Mail::Resume)))
            .chain(killed.into_iter().map(|id| (id, Mail::Close)));
        for (id, mail) in mail {
            // No mailbox: the client has just disconnected; drop the mail.
            if let Some(mailbox) = mailboxes.get(&id) {
                let _ = mailbox.send(mail);
            }
        }
    }
}

/// Serves RESP2 clients on `listener` with a fresh engine, until a client's
/// SHUTDOWN goes through.
///
/// Call it inside a tokio runtime (current-thread or multi-thread). Dropping
/// the returned future stops accepting and stops the background task;
/// connections already accepted keep running until their clients leave.
pub async fn serve(listener: TcpListener) {
    serve_engine(listener, Arc::new(Mutex::new(Engine::new()))).await;
}

/// Like [`serve`], but with an engine the caller may also hold, e.g. to look
/// at it from a test. Serve each engine through one call only: replies for
/// blocked clients are routed among the connections of that call.
pub async fn serve_engine(listener: TcpListener, engine: SharedEngine) {
    let port = listener.local_addr().map_or(0, |a| a.port());
    let hub = Arc::new(Hub::new(engine, port));
    {
        let mut engine = lock(&hub.engine);
        engine.accept_replicas();
        engine.set_script_watcher(hub.script.clone());
    }
    let _housekeeping = AbortOnDrop(tokio::spawn(housekeeping(Arc::clone(&hub))));
    let _master_link = AbortOnDrop(tokio::spawn(replica::supervise(Arc::clone(&hub))));
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = hub.shutdown.notified() => return,
        };
        match accepted {
            Ok((stream, _peer)) => {
                tokio::spawn(connection::handle(stream, Arc::clone(&hub)));
            }
            Err(err) => {
                // Typically EMFILE/ENFILE: back off instead of spinning, and
                // keep serving the clients we already have.
                eprintln!("cachelab-server: accept failed: {err}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// Binds `127.0.0.1:port` and serves on it until the process ends.
pub fn run(port: u16) -> io::Result<()> {
    run_with(&Config {
        port,
        ..Config::default()
    })
}

/// Builds the runtime, prepares the engine (settings, the RDB file if there
/// is one), binds, prints the readiness line and serves until SHUTDOWN, or
/// until SIGTERM or SIGINT (saving first when `save` points are set, as
/// redis-server does).
pub fn run_with(config: &Config) -> io::Result<()> {
    let mut engine = persistence::prepare_engine(config)?;
    engine.set_stopwatch(stopwatch_us);
    let runtime = if config.threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.threads)
            .enable_all()
            .build()?
    };
    runtime.block_on(async {
        let listener = TcpListener::bind((config.bind.as_str(), config.port)).await?;
        let addr = listener.local_addr()?;
        // CONFIG GET port reports the port really bound (--port 0 picks one).
        let _ = engine.set_startup_config("port", &addr.port().to_string());
        let _ = engine.set_startup_config("bind", &config.bind);
        // Informational only (tests poll the port), so a closed stdout
        // must not stop the server.
        let mut stdout = io::stdout().lock();
        let _ = writeln!(stdout, "Ready to accept connections tcp on {addr}");
        let _ = stdout.flush();
        drop(stdout);
        let engine = Arc::new(Mutex::new(engine));
        let serving = serve_engine(listener, Arc::clone(&engine));
        tokio::pin!(serving);
        loop {
            tokio::select! {
                () = &mut serving => return Ok(()),
                signal = termination_signal() => {
                    let signal = signal?;
                    // As in Redis, a busy script delays the shutdown until it
                    // ends; meanwhile everyone (new connections too) is served.
                    let mut engine = loop {
                        match engine.try_lock() {
                            Ok(engine) => break engine,
                            Err(TryLockError::Poisoned(p)) => break p.into_inner(),
                            Err(TryLockError::WouldBlock) => {}
                        }
                        tokio::select! {
                            () = &mut serving => return Ok(()),
                            () = tokio::time::sleep(Duration::from_millis(10)) => {}
                        }
                    };
                    if engine.shutdown_on_signal(now_us()) {
                        eprintln!("cachelab-server: {signal} received, exiting");
                        return Ok(());
                    }
                    eprintln!("cachelab-server: {signal} received, but saving the DB failed: not exiting");
                }
            }
        }
    })
}

/// Waits for SIGTERM or SIGINT (Ctrl-C) and names it.
#[cfg(unix)]
async fn termination_signal() -> io::Result<&'static str> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    })
}

/// Waits for Ctrl-C.
#[cfg(not(unix))]
async fn termination_signal() -> io::Result<&'static str> {
    tokio::signal::ctrl_c().await.map(|()| "Ctrl-C")
}

/// Locks the engine. A panic inside a command must not take every other
/// client down with a poisoned lock, so poisoning is ignored.
pub(crate) fn lock(engine: &SharedEngine) -> MutexGuard<'_, Engine> {
    engine.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The current Unix time in microseconds: the "now" handed to the engine.
pub(crate) fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

/// The stopwatch the engine times commands with: monotonic microseconds since
/// the first reading. Every command reads it twice, as Redis reads its clock,
/// so it uses the CPU's time-stamp counter where that is reliable (quanta
/// calibrates it; ~10 ns a reading here against ~28 ns for `Instant`).
pub(crate) fn stopwatch_us() -> u64 {
    static START: OnceLock<quanta::Instant> = OnceLock::new();
    let start = *START.get_or_init(quanta::Instant::now);
    let elapsed = quanta::Instant::now().duration_since(start);
    elapsed
        .as_secs()
        .saturating_mul(1_000_000)
        .saturating_add(u64::from(elapsed.subsec_micros()))
}

/// The server's cron: times out blocked clients every 10 ms and runs the
/// active expiry cycle `hz` times a second (10 by default, as in Redis;
/// `CONFIG SET hz` changes it).
async fn housekeeping(hub: Arc<Hub>) {
    let mut ticker = tokio::time::interval(HOUSEKEEPING_PERIOD);
    // After a stall, carry on rather than catching up with a burst of ticks.
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_expire_cycle = 0u64;
    loop {
        ticker.tick().await;
        let now = now_us();
        // While a script holds the engine, skip the tick rather than stall
        // the connections that answer BUSY.
        let mut engine = match hub.engine.try_lock() {
            Ok(engine) => engine,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) if hub.script.running() => continue,
            Err(TryLockError::WouldBlock) => lock(&hub.engine),
        };
        engine.expire_blocked(now);
        let period_us = 1_000_000 / u64::from(engine.config().hz.max(1));
        if now.saturating_sub(last_expire_cycle) >= period_us {
            last_expire_cycle = now;
            engine.active_expire_cycle(now);
            engine.persistence_cron(now);
        }
        engine.replication_cron(now);
        hub.feed_replicas(&mut engine);
        hub.deliver(&mut engine);
        hub.watch_master(&engine);
    }
}

/// Aborts a background task when the future that spawned it goes away.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
