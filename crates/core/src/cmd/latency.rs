//! LATENCY LATEST/HISTORY/RESET/GRAPH/DOCTOR/HISTOGRAM/HELP and INFO
//! latencystats, over [`crate::latency`].

use super::server::help_reply;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::latency::{analyze, graph, percentile_label, Histogram};
use crate::reply::Reply;
use crate::stats::CommandStat;
use crate::table::{self, CommandSpec};

pub fn latency_latest(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Array(
        e.latency
            .iter()
            .map(|(event, series)| {
                let (time, latency) = series.latest();
                Reply::Array(vec![
                    Reply::bulk(event.as_bytes().to_vec()),
                    Reply::Integer(time as i64),
                    Reply::Integer(latency as i64),
                    Reply::Integer(series.max() as i64),
                ])
            })
            .collect(),
    ))
}

pub fn latency_history(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let samples = e
        .latency
        .get(&argv[2])
        .map(|(_, series)| {
            series
                .history()
                .map(|(time, ms)| {
                    Reply::Array(vec![Reply::Integer(time as i64), Reply::Integer(ms as i64)])
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Reply::Array(samples))
}

pub fn latency_reset(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let resets = if argv.len() == 2 {
        e.latency.reset(None)
    } else {
        argv[2..].iter().map(|ev| e.latency.reset(Some(ev))).sum()
    };
    Ok(Reply::Integer(resets as i64))
}

pub fn latency_graph(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let now_s = e.now_us / 1_000_000;
    match e.latency.get(&argv[2]) {
        Some((event, series)) => Ok(Reply::verbatim_text(graph(event, series, now_s))),
        None => {
            let mut msg = b"ERR No samples available for event '".to_vec();
            msg.extend_from_slice(&crate::engine::printable_bytes(&argv[2], usize::MAX));
            msg.push(b'\'');
            Err(CmdError::Raw(msg))
        }
    }
}

pub fn latency_doctor(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::verbatim_text(doctor_report(e)))
}

/// LATENCY DOCTOR's report: each event class with its statistics, then what
/// the classes seen suggest.
fn doctor_report(e: &Engine) -> String {
    let threshold = e.config.latency_threshold_ms;
    if e.latency.is_empty() {
        return if threshold == 0 {
            "The latency monitor is off, so there is nothing to report. Turn it on with \
             CONFIG SET latency-monitor-threshold <milliseconds>: events that take at least \
             that long are then recorded.\n"
                .to_string()
        } else {
            format!(
                "No event has taken {threshold} ms or more since the latency monitor was turned \
                 on (or last reset). Nothing to worry about.\n"
            )
        };
    }
    let now_s = e.now_us / 1_000_000;
    let mut out = String::from("Latency spikes were recorded by this instance:\n\n");
    let mut advice: Vec<String> = Vec::new();
    let mut advise = |text: String| {
        if !advice.contains(&text) {
            advice.push(text);
        }
    };
    for (n, (event, series)) in e.latency.iter().enumerate() {
        let a = analyze(series, now_s);
        out.push_str(&format!(
            "{}. {event}: {} spikes, averaging {} ms (mean deviation {} ms), one every {:.2} s \
             on average. The worst ever took {} ms.\n",
            n + 1,
            a.samples,
            a.avg,
            a.mad,
            a.period as f64 / a.samples.max(1) as f64,
            series.max()
        ));
        match event {
            "command" => {
                let slower_than = e.config.slowlog_slower_than;
                if slower_than < 0 {
                    advise(format!(
                        "Some commands are slow, but the slow log is off: turn it on with \
                         CONFIG SET slowlog-log-slower-than {} to see which.",
                        threshold.saturating_mul(1000)
                    ));
                } else if u64::try_from(slower_than / 1000).is_ok_and(|ms| ms > threshold) {
                    advise(format!(
                        "The slow log only keeps commands slower than the latency threshold; \
                         CONFIG SET slowlog-log-slower-than {} makes them meet.",
                        threshold.saturating_mul(1000)
                    ));
                }
                advise(
                    "SLOWLOG GET shows the slow commands and their arguments: look for O(N) \
                     commands (KEYS, SMEMBERS, SORT, ...) on big values."
                        .to_string(),
                );
                advise(large_objects());
            }
            "fast-command" => advise(
                "Commands that should take microseconds took milliseconds: the host did not \
                 give the server CPU time (load, other programs, a noisy neighbour)."
                    .to_string(),
            ),
            "expire-cycle" => {
                if e.config.hz < 100 {
                    advise(
                        "A higher hz (CONFIG SET hz 100) spreads active expiry over more, \
                         shorter cycles."
                            .to_string(),
                    );
                }
                advise(large_objects());
            }
            "eviction-cycle" => advise(
                "Evicting many keys at once (a lower maxmemory, a big write) blocks the \
                 server; change maxmemory in small steps."
                    .to_string(),
            ),
            _ => {}
        }
    }
    if !advice.is_empty() {
        out.push_str("\nWhat may help:\n\n");
        for line in &advice {
            out.push_str("- ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn large_objects() -> String {
    "Deleting, expiring or evicting a very large value blocks the server for as long as it \
     takes to free; split such values into smaller keys."
        .to_string()
}

pub fn latency_histogram(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let stats: Vec<&CommandStat> = e.stats.commandstats.values().collect();
    let of = |spec: &CommandSpec| {
        stats
            .iter()
            .find(|s| std::ptr::eq(s.spec, spec))
            .and_then(|s| s.histogram.as_ref())
    };
    let mut out: Vec<(Reply, Reply)> = Vec::new();
    if argv.len() == 2 {
        // Every command with data, containers' subcommands after them.
        let mut with_data: Vec<&CommandStat> = stats
            .iter()
            .copied()
            .filter(|s| s.histogram.is_some())
            .collect();
        with_data.sort_by_key(|s| s.spec.full_name());
        for s in with_data {
            if let Some(h) = &s.histogram {
                out.push(entry(s.spec, h));
            }
        }
    } else {
        for name in &argv[2..] {
            let Some(spec) = table::lookup_full_name(name) else {
                continue;
            };
            if let Some(h) = of(spec) {
                out.push(entry(spec, h));
            }
            for sub in spec.subcommands {
                if let Some(h) = of(sub) {
                    out.push(entry(sub, h));
                }
            }
        }
    }
    Ok(Reply::Map(out))
}

fn entry(spec: &CommandSpec, h: &Histogram) -> (Reply, Reply) {
    let buckets = h
        .cumulative()
        .into_iter()
        .map(|(us, count)| (Reply::Integer(us as i64), Reply::Integer(count as i64)))
        .collect();
    (
        Reply::bulk(spec.full_name().into_bytes()),
        Reply::Map(vec![
            (
                Reply::bulk(b"calls".to_vec()),
                Reply::Integer(h.total() as i64),
            ),
            (Reply::bulk(b"histogram_usec".to_vec()), Reply::Map(buckets)),
        ]),
    )
}

/// INFO latencystats: each command's percentiles, in µs.
pub(crate) fn latencystats_lines(e: &Engine) -> Vec<String> {
    if !e.config.latency_tracking {
        return Vec::new();
    }
    let mut stats: Vec<&CommandStat> = e
        .stats
        .commandstats
        .values()
        .filter(|s| s.histogram.is_some())
        .collect();
    stats.sort_by_key(|s| s.spec.full_name());
    stats
        .into_iter()
        .filter_map(|s| {
            let h = s.histogram.as_ref()?;
            let values: Vec<String> = e
                .config
                .latency_percentiles
                .iter()
                .map(|&p| {
                    format!(
                        "p{}={:.3}",
                        percentile_label(p),
                        h.value_at_percentile(p) as f64 / 1000.0
                    )
                })
                .collect();
            Some(format!(
                "latency_percentiles_usec_{}:{}",
                s.spec.full_name(),
                values.join(",")
            ))
        })
        .collect()
}

pub fn latency_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "LATENCY",
        &[
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are replied.",
        ],
    ))
}
