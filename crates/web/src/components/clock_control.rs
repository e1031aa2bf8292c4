//! Pause, resume or jump the simulated clock, and show how far it is from real time.

use yew::prelude::*;

use crate::clock::{format_offset, SECOND_US};
use crate::context::{real_now_us, use_sandbox, use_tick};

#[derive(Properties, PartialEq)]
pub struct ClockControlProps {}

#[component]
pub fn ClockControl(_props: &ClockControlProps) -> Html {
    let sandbox = use_sandbox();
    // Re-render on every beat: the time display moves.
    let _ = use_tick();
    let clock = sandbox.clock();
    let real = real_now_us();
    let paused = clock.is_paused();
    let sim_time = wall_time(clock.now_us(real));
    let offset = format_offset(clock.offset_us(real));

    let on_pause = {
        let sandbox = sandbox.clone();
        Callback::from(move |_: MouseEvent| sandbox.toggle_pause())
    };
    let jump = |secs: u64| {
        let sandbox = sandbox.clone();
        Callback::from(move |_: MouseEvent| sandbox.advance(secs * SECOND_US))
    };
    html! {
        <div class={classes!("clock", paused.then_some("clock-paused"))} role="group" aria-label="Simulated clock">
            <span class="clock-face" title="Simulated time, and how far it is from real time">
                <span class="clock-time" data-testid="clock-time">{ sim_time }</span>
                <span class="clock-offset" data-testid="clock-display" aria-label={format!("offset from real time {offset}")}>{ offset }</span>
            </span>
            <button type="button" class="btn btn-clock" data-testid="clock-pause" aria-pressed={paused.to_string()}
                title={if paused { "Resume the simulated clock" } else { "Pause the simulated clock" }}
                onclick={on_pause}>
                if paused {
                    <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M4.5 2.8v10.4L13 8z" /></svg>
                    { "Resume" }
                } else {
                    <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><rect x="3.5" y="2.8" width="3" height="10.4" rx="1" /><rect x="9.5" y="2.8" width="3" height="10.4" rx="1" /></svg>
                    { "Pause" }
                }
            </button>
            <button type="button" class="btn btn-clock" data-testid="clock-plus-10s" title="Jump 10 seconds ahead" onclick={jump(10)}>{ "+10 s" }</button>
            <button type="button" class="btn btn-clock" data-testid="clock-plus-1m" title="Jump one minute ahead" onclick={jump(60)}>{ "+1 min" }</button>
        </div>
    }
}

/// `HH:MM:SS` in the learner's time zone.
fn wall_time(now_us: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((now_us / 1000) as f64));
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}
