//! Driving the page: waiting for conditions, the console, and the other hooks
//! (`data-testid` attributes and `body[data-ready]`) the app provides for tests.

use std::fmt::Display;
use std::future::Future;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::Value;

use super::{ensure, Error, Result, TIMEOUT};

/// Enter, ↑, ↓, Tab, Backspace and Ctrl, as WebDriver keystrokes for `send_keys`.
pub mod keys {
    pub const ENTER: &str = "\u{E007}";
    pub const ARROW_UP: &str = "\u{E013}";
    pub const ARROW_DOWN: &str = "\u{E015}";
    pub const TAB: &str = "\u{E004}";
    pub const BACKSPACE: &str = "\u{E003}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const CONTROL: &str = "\u{E009}";
}

/// How often conditions are re-checked.
const POLL: Duration = Duration::from_millis(25);

/// The CSS selector for `[data-testid="id"]`.
pub fn testid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

pub const READY: &str = "body[data-ready=\"1\"]";
pub const CONSOLE_INPUT: &str = "[data-testid=\"console-input\"]";
pub const CONSOLE_REPLY: &str = "[data-testid=\"console-reply\"]";

/// Polls `probe` until it yields `Some`, for at most [`TIMEOUT`]. An `Err` from the
/// probe counts as "not yet" (the DOM may be mid-render); if the deadline passes, the
/// error names `what` and the last probe error.
pub async fn wait_for<T, F, Fut>(what: impl Display, probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    wait_for_within(TIMEOUT, what, probe).await
}

