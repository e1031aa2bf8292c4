//! CONFIG GET/SET/RESETSTAT/REWRITE: the settings the engine honours, parsed and
//! printed as Redis 7.0 does.

use super::server::help_reply;
use crate::engine::{Client, Engine, NUM_DBS};
use crate::error::{CmdError, CmdResult};
use crate::glob;
use crate::reply::Reply;

/// Redis's `memtoull`: digits then an optional unit (`b`, `k`, `kb`, `m`, `mb`, `g`,
/// `gb`, any case; k = 1000, kb = 1024). The multiplication wraps, as in C.
fn memtoull(v: &[u8]) -> Option<u64> {
    if v.first() == Some(&b'-') {
        return None;
    }
    let digits = v.iter().take_while(|b| b.is_ascii_digit()).count();
    let unit = &v[digits..];
    let mul: u64 = match unit.to_ascii_lowercase().as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    if digits >= 128 {
        return None;
    }
    let mut val: u64 = 0;
    for &b in &v[..digits] {
        // strtoull saturates at ULLONG_MAX (ERANGE), which memtoull does not check.
        val = val.saturating_mul(10).saturating_add(u64::from(b - b'0'));
    }
    Some(val.wrapping_mul(mul))
}

mod params;

pub(crate) use params::stored_defaults;
use params::{config_alias, config_spec, ConfigKind, ConfigSpec, CONFIG_SPECS};

/// The current value of a parameter, as CONFIG GET prints it.
fn config_value(e: &Engine, name: &str) -> String {
    let c = &e.config;
    match name {
        "hz" => c.hz.to_string(),
        "maxmemory" => c.maxmemory.to_string(),
        "maxmemory-policy" => c.maxmemory_policy.clone(),
        "maxmemory-samples" => c.maxmemory_samples.to_string(),
        "proto-max-bulk-len" => c.proto_max_bulk_len.to_string(),
        "databases" => NUM_DBS.to_string(),
        "notify-keyspace-events" => crate::notify::flags_to_string(c.notify_keyspace_events),
        // The master REPLICAOF set, as "host port" (empty when not a replica).
        "replicaof" | "slaveof" => e.repl.master.as_ref().map_or_else(String::new, |m| {
            format!("{} {}", String::from_utf8_lossy(&m.host), m.port)
        }),
        _ => c.extra.get(name).cloned().unwrap_or_default(),
    }
}

