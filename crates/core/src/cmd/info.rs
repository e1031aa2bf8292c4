//! INFO: the server's sections, from the engine's counters and settings.

use super::server::REDIS_VERSION;
use crate::engine::{Client, Engine};
use crate::error::CmdResult;
use crate::reply::Reply;

/// Every section this engine reports, in Redis's order, and whether plain `INFO`
/// (`default`) includes it; `all` and `everything` include them all.
const SECTIONS: &[(&str, bool)] = &[
    ("server", true),
    ("clients", true),
    ("memory", true),
    ("persistence", true),
    ("stats", true),
    ("replication", true),
    ("cpu", true),
    ("modules", true),
    ("commandstats", false),
    ("errorstats", true),
    ("latencystats", false),
    ("cluster", true),
    ("keyspace", true),
];

pub fn info(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let wanted: Vec<String> = argv[1..]
        .iter()
        .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
        .collect();
    let asked = |w: &str| wanted.iter().any(|x| x == w);
    let all = asked("all") || asked("everything");
    let default = wanted.is_empty() || asked("default");
    if all || default || asked("memory") {
        e.refresh_used_memory();
    }
    let mut out = String::new();
    for &(section, in_default) in SECTIONS {
        if !(all || (default && in_default) || asked(section)) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        out.push_str(&info_section(e, section));
    }
    Ok(Reply::bulk(out.into_bytes()))
}

