//! The lesson as data: `content/lesson.json`, embedded at build time and parsed once.
//! Components render these types; no lesson prose lives in Rust code.
//!
//! Text fields use the inline markup of [`super::markup`]. Commands marked runnable get
//! a ▶ run button that types them into the console; tests run every one of them on a
//! fresh engine, in page order, and require a non-error reply.

use std::sync::OnceLock;

use serde::Deserialize;

use super::check::Check;

const SOURCE: &str = include_str!("../../content/lesson.json");

/// The section ids other parts of the page (the quiz, the header) link to.
pub const SECTION_IDS: [&str; 7] = [
    "why-cache",
    "redis-vs-memcached",
    "strategies",
    "cache-aside-code",
    "leaderboards",
    "pubsub",
    "ttl",
];

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub eyebrow: String,
    pub title: String,
    pub intro: Vec<Block>,
    /// The heading over the table of contents.
    pub contents_title: String,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The element id, so `#strategies` links here.
    pub id: String,
    pub title: String,
    /// A few words for the table of contents.
    pub short: String,
    pub blocks: Vec<Block>,
    pub exercise: Exercise,
}

/// A piece of a section, in reading order. In JSON each block is an object with one
/// key naming its kind: `{ "paragraph": "…" }`, `{ "table": { … } }`. (This shape
/// needs far less deserialization code in the wasm than a `"kind"` field would.)
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    Paragraph(String),
    Lead(String),
    List(Vec<String>),
    Note(Note),
    /// Big numbers with a caption each.
    Stats(Vec<Stat>),
    /// Two panels side by side: before and after.
    Versus(Versus),
    Table(Table),
    Commands(Vec<Command>),
    /// A code sample with numbered steps, beside the commands each step sends.
    CodePair(CodePair),
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    #[serde(default)]
    pub title: Option<String>,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Versus {
    pub left: Panel,
    pub right: Panel,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodePair {
    pub caption: String,
    pub language: String,
    pub code: Vec<String>,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stat {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    pub title: String,
    pub points: Vec<String>,
    /// Whether this is the good outcome (drawn with the accent).
    #[serde(default)]
    pub good: bool,
}

/// Where a command line goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shell {
    /// The Redis console.
    #[default]
    Redis,
    /// The (imaginary) SQL database: shown, never run.
    Sql,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    pub line: String,
    #[serde(default)]
    pub note: Option<String>,
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

impl Command {
    /// Whether the view gives it a ▶ run button.
    pub fn runnable(&self) -> bool {
        self.run && self.shell == Shell::Redis
    }
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub number: u8,
    /// The code lines it covers, 1-based and inclusive.
    pub lines: [usize; 2],
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub commands: Vec<Command>,
}

/// The guided exercise that closes a section.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub title: String,
    pub goal: String,
    pub steps: Vec<String>,
    #[serde(default)]
    pub hint: Option<String>,
    pub checks: Vec<Check>,
    /// One way to do it, shown on request.
    pub solution: Vec<String>,
}

impl Lesson {
    pub fn parse(json: &str) -> Result<Lesson, String> {
        serde_json::from_str(json).map_err(|e| format!("lesson.json: {e}"))
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Every command the page shows, in page order, with the section it's in.
    pub fn commands(&self) -> Vec<(&str, &Command)> {
        let mut out = Vec::new();
        for section in &self.sections {
            for block in &section.blocks {
                match block {
                    Block::Commands(items) => {
                        out.extend(items.iter().map(|c| (section.id.as_str(), c)));
                    }
                    Block::CodePair(pair) => {
                        for step in &pair.steps {
                            out.extend(step.commands.iter().map(|c| (section.id.as_str(), c)));
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// Every string that may hold inline markup, for link checks.
    pub fn texts(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.intro.iter().flat_map(Block::texts).collect();
        for section in &self.sections {
            out.extend(section.blocks.iter().flat_map(Block::texts));
            let ex = &section.exercise;
            out.push(&ex.goal);
            out.extend(ex.steps.iter().map(String::as_str));
            out.extend(ex.hint.as_deref());
        }
        out
    }
}

impl Block {
    fn texts(&self) -> Vec<&str> {
        match self {
            Block::Paragraph(text) | Block::Lead(text) => vec![text],
            Block::Note(note) => vec![&note.text],
            Block::List(items) => items.iter().map(String::as_str).collect(),
            Block::Stats(items) => items.iter().map(|s| s.label.as_str()).collect(),
            Block::Versus(v) => v
                .left
                .points
                .iter()
                .chain(&v.right.points)
                .map(String::as_str)
                .collect(),
            Block::Table(t) => t.rows.iter().flatten().map(String::as_str).collect(),
            Block::Commands(items) => items.iter().filter_map(|c| c.note.as_deref()).collect(),
            Block::CodePair(pair) => pair
                .steps
                .iter()
                .flat_map(|s| {
                    std::iter::once(s.text.as_str())
                        .chain(s.commands.iter().filter_map(|c| c.note.as_deref()))
                })
                .collect(),
        }
    }
}

/// The embedded lesson, parsed on first use.
pub fn lesson() -> Result<&'static Lesson, &'static str> {
    static LESSON: OnceLock<Result<Lesson, String>> = OnceLock::new();
    LESSON
        .get_or_init(|| Lesson::parse(SOURCE))
        .as_ref()
        .map_err(String::as_str)
}
