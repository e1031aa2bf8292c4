//! "Check my work": checks written as data and evaluated against the engine's real
//! state by running read-only commands, the way a learner would inspect it with
//! redis-cli. A check never touches engine internals and can't change the keyspace:
//! [`probe`] refuses anything the command table doesn't flag as read-only. The
//! [`Check`] type itself is content, defined with the other content types.

use cachelab_core::table::{self, flag};
use cachelab_core::{cli, Engine};
use serde::{Deserialize, Serialize};

pub use crate::content_types::Check;

/// What a [`Check`] wants, once validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expectation<'a> {
    Exact(&'a str),
    Range(i64, i64),
    Contains(&'a str),
}

impl Check {
    /// The single expectation, or why the check is malformed.
    pub fn expectation(&self) -> Result<Expectation<'_>, String> {
        match (&self.expect, self.expect_range, &self.expect_contains) {
            (Some(exact), None, None) => Ok(Expectation::Exact(exact)),
            (None, Some([lo, hi]), None) if lo <= hi => Ok(Expectation::Range(lo, hi)),
            (None, Some(_), None) => Err(format!("`{}`: an empty range", self.command)),
            (None, None, Some(part)) if !part.is_empty() => Ok(Expectation::Contains(part)),
            _ => Err(format!(
                "`{}`: give exactly one of expect, expect_range, expect_contains",
                self.command
            )),
        }
    }

    /// Whether `reply` (redis-cli formatted) satisfies the check.
    pub fn accepts(&self, reply: &str) -> bool {
        match self.expectation() {
            Ok(Expectation::Exact(exact)) => reply == exact,
            Ok(Expectation::Range(lo, hi)) => {
                integer_reply(reply).is_some_and(|n| lo <= n && n <= hi)
            }
            Ok(Expectation::Contains(part)) => reply.contains(part),
            Err(_) => false,
        }
    }

    /// The expected reply in words, for feedback: `zset`, `an integer from 1 to 60`.
    pub fn expected(&self) -> String {
        match self.expectation() {
            Ok(Expectation::Exact(exact)) => exact.to_string(),
            Ok(Expectation::Range(lo, hi)) if hi == i64::MAX => format!("(integer) {lo} or more"),
            Ok(Expectation::Range(lo, hi)) => format!("(integer) {lo} to {hi}"),
            Ok(Expectation::Contains(part)) => format!("a reply containing {part}"),
            Err(why) => why,
        }
    }
}

/// `(integer) 42` → 42.
fn integer_reply(reply: &str) -> Option<i64> {
    reply.strip_prefix("(integer) ")?.parse().ok()
}

/// How one check went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub label: String,
    pub command: String,
    pub expected: String,
    /// The reply as redis-cli would print it.
    pub reply: String,
    pub passed: bool,
}

/// Runs every check through `run` (a console line in, a redis-cli formatted reply out).
pub fn evaluate(checks: &[Check], mut run: impl FnMut(&str) -> String) -> Vec<CheckOutcome> {
    checks
        .iter()
        .map(|check| {
            let reply = run(&check.command);
            CheckOutcome {
                passed: check.accepts(&reply),
                label: check.label.to_string(),
                command: check.command.to_string(),
                expected: check.expected(),
                reply,
            }
        })
        .collect()
}

/// True when there were checks and all passed.
pub fn all_passed(outcomes: &[CheckOutcome]) -> bool {
    !outcomes.is_empty() && outcomes.iter().all(|o| o.passed)
}

/// A short verdict: "All 3 checks pass." or "1 of 3 checks pass."
pub fn summary(outcomes: &[CheckOutcome]) -> String {
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let total = outcomes.len();
    if total > 0 && passed == total {
        if total == 1 {
            "The check passes.".to_string()
        } else {
            format!("All {total} checks pass.")
        }
    } else {
        format!("{passed} of {total} checks pass.")
    }
}

/// The reply a refused probe gets (it never reaches the engine).
pub const REFUSED: &str = "(refused: checks only run read-only commands)";

/// Runs one read-only console line on a short-lived client of `engine`, in database
/// `db` at time `now_us`, and returns the reply as redis-cli prints it. Lines that
/// don't parse or aren't read-only are refused without reaching the engine.
pub fn probe(engine: &mut Engine, db: usize, now_us: u64, line: &str) -> String {
    let Ok(argv) = cli::tokenize(line) else {
        return "Invalid argument(s)".to_string();
    };
    if !is_read_only(&argv) {
        return REFUSED.to_string();
    }
    let mut client = engine.new_client();
    client.db = db;
    let reply = engine.execute(&mut client, argv, now_us);
    engine.drop_client(&client);
    cli::format_reply(&reply)
}

