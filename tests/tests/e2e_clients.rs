//! Browser end-to-end tests of the console's clients in the BUILT site (`dist/`): tabs
//! that are separate connections to the one engine, so Pub/Sub and blocking commands
//! work between them as between two `redis-cli` windows, and the lesson's ▶ run
//! buttons that name the client they run in.
//!
//! Same gating as `e2e.rs`: without a built `dist/`, Chromium or chromedriver the cases
//! print a notice and pass; `CACHELAB_REQUIRE_ALL=1` makes that a failure. Every wait
//! is a polled condition (no fixed sleeps).
//!
//! Run: `CACHELAB_REQUIRE_ALL=1 cargo test -p cachelab-tests --test e2e_clients -- --nocapture`
#![cfg(not(target_arch = "wasm32"))]

use cachelab_tests::e2e::{
    add_console_client, click_testid, console_prompt, console_run, console_tabs, console_type,
    ensure, expect_eq, js, keys, select_console_tab, testid, texts, wait_for, wait_for_input,
    wait_for_last_reply, wait_for_prompt, wait_for_selector, wait_for_tabs, Fixture, Result,
};
use fantoccini::Client;
use serde_json::Value;

const PROMPT: &str = "127.0.0.1:6379> ";
const SUBSCRIBED_PROMPT: &str = "127.0.0.1:6379(subscribed mode)> ";
const MESSAGE: &str = "1) \"message\"\n2) \"orders:new\"\n3) \"order 1042 paid\"";

/// Presses Ctrl+C in the console input.
async fn ctrl_c(client: &Client) -> Result<()> {
    console_type(client, &format!("{}c{}", keys::CONTROL, keys::CONTROL)).await
}

/// Waits until the front tab shows that its client waits on a blocking command.
async fn wait_until_waiting(client: &Client, what: &str) -> Result<()> {
    wait_for(what, || async {
        let waiting = js(
            client,
            "const input = document.querySelector('[data-testid=\"console-input\"]');
             return !!document.querySelector('[data-testid=\"console-waiting\"]') && input.readOnly;",
            vec![],
        )
        .await?;
        Ok((waiting == Value::Bool(true)).then_some(()))
    })
    .await
}

/// The text of the echoed lines of the front tab.
async fn echoed(client: &Client) -> Result<Vec<String>> {
    texts(client, ".console-echo .console-line").await
}

