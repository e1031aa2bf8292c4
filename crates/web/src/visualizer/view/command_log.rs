//! The commands a run really sent, lane by lane: the cold start and the latest ones,
//! with the gap between them counted. A cache command can be sent to the console,
//! which types it and runs it against the console's own engine (through the console
//! driver, as the lesson's ▶ run buttons do).

use std::rc::Rc;

use yew::prelude::*;

use super::LaneLog;
use crate::components::console_driver::use_console_mailbox;
use crate::visualizer::format::grouped;
use crate::visualizer::log::{kept_counts, safe_to_run, LogRow};

#[derive(Properties, PartialEq)]
pub struct CommandLogProps {
    pub logs: Rc<Vec<LaneLog>>,
}

#[component]
pub fn CommandLog(props: &CommandLogProps) -> Html {
    let selected = use_state(|| 0usize);
    let mailbox = use_console_mailbox();
    // Said when no console is listening (never silently dropped).
    let unsent = use_state(|| false);
    // One Tab stop for the whole log (a roving tabindex): ↑/↓ move between its
    // buttons, so a keyboard user isn't made to Tab through sixty of them.
    let active = use_state(|| None::<u64>);
    let lane = (*selected).min(props.logs.len().saturating_sub(1));
    let current = props.logs.get(lane);
    let (head, tail) = current.map_or((0, 0), |l| kept_counts(&l.rows));
    let meta = match current {
        None => "Run a scenario to see every command it sends.".to_string(),
        Some(l) if tail == 0 => format!(
            "{} {} sent",
            grouped(l.total),
            if l.total == 1 { "command" } else { "commands" }
        ),
        Some(l) => format!(
            "{} commands sent: the first {} and the latest {} are shown",
            grouped(l.total),
            grouped(head as u64),
            grouped(tail as u64)
        ),
    };
    let runnable_seqs: Vec<u64> = current.map_or_else(Vec::new, |l| {
        l.rows
            .iter()
            .filter_map(|r| match r {
                LogRow::Line {
                    seq,
                    database: false,
                    command,
                    ..
                } if safe_to_run(command) => Some(*seq),
                _ => None,
            })
            .collect()
    });
    let tab_stop = active
        .filter(|s| runnable_seqs.contains(s))
        .or_else(|| runnable_seqs.first().copied());
    let on_arrows = {
        let active = active.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step: i64 = match e.key().as_str() {
                "ArrowDown" => 1,
                "ArrowUp" => -1,
                _ => return,
            };
            let Some(button) = e.target_dyn_into::<web_sys::HtmlElement>() else {
                return;
            };
            let Some(pos) = button
                .get_attribute("data-seq")
                .and_then(|s| s.parse::<u64>().ok())
                .and_then(|seq| runnable_seqs.iter().position(|&s| s == seq))
            else {
                return;
            };
            let Some(&next) = usize::try_from(pos as i64 + step)
                .ok()
                .and_then(|i| runnable_seqs.get(i))
            else {
                return;
            };
            e.prevent_default();
            let target = button
                .closest(".viz-log-list")
                .ok()
                .flatten()
                .and_then(|list| {
                    list.query_selector(&format!(".log-send[data-seq=\"{next}\"]"))
                        .ok()
                        .flatten()
                })
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
            if let Some(target) = target {
                let _ = target.focus();
                active.set(Some(next));
            }
        })
    };
    html! {
        <section class="viz-log" aria-labelledby="viz-log-title">
            <div class="viz-section-head">
                <h3 id="viz-log-title" class="viz-subtitle">{ "Commands sent" }</h3>
                if props.logs.len() > 1 {
                    <div class="viz-tabs" role="group" aria-label="Whose commands">
                        { for props.logs.iter().enumerate().map(|(i, l)| {
                            let selected = selected.clone();
                            html! {
                                <button type="button"
                                    class={classes!("viz-tab", if i == 0 { "lane-a" } else { "lane-b" })}
                                    aria-pressed={(i == lane).to_string()}
                                    data-testid={format!("sim-log-tab-{i}")}
                                    onclick={Callback::from(move |_: MouseEvent| selected.set(i))}>
                                    <span class={classes!("swatch", if i == 0 { "swatch-a" } else { "swatch-b" })} aria-hidden="true"></span>
                                    { l.strategy.name() }
                                </button>
                            }
                        }) }
                    </div>
                }
            </div>
            <p class="viz-meta viz-log-meta">{ meta }</p>
            if *unsent {
                <p class="viz-error" role="alert">{ "The console isn't ready, so the command wasn't sent. Type it in the console instead." }</p>
            }
            if let Some(log) = current {
                <ol class="viz-log-list" onkeydown={on_arrows} data-testid="sim-log" aria-label={format!("Commands sent by {}; arrow keys move between them", log.strategy.name())}>
                    { for log.rows.iter().enumerate().map(|(i, row)| match row {
                        LogRow::Gap { skipped } => html! {
                            <li key={format!("gap-{i}")} class="log-gap">
                                { format!("⋯ {} more {} ⋯", grouped(*skipped), if *skipped == 1 { "command" } else { "commands" }) }
                            </li>
                        },
                        LogRow::Line { seq, stamp, actor, database, command, shown, reply } => {
                            let runnable = !*database && safe_to_run(command);
                            let send = mailbox.clone().filter(|_| runnable).map(|mailbox| {
                                let line = command.clone();
                                let (unsent, active, seq) = (unsent.clone(), active.clone(), *seq);
                                Callback::from(move |_: MouseEvent| {
                                    active.set(Some(seq));
                                    unsent.set(!mailbox.send(line.clone(), None, None));
                                })
                            });
                            html! {
                                <li key={seq.to_string()} class={classes!("log-line", database.then_some("log-db"))}
                                    data-testid="sim-log-line">
                                    <span class="log-time" title="simulated seconds">{ stamp.clone() }</span>
                                    <span class={classes!("log-actor", format!("actor-{actor}"))}>
                                        { if *database { "db" } else { *actor } }
                                    </span>
                                    <span class="log-text">
                                        <span class="log-cmd">{ shown.clone() }</span>
                                        <span class="log-reply">{ reply.clone() }</span>
                                    </span>
                                    if let Some(onclick) = send {
                                        <button type="button" class="log-send" {onclick}
                                            tabindex={if Some(*seq) == tab_stop { "0" } else { "-1" }}
                                            data-seq={seq.to_string()}
                                            aria-label={format!("Run {shown} in the console")}
                                            title="Type this into the console and run it">
                                            <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M4.5 2.8v10.4L13 8z" /></svg>
                                        </button>
                                    }
                                </li>
                            }
                        }
                    }) }
                </ol>
            }
        </section>
    }
}
