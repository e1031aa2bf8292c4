//! The engine's whole keyspace as an RDB file and back: what SAVE, BGSAVE, a
//! full sync and DEBUG RELOAD move around, and what the browser can offer as a
//! `.rdb` download.

use super::{decode_file, encode_file, RdbDb, RdbError, RdbFile, RdbKey};
use crate::cmd::dump::encode_options;
use crate::engine::{Engine, NUM_DBS};

/// The Redis version the AUX fields announce.
const REDIS_VER: &str = "7.0.15";

/// What a snapshot for a replica also records (`rdbSaveInfo`): the database
/// the replication stream continues in, and the replication ID and offset the
/// snapshot corresponds to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplInfo {
    pub stream_db: usize,
    pub replid: String,
    pub offset: u64,
}

/// Every database as an RDB file, as `rdbSaveRio` writes it: AUX fields
/// (`redis-ver`, `redis-bits`, `ctime`, `used-mem`, `aof-base`), then each
/// non-empty database with its keys, their deadlines and, depending on the
/// eviction policy, their idle time (LRU) or access counter (LFU).
pub fn save(engine: &Engine, now_ms: u64) -> Vec<u8> {
    save_with(engine, now_ms, None)
}

/// [`save`] for a full resynchronization: the AUX fields also carry
/// `repl-stream-db`, `repl-id` and `repl-offset`, where Redis puts them.
pub fn save_for_replica(engine: &Engine, now_ms: u64, info: &ReplInfo) -> Vec<u8> {
    save_with(engine, now_ms, Some(info))
}

fn save_with(engine: &Engine, now_ms: u64, repl: Option<&ReplInfo>) -> Vec<u8> {
    let policy = engine.config.maxmemory_policy.as_str();
    let lru = policy.ends_with("-lru");
    let lfu = engine.config.lfu.is_some();
    let mut aux = vec![
        (b"redis-ver".to_vec(), REDIS_VER.as_bytes().to_vec()),
        (b"redis-bits".to_vec(), b"64".to_vec()),
        (b"ctime".to_vec(), (now_ms / 1000).to_string().into_bytes()),
        (
            b"used-mem".to_vec(),
            engine.used_memory().to_string().into_bytes(),
        ),
    ];
    if let Some(r) = repl {
        aux.push((
            b"repl-stream-db".to_vec(),
            r.stream_db.to_string().into_bytes(),
        ));
        aux.push((b"repl-id".to_vec(), r.replid.as_bytes().to_vec()));
        aux.push((b"repl-offset".to_vec(), r.offset.to_string().into_bytes()));
    }
    aux.push((b"aof-base".to_vec(), b"0".to_vec()));
    let mut file = RdbFile {
        aux,
        functions: engine
            .scripts
            .libraries
            .codes()
            .map(<[u8]>::to_vec)
            .collect(),
        ..RdbFile::default()
    };
    for (index, db) in engine.dbs.iter().enumerate() {
        let keys: Vec<RdbKey> = db
            .iter()
            .map(|(k, e)| RdbKey {
                key: k.to_vec(),
                value: e.value.clone(),
                expire_ms: db.expire_at(k).map(|at| at as i64),
                idle_s: lru.then(|| crate::db::idle_seconds(now_ms, e.lru_ms)),
                freq: lfu.then_some(e.freq),
            })
            .collect();
        if !keys.is_empty() {
            file.dbs.push(RdbDb {
                index: index as u64,
                keys,
            });
        }
    }
    encode_file(&file, &encode_options(engine))
}

/// Replaces every database with the contents of an RDB file, as a master
/// loads one: keys already past their deadline are dropped, the idle time or
/// counter applies under the matching policy. Nothing changes unless the
/// whole file reads (a database index out of range or a key seen twice in a
/// database is an error, as in Redis). Signalling WATCHers and blocked
/// clients is the caller's business, as after FLUSHALL.
pub fn load(engine: &mut Engine, bytes: &[u8], now_ms: u64) -> Result<(), RdbError> {
    let file = decode_file(bytes, &engine.limits())?;
    load_file(engine, file, now_ms, true, fresh_dbs(), false)
}

/// Loads an RDB file into the keyspace as it is (DEBUG RELOAD NOFLUSH): a key
/// already there is an error, or with `replace` (MERGE) gives way to the
/// file's. Nothing changes unless the whole file loads.
pub(crate) fn load_merged(
    engine: &mut Engine,
    bytes: &[u8],
    now_ms: u64,
    replace: bool,
) -> Result<(), RdbError> {
    let file = decode_file(bytes, &engine.limits())?;
    let dbs = engine.dbs.clone();
    load_file(engine, file, now_ms, true, dbs, replace)
}

fn fresh_dbs() -> Vec<crate::db::Db> {
    vec![crate::db::Db::default(); NUM_DBS]
}

/// Loads a master's snapshot, as a replica does: keys already past their
/// deadline are kept (the master's DELs will remove them). Returns the
/// database the master's stream continues in (`repl-stream-db`, 0 if absent).
pub(crate) fn load_from_master(
    engine: &mut Engine,
    bytes: &[u8],
    now_ms: u64,
) -> Result<usize, RdbError> {
    let file = decode_file(bytes, &engine.limits())?;
    let stream_db = file
        .aux
        .iter()
        .find(|(k, _)| k == b"repl-stream-db")
        .and_then(|(_, v)| crate::num::parse_i64(v))
        .and_then(|db| usize::try_from(db).ok())
        .filter(|db| *db < NUM_DBS)
        .unwrap_or(0);
    load_file(engine, file, now_ms, false, fresh_dbs(), false)?;
    Ok(stream_db)
}

fn load_file(
    engine: &mut Engine,
    file: RdbFile,
    now_ms: u64,
    drop_expired: bool,
    mut dbs: Vec<crate::db::Db>,
    replace_dups: bool,
) -> Result<(), RdbError> {
    let lfu = engine.config.lfu.is_some();
    // Function libraries load first, as in Redis; one that fails fails the file.
    let libraries = crate::cmd::functions::libraries_from_codes(engine, &file.functions)
        .map_err(|_| RdbError::Corrupt("a function library failed to load"))?;
    for db in file.dbs {
        let target = usize::try_from(db.index)
            .ok()
            .and_then(|i| dbs.get_mut(i))
            .ok_or(RdbError::Corrupt("database index out of range"))?;
        for k in db.keys {
            if drop_expired && k.expire_ms.is_some_and(|at| at < now_ms as i64) {
                continue;
            }
            if target.contains(&k.key) {
                if !replace_dups {
                    return Err(RdbError::Corrupt("duplicated key"));
                }
                target.remove(&k.key);
            }
            target.insert(&k.key, k.value, now_ms);
            if let Some(at) = k.expire_ms {
                target.set_expire(&k.key, at.max(0) as u64);
            }
            if let Some(entry) = target.dict.get_mut(k.key.as_slice()) {
                match (lfu, k.freq, k.idle_s) {
                    (true, Some(freq), _) => entry.freq = freq,
                    (false, _, Some(idle)) => {
                        entry.lru_ms = now_ms.saturating_sub(idle.saturating_mul(1000));
                    }
                    _ => {}
                }
            }
        }
    }
    engine.dbs = dbs;
    engine.scripts.libraries = libraries;
    Ok(())
}
