//! Command history walked with ↑/↓, the way linenoise (redis-cli's line editor) does it.

/// How many lines are kept (and persisted); the oldest are dropped first.
pub const HISTORY_CAP: usize = 500;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    lines: Vec<String>,
    /// The line being shown while walking; `None` means the user's own draft.
    cursor: Option<usize>,
    /// What was in the input before the walk started, given back by ↓ past the end.
    draft: String,
}

impl History {
    /// Restores persisted lines (oldest first), applying the cap.
    pub fn from_lines(mut lines: Vec<String>) -> History {
        lines.retain(|l| !l.trim().is_empty());
        lines.dedup();
        if lines.len() > HISTORY_CAP {
            lines.drain(..lines.len() - HISTORY_CAP);
        }
        History {
            lines,
            ..History::default()
        }
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Records a submitted line (blank lines and repeats of the last line are skipped)
    /// and ends any walk.
    pub fn push(&mut self, line: &str) {
        self.cursor = None;
        self.draft.clear();
        if line.trim().is_empty() || self.lines.last().is_some_and(|last| last == line) {
            return;
        }
        self.lines.push(line.to_string());
        if self.lines.len() > HISTORY_CAP {
            self.lines.remove(0);
        }
    }

    /// ↑: the previous line, remembering `current` as the draft when the walk starts.
    /// `None` when there is nothing older.
    pub fn older(&mut self, current: &str) -> Option<String> {
        let index = match self.cursor {
            None if self.lines.is_empty() => return None,
            None => {
                self.draft = current.to_string();
                self.lines.len() - 1
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.cursor = Some(index);
        Some(self.lines[index].clone())
    }

    /// Forgets a walk in progress (another tab came to the front): the next ↑ starts
    /// from the newest line again.
    pub fn end_walk(&mut self) {
        self.cursor = None;
        self.draft.clear();
    }

    /// ↓: the next line, and finally the draft again. `None` when not walking.
    pub fn newer(&mut self) -> Option<String> {
        let i = self.cursor?;
        if i + 1 < self.lines.len() {
            self.cursor = Some(i + 1);
            Some(self.lines[i + 1].clone())
        } else {
            self.cursor = None;
            Some(std::mem::take(&mut self.draft))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(lines: &[&str]) -> History {
        let mut h = History::default();
        for l in lines {
            h.push(l);
        }
        h
    }

    #[test]
    fn walks_back_and_forth_like_a_shell() {
        let mut h = history(&["SET a 1", "GET a", "INCR n"]);
        assert_eq!(h.older("dra").as_deref(), Some("INCR n"));
        assert_eq!(h.older("ignored").as_deref(), Some("GET a"));
        assert_eq!(h.older("").as_deref(), Some("SET a 1"));
        assert_eq!(h.older(""), None);
        assert_eq!(h.newer().as_deref(), Some("GET a"));
        assert_eq!(h.newer().as_deref(), Some("INCR n"));
        assert_eq!(h.newer().as_deref(), Some("dra"));
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn skips_blank_lines_and_consecutive_duplicates() {
        let h = history(&["GET a", "GET a", "  ", "", "GET b", "GET a"]);
        assert_eq!(h.lines(), ["GET a", "GET b", "GET a"]);
    }

    #[test]
    fn submitting_ends_the_walk() {
        let mut h = history(&["A", "B"]);
        h.older("");
        h.push("C");
        assert_eq!(h.older("").as_deref(), Some("C"));
    }

    #[test]
    fn empty_history_has_nothing_to_show() {
        let mut h = History::default();
        assert_eq!(h.older("x"), None);
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn is_capped() {
        let mut h = History::default();
        for i in 0..HISTORY_CAP + 20 {
            h.push(&format!("SET k {i}"));
        }
        assert_eq!(h.lines().len(), HISTORY_CAP);
        assert_eq!(h.lines()[0], "SET k 20");
        let restored = History::from_lines(h.lines().iter().cloned().chain(["x".into()]).collect());
        assert_eq!(restored.lines().len(), HISTORY_CAP);
        assert_eq!(restored.lines().last().map(String::as_str), Some("x"));
    }
}
