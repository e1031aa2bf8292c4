//! The quiz as data: `content/quiz.json`, compiled into a Rust static by the build
//! script (see [`crate::content_types`]). Choice questions name their correct options;
//! hands-on tasks carry [`Check`](crate::lesson::check::Check)s that are evaluated
//! against the console's engine, plus one sample solution.

use crate::content_types::Text;
pub use crate::content_types::{Choice, Kind, Question, Quiz};

mod generated {
    use std::borrow::Cow;

    use crate::content_types::*;

    include!(concat!(env!("OUT_DIR"), "/quiz.rs"));
}

impl Question {
    /// Whether `selected` is exactly the set of correct options.
    pub fn is_right(&self, selected: &[String]) -> bool {
        let mut picked: Vec<&str> = selected.iter().map(String::as_str).collect();
        let mut right: Vec<&str> = self.correct.iter().map(Text::as_str).collect();
        picked.sort_unstable();
        picked.dedup();
        right.sort_unstable();
        !right.is_empty() && picked == right
    }

    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.options.iter().find(|c| c.id == id)
    }

    /// The texts of the correct options, in data order.
    pub fn correct_texts(&self) -> Vec<&str> {
        self.options
            .iter()
            .filter(|c| self.correct.contains(&c.id))
            .map(|c| c.text.as_str())
            .collect()
    }
}

impl Quiz {
    /// A quiz from JSON (the build script does this for the page; tests for variants).
    #[cfg(test)]
    pub fn parse(json: &str) -> Result<Quiz, String> {
        serde_json::from_str(json).map_err(|e| format!("quiz.json: {e}"))
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }
}

/// The quiz.
pub fn quiz() -> &'static Quiz {
    &generated::QUIZ
}
