//! cachelab-web: the browser app, a thin Yew shell around `cachelab-core`.
//!
//! The crate is split by what it may touch:
//! - Plain Rust, built and unit-tested on the host too: [`sandbox`] (engine + simulated
//!   clock + the console's client), [`clock`], [`history`], [`completion`], [`keys`]
//!   (the key panel's view model) and [`state`] (the reducers behind the components).
//! - wasm32 only, because they touch the DOM: `storage` (localStorage), `context` (the
//!   provider that shares the sandbox) and `components` (one Yew component per file).
//!
//! Invariant: UI state holds view models (rendered lines, history, notices), never
//! engine internals; the engine is reached only through the shared [`sandbox::Sandbox`].

pub mod clock;
pub mod completion;
pub mod history;
pub mod keys;
pub mod sandbox;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod context;
#[cfg(target_arch = "wasm32")]
mod storage;

#[cfg(target_arch = "wasm32")]
pub use components::app::App;

/// Mounts the app on `<body>`.
#[cfg(target_arch = "wasm32")]
pub fn run() {
    yew::Renderer::<App>::new().render();
}
