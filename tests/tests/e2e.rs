//! Browser end-to-end tests of the BUILT site (`dist/`): each case serves it, opens a
//! fresh headless Chromium (empty profile, so no localStorage carries over) and drives
//! the console as a learner would.
//!
//! Without a built `dist/`, Chromium or chromedriver the cases print a notice and pass;
//! `CACHELAB_REQUIRE_ALL=1` (as `cargo xtask test` sets) makes that a failure. Cases run
//! one at a time (see `Fixture`); every wait is a polled condition with a 10 s deadline.
//!
//! Run: `CACHELAB_REQUIRE_ALL=1 cargo test -p cachelab-tests --test e2e -- --nocapture`
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use cachelab_tests::e2e::http;
use cachelab_tests::e2e::{
    click_testid, console_clear_input, console_run, console_type, ensure, expect_eq, js, keys,
    read_readiness, texts, wait_for_input, Fixture, Result,
};
use serde_json::Value;

/// Runs `SET`-style commands that must answer `OK`.
async fn run_ok(fx: &Fixture, line: &str) -> Result<()> {
    let reply = console_run(fx.client(), line).await?;
    expect_eq(&format!("reply to `{line}`"), &reply, "OK")
}

/// Acceptance 1: `SET greeting hello` → `OK`; `GET greeting` → `"hello"`.
#[tokio::test]
async fn case_1_set_then_get() {
    let Some(fx) = Fixture::start("case 1 (SET then GET)").await else {
        return;
    };
    let result = async {
        run_ok(&fx, "SET greeting hello").await?;
        let reply = console_run(fx.client(), "GET greeting").await?;
        expect_eq("reply to `GET greeting`", &reply, "\"hello\"")
    }
    .await;
    fx.finish(result).await;
}

/// Acceptance 2: wrong arity is redis-cli's error line, exactly.
#[tokio::test]
async fn case_2_wrong_arity_error() {
    let Some(fx) = Fixture::start("case 2 (GET with no key: arity error)").await else {
        return;
    };
    let result = async {
        let reply = console_run(fx.client(), "GET").await?;
        expect_eq(
            "reply to `GET`",
            &reply,
            "(error) ERR wrong number of arguments for 'get' command",
        )
    }
    .await;
    fx.finish(result).await;
}

/// Acceptance 3: Enter empties the input and ↑ brings the command back.
#[tokio::test]
async fn case_3_arrow_up_recalls_history() {
    let Some(fx) = Fixture::start("case 3 (↑ recalls history)").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        run_ok(&fx, "SET greeting hello").await?;
        // Without this, an input that Enter failed to clear would pass the ↑ check.
        wait_for_input(
            client,
            "the console input to be empty after Enter",
            str::is_empty,
        )
        .await?;
        console_type(client, keys::ARROW_UP).await?;
        wait_for_input(client, "↑ to recall `SET greeting hello`", |v| {
            v == "SET greeting hello"
        })
        .await?;
        Ok(())
    }
    .await;
    fx.finish(result).await;
}

/// Acceptance 4: Tab completes a command name.
#[tokio::test]
async fn case_4_tab_completes_command() {
    let Some(fx) = Fixture::start("case 4 (Tab completes PERS)").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        console_type(client, "PERS").await?;
        wait_for_input(client, "the input to hold `PERS`", |v| v == "PERS").await?;
        console_type(client, keys::TAB).await?;
        wait_for_input(client, "Tab to complete `PERS` to `PERSIST`", |v| {
            v.starts_with("PERSIST")
        })
        .await?;
        Ok(())
    }
    .await;
    fx.finish(result).await;
}

/// Acceptance 5: the clock's +10 s expires a key set with `EX 5`.
#[tokio::test]
async fn case_5_clock_jump_expires_key() {
    let Some(fx) = Fixture::start("case 5 (+10 s expires a key with EX 5)").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        run_ok(&fx, "SET k v EX 5").await?;
        // The key is there before the jump (so the (nil) below is the jump's doing).
        let reply = console_run(client, "EXISTS k").await?;
        expect_eq("reply to `EXISTS k` before the jump", &reply, "(integer) 1")?;
        click_testid(client, "clock-plus-10s").await?;
        let reply = console_run(client, "GET k").await?;
        expect_eq("reply to `GET k` after +10 s", &reply, "(nil)")?;
        let reply = console_run(client, "EXISTS k").await?;
        expect_eq("reply to `EXISTS k` after +10 s", &reply, "(integer) 0")
    }
    .await;
    fx.finish(result).await;
}