/// `configGetCommand`: exact names are echoed as typed; patterns match every
/// parameter name (aliases included). Each parameter appears once.
pub fn config_get(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut matches: Vec<(Vec<u8>, &'static ConfigSpec)> = Vec::new();
    let seen = |m: &[(Vec<u8>, &ConfigSpec)], name: &[u8]| {
        m.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    for pat in &argv[2..] {
        if !pat.iter().any(|b| matches!(b, b'[' | b'*' | b'?')) {
            if let Some(s) = config_spec(pat) {
                if !seen(&matches, pat) {
                    matches.push((pat.clone(), s));
                }
            }
            continue;
        }
        for s in CONFIG_SPECS.iter().filter(|s| !s.hidden) {
            if !seen(&matches, s.name.as_bytes()) && glob::matches(pat, s.name.as_bytes(), true) {
                matches.push((s.name.as_bytes().to_vec(), s));
            }
        }
    }
    Ok(Reply::Map(
        matches
            .into_iter()
            .map(|(name, s)| (Reply::bulk(name), Reply::bulk(config_value(e, s.name))))
            .collect(),
    ))
}

/// Parses and checks one value; the text CONFIG GET will show afterwards.
fn config_parse(spec: &ConfigSpec, val: &[u8]) -> Result<String, String> {
    let text = || String::from_utf8_lossy(val).into_owned();
    match spec.kind {
        ConfigKind::Bool => {
            if val.eq_ignore_ascii_case(b"yes") {
                Ok("yes".into())
            } else if val.eq_ignore_ascii_case(b"no") {
                Ok("no".into())
            } else {
                Err("argument must be 'yes' or 'no'".into())
            }
        }
        ConfigKind::Enum(names) => names
            .iter()
            .find(|n| n.as_bytes().eq_ignore_ascii_case(val))
            .map(|n| (*n).to_string())
            .ok_or_else(|| {
                format!(
                    "argument(s) must be one of the following: {}",
                    names.join(", ")
                )
            }),
        ConfigKind::Immutable | ConfigKind::Protected | ConfigKind::Text => Ok(text()),
        ConfigKind::SavePoints => std::str::from_utf8(val)
            .ok()
            .and_then(crate::persistence::parse_save_points)
            .map(|points| crate::persistence::format_save_points(&points))
            .ok_or_else(|| "Invalid save parameters".into()),
        ConfigKind::Percentiles => crate::latency::parse_percentiles(&text())
            .map(|list| {
                list.iter()
                    .map(|&p| crate::latency::percentile_label(p))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .map_err(str::to_string),
        ConfigKind::NotifyEvents => crate::notify::parse_flags(val)
            .map(|flags| flags.to_string())
            .ok_or_else(|| "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".into()),
        ConfigKind::Num {
            min,
            max,
            unsigned,
            memory,
            percent,
        } => {
            // numericParseString: memory first, then percent, then a plain integer.
            let mut parsed = None;
            if memory {
                parsed = memtoull(val).map(|v| v as i64);
            }
            if parsed.is_none() && percent && val.len() > 1 && val.ends_with(b"%") {
                parsed = crate::num::parse_i64(&val[..val.len() - 1])
                    .filter(|v| *v >= 0)
                    .map(|v| -v);
            }
            if parsed.is_none() && !memory && !percent {
                parsed = crate::num::parse_i64(val);
            }
            let Some(ll) = parsed else {
                return Err(match (memory, percent) {
                    (true, true) => "argument must be a memory or percent value",
                    (true, false) => "argument must be a memory value",
                    _ => "argument couldn't be parsed into an integer",
                }
                .into());
            };
            // numericBoundaryCheck
            if unsigned {
                let ull = ll as u64;
                if ull > max || ull < min as u64 {
                    return Err(format!(
                        "argument must be between {} and {max} inclusive",
                        min as u64
                    ));
                }
            } else if percent && ll < 0 {
                if ll < min {
                    return Err(format!(
                        "percentage argument must be less or equal to {}",
                        -min
                    ));
                }
                return Ok(format!("{}%", -ll));
            } else if ll < min || (ll >= 0 && ll as u64 > max) {
                return Err(format!(
                    "argument must be between {min} and {max} inclusive"
                ));
            }
            Ok(if memory {
                (ll as u64).to_string()
            } else {
                ll.to_string()
            })
        }
    }
}

/// `configSetCommand`: all parameters are checked, then set together; the first
/// problem in argument order is reported and nothing changes.
pub fn config_set(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() % 2 == 1 {
        return Err(CmdError::Syntax);
    }
    set_pairs(e, &argv[2..], false)
}

impl Engine {
    /// Sets a parameter as redis-server's command line does (`--dir /data`):
    /// checked like CONFIG SET, but the protected and immutable ones too.
    pub fn set_startup_config(&mut self, name: &str, value: &str) -> Result<(), String> {
        let pair = [name.as_bytes().to_vec(), value.as_bytes().to_vec()];
        set_pairs(self, &pair, true)
            .map(drop)
            .map_err(|e| String::from_utf8_lossy(&e.into_bytes()).into_owned())
    }
}

/// CONFIG SET's work on `name value` pairs; `startup` also sets protected and
/// immutable parameters.
fn set_pairs(e: &mut Engine, pairs: &[Vec<u8>], startup: bool) -> CmdResult {
    let mut specs: Vec<&'static ConfigSpec> = Vec::new();
    for pair in pairs.chunks_exact(2) {
        let Some(s) = config_spec(&pair[0]) else {
            return Err(CmdError::Custom(format!(
                "ERR Unknown option or number of arguments for CONFIG SET - '{}'",
                crate::engine::printable(&pair[0], usize::MAX)
            )));
        };
        let typed = crate::engine::printable(&pair[0], usize::MAX);
        let refused = match s.kind {
            _ if startup => None,
            ConfigKind::Immutable => Some("immutable"),
            ConfigKind::Protected => Some("protected"),
            _ => None,
        };
        if let Some(what) = refused {
            return Err(CmdError::Custom(format!(
                "ERR CONFIG SET failed (possibly related to argument '{typed}') - can't set {what} config"
            )));
        }
        if specs.iter().any(|p| std::ptr::eq(*p, s)) {
            return Err(CmdError::Custom(format!(
                "ERR CONFIG SET failed (possibly related to argument '{typed}') - duplicate parameter"
            )));
        }
        specs.push(s);
    }
    let mut next = e.config.clone();
    for (s, pair) in specs.iter().zip(pairs.chunks_exact(2)) {
        let value = config_parse(s, &pair[1]).map_err(|why| {
            CmdError::Custom(format!(
                "ERR CONFIG SET failed (possibly related to argument '{}') - {why}",
                s.name
            ))
        })?;
        match s.name {
            // updateHZ: out-of-range values are accepted and capped.
            "hz" => next.hz = value.parse::<i64>().unwrap_or(10).clamp(1, 500) as u32,
            "maxmemory" => next.maxmemory = value.parse().unwrap_or(0),
            "maxmemory-policy" => next.maxmemory_policy = value,
            "maxmemory-samples" => next.maxmemory_samples = value.parse().unwrap_or(5),
            "notify-keyspace-events" => next.notify_keyspace_events = value.parse().unwrap_or(0),
            "proto-max-bulk-len" => {
                next.proto_max_bulk_len = value
                    .parse::<u64>()
                    .map_or(usize::MAX, |v| usize::try_from(v).unwrap_or(usize::MAX));
            }
            name => {
                if let Some((&k, _)) = next.extra.get_key_value(name) {
                    next.extra.insert(k, value.clone());
                }
                if let Some(alias) = config_alias(name) {
                    if let Some((&k, _)) = next.extra.get_key_value(alias) {
                        next.extra.insert(k, value);
                    }
                }
            }
        }
    }
    next.refresh_limits();
    let memory_changed = next.maxmemory != e.config.maxmemory;
    let notify = next.notify_keyspace_events;
    e.config = next;
    e.set_notify_flags(notify);
    if memory_changed {
        for d in &mut e.dbs {
            d.resync_all();
        }
        e.perform_evictions();
    }
    Ok(Reply::ok())
}

pub fn config_resetstat(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    e.stats = crate::engine::Stats::default();
    Ok(Reply::ok())
}

pub fn config_rewrite(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Err(CmdError::err("The server is running without a config file"))
}

pub fn config_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "CONFIG",
        &[
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each setting's default in the table is what a fresh engine reports, so the
    /// typed fields of `Config` and the table can't drift apart.
    #[test]
    fn a_fresh_engine_reports_every_default() {
        let e = Engine::new();
        for s in CONFIG_SPECS {
            assert_eq!(config_value(&e, s.name), s.default, "{}", s.name);
        }
    }
}
