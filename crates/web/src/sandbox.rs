//! The sandbox: the engine, its simulated clock and the console's clients, each driven
//! the way a redis-cli connected to it would drive a server. No DOM here; the browser
//! shares one `Sandbox` through a context and persists what [`Sandbox::snapshot`] and
//! [`Sandbox::clock`] return.
//!
//! Every console tab is one engine [`Client`], so tabs can talk to each other the way
//! separate `redis-cli` windows do: PUBLISH in one reaches a SUBSCRIBE in another, and
//! an RPUSH in one serves a BLPOP waiting in another. What a client receives without
//! having typed anything (a message, the reply of a command that waited) is collected
//! after every command and every clock beat into an outbox of [`Delivery`]s, which the
//! console drains into the right tab. This mirrors `cachelab-server`, which drains
//! `Engine::take_unblocked` and the Pub/Sub pushes into per-connection mailboxes.

use cachelab_core::engine::{Exec, KeyOverview};
use cachelab_core::{cli, table, Client, Engine, Reply};

use crate::clock::Clock;

/// How many clients (console tabs) can be open at once.
pub const MAX_CLIENTS: usize = 8;

mod outcome;

pub use outcome::{ClientMode, ClientTab, Delivery, LineOutcome};

/// One console tab's connection.
struct Session {
    number: u32,
    client: Client,
    waiting: Option<Waiting>,
    link: Link,
    /// Whether the client was subscribed after its last command: redis-cli in
    /// Pub/Sub mode is reading, so it notices a closed connection at once.
    subscribed: bool,
}

impl Session {
    fn new(number: u32, client: Client) -> Session {
        Session {
            number,
            client,
            waiting: None,
            link: Link::Up,
            subscribed: false,
        }
    }
}

/// The state of a tab's connection, as redis-cli sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Up,
    /// CLIENT KILL closed it; redis-cli finds out when it next sends a command.
    Closed,
    /// redis-cli knows: its prompt reads `not connected> ` and the next command
    /// connects again first.
    Down,
}

/// A line whose blocking command has not been answered yet.
struct Waiting {
    argv: Vec<Vec<u8>>,
    /// Simulated time the line was entered, for redis-cli's `(1.10s)` note.
    since_us: u64,
    /// Repeats of an `N command` line still to run after this one.
    repeats_left: u64,
    /// CLIENT PAUSE held the command back: it is sent again when the pause
    /// ends (otherwise it is blocked, and the engine answers it).
    postponed: bool,
}

/// The cap on single strings in the browser (see [`Sandbox::new`]).
const BROWSER_MAX_BULK_LEN: usize = 32 * 1024 * 1024;

pub struct Sandbox {
    engine: Engine,
    clock: Clock,
    /// Ordered by number, as the tabs are.
    sessions: Vec<Session>,
    /// The number of the tab in front: its database is the one the key panel shows
    /// and the lesson's checks read.
    active: u32,
    outbox: Vec<Delivery>,
}

impl Sandbox {
    pub fn new(mut engine: Engine, clock: Clock) -> Sandbox {
        // A browser tab has far less memory than a server: cap single strings (and
        // SETRANGE/SETBIT offsets, LCS tables) at 32 MB instead of Redis's 512 MB,
        // so a huge offset is refused with Redis's own error rather than running
        // the page out of memory. CONFIG GET shows the real value.
        engine.set_proto_max_bulk_len(BROWSER_MAX_BULK_LEN);
        let client = connect(&mut engine);
        Sandbox {
            engine,
            clock,
            sessions: vec![Session::new(1, client)],
            active: 1,
            outbox: Vec::new(),
        }
    }

    /// The open tabs, in order.
    pub fn clients(&self) -> Vec<ClientTab> {
        self.sessions
            .iter()
            .map(|s| ClientTab {
                number: s.number,
                mode: self.mode_of(s),
            })
            .collect()
    }

    /// The tab in front.
    pub fn active(&self) -> u32 {
        self.active
    }

    /// Brings tab `number` to the front; false if there is no such tab.
    pub fn select(&mut self, number: u32) -> bool {
        let exists = self.session(number).is_some();
        if exists {
            self.active = number;
        }
        exists
    }

