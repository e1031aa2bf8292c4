//! A tab's scrollback: each line as it was typed at its prompt, then its reply block,
//! and the messages that arrived on their own. Everything is text nodes; replies are
//! never parsed as HTML.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::Entry;

#[derive(Properties, PartialEq)]
pub struct ConsoleOutputProps {
    /// Compared by pointer first, so typing in the input doesn't re-render this.
    pub entries: Rc<Vec<Entry>>,
    /// Whose scrollback this is (`client 1` greets differently from the others).
    pub client: u32,
    /// The scrolling element, for the parent's stick-to-bottom effect.
    pub output_ref: NodeRef,
}

fn welcome(client: u32) -> Html {
    if client == 1 {
        html! {
            <p class="console-welcome">
                { "Connected to the in-browser engine. Type a command such as " }
                <code>{ "SET greeting hello" }</code>{ ", or " }<code>{ "HELP" }</code>{ "." }
            </p>
        }
    } else {
        html! {
            <p class="console-welcome">
                { format!("Client {client} is another connection to the same engine, as a second redis-cli would be. Try ") }
                <code>{ "SUBSCRIBE news" }</code>{ " here and " }<code>{ "PUBLISH news hello" }</code>
                { " in another tab, or " }<code>{ "BLPOP jobs 0" }</code>{ " here and " }<code>{ "RPUSH jobs mail" }</code>{ " there." }
            </p>
        }
    }
}

#[component]
pub fn ConsoleOutput(props: &ConsoleOutputProps) -> Html {
    html! {
        <div class="console-output" ref={props.output_ref.clone()} role="log"
            aria-label={format!("Output of client {}", props.client)} tabindex="-1">
            if props.entries.is_empty() {
                { welcome(props.client) }
            }
            { for props.entries.iter().map(|entry| html! {
                <div key={entry.id} class={classes!("console-entry", entry.echo.is_none().then_some("console-push"))}>
                    if let Some(echo) = &entry.echo {
                        <div class="console-echo">
                            <span class="prompt">{ echo.prompt.clone() }</span>
                            <span class="console-line">{ echo.line.clone() }</span>
                        </div>
                    }
                    if let Some(output) = &entry.output {
                        <div class="console-reply" data-testid="console-reply">{ output.clone() }</div>
                    }
                </div>
            }) }
        </div>
    }
}
