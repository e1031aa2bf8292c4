//! Content tests: the lesson parses, every runnable command really runs in the engine,
//! links resolve, and every exercise's checks pass on a right state and fail on wrong
//! ones built by running commands on a fresh `cachelab_core::Engine`.

use std::collections::HashSet;

use cachelab_core::{cli, Engine};

use super::check::{evaluate, probe, Check, CheckOutcome};
use super::content::{lesson, Block, Lesson, Shell, Text, SECTION_IDS};
use super::markup;
use crate::clock::Clock;
use crate::sandbox::{Delivery, LineOutcome, Sandbox, MAX_CLIENTS};

const NOW: u64 = 1_700_000_000_000_000;

fn the_lesson() -> &'static Lesson {
    lesson()
}

/// The build script compiled content/lesson.json into the static the page uses.
#[test]
fn the_compiled_lesson_is_the_json() {
    let parsed =
        Lesson::parse(include_str!("../../content/lesson.json")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&parsed, the_lesson());
}

/// A fresh engine after running `lines` on one client at [`NOW`].
pub(crate) fn engine_after(lines: &[&str]) -> Engine {
    let mut engine = Engine::new();
    let mut client = engine.new_client();
    for line in lines {
        let argv = cli::tokenize(line).unwrap_or_else(|_| panic!("bad line {line}"));
        let reply = cli::format_reply(&engine.execute(&mut client, argv, NOW));
        assert!(!reply.starts_with("(error)"), "`{line}` failed: {reply}");
    }
    engine
}

pub(crate) fn outcomes(checks: &[Check], lines: &[&str]) -> Vec<CheckOutcome> {
    let mut engine = engine_after(lines);
    evaluate(checks, |line| probe(&mut engine, 0, NOW, line))
}

/// The contract of a hands-on check list: `solution` passes every check; the empty
/// keyspace fails; every wrong state fails; and every single check is failed by at
/// least one wrong state (so no check is dead weight).
pub(crate) fn assert_checks_exercised(
    what: &str,
    checks: &[Check],
    solution: &[Text],
    wrong_states: &[&[&str]],
) {
    assert!(!checks.is_empty(), "{what}: no checks");
    for check in checks {
        check
            .expectation()
            .unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    let solution: Vec<&str> = solution.iter().map(Text::as_str).collect();
    let right = outcomes(checks, &solution);
    assert!(
        right.iter().all(|o| o.passed),
        "{what}: the solution fails: {right:#?}"
    );
    let empty = outcomes(checks, &[]);
    assert!(
        empty.iter().any(|o| !o.passed),
        "{what}: an empty keyspace passes"
    );
    assert!(
        !wrong_states.is_empty(),
        "{what}: no wrong states to test against"
    );
    let mut failed_somewhere = vec![false; checks.len()];
    for state in wrong_states {
        let result = outcomes(checks, state);
        assert!(
            result.iter().any(|o| !o.passed),
            "{what}: the wrong state {state:?} passes every check"
        );
        for (i, o) in result.iter().enumerate() {
            failed_somewhere[i] |= !o.passed;
        }
    }
    for (i, failed) in failed_somewhere.iter().enumerate() {
        assert!(
            failed,
            "{what}: no wrong state fails the check `{}`",
            checks[i].command
        );
    }
}

/// Wrong engine states per exercise (by section id).
fn wrong_states(section: &str) -> &'static [&'static [&'static str]] {
    match section {
        "why-cache" => &[
            &["SET page:about x"],
            &["SET page:about x EX 300"],
            &["RPUSH page:about x", "EXPIRE page:about 30"],
        ],
        "redis-vs-memcached" => &[
            &["RPUSH recent:views home pricing"],
            &["SET recent:views 'home pricing docs'"],
        ],
        "strategies" => &[
            &["SET stock:8 5"],
            &["SET stock:8 4", "RPUSH db:pending stock:8"],
            &["SET stock:8 5", "RPUSH db:pending stock:7"],
        ],
        "cache-aside-code" => &[
            &["SET user:7 '{\"id\":7,\"name\":\"Grace\"}'"],
            &["SETEX user:7 300 '{\"id\":7,\"name\":\"Ada\"}'"],
            &["HSET user:7 name Grace", "EXPIRE user:7 300"],
        ],
        "leaderboards" => &[
            &["ZADD scores:arcade 1 mario 2 luigi 3 peach"],
            &["ZADD scores:arcade 9 mario 2 luigi"],
            &["SADD scores:arcade mario luigi peach"],
        ],
        "pubsub" => &[
            &["LPUSH inbox:grace one"],
            &["SET inbox:grace one"],
            &[concat!(
                "LPUSH inbox:grace 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 ",
                "25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51"
            )],
        ],
        "ttl" => &[
            &["SET config:flags on", "SET config:static v1"],
            &["SET config:flags on EX 60", "SET config:static v1 EX 100"],
            &["SET config:flags on EX 600", "SET config:static v1"],
        ],
        _ => &[],
    }
}

#[test]
fn the_lesson_parses_with_the_linkable_sections_in_order() {
    let lesson = the_lesson();
    let ids: Vec<&str> = lesson.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, SECTION_IDS);
    for section in &lesson.sections {
        assert!(!section.title.is_empty() && !section.short.is_empty());
        assert!(!section.blocks.is_empty(), "{} has no content", section.id);
    }
}

