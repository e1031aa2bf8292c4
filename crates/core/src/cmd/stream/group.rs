//! Consumer groups: XGROUP, XACK, XPENDING, XCLAIM and XAUTOCLAIM (XREADGROUP
//! reads with the rest of XREAD in the parent module).

use super::*;

// ---- XGROUP ------------------------------------------------------------------------

fn nogroup(key: &[u8], group: &[u8]) -> CmdError {
    CmdError::Custom(format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        printable(key, usize::MAX),
        printable(group, usize::MAX)
    ))
}

/// Looks up the stream and group for XGROUP subcommands with Redis's errors.
fn xgroup_target<'a>(
    e: &'a mut Engine,
    c: &Client,
    argv: &[Vec<u8>],
    mkstream: bool,
    needs_group: bool,
) -> Result<Option<&'a mut Stream>, CmdError> {
    let exists = read_stream(e, c.db, &argv[2])?.is_some();
    if !exists && !mkstream {
        return Err(CmdError::err("The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."));
    }
    let s = read_stream(e, c.db, &argv[2])?;
    if needs_group && s.as_ref().is_none_or(|s| !s.groups.contains_key(&argv[3])) {
        return Err(CmdError::Custom(format!(
            "NOGROUP No such consumer group '{}' for key name '{}'",
            printable(&argv[3], usize::MAX),
            printable(&argv[2], usize::MAX)
        )));
    }
    Ok(s)
}

fn parse_entries_read(
    argv: &[Vec<u8>],
    from: usize,
    allow_mkstream: bool,
) -> Result<(bool, Option<Option<u64>>), CmdError> {
    let mut mkstream = false;
    let mut entries_read = None;
    let mut i = from;
    while i < argv.len() {
        if allow_mkstream && is(&argv[i], "mkstream") {
            mkstream = true;
            i += 1;
        } else if is(&argv[i], "entriesread") && i + 1 < argv.len() {
            let n = int_arg(&argv[i + 1])?;
            if n < 0 && n != -1 {
                return Err(CmdError::err(
                    "value for ENTRIESREAD must be positive or -1",
                ));
            }
            entries_read = Some((n >= 0).then_some(n as u64));
            i += 2;
        } else {
            return Err(crate::cmd::subcommand_syntax_error("XGROUP", argv));
        }
    }
    Ok((mkstream, entries_read))
}

pub fn xgroup_create(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let (mkstream, entries_read) = parse_entries_read(&argv, 5, true)?;
    let now = e.now_ms();
    let exists = xgroup_target(e, c, &argv, mkstream, false)?.map(|s| s.last_id);
    let id = if argv[4].as_slice() == b"$" {
        exists.unwrap_or_default()
    } else {
        parse_strict(&argv[4])?
    };
    if exists.is_none() {
        e.db_mut(c.db)
            .insert(&argv[2], Value::Stream(Box::default()), now);
    }
    let Some(s) = read_stream(e, c.db, &argv[2])? else {
        return Ok(Reply::ok());
    };
    if s.groups.contains_key(&argv[3]) {
        return Err(CmdError::Custom(
            "BUSYGROUP Consumer Group name already exists".to_string(),
        ));
    }
    s.groups.insert(
        argv[3].clone(),
        Group {
            last_id: id,
            entries_read: entries_read.flatten(),
            ..Group::default()
        },
    );
    e.signal_key(c.db, &argv[2]);
    e.notify(notify::STREAM, "xgroup-create", &argv[2], c.db);
    Ok(Reply::ok())
}

pub fn xgroup_setid(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let (_, entries_read) = parse_entries_read(&argv, 5, false)?;
    let Some(s) = xgroup_target(e, c, &argv, false, true)? else {
        return Ok(Reply::ok());
    };
    // SETID takes "-" and "+" too (a non-strict ID), unlike CREATE.
    let id = if argv[4].as_slice() == b"$" {
        s.last_id
    } else {
        parse_id_full(&argv[4], 0, false, false)?.0
    };
    if let Some(g) = s.groups.get_mut(&argv[3]) {
        g.last_id = id;
        g.entries_read = entries_read.flatten();
    }
    e.signal_key(c.db, &argv[2]);
    e.notify(notify::STREAM, "xgroup-setid", &argv[2], c.db);
    Ok(Reply::ok())
}

