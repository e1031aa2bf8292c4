//! The visualizer's components and the loop that plays a run.
//!
//! A run is advanced from `requestAnimationFrame`: each frame steps every lane to
//! where real time says it should be ([`due`]), feeds the sampled requests to the
//! [`Animator`], and publishes a [`Frame`]. Dots move every frame; metrics, charts and
//! the diagram's counters refresh ten times a second, the log four times, so a frame
//! costs a few hundred simulated requests and a small re-render. "Instant" runs the
//! whole thing synchronously and publishes one frame.
//!
//! Components, one per file: [`controls`] (scenario and strategies; run, speed and
//! fault buttons), [`diagram`] (the animated App → Cache → Database), [`params_form`] (every
//! parameter), [`charts`] (metric cards with SVG charts and the test hooks) and
//! [`command_log`].

mod charts;
mod command_log;
mod controls;
mod diagram;
mod params_form;

use std::cell::RefCell;
use std::rc::Rc;

use cachelab_core::sim::FaultKind;
use gloo::render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

use super::animate::{Animator, DotView};
use super::log::{rows, LogRow};
use super::params::Form;
use super::run::{due, LaneView, Run};
use super::warmup::{Warmup, SLICE};
use charts::Charts;
use command_log::CommandLog;
use controls::{RunControls, ScenarioPicker, StrategyNotes};
use diagram::{Diagram, LaneHead};
use params_form::ParamsForm;

/// How often the metrics and charts refresh while a run plays.
const LANES_REFRESH_MS: f64 = 100.0;
/// How often the log refreshes while a run plays.
const LOG_REFRESH_MS: f64 = 250.0;

impl Reducible for Form {
    type Action = super::params::FormAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

/// Where the visualizer is; also the section's `data-state`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    #[default]
    Idle,
    Running,
    Paused,
    Done,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Done => "done",
        }
    }

    /// A run exists and can take a fault.
    pub fn live(self) -> bool {
        matches!(self, Status::Running | Status::Paused)
    }
}

/// One lane's command log, as rows.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneLog {
    pub strategy: cachelab_core::sim::Strategy,
    pub rows: Vec<LogRow>,
    pub total: u64,
}

/// Everything the components show, published once per animation frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    pub status: Status,
    /// Counts every started run, so tests can tell one run's results from the next.
    pub run_id: u64,
    pub lanes: Rc<Vec<LaneView>>,
    pub logs: Rc<Vec<LaneLog>>,
    pub dots: Rc<Vec<DotView>>,
    pub done: u32,
    pub total: u32,
    /// Simulated time of the latest request, and of the last one.
    pub now_us: u64,
    pub end_us: u64,
    /// Real time spent simulating (not animating), for the status line.
    pub compute_ms: f64,
    pub db_slow: bool,
    pub error: Option<String>,
}

/// The mutable side of the visualizer, outside Yew's state: the run, the animation
/// and the frame callback.
#[derive(Default)]
struct Player {
    run: Option<Run>,
    run_id: u64,
    animator: Animator,
    started_ms: f64,
    paused_at: Option<f64>,
    duration_ms: f64,
    compute_ms: f64,
    lanes: Rc<Vec<LaneView>>,
    lanes_ms: f64,
    logs: Rc<Vec<LaneLog>>,
    logs_ms: f64,
    reduced_motion: bool,
    raf: Option<AnimationFrame>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Scrolls `node` just enough to show it whole (`scrollIntoView({block: "nearest"})`),
/// so pressing Run below the diagram brings the diagram into view.
fn reveal(node: &NodeRef) {
    use wasm_bindgen::JsCast;
    let Some(el) = node.cast::<web_sys::Element>() else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"block".into(), &"nearest".into());
    if let Ok(scroll) = js_sys::Reflect::get(&el, &"scrollIntoView".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = scroll.call1(&el, &options);
    }
}

fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|q| q.matches())
}

impl Player {
    fn status(&self) -> Status {
        match &self.run {
            None => Status::Idle,
            Some(run) if run.is_finished() => Status::Done,
            Some(_) if self.paused_at.is_some() => Status::Paused,
            Some(_) => Status::Running,
        }
    }

    /// The current frame; lanes and logs are refreshed when `force` or when due.
    fn frame(&mut self, now: f64, dots: Vec<DotView>, force: bool) -> Frame {
        let Some(run) = &self.run else {
            return Frame {
                run_id: self.run_id,
                ..Frame::default()
            };
        };
        let finished = run.is_finished();
        if force || finished || now - self.lanes_ms >= LANES_REFRESH_MS {
            let lanes: Vec<LaneView> = (0..run.lane_count())
                .filter_map(|i| run.lane_view(i, false))
                .collect();
            self.lanes = Rc::new(lanes);
            self.lanes_ms = now;
        }
        if force || finished || now - self.logs_ms >= LOG_REFRESH_MS {
            let logs: Vec<LaneLog> = (0..run.lane_count())
                .filter_map(|i| run.lane_view(i, true))
                .map(|v| LaneLog {
                    strategy: v.strategy,
                    rows: rows(&v.log, v.log_total),
                    total: v.log_total,
                })
                .collect();
            if *self.logs != logs {
                self.logs = Rc::new(logs);
            }
            self.logs_ms = now;
        }
        let now_us = self.lanes.first().map_or(0, |l| l.metrics.sim_time_us);
        Frame {
            status: self.status(),
            run_id: self.run_id,
            lanes: self.lanes.clone(),
            logs: self.logs.clone(),
            dots: Rc::new(dots),
            done: run.done(),
            total: run.total(),
            now_us,
            end_us: run.end_time_us(),
            compute_ms: self.compute_ms,
            db_slow: run.db_slow(),
            error: None,
        }
    }

