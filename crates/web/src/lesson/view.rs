//! The lesson's components: the intro and table of contents, one `<section>` per
//! chapter (linkable by id), commands with ▶ run buttons, the Python-beside-Redis code
//! sample, and each chapter's exercise with "check my work". All text is rendered as
//! text nodes through [`rich`].

use std::borrow::Cow;

use yew::html::IntoPropValue;
use yew::prelude::*;

use super::check::{all_passed, evaluate, probe, summary, CheckOutcome};
use super::content::{self, Block, CodePair, Command, Section, Shell, Table, Text};
use super::markup::{self, Span};
use crate::components::console_driver::use_console_mailbox;
use crate::context::use_sandbox;

/// Content text with its inline markup, as text nodes and a few inline elements.
pub fn rich(text: &str) -> Html {
    markup::parse(text)
        .into_iter()
        .map(|span| match span {
            Span::Text(t) => html! { { t } },
            Span::Code(t) => html! { <code>{ t }</code> },
            Span::Strong(t) => html! { <strong>{ t }</strong> },
            Span::Key(t) => html! { <kbd>{ t }</kbd> },
            Span::Link { label, href } => html! { <a href={href}>{ label }</a> },
        })
        .collect()
}

/// Content text as an attribute or prop value: the compiled-in content is `'static`,
/// so it is shared, not copied.
impl IntoPropValue<AttrValue> for &Text {
    fn into_prop_value(self) -> AttrValue {
        match &self.0 {
            Cow::Borrowed(text) => AttrValue::Static(text),
            Cow::Owned(text) => AttrValue::from(text.clone()),
        }
    }
}

impl IntoPropValue<Option<AttrValue>> for &Text {
    fn into_prop_value(self) -> Option<AttrValue> {
        Some(self.into_prop_value())
    }
}