    /// Opens a tab with a fresh connection under the lowest free number and brings it
    /// to the front. `None` when [`MAX_CLIENTS`] are open.
    pub fn open_client(&mut self) -> Option<u32> {
        let number = (1..=MAX_CLIENTS as u32).find(|n| self.session(*n).is_none())?;
        self.open_numbered(number).then_some(number)
    }

    /// Brings tab `number` to the front, opening it first if needed (a lesson command
    /// that names its client). False if it can't be opened.
    pub fn ensure_client(&mut self, number: u32) -> bool {
        if self.select(number) {
            return true;
        }
        self.open_numbered(number)
    }

    fn open_numbered(&mut self, number: u32) -> bool {
        if number == 0 || number > MAX_CLIENTS as u32 || self.sessions.len() >= MAX_CLIENTS {
            return false;
        }
        let client = connect(&mut self.engine);
        let at = self.sessions.partition_point(|s| s.number < number);
        self.sessions.insert(at, Session::new(number, client));
        self.active = number;
        true
    }

    /// Closes tab `number`: its connection goes, with its subscriptions and any wait.
    /// The last tab can't be closed. When the front tab closes, its neighbour comes
    /// to the front.
    pub fn close_client(&mut self, number: u32) -> bool {
        if self.sessions.len() <= 1 {
            return false;
        }
        let Some(at) = self.sessions.iter().position(|s| s.number == number) else {
            return false;
        };
        let session = self.sessions.remove(at);
        self.engine.drop_client(&session.client);
        self.outbox.retain(|d| d.client() != number);
        if self.active == number {
            let next = at.min(self.sessions.len() - 1);
            self.active = self.sessions[next].number;
        }
        true
    }

    fn session(&self, number: u32) -> Option<&Session> {
        self.sessions.iter().find(|s| s.number == number)
    }

    fn front(&self) -> &Session {
        // ok: `active` always names an open tab and there is always one.
        self.session(self.active).unwrap_or(&self.sessions[0])
    }

    fn mode_of(&self, session: &Session) -> ClientMode {
        if session.waiting.is_some() {
            ClientMode::Waiting
        } else if session.client.is_monitor() && session.link == Link::Up {
            ClientMode::Monitoring
        } else if self.engine.is_subscribed(&session.client) {
            ClientMode::Subscribed
        } else {
            ClientMode::Ready
        }
    }

    /// What tab `number`'s client is doing (Ready for a tab that doesn't exist).
    pub fn mode(&self, number: u32) -> ClientMode {
        self.session(number)
            .map_or(ClientMode::Ready, |s| self.mode_of(s))
    }

    /// redis-cli's prompt for the front tab.
    pub fn prompt(&self) -> String {
        self.prompt_of(self.active)
    }

    /// redis-cli's prompt for tab `number`.
    pub fn prompt_of(&self, number: u32) -> String {
        self.session(number).map_or_else(String::new, |s| {
            if s.link == Link::Down {
                return "not connected> ".to_string();
            }
            prompt(
                s.client.db,
                s.client.in_multi(),
                self.engine.is_subscribed(&s.client),
            )
        })
    }