    /// One animation frame: step, sample, publish. Returns whether to keep going.
    fn tick(&mut self, set: &UseStateSetter<Frame>) -> bool {
        let now = now_ms();
        let Some(run) = self.run.as_mut() else {
            return false;
        };
        if !run.is_finished() && self.paused_at.is_none() {
            let target = due(run.total(), now - self.started_ms, self.duration_ms);
            let t0 = now_ms();
            run.step_to(target);
            self.compute_ms += now_ms() - t0;
        }
        let poll = run.poll();
        if !self.reduced_motion {
            self.animator.feed(now, &poll.events, &poll.flushed);
        }
        let finished = run.is_finished();
        let dots = self.animator.frame(now);
        let frame = self.frame(now, dots, false);
        set.set(frame);
        !(finished && self.animator.is_idle())
    }
}

/// Asks for the next animation frame, which ticks `player` and asks again while the
/// run (or its last dots) still moves.
fn schedule(player: Rc<RefCell<Player>>, set: UseStateSetter<Frame>) {
    let next = player.clone();
    let handle = request_animation_frame(move |_| {
        let again = next.borrow_mut().tick(&set);
        if again {
            schedule(next, set);
        } else {
            next.borrow_mut().raf = None;
        }
    });
    player.borrow_mut().raf = Some(handle);
}

/// Plays the warm-up one slice per idle moment of the page, and stops for good
/// once the learner has started a run (`player.run_id` > 0) or the section is
/// gone (`job` emptied). `set` publishes `running`, `done` or `stopped`.
fn warm_up(
    job: Rc<RefCell<Option<Warmup>>>,
    player: Rc<RefCell<Player>>,
    set: UseStateSetter<&'static str>,
) {
    on_idle(move || {
        let mut slot = job.borrow_mut();
        let Some(warmup) = slot.as_mut() else { return };
        if player.borrow().run_id > 0 {
            *slot = None;
            set.set("stopped");
            return;
        }
        if warmup.step(SLICE) {
            *slot = None;
            set.set("done");
            return;
        }
        drop(slot);
        warm_up(job, player, set);
    });
}

/// Runs `f` once the page is idle (`requestIdleCallback`), or after a short
/// timeout where the browser has no idle callbacks.
fn on_idle(f: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = wasm_bindgen::closure::Closure::once_into_js(f);
    let callback: &js_sys::Function = callback.unchecked_ref();
    if window.request_idle_callback(callback).is_err() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback, 20);
    }
}

#[derive(Properties, PartialEq)]
pub struct VisualizerProps {}

