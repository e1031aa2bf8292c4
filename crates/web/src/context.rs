//! Shares one [`Sandbox`] (engine + simulated clock + the console's clients) with the
//! whole app, drives Redis's 100 ms beat (active expiry, blocked-command timeouts), and
//! persists after every change.
//!
//! Three contexts, so that the 10 Hz beat only re-renders what shows time:
//! - [`SandboxHandle`] changes after commands, tab changes and clock controls, and
//!   when a beat left output for a tab (a timed-out BLPOP, a keyspace event);
//! - [`Tick`] changes every 100 ms;
//! - [`NoticesHandle`] changes when a notice appears or is dismissed.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use cachelab_core::Engine;
use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::base64;
use crate::clock::Clock;
use crate::keys::{key_list, KeyList, KEY_ROW_LIMIT};
use crate::sandbox::{ClientMode, ClientTab, Delivery, LineOutcome, Sandbox};
use crate::state::{NoticeAction, NoticeKind, Notices};
use crate::storage::{self, SaveError};

/// Redis's `hz 10`.
const TICK_MS: u32 = 100;

pub type NoticesHandle = UseReducerHandle<Notices>;

/// The 100 ms beat; components that show time subscribe to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tick(pub u64);

/// Real time in microseconds, the base of the simulated clock.
pub fn real_now_us() -> u64 {
    (js_sys::Date::now() * 1000.0) as u64
}

#[derive(Clone)]
pub struct SandboxHandle {
    sandbox: Rc<RefCell<Sandbox>>,
    /// Bumped after every change made through this handle.
    version: u64,
    bump: Callback<()>,
    notices: UseReducerDispatcher<Notices>,
    /// Whether the last save failed, so a full quota is reported once, not per command.
    save_failing: Rc<Cell<bool>>,
}

impl PartialEq for SandboxHandle {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.sandbox, &other.sandbox)
    }
}

impl SandboxHandle {
    /// Changes whenever something was done through the handle or a beat left output.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The console's tabs, in order.
    pub fn clients(&self) -> Vec<ClientTab> {
        self.sandbox.borrow().clients()
    }

    /// The tab in front.
    pub fn active(&self) -> u32 {
        self.sandbox.borrow().active()
    }

    pub fn mode(&self, client: u32) -> ClientMode {
        self.sandbox.borrow().mode(client)
    }

    pub fn prompt_of(&self, client: u32) -> String {
        self.sandbox.borrow().prompt_of(client)
    }

    /// Brings a tab to the front.
    pub fn select(&self, client: u32) {
        if self.sandbox.borrow_mut().select(client) {
            self.bump.emit(());
        }
    }

    /// Opens another tab (a new connection) and brings it to the front.
    pub fn open_client(&self) -> Option<u32> {
        let opened = self.sandbox.borrow_mut().open_client();
        self.bump.emit(());
        opened
    }

    /// Brings tab `client` to the front, opening it if needed.
    pub fn ensure_client(&self, client: u32) -> bool {
        let ok = self.sandbox.borrow_mut().ensure_client(client);
        self.bump.emit(());
        ok
    }

    /// Closes a tab and its connection (never the last one).
    pub fn close_client(&self, client: u32) -> bool {
        let closed = self.sandbox.borrow_mut().close_client(client);
        self.bump.emit(());
        closed
    }

    /// Ctrl+C in a tab: leaves subscribed mode or stops a wait. False at an ordinary prompt.
    pub fn interrupt(&self, client: u32) -> bool {
        let done = self.sandbox.borrow_mut().interrupt(client, real_now_us());
        self.bump.emit(());
        done
    }

    /// What reached the tabs since the last call (messages, replies of lines that waited).
    pub fn take_output(&self) -> Vec<Delivery> {
        self.sandbox.borrow_mut().take_output()
    }

    pub fn db(&self) -> usize {
        self.sandbox.borrow().db()
    }

    pub fn clock(&self) -> Clock {
        self.sandbox.borrow().clock()
    }

