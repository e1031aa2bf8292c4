//! Browser tests: the app mounted into a test div and driven through DOM events.
//! (The engine's wasm speed benchmark is `engine_mix.rs`.)
//!
//! Run with `cargo test -p cachelab-web --target wasm32-unknown-unknown`; the
//! runner needs chromedriver.
#![cfg(target_arch = "wasm32")]

use cachelab_web::App;
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    Element, HtmlElement, HtmlInputElement, InputEvent, InputEventInit, KeyboardEvent,
    KeyboardEventInit,
};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Mounts a fresh app (with empty localStorage) into its own div.
fn mount() -> (Element, yew::AppHandle<App>) {
    if let Ok(Some(storage)) = web_sys::window().expect("a window").local_storage() {
        let _ = storage.clear();
    }
    let root = document().create_element("div").expect("a div");
    document()
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("attached");
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    (root, handle)
}

/// Lets Yew's scheduler render and run effects.
async fn settle() {
    TimeoutFuture::new(30).await;
}

fn find(root: &Element, testid: &str) -> Element {
    root.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no [data-testid={testid}]"))
}

fn input(root: &Element) -> HtmlInputElement {
    find(root, "console-input").dyn_into().expect("an <input>")
}

fn texts(root: &Element, testid: &str) -> Vec<String> {
    let nodes = root
        .query_selector_all(&format!("[data-testid=\"{testid}\"]"))
        .expect("a selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

async fn edit(root: &Element, text: &str) {
    let input = input(root);
    input.set_value(text);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init).expect("an input event");
    input.dispatch_event(&event).expect("dispatched");
    settle().await;
}

async fn press(root: &Element, key: &str, ctrl: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("a key event");
    input(root).dispatch_event(&event).expect("dispatched");
    settle().await;
}

async fn run(root: &Element, line: &str) {
    edit(root, line).await;
    press(root, "Enter", false).await;
}

#[wasm_bindgen_test]
async fn console_prints_replies_like_redis_cli() {
    let (root, app) = mount();
    settle().await;
    assert_eq!(
        document()
            .body()
            .expect("a body")
            .dataset()
            .get("ready")
            .as_deref(),
        Some("1")
    );

    run(&root, "SET greeting hello").await;
    run(&root, "GET greeting").await;
    run(&root, "get").await;
    run(&root, "SET x \"unbalanced").await;
    run(&root, "").await;
    assert_eq!(
        texts(&root, "console-reply"),
        [
            "OK",
            "\"hello\"",
            "(error) ERR wrong number of arguments for 'get' command",
            "Invalid argument(s)",
        ]
    );
    assert_eq!(input(&root).value(), "");

    let rows = texts(&root, "key-row");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("greeting") && rows[0].contains("string"),
        "{rows:?}"
    );

    run(&root, "SELECT 1").await;
    assert_eq!(
        find(&root, "console-prompt").text_content().as_deref(),
        Some("127.0.0.1:6379[1]> ")
    );
    assert!(
        texts(&root, "key-row").is_empty(),
        "the panel follows the selected db"
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn keyboard_completes_recalls_hints_and_clears() {
    let (root, app) = mount();
    settle().await;

    edit(&root, "PERS").await;
    press(&root, "Tab", false).await;
    assert_eq!(input(&root).value(), "PERSIST");

    edit(&root, "SET k ").await;
    assert!(find(&root, "console-hint")
        .text_content()
        .unwrap_or_default()
        .starts_with("value"));

    run(&root, "SET a 1").await;
    run(&root, "GET a").await;
    press(&root, "ArrowUp", false).await;
    assert_eq!(input(&root).value(), "GET a");
    press(&root, "ArrowUp", false).await;
    assert_eq!(input(&root).value(), "SET a 1");
    press(&root, "ArrowDown", false).await;
    press(&root, "ArrowDown", false).await;
    assert_eq!(input(&root).value(), "");

    press(&root, "l", true).await;
    assert!(texts(&root, "console-reply").is_empty());
    run(&root, "PING").await;
    run(&root, "clear").await;
    assert!(texts(&root, "console-reply").is_empty());

    press(&root, "Escape", false).await;
    let focused = document()
        .active_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    assert!(
        focused.is_none_or(|e| e.get_attribute("data-testid").as_deref() != Some("console-input"))
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn clock_jumps_expire_keys() {
    let (root, app) = mount();
    settle().await;
    run(&root, "SET session abc EX 30").await;
    assert_eq!(texts(&root, "key-row").len(), 1);
    let click = |id: &str| {
        find(&root, id)
            .dyn_into::<HtmlElement>()
            .expect("a button")
            .click()
    };
    click("clock-plus-10s");
    settle().await;
    assert_eq!(
        find(&root, "clock-display").text_content().as_deref(),
        Some("+10s")
    );
    assert_eq!(texts(&root, "key-row").len(), 1);
    click("clock-plus-1m");
    TimeoutFuture::new(250).await;
    assert!(
        texts(&root, "key-row").is_empty(),
        "the key expired on simulated time"
    );
    run(&root, "EXISTS session").await;
    assert_eq!(
        texts(&root, "console-reply").last().map(String::as_str),
        Some("(integer) 0")
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn tabs_are_clients_that_talk_through_pubsub() {
    let (root, app) = mount();
    settle().await;
    let click = |css: &str| {
        root.query_selector(css)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no {css}"))
            .dyn_into::<HtmlElement>()
            .expect("a button")
            .click()
    };
    click("[data-testid=\"console-add-client\"]");
    settle().await;
    assert_eq!(texts(&root, "console-tab"), ["client 1", "client 2"]);
    run(&root, "SUBSCRIBE news").await;
    assert_eq!(
        find(&root, "console-prompt").text_content().as_deref(),
        Some("127.0.0.1:6379(subscribed mode)> ")
    );
    click("[data-testid=\"console-tab\"][data-client=\"1\"]");
    settle().await;
    run(&root, "PUBLISH news hello").await;
    assert_eq!(texts(&root, "console-reply"), ["(integer) 1"]);
    assert_eq!(texts(&root, "console-tab-unread"), ["1"]);
    click("[data-testid=\"console-tab\"][data-client=\"2\"]");
    settle().await;
    assert_eq!(
        texts(&root, "console-reply").last().map(String::as_str),
        Some("1) \"message\"\n2) \"news\"\n3) \"hello\"")
    );
    press(&root, "c", true).await;
    assert_eq!(
        find(&root, "console-prompt").text_content().as_deref(),
        Some("127.0.0.1:6379> ")
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn scripts_that_recurse_or_nest_deeply_fail_cleanly_in_the_page() {
    // The browser's wasm stack is 1 MB: the interpreter must stop deep
    // recursion and nesting with Lua's errors, and free long chains of
    // tables without recursing, rather than crash the page.
    let (root, app) = mount();
    settle().await;
    run(
        &root,
        "EVAL \"local function f(n) return 1 + f(n + 1) end return f(1)\" 0",
    )
    .await;
    let nested = format!("EVAL \"return {}1{}\" 0", "(".repeat(300), ")".repeat(300));
    run(&root, &nested).await;
    run(
        &root,
        "EVAL \"local t = {} for i = 1, 100000 do t = {next = t} end return 1\" 0",
    )
    .await;
    run(&root, "PING").await;
    let replies = texts(&root, "console-reply");
    assert_eq!(replies.len(), 4, "{replies:?}");
    assert!(
        replies[0].starts_with("(error) ERR user_script:1: stack overflow script: "),
        "{replies:?}"
    );
    assert_eq!(
        replies[1],
        "(error) ERR Error compiling script (new function): user_script:1: chunk has too many syntax levels"
    );
    assert_eq!(replies[2..], ["(integer) 1", "PONG"]);
    app.destroy();
}
