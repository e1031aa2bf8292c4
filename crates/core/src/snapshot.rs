//! Saving and restoring the whole keyspace, for the browser's storage.
//!
//! The format is JSON: `{"format":"cachelab-snapshot","version":1,"dbs":[{"db":0,
//! "keys":[{"key":..,"type":"string","value":..,"expire_at_ms":..}]}]}`. Byte strings
//! are written as JSON strings when they are valid UTF-8 and as `{"hex":"..."}`
//! otherwise, so binary values survive. Loading validates everything and never
//! panics: a bad snapshot is an error, not a half-restored engine.

use std::fmt;

use serde_json::{json, Map as JsonMap, Value as Json};

use crate::bytes::Bytes;
use crate::engine::{Engine, NUM_DBS};
use crate::num;
use crate::types::hash::Hash;
use crate::types::set::Set;
use crate::types::stream::{Consumer, Group, NodeLimits, PendingEntry, Stream, StreamId};
use crate::types::zset::ZSet;
use crate::types::Limits;
use crate::value::{Str, StrOrigin, Value};

const FORMAT: &str = "cachelab-snapshot";
const VERSION: u64 = 1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotError(pub String);

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "snapshot is invalid: {}", self.0)
    }
}

impl std::error::Error for SnapshotError {}

fn bytes_to_json(b: &[u8]) -> Json {
    match std::str::from_utf8(b) {
        Ok(s) => Json::String(s.to_string()),
        Err(_) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            json!({ "hex": hex })
        }
    }
}

fn json_to_bytes(v: &Json) -> Result<Vec<u8>, SnapshotError> {
    match v {
        Json::String(s) => Ok(s.as_bytes().to_vec()),
        Json::Object(m) => {
            let hex = m
                .get("hex")
                .and_then(Json::as_str)
                .ok_or_else(|| err("bytes object without hex"))?;
            if hex.len() % 2 != 0 {
                return Err(err("odd hex length"));
            }
            (0..hex.len())
                .step_by(2)
                .map(|i| {
                    hex.get(i..i + 2)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        .ok_or_else(|| err("bad hex digit"))
                })
                .collect()
        }
        _ => Err(err("expected a byte string")),
    }
}

fn err(msg: &str) -> SnapshotError {
    SnapshotError(msg.to_string())
}

fn list_json<'a>(items: impl Iterator<Item = &'a Vec<u8>>) -> Json {
    Json::Array(items.map(|b| bytes_to_json(b)).collect())
}

fn value_to_json(v: &Value) -> (&'static str, Json) {
    match v {
        Value::Str(s) => ("string", bytes_to_json(&s.bytes)),
        Value::List(l) => ("list", list_json(l.iter())),
        Value::Hash(h) => (
            "hash",
            json!({
                "listpack": h.listpack,
                "fields": h.map.iter().map(|(k, v)| json!([bytes_to_json(k), bytes_to_json(v)])).collect::<Vec<_>>(),
            }),
        ),
        Value::Set(s) => (
            "set",
            Json::Array(s.members().iter().map(|m| bytes_to_json(m)).collect()),
        ),
        Value::Stream(st) => ("stream", stream_to_json(st)),
        Value::ZSet(z) => (
            "zset",
            json!({
                "listpack": z.listpack,
                "members": z.list.iter().map(|(sc, m)| json!([bytes_to_json(m), num::format_double(sc)])).collect::<Vec<_>>(),
            }),
        ),
    }
}

