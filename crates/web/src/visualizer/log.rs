//! The command log's view model: the lines a run kept, with the gaps between them
//! made visible, who sent each command, and which lines can go to the console.
//!
//! A run keeps the first commands (the cold start) and the most recent ones; the
//! sequence numbers say how many were skipped in between, and the view prints that as
//! a gap row rather than pretending the log is complete.

use cachelab_core::sim::{Actor, LogLine, Target};

use super::format;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogRow {
    Line {
        seq: u64,
        /// Simulated seconds, `12.345`.
        stamp: String,
        /// Who sent it, one short word.
        actor: &'static str,
        /// True for SQL sent to the simulated database.
        database: bool,
        /// The exact line, as the console would run it.
        command: String,
        /// `command` and the reply as shown: long rows (padded values) are clipped.
        shown: String,
        reply: String,
    },
    /// `skipped` commands were sent here but not kept.
    Gap { skipped: u64 },
}

/// Commands and replies longer than this are clipped on screen (rows padded to a
/// kilobyte would otherwise fill the log).
pub const SHOWN_CHARS: usize = 100;

/// `text`, or its first `max - 1` characters and `…`.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((cut, _)) if text.chars().count() > max => format!("{}…", &text[..cut]),
        _ => text.to_string(),
    }
}

/// The short word for an actor.
pub fn actor_word(actor: Actor) -> &'static str {
    match actor {
        Actor::Setup => "setup",
        Actor::App => "app",
        Actor::Cache => "cache",
        Actor::Refresher => "refresh",
        Actor::Flusher => "flush",
        Actor::Operator => "fault",
    }
}

/// Turns kept lines (in sequence order) into rows, with a gap row wherever the
/// sequence jumps and at the end if commands after the last kept one were dropped.
pub fn rows(lines: &[LogLine], total: u64) -> Vec<LogRow> {
    let mut out = Vec::with_capacity(lines.len() + 2);
    let mut expected = 0;
    for line in lines {
        if line.seq > expected {
            out.push(LogRow::Gap {
                skipped: line.seq - expected,
            });
        }
        expected = line.seq + 1;
        out.push(LogRow::Line {
            seq: line.seq,
            stamp: format::stamp(line.t_us),
            actor: actor_word(line.actor),
            database: line.target == Target::Database,
            command: line.command.clone(),
            shown: clip(&line.command, SHOWN_CHARS),
            reply: clip(&line.reply, SHOWN_CHARS),
        });
    }
    if total > expected && !lines.is_empty() {
        out.push(LogRow::Gap {
            skipped: total - expected,
        });
    }
    out
}

/// How many lines were kept before the first gap (the cold start) and after it (the
/// latest).
pub fn kept_counts(rows: &[LogRow]) -> (usize, usize) {
    let lines = |rs: &[LogRow]| {
        rs.iter()
            .filter(|r| matches!(r, LogRow::Line { .. }))
            .count()
    };
    match rows.iter().position(|r| matches!(r, LogRow::Gap { .. })) {
        Some(gap) => (lines(&rows[..gap]), lines(&rows[gap..])),
        None => (lines(rows), 0),
    }
}

/// Whether a cache command may be sent to the learner's console: not the ones that
/// would wipe or reconfigure their own keyspace (a fault's FLUSHALL, the setup's
/// CONFIG SET), which stay in the log as text only.
pub fn safe_to_run(command: &str) -> bool {
    let first = command.split_whitespace().next().unwrap_or_default();
    !["FLUSHALL", "FLUSHDB", "CONFIG"]
        .iter()
        .any(|c| first.eq_ignore_ascii_case(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cachelab_core::sim::{self, presets};

    #[test]
    fn gaps_show_where_commands_were_not_kept() {
        let cfg = presets()
            .into_iter()
            .find(|p| p.id == "homepage")
            .unwrap()
            .config;
        let r = sim::run(&cfg).unwrap();
        let rows = rows(&r.log, r.log_total);
        assert_eq!(r.log.len(), 60);
        assert_eq!(rows.len(), 61, "one gap between the head and the tail");
        match &rows[0] {
            LogRow::Line {
                seq,
                stamp,
                actor,
                database,
                command,
                shown,
                reply,
            } => {
                assert_eq!(
                    (*seq, stamp.as_str(), *actor, *database),
                    (0, "0.000", "app", false)
                );
                assert_eq!(
                    (command.as_str(), reply.as_str()),
                    ("GET page:home", "(nil)")
                );
                assert_eq!(shown, command, "short lines are shown whole");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&rows[1], LogRow::Line { database: true, command, .. } if command.starts_with("SELECT"))
        );
        let skipped: u64 = rows
            .iter()
            .map(|r| match r {
                LogRow::Gap { skipped } => *skipped,
                LogRow::Line { .. } => 1,
            })
            .sum();
        assert_eq!(skipped, r.log_total);
        assert_eq!(kept_counts(&rows), (30, 30));
        assert_eq!(kept_counts(&rows[..5]), (5, 0));
        assert!(super::rows(&[], 10).is_empty());
    }

    #[test]
    fn long_lines_are_clipped_on_screen_only() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abcd", 4), "abcd");
        assert_eq!(clip("ééééé", 3), "éé…");
        let line = LogLine {
            seq: 0,
            t_us: 0,
            request: None,
            actor: Actor::App,
            target: Target::Cache,
            command: format!("SET k {}", "x".repeat(500)),
            reply: "OK".into(),
        };
        match &super::rows(std::slice::from_ref(&line), 1)[0] {
            LogRow::Line { command, shown, .. } => {
                assert_eq!(command, &line.command);
                assert_eq!(shown.chars().count(), SHOWN_CHARS);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn destructive_lines_stay_out_of_the_console() {
        assert!(safe_to_run("GET page:home"));
        assert!(safe_to_run("SET page:home '{\"id\":1,\"v\":1}' EX 60"));
        assert!(!safe_to_run("FLUSHALL"));
        assert!(!safe_to_run("config SET maxmemory 1"));
    }
}