fn info_section(e: &Engine, section: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut kv = |k: &str, v: String| lines.push(format!("{k}:{v}"));
    let uptime_s = e.now_us.saturating_sub(e.start_us.unwrap_or(e.now_us)) / 1_000_000;
    let title = match section {
        "server" => {
            kv("redis_version", REDIS_VERSION.into());
            kv("redis_git_sha1", "00000000".into());
            kv("redis_git_dirty", "0".into());
            kv("redis_mode", "standalone".into());
            kv("os", "CacheLab".into());
            kv("arch_bits", "64".into());
            kv("multiplexing_api", "cachelab".into());
            kv("process_id", "1".into());
            kv("process_supervised", "no".into());
            kv("run_id", "cac4e1ab000000000000000000000000000000c1".into());
            kv(
                "tcp_port",
                e.config.extra.get("port").cloned().unwrap_or_default(),
            );
            kv("server_time_usec", e.now_us.to_string());
            kv("uptime_in_seconds", uptime_s.to_string());
            kv("uptime_in_days", (uptime_s / 86_400).to_string());
            kv("hz", e.config.hz.to_string());
            kv("configured_hz", e.config.hz.to_string());
            // Redis's LRU clock: seconds, in 24 bits.
            kv(
                "lru_clock",
                ((e.now_us / 1_000_000) & 0xff_ffff).to_string(),
            );
            kv("executable", String::new());
            kv("config_file", String::new());
            kv("io_threads_active", "0".into());
            "Server"
        }
        "clients" => {
            kv("connected_clients", e.connected_clients.to_string());
            kv("cluster_connections", "0".into());
            kv("maxclients", "10000".into());
            kv("blocked_clients", e.blocked_clients().to_string());
            kv("tracking_clients", e.tracking.clients.len().to_string());
            kv(
                "clients_in_timeout_table",
                e.blocked
                    .parked
                    .values()
                    .filter(|p| p.deadline_ms.is_some())
                    .count()
                    .to_string(),
            );
            "Clients"
        }
        "memory" => {
            let used = e.used_memory();
            kv("used_memory", used.to_string());
            kv("used_memory_human", human_bytes(used));
            // The script cache and function libraries (there is no Lua VM
            // between commands, so no VM memory to report).
            let (scripts, eval_bytes) = e.scripts.cache_size();
            let libs = &e.scripts.libraries;
            let function_bytes: usize = libs.codes().map(<[u8]>::len).sum();
            let functions: usize = libs.libs.values().map(|l| l.functions.len()).sum();
            kv("used_memory_scripts_eval", eval_bytes.to_string());
            kv("number_of_cached_scripts", scripts.to_string());
            kv("number_of_functions", functions.to_string());
            kv("number_of_libraries", libs.libs.len().to_string());
            kv("used_memory_functions", function_bytes.to_string());
            let script_bytes = (eval_bytes + function_bytes) as u64;
            kv("used_memory_scripts", script_bytes.to_string());
            kv("used_memory_scripts_human", human_bytes(script_bytes));
            kv("maxmemory", e.config.maxmemory.to_string());
            kv("maxmemory_human", human_bytes(e.config.maxmemory));
            kv("maxmemory_policy", e.config.maxmemory_policy.clone());
            "Memory"
        }
        "persistence" => {
            // Saves finish before the command that asked for them answers, so
            // no save or fork is ever in progress, and there is no AOF.
            let p = &e.persistence;
            let status = if p.last_ok { "ok" } else { "err" };
            for (name, value) in [
                ("loading", "0".to_string()),
                ("async_loading", "0".into()),
                ("current_cow_peak", "0".into()),
                ("current_cow_size", "0".into()),
                ("current_cow_size_age", "0".into()),
                ("current_fork_perc", "0.00".into()),
                ("current_save_keys_processed", "0".into()),
                ("current_save_keys_total", "0".into()),
                (
                    "rdb_changes_since_last_save",
                    e.changes_since_save().to_string(),
                ),
                ("rdb_bgsave_in_progress", "0".into()),
                ("rdb_last_save_time", e.last_save_s().to_string()),
                ("rdb_last_bgsave_status", status.into()),
                ("rdb_last_bgsave_time_sec", "-1".into()),
                ("rdb_current_bgsave_time_sec", "-1".into()),
                ("rdb_saves", p.saves.to_string()),
                ("rdb_last_cow_size", "0".into()),
                ("rdb_last_load_keys_expired", "0".into()),
                ("rdb_last_load_keys_loaded", "0".into()),
                ("aof_enabled", "0".into()),
                ("aof_rewrite_in_progress", "0".into()),
                ("aof_rewrite_scheduled", "0".into()),
                ("aof_last_rewrite_time_sec", "-1".into()),
                ("aof_current_rewrite_time_sec", "-1".into()),
                ("aof_last_bgrewrite_status", "ok".into()),
                ("aof_rewrites", "0".into()),
                ("aof_rewrites_consecutive_failures", "0".into()),
                ("aof_last_write_status", "ok".into()),
                ("aof_last_cow_size", "0".into()),
                ("module_fork_in_progress", "0".into()),
                ("module_fork_last_cow_size", "0".into()),
            ] {
                kv(name, value);
            }
            "Persistence"
        }
        "stats" => {
            let s = &e.stats;
            kv(
                "total_connections_received",
                s.total_connections_received.to_string(),
            );
            kv(
                "total_commands_processed",
                s.total_commands_processed.to_string(),
            );
            kv(
                "instantaneous_ops_per_sec",
                s.ops_rate.per_second().to_string(),
            );
            kv("expired_keys", s.expired_keys.to_string());
            kv("evicted_keys", s.evicted_keys.to_string());
            kv("keyspace_hits", s.keyspace_hits.to_string());
            kv("keyspace_misses", s.keyspace_misses.to_string());
            let (channels, patterns, shard) = e.pubsub.totals();
            kv("pubsub_channels", channels.to_string());
            kv("pubsub_patterns", patterns.to_string());
            kv("pubsubshard_channels", shard.to_string());
            kv("total_error_replies", s.total_error_replies.to_string());
            // MIGRATE is not supported, so no connection is ever cached.
            kv("migrate_cached_sockets", "0".into());
            let (keys, items, prefixes) = e.tracking.totals();
            kv("tracking_total_keys", keys.to_string());
            kv("tracking_total_items", items.to_string());
            kv("tracking_total_prefixes", prefixes.to_string());
            "Stats"
        }
        "replication" => {
            replication_info(e, &mut kv);
            "Replication"
        }
        "cpu" => {
            kv("used_cpu_sys", "0.000000".into());
            kv("used_cpu_user", "0.000000".into());
            "CPU"
        }
        "commandstats" => {
            // Times come from the host's stopwatch (0 without one).
            let mut stats: Vec<_> = e.stats.commandstats.values().collect();
            stats.sort_by_key(|s| s.spec.full_name());
            for s in stats {
                let per_call = if s.calls == 0 {
                    0.0
                } else {
                    s.usec as f32 / s.calls as f32
                };
                kv(
                    &format!("cmdstat_{}", s.spec.full_name()),
                    format!(
                        "calls={},usec={},usec_per_call={per_call:.2},rejected_calls={},failed_calls={}",
                        s.calls, s.usec, s.rejected_calls, s.failed_calls
                    ),
                );
            }
            "Commandstats"
        }
        "latencystats" => {
            lines.extend(super::latency::latencystats_lines(e));
            "Latencystats"
        }
        // No modules can be loaded: the section is there, empty, as in Redis.
        "modules" => "Modules",
        "cluster" => {
            kv("cluster_enabled", "0".into());
            "Cluster"
        }
        "errorstats" => {
            for (code, count) in &e.stats.errorstats {
                kv(&format!("errorstat_{code}"), format!("count={count}"));
            }
            "Errorstats"
        }
        _ => {
            for (i, d) in e.dbs.iter().enumerate() {
                if !d.is_empty() {
                    kv(
                        &format!("db{i}"),
                        format!("keys={},expires={},avg_ttl=0", d.len(), d.expires_len()),
                    );
                }
            }
            "Keyspace"
        }
    };
    let mut s = format!("# {title}\r\n");
    for l in lines {
        s.push_str(&l);
        s.push_str("\r\n");
    }
    s
}