    pub fn keys(&self) -> KeyList {
        let overview = self.sandbox.borrow().keys(real_now_us());
        key_list(overview, KEY_ROW_LIMIT)
    }

    /// Runs a console line in tab `client` and saves the keyspace if the engine saw it.
    pub fn run_line_in(&self, client: u32, line: &str) -> LineOutcome {
        let outcome = self
            .sandbox
            .borrow_mut()
            .run_line_in(client, line, real_now_us());
        if matches!(
            outcome,
            LineOutcome::Reply(_) | LineOutcome::Blocked(_) | LineOutcome::Restarted(_)
        ) {
            self.save_engine();
        }
        self.bump.emit(());
        outcome
    }

    /// A read-only look at the engine for "check my work", in the database of the tab
    /// in front: nothing is saved and the console's clients are untouched (see `lesson::check::probe`).
    pub fn inspect<R>(&self, f: impl FnOnce(&mut Engine, usize, u64) -> R) -> R {
        self.sandbox.borrow_mut().inspect(real_now_us(), f)
    }

    pub fn toggle_pause(&self) {
        self.sandbox.borrow_mut().toggle_pause(real_now_us());
        self.save_clock();
        self.bump.emit(());
    }

    pub fn advance(&self, delta_us: u64) {
        self.sandbox.borrow_mut().advance(delta_us, real_now_us());
        self.save_clock();
        self.bump.emit(());
    }

    fn save_engine(&self) {
        let snapshot = base64::encode(&self.sandbox.borrow().snapshot(real_now_us()));
        let result = storage::save(storage::ENGINE_KEY, &snapshot);
        self.report(result, snapshot.len());
    }

    fn save_clock(&self) {
        let clock = self.sandbox.borrow().clock();
        let json = serde_json::to_string(&clock).unwrap_or_default();
        let result = storage::save(storage::CLOCK_KEY, &json);
        self.report(result, 0);
    }

    fn report(&self, result: Result<(), SaveError>, bytes: usize) {
        let Err(err) = result else {
            self.save_failing.set(false);
            return;
        };
        if self.save_failing.replace(true) {
            return;
        }
        let message = match err {
            SaveError::QuotaExceeded => format!(
                "Couldn't save: this browser's storage for CacheLab is full{}. Everything is still \
                 here in this tab, but a reload would bring back the last saved state. Delete some \
                 keys (DEL, FLUSHDB) to make room.",
                if bytes > 0 { format!(" (the keyspace needs {})", human_bytes(bytes)) } else { String::new() }
            ),
            SaveError::Unavailable(why) => format!(
                "Couldn't save to this browser's storage ({why}). Everything is still here in this \
                 tab, but it won't survive a reload."
            ),
        };
        self.notices
            .dispatch(NoticeAction::Show(NoticeKind::Save, message));
    }
}

fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / f64::from(1 << 20))
    } else {
        format!("{} kB", n.div_ceil(1024))
    }
}

/// Builds the sandbox from what the last visit saved: the clock, then the
/// keyspace as of that clock (an RDB file; keys whose deadline passed meanwhile
/// are dropped as Redis drops them on load). Anything unreadable is reset, and
/// the returned message says so. SAVE and SHUTDOWN keep their own `dump.rdb` in
/// storage too (`storage::DumpStore`).
fn restore() -> (Sandbox, Option<String>) {
    let mut problems = Vec::new();
    let clock = match storage::load(storage::CLOCK_KEY) {
        None => Clock::default(),
        Some(json) => serde_json::from_str(&json).unwrap_or_else(|_| {
            problems.push("The saved clock couldn't be read, so it was reset to real time.".into());
            storage::remove(storage::CLOCK_KEY);
            Clock::default()
        }),
    };
    // The JSON snapshot of earlier versions of the page.
    storage::remove(storage::OLD_ENGINE_KEY);
    let now = clock.now_us(real_now_us());
    let mut engine = Engine::new();
    if let Some(text) = storage::load(storage::ENGINE_KEY) {
        let loaded = base64::decode(&text)
            .ok_or_else(|| "not base64".to_string())
            .and_then(|rdb| engine.load_snapshot(&rdb, now).map_err(|e| e.to_string()));
        if let Err(err) = loaded {
            engine = Engine::new();
            let kept = storage::save(storage::ENGINE_UNREADABLE_KEY, &text).is_ok();
            problems.push(format!(
                "Your saved keys couldn't be read ({err}), so CacheLab started with an empty \
                 keyspace.{}",
                if kept {
                    format!(
                        " The unreadable data was set aside in localStorage under “{}”.",
                        storage::ENGINE_UNREADABLE_KEY
                    )
                } else {
                    String::new()
                }
            ));
        }
    }
    engine.set_snapshot_store(Box::new(storage::DumpStore));
    engine.set_stopwatch(stopwatch_us);
    let message = (!problems.is_empty()).then(|| problems.join(" "));
    (Sandbox::new(engine, clock), message)
}

