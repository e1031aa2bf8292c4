//! What the console reads from the table: Tab completion, the grey hint of a
//! command's remaining arguments, and HELP (`HELP <cmd>`, `HELP @<group>`).

use super::*;

/// Upper-case command names starting with `prefix` (case-insensitive), sorted.
pub fn complete(prefix: &str) -> Vec<&'static str> {
    let p = prefix.to_ascii_lowercase();
    COMMANDS
        .iter()
        .filter(|c| c.name.starts_with(&p))
        .map(|c| {
            UPPER_NAMES
                .iter()
                .find(|(l, _)| *l == c.name)
                .map_or(c.name, |(_, u)| *u)
        })
        .collect()
}

/// Upper-case spellings, so completion can hand out `&'static str`s.
static UPPER_NAMES: std::sync::LazyLock<Vec<(&'static str, &'static str)>> =
    std::sync::LazyLock::new(|| {
        COMMANDS
            .iter()
            .map(|c| {
                (
                    c.name,
                    &*Box::leak(c.name.to_ascii_uppercase().into_boxed_str()),
                )
            })
            .collect()
    });

/// Splits a syntax string into top-level tokens, keeping bracketed groups whole:
/// `key value [NX|XX] [EX seconds|PX ms]` → `key`, `value`, `[NX|XX]`, `[EX seconds|PX ms]`.
pub fn syntax_tokens(syntax: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = None;
    for (i, ch) in syntax.char_indices() {
        match ch {
            '[' => {
                if depth == 0 && start.is_none() {
                    start = Some(i);
                }
                depth += 1;
            }
            ']' => depth -= 1,
            ' ' if depth == 0 => {
                if let Some(s) = start.take() {
                    out.push(&syntax[s..i]);
                }
            }
            _ => {
                if start.is_none() {
                    start = Some(i);
                }
            }
        }
    }
    if let Some(s) = start {
        out.push(&syntax[s..]);
    }
    out
}

/// The grey hint redis-cli shows after the cursor: the syntax still to type for the
/// command on `line`. `None` when there is nothing useful to show.
pub fn hint(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let first = words.first()?;
    let mut spec = lookup(first.as_bytes())?;
    let ends_with_space = line.ends_with(char::is_whitespace);
    let mut typed = words.len() - 1;
    if !spec.subcommands.is_empty() {
        match words.get(1) {
            Some(w) if typed > 1 || ends_with_space => {
                spec = spec.subcommand(w.as_bytes())?;
                typed -= 1;
            }
            _ => {
                if typed == 0 {
                    let names: Vec<String> = spec
                        .subcommands
                        .iter()
                        .map(|s| s.name.to_ascii_uppercase())
                        .collect();
                    let h = names.join("|");
                    return Some(if ends_with_space { h } else { format!(" {h}") });
                }
                return None;
            }
        }
    }
    if !ends_with_space {
        // Mid-word: redis-cli shows nothing until the word is finished, except right
        // after a complete command name.
        return if typed == 0 && !spec.syntax.is_empty() {
            Some(format!(" {}", spec.syntax))
        } else {
            None
        };
    }
    let tokens = syntax_tokens(spec.syntax);
    let mut rest: Vec<&str> = Vec::new();
    let mut skip = typed;
    for t in tokens {
        if skip > 0 && !t.starts_with('[') {
            skip -= 1;
            continue;
        }
        if skip > 0 && t.ends_with("...]") && rest.is_empty() {
            // A repeated optional argument keeps being offered.
            rest.push(t);
            skip = 0;
            continue;
        }
        if skip > 0 {
            skip -= 1;
            continue;
        }
        rest.push(t);
    }
    if rest.is_empty() {
        None
    } else {
        Some(rest.join(" "))
    }
}

/// redis-cli's local HELP: `help`, `help <command>`, `help @<group>`.
pub fn help(args: &[Vec<u8>]) -> String {
    let Some(topic) = args.first() else {
        return "CacheLab's console speaks redis-cli 7.0.\n\
                To get help about Redis commands type:\n      \
                \"help @<group>\" to get a list of commands in <group>\n      \
                \"help <command>\" for help on <command>\n      \
                \"help <tab>\" to get a list of possible help topics\n\
                Groups: "
            .to_string()
            + &Group::ALL
                .iter()
                .map(|g| format!("@{}", g.name()))
                .collect::<Vec<_>>()
                .join(" ");
    };
    let topic = String::from_utf8_lossy(topic).to_ascii_lowercase();
    let mut out = String::new();
    if let Some(group) = topic.strip_prefix('@') {
        for c in COMMANDS
            .iter()
            .flat_map(|c| std::iter::once(c).chain(c.subcommands.iter()))
        {
            if c.group.name() == group && c.subcommands.is_empty() {
                out.push_str(&help_entry(c, false));
            }
        }
        return out;
    }
    let mut words: Vec<String> = args
        .iter()
        .map(|a| String::from_utf8_lossy(a).to_string())
        .collect();
    words.retain(|w| !w.is_empty());
    let joined = words.join(" ").to_ascii_lowercase();
    for c in COMMANDS {
        if c.name == joined || (c.name == topic && words.len() == 1) {
            if c.subcommands.is_empty() {
                return help_entry(c, true);
            }
            for s in c.subcommands {
                out.push_str(&help_entry(s, true));
            }
            return out;
        }
        for s in c.subcommands {
            if format!("{} {}", c.name, s.name) == joined {
                return help_entry(s, true);
            }
        }
    }
    out
}

fn help_entry(c: &CommandSpec, with_group: bool) -> String {
    let mut s = format!(
        "\n  {} {}\n  summary: {}\n  since: {}\n",
        c.display_name(),
        c.syntax,
        c.summary,
        c.since
    );
    if with_group {
        s.push_str(&format!("  group: {}\n", c.group.name()));
    }
    s
}
