//! The quiz's state machine: which question is on screen, the learner's draft
//! selection, locked answers and the score. Pure: the view dispatches
//! [`QuizAction`]s, saves [`Progress`] as JSON after each change, and evaluates
//! hands-on tasks against the engine before dispatching their outcomes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::data::{Choice, Kind, Question, Quiz};
use super::shuffle;
use crate::lesson::check::{all_passed, CheckOutcome};

/// Where progress is saved in localStorage.
pub const STORAGE_KEY: &str = "cachelab.quiz.v1";

/// What survives a reload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Shuffles the options; a reset draws a new one.
    pub seed: u64,
    /// The index of the question on screen.
    pub current: usize,
    /// Locked answers by question id.
    pub answers: BTreeMap<String, Answer>,
    /// Whether the score screen is showing.
    #[serde(default)]
    pub finished: bool,
}

/// A locked answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The options picked (choice questions), in data order.
    #[serde(default)]
    pub selected: Vec<String>,
    /// How each check went (hands-on tasks).
    #[serde(default)]
    pub checks: Vec<CheckOutcome>,
    pub correct: bool,
}

impl Progress {
    pub fn new(seed: u64) -> Progress {
        Progress {
            seed,
            current: 0,
            answers: BTreeMap::new(),
            finished: false,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads saved progress, keeping only what still fits `quiz` (questions may have
    /// been removed or changed since it was saved).
    pub fn restore(json: &str, quiz: &Quiz) -> Result<Progress, String> {
        let mut progress: Progress =
            serde_json::from_str(json).map_err(|e| format!("unreadable quiz progress: {e}"))?;
        progress.answers.retain(|id, answer| {
            quiz.questions.iter().any(|q| {
                q.id == *id
                    && match q.kind {
                        Kind::Task => answer.selected.is_empty(),
                        Kind::Single | Kind::Multiple => {
                            !answer.selected.is_empty()
                                && answer.selected.iter().all(|s| q.choice(s).is_some())
                        }
                    }
            })
        });
        progress.current = progress.current.min(quiz.questions.len().saturating_sub(1));
        progress.finished &= progress.answers.len() == quiz.questions.len();
        Ok(progress)
    }

    pub fn answer(&self, question: &Question) -> Option<&Answer> {
        self.answers.get(question.id.as_str())
    }

    /// (right, answered).
    pub fn score(&self) -> (usize, usize) {
        let right = self.answers.values().filter(|a| a.correct).count();
        (right, self.answers.len())
    }

    /// The questions answered wrongly, in quiz order.
    pub fn mistakes<'q>(&self, quiz: &'q Quiz) -> Vec<&'q Question> {
        quiz.questions
            .iter()
            .filter(|q| self.answer(q).is_some_and(|a| !a.correct))
            .collect()
    }

    pub fn all_answered(&self, quiz: &Quiz) -> bool {
        quiz.questions
            .iter()
            .all(|q| self.answers.contains_key(q.id.as_str()))
    }
}

/// `question`'s options in the order this learner sees them.
pub fn shuffled(question: &Question, seed: u64) -> Vec<&Choice> {
    shuffle::order(question.options.len(), seed, &question.id)
        .into_iter()
        .map(|i| &question.options[i])
        .collect()
}

/// The quiz on screen: saved progress plus what is only in this tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuizState {
    pub progress: Progress,
    /// The options picked but not yet checked.
    pub draft: Vec<String>,
    /// Set when Check was pressed with nothing picked.
    pub nudge: bool,
    /// The review-mistakes list is showing (over the score screen).
    pub reviewing: bool,
    /// "Start over?" is waiting for a yes.
    pub confirm_reset: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuizAction {
    /// Pick (single) or toggle (multiple) an option of the current question.
    Toggle(String),
    /// Check the draft of the current choice question: the answer locks.
    Submit,
    /// The current task was checked against the engine: the answer locks.
    AnswerTask(Vec<CheckOutcome>),
    Next,
    Prev,
    /// Open a question (from the review list).
    Open(usize),
    ShowScore,
    Review(bool),
    AskReset,
    CancelReset,
    /// Forget every answer and shuffle with a new seed.
    Reset(u64),
}

impl QuizState {
    pub fn new(progress: Progress, quiz: &Quiz) -> QuizState {
        let mut state = QuizState {
            progress,
            draft: Vec::new(),
            nudge: false,
            reviewing: false,
            confirm_reset: false,
        };
        state.load_draft(quiz);
        state
    }

