//! The reducers behind the components: pure state machines with no DOM access, so
//! their tests are plain host `#[test]`s. On wasm32 each gets a thin `yew::Reducible`
//! impl that delegates to its `apply`.

use std::rc::Rc;

use crate::completion::Completion;
use crate::history::History;
use crate::sandbox::LineOutcome;

/// Lines of scrollback kept on screen; older blocks are dropped.
pub const SCROLLBACK: usize = 1000;

/// One echoed console line and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Stable identity for keyed rendering.
    pub id: u64,
    /// The prompt as it was when the line was typed.
    pub prompt: String,
    pub line: String,
    /// The reply block; `None` for lines that print nothing (blank, `quit`).
    pub output: Option<String>,
}

/// The console's view model: what is on screen and in the input.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConsoleState {
    /// Shared so that editing the input doesn't copy the scrollback.
    pub entries: Rc<Vec<Entry>>,
    pub input: String,
    pub history: History,
    /// Set while Tab is cycling through candidates.
    pub completion: Option<Completion>,
    next_id: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsoleAction {
    /// The user edited the input.
    Edit(String),
    /// A line was run; `prompt` is the prompt it was typed at.
    Submit {
        prompt: String,
        line: String,
        outcome: LineOutcome,
    },
    HistoryPrev,
    HistoryNext,
    /// Tab: start or continue completing.
    Tab,
    /// Esc while completing: back to what was typed.
    CancelCompletion,
    /// Any other key while completing: keep the candidate shown.
    AcceptCompletion,
    /// Ctrl+L.
    ClearScreen,
}

impl ConsoleState {
    pub fn with_history(history: History) -> ConsoleState {
        ConsoleState {
            history,
            ..ConsoleState::default()
        }
    }

    pub fn apply(&mut self, action: ConsoleAction) {
        match action {
            ConsoleAction::Edit(text) => {
                self.completion = None;
                self.input = text;
            }
            ConsoleAction::Submit {
                prompt,
                line,
                outcome,
            } => {
                self.completion = None;
                self.input.clear();
                self.history.push(&line);
                if outcome == LineOutcome::Clear {
                    self.entries = Rc::default();
                    return;
                }
                let entry = Entry {
                    id: self.next_id,
                    prompt,
                    line,
                    output: outcome.text().map(str::to_string),
                };
                self.next_id += 1;
                let entries = Rc::make_mut(&mut self.entries);
                entries.push(entry);
                if entries.len() > SCROLLBACK {
                    entries.drain(..entries.len() - SCROLLBACK);
                }
            }
            ConsoleAction::HistoryPrev => {
                self.completion = None;
                if let Some(line) = self.history.older(&self.input) {
                    self.input = line;
                }
            }
            ConsoleAction::HistoryNext => {
                self.completion = None;
                if let Some(line) = self.history.newer() {
                    self.input = line;
                }
            }
            ConsoleAction::Tab => match &mut self.completion {
                Some(completion) => {
                    completion.advance();
                    self.input = completion.current().to_string();
                }
                None => {
                    if let Some(completion) = Completion::start(&self.input) {
                        self.input = completion.current().to_string();
                        self.completion = Some(completion);
                    }
                }
            },
            ConsoleAction::CancelCompletion => {
                if let Some(completion) = self.completion.take() {
                    self.input = completion.original().to_string();
                }
            }
            ConsoleAction::AcceptCompletion => self.completion = None,
            ConsoleAction::ClearScreen => self.entries = Rc::default(),
        }
    }
}

/// What a notice is about; showing a second notice of the same kind replaces the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// Saved keys or clock couldn't be read at startup.
    Restore,
    /// Saved history couldn't be read at startup.
    HistoryRestore,
    /// Saving to localStorage failed (quota, or storage disabled).
    Save,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub id: u64,
    pub kind: NoticeKind,
    pub message: String,
}

/// Dismissible messages: errors are never silent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notices {
    pub items: Vec<Notice>,
    next_id: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeAction {
    Show(NoticeKind, String),
    Dismiss(u64),
}

impl Notices {
    pub fn apply(&mut self, action: NoticeAction) {
        match action {
            NoticeAction::Show(kind, message) => {
                if let Some(existing) = self.items.iter_mut().find(|n| n.kind == kind) {
                    existing.message = message;
                } else {
                    self.items.push(Notice {
                        id: self.next_id,
                        kind,
                        message,
                    });
                    self.next_id += 1;
                }
            }
            NoticeAction::Dismiss(id) => self.items.retain(|n| n.id != id),
        }
    }
}

