//! Around the diagram: [`ScenarioPicker`] (the scenario and the two strategies),
//! [`StrategyNotes`] (what each sends) and [`RunControls`] (Run / Pause / Skip to end,
//! the speed, and the fault buttons).

use cachelab_core::sim::{presets, FaultKind, Strategy};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::Status;
use crate::visualizer::format::grouped;
use crate::visualizer::params::{fault_name, Form, FormAction, Speed};

#[derive(Properties, PartialEq)]
pub struct ScenarioPickerProps {
    pub form: UseReducerHandle<Form>,
}

#[derive(Properties, PartialEq)]
pub struct RunControlsProps {
    pub form: UseReducerHandle<Form>,
    pub status: Status,
    pub db_slow: bool,
    pub error: Option<String>,
    pub on_run: Callback<()>,
    pub on_pause: Callback<()>,
    pub on_finish: Callback<()>,
    pub on_fault: Callback<FaultKind>,
}

fn selected(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// A `<select>` whose change dispatches `to_action(value)`.
fn on_select(
    form: &UseReducerHandle<Form>,
    to_action: impl Fn(String) -> Option<FormAction> + 'static,
) -> Callback<Event> {
    let form = form.clone();
    Callback::from(move |e: Event| {
        if let Some(action) = to_action(selected(&e)) {
            form.dispatch(action);
        }
    })
}

fn strategy_options(current: Option<Strategy>) -> Html {
    Strategy::ALL
        .into_iter()
        .map(|s| {
            html! {
                <option value={s.id()} selected={current == Some(s)}>{ s.name() }</option>
            }
        })
        .collect()
}

#[component]
pub fn ScenarioPicker(props: &ScenarioPickerProps) -> Html {
    let form = &props.form;
    let all = presets();
    let preset = form.preset.and_then(|id| all.iter().find(|p| p.id == id));
    let on_preset = on_select(form, |v| Some(FormAction::Preset(v)));
    let on_strategy = on_select(form, |v| Strategy::from_id(&v).map(FormAction::Strategy));
    let on_compare = on_select(form, |v| Some(FormAction::Compare(Strategy::from_id(&v))));
    html! {
        <div class="viz-setup">
            <div class="viz-control">
                <label class="viz-label" for="sim-preset">{ "Scenario" }</label>
                <select id="sim-preset" class="viz-select" data-testid="sim-preset" onchange={on_preset}>
                    { for all.iter().map(|p| html! {
                        <option value={p.id} selected={form.preset == Some(p.id)}>{ p.name }</option>
                    }) }
                    <option value="custom" selected={form.preset.is_none()}>{ "Custom settings" }</option>
                </select>
                <p class="viz-desc">
                    { preset.map_or(
                        "Your own parameters. Pick a scenario to start from the lesson's numbers again.",
                        |p| p.description,
                    ) }
                </p>
            </div>
            <div class="viz-pair">
                <div class="viz-control">
                    <label class="viz-label" for="sim-strategy">
                        <span class="swatch swatch-a" aria-hidden="true"></span>{ "Strategy" }
                    </label>
                    <select id="sim-strategy" class="viz-select" data-testid="sim-strategy" onchange={on_strategy}>
                        { strategy_options(Some(form.strategy)) }
                    </select>
                </div>
                <div class="viz-control">
                    <label class="viz-label" for="sim-compare">
                        <span class="swatch swatch-b" aria-hidden="true"></span>{ "Beside it" }
                    </label>
                    <select id="sim-compare" class="viz-select" data-testid="sim-compare" onchange={on_compare}>
                        <option value="none" selected={form.compare.is_none()}>{ "Nothing" }</option>
                        { strategy_options(form.compare) }
                    </select>
                </div>
            </div>
        </div>
    }
}

/// What each chosen strategy sends, in one sentence each.
#[component]
pub fn StrategyNotes(props: &ScenarioPickerProps) -> Html {
    html! {
        <ul class="viz-summaries" aria-label="How the chosen strategies work">
            { for props.form.strategies().iter().enumerate().map(|(i, s)| html! {
                <li class={classes!("viz-summary", if i == 0 { "lane-a" } else { "lane-b" })}>
                    <strong>{ s.name() }</strong>{ ": " }{ s.summary() }
                </li>
            }) }
        </ul>
    }
}

#[component]
pub fn RunControls(props: &RunControlsProps) -> Html {
    let form = &props.form;
    let on_speed = on_select(form, |v| Speed::from_id(&v).map(FormAction::Speed));
    let clear_faults = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| form.dispatch(FormAction::ClearScheduledFaults))
    };
    let click = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let fault = |kind: FaultKind| {
        let cb = props.on_fault.clone();
        Callback::from(move |_: MouseEvent| cb.emit(kind))
    };
    let live = props.status.live();
    let paused = props.status == Status::Paused;
    let fault_hint = if live {
        "Strikes every strategy before the same request."
    } else {
        "Available while a run plays."
    };
    html! {
        <div class="viz-run-controls">
            <div class="viz-actions">
                <button type="button" class="btn btn-primary viz-run" data-testid="sim-run"
                    onclick={click(&props.on_run)}>
                    <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M4.5 2.8v10.4L13 8z" /></svg>
                    { if live { "Restart" } else { "Run" } }
                </button>
                if live {
                    <button type="button" class="btn" data-testid="sim-pause" aria-pressed={paused.to_string()}
                        onclick={click(&props.on_pause)}>
                        { if paused { "Resume" } else { "Pause" } }
                    </button>
                    <button type="button" class="btn" data-testid="sim-finish" onclick={click(&props.on_finish)}
                        title="Simulate the rest at once">
                        { "Skip to end" }
                    </button>
                }
                <label class="viz-speed">
                    <span class="viz-label">{ "Speed" }</span>
                    <select class="viz-select" data-testid="sim-speed" onchange={on_speed}>
                        { for Speed::ALL.iter().map(|s| html! {
                            <option value={s.id()} selected={form.speed == *s}>{ s.label() }</option>
                        }) }
                    </select>
                </label>
            </div>
            <fieldset class="viz-faults">
                <legend class="viz-label">{ "Something goes wrong" }</legend>
                <div class="viz-fault-buttons">
                    <button type="button" class="btn btn-fault" data-testid="sim-fault-restart"
                        disabled={!live} onclick={fault(FaultKind::CacheRestart)}
                        title="FLUSHALL: the cache comes back empty; write-behind loses its queued writes">
                        <span aria-hidden="true">{ "⟲ " }</span>{ "Cache restarts" }
                    </button>
                    <button type="button" class="btn btn-fault" data-testid="sim-fault-db-slow"
                        disabled={!live} aria-pressed={props.db_slow.to_string()}
                        onclick={fault(FaultKind::DbSlow { factor: 10.0 })}
                        title="Every database query takes ten times as long; press again to recover">
                        <span aria-hidden="true">{ "◔ " }</span>{ "Database slow" }
                    </button>
                    <span class="viz-hint">{ fault_hint }</span>
                </div>
                if !form.scheduled_faults().is_empty() {
                    <p class="viz-scheduled">
                        { "Scheduled in this scenario: " }
                        { form.scheduled_faults().iter().map(|f| format!(
                            "{} after {} requests", fault_name(f.kind), grouped(u64::from(f.at_request))
                        )).collect::<Vec<_>>().join(", ") }
                        { ". " }
                        <button type="button" class="btn-link" onclick={clear_faults}>{ "Remove" }</button>
                    </p>
                }
            </fieldset>
            if let Some(error) = &props.error {
                <p class="viz-error" role="alert">{ error.clone() }</p>
            }
        </div>
    }
}
