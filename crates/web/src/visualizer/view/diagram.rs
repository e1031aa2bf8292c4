//! The animated App → Cache → Database diagram, one lane per strategy, and the
//! progress line under it.

use std::rc::Rc;

use cachelab_core::sim::Strategy;
use yew::prelude::*;

use super::Status;
use crate::visualizer::animate::{
    arc_d, DotKind, DotView, APP, CACHE, DB, LANE_HEIGHT, LANE_WIDTH,
};
use crate::visualizer::format::{self, grouped};
use crate::visualizer::readout::db_sentence;
use crate::visualizer::run::LaneView;

/// What a lane's nodes say.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneHead {
    pub strategy: Strategy,
    pub requests: u64,
    pub reads: u64,
    pub hits: u64,
    pub cached_keys: u64,
    pub db_queries: u64,
    /// Cache restarts so far (each one flashes the cache).
    pub restarts: usize,
    pub db_slow: bool,
}

impl LaneHead {
    pub fn idle(strategy: Strategy) -> LaneHead {
        LaneHead {
            strategy,
            requests: 0,
            reads: 0,
            hits: 0,
            cached_keys: 0,
            db_queries: 0,
            restarts: 0,
            db_slow: false,
        }
    }
}

fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub heads: Vec<LaneHead>,
    pub dots: Rc<Vec<DotView>>,
}

const NODE_W: f64 = 96.0;
const NODE_H: f64 = 50.0;

fn node_box(center: (f64, f64), title: &str, sub: String) -> Html {
    html! {
        <>
            <rect class="node-shape" x={(center.0 - NODE_W / 2.0).to_string()} y={(center.1 - NODE_H / 2.0).to_string()}
                width={NODE_W.to_string()} height={NODE_H.to_string()} rx="11" />
            <text class="node-title" x={center.0.to_string()} y={(center.1 - 3.0).to_string()}>{ title.to_string() }</text>
            <text class="node-sub" x={center.0.to_string()} y={(center.1 + 14.0).to_string()}>{ sub }</text>
        </>
    }
}

fn lane(i: usize, head: &LaneHead, dots: &[DotView]) -> Html {
    let uses_cache = head.strategy.uses_cache();
    let left = DB.0 - NODE_W / 2.0;
    let (top, ry) = (DB.1 - NODE_H / 2.0 + 5.0, 6.5);
    let cylinder = format!(
        "M{left} {top}a{r} {ry} 0 0 1 {w} 0v{h}a{r} {ry} 0 0 1 -{w} 0z",
        r = NODE_W / 2.0,
        w = NODE_W,
        h = NODE_H - 10.0,
    );
    let rim = format!(
        "M{left} {top}a{r} {ry} 0 0 0 {w} 0",
        r = NODE_W / 2.0,
        w = NODE_W
    );
    let stat = if !uses_cache {
        "every request queries the database".to_string()
    } else if head.reads > 0 {
        format!(
            "hit ratio {}",
            format::percent(head.hits as f64 / head.reads as f64)
        )
    } else {
        String::new()
    };
    html! {
        <g class={classes!("lane", if i == 0 { "lane-a" } else { "lane-b" })}
            transform={format!("translate(0 {})", i as f64 * LANE_HEIGHT)}>
            <text class="lane-name" x="14" y="13">{ head.strategy.name() }</text>
            <text class="lane-stat" x={(LANE_WIDTH - 14.0).to_string()} y="13">{ stat }</text>
            <line class={classes!("link", (!uses_cache).then_some("link-off"))}
                x1={APP.0.to_string()} y1={APP.1.to_string()} x2={CACHE.0.to_string()} y2={CACHE.1.to_string()} />
            <line class={classes!("link", (!uses_cache).then_some("link-off"))}
                x1={CACHE.0.to_string()} y1={CACHE.1.to_string()} x2={DB.0.to_string()} y2={DB.1.to_string()} />
            <path class="link link-arc" d={arc_d()} />
            { for dots.iter().filter(|d| d.lane == i).map(|d| html! {
                <circle key={d.id} class={classes!("dot", d.kind.class(), d.stale.then_some("dot-stale"))}
                    cx={format::trim(d.x, 1)} cy={format::trim(d.y, 1)} r="5.5" />
            }) }
            <g class="node node-app">{ node_box(APP, "App", count(head.requests, "request", "requests")) }</g>
            // Keyed by the restart count: a new element replays the flash animation.
            <g key={format!("cache-{}", head.restarts)}
                class={classes!("node", "node-cache", (!uses_cache).then_some("node-off"), (head.restarts > 0).then_some("node-flash"))}>
                { node_box(
                    CACHE,
                    "Cache",
                    if uses_cache { count(head.cached_keys, "key", "keys") } else { "not used".to_string() },
                ) }
            </g>
            <g class={classes!("node", "node-db", head.db_slow.then_some("node-slow"))}>
                <path class="node-shape" d={cylinder} />
                <path class="node-rim" d={rim} />
                <text class="node-title" x={DB.0.to_string()} y={(DB.1 + 1.0).to_string()}>{ "Database" }</text>
                <text class="node-sub" x={DB.0.to_string()} y={(DB.1 + 17.0).to_string()}>
                    { count(head.db_queries, "query", "queries") }
                </text>
                if head.db_slow {
                    <text class="node-badge" x={DB.0.to_string()} y={(DB.1 + NODE_H / 2.0 + 16.0).to_string()}>{ "×10 slower" }</text>
                }
            </g>
        </g>
    }
}

