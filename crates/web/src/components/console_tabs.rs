//! The console's tab strip: one tab per client (`client 1`, `client 2`, …), each
//! showing whether its client is subscribed or waiting and how many blocks arrived
//! while it was in the background, plus `+` to open another client.
//!
//! Keyboard: the strip is one Tab stop (the front tab); ←/→, Home and End move
//! between tabs, Delete closes the focused one (never the last).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::sandbox::ClientMode;

/// One tab as the strip draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TabItem {
    pub number: u32,
    pub mode: ClientMode,
    /// Blocks that arrived while the tab was in the background.
    pub unread: usize,
}

#[derive(Properties, PartialEq)]
pub struct ConsoleTabsProps {
    pub tabs: Vec<TabItem>,
    pub active: u32,
    /// False once the limit of clients is open.
    pub can_add: bool,
    pub on_select: Callback<u32>,
    pub on_add: Callback<()>,
    pub on_close: Callback<u32>,
}

fn tab_button(client: u32) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(&format!("console-tab-{client}"))?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// Moves focus to the tab button of `client` once it has been rendered.
fn focus_tab(client: u32) {
    if let Some(tab) = tab_button(client) {
        let _ = tab.focus();
    }
}

fn mode_text(mode: ClientMode) -> Option<(&'static str, &'static str)> {
    match mode {
        ClientMode::Ready => None,
        ClientMode::Subscribed => Some(("subscribed", "Subscribed: listening for messages")),
        ClientMode::Waiting => Some(("waiting", "Waiting for a blocking command")),
        ClientMode::Monitoring => Some(("monitoring", "Monitoring every command the server runs")),
    }
}

#[component]
pub fn ConsoleTabs(props: &ConsoleTabsProps) -> Html {
    let numbers: Vec<u32> = props.tabs.iter().map(|t| t.number).collect();
    let closable = props.tabs.len() > 1;
    // On a narrow screen the strip scrolls: keep the front tab in view.
    use_effect_with(props.active, |active| {
        if let Some(tab) = tab_button(*active) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
            tab.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    let onkeydown = {
        let numbers = numbers.clone();
        let on_select = props.on_select.clone();
        let on_close = props.on_close.clone();
        let active = props.active;
        Callback::from(move |e: KeyboardEvent| {
            let Some(at) = numbers.iter().position(|n| *n == active) else {
                return;
            };
            let target = match e.key().as_str() {
                "ArrowRight" => numbers.get((at + 1) % numbers.len()).copied(),
                "ArrowLeft" => numbers
                    .get((at + numbers.len() - 1) % numbers.len())
                    .copied(),
                "Home" => numbers.first().copied(),
                "End" => numbers.last().copied(),
                "Delete" if numbers.len() > 1 => {
                    e.prevent_default();
                    e.stop_propagation();
                    on_close.emit(active);
                    // The neighbour that comes to the front takes the focus.
                    if let Some(next) = numbers.get(at + 1).or(numbers.get(at.wrapping_sub(1))) {
                        let next = *next;
                        yew::platform::spawn_local(async move { focus_tab(next) });
                    }
                    return;
                }
                _ => None,
            };
            if let Some(target) = target {
                e.prevent_default();
                e.stop_propagation();
                on_select.emit(target);
                // After Yew re-renders, the new front tab is the focusable one.
                yew::platform::spawn_local(async move { focus_tab(target) });
            }
        })
    };
    let on_add = {
        let on_add = props.on_add.clone();
        Callback::from(move |_: MouseEvent| on_add.emit(()))
    };
    html! {
        <div class="console-tabs">
            <div class="console-tablist" role="tablist" aria-label="Clients" {onkeydown}>
                { for props.tabs.iter().map(|tab| {
                    let selected = tab.number == props.active;
                    let n = tab.number;
                    let select = {
                        let on_select = props.on_select.clone();
                        Callback::from(move |_: MouseEvent| on_select.emit(n))
                    };
                    // The click goes on to the console, which puts the caret back in
                    // its input (the button itself is gone).
                    let close = {
                        let on_close = props.on_close.clone();
                        Callback::from(move |_: MouseEvent| on_close.emit(n))
                    };
                    let state = mode_text(tab.mode);
                    let unread = (!selected && tab.unread > 0).then_some(tab.unread);
                    html! {
                        <div key={n} class={classes!(
                            "console-tab",
                            selected.then_some("is-active"),
                            state.map(|(class, _)| format!("is-{class}")),
                        )}>
                            <button type="button" role="tab" id={format!("console-tab-{n}")}
                                class="console-tab-button"
                                data-testid="console-tab" data-client={n.to_string()}
                                aria-selected={selected.to_string()}
                                aria-controls="console-panel"
                                tabindex={if selected { "0" } else { "-1" }}
                                onclick={select}>
                                if let Some((_, title)) = state {
                                    <span class="console-tab-state" title={title} aria-hidden="true"></span>
                                }
                                <span class="console-tab-label">{ format!("client {n}") }</span>
                                if let Some((class, _)) = state {
                                    <span class="visually-hidden">{ format!(", {class}") }</span>
                                }
                                if let Some(count) = unread {
                                    <span class="console-tab-badge" data-testid="console-tab-unread"
                                        aria-label={format!("{count} new")}>
                                        { if count > 99 { "99+".to_string() } else { count.to_string() } }
                                    </span>
                                }
                            </button>
                            if closable {
                                <button type="button" class="console-tab-close"
                                    data-testid="console-close-client"
                                    aria-label={format!("Close client {n}")}
                                    title={format!("Close client {n}")}
                                    tabindex={if selected { "0" } else { "-1" }}
                                    onclick={close}>
                                    <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                                        <path d="M4.5 4.5l7 7M11.5 4.5l-7 7" />
                                    </svg>
                                </button>
                            }
                        </div>
                    }
                }) }
            </div>
            <button type="button" class="console-tab-add" data-testid="console-add-client"
                aria-label="Open another client"
                title={if props.can_add { "Open another client (a new connection)".to_string() } else { format!("At most {} clients", props.tabs.len()) }}
                disabled={!props.can_add}
                onclick={on_add}>
                <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                    <path d="M8 3v10M3 8h10" />
                </svg>
            </button>
        </div>
    }
}
