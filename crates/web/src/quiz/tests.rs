//! Quiz data tests: the questions parse, every question has exactly one well-formed
//! answer set and a real explanation linking to a lesson section, the questions cover
//! every fact the lesson teaches, and every hands-on check passes on a right engine
//! state and fails on wrong ones.

use std::collections::HashSet;

use super::data::{quiz, Kind, Quiz};
use crate::content_types::Text;
use crate::lesson::check::{probe, REFUSED};
use crate::lesson::content::SECTION_IDS;
use crate::lesson::tests::assert_checks_exercised;

fn the_quiz() -> &'static Quiz {
    quiz()
}

/// The build script compiled content/quiz.json into the static the page uses.
#[test]
fn the_compiled_quiz_is_the_json() {
    let parsed =
        Quiz::parse(include_str!("../../content/quiz.json")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&parsed, the_quiz());
}

/// Wrong engine states per hands-on task.
fn wrong_states(id: &str) -> &'static [&'static [&'static str]] {
    match id {
        "task-leaderboard" => &[
            &["ZADD lb 1 a 2 b 3 c"],
            &["ZADD lb 1 a 2 b", "EXPIRE lb 60"],
            &["ZADD lb 1 a 2 b 3 c 4 d", "EXPIRE lb 60"],
            &["RPUSH lb a b c", "EXPIRE lb 60"],
            &["ZADD lb 1 a 2 b 3 c", "EXPIRE lb 600"],
        ],
        "task-cache-aside" => &[
            &["SET user:9 '{\"id\":9,\"name\":\"Alan\"}'"],
            &["SETEX user:9 300 '{\"id\":9,\"name\":\"Ada\"}'"],
            &["HSET user:9 name Alan", "EXPIRE user:9 300"],
            &["SETEX user:9 3000 '{\"id\":9,\"name\":\"Alan\"}'"],
        ],
        "task-session" => &[
            &["HSET session:s1 user ada"],
            &["HSET session:s1 user bob", "EXPIRE session:s1 1800"],
            &["SET session:s1 ada EX 1800"],
            &["HSET session:s1 user ada", "EXPIRE session:s1 86400"],
        ],
        _ => &[],
    }
}

#[test]
fn enough_questions_of_every_kind() {
    let quiz = the_quiz();
    assert!(
        quiz.questions.len() >= 15,
        "{} questions",
        quiz.questions.len()
    );
    let count = |k: Kind| quiz.questions.iter().filter(|q| q.kind == k).count();
    assert!(count(Kind::Single) >= 5);
    assert!(count(Kind::Multiple) >= 2);
    assert!(count(Kind::Task) >= 3);
    assert!(!quiz.title.is_empty() && !quiz.intro.is_empty());
}

#[test]
fn ids_are_unique() {
    let quiz = the_quiz();
    let ids: HashSet<&str> = quiz.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids.len(), quiz.questions.len());
}

#[test]
fn every_question_has_exactly_one_well_formed_answer_set() {
    for q in &the_quiz().questions {
        match q.kind {
            Kind::Single | Kind::Multiple => {
                assert!(q.options.len() >= 3, "{}: too few options", q.id);
                let ids: HashSet<&str> = q.options.iter().map(|c| c.id.as_str()).collect();
                assert_eq!(ids.len(), q.options.len(), "{}: duplicate option ids", q.id);
                let texts: HashSet<&str> = q.options.iter().map(|c| c.text.as_str()).collect();
                assert_eq!(
                    texts.len(),
                    q.options.len(),
                    "{}: duplicate option texts",
                    q.id
                );
                let correct: HashSet<&str> = q.correct.iter().map(Text::as_str).collect();
                assert_eq!(
                    correct.len(),
                    q.correct.len(),
                    "{}: repeated correct ids",
                    q.id
                );
                assert!(
                    correct.is_subset(&ids),
                    "{}: correct ids must be options",
                    q.id
                );
                match q.kind {
                    Kind::Single => assert_eq!(q.correct.len(), 1, "{}: single needs one", q.id),
                    _ => assert!(
                        !q.correct.is_empty() && q.correct.len() < q.options.len(),
                        "{}: multiple needs some, not all, correct",
                        q.id
                    ),
                }
                assert!(q.checks.is_empty() && q.solution.is_empty(), "{}", q.id);
                let correct: Vec<String> = q.correct.iter().map(Text::to_string).collect();
                assert!(q.is_right(&correct));
            }
            Kind::Task => {
                assert!(q.options.is_empty() && q.correct.is_empty(), "{}", q.id);
                assert!(!q.checks.is_empty() && !q.solution.is_empty(), "{}", q.id);
            }
        }
        assert!(!q.prompt.trim().is_empty(), "{}: no prompt", q.id);
        assert!(
            q.explanation.trim().len() >= 20,
            "{}: the explanation must explain",
            q.id
        );
    }
}

#[test]
fn feedback_links_to_a_real_lesson_section() {
    for q in &the_quiz().questions {
        assert!(
            SECTION_IDS.contains(&q.section.as_str()),
            "{}: #{}",
            q.id,
            q.section
        );
    }
}

#[test]
fn the_questions_cover_every_fact_in_the_lesson() {
    let covered: HashSet<&str> = the_quiz()
        .questions
        .iter()
        .flat_map(|q| q.topics.iter().map(Text::as_str))
        .collect();
    let required = [
        "homepage",
        "benefits",
        "elasticache",
        "data-types",
        "persistence",
        "replication",
        "pubsub",
        "lua",
        "clustering",
        "use-cases",
        "choosing",
        "cache-aside",
        "write-through",
        "write-behind",
        "ttl",
        "leaderboards",
        "complexity",
    ];
    for topic in required {
        assert!(covered.contains(topic), "no question about {topic}");
    }
    // Every lesson section is the subject of at least one question.
    for id in SECTION_IDS {
        assert!(
            the_quiz().questions.iter().any(|q| q.section == id),
            "no question links to #{id}"
        );
    }
}

#[test]
fn every_hands_on_check_passes_on_a_right_state_and_fails_on_wrong_ones() {
    for q in the_quiz().questions.iter().filter(|q| q.kind == Kind::Task) {
        assert_checks_exercised(&q.id, &q.checks, &q.solution, wrong_states(&q.id));
    }
}

#[test]
fn hands_on_checks_are_read_only() {
    let mut engine = cachelab_core::Engine::new();
    for q in &the_quiz().questions {
        for check in &q.checks {
            let reply = probe(&mut engine, 0, 0, &check.command);
            assert_ne!(reply, REFUSED, "{}: `{}`", q.id, check.command);
        }
    }
}