/// [`wait_for`] with its own deadline.
pub async fn wait_for_within<T, F, Fut>(
    timeout: Duration,
    what: impl Display,
    mut probe: F,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        let last_error = match probe().await {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => None,
            Err(e) => Some(e),
        };
        if Instant::now() >= deadline {
            let detail = last_error
                .map(|e| format!(" (last check failed: {e})"))
                .unwrap_or_default();
            return Err(Error::msg(format!(
                "timed out after {timeout:?} waiting for {what}{detail}"
            )));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Runs `script` (a function body; use `return`) and returns its result.
pub async fn js(client: &Client, script: &str, args: Vec<Value>) -> Result<Value> {
    Ok(client.execute(script, args).await?)
}

/// Waits until an element matches `css`.
pub async fn wait_for_selector(
    client: &Client,
    css: &str,
) -> Result<fantoccini::elements::Element> {
    client
        .wait()
        .at_most(TIMEOUT)
        .every(POLL)
        .for_element(Locator::Css(css))
        .await
        .map_err(|e| {
            Error::msg(format!(
                "timed out after {TIMEOUT:?} waiting for `{css}`: {e}"
            ))
        })
}

/// Waits until the app says it is usable (`body[data-ready="1"]`).
pub async fn wait_ready(client: &Client) -> Result<()> {
    wait_for_selector(client, READY).await.map(drop)
}

/// Navigates to `url` (a reload when it is the current URL) and waits for readiness.
pub async fn open(client: &Client, url: &str) -> Result<()> {
    client.goto(url).await?;
    wait_ready(client).await
}

/// The text of every console reply, in order (`textContent`, exactly as rendered).
pub async fn console_replies(client: &Client) -> Result<Vec<String>> {
    let value = js(
        client,
        &format!(
            "return Array.from(document.querySelectorAll('{CONSOLE_REPLY}'), (e) => e.textContent);"
        ),
        vec![],
    )
    .await?;
    serde_json::from_value(value).map_err(|e| Error::msg(format!("console replies: {e}")))
}

/// The text of the last console reply, if any.
pub async fn last_reply(client: &Client) -> Result<Option<String>> {
    Ok(console_replies(client).await?.pop())
}

/// The console input's current `value`.
pub async fn input_value(client: &Client) -> Result<String> {
    let value = js(
        client,
        &format!("return document.querySelector('{CONSOLE_INPUT}').value;"),
        vec![],
    )
    .await?;
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::msg(format!("console input value: {value}")))
}

/// Sends keystrokes to the console input (which WebDriver focuses first).
pub async fn console_type(client: &Client, keystrokes: &str) -> Result<()> {
    let input = wait_for_selector(client, CONSOLE_INPUT).await?;
    input.send_keys(keystrokes).await?;
    Ok(())
}

/// Empties the console input the way a user would (select all, Backspace), so the app
/// sees the edit.
pub async fn console_clear_input(client: &Client) -> Result<()> {
    if input_value(client).await?.is_empty() {
        return Ok(());
    }
    console_type(
        client,
        &format!("{}a{}{}", keys::CONTROL, keys::CONTROL, keys::BACKSPACE),
    )
    .await?;
    wait_for_input(client, "the console input to be empty", |v| v.is_empty())
        .await
        .map(drop)
}

/// Waits until the console input's value satisfies `pred`, and returns it.
pub async fn wait_for_input(
    client: &Client,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> Result<String> {
    let pred = &pred;
    let last = &std::cell::RefCell::new(String::new());
    let result = wait_for(what, || async move {
        let value = input_value(client).await?;
        last.replace(value.clone());
        Ok(pred(&value).then_some(value))
    })
    .await;
    result.map_err(|e| Error::msg(format!("{e}; the input holds {:?}", last.borrow())))
}

/// Types `line` into the console, presses Enter, waits for its reply and returns the
/// reply's text (the first reply added after Enter).
pub async fn console_run(client: &Client, line: &str) -> Result<String> {
    let before = console_replies(client).await?.len();
    console_type(client, &format!("{line}{}", keys::ENTER)).await?;
    wait_for(format!("a console reply to `{line}`"), || async {
        let replies = console_replies(client).await?;
        Ok(replies.get(before).cloned())
    })
    .await
}

/// Clicks the element with `data-testid="id"`.
pub async fn click_testid(client: &Client, id: &str) -> Result<()> {
    wait_for_selector(client, &testid(id))
        .await?
        .click()
        .await?;
    Ok(())
}

/// The `textContent` of every element matching `css`.
pub async fn texts(client: &Client, css: &str) -> Result<Vec<String>> {
    let value = js(
        client,
        "return Array.from(document.querySelectorAll(arguments[0]), (e) => e.textContent);",
        vec![Value::from(css)],
    )
    .await?;
    serde_json::from_value(value).map_err(|e| Error::msg(format!("texts of `{css}`: {e}")))
}

/// What the probe script recorded on this page: uncaught errors, `console.error` calls
/// and `alert()` calls.
#[derive(Clone, Debug, Default)]
pub struct PageLog {
    pub errors: Vec<String>,
    pub console_errors: Vec<String>,
    pub alerts: Vec<String>,
}

pub async fn page_log(client: &Client) -> Result<PageLog> {
    let value = js(
        client,
        "return [window.__e2e_errors || [], window.__e2e_console_errors || [], window.__e2e_alerts || []];",
        vec![],
    )
    .await?;
    let (errors, console_errors, alerts): (Vec<String>, Vec<String>, Vec<String>) =
        serde_json::from_value(value).map_err(|e| Error::msg(format!("page log: {e}")))?;
    Ok(PageLog {
        errors,
        console_errors,
        alerts,
    })
}

/// One console tab as the strip shows it (`data-testid="console-tab"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleTab {
    /// The `N` of `client N`.
    pub client: u32,
    /// `aria-selected`: the tab in front, whose output and input the other helpers see.
    pub selected: bool,
    /// The unread badge, 0 when there is none.
    pub unread: u32,
    /// `subscribed`, `waiting` or empty (the tab's state class).
    pub state: String,
}

/// The console's tabs, in order.
pub async fn console_tabs(client: &Client) -> Result<Vec<ConsoleTab>> {
    let value = js(
        client,
        "return Array.from(document.querySelectorAll('[data-testid=\"console-tab\"]'), (t) => {
           const wrap = t.closest('.console-tab');
           const badge = t.querySelector('[data-testid=\"console-tab-unread\"]');
           const state = wrap.classList.contains('is-subscribed') ? 'subscribed'
             : wrap.classList.contains('is-waiting') ? 'waiting'
             : wrap.classList.contains('is-monitoring') ? 'monitoring' : '';
           return [Number(t.dataset.client), t.getAttribute('aria-selected') === 'true',
                   badge ? Number(badge.textContent) : 0, state];
         });",
        vec![],
    )
    .await?;
    let rows: Vec<(u32, bool, u32, String)> =
        serde_json::from_value(value).map_err(|e| Error::msg(format!("console tabs: {e}")))?;
    Ok(rows
        .into_iter()
        .map(|(client, selected, unread, state)| ConsoleTab {
            client,
            selected,
            unread,
            state,
        })
        .collect())
}

