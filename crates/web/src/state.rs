//! The reducers behind the components: pure state machines with no DOM access, so
//! their tests are plain host `#[test]`s. On wasm32 each gets a thin `yew::Reducible`
//! impl that delegates to its `apply`.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::completion::Completion;
use crate::history::History;
use crate::sandbox::{Delivery, LineOutcome};

/// Lines of scrollback kept on screen per tab; older blocks are dropped.
pub const SCROLLBACK: usize = 1000;

/// What an interrupted line shows, as a terminal echoes Ctrl+C.
pub const INTERRUPT_MARK: &str = "^C";

/// A line as it was typed at its prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Echo {
    /// The prompt as it was when the line was typed.
    pub prompt: String,
    pub line: String,
}

/// One block of a tab's scrollback: an echoed line and what it printed, or output
/// that arrived on its own (a Pub/Sub message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Stable identity for keyed rendering.
    pub id: u64,
    /// `None` for output nobody typed a line for.
    pub echo: Option<Echo>,
    /// The reply block; `None` for lines that print nothing (blank, `quit`).
    pub output: Option<String>,
    /// The line's blocking command is still waiting for its reply.
    pub waiting: bool,
}

/// One console tab's view: its scrollback and its input line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TabView {
    /// Shared so that editing the input doesn't copy the scrollback.
    pub entries: Rc<Vec<Entry>>,
    pub input: String,
    /// Blocks that arrived while the tab was in the background.
    pub unread: usize,
}

impl TabView {
    fn push(&mut self, entry: Entry) {
        let entries = Rc::make_mut(&mut self.entries);
        entries.push(entry);
        if entries.len() > SCROLLBACK {
            entries.drain(..entries.len() - SCROLLBACK);
        }
    }

    /// The entry whose line is still waiting for its reply, if it is on screen.
    fn waiting_entry(&mut self) -> Option<&mut Entry> {
        if !self.entries.iter().any(|e| e.waiting) {
            return None;
        }
        Rc::make_mut(&mut self.entries)
            .iter_mut()
            .rev()
            .find(|e| e.waiting)
    }
}

/// The console's view model: every tab's scrollback and input, keyed by client number,
/// and the ↑/↓ history they share. Which tabs exist and which is in front is the
/// sandbox's business; a tab this state has not seen yet starts empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConsoleState {
    tabs: BTreeMap<u32, TabView>,
    pub history: History,
    /// Set while Tab is cycling through candidates, with the tab it completes in.
    pub completion: Option<(u32, Completion)>,
    next_id: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsoleAction {
    /// The user (or a lesson's ▶ run) edited a tab's input.
    Edit {
        client: u32,
        text: String,
    },
    /// A line was run in a tab; `prompt` is the prompt it was typed at.
    Submit {
        client: u32,
        prompt: String,
        line: String,
        outcome: LineOutcome,
    },
    /// Output that arrived for a tab; `seen` when that tab is in front.
    Deliver {
        delivery: Delivery,
        seen: bool,
    },
    /// Ctrl+C left subscribed mode or stopped a wait. `prompt` and `typed` are the
    /// prompt line as it was, echoed with `^C` when no waiting line takes the mark.
    Interrupt {
        client: u32,
        prompt: String,
        typed: String,
    },
    /// A tab came to the front.
    Select(u32),
    /// A tab was closed.
    Forget(u32),
    HistoryPrev(u32),
    HistoryNext(u32),
    /// Tab: start or continue completing.
    Tab(u32),
    /// Esc while completing: back to what was typed.
    CancelCompletion(u32),
    /// Any other key while completing: keep the candidate shown.
    AcceptCompletion,
    /// Ctrl+L.
    ClearScreen(u32),
}

impl ConsoleState {
    pub fn with_history(history: History) -> ConsoleState {
        ConsoleState {
            history,
            ..ConsoleState::default()
        }
    }

    /// Tab `client`'s view (empty if nothing happened in it yet).
    pub fn tab(&self, client: u32) -> TabView {
        self.tabs.get(&client).cloned().unwrap_or_default()
    }