/// Runs every runnable command in page order the way the ▶ run buttons do: in the tab
/// it names (opened if needed), else in the tab in front. Returns each command's
/// printout, with what other tabs received meanwhile, and fails on any error.
fn run_the_lesson() -> Vec<(String, String, Vec<Delivery>)> {
    let mut sandbox = Sandbox::new(Engine::new(), Clock::default());
    let mut waiting: Vec<(u32, String)> = Vec::new();
    let mut log = Vec::new();
    for (section, command) in the_lesson().commands() {
        if !command.runnable() {
            continue;
        }
        if let Some(client) = command.client {
            assert!(
                sandbox.ensure_client(client),
                "{section}: `{}` can't open client {client}",
                command.line
            );
        }
        let printed = match sandbox.run_line(&command.line, NOW) {
            LineOutcome::Reply(reply) | LineOutcome::Restarted(reply) => reply,
            LineOutcome::Blocked(before) => {
                waiting.push((sandbox.active(), command.line.to_string()));
                before
            }
            other => panic!(
                "{section}: `{}` didn't reach the engine: {other:?}",
                command.line
            ),
        };
        assert!(
            !printed.starts_with("(error)"),
            "{section}: `{}` → {printed}",
            command.line
        );
        let delivered = sandbox.take_output();
        for delivery in &delivered {
            if let Delivery::Reply { client, text, done } = delivery {
                assert!(
                    !text.contains("(error)"),
                    "{section}: client {client} got {text}"
                );
                if *done {
                    waiting.retain(|(c, _)| c != client);
                }
            }
        }
        log.push((section.to_string(), printed, delivered));
    }
    assert!(
        waiting.is_empty(),
        "lines still waiting at the end of the lesson: {waiting:?}"
    );
    log
}

#[test]
fn every_runnable_command_works_in_the_engine_in_page_order() {
    let ran = run_the_lesson().len();
    assert!(ran >= 20, "only {ran} runnable commands");
}

#[test]
fn the_lock_script_releases_the_lock_for_its_owner_only() {
    let lines: Vec<String> = the_lesson()
        .commands()
        .into_iter()
        .filter(|(_, c)| c.runnable())
        .map(|(_, c)| c.line.to_string())
        .collect();
    let printed: Vec<String> = lines
        .iter()
        .zip(run_the_lesson())
        .filter(|(line, _)| line.starts_with("EVAL ") && line.contains("lock:report"))
        .map(|(_, (_, printed, _))| printed)
        .collect();
    assert_eq!(printed, ["(integer) 0", "(integer) 1"]);
}

