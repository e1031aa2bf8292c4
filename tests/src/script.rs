//! The `.redis` script format the differential tests read.
//!
//! One command per line, in redis-cli syntax (split by `cachelab_core::cli::tokenize`,
//! so quotes and `"\x00\xff"` escapes work). Blank lines and lines starting with `#`
//! are skipped. A line starting with `!` is a directive:
//!
//! | directive | meaning |
//! |---|---|
//! | `!unordered <cmd>` | compare array replies as multisets (recursively; for a SCAN-like `[cursor, [items]]` only the items) |
//! | `!ignore <cmd>` | run on both servers; only check that both succeed or both fail (TIME, CLIENT ID, INFO, ...) |
//! | `!clients <cmd>` | CLIENT LIST/INFO text: every line and field must match, except the values that name the connection or measure time and buffers (`id`, `addr`, `laddr`, `fd`, `age`, `idle`, and the buffer and memory sizes) |
//! | `!slowlog <cmd>` | SLOWLOG GET: the same number of entries, each with the same arguments and client name (ids, times, durations and addresses differ) |
//! | `!histogram <cmd>` | LATENCY HISTOGRAM: the same commands with the same `calls` (the buckets hold times, which differ) |
//! | `!debug-object <cmd>` | DEBUG OBJECT's line with the value's address, LRU clock and idle seconds masked |
//! | `!approx <n> <cmd>` | integers, also inside arrays, may differ by at most `n` (PTTL, OBJECT IDLETIME, XPENDING's idle times); anything else compares exactly |
//! | `!wait-expired <key>` | poll PTTL on both servers until it is -2, within 5 s |
//! | `!scan-all <pattern> [args...]` | full SCAN iteration with `MATCH <pattern>` (plus `args`, e.g. `TYPE string`) on both; compare the sets of keys |
//! | `!info <section> <field>...` | run `INFO <section>` on both and compare only the named fields (after `CONFIG RESETSTAT`, counters compare) |
//! | `!block <cmd>` | send a blocking command (BLPOP, XREADGROUP ... BLOCK) on a new connection (db 0) to both and wait until each counts one more blocked client; its reply is not read |
//! | `!sleep <ms>` | let time pass on both (keys expire without being touched) |
//! | `!on <n> <line>` | run `<line>` (a command or a `!replies`/`!unordered`/`!ignore` line) on client `n` (1 is the default client; others connect on first use) |
//! | `!replies <n> <cmd>` | the command answers with `n` replies (SUBSCRIBE with `n` channels); compare each |
//! | `!read [<n>]` | read one more reply, a Pub/Sub message, on client `n` (default 1) and compare |
//! | `!read-monitor [<n>]` | the same for a MONITOR line, with its time and client address masked |
//!
//! A `QUIT` line reconnects that client afterwards, as redis-cli would. An
//! argument `{id:<n>}` stands for client `n`'s CLIENT ID on each server (the
//! servers number their connections differently): `CLIENT TRACKING on REDIRECT {id:2}`.

use cachelab_core::cli;

/// How the two replies of a command are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    Exact,
    Unordered,
    Ignore,
    Approx(i64),
    /// CLIENT LIST lines, with the connection's own values masked.
    Clients,
    /// SLOWLOG GET entries: only the arguments and client names compare.
    SlowLog,
    /// LATENCY HISTOGRAM: the commands and their calls compare, not the times.
    Histogram,
    /// DEBUG OBJECT: all but the value's address and LRU clock.
    DebugObject,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Run {
        compare: Compare,
        argv: Vec<Vec<u8>>,
    },
    WaitExpired {
        key: Vec<u8>,
    },
    InfoFields {
        section: Vec<u8>,
        fields: Vec<String>,
    },
    ScanAll {
        pattern: Vec<u8>,
        extra: Vec<Vec<u8>>,
    },
    Block {
        argv: Vec<Vec<u8>>,
    },
    Sleep {
        ms: u64,
    },
    /// A command on client `conn` (1-based) that answers with `replies` replies.
    RunOn {
        conn: usize,
        replies: usize,
        compare: Compare,
        argv: Vec<Vec<u8>>,
    },
    /// Read one pending reply (a pushed message) on client `conn`; a MONITOR
    /// line's time and address are not compared.
    Read {
        conn: usize,
        monitor: bool,
    },
}

