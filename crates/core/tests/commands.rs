//! Data-driven command tests: each case is a redis-cli session against a fresh
//! engine with a manual clock, compared with the transcript redis-cli would print.
//!
//! ```text
//! check(&["SET k v EX 1", "+1500ms", "TTL k"], r#"
//!     > SET k v EX 1
//!     OK
//!     > +1500ms
//!     > TTL k
//!     (integer) -2
//! "#);
//! ```
//!
//! Lines are redis-cli input (split by `cli::tokenize`); replies are rendered by
//! `cli::format_reply`. Directives, which print no reply:
//! - `+1500ms`, `+2s`, `+10us`: advance the clock (it starts at [`T0_US`]);
//! - `@active-expire`: run one active expiry cycle at the current time;
//! - `@client N`: switch to client N (created on first use; the session starts on 1);
//! - `@read`: print the Pub/Sub pushes (and BCAST invalidations) waiting for the
//!   current client, as redis-cli prints them in subscribed mode (`(no messages)`
//!   if none).
//!
//! After a QUIT the transcript shows `(connection closed)`.
//!
//! Expected transcripts were checked against redis-server 7.0.15. To regenerate
//! them after a deliberate change, run with `UPDATE_EXPECT=1` and review the diff.

#[path = "commands/bitmaps.rs"]
mod bitmaps;
#[path = "commands/connection.rs"]
mod connection;
#[path = "commands/counters.rs"]
mod counters;
#[path = "commands/dump.rs"]
mod dump;
#[path = "commands/errors.rs"]
mod errors;
#[path = "commands/expire.rs"]
mod expire;
#[path = "commands/expiry.rs"]
mod expiry;
#[path = "commands/geo.rs"]
mod geo;
#[path = "commands/hyperloglog.rs"]
mod hyperloglog;
#[path = "commands/keys.rs"]
mod keys;
#[path = "commands/keys_inspect.rs"]
mod keys_inspect;
#[path = "commands/notify.rs"]
mod notify;
#[path = "commands/persistence.rs"]
mod persistence;
#[path = "commands/pubsub.rs"]
mod pubsub;
#[path = "commands/replication.rs"]
mod replication;
#[path = "commands/scan.rs"]
mod scan;
#[path = "commands/server.rs"]
mod server;
#[path = "commands/streams.rs"]
mod streams;
#[path = "commands/string_ops.rs"]
mod string_ops;
#[path = "commands/strings.rs"]
mod strings;
#[path = "commands/tracking.rs"]
mod tracking;

use std::collections::HashMap;
use std::panic::Location;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cachelab_core::{cli, Client, Engine, Reply};

/// 2023-11-14T22:13:20Z: the clock every session starts at, in unix µs.
pub const T0_US: u64 = 1_700_000_000_000_000;

/// A fresh engine, its clients and the manual clock.
pub struct Session {
    pub engine: Engine,
    clients: Vec<Client>,
    current: usize,
    pub now_us: u64,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Session {
        let mut engine = Engine::new();
        let first = engine.new_client();
        Session {
            engine,
            clients: vec![first],
            current: 0,
            now_us: T0_US,
        }
    }

    /// Runs one command line on the current client.
    pub fn exec(&mut self, line: &str) -> Reply {
        let argv = cli::tokenize(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        self.exec_argv(argv)
    }

    pub fn exec_argv(&mut self, argv: Vec<Vec<u8>>) -> Reply {
        let client = &mut self.clients[self.current];
        self.engine.execute(client, argv, self.now_us)
    }

    pub fn client(&self) -> &Client {
        &self.clients[self.current]
    }

    /// Runs one transcript line (command or directive) and returns what it prints.
    pub fn step(&mut self, line: &str) -> Option<String> {
        if let Some(d) = line.strip_prefix('+') {
            self.now_us +=
                parse_duration_us(d).unwrap_or_else(|| panic!("bad clock step {line:?}"));
            return None;
        }
        if line == "@active-expire" {
            self.engine.active_expire_cycle(self.now_us);
            return None;
        }
        if line == "@read" {
            // Like a server between batches: BCAST invalidations go out first.
            self.engine.broadcast_invalidations();
            let id = self.client().id;
            let pushes = self.engine.take_pushes(id);
            if pushes.is_empty() {
                return Some("(no messages)".to_string());
            }
            let shown: Vec<String> = pushes.iter().map(cli::format_reply).collect();
            return Some(shown.join("\n"));
        }
        if let Some(n) = line.strip_prefix("@client ") {
            let n: usize = n
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("bad client {line:?}"));
            assert!(n >= 1, "clients are numbered from 1");
            while self.clients.len() < n {
                let c = self.engine.new_client();
                self.clients.push(c);
            }
            self.current = n - 1;
            return None;
        }
        let reply = self.exec(line);
        // No reply at all (CLIENT REPLY OFF, SHUTDOWN): redis-cli prints nothing.
        let silent = matches!(&reply, Reply::Sequence(parts) if parts.is_empty());
        let mut out = (!silent).then(|| cli::format_reply(&reply));
        if self.client().should_close() {
            let text = out.get_or_insert_with(String::new);
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str("(connection closed)");
            let c = self.engine.new_client();
            let old = std::mem::replace(&mut self.clients[self.current], c);
            self.engine.drop_client(&old);
        }
        out
    }

