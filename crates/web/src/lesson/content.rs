//! The lesson as data: `content/lesson.json`, compiled into a Rust static by the build
//! script (see [`crate::content_types`]). Components render these types; no lesson
//! prose lives in Rust code.
//!
//! Text fields use the inline markup of [`super::markup`]. Commands marked runnable get
//! a ▶ run button that types them into the console; tests run every one of them on a
//! fresh engine, in page order, and require a non-error reply.

pub use crate::content_types::{
    Block, CodePair, Command, Exercise, Lesson, List, Note, Panel, Section, Shell, Stat, Step,
    Table, Text, Versus,
};

mod generated {
    use std::borrow::Cow;

    use crate::content_types::*;

    include!(concat!(env!("OUT_DIR"), "/lesson.rs"));
}

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

impl Command {
    /// Whether the view gives it a ▶ run button.
    pub fn runnable(&self) -> bool {
        self.run && self.shell == Shell::Redis
    }
}

impl Lesson {
    /// A lesson from JSON (the build script does this for the page; tests for variants).
    #[cfg(test)]
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
            out.extend(ex.steps.iter().map(Text::as_str));
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
            Block::List(items) => items.iter().map(Text::as_str).collect(),
            Block::Stats(items) => items.iter().map(|s| s.label.as_str()).collect(),
            Block::Versus(v) => v
                .left
                .points
                .iter()
                .chain(&v.right.points)
                .map(Text::as_str)
                .collect(),
            Block::Table(t) => t.rows.iter().flatten().map(Text::as_str).collect(),
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

/// The lesson.
pub fn lesson() -> &'static Lesson {
    &generated::LESSON
}