impl Step {
    /// A command to run and compare: (client, replies, how to compare, arguments).
    /// A plain line is client 1's, with one reply.
    pub fn command(&self) -> Option<(usize, usize, Compare, &[Vec<u8>])> {
        match self {
            Step::Run { compare, argv } => Some((1, 1, *compare, argv)),
            Step::RunOn {
                conn,
                replies,
                compare,
                argv,
            } => Some((*conn, *replies, *compare, argv)),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the file.
    pub number: usize,
    /// The line as written, for reports.
    pub text: String,
    pub step: Step,
}

/// Every `.redis` script below `dir`, sorted by path.
pub fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "redis") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Parses a whole script. Errors name the line.
pub fn parse(src: &str) -> Result<Vec<Line>, String> {
    let mut out = Vec::new();
    for (i, raw) in src.lines().enumerate() {
        let number = i + 1;
        let text = raw.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let step = parse_line(text).map_err(|e| format!("line {number}: {e}: {text}"))?;
        out.push(Line {
            number,
            text: text.to_string(),
            step,
        });
    }
    Ok(out)
}

fn split_word(s: &str) -> (&str, &str) {
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    }
}

fn command(rest: &str) -> Result<Vec<Vec<u8>>, String> {
    let argv = cli::tokenize(rest).map_err(|e| e.to_string())?;
    if argv.is_empty() {
        return Err("missing command".into());
    }
    Ok(argv)
}

fn parse_line(text: &str) -> Result<Step, String> {
    let Some(directive) = text.strip_prefix('!') else {
        return Ok(Step::Run {
            compare: Compare::Exact,
            argv: command(text)?,
        });
    };
    let (name, rest) = split_word(directive);
    // The directives that only change how one command's reply compares.
    let simple = match name {
        "unordered" => Some(Compare::Unordered),
        "ignore" => Some(Compare::Ignore),
        "clients" => Some(Compare::Clients),
        "slowlog" => Some(Compare::SlowLog),
        "histogram" => Some(Compare::Histogram),
        "debug-object" => Some(Compare::DebugObject),
        _ => None,
    };
    if let Some(compare) = simple {
        return Ok(Step::Run {
            compare,
            argv: command(rest)?,
        });
    }
    match name {
        "approx" => {
            let (n, rest) = split_word(rest);
            let n = n
                .parse::<i64>()
                .map_err(|_| format!("!approx wants a tolerance, got {n:?}"))?;
            Ok(Step::Run {
                compare: Compare::Approx(n),
                argv: command(rest)?,
            })
        }
        "wait-expired" => {
            let mut args = command(rest)?;
            if args.len() != 1 {
                return Err("!wait-expired takes exactly one key".into());
            }
            Ok(Step::WaitExpired {
                key: args.remove(0),
            })
        }
        "info" => {
            let mut args = command(rest)?;
            let section = args.remove(0);
            if args.is_empty() {
                return Err("!info needs a section and at least one field".into());
            }
            let fields = args
                .into_iter()
                .map(|f| String::from_utf8_lossy(&f).into_owned())
                .collect();
            Ok(Step::InfoFields { section, fields })
        }
        "on" => {
            let (n, rest) = split_word(rest);
            let conn = client_number(n)?;
            match parse_line(rest)? {
                Step::Run { compare, argv } => Ok(Step::RunOn {
                    conn,
                    replies: 1,
                    compare,
                    argv,
                }),
                Step::RunOn {
                    replies,
                    compare,
                    argv,
                    ..
                } => Ok(Step::RunOn {
                    conn,
                    replies,
                    compare,
                    argv,
                }),
                _ => Err("!on takes a command or a !replies/!unordered/!ignore line".into()),
            }
        }
        "replies" => {
            let (n, rest) = split_word(rest);
            let replies = n
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| format!("!replies wants a count from 1 to 1000, got {n:?}"))?;
            match parse_line(rest)? {
                Step::Run { compare, argv } => Ok(Step::RunOn {
                    conn: 1,
                    replies,
                    compare,
                    argv,
                }),
                _ => Err("!replies takes a command or an !unordered/!ignore line".into()),
            }
        }
        "read" | "read-monitor" => {
            let conn = if rest.is_empty() {
                1
            } else {
                client_number(rest)?
            };
            Ok(Step::Read {
                conn,
                monitor: name == "read-monitor",
            })
        }
        "scan-all" => {
            let mut args = command(rest)?;
            let pattern = args.remove(0);
            Ok(Step::ScanAll {
                pattern,
                extra: args,
            })
        }
        "block" => Ok(Step::Block {
            argv: command(rest)?,
        }),
        "sleep" => {
            let ms = rest
                .trim()
                .parse::<u64>()
                .map_err(|_| format!("!sleep wants milliseconds, got {rest:?}"))?;
            Ok(Step::Sleep { ms })
        }
        other => Err(format!("unknown directive !{other}")),
    }
}

