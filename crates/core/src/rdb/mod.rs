//! The RDB format of Redis 7.0 (RDB version 10): values, DUMP payloads and whole
//! RDB files, in memory only (no I/O).
//!
//! - [`dump`] / [`decode_payload`] are DUMP and RESTORE's payloads: the object's
//!   type byte and encoding, the RDB version (2 bytes, little endian) and a
//!   CRC-64 (8 bytes, little endian); [`verify_payload`] checks the footer.
//! - [`encode_file`] / [`decode_file`] are whole `.rdb` files: the `REDIS0010`
//!   header, AUX fields, SELECTDB, RESIZEDB, per-key EXPIRETIME_MS / IDLE /
//!   FREQ, EOF and the checksum. They serve persistence and full syncs;
//!   [`keyspace`] saves and loads a whole engine with them.
//!
//! Writing follows `rdbSaveObject` byte for byte where our encodings match
//! Redis's (integer and LZF-compressed strings, listpacks, intsets, skiplist
//! sorted sets, quicklists built by pushes at the tail, streams without
//! deleted entries). Reading accepts everything Redis 7.0 loads, old encodings
//! included (ziplists, zipmaps, quicklist v1, `ZSET` with text scores, streams
//! v1), checks it as `sanitize-dump-payload yes` would, and builds our own
//! structures with the encodings Redis would end up with under the given
//! [`Limits`]. No input makes it panic.

pub mod crc64;
mod intset;
pub mod keyspace;
pub mod listpack;
mod lzf;
mod read;
mod write;
mod ziplist;
mod zipmap;

use std::fmt;

use crate::types::Limits;
use crate::value::Value;

pub use read::strtod_prefix;
pub use write::d2string;

/// The RDB version Redis 7.0 writes (and the newest it reads).
pub const RDB_VERSION: u16 = 10;

/// Object type bytes (`RDB_TYPE_*`).
pub mod types {
    pub const STRING: u8 = 0;
    pub const LIST: u8 = 1;
    pub const SET: u8 = 2;
    pub const ZSET: u8 = 3;
    pub const HASH: u8 = 4;
    pub const ZSET_2: u8 = 5;
    pub const MODULE: u8 = 6;
    pub const MODULE_2: u8 = 7;
    pub const HASH_ZIPMAP: u8 = 9;
    pub const LIST_ZIPLIST: u8 = 10;
    pub const SET_INTSET: u8 = 11;
    pub const ZSET_ZIPLIST: u8 = 12;
    pub const HASH_ZIPLIST: u8 = 13;
    pub const LIST_QUICKLIST: u8 = 14;
    pub const STREAM_LISTPACKS: u8 = 15;
    pub const HASH_LISTPACK: u8 = 16;
    pub const ZSET_LISTPACK: u8 = 17;
    pub const LIST_QUICKLIST_2: u8 = 18;
    pub const STREAM_LISTPACKS_2: u8 = 19;

    /// `rdbIsObjectType`.
    pub fn is_object(t: u8) -> bool {
        t <= 7 || (9..=19).contains(&t)
    }
}

/// Special opcodes of RDB files (`RDB_OPCODE_*`).
pub mod opcode {
    pub const FUNCTION2: u8 = 245;
    pub const FUNCTION: u8 = 246;
    pub const MODULE_AUX: u8 = 247;
    pub const IDLE: u8 = 248;
    pub const FREQ: u8 = 249;
    pub const AUX: u8 = 250;
    pub const RESIZEDB: u8 = 251;
    pub const EXPIRETIME_MS: u8 = 252;
    pub const EXPIRETIME: u8 = 253;
    pub const SELECTDB: u8 = 254;
    pub const EOF: u8 = 255;
}

/// Why RDB bytes could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RdbError {
    /// The bytes end in the middle of something.
    Eof,
    /// The bytes are not what Redis would accept; the text says what.
    Corrupt(&'static str),
    /// A valid encoding of an empty aggregate, which Redis refuses to create.
    EmptyKey,
    /// The file does not start with `REDIS` and a version Redis 7.0 reads.
    BadHeader,
    /// The checksum does not match the contents.
    BadChecksum,
    /// Something Redis only loads with a module or feature we lack.
    Unsupported(&'static str),
}

impl fmt::Display for RdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RdbError::Eof => write!(f, "unexpected end of RDB data"),
            RdbError::Corrupt(why) => write!(f, "corrupt RDB data: {why}"),
            RdbError::EmptyKey => write!(f, "empty key in RDB data"),
            RdbError::BadHeader => write!(f, "not an RDB file of a supported version"),
            RdbError::BadChecksum => write!(f, "wrong RDB checksum"),
            RdbError::Unsupported(what) => write!(f, "unsupported RDB content: {what}"),
        }
    }
}

impl std::error::Error for RdbError {}

