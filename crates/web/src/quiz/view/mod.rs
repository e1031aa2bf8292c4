//! The quiz's components: one question at a time with its progress, options in a
//! seeded order, locked feedback that links back to the lesson, the final score, the
//! review of mistakes and a reset. Everything is reachable by keyboard: options are
//! native radio buttons and checkboxes (arrows and Space), Enter checks the answer,
//! and focus moves to the next step after each action.

use std::rc::Rc;

use web_sys::HtmlElement;
use yew::prelude::*;

mod question;
mod result;

use question::{question_view, QuestionRefs};
use result::{review, score};

use super::data::{self, Kind, Quiz as QuizData};
use super::progress::{Progress, QuizAction, QuizState, STORAGE_KEY};
use crate::context::{use_notices, use_sandbox};
use crate::lesson::check::{evaluate, probe};
use crate::lesson::content;
use crate::lesson::rich;
use crate::state::{NoticeAction, NoticeKind};
use crate::storage;

impl Reducible for QuizState {
    type Action = QuizAction;

    fn reduce(self: Rc<Self>, action: QuizAction) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action, data::quiz());
        Rc::new(next)
    }
}

/// A fresh seed for the option order.
pub(super) fn new_seed() -> u64 {
    let random = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    random ^ (js_sys::Date::now() as u64).rotate_left(32)
}

/// Saved progress, or a fresh start (with a message when what was saved is unreadable;
/// the unreadable text is set aside rather than lost).
fn load(quiz: &QuizData) -> (Progress, Option<String>) {
    let Some(json) = storage::load(STORAGE_KEY) else {
        return (Progress::new(new_seed()), None);
    };
    match Progress::restore(&json, quiz) {
        Ok(progress) => (progress, None),
        Err(_) => {
            let aside = format!("{STORAGE_KEY}.unreadable");
            let kept = storage::save(&aside, &json).is_ok();
            let mut message =
                "Your saved quiz progress couldn't be read, so the quiz starts fresh.".to_string();
            if kept {
                message.push_str(&format!(
                    " The old data was kept in localStorage under “{aside}”."
                ));
            }
            (Progress::new(new_seed()), Some(message))
        }
    }
}

pub(super) fn section_title(id: &str) -> String {
    content::lesson()
        .section(id)
        .map_or_else(|| id.to_string(), |s| s.title.to_string())
}

fn focus(node: &NodeRef) {
    if let Some(el) = node.cast::<HtmlElement>() {
        let _ = el.focus();
    }
}

#[derive(Properties, PartialEq)]
pub struct QuizProps {}

#[component]
pub fn Quiz(_props: &QuizProps) -> Html {
    let quiz = data::quiz();
    let loaded = use_memo((), |_| load(quiz));
    let state = {
        let progress = loaded.0.clone();
        use_reducer(move || QuizState::new(progress, quiz))
    };
    let problem = {
        let message = loaded.1.clone();
        use_state(move || message)
    };
    let notices = use_notices();
    let sandbox = use_sandbox();

    // Save after every change. A failure is reported when saving starts to fail, not
    // after every answer, as the console's saves are.
    {
        let progress = state.progress.clone();
        let failing = use_mut_ref(|| false);
        use_effect_with(progress, move |progress| {
            let result = storage::save(STORAGE_KEY, &progress.to_json());
            let was_failing = std::mem::replace(&mut *failing.borrow_mut(), result.is_err());
            if let (Err(err), false) = (result, was_failing) {
                let why = match err {
                    storage::SaveError::QuotaExceeded => {
                        "this browser's storage is full".to_string()
                    }
                    storage::SaveError::Unavailable(why) => why,
                };
                notices.dispatch(NoticeAction::Show(
                    NoticeKind::Save,
                    format!(
                        "Couldn't save your quiz progress ({why}). Your answers are still here in \
                         this tab, but a reload would lose them."
                    ),
                ));
            }
        });
    }

    let heading_ref = use_node_ref();
    let next_ref = use_node_ref();
    let score_ref = use_node_ref();
    let review_ref = use_node_ref();
    let locked = state.locked(quiz);

    // Move focus with the learner: to the Next button once an answer locks, to the
    // question when it changes, to the score or review when they open. Not on mount,
    // where the console keeps focus.
    {
        let refs = (
            heading_ref.clone(),
            next_ref.clone(),
            score_ref.clone(),
            review_ref.clone(),
        );
        let mounted = use_mut_ref(|| false);
        let key = (
            state.progress.current,
            locked,
            state.progress.finished,
            state.reviewing,
        );
        use_effect_with(key, move |&(_, locked, finished, reviewing)| {
            if std::mem::replace(&mut *mounted.borrow_mut(), true) {
                let (heading, next, score, review) = refs;
                if reviewing {
                    focus(&review);
                } else if finished {
                    focus(&score);
                } else if locked {
                    focus(&next);
                } else {
                    focus(&heading);
                }
            }
        });
    }

    let dispatch = |action: QuizAction| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action.clone()))
    };

    let body = if state.reviewing {
        review(quiz, &state, &review_ref, &dispatch)
    } else if state.progress.finished {
        score(quiz, &state, &score_ref, &dispatch)
    } else if let Some(question) = state.current(quiz) {
        let onsubmit = {
            let state = state.clone();
            let sandbox = sandbox.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                if question.kind == Kind::Task {
                    let outcomes = sandbox.inspect(|engine, db, now| {
                        evaluate(&question.checks, |line| probe(engine, db, now, line))
                    });
                    state.dispatch(QuizAction::AnswerTask(outcomes));
                } else {
                    state.dispatch(QuizAction::Submit);
                }
            })
        };
        question_view(
            quiz,
            question,
            &state,
            QuestionRefs {
                heading: heading_ref.clone(),
                next: next_ref.clone(),
            },
            onsubmit,
        )
    } else {
        Html::default()
    };

    html! {
        <section id="quiz" class="quiz" aria-labelledby="quiz-title">
            <header class="quiz-head">
                <p class="eyebrow">{ "Quiz" }</p>
                <h2 id="quiz-title" class="quiz-title">{ quiz.title.as_str() }</h2>
                <p class="quiz-intro">{ rich(&quiz.intro) }</p>
            </header>
            if let Some(message) = &*problem {
                <div class="quiz-problem" role="alert">
                    <p>{ message.clone() }</p>
                    <button type="button" class="btn" onclick={
                        let problem = problem.clone();
                        move |_| problem.set(None)
                    }>{ "Dismiss" }</button>
                </div>
            }
            <div class="quiz-card">{ body }</div>
        </section>
    }
}
