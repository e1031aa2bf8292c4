//! The redis-cli look-alike: scrollback above, the prompt line below. Keys follow
//! redis-cli/linenoise: Enter runs, ↑/↓ walk history, Tab completes, Ctrl+L clears;
//! Esc leaves the input so Tab can move focus on.

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
use crate::context::{use_notices, use_sandbox, SandboxHandle};
use crate::history::History;
use crate::sandbox::LineOutcome;
use crate::state::{ConsoleAction, ConsoleState, NoticeAction, NoticeKind};
use crate::storage;

/// How fast a requested line is typed: one tick per step, at most this many steps.
const TYPE_TICK_MS: u32 = 16;
const TYPE_STEPS: usize = 20;

/// Runs `line` the way Enter does: echo it at the current prompt with its reply.
fn submit(
    sandbox: &SandboxHandle,
    state: &UseReducerHandle<ConsoleState>,
    line: String,
) -> LineOutcome {
    let prompt = sandbox.prompt();
    let outcome = sandbox.run_line(&line);
    state.dispatch(ConsoleAction::Submit {
        prompt,
        line,
        outcome: outcome.clone(),
    });
    outcome
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

/// Types a requested line into the input a few characters per tick, then runs it. If
/// dropped early (another request came in), it runs the line at once, so every
/// request runs, in order.
struct Typing {
    finish: Rc<dyn Fn()>,
}

impl Typing {
    fn start(
        request: ConsoleRequest,
        sandbox: SandboxHandle,
        state: UseReducerHandle<ConsoleState>,
    ) -> Typing {
        let ConsoleRequest { line, on_reply } = request;
        let done = Rc::new(Cell::new(false));
        let chars: Vec<char> = line.chars().collect();
        let finish: Rc<dyn Fn()> = {
            let (done, state) = (done.clone(), state.clone());
            Rc::new(move || {
                if !done.replace(true) {
                    let outcome = submit(&sandbox, &state, line.clone());
                    if let Some(on_reply) = &on_reply {
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
                    state.dispatch(ConsoleAction::Edit(chars[..shown].iter().collect()));
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

    {
        let input_ref = input_ref.clone();
        let unreadable = loaded.1;
        use_effect_with((), move |_| {
            // Ready to type, without scrolling a phone's stacked layout past the lesson.
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = input.focus_with_options(&options);
            }
            if unreadable {
                storage::remove(storage::HISTORY_KEY);
                notices.dispatch(NoticeAction::Show(
                    NoticeKind::HistoryRestore,
                    "Your saved command history couldn't be read, so it starts empty.".into(),
                ));
            }
        });
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
    // replaces the one being typed, which then runs at once (see `Typing`).
    {
        let mailbox = use_console_mailbox();
        let typing = use_mut_ref(|| None::<Typing>);
        let sandbox = sandbox.clone();
        let state = state.clone();
        use_effect_with((), move |_| {
            if let Some(mailbox) = &mailbox {
                mailbox.listen(Some(Callback::from(move |request| {
                    let next = Typing::start(request, sandbox.clone(), state.clone());
                    let previous = typing.borrow_mut().replace(next);
                    drop(previous);
                })));
            }
            move || {
                if let Some(mailbox) = mailbox {
                    mailbox.listen(None);
                }
            }
        });
    }

    // Stick to the bottom whenever a block is added.
    {
        let output_ref = output_ref.clone();
        let key = (state.entries.len(), state.entries.last().map(|e| e.id));
        use_effect_with(key, move |_| {
            if let Some(output) = output_ref.cast::<web_sys::Element>() {
                output.set_scroll_top(output.scroll_height());
            }
        });
    }

    let oninput = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(ConsoleAction::Edit(text)))
    };

    let onkeydown = {
        let state = state.clone();
        let sandbox = sandbox.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            let completing = state.completion.is_some();
            // The DOM holds the freshest text, even before a re-render.
            let typed = || {
                input_ref
                    .cast::<HtmlInputElement>()
                    .map_or_else(|| state.input.clone(), |input| input.value())
            };
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    submit(&sandbox, &state, typed());
                }
                "ArrowUp" => {
                    e.prevent_default();
                    state.dispatch(ConsoleAction::HistoryPrev);
                }
                "ArrowDown" => {
                    e.prevent_default();
                    state.dispatch(ConsoleAction::HistoryNext);
                }
                // Only capture Tab when there is something to complete, so keyboard users
                // are never trapped; Shift+Tab always moves focus back.
                "Tab"
                    if !e.shift_key() && (completing || Completion::start(&typed()).is_some()) =>
                {
                    e.prevent_default();
                    state.dispatch(ConsoleAction::Tab);
                }
                "Escape" if completing => {
                    e.prevent_default();
                    state.dispatch(ConsoleAction::CancelCompletion);
                }
                "Escape" => {
                    if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                        let _ = input.blur();
                    }
                }
                "l" | "L" if e.ctrl_key() && !e.alt_key() && !e.meta_key() => {
                    e.prevent_default();
                    state.dispatch(ConsoleAction::ClearScreen);
                }
                "Shift" | "Control" | "Alt" | "Meta" | "Tab" => {}
                _ if completing => state.dispatch(ConsoleAction::AcceptCompletion),
                _ => {}
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
                if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                }
            }
        })
    };

    let hint = table::hint(&state.input).unwrap_or_default();
    html! {
        <section class="console" aria-label="Redis console" onclick={onclick}>
            <div class="panel-head console-head">
                <h2 class="panel-title">{ "Console" }</h2>
                <span class="console-target" title="The engine runs in this tab, not on a server">{ "redis 7.0 · in your browser" }</span>
            </div>
            <div class="console-screen">
                <ConsoleOutput entries={Rc::clone(&state.entries)} output_ref={output_ref} />
                <ConsoleInput
                    prompt={sandbox.prompt()}
                    value={state.input.clone()}
                    hint={hint}
                    input_ref={input_ref}
                    {oninput}
                    {onkeydown}
                />
            </div>
        </section>
    }
}