    /// The database the front tab has SELECTed.
    pub fn db(&self) -> usize {
        self.front().client.db
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn now_us(&self, real_us: u64) -> u64 {
        self.clock.now_us(real_us)
    }

    pub fn toggle_pause(&mut self, real_us: u64) {
        self.clock.toggle_pause(real_us);
    }

    /// Jumps simulated time and lets the server's timers catch up at once: keys whose
    /// TTL was skipped over disappear from the panel straight away, and blocked
    /// commands whose timeout was skipped over time out.
    pub fn advance(&mut self, delta_us: u64, real_us: u64) {
        self.clock.advance(delta_us);
        let now = self.clock.now_us(real_us);
        self.engine.active_expire_cycle(now);
        self.engine.expire_blocked(now);
        self.collect(now);
    }

    /// One 100 ms beat of Redis's `hz 10` timer: active expiry, and blocked clients
    /// whose timeout has passed. A paused clock has no beats.
    pub fn tick(&mut self, real_us: u64) {
        if self.clock.is_paused() {
            return;
        }
        let now = self.clock.now_us(real_us);
        self.engine.active_expire_cycle(now);
        self.engine.expire_blocked(now);
        self.collect(now);
    }

    /// True when there is output for some tab to drain with [`Sandbox::take_output`].
    pub fn has_output(&self) -> bool {
        !self.outbox.is_empty()
    }

    /// What reached the tabs since the last call, oldest first.
    pub fn take_output(&mut self) -> Vec<Delivery> {
        std::mem::take(&mut self.outbox)
    }

    pub fn keys(&self, real_us: u64) -> Vec<KeyOverview> {
        self.engine
            .key_overview(self.db(), self.clock.now_us(real_us))
    }

    /// Lends the engine to `f` with the front tab's database and the simulated "now",
    /// for the lesson's and quiz's read-only checks (`lesson::check::probe`).
    pub fn inspect<R>(&mut self, real_us: u64, f: impl FnOnce(&mut Engine, usize, u64) -> R) -> R {
        let now = self.clock.now_us(real_us);
        let db = self.db();
        f(&mut self.engine, db, now)
    }

    /// The whole keyspace as an RDB file, what the page keeps in storage between
    /// visits (Redis's own format: `Engine::load_snapshot` reads it back).
    pub fn snapshot(&self, real_us: u64) -> Vec<u8> {
        cachelab_core::rdb::keyspace::save(&self.engine, self.clock.now_us(real_us) / 1000)
    }

    /// Runs one console line in the front tab (see [`Sandbox::run_line_in`]).
    pub fn run_line(&mut self, line: &str, real_us: u64) -> LineOutcome {
        self.run_line_in(self.active, line, real_us)
    }

    /// Runs one console line in tab `number` the way redis-cli's REPL does: tokenize,
    /// handle the local commands (`quit`, `clear`, `help`), honour the `N command`
    /// repeat prefix, and send the rest to the engine. SUBSCRIBE and friends print
    /// redis-cli's `Reading messages...` banner when they enter Pub/Sub mode; a
    /// blocking command with nothing to pop leaves the tab waiting.
    pub fn run_line_in(&mut self, number: u32, line: &str, real_us: u64) -> LineOutcome {
        let now = self.clock.now_us(real_us);
        let Some(at) = self.sessions.iter().position(|s| s.number == number) else {
            return LineOutcome::Busy;
        };
        if self.mode_of(&self.sessions[at]).is_reading() {
            return LineOutcome::Busy;
        }
        let Ok(argv) = cli::tokenize(line) else {
            return LineOutcome::Local("Invalid argument(s)".to_string());
        };
        let Some(first) = argv.first() else {
            return LineOutcome::Blank;
        };
        if is(first, "quit") || is(first, "exit") {
            return LineOutcome::Quit;
        }
        if argv.len() == 1 && is(first, "clear") {
            return LineOutcome::Clear;
        }
        let (repeat, args) = match repeat_prefix(&argv) {
            Ok(Some(n)) => (n, &argv[1..]),
            Ok(None) => (1, &argv[..]),
            Err(()) => {
                return LineOutcome::Local(
                    "Invalid redis-cli repeat command option value.".to_string(),
                )
            }
        };
        if is(&args[0], "help") || is(&args[0], "?") {
            let text = table::help(&args[1..]).replace('\r', "");
            return LineOutcome::Local(vec![text; repeat as usize].join("\n"));
        }
        match self.sessions[at].link {
            Link::Up => {}
            Link::Closed => {
                // redis-cli sends, reads EOF, reports it and drops the connection.
                self.sessions[at].link = Link::Down;
                return LineOutcome::Local(CLOSED_ERROR.to_string());
            }
            Link::Down => self.reconnect(at),
        }
        let Sandbox {
            engine, sessions, ..
        } = self;
        let session = &mut sessions[at];
        if cli::enters_pubsub_mode(args) {
            // redis-cli 7.0 prints its banner, then reads replies and messages until
            // Ctrl-C, so a repeat count never gets a second turn.
            let listening = engine.is_subscribed(&session.client);
            let reply = engine.execute(&mut session.client, args.to_vec(), now);
            session.subscribed = engine.is_subscribed(&session.client);
            let text = if listening {
                cli::format_reply(&reply)
            } else {
                cli::format_pubsub_reply(&reply).0
            };
            self.collect(now);
            return LineOutcome::Reply(text);
        }
        let mut out = Vec::with_capacity(repeat.min(1024) as usize);
        // DEBUG SLEEP stops the server: that time passes on the simulated clock.
        let mut slept = 0u64;
        for done in 1..=repeat {
            if engine.shutdown_requested() {
                break;
            }
            let exec = engine.execute_blocking(
                &mut session.client,
                args.to_vec(),
                now.saturating_add(slept),
            );
            slept = slept.saturating_add(engine.take_sleep());
            match exec {
                Exec::Reply(reply) => {
                    out.push(cli::format_reply_for(args, &reply));
                    session.subscribed = engine.is_subscribed(&session.client);
                    if session.client.should_close() {
                        // CLIENT KILL ... SKIPME no: the reply came, then the close.
                        session.link = Link::Closed;
                        break;
                    }
                }
                exec @ (Exec::Blocked | Exec::Postponed(_)) => {
                    session.waiting = Some(Waiting {
                        argv: args.to_vec(),
                        since_us: now,
                        repeats_left: repeat - done,
                        postponed: matches!(exec, Exec::Postponed(_)),
                    });
                    let now = self.pass_sleep(slept, now);
                    self.collect(now);
                    return LineOutcome::Blocked(out.join("\n"));
                }
            }
        }
        let now = self.pass_sleep(slept, now);
        out.extend(elapsed_note(slept));
        if self.engine.shutdown_requested() {
            out.retain(|text| !text.is_empty());
            out.push(self.restart(now));
            return LineOutcome::Restarted(out.join("\n"));
        }
        self.collect(now);
        LineOutcome::Reply(out.join("\n"))
    }

    /// Moves the clock past a DEBUG SLEEP of `slept` µs that began at `now`,
    /// with the timers that would have fired meanwhile; returns the new now.
    fn pass_sleep(&mut self, slept: u64, now: u64) -> u64 {
        if slept == 0 {
            return now;
        }
        self.clock.advance(slept);
        let later = now.saturating_add(slept);
        self.engine.active_expire_cycle(later);
        self.engine.expire_blocked(later);
        later
    }

    /// After a SHUTDOWN went through: the server comes back, as if started again
    /// by hand, with what its last save holds (nothing, if it never saved), and
    /// every tab connects again. Returns the note the console prints, where
    /// redis-cli would only show a `not connected>` prompt.
    fn restart(&mut self, now: u64) -> String {
        let (mut engine, loaded) = self.engine.restarted(now);
        engine.set_proto_max_bulk_len(BROWSER_MAX_BULK_LEN);
        for session in &mut self.sessions {
            *session = Session::new(session.number, connect(&mut engine));
        }
        self.engine = engine;
        self.outbox.clear();
        let keys: usize = (0..cachelab_core::engine::NUM_DBS)
            .filter_map(|db| self.engine.db(db))
            .map(|db| db.len())
            .sum();
        match (loaded, keys) {
            (false, _) => "(the server shut down and started again with no snapshot to load: \
                           the keyspace is empty)"
                .to_string(),
            (true, 1) => {
                "(the server shut down and started again: its last snapshot held 1 key)".to_string()
            }
            (true, n) => {
                format!("(the server shut down and started again: its last snapshot held {n} keys)")
            }
        }
    }

    /// Ctrl+C in tab `number`. redis-cli leaves Pub/Sub mode by dropping its
    /// connection and connecting again (on the same db), and a learner stuck in a
    /// BLPOP does the same: so the tab gets a fresh connection, without its
    /// subscriptions or its wait. False (and nothing happens) when the tab is at an
    /// ordinary prompt.
    pub fn interrupt(&mut self, number: u32, real_us: u64) -> bool {
        let now = self.clock.now_us(real_us);
        let Some(at) = self.sessions.iter().position(|s| s.number == number) else {
            return false;
        };
        if self.mode_of(&self.sessions[at]) == ClientMode::Ready {
            return false;
        }
        self.reconnect(at);
        self.collect(now);
        true
    }

    /// Gives session `at` a fresh connection on the db it had, as redis-cli
    /// connects again (and SELECTs its db): no subscriptions, no wait, no
    /// transaction.
    fn reconnect(&mut self, at: usize) {
        let mut client = connect(&mut self.engine);
        let session = &mut self.sessions[at];
        client.db = session.client.db;
        let old = std::mem::replace(&mut session.client, client);
        session.waiting = None;
        session.link = Link::Up;
        session.subscribed = false;
        self.engine.drop_client(&old);
    }

    /// Goes on with a line that was waiting: prints the reply its blocked command
    /// got (`None`: its command was postponed and is sent again now), then runs
    /// its remaining repeats, until one waits again. Returns the text to print
    /// and whether the line is done; a line still waiting is put back.
    fn finish_line(
        engine: &mut Engine,
        session: &mut Session,
        mut waiting: Waiting,
        reply: Option<Reply>,
        now: u64,
    ) -> (String, bool) {
        let mut parts = Vec::new();
        let mut again = reply.is_none();
        if let Some(reply) = reply {
            parts.push(cli::format_reply_for(&waiting.argv, &reply));
        }
        while again || waiting.repeats_left > 0 {
            if !again {
                waiting.repeats_left -= 1;
            }
            again = false;
            match engine.execute_blocking(&mut session.client, waiting.argv.clone(), now) {
                Exec::Reply(reply) => parts.push(cli::format_reply_for(&waiting.argv, &reply)),
                exec @ (Exec::Blocked | Exec::Postponed(_)) => {
                    waiting.postponed = matches!(exec, Exec::Postponed(_));
                    session.waiting = Some(waiting);
                    return (parts.join("\n"), false);
                }
            }
        }
        parts.extend(elapsed_note(now.saturating_sub(waiting.since_us)));
        (parts.join("\n"), true)
    }

    /// Moves what the engine holds for the tabs into the outbox: first the replies of
    /// clients that stopped waiting (running the rest of their `N command` repeats),
    /// then Pub/Sub pushes, as `cachelab-server`'s `Hub::deliver` orders them.
    fn collect(&mut self, now: u64) {
        let Sandbox {
            engine,
            sessions,
            outbox,
            ..
        } = self;
        engine.broadcast_invalidations();
        // A repeat that runs here may serve yet another client; a few rounds settle it.
        for _ in 0..MAX_CLIENTS {
            let unblocked = engine.take_unblocked();
            let resumed = engine.take_resumed();
            if unblocked.is_empty() && resumed.is_empty() {
                break;
            }
            let answered = unblocked.into_iter().map(|(id, reply)| (id, Some(reply)));
            let resumed = resumed.into_iter().map(|id| (id, None));
            for (id, reply) in answered.chain(resumed) {
                let Some(session) = sessions.iter_mut().find(|s| s.client.id == id) else {
                    continue;
                };
                let Some(waiting) = session.waiting.take() else {
                    continue;
                };
                let (text, done) = Self::finish_line(engine, session, waiting, reply, now);
                if done || !text.is_empty() {
                    outbox.push(Delivery::Reply {
                        client: session.number,
                        text,
                        done,
                    });
                }
            }
        }
        for id in engine.take_killed_clients() {
            let Some(session) = sessions.iter_mut().find(|s| s.client.id == id) else {
                continue;
            };
            // A waiting or subscribed redis-cli is reading, so it sees the close
            // at once; at a prompt it finds out with its next command.
            if session.waiting.take().is_some() || session.client.is_monitor() {
                session.link = Link::Down;
                outbox.push(Delivery::Reply {
                    client: session.number,
                    text: CLOSED_ERROR.to_string(),
                    done: true,
                });
            } else if session.subscribed {
                session.link = Link::Down;
                session.subscribed = false;
                outbox.push(Delivery::Message {
                    client: session.number,
                    text: CLOSED_ERROR.to_string(),
                });
            } else {
                session.link = Link::Closed;
            }
        }
        if engine.has_pushes() {
            for (id, push) in engine.take_all_pushes() {
                if let Some(session) = sessions.iter().find(|s| s.client.id == id) {
                    outbox.push(Delivery::Message {
                        client: session.number,
                        text: cli::format_reply(&push),
                    });
                }
            }
        }
    }
}

mod redis_cli;

use redis_cli::{connect, elapsed_note, is, repeat_prefix, CLOSED_ERROR};
pub use redis_cli::{prompt, MAX_REPEAT};

#[cfg(test)]
mod tests;
