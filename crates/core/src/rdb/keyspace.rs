//! The engine's whole keyspace as an RDB file and back: what SAVE, BGSAVE, a
//! full sync and DEBUG RELOAD move around, and what the browser can offer as a
//! `.rdb` download.

use super::{decode_file, encode_file, RdbDb, RdbError, RdbFile, RdbKey};
use crate::cmd::dump::encode_options;
use crate::engine::{Engine, NUM_DBS};

/// The Redis version the AUX fields announce.
const REDIS_VER: &str = "7.0.15";

/// Every database as an RDB file, as `rdbSaveRio` writes it: AUX fields
/// (`redis-ver`, `redis-bits`, `ctime`, `used-mem`, `aof-base`), then each
/// non-empty database with its keys, their deadlines and, depending on the
/// eviction policy, their idle time (LRU) or access counter (LFU).
pub fn save(engine: &Engine, now_ms: u64) -> Vec<u8> {
    let policy = engine.config.maxmemory_policy.as_str();
    let lru = policy.ends_with("-lru");
    let lfu = policy.ends_with("-lfu");
    let mut file = RdbFile {
        aux: vec![
            (b"redis-ver".to_vec(), REDIS_VER.as_bytes().to_vec()),
            (b"redis-bits".to_vec(), b"64".to_vec()),
            (b"ctime".to_vec(), (now_ms / 1000).to_string().into_bytes()),
            (
                b"used-mem".to_vec(),
                engine.used_memory().to_string().into_bytes(),
            ),
            (b"aof-base".to_vec(), b"0".to_vec()),
        ],
        ..RdbFile::default()
    };
    for (index, db) in engine.dbs.iter().enumerate() {
        let keys: Vec<RdbKey> = db
            .iter()
            .map(|(k, e)| RdbKey {
                key: k.to_vec(),
                value: e.value.clone(),
                expire_ms: db.expire_at(k).map(|at| at as i64),
                idle_s: lru.then(|| now_ms.saturating_sub(e.lru_ms) / 1000),
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
    let lfu = engine.config.maxmemory_policy.contains("lfu");
    let mut dbs = vec![crate::db::Db::default(); NUM_DBS];
    for db in file.dbs {
        let target = usize::try_from(db.index)
            .ok()
            .and_then(|i| dbs.get_mut(i))
            .ok_or(RdbError::Corrupt("database index out of range"))?;
        for k in db.keys {
            if k.expire_ms.is_some_and(|at| at < now_ms as i64) {
                continue;
            }
            if target.contains(&k.key) {
                return Err(RdbError::Corrupt("duplicated key"));
            }
            target.insert(k.key.clone(), k.value, now_ms);
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
    Ok(())
}