    pub fn current<'q>(&self, quiz: &'q Quiz) -> Option<&'q Question> {
        quiz.questions.get(self.progress.current)
    }

    /// Whether the question on screen has a locked answer.
    pub fn locked(&self, quiz: &Quiz) -> bool {
        self.current(quiz)
            .is_some_and(|q| self.progress.answers.contains_key(q.id.as_str()))
    }

    fn load_draft(&mut self, quiz: &Quiz) {
        self.nudge = false;
        self.draft = self
            .current(quiz)
            .and_then(|q| self.progress.answer(q))
            .map(|a| a.selected.clone())
            .unwrap_or_default();
    }

    fn go(&mut self, index: usize, quiz: &Quiz) {
        self.progress.current = index.min(quiz.questions.len().saturating_sub(1));
        self.progress.finished = false;
        self.reviewing = false;
        self.confirm_reset = false;
        self.load_draft(quiz);
    }

    pub fn apply(&mut self, action: QuizAction, quiz: &Quiz) {
        let locked = self.locked(quiz);
        let Some(question) = self.current(quiz) else {
            return;
        };
        match action {
            QuizAction::Toggle(id) => {
                if locked || question.choice(&id).is_none() {
                    return;
                }
                self.nudge = false;
                match question.kind {
                    Kind::Single => self.draft = vec![id],
                    Kind::Multiple => {
                        if let Some(at) = self.draft.iter().position(|d| *d == id) {
                            self.draft.remove(at);
                        } else {
                            self.draft.push(id);
                        }
                    }
                    Kind::Task => {}
                }
            }
            QuizAction::Submit => {
                if locked || question.kind == Kind::Task {
                    return;
                }
                if self.draft.is_empty() {
                    self.nudge = true;
                    return;
                }
                // Data order, so the saved answer doesn't depend on clicking order.
                let selected: Vec<String> = question
                    .options
                    .iter()
                    .filter(|c| self.draft.iter().any(|d| *d == c.id))
                    .map(|c| c.id.to_string())
                    .collect();
                let correct = question.is_right(&selected);
                self.draft = selected.clone();
                self.progress.answers.insert(
                    question.id.to_string(),
                    Answer {
                        selected,
                        checks: Vec::new(),
                        correct,
                    },
                );
            }
            QuizAction::AnswerTask(outcomes) => {
                if locked || question.kind != Kind::Task {
                    return;
                }
                let correct = all_passed(&outcomes);
                self.progress.answers.insert(
                    question.id.to_string(),
                    Answer {
                        selected: Vec::new(),
                        checks: outcomes,
                        correct,
                    },
                );
            }
            QuizAction::Next => {
                let next = self.progress.current + 1;
                if next < quiz.questions.len() {
                    self.go(next, quiz);
                } else if self.progress.all_answered(quiz) {
                    self.progress.finished = true;
                } else if let Some(skipped) = quiz
                    .questions
                    .iter()
                    .position(|q| !self.progress.answers.contains_key(q.id.as_str()))
                {
                    self.go(skipped, quiz);
                }
            }
            QuizAction::Prev => {
                let prev = self.progress.current.saturating_sub(1);
                self.go(prev, quiz);
            }
            QuizAction::Open(index) => self.go(index, quiz),
            QuizAction::ShowScore => {
                if self.progress.all_answered(quiz) {
                    self.progress.finished = true;
                    self.reviewing = false;
                }
            }
            QuizAction::Review(on) => self.reviewing = on && self.progress.finished,
            QuizAction::AskReset => self.confirm_reset = true,
            QuizAction::CancelReset => self.confirm_reset = false,
            QuizAction::Reset(seed) => *self = QuizState::new(Progress::new(seed), quiz),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::check::CheckOutcome;

    fn quiz() -> Quiz {
        Quiz::parse(
            r#"{
              "title": "t", "intro": "i",
              "questions": [
                { "id": "one", "kind": "single", "topics": ["x"], "section": "ttl", "prompt": "p",
                  "options": [{"id":"a","text":"A"},{"id":"b","text":"B"},{"id":"c","text":"C"}],
                  "correct": ["b"], "explanation": "e" },
                { "id": "many", "kind": "multiple", "topics": ["x"], "section": "ttl", "prompt": "p",
                  "options": [{"id":"a","text":"A"},{"id":"b","text":"B"},{"id":"c","text":"C"}],
                  "correct": ["a", "c"], "explanation": "e" },
                { "id": "task", "kind": "task", "topics": ["x"], "section": "ttl", "prompt": "p",
                  "checks": [{ "command": "TYPE k", "expect": "string", "label": "l" }],
                  "solution": ["SET k v"], "explanation": "e" }
              ]
            }"#,
        )
        .unwrap()
    }

    fn outcome(passed: bool) -> CheckOutcome {
        CheckOutcome {
            label: "l".into(),
            command: "TYPE k".into(),
            expected: "string".into(),
            reply: if passed { "string" } else { "none" }.into(),
            passed,
        }
    }

    fn act(s: &mut QuizState, q: &Quiz, actions: impl IntoIterator<Item = QuizAction>) {
        for a in actions {
            s.apply(a, q);
        }
    }

    use QuizAction::*;

    #[test]
    fn a_right_answer_then_a_wrong_one_then_a_task() {
        let q = quiz();
        let mut s = QuizState::new(Progress::new(1), &q);
        act(&mut s, &q, [Toggle("a".into()), Toggle("b".into()), Submit]);
        assert_eq!(
            s.progress.answers["one"].selected,
            ["b"],
            "single keeps the last pick"
        );
        assert!(s.progress.answers["one"].correct);
        act(&mut s, &q, [Next, Toggle("a".into()), Submit]);
        assert!(!s.progress.answers["many"].correct, "one of two is wrong");
        assert_eq!(s.progress.score(), (1, 2));
        act(&mut s, &q, [Next, AnswerTask(vec![outcome(true)])]);
        assert!(s.progress.answers["task"].correct);
        assert_eq!(s.progress.score(), (2, 3));
        assert_eq!(
            s.progress
                .mistakes(&q)
                .iter()
                .map(|q| &q.id)
                .collect::<Vec<_>>(),
            ["many"]
        );
    }

    #[test]
    fn multiple_needs_exactly_the_right_set() {
        let q = quiz();
        let mut s = QuizState::new(Progress::new(1), &q);
        act(
            &mut s,
            &q,
            [
                Next,
                Toggle("c".into()),
                Toggle("b".into()),
                Toggle("a".into()),
                Toggle("b".into()),
                Submit,
            ],
        );
        assert_eq!(
            s.progress.answers["many"].selected,
            ["a", "c"],
            "saved in data order"
        );
        assert!(s.progress.answers["many"].correct);
    }

    #[test]
    fn answers_lock_once_given() {
        let q = quiz();
        let mut s = QuizState::new(Progress::new(1), &q);
        act(&mut s, &q, [Toggle("a".into()), Submit]);
        let locked = s.clone();
        act(&mut s, &q, [Toggle("b".into()), Submit]);
        assert_eq!(s, locked);
        act(&mut s, &q, [Next, Next, AnswerTask(vec![outcome(false)])]);
        let locked = s.clone();
        act(&mut s, &q, [AnswerTask(vec![outcome(true)])]);
        assert_eq!(s, locked, "a failed task stays failed");
        // Coming back shows the locked answer again.
        act(&mut s, &q, [Prev, Prev]);
        assert_eq!(s.draft, ["a"]);
        assert!(s.locked(&q));
    }

    #[test]
    fn checking_nothing_nudges_instead_of_locking() {
        let q = quiz();
        let mut s = QuizState::new(Progress::new(1), &q);
        act(&mut s, &q, [Submit]);
        assert!(s.nudge);
        assert!(s.progress.answers.is_empty());
        act(&mut s, &q, [Toggle("c".into())]);
        assert!(!s.nudge);
    }

    #[test]
    fn options_of_other_kinds_and_unknown_ids_are_ignored() {
        let q = quiz();
        let mut s = QuizState::new(Progress::new(1), &q);
        act(
            &mut s,
            &q,
            [Toggle("zz".into()), AnswerTask(vec![outcome(true)])],
        );
        assert!(s.draft.is_empty());
        assert!(
            s.progress.answers.is_empty(),
            "a task outcome can't answer a choice question"
        );
        act(&mut s, &q, [Next, Next, Toggle("a".into()), Submit]);
        assert!(
            s.progress.answers.is_empty(),
            "a task can't be answered by options"
        );
    }

    #[test]
    fn the_score_screen_needs_every_answer_and_next_finds_skipped_ones() {
        let q = quiz();
        let mut s = QuizState::new(Progress::new(1), &q);
        act(
            &mut s,
            &q,
            [Next, Next, AnswerTask(vec![outcome(true)]), ShowScore],
        );
        assert!(!s.progress.finished);
        act(&mut s, &q, [Next]);
        assert_eq!(s.progress.current, 0, "back to the first skipped question");
        act(
            &mut s,
            &q,
            [
                Toggle("b".into()),
                Submit,
                Next,
                Toggle("b".into()),
                Submit,
                Next,
            ],
        );
        assert_eq!(s.progress.current, 2);
        act(&mut s, &q, [Next]);
        assert!(s.progress.finished);
        act(&mut s, &q, [Review(true)]);
        assert!(s.reviewing);
        act(&mut s, &q, [Open(1)]);
        assert!(!s.progress.finished && !s.reviewing);
        assert_eq!(s.draft, ["b"]);
    }

    #[test]
    fn reset_forgets_everything_and_reshuffles() {
        let q = quiz();
        let mut s = QuizState::new(Progress::new(1), &q);
        act(&mut s, &q, [Toggle("b".into()), Submit, Next, AskReset]);
        assert!(s.confirm_reset);
        act(&mut s, &q, [CancelReset]);
        assert!(!s.confirm_reset && s.progress.answers.len() == 1);
        act(&mut s, &q, [AskReset, Reset(99)]);
        assert_eq!(s, QuizState::new(Progress::new(99), &q));
    }

    #[test]
    fn progress_round_trips_and_drops_what_no_longer_fits() {
        let q = quiz();
        let mut s = QuizState::new(Progress::new(7), &q);
        act(
            &mut s,
            &q,
            [
                Toggle("b".into()),
                Submit,
                Next,
                Next,
                AnswerTask(vec![outcome(false)]),
            ],
        );
        let json = s.progress.to_json();
        assert_eq!(Progress::restore(&json, &q), Ok(s.progress.clone()));

        let stale = r#"{"seed":3,"current":99,"finished":true,"answers":{
            "gone":{"selected":["a"],"correct":true},
            "one":{"selected":["zz"],"correct":true},
            "many":{"selected":["a","c"],"correct":true}}}"#;
        let p = Progress::restore(stale, &q).unwrap();
        assert_eq!(p.answers.keys().collect::<Vec<_>>(), ["many"]);
        assert_eq!(p.current, 2);
        assert!(!p.finished);
        assert!(Progress::restore("{not json", &q).is_err());
    }

    #[test]
    fn shuffled_options_follow_the_seed() {
        let q = quiz();
        let ids = |seed| -> Vec<String> {
            shuffled(&q.questions[0], seed)
                .iter()
                .map(|c| c.id.to_string())
                .collect()
        };
        assert_eq!(ids(5), ids(5));
        let distinct: std::collections::HashSet<_> = (0..40).map(ids).collect();
        assert!(distinct.len() > 1);
    }
}