pub fn xgroup_destroy(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(s) = xgroup_target(e, c, &argv, false, false)? else {
        return Ok(Reply::Integer(0));
    };
    let removed = s.groups.remove(&argv[3]).is_some();
    if removed {
        e.signal_key(c.db, &argv[2]);
        e.notify(notify::STREAM, "xgroup-destroy", &argv[2], c.db);
    }
    Ok(Reply::Integer(i64::from(removed)))
}

pub fn xgroup_createconsumer(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_ms();
    let Some(s) = xgroup_target(e, c, &argv, false, true)? else {
        return Ok(Reply::Integer(0));
    };
    let Some(g) = s.groups.get_mut(&argv[3]) else {
        return Ok(Reply::Integer(0));
    };
    if g.consumers.contains_key(&argv[4]) {
        return Ok(Reply::Integer(0));
    }
    g.consumers.insert(
        argv[4].clone(),
        Consumer {
            seen_ms: now,
            ..Consumer::default()
        },
    );
    e.signal_key(c.db, &argv[2]);
    e.notify(notify::STREAM, "xgroup-createconsumer", &argv[2], c.db);
    Ok(Reply::Integer(1))
}

pub fn xgroup_delconsumer(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(s) = xgroup_target(e, c, &argv, false, true)? else {
        return Ok(Reply::Integer(0));
    };
    let Some(g) = s.groups.get_mut(&argv[3]) else {
        return Ok(Reply::Integer(0));
    };
    let Some(cons) = g.consumers.remove(&argv[4]) else {
        return Ok(Reply::Integer(0));
    };
    for id in &cons.pel {
        g.pel.remove(id);
    }
    e.signal_key(c.db, &argv[2]);
    e.notify(notify::STREAM, "xgroup-delconsumer", &argv[2], c.db);
    Ok(Reply::Integer(cons.pel.len() as i64))
}

pub fn xgroup_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(crate::cmd::server::help_reply(
        "XGROUP",
        &[
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group (MKSTREAM creates the stream, ENTRIESREAD sets the read counter).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
        ],
    ))
}

// ---- acknowledgements and claims ---------------------------------------------------------

pub fn xack(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    // Like Redis: no stream or no group answers 0 before the IDs are parsed.
    let has_group =
        lookup_stream(e, c.db, &argv[1])?.is_some_and(|s| s.groups.contains_key(&argv[2]));
    if !has_group {
        return Ok(Reply::Integer(0));
    }
    let ids = argv[3..]
        .iter()
        .map(|a| parse_strict(a))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(s) = stream_at(e, c.db, &argv[1]) else {
        return Ok(Reply::Integer(0));
    };
    let Some(g) = s.groups.get_mut(&argv[2]) else {
        return Ok(Reply::Integer(0));
    };
    let mut n = 0;
    for id in ids {
        if let Some(p) = g.pel.remove(&id) {
            if let Some(cons) = g.consumers.get_mut(&p.consumer) {
                cons.pel.remove(&id);
            }
            n += 1;
        }
    }
    if n > 0 {
        e.signal_key(c.db, &argv[1]);
    }
    Ok(Reply::Integer(n))
}