/// Waits until the console's tabs satisfy `pred`, and returns them.
pub async fn wait_for_tabs(
    client: &Client,
    what: &str,
    pred: impl Fn(&[ConsoleTab]) -> bool,
) -> Result<Vec<ConsoleTab>> {
    let pred = &pred;
    let last = &std::cell::RefCell::new(Vec::new());
    let result = wait_for(what, || async move {
        let tabs = console_tabs(client).await?;
        last.replace(tabs.clone());
        Ok(pred(&tabs).then_some(tabs))
    })
    .await;
    result.map_err(|e| Error::msg(format!("{e}; the tabs are {:?}", last.borrow())))
}

/// Clicks tab `client N` and waits until it is in front.
pub async fn select_console_tab(client: &Client, n: u32) -> Result<()> {
    wait_for_selector(
        client,
        &format!("[data-testid=\"console-tab\"][data-client=\"{n}\"]"),
    )
    .await?
    .click()
    .await?;
    wait_for_tabs(
        client,
        &format!("client {n} to come to the front"),
        |tabs| tabs.iter().any(|t| t.client == n && t.selected),
    )
    .await
    .map(drop)
}

/// Clicks `+` and returns the number of the client it opened (now in front).
pub async fn add_console_client(client: &Client) -> Result<u32> {
    let before = console_tabs(client).await?;
    click_testid(client, "console-add-client").await?;
    let tabs = wait_for_tabs(client, "+ to open another client", |tabs| {
        tabs.len() == before.len() + 1
    })
    .await?;
    let new = tabs
        .iter()
        .find(|t| !before.iter().any(|b| b.client == t.client))
        .ok_or_else(|| Error::msg(format!("no new tab among {tabs:?}")))?;
    ensure(
        new.selected,
        format!("the new client {} should be in front: {tabs:?}", new.client),
    )?;
    Ok(new.client)
}

/// Waits until the front tab's last reply satisfies `pred`, and returns it.
pub async fn wait_for_last_reply(
    client: &Client,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> Result<String> {
    let pred = &pred;
    let last = &std::cell::RefCell::new(None::<String>);
    let result = wait_for(what, || async move {
        let reply = last_reply(client).await?;
        last.replace(reply.clone());
        Ok(reply.filter(|r| pred(r)))
    })
    .await;
    result.map_err(|e| Error::msg(format!("{e}; the last reply is {:?}", last.borrow())))
}

/// The prompt of the front tab (`127.0.0.1:6379(subscribed mode)> `), or `None`
/// while its client waits on a blocking command.
pub async fn console_prompt(client: &Client) -> Result<Option<String>> {
    let value = js(
        client,
        "const p = document.querySelector('[data-testid=\"console-prompt\"]');
         return p ? p.textContent : null;",
        vec![],
    )
    .await?;
    Ok(value.as_str().map(str::to_owned))
}

/// Waits until the front tab's prompt is exactly `expected`.
pub async fn wait_for_prompt(client: &Client, expected: &str) -> Result<()> {
    let last = &std::cell::RefCell::new(None::<String>);
    let result = wait_for(format!("the prompt {expected:?}"), || async move {
        let prompt = console_prompt(client).await?;
        last.replace(prompt.clone());
        Ok((prompt.as_deref() == Some(expected)).then_some(()))
    })
    .await;
    result.map_err(|e| Error::msg(format!("{e}; the prompt is {:?}", last.borrow())))
}
