//! The sandbox: the engine, its simulated clock and the console's client, driven the
//! way redis-cli drives a server. No DOM here; the browser shares one `Sandbox` through
//! a context and persists what [`Sandbox::snapshot`] and [`Sandbox::clock`] return.

use cachelab_core::engine::KeyOverview;
use cachelab_core::{cli, table, Client, Engine};

use crate::clock::Clock;

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
}

impl LineOutcome {
    /// The text printed under the echoed line, if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            LineOutcome::Reply(t) | LineOutcome::Local(t) => Some(t),
            _ => None,
        }
    }
}

pub struct Sandbox {
    engine: Engine,
    client: Client,
    clock: Clock,
}

impl Sandbox {
    pub fn new(mut engine: Engine, clock: Clock) -> Sandbox {
        let client = engine.new_client();
        // A browser tab has far less memory than a server: cap single strings (and
        // SETRANGE/SETBIT offsets, LCS tables) at 32 MB instead of Redis's 512 MB,
        // so a huge offset is refused with Redis's own error rather than running
        // the page out of memory. CONFIG GET shows the real value.
        engine.set_proto_max_bulk_len(32 * 1024 * 1024);
        Sandbox {
            engine,
            client,
            clock,
        }
    }

    /// redis-cli's prompt for the console's client.
    pub fn prompt(&self) -> String {
        prompt(self.client.db, self.client.in_multi())
    }

    /// The database the console has SELECTed.
    pub fn db(&self) -> usize {
        self.client.db
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

    /// Jumps simulated time and lets active expiry catch up at once, so keys whose TTL
    /// was skipped over disappear from the panel straight away.
    pub fn advance(&mut self, delta_us: u64, real_us: u64) {
        self.clock.advance(delta_us);
        self.engine.active_expire_cycle(self.clock.now_us(real_us));
    }

    /// One 100 ms beat of Redis's `hz 10` timer. A paused clock has no beats.
    pub fn tick(&mut self, real_us: u64) {
        if !self.clock.is_paused() {
            self.engine.active_expire_cycle(self.clock.now_us(real_us));
        }
    }

    pub fn keys(&self, real_us: u64) -> Vec<KeyOverview> {
        self.engine
            .key_overview(self.client.db, self.clock.now_us(real_us))
    }

    /// Lends the engine to `f` with the console's database and the simulated "now",
    /// for the lesson's and quiz's read-only checks (`lesson::check::probe`).
    pub fn inspect<R>(&mut self, real_us: u64, f: impl FnOnce(&mut Engine, usize, u64) -> R) -> R {
        let now = self.clock.now_us(real_us);
        f(&mut self.engine, self.client.db, now)
    }

    pub fn snapshot(&self) -> String {
        self.engine.to_snapshot()
    }

    /// Runs one console line the way redis-cli's REPL does: tokenize, handle the local
    /// commands (`quit`, `clear`, `help`), honour the `N command` repeat prefix, and
    /// send the rest to the engine.
    pub fn run_line(&mut self, line: &str, real_us: u64) -> LineOutcome {
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
        let mut out = Vec::with_capacity(repeat.min(1024) as usize);
        for _ in 0..repeat {
            let reply =
                self.engine
                    .execute(&mut self.client, args.to_vec(), self.clock.now_us(real_us));
            out.push(cli::format_reply_for(args, &reply));
        }
        LineOutcome::Reply(out.join("\n"))
    }
}

/// redis-cli's prompt: `127.0.0.1:6379[db](TX)> `, the db shown when it isn't 0.
pub fn prompt(db: usize, in_multi: bool) -> String {
    let mut prompt = String::from("127.0.0.1:6379");
    if db != 0 {
        prompt.push_str(&format!("[{db}]"));
    }
    if in_multi {
        prompt.push_str("(TX)");
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
        assert_eq!(prompt(0, false), "127.0.0.1:6379> ");
        assert_eq!(prompt(1, false), "127.0.0.1:6379[1]> ");
        assert_eq!(prompt(0, true), "127.0.0.1:6379(TX)> ");
        assert_eq!(prompt(15, true), "127.0.0.1:6379[15](TX)> ");
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

    #[test]
    fn snapshot_round_trips_through_the_engine() {
        let mut sb = sandbox();
        run(&mut sb, "SET a 1");
        let restored = Sandbox::new(Engine::from_snapshot(&sb.snapshot()).unwrap(), sb.clock());
        assert_eq!(restored.keys(T0).len(), 1);
    }
}
