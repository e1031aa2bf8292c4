//! The ☾/☀ button. Without a stored choice the page follows `prefers-color-scheme`
//! (pure CSS); a click pins the other theme and remembers it in localStorage.

use yew::prelude::*;

use crate::state::Theme;
use crate::storage;

#[derive(Properties, PartialEq)]
pub struct ThemeToggleProps {}

/// The theme in effect: the stored choice (applied before first paint by a script in
/// index.html) or else the system preference.
fn current_theme() -> Theme {
    let window = web_sys::window();
    let chosen = window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|root| root.get_attribute("data-theme"))
        .and_then(|t| Theme::parse(&t));
    chosen.unwrap_or_else(|| {
        let dark = window
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|q| q.matches());
        if dark {
            Theme::Dark
        } else {
            Theme::Light
        }
    })
}

fn apply(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    // Losing the choice only means the next visit follows the system theme again.
    let _ = storage::save(storage::THEME_KEY, theme.as_str());
}

#[component]
pub fn ThemeToggle(_props: &ThemeToggleProps) -> Html {
    let theme = use_state(current_theme);
    let onclick = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| {
            let next = theme.toggled();
            apply(next);
            theme.set(next);
        })
    };
    let (icon, label) = match *theme {
        Theme::Light => ("☾", "Switch to the dark theme"),
        Theme::Dark => ("☀", "Switch to the light theme"),
    };
    html! {
        <button type="button" class="btn btn-icon theme-toggle" data-testid="theme-toggle"
            aria-label={label} title={label} {onclick}>
            <span aria-hidden="true">{ icon }</span>
        </button>
    }
}