pub fn xpending(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let argc = argv.len();
    if argc != 3 && !(6..=9).contains(&argc) {
        return Err(CmdError::Syntax);
    }
    let mut range = None;
    if argc >= 6 {
        let mut at = 3;
        let mut minidle = 0i64;
        if is(&argv[3], "idle") {
            minidle = int_arg(&argv[4])?;
            if argc < 8 {
                return Err(CmdError::Syntax);
            }
            at += 2;
        }
        let count = int_arg(&argv[at + 2])?.max(0) as u64;
        let (mut start, sx) = parse_interval(&argv[at], 0)?;
        if sx {
            start = start
                .incr()
                .ok_or_else(|| CmdError::err("invalid start ID for the interval"))?;
        }
        let (mut end, ex) = parse_interval(&argv[at + 1], u64::MAX)?;
        if ex {
            end = end
                .decr()
                .ok_or_else(|| CmdError::err("invalid end ID for the interval"))?;
        }
        let consumer = argv.get(at + 3).cloned();
        range = Some((minidle, start, end, count, consumer));
    }
    let now = e.now_ms();
    let Some(s) = lookup_stream(e, c.db, &argv[1])? else {
        return Err(nogroup(&argv[1], &argv[2]));
    };
    let Some(g) = s.groups.get(&argv[2]) else {
        return Err(nogroup(&argv[1], &argv[2]));
    };
    let Some((minidle, start, end, count, consumer)) = range else {
        if g.pel.is_empty() {
            return Ok(Reply::Array(vec![
                Reply::Integer(0),
                Reply::Nil,
                Reply::Nil,
                Reply::NilArray,
            ]));
        }
        let first = g.pel.keys().next().copied().unwrap_or_default();
        let last = g.pel.keys().next_back().copied().unwrap_or_default();
        let per: Vec<Reply> = g
            .consumers
            .iter()
            .filter(|(_, cons)| !cons.pel.is_empty())
            .map(|(name, cons)| {
                Reply::Array(vec![
                    Reply::bulk(&name[..]),
                    Reply::bulk(cons.pel.len().to_string().into_bytes()),
                ])
            })
            .collect();
        return Ok(Reply::Array(vec![
            Reply::Integer(g.pel.len() as i64),
            id_reply(first),
            id_reply(last),
            Reply::Array(per),
        ]));
    };
    let ids: Vec<StreamId> = match &consumer {
        Some(name) => match g.consumers.get(name) {
            Some(cons) => cons.pel.iter().copied().collect(),
            None => return Ok(Reply::Array(vec![])),
        },
        None => g.pel.keys().copied().collect(),
    };
    let mut out = Vec::new();
    let mut left = count;
    for id in ids.into_iter().filter(|id| *id >= start) {
        if left == 0 || id > end {
            break;
        }
        let Some(p) = g.pel.get(&id) else { continue };
        let idle = now as i64 - p.delivery_ms as i64;
        if minidle != 0 && idle < minidle {
            continue;
        }
        left -= 1;
        out.push(Reply::Array(vec![
            id_reply(id),
            Reply::bulk(&p.consumer[..]),
            Reply::Integer(idle.max(0)),
            Reply::Integer(p.delivery_count as i64),
        ]));
    }
    Ok(Reply::Array(out))
}

/// Hands pending entry `id` to `consumer`, as XCLAIM/XAUTOCLAIM do.
fn transfer(
    g: &mut Group,
    id: StreamId,
    consumer: &[u8],
    delivery_ms: u64,
    count: Option<u64>,
    bump: bool,
) {
    let Some(p) = g.pel.get_mut(&id) else { return };
    let old = std::mem::replace(&mut p.consumer, consumer.to_vec());
    p.delivery_ms = delivery_ms;
    match count {
        Some(n) => p.delivery_count = n,
        None if bump => p.delivery_count += 1,
        None => {}
    }
    if old != consumer {
        if let Some(oc) = g.consumers.get_mut(&old) {
            oc.pel.remove(&id);
        }
    }
    g.consumers
        .entry(consumer.to_vec())
        .or_default()
        .pel
        .insert(id);
}

