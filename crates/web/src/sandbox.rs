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
use cachelab_core::{cli, table, Client, Engine};

use crate::clock::Clock;

/// How many clients (console tabs) can be open at once.
pub const MAX_CLIENTS: usize = 8;

/// What running one console line produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineOutcome {
    /// A blank line: only the prompt is echoed.
    Blank,
    /// Replies from the engine, formatted like redis-cli (one block per line, even
    /// when redis-cli's `N command` repeat form ran it several times).
    Reply(String),
    /// Text redis-cli prints itself without asking the server: `HELP`, bad quoting.
    Local(String),
    /// `clear`: wipe the screen.
    Clear,
    /// `quit`/`exit`: nothing to print.
    Quit,
    /// A blocking command (BLPOP and friends) is waiting; its reply arrives later as a
    /// [`Delivery::Reply`]. Holds what earlier repeats of an `N command` line printed.
    Blocked(String),
    /// Nothing ran: the client is still waiting for a blocking command (or there is
    /// no such tab).
    Busy,
}

impl LineOutcome {
    /// The text printed under the echoed line, if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            LineOutcome::Reply(t) | LineOutcome::Local(t) => Some(t),
            LineOutcome::Blocked(t) if !t.is_empty() => Some(t),
            _ => None,
        }
    }
}

/// What a tab's client is doing, as the tab strip and prompt line show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientMode {
    /// At the prompt.
    Ready,
    /// Subscribed to channels, patterns or shard channels (redis-cli's Pub/Sub mode).
    Subscribed,
    /// Blocked by BLPOP and friends until served, timed out or interrupted.
    Waiting,
}

/// One tab of the console, as the tab strip lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientTab {
    /// The number in its label, `client 2`; lesson commands name tabs by it.
    pub number: u32,
    pub mode: ClientMode,
}

/// Output for a tab that nobody typed at it just now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// A Pub/Sub message (or other push) for a subscribed client, printed as it arrives.
    Message { client: u32, text: String },
    /// The reply of the line the client was waiting on: served by another client's
    /// write, or timed out. `done` is false when a later repeat of an `N command`
    /// line blocks again.
    Reply {
        client: u32,
        text: String,
        done: bool,
    },
}

impl Delivery {
    pub fn client(&self) -> u32 {
        match self {
            Delivery::Message { client, .. } | Delivery::Reply { client, .. } => *client,
        }
    }
}

/// One console tab's connection.
struct Session {
    number: u32,
    client: Client,
    waiting: Option<Waiting>,
}