fn is_read_only(argv: &[Vec<u8>]) -> bool {
    let Some(spec) = argv.first().and_then(|name| table::lookup(name)) else {
        return false;
    };
    let spec = if spec.subcommands.is_empty() {
        spec
    } else {
        match argv.get(1).and_then(|sub| spec.subcommand(sub)) {
            Some(sub) => sub,
            None => return false,
        }
    };
    spec.has_flag(flag::READONLY) && !spec.has_flag(flag::WRITE)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000_000_000;

    fn check(command: &str) -> Check {
        Check {
            command: command.into(),
            label: command.into(),
            expect: None,
            expect_range: None,
            expect_contains: None,
        }
    }

    fn engine_with(lines: &[&str]) -> Engine {
        let mut engine = Engine::new();
        let mut client = engine.new_client();
        for line in lines {
            let argv = cli::tokenize(line).expect("a valid line");
            engine.execute(&mut client, argv, NOW);
        }
        engine
    }

    #[test]
    fn expectations_must_be_exactly_one() {
        let mut c = check("TTL k");
        assert!(c.expectation().is_err());
        c.expect_range = Some([1, 60]);
        assert_eq!(c.expectation(), Ok(Expectation::Range(1, 60)));
        c.expect = Some("x".into());
        assert!(c.expectation().is_err());
        c.expect = None;
        c.expect_range = Some([5, 1]);
        assert!(c.expectation().is_err());
        c.expect_range = None;
        c.expect_contains = Some("".into());
        assert!(c.expectation().is_err());
    }

    #[test]
    fn replies_are_matched_like_redis_cli_prints_them() {
        let mut exact = check("TYPE lb");
        exact.expect = Some("zset".into());
        assert!(exact.accepts("zset"));
        assert!(!exact.accepts("none"));

        let mut range = check("TTL lb");
        range.expect_range = Some([1, 60]);
        assert!(range.accepts("(integer) 60"));
        assert!(range.accepts("(integer) 1"));
        assert!(!range.accepts("(integer) -1"));
        assert!(!range.accepts("(integer) 61"));
        assert!(!range.accepts("\"30\""), "a string is not an integer reply");
        assert_eq!(range.expected(), "(integer) 1 to 60");

        let mut contains = check("GET user:7");
        contains.expect_contains = Some("Grace".into());
        assert!(contains.accepts("\"{\\\"name\\\":\\\"Grace\\\"}\""));
        assert!(!contains.accepts("(nil)"));
    }

    #[test]
    fn probe_reads_the_real_engine() {
        let mut engine = engine_with(&["ZADD lb 10 a 20 b 30 c", "EXPIRE lb 60"]);
        assert_eq!(probe(&mut engine, 0, NOW, "TYPE lb"), "zset");
        assert_eq!(probe(&mut engine, 0, NOW, "ZCARD lb"), "(integer) 3");
        assert_eq!(probe(&mut engine, 0, NOW, "TTL lb"), "(integer) 60");
        assert_eq!(
            probe(&mut engine, 0, NOW, "OBJECT ENCODING lb"),
            "\"listpack\""
        );
        assert_eq!(
            probe(&mut engine, 1, NOW, "TYPE lb"),
            "none",
            "db 1 is empty"
        );
        assert_eq!(
            probe(&mut engine, 0, NOW + 61_000_000, "TYPE lb"),
            "none",
            "expired by then"
        );
    }

    #[test]
    fn probe_refuses_anything_that_writes() {
        let mut engine = engine_with(&["SET k v"]);
        for line in [
            "DEL k", "SET k w", "FLUSHALL", "OBJECT", "MULTI", "NOSUCH k", "",
        ] {
            assert_eq!(probe(&mut engine, 0, NOW, line), REFUSED, "{line}");
        }
        assert_eq!(probe(&mut engine, 0, NOW, "GET \"k"), "Invalid argument(s)");
        assert_eq!(probe(&mut engine, 0, NOW, "GET k"), "\"v\"");
    }

    #[test]
    fn probes_leave_no_client_behind() {
        let mut engine = engine_with(&[]);
        let before = engine_clients(&mut engine);
        for _ in 0..5 {
            probe(&mut engine, 0, NOW, "DBSIZE");
        }
        assert_eq!(engine_clients(&mut engine), before);
    }

    fn engine_clients(engine: &mut Engine) -> String {
        let mut client = engine.new_client();
        let reply = engine.execute(
            &mut client,
            vec![b"INFO".to_vec(), b"clients".to_vec()],
            NOW,
        );
        engine.drop_client(&client);
        let info = cli::format_reply(&reply);
        info.lines()
            .find(|l| l.starts_with("connected_clients"))
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn evaluate_reports_each_check() {
        let mut engine = engine_with(&["ZADD lb 10 a 20 b"]);
        let mut kind = check("TYPE lb");
        kind.expect = Some("zset".into());
        let mut size = check("ZCARD lb");
        size.expect = Some("(integer) 3".into());
        let outcomes = evaluate(&[kind, size], |line| probe(&mut engine, 0, NOW, line));
        assert!(outcomes[0].passed);
        assert!(!outcomes[1].passed);
        assert_eq!(outcomes[1].reply, "(integer) 2");
        assert!(!all_passed(&outcomes));
        assert_eq!(summary(&outcomes), "1 of 2 checks pass.");
        assert!(!all_passed(&[]));
    }
}
