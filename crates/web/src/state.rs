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
mod tests;
