//! Tab completion of command names, cycling through candidates like linenoise does in
//! redis-cli: each Tab shows the next candidate, then the original text, then wraps.

use cachelab_core::table;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    original: String,
    candidates: Vec<String>,
    /// Which candidate is showing; `candidates.len()` means the original text.
    index: usize,
}

impl Completion {
    /// Starts completing `line`; `None` when nothing matches (redis-cli just beeps).
    ///
    /// An empty line has no completions here (redis-cli would cycle through every
    /// command), so that Tab in an empty console moves focus on as on any page.
    pub fn start(line: &str) -> Option<Completion> {
        if line.trim().is_empty() {
            return None;
        }
        let candidates = candidates(line);
        if candidates.is_empty() {
            return None;
        }
        Some(Completion {
            original: line.to_string(),
            candidates,
            index: 0,
        })
    }

    /// The text the input should show now.
    pub fn current(&self) -> &str {
        self.candidates
            .get(self.index)
            .map_or(&self.original, String::as_str)
    }

    /// The next Tab.
    pub fn advance(&mut self) {
        self.index = (self.index + 1) % (self.candidates.len() + 1);
    }

    /// Esc: the text before Tab was first pressed.
    pub fn original(&self) -> &str {
        &self.original
    }
}

/// Whole-line candidates, as redis-cli computes them: the line is a prefix of a command
/// name, or `help ` followed by a prefix of a command or `@group`.
pub fn candidates(line: &str) -> Vec<String> {
    let help = line
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("help "));
    if !help {
        return table::complete(line)
            .into_iter()
            .map(str::to_string)
            .collect();
    }
    let start = 5 + line[5..].len() - line[5..].trim_start().len();
    let (head, prefix) = line.split_at(start);
    let mut names: Vec<String> = table::complete(prefix)
        .into_iter()
        .map(str::to_string)
        .collect();
    if let Some(group_prefix) = prefix.strip_prefix('@').or(prefix.is_empty().then_some("")) {
        names.extend(
            table::Group::ALL
                .iter()
                .map(|g| g.name())
                .filter(|g| {
                    g.get(..group_prefix.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(group_prefix))
                })
                .map(|g| format!("@{g}")),
        );
        names.sort();
    }
    names.into_iter().map(|n| format!("{head}{n}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unique_prefix_completes_to_the_full_uppercase_name() {
        let c = Completion::start("pers").unwrap();
        assert_eq!(c.current(), "PERSIST");
    }

    #[test]
    fn tab_cycles_through_candidates_then_the_original() {
        let mut c = Completion::start("pe").unwrap();
        let mut seen = vec![c.current().to_string()];
        for _ in 0..c.candidates.len() {
            c.advance();
            seen.push(c.current().to_string());
        }
        assert_eq!(seen.last().map(String::as_str), Some("pe"));
        assert!(seen.contains(&"PERSIST".to_string()));
        assert!(seen.contains(&"PEXPIRE".to_string()));
        c.advance();
        assert_eq!(c.current(), seen[0]);
        assert_eq!(c.original(), "pe");
    }

    #[test]
    fn nothing_to_complete_after_the_command_name() {
        assert!(Completion::start("GET k").is_none());
        assert!(Completion::start("zzzz").is_none());
        assert!(Completion::start("").is_none());
    }

    #[test]
    fn help_completes_commands_and_groups_keeping_what_was_typed() {
        let c = candidates("help per");
        assert!(c.contains(&"help PERSIST".to_string()), "{c:?}");
        let g = candidates("HELP @stri");
        assert_eq!(g, ["HELP @string"]);
    }
}
