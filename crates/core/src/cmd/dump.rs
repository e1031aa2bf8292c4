//! DUMP and RESTORE: a key's value as an RDB payload and back (see [`crate::rdb`]).

use super::{int_arg, is};
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::rdb::{self, EncodeOptions};
use crate::reply::Reply;

/// The RDB writing options CONFIG currently asks for.
pub(crate) fn encode_options(e: &Engine) -> EncodeOptions {
    let extra = &e.config.extra;
    EncodeOptions {
        compress: extra.get("rdbcompression").is_none_or(|v| v == "yes"),
        list_fill: extra
            .get("list-max-listpack-size")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-2),
    }
}

/// DUMP key
pub fn dump(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let opts = encode_options(e);
    Ok(match e.lookup_read(c.db, &argv[1]) {
        Some(v) => Reply::bulk(rdb::dump(v, &opts)),
        None => Reply::Nil,
    })
}

/// RESTORE's options, parsed.
#[derive(Default)]
struct RestoreArgs {
    replace: bool,
    absttl: bool,
    idle_s: Option<i64>,
    freq: Option<u8>,
}

fn parse_restore(argv: &[Vec<u8>]) -> Result<RestoreArgs, CmdError> {
    let mut a = RestoreArgs::default();
    let mut j = 4;
    while j < argv.len() {
        let more = argv.len() - j - 1;
        if is(&argv[j], "replace") {
            a.replace = true;
        } else if is(&argv[j], "absttl") {
            a.absttl = true;
        } else if is(&argv[j], "idletime") && more >= 1 && a.freq.is_none() {
            let idle = int_arg(&argv[j + 1])?;
            if idle < 0 {
                return Err(CmdError::err("Invalid IDLETIME value, must be >= 0"));
            }
            a.idle_s = Some(idle);
            j += 1;
        } else if is(&argv[j], "freq") && more >= 1 && a.idle_s.is_none() {
            let freq = int_arg(&argv[j + 1])?;
            a.freq = Some(
                u8::try_from(freq)
                    .map_err(|_| CmdError::err("Invalid FREQ value, must be >= 0 and <= 255"))?,
            );
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    Ok(a)
}

/// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
///
/// Checks in Redis's order (options, existing key, TTL, footer, contents) and
/// changes nothing unless the payload decodes. A TTL already in the past
/// (ABSTTL) creates nothing, but REPLACE still deletes the old key.
pub fn restore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let args = parse_restore(&argv)?;
    let key = &argv[1];
    if !args.replace && e.lookup_write(c.db, key).is_some() {
        return Err(CmdError::Custom(
            "BUSYKEY Target key name already exists.".to_string(),
        ));
    }
    let mut ttl = int_arg(&argv[2])?;
    if ttl < 0 {
        return Err(CmdError::err("Invalid TTL value, must be >= 0"));
    }
    let payload = &argv[3];
    if !rdb::verify_payload(payload) {
        return Err(CmdError::err("DUMP payload version or checksum are wrong"));
    }
    let limits = e.limits();
    let value =
        rdb::decode_payload(payload, &limits).map_err(|_| CmdError::err("Bad data format"))?;

    let now = e.now_ms();
    let deleted = args.replace && e.db_mut(c.db).remove(key).is_some();
    if ttl != 0 && !args.absttl {
        ttl = ttl.wrapping_add(now as i64);
    }
    if ttl != 0 && ttl <= now as i64 {
        // checkAlreadyExpired: the key would be born expired. If REPLACE removed
        // an old value, replicas see that deletion and nothing else.
        if deleted {
            let del = e.deletion_command("lazyfree-lazy-server-del");
            e.propagate_as(|| vec![del.to_vec(), key.clone()]);
            e.notify(crate::notify::GENERIC, "del", key, c.db);
            e.dirty();
        }
        return Ok(Reply::ok());
    }
    let lfu = e.config.lfu.is_some();
    let d = e.db_mut(c.db);
    d.insert(key, value, now);
    if ttl != 0 {
        d.set_expire(key, ttl as u64);
    }
    if let Some(entry) = d.dict.get_mut(key.as_slice()) {
        match (lfu, args.freq, args.idle_s) {
            (true, Some(freq), _) => entry.freq = freq,
            (false, _, Some(idle)) => {
                entry.lru_ms = now.saturating_sub((idle as u64).saturating_mul(1000));
            }
            _ => {}
        }
    }
    e.notify(crate::notify::GENERIC, "restore", key, c.db);
    if ttl != 0 && !args.absttl {
        // Replicas get the deadline, not the relative TTL.
        e.propagate_edit(|argv| {
            argv[2] = ttl.to_string().into_bytes();
            argv.push(b"ABSTTL".to_vec());
        });
    }
    e.dirty();
    Ok(Reply::ok())
}