#[component]
pub fn Diagram(props: &DiagramProps) -> Html {
    let lanes = props.heads.len().max(1);
    let height = lanes as f64 * LANE_HEIGHT;
    let names: Vec<&str> = props.heads.iter().map(|h| h.strategy.name()).collect();
    let description = format!(
        "Requests travel from the app to the cache and the database. {}",
        props
            .heads
            .iter()
            .map(|h| format!(
                "{}: {}, {}.",
                h.strategy.name(),
                count(h.requests, "request", "requests"),
                count(h.db_queries, "database query", "database queries")
            ))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let legend = [
        DotKind::Hit,
        DotKind::Miss,
        DotKind::DbRead,
        DotKind::Write,
        DotKind::Flush,
    ];
    html! {
        <figure class="viz-diagram">
            <svg viewBox={format!("0 0 {LANE_WIDTH} {height}")} role="img"
                aria-label={format!("Diagram: App, cache and database for {}", names.join(" and "))}>
                <desc>{ description }</desc>
                if lanes > 1 {
                    <line class="lane-divider" x1="8" x2={(LANE_WIDTH - 8.0).to_string()}
                        y1={LANE_HEIGHT.to_string()} y2={LANE_HEIGHT.to_string()} />
                }
                { for props.heads.iter().enumerate().map(|(i, h)| lane(i, h, &props.dots)) }
            </svg>
            <figcaption class="viz-legend">
                { for legend.iter().map(|k| html! {
                    <span class="legend-item">
                        <span class={classes!("legend-dot", k.class())} aria-hidden="true"></span>{ k.legend() }
                    </span>
                }) }
                <span class="legend-item">
                    <span class="legend-dot dot-hit dot-stale" aria-hidden="true"></span>{ "stale read" }
                </span>
            </figcaption>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    pub status: Status,
    pub done: u32,
    pub total: u32,
    pub now_us: u64,
    pub end_us: u64,
    pub compute_ms: f64,
    pub lanes: Rc<Vec<LaneView>>,
}

#[component]
pub fn Progress(props: &ProgressProps) -> Html {
    let pct = if props.total == 0 {
        0.0
    } else {
        f64::from(props.done) / f64::from(props.total) * 100.0
    };
    let where_ = format!(
        "{} of {} requests · {} of {} simulated",
        grouped(props.done.into()),
        grouped(props.total.into()),
        format::sim_time(props.now_us),
        format::sim_time(props.end_us)
    );
    let text = match props.status {
        Status::Idle => "Ready: press Run to play the scenario.".to_string(),
        Status::Running => where_,
        Status::Paused => format!("Paused at {where_}"),
        Status::Done => {
            let names: Vec<String> = props
                .lanes
                .iter()
                .map(|l| l.strategy.name().to_ascii_lowercase())
                .collect();
            let mut lanes = props.lanes.iter().zip(&names);
            let sentence = match lanes.next() {
                Some((a, an)) => db_sentence(
                    (an, &a.metrics),
                    lanes.next().map(|(b, bn)| (bn.as_str(), &b.metrics)),
                ),
                None => String::new(),
            };
            format!(
                "{sentence} {} requests over {} of simulated time, simulated in {} ms.",
                grouped(props.total.into()),
                format::sim_time(props.end_us),
                format::trim(props.compute_ms, 1)
            )
        }
    };
    html! {
        <div class="viz-progress">
            <div class="viz-bar" role="progressbar" aria-label="Run progress"
                aria-valuemin="0" aria-valuemax={props.total.to_string()} aria-valuenow={props.done.to_string()}>
                <span class="viz-bar-fill" style={format!("width: {pct:.2}%")}></span>
            </div>
            <p class="viz-status" data-testid="sim-status">{ text }</p>
        </div>
    }
}
