//! Streams in RDB files (`RDB_TYPE_STREAM_LISTPACKS` and `_2`): the radix tree of
//! listpack nodes, each checked entry by entry as Redis does with
//! `sanitize-dump-payload yes`, then the consumer groups, their pending entries
//! and consumers.

use std::collections::{BTreeMap, BTreeSet};

use super::{corrupt, id_from_key, Reader, Result};
use crate::rdb::listpack::{self, Item};
use crate::types::stream::{Consumer, Group, Node, PendingEntry, Stream, StreamId};
use crate::value::Value;

const STREAM_DELETED: i64 = 1 << 0;
const STREAM_SAMEFIELDS: i64 = 1 << 1;

/// Walks the listpack of one stream node, calling `f(id, fields)` for each
/// live entry. Returns (live, total, last id of any entry).
fn read_stream_node<'a>(
    items: &'a [Item<'a>],
    master: StreamId,
    mut f: impl FnMut(StreamId, Vec<(Vec<u8>, Vec<u8>)>) -> Result<()>,
) -> Result<(u64, u64, StreamId)> {
    let bad = || corrupt("stream listpack integrity check failed");
    let mut it = items.iter().copied();
    fn int<'b>(it: &mut impl Iterator<Item = Item<'b>>) -> Result<i64> {
        it.next()
            .and_then(Item::as_int)
            .ok_or(corrupt("stream listpack integrity check failed"))
    }
    let count = int(&mut it)?;
    let deleted = int(&mut it)?;
    let master_n = int(&mut it)?;
    if count < 0 || deleted < 0 || master_n < 0 {
        return Err(bad());
    }
    let mut master_fields = Vec::new();
    for _ in 0..master_n {
        master_fields.push(it.next().ok_or_else(bad)?.to_bytes());
    }
    if int(&mut it)? != 0 {
        return Err(bad());
    }
    let total = (count as u64).checked_add(deleted as u64).ok_or_else(bad)?;
    let mut live = 0u64;
    let mut last = master;
    let mut prev: Option<StreamId> = None;
    for _ in 0..total {
        let flags = int(&mut it)?;
        let ms = master.ms.wrapping_add(int(&mut it)? as u64);
        let seq = master.seq.wrapping_add(int(&mut it)? as u64);
        let id = StreamId::new(ms, seq);
        if id < master || prev.is_some_and(|p| id <= p) {
            return Err(bad());
        }
        prev = Some(id);
        let same = flags & STREAM_SAMEFIELDS != 0;
        // Field names come from the master entry, or each precedes its value.
        let mut fields = Vec::new();
        if same {
            for name in &master_fields {
                fields.push((name.clone(), it.next().ok_or_else(bad)?.to_bytes()));
            }
        } else {
            let n = int(&mut it)?;
            if n < 0 {
                return Err(bad());
            }
            for _ in 0..n {
                let name = it.next().ok_or_else(bad)?.to_bytes();
                fields.push((name, it.next().ok_or_else(bad)?.to_bytes()));
            }
        }
        let n = fields.len() as i64;
        let expected = if same { n + 3 } else { 2 * n + 4 };
        if int(&mut it)? != expected {
            return Err(bad());
        }
        last = id;
        if flags & STREAM_DELETED == 0 {
            live += 1;
            f(id, fields)?;
        }
    }
    if it.next().is_some() || live != count as u64 {
        return Err(bad());
    }
    Ok((live, total, last))
}

pub(super) fn load_stream(r: &mut Reader<'_>, v2: bool) -> Result<Value> {
    let mut s = Stream::default();
    let nodes = r.count()?;
    let mut prev_last: Option<StreamId> = None;
    for _ in 0..nodes {
        let key = r.string()?;
        if key.len() != 16 {
            return Err(corrupt("stream node key is not the size of a stream ID"));
        }
        let master = id_from_key(&key);
        if prev_last.is_some_and(|p| master <= p) {
            return Err(corrupt("stream nodes out of order"));
        }
        let lp = r.string()?;
        let items =
            listpack::parse(&lp).ok_or(corrupt("stream listpack integrity check failed"))?;
        if items.is_empty() {
            return Err(corrupt("empty listpack inside stream"));
        }
        let entries = &mut s.entries;
        let (live, total, last) = read_stream_node(&items, master, |id, fields| {
            if entries.last_key_value().is_some_and(|(k, _)| *k >= id) {
                return Err(corrupt("stream entries out of order"));
            }
            entries.insert(id, fields);
            Ok(())
        })?;
        prev_last = Some(last);
        if live > 0 {
            s.nodes.insert(
                master,
                Node {
                    total: total as usize,
                    live: live as usize,
                    bytes: lp.len(),
                    last,
                },
            );
        }
    }
    let length = r.len()?;
    s.last_id = StreamId::new(r.len()?, r.len()?);
    if v2 {
        let _first = StreamId::new(r.len()?, r.len()?);
        s.max_deleted = StreamId::new(r.len()?, r.len()?);
        s.entries_added = r.len()?;
    } else {
        s.entries_added = length;
    }
    if length != s.entries.len() as u64 {
        return Err(corrupt("stream length inconsistent with its entries"));
    }
    if s.last_valid_id() > s.last_id {
        return Err(corrupt("stream last ID below its entries"));
    }
    let groups = r.count()?;
    for _ in 0..groups {
        let name = r.string()?;
        let last_id = StreamId::new(r.len()?, r.len()?);
        let entries_read = if v2 {
            let v = r.len()? as i64;
            (v >= 0).then_some(v as u64)
        } else {
            s.estimate_distance(last_id)
        };
        if s.groups.contains_key(&name) {
            return Err(corrupt("duplicated consumer group name"));
        }
        let mut g = Group {
            last_id,
            entries_read,
            pel: BTreeMap::new(),
            consumers: BTreeMap::new(),
        };
        let mut owners: BTreeMap<StreamId, Option<Vec<u8>>> = BTreeMap::new();
        let mut nacks: BTreeMap<StreamId, (u64, u64)> = BTreeMap::new();
        for _ in 0..r.count()? {
            let id = r.stream_id()?;
            let delivery = r.millis()? as u64;
            let count = r.len()?;
            if nacks.insert(id, (delivery, count)).is_some() {
                return Err(corrupt("duplicated global PEL entry"));
            }
            owners.insert(id, None);
        }
        for _ in 0..r.count()? {
            let cname = r.string()?;
            if g.consumers.contains_key(&cname) {
                return Err(corrupt("duplicate stream consumer"));
            }
            let seen_ms = r.millis()? as u64;
            let mut pel = BTreeSet::new();
            for _ in 0..r.count()? {
                let id = r.stream_id()?;
                match owners.get_mut(&id) {
                    Some(owner @ None) => *owner = Some(cname.clone()),
                    Some(Some(_)) => return Err(corrupt("PEL entry owned twice")),
                    None => return Err(corrupt("consumer entry not found in group PEL")),
                }
                pel.insert(id);
            }
            g.consumers.insert(cname, Consumer { seen_ms, pel });
        }
        for (id, (delivery_ms, delivery_count)) in nacks {
            let Some(Some(consumer)) = owners.remove(&id) else {
                return Err(corrupt("stream group PEL entry without consumer"));
            };
            g.pel.insert(
                id,
                PendingEntry {
                    consumer,
                    delivery_ms,
                    delivery_count,
                },
            );
        }
        s.groups.insert(name, g);
    }
    Ok(Value::Stream(Box::new(s)))
}