/// SUBSCRIBE in client 1, PUBLISH from client 2: the message shows in client 1 (with an
/// unread badge while it is in the background), `(integer) 1` in client 2; Ctrl+C leaves
/// subscribed mode, and a closed tab takes its connection with it.
#[tokio::test]
async fn pubsub_between_two_clients() {
    let Some(fx) =
        Fixture::start("clients: PUBLISH in client 2 reaches SUBSCRIBE in client 1").await
    else {
        return;
    };
    let result = async {
        let client = fx.client();
        let tabs = console_tabs(client).await?;
        ensure(
            tabs.len() == 1 && tabs[0].client == 1 && tabs[0].selected,
            format!("the console starts with client 1 alone: {tabs:?}"),
        )?;
        let second = add_console_client(client).await?;
        expect_eq("the new tab", &second.to_string(), "2")?;
        select_console_tab(client, 1).await?;

        let reply = console_run(client, "SUBSCRIBE orders:new").await?;
        expect_eq(
            "SUBSCRIBE's printout",
            &reply,
            "Reading messages... (press Ctrl-C to quit)\n1) \"subscribe\"\n2) \"orders:new\"\n3) (integer) 1",
        )?;
        wait_for_prompt(client, SUBSCRIBED_PROMPT).await?;
        wait_for_tabs(client, "client 1 to show it is subscribed", |tabs| {
            tabs.iter().any(|t| t.client == 1 && t.state == "subscribed")
        })
        .await?;

        select_console_tab(client, 2).await?;
        let reply = console_run(client, "PUBLISH orders:new 'order 1042 paid'").await?;
        expect_eq("PUBLISH's reply in client 2", &reply, "(integer) 1")?;
        wait_for_tabs(client, "an unread badge on client 1", |tabs| {
            tabs.iter().any(|t| t.client == 1 && t.unread == 1)
        })
        .await?;

        select_console_tab(client, 1).await?;
        wait_for_last_reply(client, "the message in client 1", |r| r == MESSAGE).await?;
        let tabs = console_tabs(client).await?;
        ensure(
            tabs.iter().all(|t| t.unread == 0),
            format!("reading client 1 clears its badge: {tabs:?}"),
        )?;

        ctrl_c(client).await?;
        wait_for_prompt(client, PROMPT).await?;
        let lines = echoed(client).await?;
        expect_eq(
            "the echo of Ctrl+C",
            lines.last().map_or("", String::as_str),
            "^C",
        )?;
        let reply = console_run(client, "PING").await?;
        expect_eq("PING after leaving subscribed mode", &reply, "PONG")?;

        select_console_tab(client, 2).await?;
        let reply = console_run(client, "PUBLISH orders:new again").await?;
        expect_eq("PUBLISH once nobody listens", &reply, "(integer) 0")?;

        // Closing client 2 brings client 1 back; the last tab has no close button.
        wait_for_selector(
            client,
            "[data-testid=\"console-tab\"][data-client=\"2\"] + [data-testid=\"console-close-client\"]",
        )
        .await?
        .click()
        .await?;
        wait_for_tabs(client, "client 2 to close", |tabs| {
            tabs.len() == 1 && tabs[0].client == 1 && tabs[0].selected
        })
        .await?;
        let close_buttons = texts(client, &testid("console-close-client")).await?;
        ensure(
            close_buttons.is_empty(),
            "the last client can't be closed",
        )
    }
    .await;
    fx.finish(result).await;
}

/// BLPOP in client 1 waits (input read-only) until RPUSH in client 2 serves it.
#[tokio::test]
async fn blpop_is_served_by_rpush_in_another_client() {
    let Some(fx) = Fixture::start("clients: BLPOP in one tab, RPUSH in another").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        console_type(client, &format!("BLPOP jobs 0{}", keys::ENTER)).await?;
        wait_until_waiting(client, "client 1 to wait on BLPOP").await?;
        ensure(
            console_prompt(client).await?.is_none(),
            "a waiting tab shows no prompt",
        )?;
        // Typing goes nowhere while it waits.
        console_type(client, "GET x").await?;
        wait_for_input(client, "the input to stay empty", str::is_empty).await?;

        add_console_client(client).await?;
        let reply = console_run(client, "RPUSH jobs 'welcome mail'").await?;
        expect_eq("RPUSH's reply in client 2", &reply, "(integer) 1")?;
        wait_for_tabs(client, "client 1 to stop waiting, with news", |tabs| {
            tabs.iter()
                .any(|t| t.client == 1 && t.state.is_empty() && t.unread == 1)
        })
        .await?;
        let reply = console_run(client, "LLEN jobs").await?;
        expect_eq("the list after BLPOP took the item", &reply, "(integer) 0")?;

        select_console_tab(client, 1).await?;
        // redis-cli adds `(N.NNs)` when the line took half a second or more.
        let served = wait_for_last_reply(client, "BLPOP's reply in client 1", |r| {
            r.starts_with("1) \"jobs\"\n2) \"welcome mail\"")
        })
        .await?;
        let rest = served.trim_start_matches("1) \"jobs\"\n2) \"welcome mail\"");
        ensure(
            rest.is_empty() || (rest.starts_with("\n(") && rest.ends_with("s)")),
            format!("only the elapsed time may follow the reply: {served:?}"),
        )?;
        wait_for_prompt(client, PROMPT).await?;
        let reply = console_run(client, "PING").await?;
        expect_eq("PING once served", &reply, "PONG")
    }
    .await;
    fx.finish(result).await;
}

