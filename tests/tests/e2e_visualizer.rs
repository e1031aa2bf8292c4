//! Browser end-to-end tests of the strategy visualizer in the BUILT site (`dist/`),
//! driven through its `data-testid` hooks the way a learner would: pick a scenario,
//! press Run, read the metrics.
//!
//! Every wait is a polled condition (`#visualizer[data-state="done"]` for the run
//! started by *this* click, told apart by `data-run`); nothing sleeps for a fixed time.
//! Prerequisites and skipping work as in `e2e.rs` (`CACHELAB_REQUIRE_ALL=1` makes a
//! missing site or browser an error).
//!
//! Run: `CACHELAB_REQUIRE_ALL=1 cargo test -p cachelab-tests --test e2e_visualizer -- --nocapture`
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use cachelab_tests::e2e::{
    click_testid, ensure, expect_eq, js, testid, wait_for_selector, wait_for_within, Fixture,
    Result,
};
use fantoccini::Client;
use serde_json::Value;

/// An animated run plays in 10 s at the default speed; allow for a slow machine.
const RUN_TIMEOUT: Duration = Duration::from_secs(40);

/// Picks `value` in the `<select>` with `data-testid="id"`, as a user would.
async fn select(client: &Client, id: &str, value: &str) -> Result<()> {
    wait_for_selector(client, &testid(id))
        .await?
        .select_by_value(value)
        .await?;
    let now = js(
        client,
        "return document.querySelector(arguments[0]).value;",
        vec![Value::from(testid(id))],
    )
    .await?;
    expect_eq(
        &format!("{id} after choosing {value}"),
        now.as_str().unwrap_or_default(),
        value,
    )
}

/// The visualizer's `data-*` attribute `name`.
async fn section_attr(client: &Client, name: &str) -> Result<String> {
    let v = js(
        client,
        "const s = document.getElementById('visualizer'); return s ? s.getAttribute(arguments[0]) : null;",
        vec![Value::from(name)],
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// The text of the element with `data-testid="id"`.
async fn hook_text(client: &Client, id: &str) -> Result<String> {
    let v = js(
        client,
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
        vec![Value::from(testid(id))],
    )
    .await?;
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| cachelab_tests::e2e::Error::msg(format!("no element [data-testid={id}]")))
}

/// Clicks Run and waits until that run (not an earlier one) has finished.
async fn run_and_wait(client: &Client) -> Result<()> {
    let before: u64 = section_attr(client, "data-run").await?.parse().unwrap_or(0);
    click_testid(client, "sim-run").await?;
    wait_for_within(RUN_TIMEOUT, "the simulation run to finish", || async {
        let run: u64 = section_attr(client, "data-run").await?.parse().unwrap_or(0);
        let state = section_attr(client, "data-state").await?;
        Ok((run > before && state == "done").then_some(()))
    })
    .await
}

/// The acceptance test: the homepage preset, cache-aside beside no cache, played
/// at the default (animated) speed. The database sees 1 query with the cache and 10,000
/// without.
#[tokio::test]
async fn homepage_preset_one_query_with_cache_aside() {
    let Some(fx) = Fixture::start("visualizer: homepage preset → 1 database query").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        wait_for_selector(client, "#visualizer").await?;
        select(client, "sim-preset", "homepage").await?;
        select(client, "sim-strategy", "cache-aside").await?;
        run_and_wait(client).await?;
        let db = hook_text(client, "sim-metric-db-queries").await?;
        expect_eq("sim-metric-db-queries", &db, "1")?;
        let uncached = hook_text(client, "sim-compare-metric-db-queries").await?;
        expect_eq(
            "sim-compare-metric-db-queries (no cache)",
            &uncached,
            "10000",
        )?;
        let hits = hook_text(client, "sim-metric-hit-ratio").await?;
        expect_eq("sim-metric-hit-ratio", &hits, "99.99%")?;
        let lost = hook_text(client, "sim-metric-lost-writes").await?;
        expect_eq("sim-metric-lost-writes", &lost, "0")?;
        println!(
            "E2E visualizer, homepage: {}",
            hook_text(client, "sim-status").await?
        );
        Ok(())
    }
    .await;
    fx.finish(result).await;
}

