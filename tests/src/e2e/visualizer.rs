//! Driving the strategy visualizer through its hooks, for the E2E tests and the
//! bench: pick a `<select>` value, read the section's `data-*` state, run and wait
//! for *that* run, and the 100,000-request set-up whose timing the bench prints.

use std::time::Duration;

use fantoccini::Client;
use serde_json::Value;

use super::console::{click_testid, js, open, testid, wait_for_selector, wait_for_within};
use super::{expect_eq, in_fresh_browsers, Error, Result, Setup};

/// An animated run plays in 10 s at the default speed; allow for a slow machine.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(40);

/// Picks `value` in the `<select>` with `data-testid="id"`, as a user would.
pub async fn select(client: &Client, id: &str, value: &str) -> Result<()> {
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
pub async fn section_attr(client: &Client, name: &str) -> Result<String> {
    let v = js(
        client,
        "const s = document.getElementById('visualizer'); return s ? s.getAttribute(arguments[0]) : null;",
        vec![Value::from(name)],
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// The text of the element with `data-testid="id"`.
pub async fn hook_text(client: &Client, id: &str) -> Result<String> {
    let v = js(
        client,
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
        vec![Value::from(testid(id))],
    )
    .await?;
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| Error::msg(format!("no element [data-testid={id}]")))
}

/// Clicks Run and waits until that run (not an earlier one) has finished.
pub async fn run_and_wait(client: &Client) -> Result<()> {
    let before: u64 = section_attr(client, "data-run").await?.parse().unwrap_or(0);
    click_testid(client, "sim-run").await?;
    wait_for_within(RUN_TIMEOUT, "the simulation run to finish", || async {
        let run: u64 = section_attr(client, "data-run").await?.parse().unwrap_or(0);
        let state = section_attr(client, "data-state").await?;
        Ok((run > before && state == "done").then_some(()))
    })
    .await
}

/// Sets the form up for the timed run: the "cache too small" scenario (cache-aside
/// over 20,000 Zipf keys, a cache that evicts), one strategy, 100,000 requests,
/// computed at the "instant" speed.
pub async fn prepare_100k_run(client: &Client) -> Result<()> {
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
    .await
}

/// Runs the prepared run once and returns its `data-compute-ms`: the real time the
/// page spent simulating, as the status line shows it.
pub async fn timed_100k_run(client: &Client) -> Result<f64> {
    run_and_wait(client).await?;
    expect_eq(
        "requests done",
        &section_attr(client, "data-done").await?,
        "100000",
    )?;
    let ms = section_attr(client, "data-compute-ms").await?;
    ms.parse()
        .map_err(|_| Error::msg(format!("data-compute-ms is {ms:?}")))
}

/// One fresh page of [`bench_site_runs`].
#[derive(Clone, Debug)]
pub struct SiteRuns {
    /// When the idle-time warm-up was seen finished, in ms since navigation start
    /// (polled, so an upper bound).
    pub warmed_at_ms: f64,
    /// Compute time of each 100,000-request run, the learner's first click first.
    pub runs_ms: Vec<f64>,
}

/// For `cargo xtask bench`: `pages` fresh browsers each load the built site, wait
/// until it is ready and its warm-up has finished (as it has long before a learner
/// scrolls down to the visualizer), then run [`prepare_100k_run`] `runs` times.
pub fn bench_site_runs(setup: &Setup, pages: usize, runs: usize) -> Result<Vec<SiteRuns>> {
    in_fresh_browsers(setup, pages, async |client, url| {
        page_runs(client, url, runs).await
    })
}

async fn page_runs(client: &Client, url: &str, runs: usize) -> Result<SiteRuns> {
    open(client, url).await?;
    let warmed_at_ms = wait_for_within(
        Duration::from_secs(30),
        "the visualizer's warm-up to finish",
        || async {
            let state = section_attr(client, "data-warmup").await?;
            if state == "done" {
                let now = js(client, "return performance.now();", vec![]).await?;
                return Ok(now.as_f64());
            }
            Ok(None)
        },
    )
    .await?;
    prepare_100k_run(client).await?;
    let mut runs_ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        runs_ms.push(timed_100k_run(client).await?);
    }
    Ok(SiteRuns {
        warmed_at_ms,
        runs_ms,
    })
}