/// CLIENT LIST in the console shows one line per console tab, each with what that tab
/// last did, and CLIENT INFO the tab's own line.
#[tokio::test]
async fn client_list_shows_every_console_tab() {
    let Some(fx) = Fixture::start("clients: CLIENT LIST lists the tabs").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        let reply = console_run(client, "CLIENT SETNAME first").await?;
        expect_eq("CLIENT SETNAME", &reply, "OK")?;
        add_console_client(client).await?;
        let reply = console_run(client, "SELECT 2").await?;
        expect_eq("SELECT in client 2", &reply, "OK")?;
        // redis-cli prints CLIENT LIST and CLIENT INFO raw, one client per line.
        let list = console_run(client, "CLIENT LIST").await?;
        let lines: Vec<&str> = list.lines().collect();
        expect_eq("lines of CLIENT LIST", &lines.len().to_string(), "2")?;
        ensure(
            lines[0].starts_with("id=1 ")
                && lines[0].contains(" name=first ")
                && lines[0].contains(" db=0 ")
                && lines[0].contains(" cmd=client|setname "),
            format!("client 1's line: {}", lines[0]),
        )?;
        ensure(
            lines[1].starts_with("id=2 ")
                && lines[1].contains(" name= ")
                && lines[1].contains(" db=2 ")
                && lines[1].contains(" cmd=client|list "),
            format!("client 2's line: {}", lines[1]),
        )?;
        let info = console_run(client, "CLIENT INFO").await?;
        ensure(
            info.starts_with("id=2 ")
                && info.contains(" cmd=client|info ")
                && info.trim_end().ends_with(" resp=2")
                && info.trim_end().lines().count() == 1,
            format!("CLIENT INFO in client 2: {info:?}"),
        )
    }
    .await;
    fx.finish(result).await;
}

/// The clock's +10 s times a `BLPOP … 5` out; Ctrl+C (or its button) stops a wait.
#[tokio::test]
async fn blocked_commands_time_out_on_the_clock_and_stop_on_ctrl_c() {
    let Some(fx) = Fixture::start("clients: +10 s times BLPOP out, Ctrl+C stops a wait").await
    else {
        return;
    };
    let result = async {
        let client = fx.client();
        click_testid(client, "clock-pause").await?;
        console_type(client, &format!("BLPOP jobs 5{}", keys::ENTER)).await?;
        wait_until_waiting(client, "BLPOP jobs 5 to wait").await?;
        click_testid(client, "clock-plus-10s").await?;
        wait_for_last_reply(client, "BLPOP to time out", |r| r == "(nil)\n(10.00s)").await?;
        wait_for_prompt(client, PROMPT).await?;

        console_type(client, &format!("BLPOP jobs 0{}", keys::ENTER)).await?;
        wait_until_waiting(client, "BLPOP jobs 0 to wait").await?;
        click_testid(client, "clock-plus-1m").await?;
        click_testid(client, "clock-plus-1m").await?;
        // A command in another tab renders everything the jumps changed.
        add_console_client(client).await?;
        expect_eq(
            "PING in client 2",
            &console_run(client, "PING").await?,
            "PONG",
        )?;
        wait_for_tabs(client, "a timeout of 0 to wait through any jump", |tabs| {
            tabs.iter()
                .any(|t| t.client == 1 && t.state == "waiting" && t.unread == 0)
        })
        .await?;
        select_console_tab(client, 1).await?;
        ctrl_c(client).await?;
        wait_for_last_reply(client, "Ctrl+C to stop the wait", |r| r == "^C").await?;
        wait_for_prompt(client, PROMPT).await?;

        console_type(client, &format!("BRPOP jobs 0{}", keys::ENTER)).await?;
        wait_until_waiting(client, "BRPOP to wait").await?;
        click_testid(client, "console-interrupt").await?;
        wait_for_last_reply(client, "the Ctrl+C button to stop the wait", |r| r == "^C").await?;
        wait_for_prompt(client, PROMPT).await?;
        let reply = console_run(client, "RPUSH jobs a").await?;
        expect_eq(
            "RPUSH after the waits were stopped (nobody takes the item)",
            &reply,
            "(integer) 1",
        )?;
        let reply = console_run(client, "LLEN jobs").await?;
        expect_eq("the item stays in the list", &reply, "(integer) 1")
    }
    .await;
    fx.finish(result).await;
}

