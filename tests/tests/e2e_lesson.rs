//! Browser end-to-end tests of the lesson and the quiz in the BUILT site (`dist/`):
//! ▶ run buttons drive the console, "check my work" reads the engine, the quiz gives
//! locked feedback and a score, hands-on tasks are checked against the console's real
//! keys, progress survives a reload, and the whole quiz works from the keyboard.
//!
//! Same gating as `e2e.rs`: without a built `dist/`, Chromium or chromedriver the cases
//! print a notice and pass; `CACHELAB_REQUIRE_ALL=1` makes that a failure. Every wait
//! is a polled condition (no fixed sleeps).
//!
//! Run: `CACHELAB_REQUIRE_ALL=1 cargo test -p cachelab-tests --test e2e_lesson -- --nocapture`
#![cfg(not(target_arch = "wasm32"))]

use cachelab_tests::e2e::{
    console_run, ensure, expect_eq, js, keys, open, testid, texts, wait_for, Fixture, Result,
};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

/// The quiz's data, to know which options are right.
const QUIZ_JSON: &str = include_str!("../../crates/web/content/quiz.json");

fn quiz() -> Value {
    serde_json::from_str(QUIZ_JSON).expect("quiz.json parses")
}

fn question(id: &str) -> Value {
    quiz()["questions"]
        .as_array()
        .and_then(|qs| qs.iter().find(|q| q["id"] == id).cloned())
        .unwrap_or_else(|| panic!("no question {id} in quiz.json"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The id of the question on screen.
async fn current_question(client: &Client) -> Result<String> {
    wait_for("a quiz question", || async {
        let v = js(
            client,
            "const q = document.querySelector('[data-testid=\"quiz-question\"]');
             return q ? q.dataset.questionId : null;",
            vec![],
        )
        .await?;
        Ok(v.as_str().map(str::to_string))
    })
    .await
}

/// Waits until question `id` is on screen.
async fn wait_question(client: &Client, id: &str) -> Result<()> {
    wait_for(format!("question {id} on screen"), || async {
        Ok((current_question(client).await? == id).then_some(()))
    })
    .await
}

/// The option ids of the question on screen, in the order shown.
async fn shown_options(client: &Client) -> Result<Vec<String>> {
    let v = js(
        client,
        "return Array.from(document.querySelectorAll('[data-testid=\"quiz-option\"]'), (o) => o.dataset.optionId);",
        vec![],
    )
    .await?;
    Ok(strings(&v))
}

/// Clicks the element matching `css` after scrolling it to the middle of its scrolling
/// column (chromedriver scrolls only the page, and on a laptop the lesson column is a
/// scroll container of its own).
async fn click(client: &Client, css: &str) -> Result<()> {
    let element = client
        .wait()
        .at_most(cachelab_tests::e2e::TIMEOUT)
        .for_element(Locator::Css(css))
        .await?;
    js(
        client,
        "arguments[0].scrollIntoView({ block: 'center' }); return null;",
        vec![serde_json::to_value(&element)
            .map_err(|e| cachelab_tests::e2e::Error::msg(e.to_string()))?],
    )
    .await?;
    element.click().await?;
    Ok(())
}

async fn click_id(client: &Client, id: &str) -> Result<()> {
    click(client, &testid(id)).await
}

async fn click_option(client: &Client, id: &str) -> Result<()> {
    click(
        client,
        &format!("[data-testid=\"quiz-option\"][data-option-id=\"{id}\"]"),
    )
    .await
}

/// Waits for the feedback of a locked answer and returns (correct?, its text).
async fn feedback(client: &Client) -> Result<(bool, String)> {
    wait_for("quiz feedback", || async {
        let v = js(
            client,
            "const f = document.querySelector('[data-testid=\"quiz-feedback\"]');
             return f ? [f.dataset.correct, f.textContent] : null;",
            vec![],
        )
        .await?;
        Ok(v.as_array().map(|a| {
            (
                a[0].as_str() == Some("true"),
                a[1].as_str().unwrap_or_default().to_string(),
            )
        }))
    })
    .await
}

/// The text of the `quiz-score` element, once it satisfies `pred`.
async fn score_text(client: &Client, what: &str, pred: impl Fn(&str) -> bool) -> Result<String> {
    let pred = &pred;
    wait_for(what, || async move {
        let all = texts(client, &testid("quiz-score")).await?;
        Ok(all.into_iter().next().filter(|t| pred(t)))
    })
    .await
}

/// Answers the question on screen by clicking: right ones or a wrong one.
async fn answer_by_clicking(client: &Client, right: bool) -> Result<bool> {
    let id = current_question(client).await?;
    let q = question(&id);
    if q["kind"] == "task" {
        click_id(client, "quiz-submit").await?;
    } else {
        let correct = strings(&q["correct"]);
        if right {
            for option in &correct {
                click_option(client, option).await?;
            }
        } else {
            let wrong = strings(&q["options"].as_array().map_or(json!([]), |opts| {
                Value::from(opts.iter().map(|o| o["id"].clone()).collect::<Vec<_>>())
            }))
            .into_iter()
            .find(|o| !correct.contains(o))
            .expect("a wrong option");
            click_option(client, &wrong).await?;
        }
        click_id(client, "quiz-submit").await?;
    }
    let (correct, _) = feedback(client).await?;
    Ok(correct)
}

/// ▶ run types the command into the console visibly, then runs it like Enter: the echo,
/// the reply block and the history all show it.
#[tokio::test]
async fn lesson_run_button_types_and_runs_its_command() {
    let Some(fx) = Fixture::start("lesson: ▶ run types and runs its command").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        let command = "SET page:home 'rendered homepage' EX 60";
        // Record every value the console input takes, one per animation frame.
        js(
            client,
            "window.__typed = [];
             const input = document.querySelector('[data-testid=\"console-input\"]');
             const watch = () => {
               const v = input.value;
               if (window.__typed[window.__typed.length - 1] !== v) window.__typed.push(v);
               requestAnimationFrame(watch);
             };
             watch();
             return null;",
            vec![],
        )
        .await?;
        click(
            client,
            &format!("[data-testid=\"lesson-run\"][data-command=\"{command}\"]"),
        )
        .await?;
        let reply = wait_for("the run button's reply in the console", || async {
            Ok(cachelab_tests::e2e::console_replies(client).await?.pop())
        })
        .await?;
        expect_eq("reply to the ▶ run of SET", &reply, "OK")?;
        let echoed = texts(client, ".console-echo .console-line").await?;
        expect_eq(
            "the echoed line",
            echoed.last().map_or("", String::as_str),
            command,
        )?;
        let typed: Vec<String> = strings(&js(client, "return window.__typed;", vec![]).await?);
        let partial = typed
            .iter()
            .filter(|v| !v.is_empty() && v.len() < command.len() && command.starts_with(v.as_str()))
            .count();
        ensure(
            partial >= 2,
            format!("the command should be typed visibly, the input went through {typed:?}"),
        )?;
        ensure(
            typed.iter().any(|v| v == command),
            format!("the whole command should show in the input before it runs: {typed:?}"),
        )?;
        // It ran through the console: it is in the history and the engine has the key.
        cachelab_tests::e2e::console_type(client, keys::ARROW_UP).await?;
        cachelab_tests::e2e::wait_for_input(client, "↑ to recall the run command", |v| {
            v == command
        })
        .await?;
        cachelab_tests::e2e::console_clear_input(client).await?;
        let ttl = console_run(client, "TTL page:home").await?;
        ensure(
            ttl.starts_with("(integer) ") && ttl != "(integer) -1" && ttl != "(integer) -2",
            format!("page:home should have a TTL, TTL replied {ttl:?}"),
        )
    }
    .await;
    fx.finish(result).await;
}

/// Whether the top of `#id` is near the top of its scrolling column.
async fn section_at_top(client: &Client, id: &str) -> Result<Option<()>> {
    let top = js(
        client,
        "const s = document.getElementById(arguments[0]);
         const column = s.closest('.lesson');
         const base = column ? Math.max(column.getBoundingClientRect().top, 0) : 0;
         return s.getBoundingClientRect().top - base;",
        vec![Value::from(id)],
    )
    .await?;
    Ok(top.as_f64().filter(|t| (-2.0..=40.0).contains(t)).map(drop))
}

/// Sections are linkable: a URL ending in `#strategies` opens at that section, and the
/// table of contents jumps between them.
#[tokio::test]
async fn lesson_sections_are_linkable() {
    let Some(fx) = Fixture::start("lesson: sections are linkable").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        // A fresh document opened on the fragment, before the app had rendered it.
        client.goto(&format!("{}#strategies", fx.url())).await?;
        client.refresh().await?;
        cachelab_tests::e2e::wait_ready(client).await?;
        wait_for("#strategies at the top of the lesson", || {
            section_at_top(client, "strategies")
        })
        .await?;
        click(client, ".lesson-toc a[href=\"#leaderboards\"]").await?;
        wait_for("#leaderboards at the top of the lesson", || {
            section_at_top(client, "leaderboards")
        })
        .await?;
        Ok(())
    }
    .await;
    fx.finish(result).await;
}

/// "Check my work" reads the engine: wrong before the exercise is done, right after.
#[tokio::test]
async fn lesson_check_my_work_reads_the_engine() {
    let Some(fx) = Fixture::start("lesson: check my work").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        let exercise = "[data-exercise=\"why-cache\"]";
        let result_css = format!("{exercise} {}", testid("lesson-check-result"));
        let check = format!("{exercise} {}", testid("lesson-check"));
        click(client, &check).await?;
        let first = wait_for("a failed check", || async {
            let t = texts(client, &result_css).await?;
            Ok(t.into_iter().next().filter(|t| !t.is_empty()))
        })
        .await?;
        ensure(
            first.contains("0 of 2 checks pass"),
            format!("an empty keyspace fails both checks, got {first:?}"),
        )?;
        expect_eq(
            "reply",
            &console_run(client, "SET page:about 'about us' EX 30").await?,
            "OK",
        )?;
        click(client, &check).await?;
        let second = wait_for("a passing check", || async {
            let t = texts(client, &result_css).await?;
            Ok(t.into_iter()
                .next()
                .filter(|t| t.contains("All 2 checks pass")))
        })
        .await?;
        ensure(second.contains("All 2 checks pass"), second)
    }
    .await;
    fx.finish(result).await;
}

