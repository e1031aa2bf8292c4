//! The prompt line: redis-cli's prompt, the input, and the grey syntax hint drawn
//! after the typed text by an overlay that mirrors the input. While the tab's client
//! is subscribed or waiting, a Ctrl+C button does what the key does (phones have no
//! Ctrl key); while it waits, the prompt gives way to a note and the input takes no
//! typing.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::sandbox::ClientMode;

#[derive(Properties, PartialEq)]
pub struct ConsoleInputProps {
    pub prompt: AttrValue,
    pub mode: ClientMode,
    pub value: AttrValue,
    /// The remaining syntax of the command being typed; empty for none.
    pub hint: AttrValue,
    pub input_ref: NodeRef,
    pub oninput: Callback<String>,
    pub onkeydown: Callback<KeyboardEvent>,
    /// The Ctrl+C button.
    pub on_interrupt: Callback<()>,
}

const READY_LABEL: &str =
    "Redis command. Enter runs it, Tab completes, up and down arrows recall history.";
const SUBSCRIBED_LABEL: &str = "Redis command, in subscribed mode: only SUBSCRIBE, UNSUBSCRIBE, \
     PING and their pattern and shard forms run. Control+C leaves subscribed mode.";
const WAITING_LABEL: &str = "Waiting for a blocking command to be served. Control+C stops waiting.";
const MONITORING_LABEL: &str =
    "Monitoring: every command the server runs is printed here. Control+C stops.";

#[component]
pub fn ConsoleInput(props: &ConsoleInputProps) -> Html {
    let mirror_ref = use_node_ref();

    // Long lines scroll the input sideways; the mirror must follow or the hint drifts.
    let sync_scroll = {
        let input_ref = props.input_ref.clone();
        let mirror_ref = mirror_ref.clone();
        move || {
            if let (Some(input), Some(mirror)) = (
                input_ref.cast::<HtmlInputElement>(),
                mirror_ref.cast::<web_sys::Element>(),
            ) {
                mirror.set_scroll_left(input.scroll_left());
            }
        }
    };
    {
        let sync_scroll = sync_scroll.clone();
        use_effect(sync_scroll);
    }

    let oninput = {
        let oninput = props.oninput.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            oninput.emit(input.value());
        })
    };
    let onscroll = Callback::from(move |_: Event| sync_scroll());
    let waiting = props.mode.is_reading();
    let (label, stop_title) = match props.mode {
        ClientMode::Ready => (READY_LABEL, ""),
        ClientMode::Subscribed => (SUBSCRIBED_LABEL, "Leave subscribed mode (Ctrl+C)"),
        ClientMode::Waiting => (WAITING_LABEL, "Stop waiting (Ctrl+C)"),
        ClientMode::Monitoring => (MONITORING_LABEL, "Stop monitoring (Ctrl+C)"),
    };
    let on_stop = {
        let on_interrupt = props.on_interrupt.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            on_interrupt.emit(());
        })
    };
    html! {
        <div class={classes!("prompt-line", waiting.then_some("is-waiting"))}>
            if waiting {
                <span class="prompt-waiting" data-testid="console-waiting">
                    <span class="prompt-waiting-dot" aria-hidden="true"></span>
                    { if props.mode == ClientMode::Monitoring { "monitoring… " } else { "waiting… " } }
                </span>
            } else {
                <span class="prompt" data-testid="console-prompt">{ props.prompt.clone() }</span>
            }
            <div class="prompt-field">
                <div class="prompt-mirror" ref={mirror_ref} aria-hidden="true">
                    <span class="prompt-ghost">{ props.value.clone() }</span>
                    <span class="prompt-hint" data-testid="console-hint">{ props.hint.clone() }</span>
                </div>
                // No `autofocus` attribute: the console focuses the input itself on mount,
                // with preventScroll, so a phone's stacked layout stays on the lesson.
                <input
                    id="console-input"
                    class="prompt-input"
                    data-testid="console-input"
                    ref={props.input_ref.clone()}
                    type="text"
                    value={props.value.clone()}
                    readonly={waiting}
                    aria-label={label}
                    autocomplete="off"
                    autocapitalize="off"
                    autocorrect="off"
                    spellcheck="false"
                    enterkeyhint="send"
                    {oninput}
                    onkeydown={props.onkeydown.clone()}
                    {onscroll}
                />
            </div>
            if props.mode != ClientMode::Ready {
                <button type="button" class="console-stop" data-testid="console-interrupt"
                    title={stop_title} aria-label={stop_title} onclick={on_stop}>
                    { "Ctrl+C" }
                </button>
            }
        </div>
    }
}