/// INFO replication, as `genRedisInfoString` writes it (no backlog: this
/// engine never resynchronizes partially).
fn replication_info(e: &Engine, kv: &mut impl FnMut(&str, String)) {
    let now_s = e.now_ms() / 1000;
    let since = |ms: u64| now_s.saturating_sub(ms / 1000).to_string();
    match &e.repl.master {
        None => kv("role", "master".into()),
        Some(m) => {
            use crate::replica::LinkState;
            kv("role", "slave".into());
            kv("master_host", m.host_text());
            kv("master_port", m.port.to_string());
            let up = m.state == LinkState::Connected;
            kv("master_link_status", if up { "up" } else { "down" }.into());
            kv(
                "master_last_io_seconds_ago",
                if m.client.is_some() {
                    since(m.last_io_ms)
                } else {
                    "-1".into()
                },
            );
            let syncing = m.state == LinkState::Sync;
            kv("master_sync_in_progress", u8::from(syncing).to_string());
            kv("slave_read_repl_offset", e.repl.offset.to_string());
            kv("slave_repl_offset", e.repl.offset.to_string());
            if syncing {
                let (size, read) = m.transfer;
                let perc = if size != 0 {
                    read as f64 / size as f64 * 100.0
                } else {
                    0.0
                };
                kv("master_sync_total_bytes", size.to_string());
                kv("master_sync_read_bytes", read.to_string());
                kv(
                    "master_sync_left_bytes",
                    size.saturating_sub(read as i64).to_string(),
                );
                kv("master_sync_perc", format!("{perc:.2}"));
                kv("master_sync_last_io_seconds_ago", since(m.last_io_ms));
            }
            if !up {
                kv(
                    "master_link_down_since_seconds",
                    m.down_since_ms.map_or("-1".into(), since),
                );
            }
            let setting = |name: &str| e.config.extra.get(name).cloned().unwrap_or_default();
            kv("slave_priority", setting("replica-priority"));
            let yes = |name: &str| u8::from(setting(name) == "yes").to_string();
            kv("slave_read_only", yes("replica-read-only"));
            kv("replica_announced", yes("replica-announced"));
        }
    }
    kv("connected_slaves", e.connected_replicas().to_string());
    let (min, max_lag) = e.config.min_replicas;
    if min > 0 && max_lag > 0 {
        let good = e
            .repl
            .replicas
            .iter()
            .filter(|r| {
                r.ack_s
                    .is_some_and(|at| now_s.saturating_sub(at) <= max_lag)
            })
            .count();
        kv("min_slaves_good_slaves", good.to_string());
    }
    let mut listed = 0;
    for r in &e.repl.replicas {
        let Some(ip) = &r.ip else { continue };
        let lag = now_s.saturating_sub(r.ack_s.unwrap_or(r.since_s));
        kv(
            &format!("slave{listed}"),
            format!(
                "ip={ip},port={},state=online,offset={},lag={lag}",
                r.port, r.ack_offset
            ),
        );
        listed += 1;
    }
    kv("master_failover_state", "no-failover".into());
    kv("master_replid", e.repl.replid.clone());
    kv("master_replid2", e.repl.replid2.clone());
    kv("master_repl_offset", e.repl.offset().to_string());
    kv("second_repl_offset", e.repl.second_offset.to_string());
    kv("repl_backlog_active", "0".into());
    kv(
        "repl_backlog_size",
        e.config
            .extra
            .get("repl-backlog-size")
            .cloned()
            .unwrap_or_default(),
    );
    kv("repl_backlog_first_byte_offset", "0".into());
    kv("repl_backlog_histlen", "0".into());
}

fn human_bytes(n: u64) -> String {
    let f = n as f64;
    if n < 1024 {
        format!("{n}B")
    } else if f < 1024.0 * 1024.0 {
        format!("{:.2}K", f / 1024.0)
    } else if f < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2}M", f / (1024.0 * 1024.0))
    } else {
        format!("{:.2}G", f / (1024.0 * 1024.0 * 1024.0))
    }
}
