//! How long the built site takes to become usable: from navigation start to
//! `body[data-ready="1"]`, with the milestones around it.

use std::fmt;

use fantoccini::Client;
use serde_json::Value;

use super::console::{js, open};
use super::{in_fresh_browsers, Error, Result, Setup};

/// Where [`Readiness::ready_ms`] came from, most precise first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadySource {
    /// The app's own `window.__cachelab_ready_ms`, set as it marks itself ready.
    App,
    /// The harness's probe script: a MutationObserver that saw `data-ready` appear.
    Probe,
    /// When the harness first saw readiness: an upper bound (polling latency included).
    Observed,
}

/// Milliseconds since navigation start (`performance.timeOrigin`) of one page load.
#[derive(Clone, Debug)]
pub struct Readiness {
    /// Navigation start to `body[data-ready="1"]`.
    pub ready_ms: f64,
    pub source: ReadySource,
    /// The HTML document fully received.
    pub html_response_end_ms: Option<f64>,
    pub dom_content_loaded_ms: Option<f64>,
    pub load_event_end_ms: Option<f64>,
    /// The `.wasm` module fully received, and its size on the wire (body bytes).
    pub wasm_response_end_ms: Option<f64>,
    pub wasm_bytes: Option<u64>,
}

impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match self.source {
            ReadySource::App => "app mark",
            ReadySource::Probe => "observed by a MutationObserver",
            ReadySource::Observed => "upper bound, polled",
        };
        write!(f, "ready after {:.1} ms ({source})", self.ready_ms)?;
        let ms = |v: Option<f64>| v.map_or_else(|| "?".to_string(), |v| format!("{v:.1} ms"));
        write!(
            f,
            "; HTML received {}, DOMContentLoaded {}, load {}, wasm received {}",
            ms(self.html_response_end_ms),
            ms(self.dom_content_loaded_ms),
            ms(self.load_event_end_ms),
            ms(self.wasm_response_end_ms),
        )?;
        if let Some(bytes) = self.wasm_bytes {
            write!(f, " ({:.1} kB)", bytes as f64 / 1024.0)?;
        }
        Ok(())
    }
}

const READ_SCRIPT: &str = r#"
const nav = performance.getEntriesByType('navigation')[0];
const wasm = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname.endsWith('.wasm'));
const num = (v) => (typeof v === 'number' && v > 0 ? v : null);
return {
  ready: !!document.body && document.body.dataset.ready === '1',
  app: typeof window.__cachelab_ready_ms === 'number' ? window.__cachelab_ready_ms : null,
  probe: typeof window.__e2e_ready_ms === 'number' ? window.__e2e_ready_ms : null,
  now: performance.now(),
  html: nav ? num(nav.responseEnd) : null,
  dcl: nav ? num(nav.domContentLoadedEventEnd) : null,
  load: nav ? num(nav.loadEventEnd) : null,
  wasm: wasm ? num(wasm.responseEnd) : null,
  wasm_bytes: wasm ? num(wasm.encodedBodySize) : null,
};
"#;

/// Reads the readiness timing of the current page, which must already be ready.
pub async fn read_readiness(client: &Client) -> Result<Readiness> {
    let v = js(client, READ_SCRIPT, vec![]).await?;
    if v["ready"] != Value::Bool(true) {
        return Err(Error::msg("read_readiness: the page isn't ready"));
    }
    let (ready_ms, source) = if let Some(ms) = v["app"].as_f64() {
        (ms, ReadySource::App)
    } else if let Some(ms) = v["probe"].as_f64() {
        (ms, ReadySource::Probe)
    } else {
        (v["now"].as_f64().unwrap_or(f64::NAN), ReadySource::Observed)
    };
    Ok(Readiness {
        ready_ms,
        source,
        html_response_end_ms: v["html"].as_f64(),
        dom_content_loaded_ms: v["dcl"].as_f64(),
        load_event_end_ms: v["load"].as_f64(),
        wasm_response_end_ms: v["wasm"].as_f64(),
        wasm_bytes: v["wasm_bytes"].as_f64().map(|b| b as u64),
    })
}

/// Navigates to `url`, waits for readiness and reads its timing.
pub async fn measure_readiness(client: &Client, url: &str) -> Result<Readiness> {
    open(client, url).await?;
    read_readiness(client).await
}

/// For `cargo xtask bench`: `runs` cold loads of the built site, each in a fresh
/// browser with an empty profile and cache (see [`in_fresh_browsers`]).
pub fn bench_readiness(setup: &Setup, runs: usize) -> Result<Vec<Readiness>> {
    in_fresh_browsers(setup, runs, async |client, url| {
        measure_readiness(client, url).await
    })
}