fn stream_to_json(st: &Stream) -> Json {
    let entries: Vec<Json> = st
        .entries
        .iter()
        .map(|(id, f)| {
            json!([
                id.to_string(),
                f.iter()
                    .flat_map(|(k, v)| [bytes_to_json(k), bytes_to_json(v)])
                    .collect::<Vec<_>>()
            ])
        })
        .collect();
    let groups: Vec<Json> = st
        .groups
        .iter()
        .map(|(name, g)| {
            json!({
                "name": bytes_to_json(name),
                "last_id": g.last_id.to_string(),
                "entries_read": g.entries_read,
                "pel": g.pel.iter().map(|(id, p)| json!([id.to_string(), bytes_to_json(&p.consumer), p.delivery_ms, p.delivery_count])).collect::<Vec<_>>(),
                "consumers": g.consumers.iter().map(|(n, c)| json!([bytes_to_json(n), c.seen_ms])).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "entries": entries,
        "last_id": st.last_id.to_string(),
        "max_deleted": st.max_deleted.to_string(),
        "entries_added": st.entries_added,
        "groups": groups,
    })
}

fn parse_sid(v: Option<&Json>) -> Result<StreamId, SnapshotError> {
    let text = v
        .and_then(Json::as_str)
        .ok_or_else(|| err("missing stream ID"))?;
    let (ms, seq) = text.split_once('-').ok_or_else(|| err("bad stream ID"))?;
    Ok(StreamId::new(
        ms.parse().map_err(|_| err("bad stream ID"))?,
        seq.parse().map_err(|_| err("bad stream ID"))?,
    ))
}

fn stream_from_json(v: &Json) -> Result<Stream, SnapshotError> {
    let mut st = Stream::default();
    for e in array(
        v.get("entries")
            .ok_or_else(|| err("stream without entries"))?,
    )? {
        let (id, fields) = pair(e)?;
        let id = parse_sid(Some(id))?;
        let flat = array(fields)?;
        let mut f = Vec::new();
        for p in flat.chunks(2) {
            match p {
                [k, val] => f.push((json_to_bytes(k)?, json_to_bytes(val)?)),
                _ => return Err(err("odd stream fields")),
            }
        }
        if id <= st.last_id && st.entries_added > 0 {
            return Err(err("stream IDs out of order"));
        }
        st.append(id, f, NodeLimits::default());
    }
    st.last_id = parse_sid(v.get("last_id"))?;
    st.max_deleted = parse_sid(v.get("max_deleted"))?;
    st.entries_added = v
        .get("entries_added")
        .and_then(Json::as_u64)
        .ok_or_else(|| err("bad entries_added"))?;
    for g in array(
        v.get("groups")
            .ok_or_else(|| err("stream without groups"))?,
    )? {
        let name = json_to_bytes(g.get("name").ok_or_else(|| err("group without name"))?)?;
        let mut group = Group {
            last_id: parse_sid(g.get("last_id"))?,
            entries_read: g.get("entries_read").and_then(Json::as_u64),
            ..Group::default()
        };
        for c in array(
            g.get("consumers")
                .ok_or_else(|| err("group without consumers"))?,
        )? {
            let (n, seen) = pair(c)?;
            group.consumers.insert(
                json_to_bytes(n)?,
                Consumer {
                    seen_ms: seen.as_u64().unwrap_or(0),
                    ..Consumer::default()
                },
            );
        }
        for p in array(g.get("pel").ok_or_else(|| err("group without pel"))?)? {
            match p.as_array().map(Vec::as_slice) {
                Some([id, consumer, ms, count]) => {
                    let id = parse_sid(Some(id))?;
                    let consumer = json_to_bytes(consumer)?;
                    group
                        .consumers
                        .entry(consumer.clone())
                        .or_default()
                        .pel
                        .insert(id);
                    group.pel.insert(
                        id,
                        PendingEntry {
                            consumer,
                            delivery_ms: ms.as_u64().unwrap_or(0),
                            delivery_count: count.as_u64().unwrap_or(0),
                        },
                    );
                }
                _ => return Err(err("bad pending entry")),
            }
        }
        st.groups.insert(name, group);
    }
    Ok(st)
}

fn array(v: &Json) -> Result<&Vec<Json>, SnapshotError> {
    v.as_array().ok_or_else(|| err("expected an array"))
}

fn pair(v: &Json) -> Result<(&Json, &Json), SnapshotError> {
    match v.as_array().map(Vec::as_slice) {
        Some([a, b]) => Ok((a, b)),
        _ => Err(err("expected a pair")),
    }
}

fn value_from_json(kind: &str, v: &Json, limits: &Limits) -> Result<Value, SnapshotError> {
    match kind {
        "string" => Ok(Value::Str(Str {
            bytes: Bytes::from(json_to_bytes(v)?),
            origin: StrOrigin::Stored,
        })),
        "list" => Ok(Value::List(
            array(v)?
                .iter()
                .map(json_to_bytes)
                .collect::<Result<_, _>>()?,
        )),
        "hash" => {
            let mut h = Hash::new();
            for f in array(v.get("fields").ok_or_else(|| err("hash without fields"))?)? {
                let (k, val) = pair(f)?;
                h.set(json_to_bytes(k)?, json_to_bytes(val)?, limits);
            }
            if v.get("listpack") == Some(&Json::Bool(false)) {
                h.listpack = false;
            }
            Ok(Value::Hash(h))
        }
        "set" => {
            let members: Vec<Vec<u8>> = array(v)?
                .iter()
                .map(json_to_bytes)
                .collect::<Result<_, _>>()?;
            Ok(Value::Set(Set::from_members(
                members.iter().map(Vec::as_slice),
                limits,
            )))
        }
        "zset" => {
            let mut z = ZSet::new();
            for m in array(
                v.get("members")
                    .ok_or_else(|| err("zset without members"))?,
            )? {
                let (member, score) = pair(m)?;
                let score = score
                    .as_str()
                    .and_then(|s| num::parse_f64(s.as_bytes()))
                    .filter(|s| !s.is_nan())
                    .ok_or_else(|| err("bad score"))?;
                z.insert(&json_to_bytes(member)?, score, limits);
            }
            if v.get("listpack") == Some(&Json::Bool(false)) {
                z.listpack = false;
            }
            Ok(Value::ZSet(Box::new(z)))
        }
        "stream" => Ok(Value::Stream(Box::new(stream_from_json(v)?))),
        other => Err(SnapshotError(format!("unknown value type '{other}'"))),
    }
}

impl Engine {
    /// The whole keyspace as JSON. Expiry deadlines are absolute unix ms.
    pub fn to_snapshot(&self) -> String {
        let mut dbs = Vec::new();
        for (i, d) in self.dbs.iter().enumerate() {
            if d.is_empty() {
                continue;
            }
            let keys: Vec<Json> = d
                .iter()
                .map(|(k, e)| {
                    let (kind, value) = value_to_json(&e.value);
                    let mut m = JsonMap::new();
                    m.insert("key".into(), bytes_to_json(k));
                    m.insert("type".into(), Json::String(kind.into()));
                    m.insert("value".into(), value);
                    if let Some(at) = d.expire_at(k) {
                        m.insert("expire_at_ms".into(), json!(at));
                    }
                    Json::Object(m)
                })
                .collect();
            dbs.push(json!({ "db": i, "keys": keys }));
        }
        json!({ "format": FORMAT, "version": VERSION, "dbs": dbs }).to_string()
    }

    /// Rebuilds an engine from [`Engine::to_snapshot`]'s output.
    pub fn from_snapshot(text: &str) -> Result<Engine, SnapshotError> {
        let root: Json =
            serde_json::from_str(text).map_err(|e| SnapshotError(format!("not JSON ({e})")))?;
        if root.get("format").and_then(Json::as_str) != Some(FORMAT) {
            return Err(err("not a CacheLab snapshot"));
        }
        if root.get("version").and_then(Json::as_u64) != Some(VERSION) {
            return Err(err("unsupported version"));
        }
        let mut engine = Engine::new();
        let limits = engine.limits();
        let dbs = root
            .get("dbs")
            .and_then(Json::as_array)
            .ok_or_else(|| err("missing dbs"))?;
        for d in dbs {
            let index = d
                .get("db")
                .and_then(Json::as_u64)
                .ok_or_else(|| err("db without index"))?;
            if index >= NUM_DBS as u64 {
                return Err(err("db index out of range"));
            }
            let keys = d
                .get("keys")
                .and_then(Json::as_array)
                .ok_or_else(|| err("db without keys"))?;
            let db = engine.db_mut(index as usize);
            for k in keys {
                let key = json_to_bytes(k.get("key").ok_or_else(|| err("entry without key"))?)?;
                let kind = k
                    .get("type")
                    .and_then(Json::as_str)
                    .ok_or_else(|| err("entry without type"))?;
                let value = value_from_json(
                    kind,
                    k.get("value").ok_or_else(|| err("entry without value"))?,
                    &limits,
                )?;
                db.insert(key.clone(), value, 0);
                match k.get("expire_at_ms") {
                    None | Some(Json::Null) => {}
                    Some(v) => {
                        db.set_expire(&key, v.as_u64().ok_or_else(|| err("bad expire_at_ms"))?)
                    }
                }
            }
        }
        Ok(engine)
    }
}