/// "Write-behind and a crash", computed instantly: the writes queued at the crash are
/// counted as lost; write-through beside it loses none.
#[tokio::test]
async fn write_behind_crash_loses_writes() {
    let Some(fx) = Fixture::start("visualizer: write-behind crash → lost writes").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        select(client, "sim-preset", "write-behind-crash").await?;
        select(client, "sim-speed", "instant").await?;
        run_and_wait(client).await?;
        let lost = hook_text(client, "sim-metric-lost-writes").await?;
        let n: u64 = lost
            .parse()
            .map_err(|_| cachelab_tests::e2e::Error::msg(format!("lost writes {lost:?} is not a number")))?;
        ensure(n > 0, format!("write-behind should lose writes in a crash, shows {n}"))?;
        let raw = js(
            client,
            "return document.querySelector(arguments[0]).dataset.value;",
            vec![Value::from(testid("sim-metric-lost-writes"))],
        )
        .await?;
        expect_eq("data-value of the lost writes", raw.as_str().unwrap_or_default(), &lost)?;
        let other = hook_text(client, "sim-compare-metric-lost-writes").await?;
        expect_eq("sim-compare-metric-lost-writes (write-through)", &other, "0")?;
        println!(
            "E2E visualizer, write-behind crash: {n} writes lost; 2 × 20,000 requests computed in {} ms",
            section_attr(client, "data-compute-ms").await?
        );
        Ok(())
    }
    .await;
    fx.finish(result).await;
}

/// A fault button strikes both strategies at the same request: a cache restart in the
/// middle of the homepage run makes cache-aside miss once more (2 queries), and the
/// charts mark when it struck.
#[tokio::test]
async fn cache_restart_button_hits_both_lanes() {
    let Some(fx) = Fixture::start("visualizer: the cache-restart button").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        select(client, "sim-preset", "homepage").await?;
        select(client, "sim-speed", "slow").await?;
        click_testid(client, "sim-run").await?;
        wait_for_within(RUN_TIMEOUT, "the run to start", || async {
            let done: u64 = section_attr(client, "data-done")
                .await?
                .parse()
                .unwrap_or(0);
            Ok((done > 0 && section_attr(client, "data-state").await? == "running").then_some(()))
        })
        .await?;
        click_testid(client, "sim-fault-restart").await?;
        click_testid(client, "sim-finish").await?;
        wait_for_within(RUN_TIMEOUT, "the run to finish", || async {
            Ok((section_attr(client, "data-state").await? == "done").then_some(()))
        })
        .await?;
        expect_eq(
            "sim-metric-db-queries after a restart",
            &hook_text(client, "sim-metric-db-queries").await?,
            "2",
        )?;
        expect_eq(
            "sim-compare-metric-db-queries (no cache)",
            &hook_text(client, "sim-compare-metric-db-queries").await?,
            "10000",
        )?;
        let marks = cachelab_tests::e2e::texts(client, ".viz-fault-tag").await?;
        ensure(
            marks.len() == 6,
            format!("each of the 6 charts should mark the restart once, found {marks:?}"),
        )
    }
    .await;
    fx.finish(result).await;
}

/// The speed figure in the built site: a 100,000-request cache-aside run over 20,000
/// Zipf keys with a small cache (the "cache too small" scenario, one strategy, twice the
/// requests), computed at the "instant" speed. Printed, not asserted.
#[tokio::test]
async fn instant_100k_run_timing() {
    let Some(fx) = Fixture::start("visualizer: 100,000-request timing").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        select(client, "sim-preset", "small-cache").await?;
        select(client, "sim-compare", "none").await?;
        select(client, "sim-speed", "instant").await?;
        // The parameters live in a collapsed <details>; open it, then type the new count.
        js(
            client,
            "document.querySelector('.viz-params').open = true; return null;",
            vec![],
        )
        .await?;
        let requests = wait_for_selector(client, &testid("sim-param-requests")).await?;
        requests.clear().await?;
        requests.send_keys("100000").await?;
        wait_for_within(
            Duration::from_secs(10),
            "the form to take 100000 requests",
            || async {
                let v = js(
                    client,
                    "return document.querySelector(arguments[0]).value;",
                    vec![Value::from(testid("sim-param-requests"))],
                )
                .await?;
                Ok((v.as_str() == Some("100000")).then_some(()))
            },
        )
        .await?;
        let mut times = Vec::new();
        for _ in 0..3 {
            run_and_wait(client).await?;
            expect_eq(
                "requests done",
                &section_attr(client, "data-done").await?,
                "100000",
            )?;
            times.push(section_attr(client, "data-compute-ms").await?);
        }
        println!(
            "E2E visualizer: a 100,000-request simulation took {} ms in the built site (3 runs)",
            times.join(" / ")
        );
        Ok(())
    }
    .await;
    fx.finish(result).await;
}