/// Settings that change the bytes written (CONFIG's `rdbcompression` and
/// `list-max-listpack-size`).
#[derive(Clone, Copy, Debug)]
pub struct EncodeOptions {
    /// LZF-compress strings over 20 bytes when that makes them shorter.
    pub compress: bool,
    /// The quicklist fill factor: negative for a byte limit per node (-2 is
    /// 8 KB), positive for an element count.
    pub list_fill: i32,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            compress: true,
            list_fill: -2,
        }
    }
}

/// The type byte and serialized form of a value, as in an RDB file.
/// A list's quicklist as Redis would lay it out: how many nodes, and their
/// total uncompressed bytes (DEBUG OBJECT's `ql_nodes` and
/// `ql_uncompressed_size`).
pub(crate) fn quicklist_layout<'a>(
    items: impl Iterator<Item = &'a [u8]>,
    fill: i32,
) -> (usize, usize) {
    let nodes = write::quicklist_nodes(items, fill);
    (nodes.len(), nodes.iter().map(write::Node::size).sum())
}

pub fn encode_object(value: &Value, opts: &EncodeOptions) -> (u8, Vec<u8>) {
    let mut w = write::Writer::new(opts);
    w.object(value);
    (write::object_type(value), w.out)
}

/// DUMP's payload for a value.
pub fn dump(value: &Value, opts: &EncodeOptions) -> Vec<u8> {
    let mut w = write::Writer::new(opts);
    w.byte(write::object_type(value));
    w.object(value);
    let mut out = w.out;
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64::crc64(0, &out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// FUNCTION DUMP's payload: each library's code as a FUNCTION2 record, then
/// DUMP's footer (RDB version and CRC64).
pub fn dump_functions(codes: &[Vec<u8>], opts: &EncodeOptions) -> Vec<u8> {
    let mut w = write::Writer::new(opts);
    for code in codes {
        w.byte(opcode::FUNCTION2);
        w.string(code);
    }
    let mut out = w.out;
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64::crc64(0, &out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// The libraries' code in a FUNCTION RESTORE payload whose footer
/// [`verify_payload`] accepted; Err is FUNCTION RESTORE's message.
pub fn undump_functions(payload: &[u8]) -> Result<Vec<Vec<u8>>, &'static str> {
    let body = &payload[..payload.len().saturating_sub(10)];
    let mut r = read::Reader::new(body);
    let mut codes = Vec::new();
    while !r.at_end() {
        let t = r.byte().map_err(|_| "can not read data type")?;
        if t != opcode::FUNCTION2 {
            return Err("given type is not a function");
        }
        codes.push(
            r.string()
                .map_err(|_| "failed loading the given functions payload")?,
        );
    }
    Ok(codes)
}

/// `verifyDumpPayload`: a footer with a version we read and a matching CRC.
pub fn verify_payload(payload: &[u8]) -> bool {
    let Some(body_len) = payload.len().checked_sub(10) else {
        return false;
    };
    let footer = &payload[body_len..];
    let version = u16::from_le_bytes([footer[0], footer[1]]);
    if version > RDB_VERSION {
        return false;
    }
    let crc = crc64::crc64(0, &payload[..payload.len() - 8]);
    footer[2..] == crc.to_le_bytes()
}

/// The value in a DUMP payload. Like RESTORE, it reads from the start of the
/// whole payload (footer included) and ignores whatever follows the object;
/// check the footer with [`verify_payload`] first.
pub fn decode_payload(payload: &[u8], limits: &Limits) -> Result<Value, RdbError> {
    let mut r = read::Reader::new(payload);
    let t = r.byte()?;
    if !types::is_object(t) {
        return Err(RdbError::Corrupt("not an object type"));
    }
    read::object(&mut r, t, limits)
}

/// Reads one serialized object of type `rdb_type` from the start of `bytes`;
/// returns it and the number of bytes it took.
pub fn decode_object(
    rdb_type: u8,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(Value, usize), RdbError> {
    let mut r = read::Reader::new(bytes);
    let v = read::object(&mut r, rdb_type, limits)?;
    Ok((v, r.position()))
}

/// One key of an RDB file.
#[derive(Clone, Debug)]
pub struct RdbKey {
    pub key: Vec<u8>,
    pub value: Value,
    /// Absolute deadline in unix ms.
    pub expire_ms: Option<i64>,
    /// Seconds since last access (saved under LRU policies).
    pub idle_s: Option<u64>,
    /// The LFU counter (saved under LFU policies).
    pub freq: Option<u8>,
}

/// One database of an RDB file.
#[derive(Clone, Debug, Default)]
pub struct RdbDb {
    pub index: u64,
    pub keys: Vec<RdbKey>,
}

/// A whole RDB file.
#[derive(Clone, Debug, Default)]
pub struct RdbFile {
    /// AUX fields (`redis-ver`, `ctime`, ...), in file order.
    pub aux: Vec<(Vec<u8>, Vec<u8>)>,
    /// Function libraries' code (FUNCTION2 records), in file order.
    pub functions: Vec<Vec<u8>>,
    /// Databases in file order; empty ones need not be listed.
    pub dbs: Vec<RdbDb>,
}

/// Writes a whole RDB file as `rdbSaveRio` does.
pub fn encode_file(file: &RdbFile, opts: &EncodeOptions) -> Vec<u8> {
    let mut w = write::Writer::new(opts);
    w.out
        .extend_from_slice(format!("REDIS{RDB_VERSION:04}").as_bytes());
    for (k, v) in &file.aux {
        w.byte(opcode::AUX);
        w.string(k);
        w.string(v);
    }
    for code in &file.functions {
        w.byte(opcode::FUNCTION2);
        w.string(code);
    }
    for db in file.dbs.iter().filter(|d| !d.keys.is_empty()) {
        w.byte(opcode::SELECTDB);
        w.len(db.index);
        w.byte(opcode::RESIZEDB);
        w.len(db.keys.len() as u64);
        w.len(db.keys.iter().filter(|k| k.expire_ms.is_some()).count() as u64);
        for k in &db.keys {
            if let Some(at) = k.expire_ms {
                w.byte(opcode::EXPIRETIME_MS);
                w.millis(at);
            }
            if let Some(idle) = k.idle_s {
                w.byte(opcode::IDLE);
                w.len(idle);
            }
            if let Some(freq) = k.freq {
                w.byte(opcode::FREQ);
                w.byte(freq);
            }
            w.byte(write::object_type(&k.value));
            w.string(&k.key);
            w.object(&k.value);
        }
    }
    w.byte(opcode::EOF);
    let mut out = w.out;
    let crc = crc64::crc64(0, &out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Reads a whole RDB file (versions 1 to 10) as `rdbLoadRio` does. Keys whose
/// value is an empty aggregate are skipped, as Redis skips them; expired keys
/// are kept (the caller decides, as a master drops them and a replica not).
pub fn decode_file(bytes: &[u8], limits: &Limits) -> Result<RdbFile, RdbError> {
    let mut r = read::Reader::new(bytes);
    let magic = r.bytes(9).map_err(|_| RdbError::BadHeader)?;
    if &magic[..5] != b"REDIS" {
        return Err(RdbError::BadHeader);
    }
    let version = magic[5..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'));
    if version < 1 || version > u32::from(RDB_VERSION) {
        return Err(RdbError::BadHeader);
    }
    let mut file = RdbFile::default();
    let mut db = RdbDb::default();
    let (mut expire, mut idle, mut freq) = (None, None, None);
    loop {
        let t = r.byte()?;
        match t {
            opcode::EXPIRETIME => {
                expire = Some(i64::from(r.u32_le()? as i32) * 1000);
                continue;
            }
            opcode::EXPIRETIME_MS => {
                expire = Some(r.millis()?);
                continue;
            }
            opcode::FREQ => {
                freq = Some(r.byte()?);
                continue;
            }
            opcode::IDLE => {
                idle = Some(r.len()?);
                continue;
            }
            opcode::EOF => break,
            opcode::SELECTDB => {
                let index = r.len()?;
                let prev = std::mem::replace(
                    &mut db,
                    RdbDb {
                        index,
                        keys: Vec::new(),
                    },
                );
                if !prev.keys.is_empty() {
                    file.dbs.push(prev);
                }
                continue;
            }
            opcode::RESIZEDB => {
                r.len()?;
                r.len()?;
                continue;
            }
            opcode::AUX => {
                let k = r.string()?;
                let v = r.string()?;
                file.aux.push((k, v));
                continue;
            }
            opcode::FUNCTION2 => {
                file.functions.push(r.string()?);
                continue;
            }
            opcode::MODULE_AUX => return Err(RdbError::Unsupported("module aux data")),
            opcode::FUNCTION => return Err(RdbError::Unsupported("pre-release function data")),
            _ if types::is_object(t) => {}
            _ => return Err(RdbError::Corrupt("unknown opcode")),
        }
        let key = r.string()?;
        match read::object(&mut r, t, limits) {
            Ok(value) => db.keys.push(RdbKey {
                key,
                value,
                expire_ms: expire,
                idle_s: idle,
                freq,
            }),
            Err(RdbError::EmptyKey) => {}
            Err(e) => return Err(e),
        }
        (expire, idle, freq) = (None, None, None);
    }
    if !db.keys.is_empty() {
        file.dbs.push(db);
    }
    if version >= 5 {
        let end = r.position();
        let stored = u64::from_le_bytes(r.bytes(8)?.try_into().map_err(|_| RdbError::Eof)?);
        if stored != 0 && stored != crc64::crc64(0, &bytes[..end]) {
            return Err(RdbError::BadChecksum);
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests;
