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

use cachelab_tests::e2e::visualizer::{
    hook_text, prepare_100k_run, run_and_wait, section_attr, select, timed_100k_run, RUN_TIMEOUT,
};
use cachelab_tests::e2e::{
    click_testid, ensure, expect_eq, js, testid, wait_for_selector, wait_for_within, Fixture,
};
use serde_json::Value;

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

/// The idle-time warm-up runs to its end on a page left alone, and then a run started
/// by the learner is unaffected by it: the homepage scenario still gives its one query.
#[tokio::test]
async fn warm_up_finishes_in_idle_time() {
    let Some(fx) = Fixture::start("visualizer: idle-time warm-up").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        wait_for_within(RUN_TIMEOUT, "the warm-up to finish", || async {
            let state = section_attr(client, "data-warmup").await?;
            ensure(
                state == "running" || state == "done",
                format!("data-warmup is {state:?} on a page nobody touched"),
            )?;
            Ok((state == "done").then_some(()))
        })
        .await?;
        expect_eq(
            "runs started",
            &section_attr(client, "data-run").await?,
            "0",
        )?;
        select(client, "sim-preset", "homepage").await?;
        select(client, "sim-compare", "none").await?;
        select(client, "sim-speed", "instant").await?;
        run_and_wait(client).await?;
        expect_eq(
            "database queries after the warm-up",
            hook_text(client, "sim-metric-db-queries").await?.trim(),
            "1",
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
        prepare_100k_run(client).await?;
        let mut times = Vec::new();
        for _ in 0..3 {
            times.push(format!("{:.1}", timed_100k_run(client).await?));
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