/// Clicks the ▶ run button of `command` in the lesson.
async fn run_in_lesson(client: &Client, command: &str) -> Result<()> {
    wait_for_selector(
        client,
        &format!("[data-testid=\"lesson-run\"][data-command=\"{command}\"]"),
    )
    .await?
    .click()
    .await?;
    Ok(())
}

/// The lesson's Pub/Sub section: ▶ run on SUBSCRIBE opens client 2 and subscribes it,
/// ▶ run on PUBLISH runs in client 1 and the message reaches client 2; the worker
/// example blocks client 3 until client 1 pushes a job.
#[tokio::test]
async fn lesson_pubsub_run_buttons_play_between_clients() {
    let Some(fx) = Fixture::start("clients: the lesson's Pub/Sub ▶ run buttons").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        run_in_lesson(client, "SUBSCRIBE orders:new").await?;
        wait_for_tabs(client, "▶ run to open client 2 and subscribe it", |tabs| {
            tabs.iter()
                .any(|t| t.client == 2 && t.selected && t.state == "subscribed")
        })
        .await?;
        wait_for_last_reply(client, "SUBSCRIBE's printout in client 2", |r| {
            r.starts_with("Reading messages... (press Ctrl-C to quit)\n1) \"subscribe\"")
        })
        .await?;

        run_in_lesson(client, "PUBLISH orders:new 'order 1042 paid'").await?;
        wait_for_tabs(client, "PUBLISH to run in client 1", |tabs| {
            tabs.iter().any(|t| t.client == 1 && t.selected)
                && tabs.iter().any(|t| t.client == 2 && t.unread == 1)
        })
        .await?;
        wait_for_last_reply(client, "PUBLISH's reply in client 1", |r| {
            r == "(integer) 1"
        })
        .await?;
        select_console_tab(client, 2).await?;
        wait_for_last_reply(client, "the message in client 2", |r| r == MESSAGE).await?;

        run_in_lesson(client, "BLPOP jobs:email 0").await?;
        wait_for_tabs(client, "the worker to wait in client 3", |tabs| {
            tabs.iter()
                .any(|t| t.client == 3 && t.selected && t.state == "waiting")
        })
        .await?;
        run_in_lesson(client, "RPUSH jobs:email 'welcome mail for ada'").await?;
        wait_for_tabs(client, "the job to reach client 3", |tabs| {
            tabs.iter().any(|t| t.client == 1 && t.selected)
                && tabs
                    .iter()
                    .any(|t| t.client == 3 && t.state.is_empty() && t.unread == 1)
        })
        .await?;
        select_console_tab(client, 3).await?;
        wait_for_last_reply(client, "the job in client 3", |r| {
            r.starts_with("1) \"jobs:email\"\n2) \"welcome mail for ada\"")
        })
        .await?;
        Ok(())
    }
    .await;
    fx.finish(result).await;
}