/// Acceptance 6: the keyspace and the history survive a reload (same browser session,
/// so the same localStorage).
#[tokio::test]
async fn case_6_state_survives_reload() {
    let Some(fx) = Fixture::start("case 6 (keyspace and history survive a reload)").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        run_ok(&fx, "SET survivor still-here").await?;
        // Mark this document, so we can tell the reload really replaced it.
        js(
            client,
            "window.__e2e_before_reload = true; return null;",
            vec![],
        )
        .await?;

        cachelab_tests::e2e::open(client, &fx.url()).await?;
        let marked = js(
            client,
            "return window.__e2e_before_reload === true;",
            vec![],
        )
        .await?;
        ensure(
            marked == Value::Bool(false),
            "navigating to the site again didn't load a new document",
        )?;
        let replies = cachelab_tests::e2e::console_replies(client).await?;
        ensure(
            replies.is_empty(),
            format!("a fresh page shouldn't show old replies, got {replies:?}"),
        )?;

        wait_for_input(
            client,
            "an empty console input after the reload",
            str::is_empty,
        )
        .await?;
        console_type(client, keys::ARROW_UP).await?;
        wait_for_input(
            client,
            "↑ after the reload to recall `SET survivor still-here`",
            |v| v == "SET survivor still-here",
        )
        .await?;
        console_clear_input(client).await?;

        let reply = console_run(client, "GET survivor").await?;
        expect_eq(
            "reply to `GET survivor` after the reload",
            &reply,
            "\"still-here\"",
        )?;
        let rows = texts(
            client,
            "[data-testid=\"key-panel\"] [data-testid=\"key-row\"]",
        )
        .await?;
        ensure(
            rows.iter().any(|row| row.contains("survivor")),
            format!("the key panel should list `survivor` after the reload, its rows are {rows:?}"),
        )
    }
    .await;
    fx.finish(result).await;
}

/// SAVE writes the server's dump.rdb to the browser's storage: it survives a
/// reload, and SHUTDOWN NOSAVE brings the server back with exactly what it holds.
#[tokio::test]
async fn case_10_save_survives_reload_and_shutdown_restarts_from_it() {
    let Some(fx) = Fixture::start("case 10 (SAVE, reload, SHUTDOWN NOSAVE)").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        run_ok(&fx, "SET kept 1").await?;
        run_ok(&fx, "SAVE").await?;
        run_ok(&fx, "SET lost 2").await?;
        cachelab_tests::e2e::open(client, &fx.url()).await?;
        // The live keyspace came back with the page: both keys.
        let reply = console_run(client, "EXISTS kept lost").await?;
        expect_eq("`EXISTS kept lost` after the reload", &reply, "(integer) 2")?;
        let reply = console_run(client, "SHUTDOWN NOSAVE").await?;
        expect_eq(
            "the note after `SHUTDOWN NOSAVE`",
            &reply,
            "(the server shut down and started again: its last snapshot held 1 key)",
        )?;
        let reply = console_run(client, "EXISTS kept lost").await?;
        expect_eq(
            "`EXISTS kept lost` after the restart",
            &reply,
            "(integer) 1",
        )?;
        let reply = console_run(client, "GET kept").await?;
        expect_eq("`GET kept` after the restart", &reply, "\"1\"")
    }
    .await;
    fx.finish(result).await;
}

/// Acceptance 7: replies are text, never HTML: a stored `<img onerror=…>` is shown
/// literally and runs nothing.
#[tokio::test]
async fn case_7_replies_are_not_html() {
    let Some(fx) = Fixture::start("case 7 (markup in a value is shown, not run)").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        for payload in [
            "<img src=x onerror=alert(1)>",
            "<img src=x onerror=window.__xss=1>",
        ] {
            run_ok(&fx, &format!("SET x \"{payload}\"")).await?;
            let reply = console_run(client, "GET x").await?;
            expect_eq("reply to `GET x`", &reply, &format!("\"{payload}\""))?;
            let images = js(
                client,
                "const reply = document.querySelector('[data-testid=\"console-reply\"]');
                 const log = reply.closest('[role=\"log\"]') || reply.parentElement.parentElement;
                 return log.querySelectorAll('img').length;",
                vec![],
            )
            .await?;
            ensure(
                images == 0,
                format!("the console output holds {images} <img> element(s)"),
            )?;
        }
        let untouched = js(client, "return window.__xss === undefined;", vec![]).await?;
        ensure(
            untouched == Value::Bool(true),
            "window.__xss was set: the reply's markup ran",
        )?;
        let fetched: Vec<String> = fx
            .site
            .requests()
            .into_iter()
            .filter(|r| r == "/x" || r.starts_with("/x?"))
            .collect();
        ensure(
            fetched.is_empty(),
            format!("the browser fetched {fetched:?}: an <img src=x> was rendered"),
        )?;
        // Alerts are checked by `finish`.
        Ok(())
    }
    .await;
    fx.finish(result).await;
}

