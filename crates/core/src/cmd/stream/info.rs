//! XINFO STREAM (with FULL), XINFO GROUPS and XINFO CONSUMERS: what a stream,
//! its consumer groups and their consumers hold, in Redis's field order.

use super::*;

/// A group's `entries-read` and `lag`, as both XINFO GROUPS and XINFO STREAM
/// FULL report them.
fn group_progress(out: &mut Vec<(Reply, Reply)>, s: &Stream, g: &Group) {
    let count = |n: Option<u64>| n.map_or(Reply::Nil, |n| Reply::Integer(n as i64));
    kv(out, "entries-read", count(g.entries_read));
    kv(out, "lag", count(s.lag(g)));
}

fn kv(out: &mut Vec<(Reply, Reply)>, k: &str, v: Reply) {
    out.push((Reply::bulk(k), v));
}

pub fn xinfo_stream(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut full = false;
    let mut count: usize = 10;
    let mut j = 3;
    while j < argv.len() {
        if !full && is(&argv[j], "full") {
            full = true;
            j += 1;
        } else if full && is(&argv[j], "count") && j + 1 < argv.len() {
            let n = int_arg(&argv[j + 1])?;
            count = if n <= 0 {
                usize::MAX
            } else {
                usize::try_from(n).unwrap_or(usize::MAX)
            };
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let now = e.now_ms();
    let Some(s) = lookup_stream(e, c.db, &argv[2])? else {
        return Err(CmdError::NoSuchKey);
    };
    let mut out = Vec::new();
    kv(&mut out, "length", Reply::Integer(s.len() as i64));
    kv(
        &mut out,
        "radix-tree-keys",
        Reply::Integer(s.radix_keys() as i64),
    );
    kv(
        &mut out,
        "radix-tree-nodes",
        Reply::Integer((s.radix_keys() + 1) as i64),
    );
    kv(&mut out, "last-generated-id", id_reply(s.last_id));
    kv(&mut out, "max-deleted-entry-id", id_reply(s.max_deleted));
    kv(
        &mut out,
        "entries-added",
        Reply::Integer(s.entries_added as i64),
    );
    kv(&mut out, "recorded-first-entry-id", id_reply(s.first_id()));
    if !full {
        kv(&mut out, "groups", Reply::Integer(s.groups.len() as i64));
        kv(
            &mut out,
            "first-entry",
            s.entries
                .iter()
                .next()
                .map_or(Reply::Nil, |(id, f)| entry_reply(*id, f)),
        );
        kv(
            &mut out,
            "last-entry",
            s.entries
                .iter()
                .next_back()
                .map_or(Reply::Nil, |(id, f)| entry_reply(*id, f)),
        );
        return Ok(Reply::Map(out));
    }
    kv(
        &mut out,
        "entries",
        Reply::Array(
            s.entries
                .iter()
                .take(count)
                .map(|(id, f)| entry_reply(*id, f))
                .collect(),
        ),
    );
    let mut groups = Vec::new();
    for (name, g) in &s.groups {
        let mut gr = Vec::new();
        kv(&mut gr, "name", Reply::bulk(&name[..]));
        kv(&mut gr, "last-delivered-id", id_reply(g.last_id));
        group_progress(&mut gr, s, g);
        kv(&mut gr, "pel-count", Reply::Integer(g.pel.len() as i64));
        let pel = g
            .pel
            .iter()
            .take(count)
            .map(|(id, p)| {
                Reply::Array(vec![
                    id_reply(*id),
                    Reply::bulk(&p.consumer[..]),
                    Reply::Integer(p.delivery_ms as i64),
                    Reply::Integer(p.delivery_count as i64),
                ])
            })
            .collect();
        kv(&mut gr, "pending", Reply::Array(pel));
        let mut consumers = Vec::new();
        for (cname, cons) in &g.consumers {
            let mut cr = Vec::new();
            kv(&mut cr, "name", Reply::bulk(&cname[..]));
            kv(&mut cr, "seen-time", Reply::Integer(cons.seen_ms as i64));
            kv(&mut cr, "pel-count", Reply::Integer(cons.pel.len() as i64));
            let pending = cons
                .pel
                .iter()
                .take(count)
                .filter_map(|id| g.pel.get(id).map(|p| (id, p)))
                .map(|(id, p)| {
                    Reply::Array(vec![
                        id_reply(*id),
                        Reply::Integer(p.delivery_ms as i64),
                        Reply::Integer(p.delivery_count as i64),
                    ])
                })
                .collect();
            kv(&mut cr, "pending", Reply::Array(pending));
            consumers.push(Reply::Map(cr));
        }
        kv(&mut gr, "consumers", Reply::Array(consumers));
        groups.push(Reply::Map(gr));
    }
    let _ = now;
    kv(&mut out, "groups", Reply::Array(groups));
    Ok(Reply::Map(out))
}

pub fn xinfo_groups(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(s) = lookup_stream(e, c.db, &argv[2])? else {
        return Err(CmdError::NoSuchKey);
    };
    let mut out = Vec::new();
    for (name, g) in &s.groups {
        let mut gr = Vec::new();
        kv(&mut gr, "name", Reply::bulk(&name[..]));
        kv(
            &mut gr,
            "consumers",
            Reply::Integer(g.consumers.len() as i64),
        );
        kv(&mut gr, "pending", Reply::Integer(g.pel.len() as i64));
        kv(&mut gr, "last-delivered-id", id_reply(g.last_id));
        group_progress(&mut gr, s, g);
        out.push(Reply::Map(gr));
    }
    Ok(Reply::Array(out))
}

pub fn xinfo_consumers(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_ms();
    let Some(s) = lookup_stream(e, c.db, &argv[2])? else {
        return Err(CmdError::NoSuchKey);
    };
    let Some(g) = s.groups.get(&argv[3]) else {
        return Err(CmdError::Custom(format!(
            "NOGROUP No such consumer group '{}' for key name '{}'",
            printable(&argv[3], usize::MAX),
            printable(&argv[2], usize::MAX)
        )));
    };
    let out = g
        .consumers
        .iter()
        .map(|(name, cons)| {
            let mut cr = Vec::new();
            kv(&mut cr, "name", Reply::bulk(&name[..]));
            kv(&mut cr, "pending", Reply::Integer(cons.pel.len() as i64));
            kv(
                &mut cr,
                "idle",
                Reply::Integer(now.saturating_sub(cons.seen_ms) as i64),
            );
            Reply::Map(cr)
        })
        .collect();
    Ok(Reply::Array(out))
}

pub fn xinfo_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(crate::cmd::server::help_reply(
        "XINFO",
        &[
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
        ],
    ))
}
