//! The end of the quiz: the score, the review of mistakes and "start over".

use yew::prelude::*;

use super::{new_seed, section_title};
use crate::lesson::rich;
use crate::quiz::data::{Kind, Quiz as QuizData};
use crate::quiz::progress::{QuizAction, QuizState};

pub(super) fn score(
    quiz: &QuizData,
    state: &UseReducerHandle<QuizState>,
    score_ref: &NodeRef,
    dispatch: &dyn Fn(QuizAction) -> Callback<MouseEvent>,
) -> Html {
    let (right, _) = state.progress.score();
    let total = quiz.questions.len();
    let mistakes = state.progress.mistakes(quiz).len();
    let percent = (right * 100).checked_div(total).unwrap_or(0);
    let message = match percent {
        100 => "A perfect score. You know your caches.",
        80..=99 => "Very good. Review the few you missed and you're done.",
        50..=79 => "A solid start. The review below shows where to look again.",
        _ => "Worth another pass through the lesson: the review links to each section.",
    };
    html! {
        <div class="quiz-result">
            <h3 class="result-title" tabindex="-1" ref={score_ref.clone()}>{ "Your score" }</h3>
            <p class="result-score" data-testid="quiz-score">
                <span class="result-number">{ right }</span>
                <span class="result-total">{ format!(" / {total}") }</span>
                <span class="result-percent">{ format!("{percent}%") }</span>
            </p>
            <div class="result-meter" aria-hidden="true">
                <span style={format!("width: {percent}%")} />
            </div>
            <p class="result-message">{ message }</p>
            <div class="quiz-actions">
                if mistakes > 0 {
                    <button type="button" class="btn btn-primary" data-testid="quiz-review"
                        onclick={dispatch(QuizAction::Review(true))}>
                        { format!("Review {mistakes} {}", if mistakes == 1 { "mistake" } else { "mistakes" }) }
                    </button>
                }
                { reset_controls(state, dispatch) }
            </div>
        </div>
    }
}

pub(super) fn reset_controls(
    state: &UseReducerHandle<QuizState>,
    dispatch: &dyn Fn(QuizAction) -> Callback<MouseEvent>,
) -> Html {
    if state.confirm_reset {
        let reset = {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| state.dispatch(QuizAction::Reset(new_seed())))
        };
        html! {
            <div class="reset-confirm" role="group" aria-label="Start over?">
                <span>{ "Clear every answer?" }</span>
                <button type="button" class="btn btn-danger" data-testid="quiz-reset-confirm" onclick={reset}>
                    { "Yes, start over" }
                </button>
                <button type="button" class="btn" onclick={dispatch(QuizAction::CancelReset)}>
                    { "Keep my answers" }
                </button>
            </div>
        }
    } else {
        html! {
            <button type="button" class="btn" data-testid="quiz-reset"
                onclick={dispatch(QuizAction::AskReset)}>{ "Start over" }</button>
        }
    }
}

pub(super) fn review(
    quiz: &'static QuizData,
    state: &QuizState,
    review_ref: &NodeRef,
    dispatch: &dyn Fn(QuizAction) -> Callback<MouseEvent>,
) -> Html {
    let mistakes = state.progress.mistakes(quiz);
    html! {
        <div class="quiz-review" data-testid="quiz-review-list">
            <h3 class="result-title" tabindex="-1" ref={review_ref.clone()}>
                { format!("Your mistakes ({})", mistakes.len()) }
            </h3>
            <ol class="review-list">
                { for mistakes.iter().map(|q| {
                    let answer = state.progress.answer(q);
                    let given = match (q.kind, answer) {
                        (Kind::Task, Some(a)) => {
                            let failed: Vec<&str> = a.checks.iter().filter(|c| !c.passed).map(|c| c.label.as_str()).collect();
                            format!("not yet: {}", failed.join("; "))
                        }
                        (_, Some(a)) => a.selected.iter().filter_map(|id| q.choice(id)).map(|c| c.text.as_str()).collect::<Vec<_>>().join(" · "),
                        (_, None) => String::new(),
                    };
                    let right = if q.kind == Kind::Task { q.solution.join("  ·  ") } else { q.correct_texts().join(" · ") };
                    html! {
                        <li class="review-item" data-testid="quiz-review-item">
                            <p class="review-prompt">{ q.prompt.as_str() }</p>
                            <dl class="review-answers">
                                <div><dt>{ "You answered" }</dt><dd class="review-given">{ given }</dd></div>
                                <div><dt>{ if q.kind == Kind::Task { "One way" } else { "Correct" } }</dt><dd class="review-right">{ right }</dd></div>
                            </dl>
                            <p class="review-explanation">{ rich(&q.explanation) }</p>
                            <div class="review-links">
                                <a class="feedback-link" href={format!("#{}", q.section)}>
                                    { "Read again: " }{ section_title(&q.section) }
                                </a>
                                if let Some(index) = quiz.index_of(&q.id) {
                                    <button type="button" class="btn btn-link" onclick={dispatch(QuizAction::Open(index))}>
                                        { format!("Show question {}", index + 1) }
                                    </button>
                                }
                            </div>
                        </li>
                    }
                }) }
            </ol>
            <div class="quiz-actions">
                <button type="button" class="btn" data-testid="quiz-review-back" onclick={dispatch(QuizAction::Review(false))}>
                    { "← Back to your score" }
                </button>
            </div>
        </div>
    }
}
