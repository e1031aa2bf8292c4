//! The question screen: progress and running score, the prompt with its options (or a
//! hands-on task), the locked feedback, and the Previous / Skip / Check / Next row.

use yew::prelude::*;

use super::result::reset_controls;
use super::section_title;
use crate::lesson::{check_list, rich};
use crate::quiz::data::{Kind, Question, Quiz as QuizData};
use crate::quiz::progress::{shuffled, Answer, QuizAction, QuizState};

pub(super) struct QuestionRefs {
    pub heading: NodeRef,
    pub next: NodeRef,
}

fn progress_bar(quiz: &QuizData, state: &UseReducerHandle<QuizState>) -> Html {
    let (right, answered) = state.progress.score();
    let dispatch = |action: QuizAction| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action.clone()))
    };
    let total = quiz.questions.len();
    html! {
        <div class="quiz-progress">
            <p class="quiz-count" data-testid="quiz-progress">
                <span class="visually-hidden">{ "Question " }</span>
                <strong>{ state.progress.current + 1 }</strong>{ format!(" / {total}") }
            </p>
            <p class="quiz-running">
                <span data-testid="quiz-score" aria-live="polite">{ format!("{right} / {answered} correct") }</span>
                if answered > 0 && !state.confirm_reset {
                    { " · " }
                    <button type="button" class="btn btn-link" data-testid="quiz-reset"
                        onclick={dispatch(QuizAction::AskReset)}>{ "Start over" }</button>
                }
            </p>
            if state.confirm_reset {
                { reset_controls(state, &dispatch) }
            }
            <ol class="quiz-bar" aria-hidden="true">
                { for quiz.questions.iter().enumerate().map(|(i, q)| {
                    let class = match state.progress.answer(q) {
                        Some(a) if a.correct => "seg-right",
                        Some(_) => "seg-wrong",
                        None => "seg-open",
                    };
                    html! {
                        <li class={classes!("quiz-seg", class, (i == state.progress.current).then_some("seg-current"))} />
                    }
                }) }
            </ol>
        </div>
    }
}

