//! The redis-cli look-alike, with one tab per client: the tab strip, then the front
//! tab's scrollback and its prompt line. Keys follow redis-cli/linenoise: Enter runs,
//! ↑/↓ walk the (shared) history, Tab completes, Ctrl+L clears, Ctrl+C leaves
//! subscribed mode or stops a blocked command; Esc leaves the input so Tab can move
//! focus on.
//!
//! Output that reaches a tab without being typed there (a Pub/Sub message, the reply
//! of a BLPOP another tab served) is drained from the sandbox after every command and
//! whenever the sandbox changes, and appended to that tab; a tab in the background
//! counts it as unread.

use std::cell::Cell;
use std::rc::Rc;

use cachelab_core::table;
use gloo::timers::future::TimeoutFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::completion::Completion;
use crate::components::console_driver::{use_console_mailbox, ConsoleRequest};
use crate::components::console_input::ConsoleInput;
use crate::components::console_output::ConsoleOutput;
use crate::components::console_tabs::{ConsoleTabs, TabItem};
use crate::context::{use_notices, use_sandbox, SandboxHandle};
use crate::history::History;
use crate::sandbox::{ClientMode, LineOutcome, MAX_CLIENTS};
use crate::state::{ConsoleAction, ConsoleState, NoticeAction, NoticeKind};
use crate::storage;

/// How fast a requested line is typed: one tick per step, at most this many steps.
const TYPE_TICK_MS: u32 = 16;
const TYPE_STEPS: usize = 20;

/// Hands what reached the tabs to the view model.
fn drain(sandbox: &SandboxHandle, state: &UseReducerHandle<ConsoleState>) {
    let active = sandbox.active();
    for delivery in sandbox.take_output() {
        let seen = delivery.client() == active;
        state.dispatch(ConsoleAction::Deliver { delivery, seen });
    }
}

/// Runs `line` in tab `client` the way Enter does: echo it at the tab's prompt with
/// its reply, then hand other tabs what it sent them.
fn submit(
    sandbox: &SandboxHandle,
    state: &UseReducerHandle<ConsoleState>,
    client: u32,
    line: String,
) -> LineOutcome {
    let prompt = sandbox.prompt_of(client);
    let outcome = sandbox.run_line_in(client, &line);
    state.dispatch(ConsoleAction::Submit {
        client,
        prompt,
        line,
        outcome: outcome.clone(),
    });
    drain(sandbox, state);
    outcome
}

/// Ctrl+C in tab `client`: a fresh connection without subscriptions or wait.
fn interrupt(
    sandbox: &SandboxHandle,
    state: &UseReducerHandle<ConsoleState>,
    client: u32,
    typed: String,
) {
    let prompt = sandbox.prompt_of(client);
    if sandbox.interrupt(client) {
        state.dispatch(ConsoleAction::Interrupt {
            client,
            prompt,
            typed,
        });
        drain(sandbox, state);
    }
}

fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|q| q.matches())
}

/// Types a requested line into its tab's input a few characters per tick, then runs
/// it there. If dropped early (another request came in), it runs the line at once, so
/// every request runs, in order.
struct Typing {
    finish: Rc<dyn Fn()>,
}

impl Typing {
    fn start(
        request: ConsoleRequest,
        sandbox: SandboxHandle,
        state: UseReducerHandle<ConsoleState>,
    ) -> Typing {
        let ConsoleRequest {
            line,
            client,
            on_reply,
        } = request;
        let target = match client {
            Some(n) if sandbox.ensure_client(n) => n,
            _ => sandbox.active(),
        };
        state.dispatch(ConsoleAction::Select(target));
        // A tab still waiting on a blocking command runs nothing, as a terminal stuck
        // in BLPOP would: it is in front now, showing that it waits and how to stop.
        let done = Rc::new(Cell::new(sandbox.mode(target).is_reading()));
        let chars: Vec<char> = line.chars().collect();
        let finish: Rc<dyn Fn()> = {
            let (done, state) = (done.clone(), state.clone());
            Rc::new(move || {
                if !done.replace(true) {
                    let outcome = submit(&sandbox, &state, target, line.clone());
                    let waits = matches!(outcome, LineOutcome::Blocked(_) | LineOutcome::Busy);
                    if let (Some(on_reply), false) = (&on_reply, waits) {
                        on_reply.emit(outcome.text().map(str::to_string));
                    }
                }
            })
        };
        let step = if prefers_reduced_motion() {
            chars.len().max(1)
        } else {
            chars.len().div_ceil(TYPE_STEPS).max(1)
        };
        {
            let finish = finish.clone();
            yew::platform::spawn_local(async move {
                let mut shown = 0;
                while shown < chars.len() {
                    TimeoutFuture::new(TYPE_TICK_MS).await;
                    if done.get() {
                        return;
                    }
                    shown = (shown + step).min(chars.len());
                    state.dispatch(ConsoleAction::Edit {
                        client: target,
                        text: chars[..shown].iter().collect(),
                    });
                }
                TimeoutFuture::new(TYPE_TICK_MS).await;
                finish();
            });
        }
        Typing { finish }
    }
}

