//! The metric cards: for each charted metric, every lane's current value (these carry
//! the `sim-metric-*` test hooks) above a small SVG chart of the metric over
//! simulated time, with the faults marked where they struck.

use std::rc::Rc;

use cachelab_core::sim::{AppliedFault, Metrics};
use yew::prelude::*;

use crate::visualizer::chart::{self, ChartKind, HEIGHT, WIDTH};
use crate::visualizer::format;
use crate::visualizer::params::fault_name;
use crate::visualizer::readout::Readout;
use crate::visualizer::run::LaneView;

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub lanes: Rc<Vec<LaneView>>,
    pub end_us: u64,
}

fn lane_class(i: usize) -> &'static str {
    if i == 0 {
        "lane-a"
    } else {
        "lane-b"
    }
}

fn hook(i: usize, r: Readout) -> String {
    if i == 0 {
        format!("sim-metric-{}", r.hook())
    } else {
        format!("sim-compare-metric-{}", r.hook())
    }
}

/// One read-out: the value with its hook, or a dash before any run.
fn value(i: usize, r: Readout, m: Option<&Metrics>) -> Html {
    match m {
        Some(m) => html! {
            <span class={classes!("viz-number-out", r.is_bad(m).then_some("viz-bad"))}
                data-testid={hook(i, r)} data-value={r.raw(m)}>{ r.text(m) }</span>
        },
        None => html! {
            <span class="viz-number-out viz-none" data-testid={hook(i, r)}>{ "—" }</span>
        },
    }
}

fn card(kind: ChartKind, lanes: &[LaneView], end_us: u64) -> Html {
    let series: Vec<&[cachelab_core::sim::SeriesPoint]> =
        lanes.iter().map(|l| l.series.as_slice()).collect();
    let model = chart::build(kind, &series, end_us);
    let readouts = Readout::of_chart(kind);
    let x_end = (end_us as f64).max(1.0);
    // Faults strike every lane at the same request; lane 0 says when.
    let faults: Vec<AppliedFault> = lanes.first().map(|l| l.faults.clone()).unwrap_or_default();
    let rows: Html = if lanes.is_empty() {
        html! {
            <div class="viz-value lane-a">
                <span class="swatch swatch-a" aria-hidden="true"></span>
                { for readouts.iter().enumerate().map(|(j, &r)| html! {
                    <span class={if j == 0 { "viz-main" } else { "viz-second" }}>
                        if j > 0 { { format!("{} ", r.label()) } }
                        { value(0, r, None) }
                    </span>
                }) }
            </div>
        }
    } else {
        lanes
            .iter()
            .enumerate()
            .map(|(i, lane)| {
                html! {
                    <div class={classes!("viz-value", lane_class(i))} title={lane.strategy.name()}>
                        <span class={classes!("swatch", if i == 0 { "swatch-a" } else { "swatch-b" })} aria-hidden="true"></span>
                        <span class="sr-only">{ format!("{}: ", lane.strategy.name()) }</span>
                        { for readouts.iter().enumerate().map(|(j, &r)| html! {
                            <span class={if j == 0 { "viz-main" } else { "viz-second" }}>
                                if j > 0 { { format!("{} ", r.label()) } }
                                { value(i, r, Some(&lane.metrics)) }
                            </span>
                        }) }
                    </div>
                }
            })
            .collect()
    };
    html! {
        <figure class="viz-card" data-chart={readouts[0].hook()}>
            <figcaption class="viz-card-head">
                <span class="viz-card-title">{ kind.title() }</span>
                <span class="viz-card-explain">{ kind.explain() }</span>
            </figcaption>
            <div class="viz-values">{ rows }</div>
            <div class="viz-plot">
                <svg class="viz-chart" viewBox={format!("0 0 {WIDTH} {HEIGHT}")} preserveAspectRatio="none"
                    aria-hidden="true" focusable="false">
                    { for model.ticks.iter().map(|(y, _)| html! {
                        <line class="grid" x1="0" x2={WIDTH.to_string()} y1={y.to_string()} y2={y.to_string()} />
                    }) }
                    { for faults.iter().map(|f| {
                        let x = format::trim(chart::x(f.t_us as f64, x_end), 1);
                        html! { <line class="fault-line" x1={x.clone()} x2={x} y1="0" y2={HEIGHT.to_string()} /> }
                    }) }
                    { for model.lines.iter().enumerate().rev().map(|(i, line)| html! {
                        <>
                            if let Some(d) = &line.second {
                                <path class={classes!("series", "series-second", lane_class(i))} d={d.clone()} />
                            }
                            <path class={classes!("series", lane_class(i))} d={line.main.clone()} />
                        </>
                    }) }
                </svg>
                { for model.ticks.iter().skip(1).map(|(y, label)| html! {
                    <span class="viz-tick" style={format!("top: {:.1}%", y / HEIGHT * 100.0)}>{ label.clone() }</span>
                }) }
                { for faults.iter().map(|f| html! {
                    <span class="viz-fault-tag" title={fault_name(f.kind)}
                        style={format!("left: {:.1}%", chart::x(f.t_us as f64, x_end) / WIDTH * 100.0)}>
                        { match f.kind {
                            cachelab_core::sim::FaultKind::CacheRestart => "⟲",
                            cachelab_core::sim::FaultKind::DbSlow { .. } => "◔",
                        } }
                    </span>
                }) }
            </div>
        </figure>
    }
}

#[component]
pub fn Charts(props: &ChartsProps) -> Html {
    let span = if props.end_us > 0 {
        format!(
            "charted over simulated time, 0 to {}",
            format::sim_time(props.end_us)
        )
    } else {
        "charted over simulated time".to_string()
    };
    html! {
        <section class="viz-metrics" aria-labelledby="viz-metrics-title">
            <div class="viz-section-head">
                <h3 id="viz-metrics-title" class="viz-subtitle">{ "Metrics" }</h3>
                <span class="viz-meta">{ span }</span>
            </div>
            <div class="viz-cards">
                { for ChartKind::ALL.iter().map(|&k| card(k, &props.lanes, props.end_us)) }
            </div>
        </section>
    }
}