pub fn xclaim(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_ms();
    match lookup_stream(e, c.db, &argv[1])? {
        Some(s) if s.groups.contains_key(&argv[2]) => {}
        _ => return Err(nogroup(&argv[1], &argv[2])),
    }
    let minidle = int_arg(&argv[4])
        .map_err(|_| CmdError::err("Invalid min-idle-time argument for XCLAIM"))?
        .max(0);
    let mut j = 5;
    let mut ids = Vec::new();
    while j < argv.len() {
        match parse_strict(&argv[j]) {
            Ok(id) => ids.push(id),
            Err(_) => break,
        }
        j += 1;
    }
    let (mut force, mut justid) = (false, false);
    let mut delivery: Option<i64> = None;
    let mut retry: Option<i64> = None;
    let mut last_id = StreamId::MIN;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let a = &argv[j];
        if is(a, "force") {
            force = true;
        } else if is(a, "justid") {
            justid = true;
        } else if is(a, "idle") && more > 0 {
            j += 1;
            let v = int_arg(&argv[j])
                .map_err(|_| CmdError::err("Invalid IDLE option argument for XCLAIM"))?;
            delivery = Some(now as i64 - v);
        } else if is(a, "time") && more > 0 {
            j += 1;
            delivery = Some(
                int_arg(&argv[j])
                    .map_err(|_| CmdError::err("Invalid TIME option argument for XCLAIM"))?,
            );
        } else if is(a, "retrycount") && more > 0 {
            j += 1;
            retry = Some(
                int_arg(&argv[j])
                    .map_err(|_| CmdError::err("Invalid RETRYCOUNT option argument for XCLAIM"))?,
            );
        } else if is(a, "lastid") && more > 0 {
            j += 1;
            last_id = parse_strict(&argv[j])?;
        } else {
            return Err(CmdError::Custom(format!(
                "ERR Unrecognized XCLAIM option '{}'",
                printable(a, usize::MAX)
            )));
        }
        j += 1;
    }
    let delivery_ms = match delivery {
        Some(d) if d >= 0 && d <= now as i64 => d as u64,
        _ => now,
    };
    // XCLAIM is replicated as one idempotent XCLAIM per entry it changed, or as
    // XGROUP SETID when it only moved the group's last ID.
    e.prevent_propagation();
    let replicating = e.replicating();
    let Some(s) = stream_at(e, c.db, &argv[1]) else {
        return Err(nogroup(&argv[1], &argv[2]));
    };
    let consumer = argv[3].clone();
    let mut out = Vec::new();
    let mut changed = false;
    let mut effects: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut propagate_last_id = false;
    if let Some(g) = s.groups.get_mut(&argv[2]) {
        if last_id > g.last_id {
            g.last_id = last_id;
            propagate_last_id = true;
        }
    }
    let mut created_consumer = false;
    for (k, id) in ids.into_iter().enumerate() {
        let id_arg = &argv[5 + k];
        let exists = s.entries.contains_key(&id);
        let Some(g) = s.groups.get_mut(&argv[2]) else {
            break;
        };
        if !exists {
            if let Some(p) = forget_pending(g, id) {
                if replicating {
                    effects.push(xclaim_effect(&argv[1], &argv[2], id_arg, &p, g.last_id));
                }
                propagate_last_id = false;
                changed = true;
            }
            continue;
        }
        let fresh = !g.pel.contains_key(&id);
        if fresh {
            if !force {
                continue;
            }
            // streamCreateNACK starts the delivery count at 1.
            g.pel.insert(
                id,
                PendingEntry {
                    consumer: Vec::new(),
                    delivery_ms,
                    delivery_count: 1,
                },
            );
        } else if minidle > 0 {
            let idle = now as i64 - g.pel.get(&id).map_or(0, |p| p.delivery_ms as i64);
            if idle < minidle {
                continue;
            }
        }
        created_consumer |= !g.consumers.contains_key(&consumer);
        g.consumers.entry(consumer.clone()).or_default().seen_ms = now;
        transfer(
            g,
            id,
            &consumer,
            delivery_ms,
            retry.filter(|r| *r >= 0).map(|r| r as u64),
            !justid,
        );
        if let (true, Some(p)) = (replicating, g.pel.get(&id)) {
            effects.push(xclaim_effect(&argv[1], &argv[2], id_arg, p, g.last_id));
        }
        propagate_last_id = false;
        changed = true;
        out.push(if justid {
            id_reply(id)
        } else {
            s.entries
                .get(&id)
                .map_or(Reply::Nil, |f| entry_reply(id, f))
        });
    }
    if propagate_last_id {
        if let (true, Some(g)) = (replicating, s.groups.get(&argv[2])) {
            effects.push(setid_effect(&argv[1], &argv[2], g));
        }
        changed = true;
    }
    if changed {
        e.signal_key(c.db, &argv[1]);
    }
    for effect in effects {
        e.also_propagate(c.db, || effect);
    }
    if created_consumer {
        e.notify(notify::STREAM, "xgroup-createconsumer", &argv[1], c.db);
    }
    Ok(Reply::Array(out))
}