/// One right and one wrong answer: immediate, locked feedback with the answer, an
/// explanation and a link to the lesson, and the running score.
#[tokio::test]
async fn quiz_right_and_wrong_answers_give_feedback_and_score() {
    let Some(fx) = Fixture::start("quiz: a right and a wrong answer").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        let first = current_question(client).await?;
        let q = question(&first);
        score_text(client, "an empty score", |t| t.contains("0 / 0")).await?;

        ensure(answer_by_clicking(client, true).await?, "the right answer was marked wrong")?;
        let (_, text) = feedback(client).await?;
        ensure(
            text.contains("Correct") && text.contains(q["explanation"].as_str().unwrap_or("?")),
            format!("feedback for a right answer: {text:?}"),
        )?;
        let link = js(
            client,
            "return document.querySelector('[data-testid=\"quiz-feedback\"] a').getAttribute('href');",
            vec![],
        )
        .await?;
        expect_eq("the feedback's lesson link", link.as_str().unwrap_or(""), &format!("#{}", q["section"].as_str().unwrap_or("")))?;
        score_text(client, "1 / 1 correct", |t| t.contains("1 / 1")).await?;

        // Locked: the inputs are disabled and clicking another option changes nothing.
        let disabled = js(
            client,
            "return Array.from(document.querySelectorAll('[data-testid=\"quiz-option\"] input')).every((i) => i.disabled);",
            vec![],
        )
        .await?;
        ensure(disabled == Value::Bool(true), "answered options should be locked")?;

        click_id(client, "quiz-next").await?;
        let second = wait_for("the second question", || async {
            let id = current_question(client).await?;
            Ok((id != first).then_some(id))
        })
        .await?;
        ensure(!answer_by_clicking(client, false).await?, "the wrong answer was marked right")?;
        let (_, text) = feedback(client).await?;
        let correct_texts: Vec<String> = question(&second)["options"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|o| strings(&question(&second)["correct"]).contains(&o["id"].as_str().unwrap_or("").to_string()))
            .map(|o| o["text"].as_str().unwrap_or("").to_string())
            .collect();
        ensure(
            text.contains("Not quite") && correct_texts.iter().all(|c| text.contains(c.as_str())),
            format!("feedback for a wrong answer should show the right one {correct_texts:?}: {text:?}"),
        )?;
        score_text(client, "1 / 2 correct", |t| t.contains("1 / 2")).await?;
        Ok(())
    }
    .await;
    fx.finish(result).await;
}

