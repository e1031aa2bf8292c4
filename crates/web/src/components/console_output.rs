//! The scrollback: each line as it was typed at its prompt, then its reply block.
//! Everything is text nodes; replies are never parsed as HTML.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::Entry;

#[derive(Properties, PartialEq)]
pub struct ConsoleOutputProps {
    /// Compared by pointer first, so typing in the input doesn't re-render this.
    pub entries: Rc<Vec<Entry>>,
    /// The scrolling element, for the parent's stick-to-bottom effect.
    pub output_ref: NodeRef,
}

#[component]
pub fn ConsoleOutput(props: &ConsoleOutputProps) -> Html {
    html! {
        <div class="console-output" ref={props.output_ref.clone()} role="log" aria-label="Console output" tabindex="-1">
            if props.entries.is_empty() {
                <p class="console-welcome">
                    { "Connected to the in-browser engine. Type a command such as " }
                    <code>{ "SET greeting hello" }</code>{ ", or " }<code>{ "HELP" }</code>{ "." }
                </p>
            }
            { for props.entries.iter().map(|entry| html! {
                <div key={entry.id} class="console-entry">
                    <div class="console-echo">
                        <span class="prompt">{ entry.prompt.clone() }</span>
                        <span class="console-line">{ entry.line.clone() }</span>
                    </div>
                    if let Some(output) = &entry.output {
                        <div class="console-reply" data-testid="console-reply">{ output.clone() }</div>
                    }
                </div>
            }) }
        </div>
    }
}
