//! The prompt line: redis-cli's prompt, the input, and the grey syntax hint drawn
//! after the typed text by an overlay that mirrors the input.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConsoleInputProps {
    pub prompt: AttrValue,
    pub value: AttrValue,
    /// The remaining syntax of the command being typed; empty for none.
    pub hint: AttrValue,
    pub input_ref: NodeRef,
    pub oninput: Callback<String>,
    pub onkeydown: Callback<KeyboardEvent>,
}

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
    html! {
        <div class="prompt-line">
            <span class="prompt" data-testid="console-prompt">{ props.prompt.clone() }</span>
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
                    aria-label="Redis command. Enter runs it, Tab completes, up and down arrows recall history."
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
        </div>
    }
}