/// A hands-on task done through the console passes; one not done fails, showing what.
#[tokio::test]
async fn quiz_hands_on_task_is_checked_against_the_console() {
    let Some(fx) = Fixture::start("quiz: a hands-on task through the console").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        // Skip ahead to the leaderboard task.
        for _ in 0..40 {
            if current_question(client).await? == "task-leaderboard" {
                break;
            }
            let before = current_question(client).await?;
            click_id(client, "quiz-skip").await?;
            wait_for("the next question", || async {
                Ok((current_question(client).await? != before).then_some(()))
            })
            .await?;
        }
        wait_question(client, "task-leaderboard").await?;
        expect_eq(
            "ZADD",
            &console_run(client, "ZADD lb 300 ada 200 grace 100 linus").await?,
            "(integer) 3",
        )?;
        expect_eq(
            "EXPIRE",
            &console_run(client, "EXPIRE lb 60").await?,
            "(integer) 1",
        )?;
        click_id(client, "quiz-submit").await?;
        let (correct, text) = feedback(client).await?;
        ensure(
            correct,
            format!("the leaderboard task should pass: {text:?}"),
        )?;
        ensure(text.contains("lb expires within 60 seconds"), text)?;

        click_id(client, "quiz-next").await?;
        wait_question(client, "task-cache-aside").await?;
        click_id(client, "quiz-submit").await?;
        let (correct, text) = feedback(client).await?;
        ensure(!correct, format!("an undone task should fail: {text:?}"))?;
        ensure(
            text.contains("TYPE user:9") && text.contains("none"),
            format!("the failed check and its reply should show: {text:?}"),
        )
    }
    .await;
    fx.finish(result).await;
}