    /// Runs a whole transcript and renders it.
    pub fn transcript(&mut self, lines: &[&str]) -> String {
        let mut out = String::new();
        for line in lines {
            let line = line.trim();
            out.push_str("> ");
            out.push_str(line);
            out.push('\n');
            if let Some(printed) = self.step(line) {
                out.push_str(&printed);
                out.push('\n');
            }
        }
        out
    }
}

/// `1500ms`, `2s`, `10us`.
fn parse_duration_us(s: &str) -> Option<u64> {
    let (num, mul) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1_000)
    } else if let Some(n) = s.strip_suffix("us") {
        (n, 1)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1_000_000)
    } else {
        return None;
    };
    num.parse::<u64>().ok()?.checked_mul(mul)
}

/// Runs `lines` on a fresh session and compares the transcript with `expect`.
#[track_caller]
pub fn check(lines: &[&str], expect: &str) {
    let actual = Session::new().transcript(lines);
    let expected = trim_indent(expect);
    if actual == expected {
        return;
    }
    let loc = Location::caller();
    if std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1") {
        update_expect(loc, &actual);
        return;
    }
    let first_diff = actual
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
    panic!(
        "transcript mismatch at {loc} (first differing line: {})\n--- expected ---\n{expected}--- actual ---\n{actual}----------------\n(rerun with UPDATE_EXPECT=1 to accept the actual transcript)",
        first_diff + 1
    );
}

/// Removes the first line break and the common indentation of non-blank lines.
fn trim_indent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    // The closing `"#` usually sits on its own indented line: drop that line.
    let text = match text.rfind('\n') {
        Some(i) if text[i + 1..].trim().is_empty() => &text[..=i],
        _ => text,
    };
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line.get(indent..).unwrap_or(line.trim_start()));
        out.push('\n');
    }
    out
}

/// Lines added to a file by earlier updates in this run, so later call sites
/// (whose line numbers were taken before the edits) can still be found.
/// Per file: (original line of a call, lines its update added).
type Patches = HashMap<PathBuf, Vec<(u32, i64)>>;
static PATCHES: Mutex<Option<Patches>> = Mutex::new(None);

fn source_path(file: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for base in manifest.ancestors() {
        let p = base.join(file);
        if p.exists() {
            return p;
        }
    }
    PathBuf::from(file)
}

/// Rewrites the first raw string literal after the call at `loc` with `actual`.
fn update_expect(loc: &Location<'_>, actual: &str) {
    let mut guard = PATCHES.lock().unwrap_or_else(|e| e.into_inner());
    let patches = guard.get_or_insert_with(HashMap::new);
    let path = source_path(loc.file());
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let shift: i64 = patches.get(&path).map_or(0, |v| {
        v.iter()
            .filter(|(line, _)| *line < loc.line())
            .map(|(_, d)| d)
            .sum()
    });
    let line = (i64::from(loc.line()) + shift) as usize;
    let start_of_line: usize = src.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let call = start_of_line + loc.column() as usize - 1;
    let open = call
        + src[call..]
            .find("r#\"")
            .expect("no r#\"...\"# literal after check(");
    let body = open + 3;
    let close = body + src[body..].find("\"#").expect("unterminated raw string");
    let line_text = &src[start_of_line..];
    let indent: String = line_text.chars().take_while(|c| *c == ' ').collect();
    let mut lit = String::from("\n");
    for l in actual.lines() {
        if !l.is_empty() {
            lit.push_str(&indent);
            lit.push_str("    ");
        }
        lit.push_str(l);
        lit.push('\n');
    }
    lit.push_str(&indent);
    let old_lines = src[body..close].matches('\n').count() as i64;
    let new_lines = lit.matches('\n').count() as i64;
    let new_src = format!("{}{}{}", &src[..body], lit, &src[close..]);
    std::fs::write(&path, new_src).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    patches
        .entry(path)
        .or_default()
        .push((loc.line(), new_lines - old_lines));
}

#[test]
fn harness_parses_durations_and_trims() {
    assert_eq!(parse_duration_us("1500ms"), Some(1_500_000));
    assert_eq!(parse_duration_us("2s"), Some(2_000_000));
    assert_eq!(parse_duration_us("7us"), Some(7));
    assert_eq!(parse_duration_us("7"), None);
    assert_eq!(
        trim_indent("\n    > A\n    B\n      C\n    "),
        "> A\nB\n  C\n"
    );
    assert_eq!(
        trim_indent("\n    > ECHO x\n    (error) ERR x' \n"),
        "> ECHO x\n(error) ERR x' \n"
    );
}
