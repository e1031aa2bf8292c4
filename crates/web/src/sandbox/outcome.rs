//! What the sandbox reports to the console: the outcome of a line, what a tab is
//! doing, and output for a tab nobody typed at.

/// What running one console line produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineOutcome {
    /// A blank line: only the prompt is echoed.
    Blank,
    /// Replies from the engine, formatted like redis-cli (one block per line, even
    /// when redis-cli's `N command` repeat form ran it several times).
    Reply(String),
    /// Text redis-cli prints itself without asking the server: `HELP`, bad quoting.
    Local(String),
    /// A SHUTDOWN went through and the server started again from its last
    /// snapshot; holds the note that says so.
    Restarted(String),
    /// `clear`: wipe the screen.
    Clear,
    /// `quit`/`exit`: nothing to print.
    Quit,
    /// A blocking command (BLPOP and friends) is waiting; its reply arrives later as a
    /// [`Delivery::Reply`]. Holds what earlier repeats of an `N command` line printed.
    Blocked(String),
    /// Nothing ran: the client is still waiting for a blocking command (or there is
    /// no such tab).
    Busy,
}

impl LineOutcome {
    /// The text printed under the echoed line, if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            LineOutcome::Reply(t) | LineOutcome::Local(t) | LineOutcome::Restarted(t) => Some(t),
            LineOutcome::Blocked(t) if !t.is_empty() => Some(t),
            _ => None,
        }
    }
}

/// What a tab's client is doing, as the tab strip and prompt line show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientMode {
    /// At the prompt.
    Ready,
    /// Subscribed to channels, patterns or shard channels (redis-cli's Pub/Sub mode).
    Subscribed,
    /// Blocked by BLPOP and friends until served, timed out or interrupted.
    Waiting,
    /// After MONITOR: redis-cli only prints what the server sends, until Ctrl+C.
    Monitoring,
}

impl ClientMode {
    /// Modes in which redis-cli reads from the server and takes no commands.
    pub fn is_reading(self) -> bool {
        matches!(self, ClientMode::Waiting | ClientMode::Monitoring)
    }
}

/// One tab of the console, as the tab strip lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientTab {
    /// The number in its label, `client 2`; lesson commands name tabs by it.
    pub number: u32,
    pub mode: ClientMode,
}

/// Output for a tab that nobody typed at it just now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// A Pub/Sub message (or other push) for a subscribed client, printed as it arrives.
    Message { client: u32, text: String },
    /// The reply of the line the client was waiting on: served by another client's
    /// write, or timed out. `done` is false when a later repeat of an `N command`
    /// line blocks again.
    Reply {
        client: u32,
        text: String,
        done: bool,
    },
}

impl Delivery {
    pub fn client(&self) -> u32 {
        match self {
            Delivery::Message { client, .. } | Delivery::Reply { client, .. } => *client,
        }
    }
}
