//! How the rest of the page types into the console. A lesson's ▶ run button sends a
//! line to the [`ConsoleMailbox`] the app provides; the console, which listens on it,
//! brings the line's tab to the front (opening it if the line names a client that
//! isn't open), shows the line being typed into its input and then runs it exactly as
//! if Enter had been pressed: echo, reply block and history.
//!
//! The mailbox never changes identity, so the dozens of run buttons that hold it never
//! re-render because of it.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

/// One line to type and run.
pub struct ConsoleRequest {
    pub line: String,
    /// The tab (`client 2`) to run it in; `None` for the tab in front.
    pub client: Option<u32>,
    /// Told what the line printed (`None` for lines that print nothing) once it ran.
    pub on_reply: Option<Callback<Option<String>>>,
}

/// Where run buttons drop lines for the console.
#[derive(Clone, Default)]
pub struct ConsoleMailbox(Rc<RefCell<Option<Callback<ConsoleRequest>>>>);

impl PartialEq for ConsoleMailbox {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl ConsoleMailbox {
    /// Hands `line` to the console, for tab `client` or the one in front; false when
    /// no console is listening.
    pub fn send(
        &self,
        line: String,
        client: Option<u32>,
        on_reply: Option<Callback<Option<String>>>,
    ) -> bool {
        // Clone first: the console may run the line at once, and must be free to listen
        // again while it does.
        let listener = self.0.borrow().clone();
        match listener {
            Some(listener) => {
                listener.emit(ConsoleRequest {
                    line,
                    client,
                    on_reply,
                });
                true
            }
            None => false,
        }
    }

    /// The console starts (or stops, with `None`) receiving lines.
    pub fn listen(&self, listener: Option<Callback<ConsoleRequest>>) {
        *self.0.borrow_mut() = listener;
    }
}

/// The page's mailbox; `None` outside a provider (e.g. a component under test).
#[hook]
pub fn use_console_mailbox() -> Option<ConsoleMailbox> {
    use_context::<ConsoleMailbox>()
}