#[test]
fn the_pubsub_examples_play_between_clients() {
    let pubsub: Vec<_> = run_the_lesson()
        .into_iter()
        .filter(|(section, ..)| section == "pubsub")
        .collect();
    let printed: Vec<&str> = pubsub.iter().map(|(_, p, _)| p.as_str()).collect();
    assert!(
        printed[0].starts_with("Reading messages... (press Ctrl-C to quit)\n1) \"subscribe\""),
        "{printed:?}"
    );
    assert_eq!(
        printed[1], "(integer) 1",
        "one subscriber heard the PUBLISH"
    );
    assert_eq!(
        pubsub[1].2,
        [Delivery::Message {
            client: 2,
            text: "1) \"message\"\n2) \"orders:new\"\n3) \"order 1042 paid\"".into()
        }]
    );
    let (_, served_by, _) = pubsub
        .iter()
        .find(|(_, _, delivered)| {
            delivered
                .iter()
                .any(|d| matches!(d, Delivery::Reply { client: 3, .. }))
        })
        .expect("the worker in client 3 is served");
    assert_eq!(served_by, "(integer) 1", "the RPUSH that served it");
    let served = pubsub
        .iter()
        .flat_map(|(_, _, d)| d)
        .find(|d| matches!(d, Delivery::Reply { .. }));
    assert_eq!(
        served,
        Some(&Delivery::Reply {
            client: 3,
            text: "1) \"jobs:email\"\n2) \"welcome mail for ada\"".into(),
            done: true
        })
    );
}

#[test]
fn commands_name_clients_the_console_can_open() {
    for (section, command) in the_lesson().commands() {
        if let Some(client) = command.client {
            assert!(
                (1..=MAX_CLIENTS as u32).contains(&client) && command.runnable(),
                "{section}: `{}` names client {client}",
                command.line
            );
        }
    }
}

#[test]
fn commands_shown_without_a_run_button_really_cant_run_yet() {
    // When this fails, the engine learned the command: give it its ▶ run button
    // (drop `"run": false` in lesson.json) and update the note next to it.
    let mut engine = Engine::new();
    let mut client = engine.new_client();
    for (section, command) in the_lesson().commands() {
        if command.run || command.shell != Shell::Redis {
            continue;
        }
        let argv = cli::tokenize(&command.line).expect("a valid line");
        let reply = cli::format_reply(&engine.execute(&mut client, argv, NOW));
        assert!(
            reply.starts_with("(error) ERR unknown command"),
            "{section}: `{}` now runs ({reply}); make it runnable",
            command.line
        );
    }
}

#[test]
fn links_point_at_sections_that_exist() {
    let lesson = the_lesson();
    let mut targets: HashSet<&str> = SECTION_IDS.into_iter().collect();
    targets.extend(["lesson", "playground", "quiz"]);
    for text in lesson.texts() {
        for anchor in markup::anchors(text) {
            assert!(
                targets.contains(anchor.as_str()),
                "a link to #{anchor}: {text}"
            );
        }
    }
}

#[test]
fn tables_and_code_are_well_formed() {
    for section in &the_lesson().sections {
        for block in &section.blocks {
            match block {
                Block::Table(t) => {
                    assert!(!t.rows.is_empty());
                    for row in &t.rows {
                        assert_eq!(row.len(), t.columns.len(), "{}: {row:?}", section.id);
                    }
                }
                Block::CodePair(pair) => {
                    for (i, step) in pair.steps.iter().enumerate() {
                        assert_eq!(usize::from(step.number), i + 1);
                        let [from, to] = step.lines;
                        assert!(1 <= from && from <= to && to <= pair.code.len(), "{step:?}");
                    }
                }
                Block::Stats(items) => assert!(!items.is_empty()),
                _ => {}
            }
        }
    }
}

#[test]
fn every_exercise_check_passes_on_a_right_state_and_fails_on_wrong_ones() {
    for section in &the_lesson().sections {
        let ex = &section.exercise;
        assert!(!ex.title.is_empty() && !ex.goal.is_empty() && !ex.steps.is_empty());
        assert_checks_exercised(
            &format!("exercise {}", section.id),
            &ex.checks,
            &ex.solution,
            wrong_states(&section.id),
        );
    }
}

#[test]
fn exercises_check_only_with_read_only_commands() {
    let mut engine = Engine::new();
    for section in &the_lesson().sections {
        for check in &section.exercise.checks {
            let reply = probe(&mut engine, 0, NOW, &check.command);
            assert_ne!(reply, super::check::REFUSED, "`{}`", check.command);
        }
    }
}

#[test]
fn a_right_state_goes_wrong_when_its_ttl_runs_out() {
    let ex = &the_lesson().sections[0].exercise;
    let solution: Vec<&str> = ex.solution.iter().map(Text::as_str).collect();
    let mut engine = engine_after(&solution);
    let later = NOW + 31_000_000;
    let result = evaluate(&ex.checks, |line| probe(&mut engine, 0, later, line));
    assert!(result.iter().all(|o| !o.passed), "{result:#?}");
}