/// Scrolls to the element named in the URL's `#fragment`: the browser tried before the
/// app had rendered it. With `within` (a CSS selector), only when that element is
/// inside an element it matches: the parts of the page that mount after the first paint.
pub(crate) fn scroll_to_fragment(within: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = window.location().hash().unwrap_or_default();
    let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) else {
        return;
    };
    let Some(target) = window.document().and_then(|d| d.get_element_by_id(id)) else {
        return;
    };
    let inside = within.is_none_or(|scope| target.closest(scope).ok().flatten().is_some());
    if inside {
        target.scroll_into_view();
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonProps {}

/// The lesson's intro, contents and sections (the page's `#lesson` column holds it).
#[component]
pub fn Lesson(_props: &LessonProps) -> Html {
    use_effect_with((), |_| scroll_to_fragment(None));
    let lesson = content::lesson();
    html! {
        <>
            <header class="lesson-intro">
                <p class="eyebrow">{ lesson.eyebrow.as_str() }</p>
                <h1 id="lesson-title">{ lesson.title.as_str() }</h1>
                { for lesson.intro.iter().map(block) }
            </header>
            <nav class="lesson-toc" aria-labelledby="lesson-toc-title">
                <h2 id="lesson-toc-title" class="toc-title">{ lesson.contents_title.as_str() }</h2>
                <ol class="toc-list">
                    { for lesson.sections.iter().enumerate().map(|(i, s)| html! {
                        <li>
                            <a href={format!("#{}", s.id)}>
                                <span class="toc-num" aria-hidden="true">{ i + 1 }</span>
                                { s.short.as_str() }
                            </a>
                        </li>
                    }) }
                    <li>
                        <a href="#quiz">
                            <span class="toc-num toc-num-quiz" aria-hidden="true">{ "?" }</span>
                            { "Quiz" }
                        </a>
                    </li>
                </ol>
            </nav>
            { for lesson.sections.iter().enumerate().map(|(i, s)| section(i + 1, s)) }
        </>
    }
}

fn section(number: usize, s: &'static Section) -> Html {
    let title_id = format!("{}-title", s.id);
    html! {
        <section id={&s.id} class="lesson-section" aria-labelledby={title_id.clone()}>
            <h2 id={title_id} class="section-title">
                <span class="section-num" aria-hidden="true">{ number }</span>
                <span>{ s.title.as_str() }</span>
            </h2>
            { for s.blocks.iter().map(block) }
            <Exercise section={s.id.as_str()} exercise={&s.exercise} />
        </section>
    }
}

fn block(b: &'static Block) -> Html {
    match b {
        Block::Paragraph(text) => html! { <p>{ rich(text) }</p> },
        Block::Lead(text) => html! { <p class="lead">{ rich(text) }</p> },
        Block::List(items) => html! {
            <ul class="lesson-list">{ for items.iter().map(|i| html! { <li>{ rich(i) }</li> }) }</ul>
        },
        Block::Note(note) => html! {
            <aside class="lesson-note">
                if let Some(title) = &note.title {
                    <p class="note-title">{ title.as_str() }</p>
                }
                <p>{ rich(&note.text) }</p>
            </aside>
        },
        Block::Stats(items) => html! {
            <dl class="stats">
                { for items.iter().map(|s| html! {
                    <div class="stat">
                        <dt class="stat-value">{ s.value.as_str() }</dt>
                        <dd class="stat-label">{ rich(&s.label) }</dd>
                    </div>
                }) }
            </dl>
        },
        Block::Versus(v) => html! {
            <div class="versus">
                { for [&v.left, &v.right].into_iter().map(|p| html! {
                    <div class={classes!("versus-panel", p.good.then_some("versus-good"))}>
                        <h3 class="versus-title">{ p.title.as_str() }</h3>
                        <ul>{ for p.points.iter().map(|t| html! { <li>{ rich(t) }</li> }) }</ul>
                    </div>
                }) }
            </div>
        },
        Block::Table(t) => table(t),
        Block::Commands(items) => html! {
            <ul class="cmd-list">
                { for items.iter().map(command_row) }
            </ul>
        },
        Block::CodePair(pair) => code_pair(pair),
    }
}

fn table(t: &'static Table) -> Html {
    html! {
        <div class="table-wrap">
            <table class="lesson-table" data-cols={t.columns.len().to_string()}>
                <caption>{ t.caption.as_str() }</caption>
                <thead>
                    <tr>{ for t.columns.iter().map(|c| html! { <th scope="col">{ c.as_str() }</th> }) }</tr>
                </thead>
                <tbody>
                    { for t.rows.iter().map(|row| html! {
                        <tr>
                            { for row.iter().enumerate().map(|(i, cell)| if i == 0 {
                                html! { <th scope="row">{ rich(cell) }</th> }
                            } else {
                                let label: Option<AttrValue> = t.columns.get(i).map(|c| c.into_prop_value());
                                html! { <td data-label={label}>{ rich(cell) }</td> }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn code_pair(pair: &'static CodePair) -> Html {
    let steps = &pair.steps;
    let step_at = |line: usize| steps.iter().find(|s| s.lines[0] == line).map(|s| s.number);
    let in_step = |line: usize| {
        steps
            .iter()
            .find(|s| s.lines[0] <= line && line <= s.lines[1])
            .map(|s| s.number)
    };
    let language = &pair.language;
    html! {
        <figure class="code-pair">
            <figcaption>{ pair.caption.as_str() }</figcaption>
            <div class="code-pair-body">
                <div class="code-panel">
                    <p class="code-lang">{ language.as_str() }</p>
                    <pre class="code" tabindex="0" aria-label={format!("{language} code")}><code>
                        { for pair.code.iter().enumerate().map(|(i, text)| {
                            let line = i + 1;
                            let step = in_step(line);
                            html! {
                                <span class={classes!("code-line", step.map(|n| format!("code-step-{n}")))}>
                                    <span class="code-gutter" aria-hidden="true">
                                        if let Some(n) = step_at(line) {
                                            <span class="step-badge">{ n }</span>
                                        }
                                    </span>
                                    <span class="code-text">{ format!("{text}\n") }</span>
                                </span>
                            }
                        }) }
                    </code></pre>
                </div>
                <ol class="code-steps" aria-label="What it sends">
                    { for steps.iter().map(|s| html! {
                        <li class="code-step">
                            <p class="code-step-head">
                                <span class="step-badge" aria-hidden="true">{ s.number }</span>
                                <strong>{ s.title.as_str() }</strong>
                            </p>
                            <p class="code-step-text">{ rich(&s.text) }</p>
                            <ul class="cmd-list cmd-list-tight">
                                { for s.commands.iter().map(command_row) }
                            </ul>
                        </li>
                    }) }
                </ol>
            </div>
        </figure>
    }
}

/// A command from the content: its line, ▶ run button (or why it has none) and note.
fn command_row(c: &'static Command) -> Html {
    html! {
        <RunnableLine
            line={c.line.as_str()}
            note={c.note.as_deref()}
            runnable={c.runnable()}
            sql={c.shell == Shell::Sql}
            client={c.client}
        />
    }
}

#[derive(Properties, PartialEq)]
pub struct RunnableLineProps {
    pub line: AttrValue,
    #[prop_or_default]
    pub note: Option<AttrValue>,
    #[prop_or(true)]
    pub runnable: bool,
    #[prop_or_default]
    pub sql: bool,
    /// The console tab it runs in; `None` for the tab in front.
    #[prop_or_default]
    pub client: Option<u32>,
}

/// A command line with its ▶ run button, which types it into the console and runs it
/// (in the tab it names, if any).
/// What it printed is repeated under it (shown only in the stacked phone layout, where
/// the console is far below).
#[component]
pub fn RunnableLine(props: &RunnableLineProps) -> Html {
    let mailbox = use_console_mailbox();
    let reply = use_state(|| None::<String>);
    let onclick = {
        let line = props.line.clone();
        let reply = reply.clone();
        let client = props.client;
        Callback::from(move |_: MouseEvent| {
            if let Some(mailbox) = &mailbox {
                let reply = reply.clone();
                let on_reply = Callback::from(move |text: Option<String>| {
                    reply.set(Some(text.unwrap_or_default()));
                });
                mailbox.send(line.to_string(), client, Some(on_reply));
            }
        })
    };
    let shell = if props.sql { "sql" } else { "redis" };
    html! {
        <li class={classes!("cmd", props.sql.then_some("cmd-sql"), (!props.runnable).then_some("cmd-static"))}>
            <div class="cmd-line">
                <span class="cmd-shell" aria-hidden="true">{ if props.sql { "sql>" } else { ">" } }</span>
                <code class="cmd-code" data-shell={shell}>{ props.line.clone() }</code>
                if let (Some(n), true) = (props.client, props.runnable) {
                    <span class="cmd-client" title={format!("Runs in the console's client {n} tab")}>
                        { format!("client {n}") }
                    </span>
                }
                if props.runnable {
                    <button type="button" class="btn btn-run" data-testid="lesson-run"
                        data-command={props.line.clone()}
                        data-client={props.client.map(|n| n.to_string())}
                        aria-label={match props.client {
                            Some(n) => format!("Run {} in the console's client {n}", props.line),
                            None => format!("Run {} in the console", props.line),
                        }}
                        {onclick}>
                        <span aria-hidden="true">{ "▶" }</span>{ " run" }
                    </button>
                } else if !props.sql {
                    <span class="cmd-tag" title="The engine doesn't implement this command yet">{ "not yet" }</span>
                }
            </div>
            if let Some(note) = &props.note {
                <p class="cmd-note">{ rich(note) }</p>
            }
            if let Some(text) = &*reply {
                <pre class="cmd-reply" aria-label="What the console printed">{ text.clone() }</pre>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct ExerciseProps {
    pub section: &'static str,
    pub exercise: &'static content::Exercise,
}

/// A chapter's guided exercise: goal, steps, hint and solution on request, and
/// "check my work", which runs its read-only checks against the console's engine.
#[component]
pub fn Exercise(props: &ExerciseProps) -> Html {
    let sandbox = use_sandbox();
    let outcomes = use_state(|| None::<Vec<CheckOutcome>>);
    let ex = props.exercise;
    let onclick = {
        let outcomes = outcomes.clone();
        Callback::from(move |_: MouseEvent| {
            let result = sandbox.inspect(|engine, db, now| {
                evaluate(&ex.checks, |line| probe(engine, db, now, line))
            });
            outcomes.set(Some(result));
        })
    };
    let title_id = format!("{}-exercise", props.section);
    let state = match &*outcomes {
        None => "unchecked",
        Some(o) if all_passed(o) => "pass",
        Some(_) => "fail",
    };
    html! {
        <aside class="exercise" aria-labelledby={title_id.clone()} data-exercise={props.section}>
            <p class="exercise-kicker">{ "Exercise" }</p>
            <h3 id={title_id} class="exercise-title">{ ex.title.as_str() }</h3>
            <p class="exercise-goal">{ rich(&ex.goal) }</p>
            <ol class="exercise-steps">
                { for ex.steps.iter().map(|s| html! { <li>{ rich(s) }</li> }) }
            </ol>
            <div class="exercise-more">
                if let Some(hint) = &ex.hint {
                    <details>
                        <summary>{ "Hint" }</summary>
                        <p>{ rich(hint) }</p>
                    </details>
                }
                <details>
                    <summary>{ "Show a solution" }</summary>
                    <ul class="cmd-list cmd-list-tight">
                        { for ex.solution.iter().map(|line| html! {
                            <RunnableLine line={line} />
                        }) }
                    </ul>
                </details>
            </div>
            <div class="exercise-actions">
                <button type="button" class="btn btn-primary" data-testid="lesson-check" {onclick}>
                    { "Check my work" }
                </button>
                <p class={classes!("check-summary", format!("check-{state}"))}
                    data-testid="lesson-check-result" data-state={state} role="status">
                    if let Some(o) = &*outcomes {
                        <span class="check-icon" aria-hidden="true">{ if all_passed(o) { "✓" } else { "✗" } }</span>
                        { summary(o) }
                        { if all_passed(o) { " Nicely done." } else { " Adjust the keys and check again." } }
                    }
                </p>
            </div>
            if let Some(o) = &*outcomes {
                { check_list(o) }
            }
        </aside>
    }
}

/// Each check with its verdict, the command that was run and what it replied.
pub fn check_list(outcomes: &[CheckOutcome]) -> Html {
    html! {
        <ul class="check-list">
            { for outcomes.iter().map(|o| html! {
                <li class={classes!("check-item", if o.passed { "check-pass" } else { "check-fail" })}>
                    <span class="check-icon" aria-hidden="true">{ if o.passed { "✓" } else { "✗" } }</span>
                    <span class="check-body">
                        <span class="check-label">
                            <span class="visually-hidden">{ if o.passed { "Passed: " } else { "Failed: " } }</span>
                            { o.label.as_str() }
                        </span>
                        <span class="check-detail">
                            <code>{ o.command.as_str() }</code>
                            { " → " }
                            <code>{ o.reply.as_str() }</code>
                            if !o.passed {
                                { format!(" (expected {})", o.expected) }
                            }
                        </span>
                    </span>
                </li>
            }) }
        </ul>
    }
}