/// Acceptance 8: an unbalanced quote is redis-cli's `Invalid argument(s)`.
#[tokio::test]
async fn case_8_invalid_quoting() {
    let Some(fx) = Fixture::start("case 8 (unbalanced quote)").await else {
        return;
    };
    let result = async {
        let reply = console_run(fx.client(), "SET a \"b").await?;
        expect_eq("reply to `SET a \"b`", &reply, "Invalid argument(s)")
    }
    .await;
    fx.finish(result).await;
}

/// Acceptance 9: how long a cold load takes to become usable (printed, not asserted;
/// `cargo xtask bench` reports it). A reload is measured too (warm HTTP and wasm caches).
#[tokio::test]
async fn case_9_readiness_timing() {
    let Some(fx) = Fixture::start("case 9 (readiness timing)").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        let cold = read_readiness(client).await?;
        println!("E2E readiness, cold load: {cold}");
        let warm = cachelab_tests::e2e::measure_readiness(client, &fx.url()).await?;
        println!("E2E readiness, reload:    {warm}");
        ensure(
            cold.ready_ms.is_finite() && cold.ready_ms > 0.0,
            format!("bad timing {cold:?}"),
        )
    }
    .await;
    fx.finish(result).await;
}

/// The static server itself (no browser needed): content types, `/` → index.html,
/// 404s, and no escaping the root.
#[test]
fn static_server_serves_dist_correctly() {
    let root = std::env::temp_dir().join(format!("cachelab-e2e-static-{}", std::process::id()));
    std::fs::create_dir_all(root.join("sub")).unwrap();
    for (name, body) in [
        ("index.html", "<!doctype html>hi"),
        ("app-123.js", "export {}"),
        ("app-123_bg.wasm", "\0asm"),
        ("style.css", "body{}"),
        ("sub/index.html", "sub"),
    ] {
        std::fs::write(root.join(name), body).unwrap();
    }
    let site = cachelab_tests::e2e::Site::start(&root).unwrap();
    let get =
        |path: &str| http::request(site.addr(), "GET", path, None, Duration::from_secs(5)).unwrap();

    let cases = [
        ("/", 200, "text/html; charset=utf-8", "<!doctype html>hi"),
        (
            "/index.html?x=1",
            200,
            "text/html; charset=utf-8",
            "<!doctype html>hi",
        ),
        (
            "/app-123.js",
            200,
            "text/javascript; charset=utf-8",
            "export {}",
        ),
        ("/app-123_bg.wasm", 200, "application/wasm", "\0asm"),
        ("/style.css", 200, "text/css; charset=utf-8", "body{}"),
        ("/sub/", 200, "text/html; charset=utf-8", "sub"),
        ("/sub", 200, "text/html; charset=utf-8", "sub"),
        ("/st%79le.css", 200, "text/css; charset=utf-8", "body{}"),
    ];
    for (path, status, content_type, body) in cases {
        let resp = get(path);
        assert_eq!(resp.status, status, "GET {path}");
        assert_eq!(
            resp.header("content-type"),
            Some(content_type),
            "GET {path}"
        );
        assert_eq!(resp.text(), body, "GET {path}");
    }
    assert_eq!(get("/missing.js").status, 404);
    assert_eq!(get("/../Cargo.toml").status, 400);
    assert_eq!(get("/sub/%2e%2e/%2e%2e/etc/passwd").status, 400);
    let head = http::request(
        site.addr(),
        "HEAD",
        "/app-123_bg.wasm",
        None,
        Duration::from_secs(5),
    )
    .unwrap();
    assert_eq!(
        (head.status, head.header("content-length"), head.body.len()),
        (200, Some("4"), 0)
    );
    assert!(site.requests().contains(&"/app-123.js".to_string()));
    drop(site);
    let _ = std::fs::remove_dir_all(&root);
}
