//! The shapes of the page's content: the lesson (`content/lesson.json`), the quiz
//! (`content/quiz.json`) and the "check my work" checks both use.
//!
//! The build script (`build.rs`) includes this file too: it reads the JSON into these
//! types, so malformed content fails the build with the file, line and column, and
//! writes the values out as Rust statics ([`crate::lesson::content::lesson`],
//! [`crate::quiz::data::quiz`]). The wasm therefore carries the content as plain data,
//! with no JSON and no deserializer for it.
//!
//! [`Text`] and [`List`] wrap [`Cow`]s: borrowed from those statics in the app, owned
//! when a test builds content from JSON. Besides those two wrappers, this file holds
//! only the types and their derives; behaviour lives with the modules that use them
//! (`lesson::content`, `lesson::check`, `quiz::data`).
//!
//! Serialization keeps the Rust names (`rename_all(deserialize = ...)`), because the
//! build script serializes values as Rust source.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// Content text: borrowed from the compiled-in statics, owned when parsed from JSON.
/// Derefs to `str`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Text(pub Cow<'static, str>);

/// A list in content: borrowed from the compiled-in statics, owned when parsed from
/// JSON. Derefs to a slice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct List<T: Clone + 'static>(pub Cow<'static, [T]>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Cow::Owned(s.to_string()))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Cow::Owned(s))
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// Hashes and compares like the `str` it holds, so lists of texts `join`.
impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl<T: Clone> Default for List<T> {
    fn default() -> Self {
        List(Cow::Borrowed(&[]))
    }
}

impl<T: Clone> Deref for List<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<'a, T: Clone> IntoIterator for &'a List<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

// ---- the lesson ---------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub eyebrow: Text,
    pub title: Text,
    pub intro: List<Block>,
    /// The heading over the table of contents.
    pub contents_title: Text,
    pub sections: List<Section>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The element id, so `#strategies` links here.
    pub id: Text,
    pub title: Text,
    /// A few words for the table of contents.
    pub short: Text,
    pub blocks: List<Block>,
    pub exercise: Exercise,
}

/// A piece of a section, in reading order. In JSON each block is an object with one
/// key naming its kind: `{ "paragraph": "…" }`, `{ "table": { … } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "snake_case"), deny_unknown_fields)]
pub enum Block {
    Paragraph(Text),
    Lead(Text),
    List(List<Text>),
    Note(Note),
    /// Big numbers with a caption each.
    Stats(List<Stat>),
    /// Two panels side by side: before and after.
    Versus(Versus),
    Table(Table),
    Commands(List<Command>),
    /// A code sample with numbered steps, beside the commands each step sends.
    CodePair(CodePair),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    #[serde(default)]
    pub title: Option<Text>,
    pub text: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Versus {
    pub left: Panel,
    pub right: Panel,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub caption: Text,
    pub columns: List<Text>,
    pub rows: List<List<Text>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodePair {
    pub caption: Text,
    pub language: Text,
    pub code: List<Text>,
    pub steps: List<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stat {
    pub value: Text,
    pub label: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    pub title: Text,
    pub points: List<Text>,
    /// Whether this is the good outcome (drawn with the accent).
    #[serde(default)]
    pub good: bool,
}

/// Where a command line goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "snake_case"))]
pub enum Shell {
    /// The Redis console.
    #[default]
    Redis,
    /// The (imaginary) SQL database: shown, never run.
    Sql,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    pub line: Text,
    #[serde(default)]
    pub note: Option<Text>,
    /// False for commands the engine can't run yet; they are shown without a button.
    #[serde(default = "yes")]
    pub run: bool,
    #[serde(default)]
    pub shell: Shell,
    /// The console tab (`client 2`) it runs in, opened if needed; without it, the
    /// tab in front. Lets an example play two connections, such as a subscriber
    /// and a publisher.
    #[serde(default)]
    pub client: Option<u32>,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub number: u8,
    /// The code lines it covers, 1-based and inclusive.
    pub lines: [usize; 2],
    pub title: Text,
    pub text: Text,
    #[serde(default)]
    pub commands: List<Command>,
}

/// The guided exercise that closes a section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub title: Text,
    pub goal: Text,
    pub steps: List<Text>,
    #[serde(default)]
    pub hint: Option<Text>,
    pub checks: List<Check>,
    /// One way to do it, shown on request.
    pub solution: List<Text>,
}

// ---- checks ---------------------------------------------------------------------------

/// One condition on the engine: a read-only command and what its reply, formatted like
/// redis-cli prints it, must be. Exactly one of the `expect*` fields is set.
///
/// ```json
/// { "command": "TTL lb", "expect_range": [1, 60], "label": "lb expires within 60 s" }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// A console line, e.g. `ZCARD lb`.
    pub command: Text,
    /// What it verifies, in words: "lb holds three players".
    pub label: Text,
    /// The reply exactly: `zset`, `(integer) 3`, `"ada"`.
    #[serde(default)]
    pub expect: Option<Text>,
    /// An `(integer) n` reply with `lo <= n <= hi`.
    #[serde(default)]
    pub expect_range: Option<[i64; 2]>,
    /// A reply that contains this text.
    #[serde(default)]
    pub expect_contains: Option<Text>,
}

// ---- the quiz -------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub title: Text,
    pub intro: Text,
    pub questions: List<Question>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "snake_case"))]
pub enum Kind {
    /// One correct option (radio buttons).
    Single,
    /// One or more correct options (checkboxes); all of them, and only them, must be picked.
    Multiple,
    /// Done in the console, checked against the engine.
    Task,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: Text,
    pub kind: Kind,
    /// What the question covers, so tests can prove every lesson fact is asked about.
    pub topics: List<Text>,
    /// The lesson section the feedback links back to.
    pub section: Text,
    pub prompt: Text,
    #[serde(default)]
    pub options: List<Choice>,
    #[serde(default)]
    pub correct: List<Text>,
    #[serde(default)]
    pub checks: List<Check>,
    #[serde(default)]
    pub solution: List<Text>,
    pub explanation: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: Text,
    pub text: Text,
}