/// Answers, the question on screen and the option order survive a reload.
#[tokio::test]
async fn quiz_progress_survives_a_reload() {
    let Some(fx) = Fixture::start("quiz: progress survives a reload").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        let first = current_question(client).await?;
        let order = shown_options(client).await?;
        ensure(
            answer_by_clicking(client, true).await?,
            "right answer marked wrong",
        )?;
        click_id(client, "quiz-next").await?;
        let second = wait_for("the second question", || async {
            let id = current_question(client).await?;
            Ok((id != first).then_some(id))
        })
        .await?;

        open(client, &fx.url()).await?;
        wait_question(client, &second).await?;
        score_text(client, "the score after the reload", |t| {
            t.contains("1 / 1")
        })
        .await?;
        let progress = texts(client, &testid("quiz-progress")).await?;
        ensure(
            progress.first().is_some_and(|p| p.contains("2 / ")),
            format!("the progress should say question 2: {progress:?}"),
        )?;
        // Back to the first question: still answered, same option order.
        click_id(client, "quiz-prev").await?;
        wait_question(client, &first).await?;
        let (correct, _) = feedback(client).await?;
        ensure(
            correct,
            "the first answer should still be locked in as right",
        )?;
        let again = shown_options(client).await?;
        ensure(
            again == order,
            format!("option order changed: {order:?} → {again:?}"),
        )
    }
    .await;
    fx.finish(result).await;
}