/// The page's "Strategies" section.
#[component]
pub fn Visualizer(_props: &VisualizerProps) -> Html {
    let form = use_reducer(Form::default);
    let frame = use_state(Frame::default);
    let player = use_mut_ref(Player::default);
    let board = use_node_ref();

    let warmup = use_state(|| "running");

    {
        let player = player.clone();
        use_effect_with((), move |_| move || player.borrow_mut().raf = None);
    }
    {
        let player = player.clone();
        let set = warmup.setter();
        use_effect_with((), move |_| {
            let job = Rc::new(RefCell::new(Some(Warmup::new())));
            warm_up(job.clone(), player, set);
            move || drop(job.borrow_mut().take())
        });
    }

    let on_run = {
        let player = player.clone();
        let set = frame.setter();
        let board = board.clone();
        use_callback(form.clone(), move |(), form| {
            let mut p = player.borrow_mut();
            p.raf = None;
            p.run_id += 1;
            let started = form
                .config()
                .and_then(|cfg| Run::new(&cfg, &form.strategies()).map_err(|e| e.to_string()));
            let run = match started {
                Ok(run) => run,
                Err(why) => {
                    p.run = None;
                    set.set(Frame {
                        run_id: p.run_id,
                        error: Some(format!("Can't run yet. {why}.")),
                        ..Frame::default()
                    });
                    return;
                }
            };
            p.run = Some(run);
            p.animator.clear();
            p.compute_ms = 0.0;
            p.paused_at = None;
            p.reduced_motion = prefers_reduced_motion();
            let now = now_ms();
            match form.speed.duration_ms() {
                None => {
                    if let Some(run) = p.run.as_mut() {
                        let t0 = now_ms();
                        run.run_to_end();
                        p.compute_ms = now_ms() - t0;
                    }
                    let frame = p.frame(now, Vec::new(), true);
                    set.set(frame);
                }
                Some(duration) => {
                    p.duration_ms = duration;
                    p.started_ms = now;
                    let frame = p.frame(now, Vec::new(), true);
                    set.set(frame);
                    drop(p);
                    schedule(player.clone(), set.clone());
                    reveal(&board);
                }
            }
        })
    };

    let on_pause = {
        let player = player.clone();
        let set = frame.setter();
        use_callback((), move |(), ()| {
            let mut p = player.borrow_mut();
            if p.run.as_ref().is_none_or(Run::is_finished) {
                return;
            }
            let now = now_ms();
            match p.paused_at.take() {
                Some(at) => {
                    p.started_ms += now - at;
                    drop(p);
                    schedule(player.clone(), set.clone());
                }
                None => {
                    p.paused_at = Some(now);
                    p.raf = None;
                    let frame = p.frame(now, Vec::new(), true);
                    set.set(frame);
                }
            }
        })
    };

    let on_finish = {
        let player = player.clone();
        let set = frame.setter();
        use_callback((), move |(), ()| {
            let mut p = player.borrow_mut();
            p.raf = None;
            p.paused_at = None;
            p.animator.clear();
            let t0 = now_ms();
            if let Some(run) = p.run.as_mut() {
                run.run_to_end();
                let _ = run.poll();
            }
            p.compute_ms += now_ms() - t0;
            let frame = p.frame(now_ms(), Vec::new(), true);
            set.set(frame);
        })
    };

    let on_fault = {
        let player = player.clone();
        let set = frame.setter();
        use_callback((), move |kind: FaultKind, ()| {
            let mut p = player.borrow_mut();
            let Some(run) = p.run.as_mut() else { return };
            let kind = match kind {
                // The button toggles: a second press makes the database healthy again.
                FaultKind::DbSlow { .. } if run.db_slow() => FaultKind::DbSlow { factor: 1.0 },
                other => other,
            };
            let result = run.inject(kind);
            let paused = p.paused_at.is_some();
            if let Err(why) = result {
                let mut frame = p.frame(now_ms(), Vec::new(), true);
                frame.error = Some(format!("The fault wasn't applied: {why}."));
                set.set(frame);
            } else if paused {
                // No frames run while paused; show the pressed button now.
                let frame = p.frame(now_ms(), Vec::new(), true);
                set.set(frame);
            }
        })
    };

    let lanes = frame.lanes.clone();
    let heads: Vec<LaneHead> = if lanes.is_empty() {
        form.strategies().into_iter().map(LaneHead::idle).collect()
    } else {
        lanes
            .iter()
            .map(|l| LaneHead {
                strategy: l.strategy,
                requests: l.metrics.requests,
                hits: l.metrics.hits,
                reads: l.metrics.reads,
                cached_keys: l.cached_keys,
                db_queries: l.metrics.db_queries,
                restarts: l
                    .faults
                    .iter()
                    .filter(|f| f.kind == FaultKind::CacheRestart)
                    .count(),
                db_slow: frame.db_slow,
            })
            .collect()
    };
    let status = frame.status;
    html! {
        <section id="visualizer" class="viz" aria-labelledby="viz-title"
            data-testid="visualizer" data-state={status.id()} data-run={frame.run_id.to_string()}
            data-done={frame.done.to_string()} data-compute-ms={format!("{:.1}", frame.compute_ms)}
            data-warmup={*warmup}>
            <header class="viz-intro">
                <p class="eyebrow">{ "Strategies" }</p>
                <h2 id="viz-title" class="viz-title">{ "Watch the strategies at work" }</h2>
                <p class="viz-lead">
                    { "Each run drives the real engine in this tab with the very commands a strategy \
                       sends, in front of a simulated database. Pick a scenario, press Run, and \
                       compare two strategies on the same stream of requests." }
                </p>
            </header>
            <div class="viz-stage">
                <ScenarioPicker form={form.clone()} />
                <div class="viz-board" ref={board}>
                    <Diagram heads={heads} dots={frame.dots.clone()} />
                    <diagram::Progress
                        status={status}
                        done={frame.done}
                        total={frame.total}
                        now_us={frame.now_us}
                        end_us={frame.end_us}
                        compute_ms={frame.compute_ms}
                        lanes={lanes.clone()}
                    />
                </div>
                <RunControls
                    form={form.clone()}
                    status={status}
                    db_slow={frame.db_slow}
                    error={frame.error.clone()}
                    {on_run}
                    {on_pause}
                    {on_finish}
                    {on_fault}
                />
                <StrategyNotes form={form.clone()} />
            </div>
            <ParamsForm form={form.clone()} />
            <Charts lanes={lanes} end_us={frame.end_us} />
            <CommandLog logs={frame.logs.clone()} />
        </section>
    }
}