/// How the console's engine times commands (SLOWLOG, INFO commandstats):
/// `performance.now()` in µs. Browsers coarsen it, so quick commands take 0 µs.
fn stopwatch_us() -> u64 {
    let ms = web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now());
    (ms * 1000.0) as u64
}

struct Counter(u64);

impl Reducible for Counter {
    type Action = ();

    fn reduce(self: Rc<Self>, _: ()) -> Rc<Self> {
        Rc::new(Counter(self.0.wrapping_add(1)))
    }
}

#[derive(Properties, PartialEq)]
pub struct SandboxProviderProps {
    pub children: Html,
}

#[component]
pub fn SandboxProvider(props: &SandboxProviderProps) -> Html {
    let boot = use_memo((), |_| {
        let (sandbox, problem) = restore();
        (Rc::new(RefCell::new(sandbox)), problem)
    });
    let sandbox = boot.0.clone();
    let notices = {
        let problem = boot.1.clone();
        use_reducer(move || {
            let mut notices = Notices::default();
            if let Some(message) = problem {
                notices.apply(NoticeAction::Show(NoticeKind::Restore, message));
            }
            notices
        })
    };
    let version = use_reducer(|| Counter(0));
    let tick = use_reducer(|| Counter(0));
    let save_failing = use_memo((), |_| Rc::new(Cell::new(false)));

    {
        let sandbox = sandbox.clone();
        let tick = tick.dispatcher();
        let changed = version.dispatcher();
        use_effect_with((), move |_| {
            let interval = Interval::new(TICK_MS, move || {
                let output = {
                    let mut sandbox = sandbox.borrow_mut();
                    sandbox.tick(real_now_us());
                    sandbox.has_output()
                };
                tick.dispatch(());
                // A timeout or a message for a tab: the console drains it on re-render.
                if output {
                    changed.dispatch(());
                }
            });
            move || drop(interval)
        });
    }

    let handle = SandboxHandle {
        sandbox,
        version: version.0,
        bump: version.dispatcher().to_callback(),
        notices: notices.dispatcher(),
        save_failing: (*save_failing).clone(),
    };
    html! {
        <ContextProvider<NoticesHandle> context={notices}>
            <ContextProvider<SandboxHandle> context={handle}>
                <ContextProvider<Tick> context={Tick(tick.0)}>
                    { props.children.clone() }
                </ContextProvider<Tick>>
            </ContextProvider<SandboxHandle>>
        </ContextProvider<NoticesHandle>>
    }
}

/// The shared sandbox; panics outside [`SandboxProvider`], which wraps the whole app.
#[hook]
pub fn use_sandbox() -> SandboxHandle {
    use_context::<SandboxHandle>().expect("components live inside SandboxProvider")
}

#[hook]
pub fn use_tick() -> Tick {
    use_context::<Tick>().unwrap_or(Tick(0))
}

#[hook]
pub fn use_notices() -> NoticesHandle {
    use_context::<NoticesHandle>().expect("components live inside SandboxProvider")
}