/// The colour theme; with no stored choice the page follows `prefers-color-scheme`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn parse(s: &str) -> Option<Theme> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod reducible {
    use std::rc::Rc;

    use super::{ConsoleAction, ConsoleState, NoticeAction, Notices};

    impl yew::Reducible for ConsoleState {
        type Action = ConsoleAction;

        fn reduce(self: Rc<Self>, action: ConsoleAction) -> Rc<Self> {
            let mut next = Rc::unwrap_or_clone(self);
            next.apply(action);
            Rc::new(next)
        }
    }

    impl yew::Reducible for Notices {
        type Action = NoticeAction;

        fn reduce(self: Rc<Self>, action: NoticeAction) -> Rc<Self> {
            let mut next = Rc::unwrap_or_clone(self);
            next.apply(action);
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submit(state: &mut ConsoleState, line: &str, outcome: LineOutcome) {
        state.apply(ConsoleAction::Submit {
            prompt: "127.0.0.1:6379> ".into(),
            line: line.into(),
            outcome,
        });
    }

    fn outputs(state: &ConsoleState) -> Vec<Option<&str>> {
        state.entries.iter().map(|e| e.output.as_deref()).collect()
    }

    #[test]
    fn submitting_echoes_the_line_and_its_reply() {
        let mut s = ConsoleState::default();
        s.apply(ConsoleAction::Edit("SET a 1".into()));
        submit(&mut s, "SET a 1", LineOutcome::Reply("OK".into()));
        submit(&mut s, "", LineOutcome::Blank);
        submit(&mut s, "help", LineOutcome::Local("redis-cli".into()));
        submit(&mut s, "quit", LineOutcome::Quit);
        assert_eq!(outputs(&s), [Some("OK"), None, Some("redis-cli"), None]);
        assert_eq!(s.entries[0].line, "SET a 1");
        assert_eq!(s.entries[0].prompt, "127.0.0.1:6379> ");
        assert!(s.input.is_empty());
        assert_eq!(s.history.lines(), ["SET a 1", "help", "quit"]);
        let ids: Vec<u64> = s.entries.iter().map(|e| e.id).collect();
        assert_eq!(ids, [0, 1, 2, 3]);
    }

    #[test]
    fn clear_and_ctrl_l_wipe_the_screen_but_not_history() {
        let mut s = ConsoleState::default();
        submit(&mut s, "PING", LineOutcome::Reply("PONG".into()));
        submit(&mut s, "clear", LineOutcome::Clear);
        assert!(s.entries.is_empty());
        assert_eq!(s.history.lines(), ["PING", "clear"]);
        submit(&mut s, "PING", LineOutcome::Reply("PONG".into()));
        s.apply(ConsoleAction::ClearScreen);
        assert!(s.entries.is_empty());
    }

    #[test]
    fn scrollback_is_bounded() {
        let mut s = ConsoleState::default();
        for i in 0..SCROLLBACK + 5 {
            submit(
                &mut s,
                &format!("ECHO {i}"),
                LineOutcome::Reply(format!("\"{i}\"")),
            );
        }
        assert_eq!(s.entries.len(), SCROLLBACK);
        assert_eq!(s.entries[0].line, "ECHO 5");
    }

    #[test]
    fn arrows_walk_history_and_restore_the_draft() {
        let mut s = ConsoleState::default();
        submit(&mut s, "GET a", LineOutcome::Reply("(nil)".into()));
        submit(&mut s, "GET b", LineOutcome::Reply("(nil)".into()));
        s.apply(ConsoleAction::Edit("SE".into()));
        s.apply(ConsoleAction::HistoryPrev);
        assert_eq!(s.input, "GET b");
        s.apply(ConsoleAction::HistoryPrev);
        s.apply(ConsoleAction::HistoryPrev);
        assert_eq!(s.input, "GET a");
        s.apply(ConsoleAction::HistoryNext);
        s.apply(ConsoleAction::HistoryNext);
        assert_eq!(s.input, "SE");
    }

    #[test]
    fn tab_completes_cycles_and_escape_restores() {
        let mut s = ConsoleState::default();
        s.apply(ConsoleAction::Edit("pers".into()));
        s.apply(ConsoleAction::Tab);
        assert_eq!(s.input, "PERSIST");
        s.apply(ConsoleAction::Tab);
        assert_eq!(
            s.input, "pers",
            "past the last candidate the original comes back"
        );
        s.apply(ConsoleAction::Tab);
        assert_eq!(s.input, "PERSIST");
        s.apply(ConsoleAction::CancelCompletion);
        assert_eq!(s.input, "pers");
        assert!(s.completion.is_none());

        s.apply(ConsoleAction::Tab);
        s.apply(ConsoleAction::AcceptCompletion);
        assert_eq!(s.input, "PERSIST");
        s.apply(ConsoleAction::Tab);
        assert_eq!(
            s.input, "PERSIST",
            "a full name has exactly one completion: itself"
        );
    }

    #[test]
    fn tab_without_candidates_changes_nothing() {
        let mut s = ConsoleState::default();
        s.apply(ConsoleAction::Edit("GET k".into()));
        s.apply(ConsoleAction::Tab);
        assert_eq!(s.input, "GET k");
        assert!(s.completion.is_none());
    }

    #[test]
    fn notices_dedupe_by_kind_and_dismiss_by_id() {
        let mut n = Notices::default();
        n.apply(NoticeAction::Show(NoticeKind::Save, "full".into()));
        n.apply(NoticeAction::Show(NoticeKind::Save, "still full".into()));
        n.apply(NoticeAction::Show(NoticeKind::Restore, "bad".into()));
        assert_eq!(n.items.len(), 2);
        assert_eq!(n.items[0].message, "still full");
        n.apply(NoticeAction::Dismiss(n.items[0].id));
        assert_eq!(n.items.len(), 1);
        assert_eq!(n.items[0].kind, NoticeKind::Restore);
    }

    #[test]
    fn themes_round_trip() {
        for t in [Theme::Light, Theme::Dark] {
            assert_eq!(Theme::parse(t.as_str()), Some(t));
            assert_ne!(t.toggled(), t);
        }
        assert_eq!(Theme::parse("auto"), None);
    }
}
