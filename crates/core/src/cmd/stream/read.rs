//! XREAD and XREADGROUP: reading new entries (or a consumer's history), blocking
//! until there are some, and what XREADGROUP propagates to replicas.

use super::*;

// ---- XREAD / XREADGROUP -----------------------------------------------------------

fn nogroup_read(key: &[u8], group: &[u8]) -> CmdError {
    CmdError::Custom(format!(
        "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
        printable(key, usize::MAX),
        printable(group, usize::MAX)
    ))
}

/// XREAD and XREADGROUP (`group` = Some((group, consumer))).
fn read_generic(
    e: &mut Engine,
    c: &mut Client,
    mut argv: Vec<Vec<u8>>,
    xreadgroup: bool,
) -> CmdResult {
    let name = if xreadgroup { "xreadgroup" } else { "xread" };
    let mut block: Option<Option<u64>> = None;
    let mut count: u64 = 0;
    let mut streams_at = 0;
    let mut group: Option<(Vec<u8>, Vec<u8>)> = None;
    let mut noack = false;
    let mut i = 1;
    while i < argv.len() {
        let more = argv.len() - i - 1;
        let a = &argv[i];
        if is(a, "block") && more > 0 {
            if c.in_script {
                // Named as the script typed it.
                let mut msg = b"ERR ".to_vec();
                msg.extend_from_slice(&argv[0]);
                msg.extend_from_slice(b" command is not allowed with BLOCK option from scripts");
                return Err(CmdError::Raw(msg));
            }
            i += 1;
            let ms = crate::cmd::timeout_ms_arg(&argv[i])?;
            block = Some(if ms == 0 {
                None
            } else {
                Some(e.now_ms().saturating_add(ms))
            });
        } else if is(a, "count") && more > 0 {
            i += 1;
            count = int_arg(&argv[i])?.max(0) as u64;
        } else if is(a, "streams") && more > 0 {
            streams_at = i + 1;
            if !(argv.len() - streams_at).is_multiple_of(2) {
                let symbol = if xreadgroup { '>' } else { '$' };
                return Err(CmdError::err(format!(
                    "Unbalanced '{name}' list of streams: for each stream key an ID or '{symbol}' must be specified."
                )));
            }
            break;
        } else if is(a, "group") && more >= 2 {
            if !xreadgroup {
                return Err(CmdError::err(
                    "The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            group = Some((argv[i + 1].clone(), argv[i + 2].clone()));
            i += 2;
        } else if is(a, "noack") {
            if !xreadgroup {
                return Err(CmdError::err(
                    "The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            noack = true;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    if streams_at == 0 {
        return Err(CmdError::Syntax);
    }
    if xreadgroup && group.is_none() {
        return Err(CmdError::err("Missing GROUP option for XREADGROUP"));
    }
    let n = (argv.len() - streams_at) / 2;
    // IDs: None for ">", Some(id) otherwise ("$" resolved to the last ID).
    let mut ids: Vec<Option<StreamId>> = Vec::with_capacity(n);
    for k in 0..n {
        let key = argv[streams_at + k].clone();
        let id_arg = argv[streams_at + n + k].clone();
        let last = match lookup_stream(e, c.db, &key)? {
            Some(s) => {
                if let Some((g, _)) = &group {
                    if !s.groups.contains_key(g) {
                        return Err(nogroup_read(&key, g));
                    }
                }
                Some(s.last_id)
            }
            None => {
                if let Some((g, _)) = &group {
                    return Err(nogroup_read(&key, g));
                }
                None
            }
        };
        if id_arg.as_slice() == b"$" {
            if xreadgroup {
                return Err(CmdError::err("The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."));
            }
            let id = last.unwrap_or_default();
            // A blocked XREAD must wait for entries after the ID "$" meant now.
            argv[streams_at + n + k] = id.to_bytes();
            ids.push(Some(id));
        } else if id_arg.as_slice() == b">" {
            if !xreadgroup {
                return Err(CmdError::err("The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."));
            }
            ids.push(None);
        } else {
            ids.push(Some(parse_strict(&id_arg)?));
        }
    }
    let now = e.now_ms();
    let limit = if count == 0 {
        usize::MAX
    } else {
        usize::try_from(count).unwrap_or(usize::MAX)
    };
    // XREADGROUP is replicated through what it changed (XCLAIM, XGROUP ...).
    if xreadgroup {
        e.prevent_propagation();
    }
    let replicating = e.replicating();
    let mut out = Vec::new();
    for k in 0..n {
        let key = argv[streams_at + k].clone();
        let Some(s) = lookup_stream(e, c.db, &key)? else {
            continue;
        };
        let mut created_consumer = false;
        match &group {
            None => {
                let gt = ids[k].unwrap_or_default();
                if s.is_empty() || s.last_valid_id() <= gt {
                    continue;
                }
                let Some(start) = gt.incr() else { continue };
                let items: Vec<Reply> = s
                    .entries
                    .range(start..)
                    .take(limit)
                    .map(|(id, f)| entry_reply(*id, f))
                    .collect();
                out.push((Reply::bulk(key), Reply::Array(items)));
            }
            Some((gname, cname)) => {
                let history = ids[k];
                let Some(g) = s.groups.get(gname) else {
                    continue;
                };
                if history.is_none() && (s.is_empty() || s.last_valid_id() <= g.last_id) {
                    continue;
                }
                // What replicas must apply (see streamPropagateXCLAIM and friends).
                let mut effects: Vec<Vec<Vec<u8>>> = Vec::new();
                let g = s.groups.get_mut(gname).map(|g| {
                    created_consumer = !g.consumers.contains_key(cname);
                    let created = created_consumer;
                    g.consumers.entry(cname.clone()).or_default().seen_ms = now;
                    if created && noack && replicating {
                        effects.push(args([b"XGROUP", b"CREATECONSUMER", &key, gname, cname]));
                    }
                    g.last_id
                });
                let Some(group_last) = g else { continue };
                let items = match history {
                    Some(from) => {
                        // The consumer's own pending entries after `from`.
                        let Some(g) = s.groups.get_mut(gname) else {
                            continue;
                        };
                        let pel: Vec<StreamId> = g
                            .consumers
                            .get(cname)
                            .map(|cons| {
                                cons.pel
                                    .range(from.incr().unwrap_or(StreamId::MAX)..)
                                    .take(limit)
                                    .copied()
                                    .collect()
                            })
                            .unwrap_or_default();
                        let mut items = Vec::new();
                        for id in pel {
                            if let Some(p) = g.pel.get_mut(&id) {
                                p.delivery_ms = now;
                                p.delivery_count += 1;
                            }
                            items.push(match s.entries.get(&id) {
                                Some(f) => entry_reply(id, f),
                                None => Reply::Array(vec![id_reply(id), Reply::NilArray]),
                            });
                        }
                        items
                    }
                    None => {
                        let Some(start) = group_last.incr() else {
                            continue;
                        };
                        let picked: Vec<(StreamId, Fields)> = s
                            .entries
                            .range(start..)
                            .take(limit)
                            .map(|(id, f)| (*id, f.clone()))
                            .collect();
                        let mut items = Vec::with_capacity(picked.len());
                        for (id, f) in picked {
                            s.advance_group(gname, id);
                            if !noack {
                                if let Some(g) = s.groups.get_mut(gname) {
                                    if let Some(old) = g.pel.get(&id).map(|p| p.consumer.clone()) {
                                        if let Some(oc) = g.consumers.get_mut(&old) {
                                            oc.pel.remove(&id);
                                        }
                                    }
                                    let nack = PendingEntry {
                                        consumer: cname.clone(),
                                        delivery_ms: now,
                                        delivery_count: 1,
                                    };
                                    if replicating {
                                        let id_arg = id.to_bytes();
                                        effects.push(xclaim_effect(
                                            &key, gname, &id_arg, &nack, g.last_id,
                                        ));
                                    }
                                    g.pel.insert(id, nack);
                                    g.consumers.entry(cname.clone()).or_default().pel.insert(id);
                                }
                            }
                            items.push(entry_reply(id, &f));
                        }
                        if noack && replicating && !items.is_empty() {
                            if let Some(g) = s.groups.get(gname) {
                                effects.push(setid_effect(&key, gname, g));
                            }
                        }
                        items
                    }
                };
                out.push((Reply::bulk(&key[..]), Reply::Array(items)));
                e.dirty();
                for effect in effects {
                    e.also_propagate(c.db, || effect);
                }
                if created_consumer {
                    e.notify(notify::STREAM, "xgroup-createconsumer", &key, c.db);
                }
            }
        }
    }
    if !out.is_empty() {
        return Ok(Reply::Grouped(out));
    }
    match block {
        Some(deadline_ms) => Err(CmdError::WouldBlock {
            keys: argv[streams_at..streams_at + n].to_vec(),
            deadline_ms,
            nil_reply: Reply::NilArray,
            rewritten: Some(argv),
        }),
        None => Ok(Reply::NilArray),
    }
}

/// `streamPropagateXCLAIM`: an idempotent XCLAIM that gives a replica the same
/// pending entry (owner, delivery time and count) and the group's last ID.
pub(super) fn xclaim_effect(
    key: &[u8],
    group: &[u8],
    id: &[u8],
    nack: &PendingEntry,
    last_id: StreamId,
) -> Vec<Vec<u8>> {
    args([
        b"XCLAIM",
        key,
        group,
        &nack.consumer,
        b"0",
        id,
        b"TIME",
        nack.delivery_ms.to_string().as_bytes(),
        b"RETRYCOUNT",
        nack.delivery_count.to_string().as_bytes(),
        b"FORCE",
        b"JUSTID",
        b"LASTID",
        last_id.to_bytes().as_slice(),
    ])
}

/// `streamPropagateGroupID`: XGROUP SETID key group last-id ENTRIESREAD n.
pub(super) fn setid_effect(key: &[u8], group: &[u8], g: &Group) -> Vec<Vec<u8>> {
    let read = g
        .entries_read
        .map_or_else(|| "-1".to_string(), |n| n.to_string());
    args([
        b"XGROUP",
        b"SETID",
        key,
        group,
        g.last_id.to_bytes().as_slice(),
        b"ENTRIESREAD",
        read.as_bytes(),
    ])
}

pub fn xread(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    read_generic(e, c, argv, false)
}

pub fn xreadgroup(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    read_generic(e, c, argv, true)
}