/// CLIENT KILL from client 1 closes client 2's connection: client 2 reports it at
/// its next command with redis-cli's error and `not connected>` prompt, then
/// connects again on its db.
#[tokio::test]
async fn client_kill_disconnects_another_tab() {
    let Some(fx) = Fixture::start("clients: CLIENT KILL closes another tab's connection").await
    else {
        return;
    };
    let result = async {
        let client = fx.client();
        add_console_client(client).await?;
        let reply = console_run(client, "SELECT 4").await?;
        expect_eq("SELECT in client 2", &reply, "OK")?;
        select_console_tab(client, 1).await?;
        let reply = console_run(client, "CLIENT KILL ID 2").await?;
        expect_eq("CLIENT KILL ID 2", &reply, "(integer) 1")?;
        let list = console_run(client, "CLIENT LIST").await?;
        expect_eq("clients left", &list.lines().count().to_string(), "1")?;

        select_console_tab(client, 2).await?;
        wait_for_prompt(client, "127.0.0.1:6379[4]> ").await?;
        let reply = console_run(client, "PING").await?;
        expect_eq(
            "client 2's next command",
            &reply,
            "Error: Server closed the connection",
        )?;
        wait_for_prompt(client, "not connected> ").await?;
        let reply = console_run(client, "CLIENT ID").await?;
        expect_eq("client 2 connects again", &reply, "(integer) 3")?;
        wait_for_prompt(client, "127.0.0.1:6379[4]> ").await
    }
    .await;
    fx.finish(result).await;
}

/// MONITOR in client 2 prints what client 1 runs, as redis-cli's MONITOR does;
/// Ctrl+C (its button) stops it.
#[tokio::test]
async fn monitor_shows_another_tabs_commands() {
    let Some(fx) = Fixture::start("clients: MONITOR prints another tab's commands").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        click_testid(client, "clock-pause").await?;
        add_console_client(client).await?;
        let reply = console_run(client, "MONITOR").await?;
        expect_eq("MONITOR", &reply, "OK")?;
        wait_for_tabs(client, "client 2 to show it monitors", |tabs| {
            tabs.iter()
                .any(|t| t.client == 2 && t.state == "monitoring")
        })
        .await?;
        select_console_tab(client, 1).await?;
        let reply = console_run(client, "SET greeting \"hello world\"").await?;
        expect_eq("SET in client 1", &reply, "OK")?;
        select_console_tab(client, 2).await?;
        wait_for_last_reply(client, "client 1's SET in the monitor", |r| {
            r.contains("] \"SET\" \"greeting\" \"hello world\"") && r.contains(" [0 127.0.0.1:")
        })
        .await?;
        click_testid(client, "console-interrupt").await?;
        wait_for_prompt(client, PROMPT).await
    }
    .await;
    fx.finish(result).await;
}

/// Client-side caching as the TTL section walks through it: client 2 listens on
/// `__redis__:invalidate`, client 1 tracks with REDIRECT, and a change to a key
/// client 1 read reaches client 2 as an invalidation message.
#[tokio::test]
async fn tracking_invalidations_reach_the_redirect_tab() {
    let Some(fx) = Fixture::start("clients: CLIENT TRACKING invalidations in another tab").await
    else {
        return;
    };
    let result = async {
        let client = fx.client();
        add_console_client(client).await?;
        let id = console_run(client, "CLIENT ID").await?;
        let id = id
            .strip_prefix("(integer) ")
            .ok_or_else(|| cachelab_tests::e2e::Error::msg(format!("CLIENT ID printed {id:?}")))?
            .to_string();
        console_run(client, "SUBSCRIBE __redis__:invalidate").await?;
        wait_for_prompt(client, SUBSCRIBED_PROMPT).await?;
        select_console_tab(client, 1).await?;
        let reply = console_run(client, &format!("CLIENT TRACKING on REDIRECT {id}")).await?;
        expect_eq("CLIENT TRACKING", &reply, "OK")?;
        console_run(client, "GET weather:paris").await?;
        let reply = console_run(client, "SET weather:paris 'fog, 9 C'").await?;
        expect_eq("SET", &reply, "OK")?;
        select_console_tab(client, 2).await?;
        wait_for_last_reply(client, "the invalidation in client 2", |r| {
            r == "1) \"message\"\n2) \"__redis__:invalidate\"\n3) 1) \"weather:paris\""
        })
        .await?;
        Ok(())
    }
    .await;
    fx.finish(result).await;
}