pub(super) fn question_view(
    quiz: &'static QuizData,
    question: &'static Question,
    state: &UseReducerHandle<QuizState>,
    refs: QuestionRefs,
    onsubmit: Callback<SubmitEvent>,
) -> Html {
    let answer = state.progress.answer(question);
    let locked = answer.is_some();
    let is_last = state.progress.current + 1 == quiz.questions.len();
    let all_done = state.progress.all_answered(quiz);
    let kind_label = match question.kind {
        Kind::Single => "Choose one",
        Kind::Multiple => "Choose all that apply",
        Kind::Task => "Hands-on: use the console",
    };
    let kind_id = match question.kind {
        Kind::Single => "single",
        Kind::Multiple => "multiple",
        Kind::Task => "task",
    };
    let input_type = if question.kind == Kind::Single {
        "radio"
    } else {
        "checkbox"
    };
    let name = format!("quiz-{}", question.id);
    // Enter on an option checks the answer (browsers don't submit on Enter in a
    // radio button or checkbox by themselves).
    let onkeydown = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let on_option = e.target_dyn_into::<web_sys::HtmlInputElement>().is_some();
            if e.key() == "Enter" && on_option {
                e.prevent_default();
                state.dispatch(QuizAction::Submit);
            }
        })
    };
    let options = shuffled(question, state.progress.seed);
    let letters = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    let prev = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(QuizAction::Prev))
    };
    let next = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(QuizAction::Next))
    };
    let next_label = if is_last && all_done {
        "See your score"
    } else if all_done {
        "Next question"
    } else if is_last {
        "To the questions left"
    } else {
        "Next question"
    };
    html! {
        <>
            { progress_bar(quiz, state) }
            <form class="quiz-form" {onsubmit} novalidate=true>
                <fieldset class="quiz-fieldset" onkeydown={onkeydown}>
                    <legend class="quiz-prompt" data-testid="quiz-question"
                        data-question-id={&question.id} data-kind={kind_id}
                        tabindex="-1" ref={refs.heading}>
                        { question.prompt.as_str() }
                    </legend>
                    <p class="quiz-kind">{ kind_label }</p>
                    if question.kind == Kind::Task {
                        <div class="quiz-task">
                            <p>
                                { "Work in the console (beside the lesson, or below it on a phone), then press " }
                                <strong>{ "Check my work" }</strong>
                                { ". The check reads the engine's real keys, and your answer locks once checked." }
                            </p>
                            <p class="quiz-task-head">{ "What will be checked" }</p>
                            <ul class="quiz-task-list">
                                { for question.checks.iter().map(|c| html! { <li>{ c.label.as_str() }</li> }) }
                            </ul>
                        </div>
                    } else {
                        <div class="quiz-options">
                            { for options.iter().enumerate().map(|(i, choice)| {
                                let picked = state.draft.iter().any(|d| *d == choice.id);
                                let right = question.correct.contains(&choice.id);
                                let mark = match (locked, picked, right) {
                                    (false, _, _) => None,
                                    (true, true, true) => Some(("opt-right", "✓", "your answer, correct")),
                                    (true, true, false) => Some(("opt-wrong", "✗", "your answer, wrong")),
                                    (true, false, true) => Some(("opt-missed", "✓", "the correct answer")),
                                    (true, false, false) => None,
                                };
                                let onchange = {
                                    let state = state.clone();
                                    let id = choice.id.to_string();
                                    Callback::from(move |_: Event| state.dispatch(QuizAction::Toggle(id.clone())))
                                };
                                html! {
                                    <label key={choice.id.as_str()}
                                        class={classes!("quiz-option", picked.then_some("opt-picked"), mark.map(|m| m.0), locked.then_some("opt-locked"))}
                                        data-testid="quiz-option" data-option-id={&choice.id}>
                                        <input type={input_type} name={name.clone()} value={&choice.id}
                                            checked={picked} disabled={locked} {onchange} />
                                        <span class="opt-letter" aria-hidden="true">{ letters.get(i).copied().unwrap_or('•') }</span>
                                        <span class="opt-text">{ choice.text.as_str() }</span>
                                        if let Some((_, icon, said)) = mark {
                                            <span class="opt-mark" aria-hidden="true">{ icon }</span>
                                            <span class="visually-hidden">{ format!(" ({said})") }</span>
                                        }
                                    </label>
                                }
                            }) }
                        </div>
                    }
                </fieldset>
                if state.nudge {
                    <p class="quiz-nudge" role="alert">{ "Pick an answer first, then check it." }</p>
                }
                if let Some(answer) = answer {
                    { feedback(question, answer) }
                }
                <div class="quiz-actions">
                    <button type="button" class="btn" data-testid="quiz-prev" onclick={prev}
                        disabled={state.progress.current == 0}>{ "← Previous" }</button>
                    <span class="quiz-actions-gap" />
                    // Keyed, so the focused Next button is never patched into the submit
                    // button of the next question (Enter on Next would then check an
                    // empty answer).
                    if locked {
                        <button key="next" type="button" class="btn btn-primary" data-testid="quiz-next"
                            ref={refs.next} onclick={next}>
                            { next_label }{ " →" }
                        </button>
                    } else {
                        <button key="skip" type="button" class="btn btn-quiet" data-testid="quiz-skip" onclick={next}>
                            { "Skip for now" }
                        </button>
                        <button key="submit" type="submit" class="btn btn-primary" data-testid="quiz-submit">
                            { if question.kind == Kind::Task { "Check my work" } else { "Check answer" } }
                        </button>
                    }
                </div>
            </form>
        </>
    }
}

fn feedback(question: &Question, answer: &Answer) -> Html {
    let verdict_class = if answer.correct {
        "feedback-right"
    } else {
        "feedback-wrong"
    };
    html! {
        <div class={classes!("quiz-feedback", verdict_class)} data-testid="quiz-feedback"
            data-correct={answer.correct.to_string()} role="status">
            <p class="feedback-verdict">
                <span class="feedback-icon" aria-hidden="true">{ if answer.correct { "✓" } else { "✗" } }</span>
                { if answer.correct { "Correct." } else { "Not quite." } }
            </p>
            if question.kind == Kind::Task {
                { check_list(&answer.checks) }
                <p class="feedback-answer">{ "One way to do it:" }</p>
                <pre class="feedback-solution">{ question.solution.join("\n") }</pre>
            } else {
                <p class="feedback-answer">
                    { if question.correct.len() == 1 { "The answer: " } else { "The answers: " } }
                    <strong>{ question.correct_texts().join(" · ") }</strong>
                </p>
            }
            <p class="feedback-explanation">{ rich(&question.explanation) }</p>
            <a class="feedback-link" href={format!("#{}", question.section)}>
                { "Read again: " }{ section_title(&question.section) }
            </a>
        </div>
    }
}