/// The whole quiz by keyboard alone (arrows/Space pick, Enter checks, Enter on the
/// focused Next moves on), then the final score, the review of mistakes and a reset.
#[tokio::test]
async fn quiz_by_keyboard_to_the_score_review_and_reset() {
    let Some(fx) = Fixture::start("quiz: keyboard, score, review, reset").await else {
        return;
    };
    let result = async {
        let client = fx.client();
        let total = quiz()["questions"].as_array().map_or(0, Vec::len);
        let active_testid = || async {
            let v = js(
                client,
                "return document.activeElement && document.activeElement.dataset.testid || null;",
                vec![],
            )
            .await?;
            Ok::<_, cachelab_tests::e2e::Error>(v.as_str().map(str::to_string))
        };
        let press = |key: &'static str| async move {
            client.active_element().await?.send_keys(key).await?;
            Ok::<_, cachelab_tests::e2e::Error>(())
        };
        let mut expected_right = 0;
        for n in 0..total {
            let id = current_question(client).await?;
            let q = question(&id);
            if n == 0 {
                // Where a keyboard user starts: on the first option.
                js(
                    client,
                    "document.querySelector('[data-testid=\"quiz-option\"] input').focus(); return null;",
                    vec![],
                )
                .await?;
            } else {
                // After Next, focus is on the new question; Tab enters its options.
                wait_for("focus on the new question", || async {
                    Ok((active_testid().await?.as_deref() == Some("quiz-question")).then_some(()))
                })
                .await?;
                press(keys::TAB).await?;
            }
            match q["kind"].as_str() {
                Some("task") => {
                    // Nothing done in the console: Tab past Previous and Skip to the check.
                    press(keys::TAB).await?;
                    press(keys::TAB).await?;
                    let on = active_testid().await?;
                    ensure(on.as_deref() == Some("quiz-submit"), format!("focus is on {on:?}"))?;
                    press(keys::ENTER).await?;
                }
                Some("single") => {
                    // Arrows walk the radio group: a right option on even questions, a
                    // wrong one on odd ones; Space picks the first.
                    let order = shown_options(client).await?;
                    let correct = strings(&q["correct"]);
                    let want_right = n % 2 == 0;
                    let target = order
                        .iter()
                        .position(|o| correct.contains(o) == want_right)
                        .expect("a target option");
                    if target == 0 {
                        press(" ").await?;
                    }
                    for _ in 0..target {
                        press(keys::ARROW_DOWN).await?;
                    }
                    press(keys::ENTER).await?;
                    if want_right {
                        expected_right += 1;
                    }
                }
                _ => {
                    // Checkboxes: Tab through them, Space on every correct one.
                    let order = shown_options(client).await?;
                    let correct = strings(&q["correct"]);
                    for (i, option) in order.iter().enumerate() {
                        if i > 0 {
                            press(keys::TAB).await?;
                        }
                        if correct.contains(option) {
                            press(" ").await?;
                        }
                    }
                    press(keys::ENTER).await?;
                    expected_right += 1;
                }
            }
            let (correct, text) = feedback(client).await?;
            if q["kind"] == "task" {
                ensure(!correct, format!("{id}: an undone task passed: {text:?}"))?;
            }
            // Focus moved to Next; Enter presses it.
            wait_for("focus on the Next button", || async {
                Ok((active_testid().await?.as_deref() == Some("quiz-next")).then_some(()))
            })
            .await?;
            press(keys::ENTER).await?;
            if n + 1 < total {
                wait_for("the next question", || async {
                    Ok((current_question(client).await? != id).then_some(()))
                })
                .await?;
            }
        }
        let score = score_text(client, "the final score", |t| t.contains(&format!("/ {total}"))).await?;
        ensure(
            score.starts_with(&format!("{expected_right} / {total}")),
            format!("expected {expected_right} / {total}, the score reads {score:?}"),
        )?;
        let mistakes = total - expected_right;
        click_id(client, "quiz-review").await?;
        let items = wait_for("the review list", || async {
            let n = texts(client, &testid("quiz-review-item")).await?.len();
            Ok((n > 0).then_some(n))
        })
        .await?;
        expect_eq("mistakes reviewed", &items.to_string(), &mistakes.to_string())?;
        click_id(client, "quiz-review-back").await?;
        click_id(client, "quiz-reset").await?;
        click_id(client, "quiz-reset-confirm").await?;
        score_text(client, "the score after a reset", |t| t.contains("0 / 0")).await?;
        let progress = texts(client, &testid("quiz-progress")).await?;
        ensure(
            progress.first().is_some_and(|p| p.contains(&format!("1 / {total}"))),
            format!("a reset starts at question 1: {progress:?}"),
        )
    }
    .await;
    fx.finish(result).await;
}
