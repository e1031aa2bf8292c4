//! The lesson: seven sections of prose, tables, runnable commands and a guided
//! exercise each, all read from `content/lesson.json`.
//!
//! - [`content`]: the data types and the embedded lesson;
//! - [`markup`]: the tiny inline markup content strings use (rendered as text nodes);
//! - [`check`]: "check my work" — checks as data, evaluated with read-only commands
//!   against the engine's real state;
//! - `view` (wasm32 only): the components. ▶ run buttons go through the console's
//!   driver (`components::console_driver`), so a run looks exactly like typing.
//!
//! Invariant: no lesson text lives in Rust code, and content is never parsed as HTML.

pub mod check;
pub mod content;
pub mod markup;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub(crate) use view::scroll_to_fragment;
#[cfg(target_arch = "wasm32")]
pub use view::{check_list, rich, Lesson, RunnableLine};

#[cfg(test)]
pub(crate) mod tests;
