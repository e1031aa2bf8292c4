//! The strategy visualizer: the page's "Strategies" section. It runs the core's
//! caching-strategy simulator (`cachelab_core::sim`) in the page, two strategies side
//! by side on the same requests, and shows an animated App → Cache → Database
//! diagram, metric charts drawn as SVG, and the log of the commands really sent.
//!
//! Plain Rust, tested on the host:
//! - [`params`]: the form (presets, strategies, every parameter, speed) and its
//!   conversion to a `SimConfig`;
//! - [`run`]: a run in progress, lanes stepped in lockstep, faults for all lanes;
//! - [`animate`]: the diagram's geometry and which requests get a dot;
//! - [`chart`]: chart scales and SVG path data;
//! - [`readout`]: the metric values and their test hooks;
//! - [`log`]: the command log's rows;
//! - [`format`]: numbers, latencies and times in words;
//! - [`warmup`]: the short runs played in idle time so the first real run is fast.
//!
//! wasm32 only: `view` (the components) drives a run from `requestAnimationFrame`.
//!
//! Test hooks: `sim-preset`, `sim-strategy`, `sim-compare`, `sim-speed` (selects),
//! `sim-run` (button), `sim-fault-restart`, `sim-fault-db-slow` (buttons),
//! `sim-metric-<hook>` / `sim-compare-metric-<hook>` (see [`readout`]), `sim-status`
//! (the sentence under the diagram), and on the section (`#visualizer`): `data-state`
//! (`idle`, `running`, `paused` or `done`), `data-run` (bumped by every Run, so a test
//! can wait for *its* run), `data-done` (requests handled) and `data-compute-ms` (real
//! time spent simulating) and `data-warmup` (`running`, `done` or `stopped`).
//!
//! Invariant: the view only reads `Simulation`s through [`run::Run`]; it never
//! touches the console's engine (log lines reach the console only when the learner
//! asks, through the console's own input).

pub mod animate;
pub mod chart;
pub mod format;
pub mod log;
pub mod params;
pub mod readout;
pub mod run;
pub mod warmup;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::Visualizer;