impl Drop for Typing {
    fn drop(&mut self) {
        (self.finish)();
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {}

/// The saved history, and whether what was saved couldn't be read.
fn load_history() -> (History, bool) {
    match storage::load(storage::HISTORY_KEY) {
        None => (History::default(), false),
        Some(json) => match serde_json::from_str::<Vec<String>>(&json) {
            Ok(lines) => (History::from_lines(lines), false),
            Err(_) => (History::default(), true),
        },
    }
}

/// Puts the caret in the console's input without scrolling the page.
fn focus_input(input_ref: &NodeRef) {
    if let Some(input) = input_ref.cast::<HtmlInputElement>() {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = input.focus_with_options(&options);
    }
}

#[component]
pub fn Console(_props: &ConsoleProps) -> Html {
    let sandbox = use_sandbox();
    let notices = use_notices();
    let loaded = use_memo((), |_| load_history());
    let state = {
        let history = loaded.0.clone();
        use_reducer(move || ConsoleState::with_history(history))
    };
    let input_ref = use_node_ref();
    let output_ref = use_node_ref();
    let active = sandbox.active();
    let mode = sandbox.mode(active);

    {
        let input_ref = input_ref.clone();
        let unreadable = loaded.1;
        use_effect_with((), move |_| {
            // Ready to type, without scrolling a phone's stacked layout past the lesson.
            focus_input(&input_ref);
            if unreadable {
                storage::remove(storage::HISTORY_KEY);
                notices.dispatch(NoticeAction::Show(
                    NoticeKind::HistoryRestore,
                    "Your saved command history couldn't be read, so it starts empty.".into(),
                ));
            }
        });
    }

    // Whatever changed the sandbox (a clock beat that timed a BLPOP out, a jump, a
    // command run elsewhere) may have left output for a tab.
    {
        let sandbox = sandbox.clone();
        let state = state.clone();
        use_effect_with(sandbox.version(), move |_| drain(&sandbox, &state));
    }

    // Persist history whenever a line is added (lines never repeat back to back, so
    // the length and the last line identify a change).
    {
        let lines = state.history.lines();
        let key = (lines.len(), lines.last().cloned());
        let lines = lines.to_vec();
        use_effect_with(key, move |_| {
            if let Ok(json) = serde_json::to_string(&lines) {
                // History is a convenience: the keyspace save reports storage trouble.
                let _ = storage::save(storage::HISTORY_KEY, &json);
            }
        });
    }

    // Lines sent by the lesson's ▶ run buttons: typed visibly, then run. A new line
    // makes the one being typed run at once (see `Typing`), then starts typing.
    {
        let mailbox = use_console_mailbox();
        let typing = use_mut_ref(|| None::<Typing>);
        let sandbox = sandbox.clone();
        let state = state.clone();
        use_effect_with((), move |_| {
            if let Some(mailbox) = &mailbox {
                mailbox.listen(Some(Callback::from(move |request| {
                    let previous = typing.borrow_mut().take();
                    drop(previous);
                    let next = Typing::start(request, sandbox.clone(), state.clone());
                    *typing.borrow_mut() = Some(next);
                })));
            }
            move || {
                if let Some(mailbox) = mailbox {
                    mailbox.listen(None);
                }
            }
        });
    }

    let entries = state.entries(active);

    // Stick to the bottom whenever a block is added, a waiting line gets its reply, or
    // another tab comes to the front.
    {
        let output_ref = output_ref.clone();
        let last = entries
            .last()
            .map(|e| (e.id, e.output.as_ref().map(String::len)));
        let key = (active, entries.len(), last);
        use_effect_with(key, move |_| {
            if let Some(output) = output_ref.cast::<web_sys::Element>() {
                output.set_scroll_top(output.scroll_height());
            }
        });
    }

    let oninput = {
        let state = state.clone();
        Callback::from(move |text: String| {
            state.dispatch(ConsoleAction::Edit {
                client: active,
                text,
            })
        })
    };

    let onkeydown = {
        let state = state.clone();
        let sandbox = sandbox.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            let completing = state.completing(active);
            let waiting = mode.is_reading();
            // The DOM holds the freshest text, even before a re-render.
            let typed = || {
                input_ref
                    .cast::<HtmlInputElement>()
                    .map_or_else(|| state.input(active).to_string(), |input| input.value())
            };
            let ctrl = e.ctrl_key() && !e.alt_key() && !e.meta_key();
            match e.key().as_str() {
                // Ctrl+C at an ordinary prompt stays the browser's copy.
                "c" | "C" if ctrl && mode != ClientMode::Ready => {
                    e.prevent_default();
                    interrupt(&sandbox, &state, active, typed());
                }
                "l" | "L" if ctrl => {
                    e.prevent_default();
                    state.dispatch(ConsoleAction::ClearScreen(active));
                }
                "Escape" if completing => {
                    e.prevent_default();
                    state.dispatch(ConsoleAction::CancelCompletion(active));
                }
                "Escape" => {
                    if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                        let _ = input.blur();
                    }
                }
                // A waiting tab takes no input, as a terminal blocked in BLPOP doesn't.
                "Enter" if waiting => e.prevent_default(),
                _ if waiting => {}
                "Enter" => {
                    e.prevent_default();
                    submit(&sandbox, &state, active, typed());
                }
                "ArrowUp" => {
                    e.prevent_default();
                    state.dispatch(ConsoleAction::HistoryPrev(active));
                }
                "ArrowDown" => {
                    e.prevent_default();
                    state.dispatch(ConsoleAction::HistoryNext(active));
                }
                // Only capture Tab when there is something to complete, so keyboard users
                // are never trapped; Shift+Tab always moves focus back.
                "Tab"
                    if !e.shift_key() && (completing || Completion::start(&typed()).is_some()) =>
                {
                    e.prevent_default();
                    state.dispatch(ConsoleAction::Tab(active));
                }
                "Shift" | "Control" | "Alt" | "Meta" | "Tab" => {}
                _ if completing => state.dispatch(ConsoleAction::AcceptCompletion),
                _ => {}
            }
        })
    };

    let on_interrupt = {
        let state = state.clone();
        let sandbox = sandbox.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |_: ()| {
            let typed = input_ref
                .cast::<HtmlInputElement>()
                .map_or_else(String::new, |input| input.value());
            interrupt(&sandbox, &state, active, typed);
            focus_input(&input_ref);
        })
    };

    let on_select = {
        let state = state.clone();
        let sandbox = sandbox.clone();
        Callback::from(move |client: u32| {
            sandbox.select(client);
            state.dispatch(ConsoleAction::Select(client));
        })
    };
    let on_add = {
        let state = state.clone();
        let sandbox = sandbox.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |_: ()| {
            if let Some(client) = sandbox.open_client() {
                state.dispatch(ConsoleAction::Select(client));
                focus_input(&input_ref);
            }
        })
    };
    let on_close = {
        let state = state.clone();
        let sandbox = sandbox.clone();
        Callback::from(move |client: u32| {
            if sandbox.close_client(client) {
                state.dispatch(ConsoleAction::Forget(client));
                state.dispatch(ConsoleAction::Select(sandbox.active()));
            }
        })
    };

    // A click anywhere in the console (that isn't selecting text) returns to the input,
    // as clicking a terminal window does.
    let onclick = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if !selecting {
                focus_input(&input_ref);
            }
        })
    };

    let clients = sandbox.clients();
    let tabs: Vec<TabItem> = clients
        .iter()
        .map(|t| TabItem {
            number: t.number,
            mode: t.mode,
            unread: if t.number == active {
                0
            } else {
                state.unread(t.number)
            },
        })
        .collect();
    let input = state.input(active).to_string();
    let hint = if mode.is_reading() {
        String::new()
    } else {
        table::hint(&input).unwrap_or_default()
    };
    html! {
        <section class="console" aria-label="Redis console" onclick={onclick}>
            <div class="panel-head console-head">
                <h2 class="panel-title">{ "Console" }</h2>
                <span class="console-target" title="The engine runs in this tab, not on a server">{ "redis 7.0 · in your browser" }</span>
            </div>
            <div class="console-screen">
                <ConsoleTabs
                    tabs={tabs}
                    active={active}
                    can_add={clients.len() < MAX_CLIENTS}
                    {on_select}
                    {on_add}
                    {on_close}
                />
                <div class="console-panel" id="console-panel" role="tabpanel"
                    aria-labelledby={format!("console-tab-{active}")}>
                    <ConsoleOutput entries={entries} client={active} output_ref={output_ref} />
                    <ConsoleInput
                        prompt={sandbox.prompt_of(active)}
                        mode={mode}
                        value={input}
                        hint={hint}
                        input_ref={input_ref}
                        {oninput}
                        {onkeydown}
                        {on_interrupt}
                    />
                </div>
            </div>
        </section>
    }
}
