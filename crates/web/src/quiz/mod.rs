//! The quiz that closes the lesson: questions from `content/quiz.json`, one at a time,
//! with locked answers, immediate feedback linking back to the lesson, a score, a
//! review of mistakes, and progress saved in localStorage (`cachelab.quiz.v1`).
//!
//! - [`data`]: the question types and the embedded quiz;
//! - [`shuffle`]: seeded option order;
//! - [`progress`]: the pure state machine and its saved form;
//! - `view` (wasm32 only): the components. Hands-on tasks are checked with
//!   [`crate::lesson::check`] against the console's engine.

pub mod data;
pub mod progress;
pub mod shuffle;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::Quiz;

#[cfg(test)]
mod tests;