pub fn xautoclaim(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_ms();
    // Redis looks the key up first; a wrong type is only reported after parsing.
    let found = match e.lookup_read(c.db, &argv[1]) {
        None => None,
        Some(Value::Stream(_)) => Some(true),
        Some(_) => Some(false),
    };
    let minidle = int_arg(&argv[4])
        .map_err(|_| CmdError::err("Invalid min-idle-time argument for XAUTOCLAIM"))?
        .max(0);
    let (mut start, sx) = parse_interval(&argv[5], 0)?;
    if sx {
        start = start
            .incr()
            .ok_or_else(|| CmdError::err("invalid start ID for the interval"))?;
    }
    let mut count: i64 = 100;
    let mut justid = false;
    let mut j = 6;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        if is(&argv[j], "count") && more > 0 {
            count = range_long(&argv[j + 1], 1, i64::MAX / 16, Some("COUNT must be > 0"))?;
            j += 1;
        } else if is(&argv[j], "justid") {
            justid = true;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    match found {
        Some(false) => return Err(CmdError::WrongType),
        None => return Err(nogroup(&argv[1], &argv[2])),
        Some(true) => {}
    }
    // Replicated as one idempotent XCLAIM per entry it changed.
    e.prevent_propagation();
    let replicating = e.replicating();
    let Some(s) = stream_at(e, c.db, &argv[1]) else {
        return Err(nogroup(&argv[1], &argv[2]));
    };
    if !s.groups.contains_key(&argv[2]) {
        return Err(nogroup(&argv[1], &argv[2]));
    }
    let consumer = argv[3].clone();
    let mut effects: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut created_consumer = false;
    let mut attempts = count.saturating_mul(10);
    let mut out = Vec::new();
    let mut deleted = Vec::new();
    let candidates: Vec<StreamId> = s
        .groups
        .get(&argv[2])
        .map(|g| g.pel.range(start..).map(|(k, _)| *k).collect())
        .unwrap_or_default();
    let mut next = StreamId::MIN;
    let mut idx = 0;
    while attempts > 0 && count > 0 && idx < candidates.len() {
        attempts -= 1;
        let id = candidates[idx];
        idx += 1;
        let exists = s.entries.contains_key(&id);
        let Some(g) = s.groups.get_mut(&argv[2]) else {
            break;
        };
        if !exists {
            if let Some(p) = forget_pending(g, id) {
                if replicating {
                    let id_arg = id.to_bytes();
                    effects.push(xclaim_effect(&argv[1], &argv[2], &id_arg, &p, g.last_id));
                }
            }
            deleted.push(id_reply(id));
            count -= 1;
            continue;
        }
        let idle = now as i64 - g.pel.get(&id).map_or(0, |p| p.delivery_ms as i64);
        if minidle > 0 && idle < minidle {
            continue;
        }
        created_consumer |= !g.consumers.contains_key(&consumer);
        g.consumers.entry(consumer.clone()).or_default().seen_ms = now;
        transfer(g, id, &consumer, now, None, !justid);
        if let (true, Some(p)) = (replicating, g.pel.get(&id)) {
            let id_arg = id.to_bytes();
            effects.push(xclaim_effect(&argv[1], &argv[2], &id_arg, p, g.last_id));
        }
        out.push(if justid {
            id_reply(id)
        } else {
            s.entries
                .get(&id)
                .map_or(Reply::Nil, |f| entry_reply(id, f))
        });
        count -= 1;
    }
    if let Some(id) = candidates.get(idx) {
        next = *id;
    }
    e.signal_key(c.db, &argv[1]);
    for effect in effects {
        e.also_propagate(c.db, || effect);
    }
    if created_consumer {
        e.notify(notify::STREAM, "xgroup-createconsumer", &argv[1], c.db);
    }
    Ok(Reply::Array(vec![
        id_reply(next),
        Reply::Array(out),
        Reply::Array(deleted),
    ]))
}

/// Drops `id`, whose entry was deleted, from the group's PEL and from its
/// consumer's (XCLAIM and XAUTOCLAIM); returns what was pending.
fn forget_pending(g: &mut Group, id: StreamId) -> Option<PendingEntry> {
    let p = g.pel.remove(&id)?;
    if let Some(oc) = g.consumers.get_mut(&p.consumer) {
        oc.pel.remove(&id);
    }
    Some(p)
}
