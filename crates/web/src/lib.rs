//! cachelab-web: the browser app, a thin Yew shell around `cachelab-core`.
//!
//! The crate is split by what it may touch:
//! - Plain Rust, built and unit-tested on the host too: [`sandbox`] (engine + simulated
//!   clock + the console's clients, one per tab), [`clock`], [`history`], [`completion`], [`keys`]
//!   (the key panel's view model), [`state`] (the reducers behind the components),
//!   [`content_types`] (the shapes of the lesson and quiz content, which the build
//!   script compiles into statics), [`lesson`] and [`quiz`] (their content as data,
//!   markup, "check my work" checks and the quiz's state machine), [`visualizer`] (the strategy simulator's form, run,
//!   charts and diagram, as view models).
//! - wasm32 only, because they touch the DOM: `storage` (localStorage), `context` (the
//!   provider that shares the sandbox), `components` (one Yew component per file) and
//!   the `view` modules of [`lesson`], [`quiz`] and [`visualizer`].
//!
//! Invariant: UI state holds view models (rendered lines, history, notices), never
//! engine internals; the engine is reached only through the shared [`sandbox::Sandbox`].

// The one module with `unsafe`: a global allocator can't be written without it.
#[allow(unsafe_code)]
mod alloc;
pub mod base64;
pub mod clock;
pub mod completion;
pub mod content_types;
pub mod history;
pub mod keys;
pub mod lesson;
pub mod quiz;
pub mod sandbox;
pub mod state;
pub mod visualizer;

#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod context;
#[cfg(target_arch = "wasm32")]
mod storage;

#[cfg(target_arch = "wasm32")]
pub use components::app::App;

/// Everything this crate links into (the site, its wasm tests and benches)
/// allocates through it.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: alloc::SmallBlocks = alloc::SmallBlocks::new();

/// Mounts the app on `<body>`.
#[cfg(target_arch = "wasm32")]
pub fn run() {
    yew::Renderer::<App>::new().render();
}