/// A line whose blocking command has not been answered yet.
struct Waiting {
    argv: Vec<Vec<u8>>,
    /// Simulated time the line was entered, for redis-cli's `(1.10s)` note.
    since_us: u64,
    /// Repeats of an `N command` line still to run after this one.
    repeats_left: u64,
}

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
        engine.set_proto_max_bulk_len(32 * 1024 * 1024);
        let client = engine.new_client();
        Sandbox {
            engine,
            clock,
            sessions: vec![Session {
                number: 1,
                client,
                waiting: None,
            }],
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
        let client = self.engine.new_client();
        let at = self.sessions.partition_point(|s| s.number < number);
        self.sessions.insert(
            at,
            Session {
                number,
                client,
                waiting: None,
            },
        );
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

    pub fn snapshot(&self) -> String {
        self.engine.to_snapshot()
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
        if self.sessions[at].waiting.is_some() {
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
        let Sandbox {
            engine, sessions, ..
        } = self;
        let session = &mut sessions[at];
        if cli::enters_pubsub_mode(args) {
            // redis-cli 7.0 prints its banner, then reads replies and messages until
            // Ctrl-C, so a repeat count never gets a second turn.
            let listening = engine.is_subscribed(&session.client);
            let reply = engine.execute(&mut session.client, args.to_vec(), now);
            let text = if listening {
                cli::format_reply(&reply)
            } else {
                cli::format_pubsub_reply(&reply).0
            };
            self.collect(now);
            return LineOutcome::Reply(text);
        }
        let mut out = Vec::with_capacity(repeat.min(1024) as usize);
        for done in 1..=repeat {
            match engine.execute_blocking(&mut session.client, args.to_vec(), now) {
                Exec::Reply(reply) => out.push(cli::format_reply_for(args, &reply)),
                Exec::Blocked => {
                    session.waiting = Some(Waiting {
                        argv: args.to_vec(),
                        since_us: now,
                        repeats_left: repeat - done,
                    });
                    self.collect(now);
                    return LineOutcome::Blocked(out.join("\n"));
                }
            }
        }
        self.collect(now);
        LineOutcome::Reply(out.join("\n"))
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
        let mut client = self.engine.new_client();
        let session = &mut self.sessions[at];
        client.db = session.client.db;
        let old = std::mem::replace(&mut session.client, client);
        session.waiting = None;
        self.engine.drop_client(&old);
        self.collect(now);
        true
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
        // A repeat that runs here may serve yet another client; a few rounds settle it.
        for _ in 0..MAX_CLIENTS {
            let unblocked = engine.take_unblocked();
            if unblocked.is_empty() {
                break;
            }
            for (id, reply) in unblocked {
                let Some(session) = sessions.iter_mut().find(|s| s.client.id == id) else {
                    continue;
                };
                let Some(mut waiting) = session.waiting.take() else {
                    continue;
                };
                let mut parts = vec![cli::format_reply_for(&waiting.argv, &reply)];
                let mut done = true;
                while waiting.repeats_left > 0 {
                    waiting.repeats_left -= 1;
                    match engine.execute_blocking(&mut session.client, waiting.argv.clone(), now) {
                        Exec::Reply(reply) => {
                            parts.push(cli::format_reply_for(&waiting.argv, &reply))
                        }
                        Exec::Blocked => {
                            done = false;
                            break;
                        }
                    }
                }
                if done {
                    parts.extend(elapsed_note(now.saturating_sub(waiting.since_us)));
                } else {
                    session.waiting = Some(waiting);
                }
                outbox.push(Delivery::Reply {
                    client: session.number,
                    text: parts.join("\n"),
                    done,
                });
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

/// redis-cli's note after a line that took half a second or more: `(1.10s)`. The
/// console measures simulated time, so a clock jump shows in it.
fn elapsed_note(elapsed_us: u64) -> Option<String> {
    let ms = elapsed_us / 1000;
    (ms >= 500).then(|| format!("({:.2}s)", ms as f64 / 1000.0))
}

/// redis-cli's prompt: `127.0.0.1:6379[db](TX)> `, the db shown when it isn't 0, and
/// `(subscribed mode)` while subscribed (the form redis-cli 7.2 added for typing
/// commands in Pub/Sub mode, which this console allows).
pub fn prompt(db: usize, in_multi: bool, subscribed: bool) -> String {
    let mut prompt = String::from("127.0.0.1:6379");
    if db != 0 {
        prompt.push_str(&format!("[{db}]"));
    }
    if in_multi {
        prompt.push_str("(TX)");
    }
    if subscribed {
        prompt.push_str("(subscribed mode)");
    }
    prompt.push_str("> ");
    prompt
}

fn is(arg: &[u8], word: &str) -> bool {
    arg.eq_ignore_ascii_case(word.as_bytes())
}

/// redis-cli reads a leading integer as a repeat count (`3 INCR n`) when more arguments
/// follow. `Ok(None)`: no repeat prefix; `Err`: a count of zero, negative or too large.
fn repeat_prefix(argv: &[Vec<u8>]) -> Result<Option<u64>, ()> {
    if argv.len() < 2 {
        return Ok(None);
    }
    let first = &argv[0];
    // strtol("") consumes nothing yet leaves *endptr == '\0', so redis-cli reads an
    // empty first argument as a repeat count of zero.
    if first.is_empty() {
        return Err(());
    }
    let digits = first
        .strip_prefix(b"-")
        .or_else(|| first.strip_prefix(b"+"))
        .unwrap_or(first);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Ok(None);
    }
    // Out of range parses as 0 and is rejected below, like strtol's ERANGE.
    let n: i64 = std::str::from_utf8(first)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    // The console runs in one browser tab: keep a runaway count from freezing it.
    if n <= 0 || n > MAX_REPEAT {
        return Err(());
    }
    Ok(Some(n as u64))
}

/// The largest `N command` repeat the console accepts.
pub const MAX_REPEAT: i64 = 100_000;

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_700_000_000_000_000;

    fn sandbox() -> Sandbox {
        Sandbox::new(Engine::new(), Clock::default())
    }

    fn run(sb: &mut Sandbox, line: &str) -> String {
        sb.run_line(line, T0).text().unwrap_or_default().to_string()
    }

    #[test]
    fn commands_reach_the_engine_and_print_like_redis_cli() {
        let mut sb = sandbox();
        assert_eq!(
            sb.run_line("SET greeting hello", T0),
            LineOutcome::Reply("OK".into())
        );
        assert_eq!(run(&mut sb, "GET greeting"), "\"hello\"");
        assert_eq!(
            run(&mut sb, "get"),
            "(error) ERR wrong number of arguments for 'get' command"
        );
    }

    #[test]
    fn local_lines_never_reach_the_engine() {
        let mut sb = sandbox();
        assert_eq!(sb.run_line("", T0), LineOutcome::Blank);
        assert_eq!(sb.run_line("   ", T0), LineOutcome::Blank);
        assert_eq!(sb.run_line("CLEAR", T0), LineOutcome::Clear);
        assert_eq!(sb.run_line("quit", T0), LineOutcome::Quit);
        assert_eq!(sb.run_line("Exit", T0), LineOutcome::Quit);
        assert_eq!(
            sb.run_line("GET \"unbalanced", T0),
            LineOutcome::Local("Invalid argument(s)".into())
        );
        assert!(matches!(sb.run_line("help", T0), LineOutcome::Local(t) if !t.is_empty()));
        assert!(matches!(sb.run_line("HELP SET", T0), LineOutcome::Local(t) if !t.contains('\r')));
        // `clear` with arguments is an ordinary (unknown) command in redis-cli.
        assert!(matches!(sb.run_line("clear x", T0), LineOutcome::Reply(_)));
    }

    #[test]
    fn a_leading_number_repeats_the_command() {
        let mut sb = sandbox();
        assert_eq!(
            run(&mut sb, "3 INCR n"),
            "(integer) 1\n(integer) 2\n(integer) 3"
        );
        assert_eq!(
            run(&mut sb, "0 INCR n"),
            "Invalid redis-cli repeat command option value."
        );
        assert_eq!(
            run(&mut sb, "-2 INCR n"),
            "Invalid redis-cli repeat command option value."
        );
        assert_eq!(run(&mut sb, "GET n"), "\"3\"");
        // A lone number is a command name, not a repeat count.
        assert!(run(&mut sb, "5").starts_with("(error) ERR unknown command"));
    }

    #[test]
    fn prompt_shows_the_db_and_transactions() {
        assert_eq!(prompt(0, false, false), "127.0.0.1:6379> ");
        assert_eq!(prompt(1, false, false), "127.0.0.1:6379[1]> ");
        assert_eq!(prompt(0, true, false), "127.0.0.1:6379(TX)> ");
        assert_eq!(prompt(15, true, false), "127.0.0.1:6379[15](TX)> ");
        assert_eq!(prompt(0, false, true), "127.0.0.1:6379(subscribed mode)> ");
        assert_eq!(
            prompt(2, false, true),
            "127.0.0.1:6379[2](subscribed mode)> "
        );
    }

    #[test]
    fn prompt_follows_select() {
        let mut sb = sandbox();
        assert_eq!(sb.prompt(), "127.0.0.1:6379> ");
        run(&mut sb, "SELECT 1");
        assert_eq!(sb.prompt(), "127.0.0.1:6379[1]> ");
        assert_eq!(sb.db(), 1);
        run(&mut sb, "SELECT 0");
        assert_eq!(sb.prompt(), "127.0.0.1:6379> ");
    }

    #[test]
    fn keys_expire_on_simulated_time() {
        let mut sb = sandbox();
        run(&mut sb, "SET k v");
        run(&mut sb, "EXPIRE k 30");
        let keys = sb.keys(T0);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].ttl_ms, Some(30_000));
        sb.toggle_pause(T0);
        sb.tick(T0 + 60_000_000);
        assert_eq!(
            sb.keys(T0 + 60_000_000).len(),
            1,
            "paused time stands still"
        );
        sb.advance(31_000_000, T0 + 60_000_000);
        assert!(sb.keys(T0 + 60_000_000).is_empty());
        assert_eq!(run(&mut sb, "EXISTS k"), "(integer) 0");
    }

    fn run_in(sb: &mut Sandbox, client: u32, line: &str) -> String {
        run_at(sb, client, line, T0)
    }

    fn run_at(sb: &mut Sandbox, client: u32, line: &str, real: u64) -> String {
        match sb.run_line_in(client, line, real) {
            LineOutcome::Reply(t) | LineOutcome::Local(t) => t,
            other => panic!("`{line}` in client {client}: {other:?}"),
        }
    }

    fn message(client: u32, text: &str) -> Delivery {
        Delivery::Message {
            client,
            text: text.into(),
        }
    }

    fn reply(client: u32, text: &str, done: bool) -> Delivery {
        Delivery::Reply {
            client,
            text: text.into(),
            done,
        }
    }

    const SUBSCRIBED_ORDERS: &str = "Reading messages... (press Ctrl-C to quit)\n\
                                     1) \"subscribe\"\n2) \"orders:new\"\n3) (integer) 1";

    #[test]
    fn tabs_open_under_the_lowest_free_number_up_to_the_limit() {
        let mut sb = sandbox();
        assert_eq!(
            sb.clients(),
            [ClientTab {
                number: 1,
                mode: ClientMode::Ready
            }]
        );
        assert_eq!(sb.open_client(), Some(2));
        assert_eq!(sb.active(), 2);
        assert_eq!(sb.open_client(), Some(3));
        assert!(sb.close_client(2));
        assert_eq!(
            sb.active(),
            3,
            "closing a background tab keeps the front one"
        );
        assert_eq!(sb.open_client(), Some(2));
        let numbers: Vec<u32> = sb.clients().iter().map(|t| t.number).collect();
        assert_eq!(numbers, [1, 2, 3], "tabs stay in number order");
        while sb.open_client().is_some() {}
        assert_eq!(sb.clients().len(), MAX_CLIENTS);
        assert!(!sb.ensure_client(MAX_CLIENTS as u32 + 1));
    }

    #[test]
    fn closing_the_front_tab_brings_a_neighbour_and_the_last_tab_stays() {
        let mut sb = sandbox();
        sb.open_client();
        sb.open_client();
        assert!(sb.close_client(3));
        assert_eq!(sb.active(), 2);
        assert!(sb.select(1));
        assert!(sb.close_client(1));
        assert_eq!(sb.active(), 2);
        assert!(!sb.close_client(2), "the last tab can't be closed");
        assert!(!sb.select(7));
        assert_eq!(sb.active(), 2);
    }

    #[test]
    fn a_lesson_command_can_name_its_tab() {
        let mut sb = sandbox();
        assert!(sb.ensure_client(2));
        assert_eq!(sb.active(), 2);
        assert!(sb.ensure_client(1));
        assert_eq!(sb.active(), 1);
        assert_eq!(sb.clients().len(), 2, "an open tab is reused");
        assert_eq!(run(&mut sb, "CLIENT ID"), "(integer) 1");
        sb.select(2);
        assert_eq!(
            run(&mut sb, "CLIENT ID"),
            "(integer) 2",
            "each tab is a client"
        );
    }

    #[test]
    fn each_tab_has_its_own_db_and_transaction_and_the_panel_follows_the_front() {
        let mut sb = sandbox();
        sb.open_client();
        run_in(&mut sb, 2, "SELECT 3");
        run_in(&mut sb, 2, "SET k v");
        run_in(&mut sb, 1, "MULTI");
        assert_eq!(sb.prompt_of(1), "127.0.0.1:6379(TX)> ");
        assert_eq!(sb.prompt_of(2), "127.0.0.1:6379[3]> ");
        assert_eq!(sb.db(), 3);
        assert_eq!(sb.keys(T0).len(), 1);
        sb.select(1);
        assert_eq!(sb.prompt(), "127.0.0.1:6379(TX)> ");
        assert!(sb.keys(T0).is_empty());
    }

    #[test]
    fn publish_reaches_a_subscriber_in_another_tab() {
        let mut sb = sandbox();
        sb.open_client();
        assert_eq!(
            run_in(&mut sb, 1, "SUBSCRIBE orders:new"),
            SUBSCRIBED_ORDERS
        );
        assert_eq!(sb.mode(1), ClientMode::Subscribed);
        assert_eq!(sb.prompt_of(1), "127.0.0.1:6379(subscribed mode)> ");
        assert!(sb.take_output().is_empty());
        assert_eq!(
            run_in(&mut sb, 2, "PUBLISH orders:new 'order 1042 paid'"),
            "(integer) 1"
        );
        assert_eq!(
            sb.take_output(),
            [message(
                1,
                "1) \"message\"\n2) \"orders:new\"\n3) \"order 1042 paid\""
            )]
        );
        assert!(!sb.has_output());
    }

    #[test]
    fn pattern_and_shard_messages_print_like_redis_cli() {
        let mut sb = sandbox();
        sb.open_client();
        assert_eq!(
            run_in(&mut sb, 1, "PSUBSCRIBE orders:*"),
            "Reading messages... (press Ctrl-C to quit)\n\
             1) \"psubscribe\"\n2) \"orders:*\"\n3) (integer) 1"
        );
        run_in(&mut sb, 2, "PUBLISH orders:x hi");
        assert_eq!(
            sb.take_output(),
            [message(
                1,
                "1) \"pmessage\"\n2) \"orders:*\"\n3) \"orders:x\"\n4) \"hi\""
            )]
        );
        sb.open_client();
        run_in(&mut sb, 3, "SSUBSCRIBE s");
        assert_eq!(run_in(&mut sb, 2, "SPUBLISH s x"), "(integer) 1");
        assert_eq!(
            sb.take_output(),
            [message(3, "1) \"smessage\"\n2) \"s\"\n3) \"x\"")]
        );
    }

    #[test]
    fn pushes_go_to_the_tab_of_the_client_that_subscribed() {
        let mut sb = sandbox();
        sb.open_client();
        sb.open_client();
        run_in(&mut sb, 1, "SUBSCRIBE a");
        run_in(&mut sb, 3, "SUBSCRIBE a b");
        assert_eq!(run_in(&mut sb, 2, "PUBLISH b x"), "(integer) 1");
        assert_eq!(
            sb.take_output(),
            [message(3, "1) \"message\"\n2) \"b\"\n3) \"x\"")]
        );
        assert_eq!(run_in(&mut sb, 2, "PUBLISH a y"), "(integer) 2");
        let to: Vec<u32> = sb.take_output().iter().map(Delivery::client).collect();
        assert_eq!(
            to,
            [1, 3],
            "subscribers hear a message in the order they subscribed"
        );
    }

    #[test]
    fn subscribed_mode_allows_only_pubsub_commands_and_ends_with_the_last_unsubscribe() {
        let mut sb = sandbox();
        run(&mut sb, "SUBSCRIBE a");
        assert_eq!(
            run(&mut sb, "GET k"),
            "(error) ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / \
             QUIT / RESET are allowed in this context"
        );
        assert_eq!(run(&mut sb, "PING"), "1) \"pong\"\n2) \"\"");
        assert_eq!(
            run(&mut sb, "SUBSCRIBE b"),
            "1) \"subscribe\"\n2) \"b\"\n3) (integer) 2",
            "already listening: no second banner"
        );
        assert_eq!(
            run(&mut sb, "UNSUBSCRIBE"),
            "1) \"unsubscribe\"\n2) \"a\"\n3) (integer) 1\n\
             1) \"unsubscribe\"\n2) \"b\"\n3) (integer) 0"
        );
        assert_eq!(sb.mode(1), ClientMode::Ready);
        assert_eq!(sb.prompt(), "127.0.0.1:6379> ");
    }

    #[test]
    fn a_subscribe_error_prints_the_banner_and_leaves_pubsub_mode() {
        let mut sb = sandbox();
        assert_eq!(
            run(&mut sb, "SUBSCRIBE"),
            "Reading messages... (press Ctrl-C to quit)\n\
             (error) ERR wrong number of arguments for 'subscribe' command"
        );
        assert_eq!(sb.mode(1), ClientMode::Ready);
    }

    #[test]
    fn ctrl_c_leaves_subscribed_mode_on_a_fresh_connection_in_the_same_db() {
        let mut sb = sandbox();
        sb.open_client();
        run_in(&mut sb, 1, "SELECT 2");
        run_in(&mut sb, 1, "SUBSCRIBE orders:new");
        assert!(sb.interrupt(1, T0));
        assert_eq!(sb.mode(1), ClientMode::Ready);
        assert_eq!(sb.prompt_of(1), "127.0.0.1:6379[2]> ");
        assert_eq!(run_in(&mut sb, 2, "PUBLISH orders:new x"), "(integer) 0");
        assert!(sb.take_output().is_empty());
        assert_eq!(
            run_in(&mut sb, 1, "CLIENT ID"),
            "(integer) 3",
            "redis-cli reconnects"
        );
        assert!(
            !sb.interrupt(1, T0),
            "Ctrl+C at an ordinary prompt does nothing"
        );
    }

    #[test]
    fn blpop_waits_until_another_tab_pushes() {
        let mut sb = sandbox();
        sb.open_client();
        assert_eq!(
            sb.run_line_in(1, "BLPOP jobs 0", T0),
            LineOutcome::Blocked(String::new())
        );
        assert_eq!(sb.mode(1), ClientMode::Waiting);
        assert_eq!(sb.run_line_in(1, "PING", T0), LineOutcome::Busy);
        sb.advance(3600 * 1_000_000, T0);
        assert!(sb.take_output().is_empty(), "timeout 0 waits for ever");
        assert_eq!(run_in(&mut sb, 2, "RPUSH jobs mail"), "(integer) 1");
        let out = sb.take_output();
        assert_eq!(
            out,
            [reply(1, "1) \"jobs\"\n2) \"mail\"\n(3600.00s)", true)],
            "with redis-cli's note of how long the line took"
        );
        assert_eq!(sb.mode(1), ClientMode::Ready);
        assert_eq!(run_in(&mut sb, 2, "LLEN jobs"), "(integer) 0");
    }

    #[test]
    fn a_quick_serve_has_no_elapsed_note() {
        let mut sb = sandbox();
        sb.open_client();
        sb.run_line_in(1, "BRPOP jobs 0", T0);
        run_at(&mut sb, 2, "RPUSH jobs a", T0 + 499_000);
        assert_eq!(sb.take_output(), [reply(1, "1) \"jobs\"\n2) \"a\"", true)]);
        sb.run_line_in(1, "BRPOP jobs 0", T0);
        run_at(&mut sb, 2, "RPUSH jobs b", T0 + 700_000);
        assert_eq!(
            sb.take_output(),
            [reply(1, "1) \"jobs\"\n2) \"b\"\n(0.70s)", true)]
        );
    }

    #[test]
    fn a_blocked_command_times_out_when_the_clock_jumps_past_it() {
        let mut sb = sandbox();
        assert_eq!(
            sb.run_line("BLPOP jobs 5", T0),
            LineOutcome::Blocked(String::new())
        );
        sb.tick(T0 + 1_000_000);
        assert!(sb.take_output().is_empty());
        sb.advance(10 * 1_000_000, T0 + 1_000_000);
        assert_eq!(sb.take_output(), [reply(1, "(nil)\n(11.00s)", true)]);
        assert_eq!(sb.mode(1), ClientMode::Ready);
    }

    #[test]
    fn a_blocked_command_times_out_on_the_beat() {
        let mut sb = sandbox();
        sb.run_line("BZPOPMIN z 1.5", T0);
        sb.tick(T0 + 1_400_000);
        assert!(sb.take_output().is_empty());
        sb.tick(T0 + 1_500_000);
        assert_eq!(sb.take_output(), [reply(1, "(nil)\n(1.50s)", true)]);
    }

    #[test]
    fn a_paused_clock_never_times_a_command_out() {
        let mut sb = sandbox();
        sb.toggle_pause(T0);
        sb.run_line("BLPOP jobs 1", T0);
        sb.tick(T0 + 60_000_000);
        assert!(sb.take_output().is_empty());
        assert_eq!(sb.mode(1), ClientMode::Waiting);
    }

    #[test]
    fn ctrl_c_stops_a_wait_and_the_push_goes_elsewhere() {
        let mut sb = sandbox();
        sb.open_client();
        sb.run_line_in(1, "BLPOP jobs 0", T0);
        assert!(sb.interrupt(1, T0));
        assert_eq!(sb.mode(1), ClientMode::Ready);
        assert!(sb.take_output().is_empty());
        run_in(&mut sb, 2, "RPUSH jobs a");
        assert!(sb.take_output().is_empty());
        assert_eq!(run_in(&mut sb, 2, "LLEN jobs"), "(integer) 1");
    }

    #[test]
    fn blocking_commands_of_every_kind_are_served_across_tabs() {
        let cases: &[(&str, &str, &str)] = &[
            ("BLMOVE src dst LEFT RIGHT 0", "RPUSH src a", "\"a\""),
            (
                "BLMPOP 0 1 src LEFT",
                "RPUSH src a",
                "1) \"src\"\n2) 1) \"a\"",
            ),
            ("BZPOPMAX z 0", "ZADD z 1 m", "1) \"z\"\n2) \"m\"\n3) \"1\""),
            (
                "BZMPOP 0 1 z MIN",
                "ZADD z 2 m",
                "1) \"z\"\n2) 1) 1) \"m\"\n      2) \"2\"",
            ),
            (
                "XREAD BLOCK 0 STREAMS s $",
                "XADD s 1-1 f v",
                "1) 1) \"s\"\n   2) 1) 1) \"1-1\"\n         2) 1) \"f\"\n            2) \"v\"",
            ),
        ];
        for (wait, write, expect) in cases {
            let mut sb = sandbox();
            sb.open_client();
            assert_eq!(
                sb.run_line_in(1, wait, T0),
                LineOutcome::Blocked(String::new()),
                "{wait}"
            );
            run_in(&mut sb, 2, write);
            assert_eq!(sb.take_output(), [reply(1, expect, true)], "{wait}");
        }
    }

    #[test]
    fn xreadgroup_block_is_served_across_tabs() {
        let mut sb = sandbox();
        sb.open_client();
        run_in(&mut sb, 2, "XGROUP CREATE s g $ MKSTREAM");
        assert_eq!(
            sb.run_line_in(1, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >", T0),
            LineOutcome::Blocked(String::new())
        );
        run_in(&mut sb, 2, "XADD s 5-1 f v");
        assert_eq!(
            sb.take_output(),
            [reply(
                1,
                "1) 1) \"s\"\n   2) 1) 1) \"5-1\"\n         2) 1) \"f\"\n            2) \"v\"",
                true
            )]
        );
    }

    #[test]
    fn a_repeated_blocking_line_waits_once_per_repeat() {
        let mut sb = sandbox();
        sb.open_client();
        run_in(&mut sb, 2, "RPUSH q a");
        assert_eq!(
            sb.run_line_in(1, "3 BLPOP q 0", T0),
            LineOutcome::Blocked("1) \"q\"\n2) \"a\"".into())
        );
        run_in(&mut sb, 2, "RPUSH q b");
        assert_eq!(sb.take_output(), [reply(1, "1) \"q\"\n2) \"b\"", false)]);
        run_in(&mut sb, 2, "RPUSH q c d");
        assert_eq!(sb.take_output(), [reply(1, "1) \"q\"\n2) \"c\"", true)]);
        assert_eq!(run_in(&mut sb, 2, "LRANGE q 0 -1"), "1) \"d\"");
    }

    #[test]
    fn blocking_commands_inside_multi_never_block() {
        let mut sb = sandbox();
        run(&mut sb, "MULTI");
        assert_eq!(run(&mut sb, "BLPOP q 0"), "QUEUED");
        assert_eq!(run(&mut sb, "EXEC"), "1) (nil)");
        assert_eq!(sb.mode(1), ClientMode::Ready);
    }

    #[test]
    fn client_unblock_from_another_tab_releases_a_wait() {
        let mut sb = sandbox();
        sb.open_client();
        sb.run_line_in(1, "BLPOP jobs 0", T0);
        assert_eq!(run_in(&mut sb, 2, "CLIENT UNBLOCK 1"), "(integer) 1");
        assert_eq!(sb.take_output(), [reply(1, "(nil)", true)]);
        sb.run_line_in(1, "BLPOP jobs 0", T0);
        assert_eq!(run_in(&mut sb, 2, "CLIENT UNBLOCK 1 ERROR"), "(integer) 1");
        assert_eq!(
            sb.take_output(),
            [reply(
                1,
                "(error) UNBLOCKED client unblocked via CLIENT UNBLOCK",
                true
            )]
        );
        assert_eq!(sb.mode(1), ClientMode::Ready);
    }

    #[test]
    fn keyspace_events_of_expiry_reach_a_subscriber_on_the_beat() {
        let mut sb = sandbox();
        sb.open_client();
        run_in(&mut sb, 2, "CONFIG SET notify-keyspace-events Ex");
        run_in(&mut sb, 1, "SUBSCRIBE __keyevent@0__:expired");
        run_in(&mut sb, 2, "SET session abc PX 100");
        sb.tick(T0 + 50_000);
        assert!(sb.take_output().is_empty());
        sb.tick(T0 + 200_000);
        assert_eq!(
            sb.take_output(),
            [message(
                1,
                "1) \"message\"\n2) \"__keyevent@0__:expired\"\n3) \"session\""
            )]
        );
    }

    #[test]
    fn closing_a_tab_drops_its_subscriptions_and_its_wait() {
        let mut sb = sandbox();
        sb.open_client();
        sb.open_client();
        run_in(&mut sb, 1, "SUBSCRIBE a");
        sb.run_line_in(2, "BLPOP q 0", T0);
        assert!(sb.close_client(1));
        assert!(sb.close_client(2));
        assert_eq!(run_in(&mut sb, 3, "PUBLISH a x"), "(integer) 0");
        assert_eq!(run_in(&mut sb, 3, "RPUSH q x"), "(integer) 1");
        assert!(sb.take_output().is_empty());
        assert_eq!(
            run_in(&mut sb, 3, "INFO clients")
                .lines()
                .find(|l| l.starts_with("connected_clients")),
            Some("connected_clients:1")
        );
    }

    #[test]
    fn snapshot_round_trips_through_the_engine() {
        let mut sb = sandbox();
        run(&mut sb, "SET a 1");
        let restored = Sandbox::new(Engine::from_snapshot(&sb.snapshot()).unwrap(), sb.clock());
        assert_eq!(restored.keys(T0).len(), 1);
    }
}
