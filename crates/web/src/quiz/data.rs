//! The quiz as data: `content/quiz.json`, embedded at build time and parsed once.
//! Choice questions name their correct options; hands-on tasks carry [`Check`]s that
//! are evaluated against the console's engine, plus one sample solution.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::lesson::check::Check;

const SOURCE: &str = include_str!("../../content/quiz.json");

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub title: String,
    pub intro: String,
    pub questions: Vec<Question>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// One correct option (radio buttons).
    Single,
    /// One or more correct options (checkboxes); all of them, and only them, must be picked.
    Multiple,
    /// Done in the console, checked against the engine.
    Task,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: Kind,
    /// What the question covers, so tests can prove every lesson fact is asked about.
    pub topics: Vec<String>,
    /// The lesson section the feedback links back to.
    pub section: String,
    pub prompt: String,
    #[serde(default)]
    pub options: Vec<Choice>,
    #[serde(default)]
    pub correct: Vec<String>,
    #[serde(default)]
    pub checks: Vec<Check>,
    #[serde(default)]
    pub solution: Vec<String>,
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub text: String,
}

impl Question {
    /// Whether `selected` is exactly the set of correct options.
    pub fn is_right(&self, selected: &[String]) -> bool {
        let mut picked: Vec<&str> = selected.iter().map(String::as_str).collect();
        let mut right: Vec<&str> = self.correct.iter().map(String::as_str).collect();
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
    pub fn parse(json: &str) -> Result<Quiz, String> {
        serde_json::from_str(json).map_err(|e| format!("quiz.json: {e}"))
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }
}

/// The embedded quiz, parsed on first use.
pub fn quiz() -> Result<&'static Quiz, &'static str> {
    static QUIZ: OnceLock<Result<Quiz, String>> = OnceLock::new();
    QUIZ.get_or_init(|| Quiz::parse(SOURCE))
        .as_ref()
        .map_err(String::as_str)
}