    /// Tab `client`'s scrollback.
    pub fn entries(&self, client: u32) -> Rc<Vec<Entry>> {
        self.tabs
            .get(&client)
            .map(|t| Rc::clone(&t.entries))
            .unwrap_or_default()
    }

    /// Tab `client`'s input line.
    pub fn input(&self, client: u32) -> &str {
        self.tabs.get(&client).map_or("", |t| t.input.as_str())
    }

    /// Blocks that arrived in tab `client` while it was in the background.
    pub fn unread(&self, client: u32) -> usize {
        self.tabs.get(&client).map_or(0, |t| t.unread)
    }

    /// True while Tab is cycling through candidates in tab `client`.
    pub fn completing(&self, client: u32) -> bool {
        self.completion.as_ref().is_some_and(|(c, _)| *c == client)
    }

    fn tab_mut(&mut self, client: u32) -> &mut TabView {
        self.tabs.entry(client).or_default()
    }

    fn next_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub fn apply(&mut self, action: ConsoleAction) {
        match action {
            ConsoleAction::Edit { client, text } => {
                self.completion = None;
                self.tab_mut(client).input = text;
            }
            ConsoleAction::Submit {
                client,
                prompt,
                line,
                outcome,
            } => {
                if outcome == LineOutcome::Busy {
                    return;
                }
                self.completion = None;
                self.history.push(&line);
                let id = self.next_id();
                let tab = self.tab_mut(client);
                tab.input.clear();
                if outcome == LineOutcome::Clear {
                    tab.entries = Rc::default();
                    return;
                }
                tab.push(Entry {
                    id,
                    echo: Some(Echo { prompt, line }),
                    output: outcome.text().map(str::to_string),
                    waiting: matches!(outcome, LineOutcome::Blocked(_)),
                });
            }
            ConsoleAction::Deliver { delivery, seen } => {
                let id = self.next_id();
                let tab = self.tab_mut(delivery.client());
                if !seen {
                    tab.unread += 1;
                }
                match delivery {
                    Delivery::Message { text, .. } => tab.push(Entry {
                        id,
                        echo: None,
                        output: Some(text),
                        waiting: false,
                    }),
                    Delivery::Reply { text, done, .. } => match tab.waiting_entry() {
                        Some(entry) => {
                            entry.output = Some(match entry.output.take() {
                                Some(before) => format!("{before}\n{text}"),
                                None => text,
                            });
                            entry.waiting = !done;
                        }
                        // The waiting line was cleared off the screen (Ctrl+L).
                        None => tab.push(Entry {
                            id,
                            echo: None,
                            output: Some(text),
                            waiting: !done,
                        }),
                    },
                }
            }
            ConsoleAction::Interrupt {
                client,
                prompt,
                typed,
            } => {
                if self.completing(client) {
                    self.completion = None;
                }
                let id = self.next_id();
                let tab = self.tab_mut(client);
                tab.input.clear();
                match tab.waiting_entry() {
                    Some(entry) => {
                        entry.output = Some(match entry.output.take() {
                            Some(before) => format!("{before}\n{INTERRUPT_MARK}"),
                            None => INTERRUPT_MARK.to_string(),
                        });
                        entry.waiting = false;
                    }
                    None => tab.push(Entry {
                        id,
                        echo: Some(Echo {
                            prompt,
                            line: format!("{typed}{INTERRUPT_MARK}"),
                        }),
                        output: None,
                        waiting: false,
                    }),
                }
            }
            ConsoleAction::Select(client) => {
                self.completion = None;
                self.history.end_walk();
                self.tab_mut(client).unread = 0;
            }
            ConsoleAction::Forget(client) => {
                if self.completing(client) {
                    self.completion = None;
                }
                self.tabs.remove(&client);
            }
            ConsoleAction::HistoryPrev(client) => {
                self.completion = None;
                let current = self.input(client).to_string();
                if let Some(line) = self.history.older(&current) {
                    self.tab_mut(client).input = line;
                }
            }
            ConsoleAction::HistoryNext(client) => {
                self.completion = None;
                if let Some(line) = self.history.newer() {
                    self.tab_mut(client).input = line;
                }
            }
            ConsoleAction::Tab(client) => match &mut self.completion {
                Some((c, completion)) if *c == client => {
                    completion.advance();
                    let text = completion.current().to_string();
                    self.tab_mut(client).input = text;
                }
                _ => {
                    self.completion = None;
                    if let Some(completion) = Completion::start(self.input(client)) {
                        self.tab_mut(client).input = completion.current().to_string();
                        self.completion = Some((client, completion));
                    }
                }
            },
            ConsoleAction::CancelCompletion(client) => {
                if self.completing(client) {
                    if let Some((_, completion)) = self.completion.take() {
                        self.tab_mut(client).input = completion.original().to_string();
                    }
                }
            }
            ConsoleAction::AcceptCompletion => self.completion = None,
            ConsoleAction::ClearScreen(client) => self.tab_mut(client).entries = Rc::default(),
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

    /// The tab the single-tab tests type in.
    const C1: u32 = 1;

    fn submit(state: &mut ConsoleState, line: &str, outcome: LineOutcome) {
        submit_in(state, C1, line, outcome);
    }

    fn submit_in(state: &mut ConsoleState, client: u32, line: &str, outcome: LineOutcome) {
        state.apply(ConsoleAction::Submit {
            client,
            prompt: "127.0.0.1:6379> ".into(),
            line: line.into(),
            outcome,
        });
    }

    fn edit(state: &mut ConsoleState, text: &str) {
        state.apply(ConsoleAction::Edit {
            client: C1,
            text: text.into(),
        });
    }

    fn outputs(state: &ConsoleState, client: u32) -> Vec<Option<String>> {
        state
            .entries(client)
            .iter()
            .map(|e| e.output.clone())
            .collect()
    }

    fn line(entry: &Entry) -> &str {
        entry.echo.as_ref().map_or("", |e| e.line.as_str())
    }

    fn some(texts: &[&str]) -> Vec<Option<String>> {
        texts.iter().map(|t| Some(t.to_string())).collect()
    }

    #[test]
    fn submitting_echoes_the_line_and_its_reply() {
        let mut s = ConsoleState::default();
        edit(&mut s, "SET a 1");
        submit(&mut s, "SET a 1", LineOutcome::Reply("OK".into()));
        submit(&mut s, "", LineOutcome::Blank);
        submit(&mut s, "help", LineOutcome::Local("redis-cli".into()));
        submit(&mut s, "quit", LineOutcome::Quit);
        assert_eq!(
            outputs(&s, C1),
            [Some("OK".into()), None, Some("redis-cli".into()), None]
        );
        let entries = s.entries(C1);
        assert_eq!(line(&entries[0]), "SET a 1");
        assert_eq!(
            entries[0].echo.as_ref().map(|e| e.prompt.as_str()),
            Some("127.0.0.1:6379> ")
        );
        assert!(s.input(C1).is_empty());
        assert_eq!(s.history.lines(), ["SET a 1", "help", "quit"]);
        let ids: Vec<u64> = entries.iter().map(|e| e.id).collect();
        assert_eq!(ids, [0, 1, 2, 3]);
    }

    #[test]
    fn clear_and_ctrl_l_wipe_the_screen_but_not_history() {
        let mut s = ConsoleState::default();
        submit(&mut s, "PING", LineOutcome::Reply("PONG".into()));
        submit(&mut s, "clear", LineOutcome::Clear);
        assert!(s.entries(C1).is_empty());
        assert_eq!(s.history.lines(), ["PING", "clear"]);
        submit(&mut s, "PING", LineOutcome::Reply("PONG".into()));
        s.apply(ConsoleAction::ClearScreen(C1));
        assert!(s.entries(C1).is_empty());
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
        assert_eq!(s.entries(C1).len(), SCROLLBACK);
        assert_eq!(line(&s.entries(C1)[0]), "ECHO 5");
    }

    #[test]
    fn arrows_walk_history_and_restore_the_draft() {
        let mut s = ConsoleState::default();
        submit(&mut s, "GET a", LineOutcome::Reply("(nil)".into()));
        submit(&mut s, "GET b", LineOutcome::Reply("(nil)".into()));
        edit(&mut s, "SE");
        s.apply(ConsoleAction::HistoryPrev(C1));
        assert_eq!(s.input(C1), "GET b");
        s.apply(ConsoleAction::HistoryPrev(C1));
        s.apply(ConsoleAction::HistoryPrev(C1));
        assert_eq!(s.input(C1), "GET a");
        s.apply(ConsoleAction::HistoryNext(C1));
        s.apply(ConsoleAction::HistoryNext(C1));
        assert_eq!(s.input(C1), "SE");
    }

    #[test]
    fn tab_completes_cycles_and_escape_restores() {
        let mut s = ConsoleState::default();
        edit(&mut s, "pers");
        s.apply(ConsoleAction::Tab(C1));
        assert_eq!(s.input(C1), "PERSIST");
        s.apply(ConsoleAction::Tab(C1));
        assert_eq!(
            s.input(C1),
            "pers",
            "past the last candidate the original comes back"
        );
        s.apply(ConsoleAction::Tab(C1));
        assert_eq!(s.input(C1), "PERSIST");
        s.apply(ConsoleAction::CancelCompletion(C1));
        assert_eq!(s.input(C1), "pers");
        assert!(s.completion.is_none());

        s.apply(ConsoleAction::Tab(C1));
        s.apply(ConsoleAction::AcceptCompletion);
        assert_eq!(s.input(C1), "PERSIST");
        s.apply(ConsoleAction::Tab(C1));
        assert_eq!(
            s.input(C1),
            "PERSIST",
            "a full name has exactly one completion: itself"
        );
    }

    #[test]
    fn tab_without_candidates_changes_nothing() {
        let mut s = ConsoleState::default();
        edit(&mut s, "GET k");
        s.apply(ConsoleAction::Tab(C1));
        assert_eq!(s.input(C1), "GET k");
        assert!(s.completion.is_none());
    }

    #[test]
    fn tabs_keep_their_own_scrollback_and_input_but_share_history() {
        let mut s = ConsoleState::default();
        edit(&mut s, "GET half");
        submit_in(&mut s, 2, "SET a 1", LineOutcome::Reply("OK".into()));
        assert_eq!(
            s.input(C1),
            "GET half",
            "typing in tab 2 leaves tab 1's draft"
        );
        assert!(s.entries(C1).is_empty());
        assert_eq!(outputs(&s, 2), some(&["OK"]));
        s.apply(ConsoleAction::HistoryPrev(C1));
        assert_eq!(
            s.input(C1),
            "SET a 1",
            "↑ in tab 1 recalls a line typed in tab 2"
        );
        s.apply(ConsoleAction::Select(2));
        s.apply(ConsoleAction::HistoryPrev(2));
        assert_eq!(s.input(2), "SET a 1", "a new tab starts a fresh walk");
        s.apply(ConsoleAction::Forget(2));
        assert!(s.entries(2).is_empty() && s.input(2).is_empty());
    }

    #[test]
    fn completion_belongs_to_the_tab_it_started_in() {
        let mut s = ConsoleState::default();
        edit(&mut s, "pers");
        s.apply(ConsoleAction::Tab(C1));
        s.apply(ConsoleAction::Edit {
            client: 2,
            text: "expi".into(),
        });
        s.apply(ConsoleAction::Tab(2));
        assert_eq!(s.input(2), "EXPIRE");
        assert_eq!(s.input(C1), "PERSIST");
        s.apply(ConsoleAction::CancelCompletion(C1));
        assert_eq!(s.input(C1), "PERSIST", "tab 1 is no longer completing");
    }

    #[test]
    fn messages_append_to_their_tab_and_count_as_unread_in_the_background() {
        let mut s = ConsoleState::default();
        let message = |client: u32, text: &str| Delivery::Message {
            client,
            text: text.into(),
        };
        s.apply(ConsoleAction::Deliver {
            delivery: message(1, "1) \"message\""),
            seen: false,
        });
        s.apply(ConsoleAction::Deliver {
            delivery: message(1, "1) \"message\" again"),
            seen: false,
        });
        s.apply(ConsoleAction::Deliver {
            delivery: message(2, "for two"),
            seen: true,
        });
        assert_eq!(s.unread(1), 2);
        assert_eq!(s.unread(2), 0);
        assert_eq!(
            outputs(&s, 1),
            some(&["1) \"message\"", "1) \"message\" again"])
        );
        assert!(s.entries(1).iter().all(|e| e.echo.is_none()));
        s.apply(ConsoleAction::Select(1));
        assert_eq!(s.unread(1), 0);
    }

    #[test]
    fn a_waiting_line_gets_its_reply_when_it_arrives() {
        let mut s = ConsoleState::default();
        submit(&mut s, "BLPOP q 0", LineOutcome::Blocked(String::new()));
        assert_eq!(outputs(&s, C1), [None]);
        assert!(s.entries(C1)[0].waiting);
        s.apply(ConsoleAction::Deliver {
            delivery: Delivery::Message {
                client: C1,
                text: "a push".into(),
            },
            seen: true,
        });
        s.apply(ConsoleAction::Deliver {
            delivery: Delivery::Reply {
                client: C1,
                text: "1) \"q\"\n2) \"a\"".into(),
                done: true,
            },
            seen: true,
        });
        let entries = s.entries(C1);
        assert_eq!(entries[0].output.as_deref(), Some("1) \"q\"\n2) \"a\""));
        assert!(!entries[0].waiting);
        assert_eq!(entries[1].output.as_deref(), Some("a push"));
    }

    #[test]
    fn repeats_that_block_again_keep_the_line_waiting() {
        let mut s = ConsoleState::default();
        submit(&mut s, "2 BLPOP q 0", LineOutcome::Blocked("(nil)".into()));
        let reply = |text: &str, done| ConsoleAction::Deliver {
            delivery: Delivery::Reply {
                client: C1,
                text: text.into(),
                done,
            },
            seen: true,
        };
        s.apply(reply("one", false));
        assert!(s.entries(C1)[0].waiting);
        s.apply(reply("two", true));
        assert_eq!(outputs(&s, C1), some(&["(nil)\none\ntwo"]));
        assert!(!s.entries(C1)[0].waiting);
    }

    #[test]
    fn a_reply_whose_line_was_cleared_still_shows() {
        let mut s = ConsoleState::default();
        submit(&mut s, "BLPOP q 0", LineOutcome::Blocked(String::new()));
        s.apply(ConsoleAction::ClearScreen(C1));
        s.apply(ConsoleAction::Deliver {
            delivery: Delivery::Reply {
                client: C1,
                text: "(nil)".into(),
                done: true,
            },
            seen: true,
        });
        assert_eq!(outputs(&s, C1), some(&["(nil)"]));
        assert!(!s.entries(C1)[0].waiting);
    }

    #[test]
    fn ctrl_c_marks_the_waiting_line_or_echoes_the_prompt() {
        let mut s = ConsoleState::default();
        submit(&mut s, "BLPOP q 0", LineOutcome::Blocked(String::new()));
        s.apply(ConsoleAction::Interrupt {
            client: C1,
            prompt: String::new(),
            typed: String::new(),
        });
        assert_eq!(outputs(&s, C1), some(&[INTERRUPT_MARK]));
        assert!(!s.entries(C1)[0].waiting);

        edit(&mut s, "PIN");
        s.apply(ConsoleAction::Interrupt {
            client: C1,
            prompt: "127.0.0.1:6379(subscribed mode)> ".into(),
            typed: "PIN".into(),
        });
        let entries = s.entries(C1);
        let echo = entries[1].echo.as_ref().expect("an echoed prompt");
        assert_eq!(echo.prompt, "127.0.0.1:6379(subscribed mode)> ");
        assert_eq!(echo.line, "PIN^C");
        assert_eq!(entries[1].output, None);
        assert!(s.input(C1).is_empty());
    }

    #[test]
    fn a_busy_tab_keeps_its_input_and_scrollback() {
        let mut s = ConsoleState::default();
        edit(&mut s, "GET a");
        submit(&mut s, "GET a", LineOutcome::Busy);
        assert!(s.entries(C1).is_empty());
        assert_eq!(s.input(C1), "GET a");
        assert!(s.history.lines().is_empty());
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