/// A client number for `!on`/`!read`: 1 to 16.
fn client_number(n: &str) -> Result<usize, String> {
    n.parse::<usize>()
        .ok()
        .filter(|n| (1..=16).contains(n))
        .ok_or_else(|| format!("a client number is 1 to 16, got {n:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_comments_and_directives() {
        let src = "# a comment\n\nSET k \"a b\"\n!unordered KEYS *\n!ignore TIME\n!approx 5 PTTL k\n!wait-expired k\n!scan-all user:* TYPE string\n!block BLPOP l 0\n!sleep 5\n";
        let lines = parse(src).unwrap();
        let steps: Vec<&Step> = lines.iter().map(|l| &l.step).collect();
        assert_eq!(lines[0].number, 3);
        assert_eq!(
            steps,
            vec![
                &Step::Run {
                    compare: Compare::Exact,
                    argv: vec![b"SET".to_vec(), b"k".to_vec(), b"a b".to_vec()]
                },
                &Step::Run {
                    compare: Compare::Unordered,
                    argv: vec![b"KEYS".to_vec(), b"*".to_vec()]
                },
                &Step::Run {
                    compare: Compare::Ignore,
                    argv: vec![b"TIME".to_vec()]
                },
                &Step::Run {
                    compare: Compare::Approx(5),
                    argv: vec![b"PTTL".to_vec(), b"k".to_vec()]
                },
                &Step::WaitExpired { key: b"k".to_vec() },
                &Step::ScanAll {
                    pattern: b"user:*".to_vec(),
                    extra: vec![b"TYPE".to_vec(), b"string".to_vec()]
                },
                &Step::Block {
                    argv: vec![b"BLPOP".to_vec(), b"l".to_vec(), b"0".to_vec()]
                },
                &Step::Sleep { ms: 5 },
            ]
        );
    }

    #[test]
    fn parses_client_and_reply_directives() {
        let lines = parse("!on 2 SUBSCRIBE a\n!replies 2 SUBSCRIBE a b\n!on 3 !replies 2 !unordered UNSUBSCRIBE\n!read\n!read 2\n").unwrap();
        let steps: Vec<&Step> = lines.iter().map(|l| &l.step).collect();
        let argv = |s: &str| -> Vec<Vec<u8>> { cli::tokenize(s).unwrap() };
        assert_eq!(
            steps,
            vec![
                &Step::RunOn {
                    conn: 2,
                    replies: 1,
                    compare: Compare::Exact,
                    argv: argv("SUBSCRIBE a")
                },
                &Step::RunOn {
                    conn: 1,
                    replies: 2,
                    compare: Compare::Exact,
                    argv: argv("SUBSCRIBE a b")
                },
                &Step::RunOn {
                    conn: 3,
                    replies: 2,
                    compare: Compare::Unordered,
                    argv: argv("UNSUBSCRIBE")
                },
                &Step::Read {
                    conn: 1,
                    monitor: false
                },
                &Step::Read {
                    conn: 2,
                    monitor: false
                },
            ]
        );
        assert!(parse("!on 0 PING").is_err());
        assert!(parse("!on 2 !read").is_err());
        assert!(parse("!replies 0 PING").is_err());
        assert!(parse("!read x").is_err());
    }

    #[test]
    fn reports_bad_lines() {
        assert!(parse("!nosuch x").unwrap_err().contains("line 1"));
        assert!(parse("ok\nSET \"unterminated")
            .unwrap_err()
            .contains("line 2"));
        assert!(parse("!wait-expired a b").is_err());
        assert!(parse("!approx x PTTL k").is_err());
        assert!(parse("!sleep soon").is_err());
    }
}
