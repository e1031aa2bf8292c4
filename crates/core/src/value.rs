//! Values of the keyspace: the type (what TYPE reports) kept apart from the encoding
//! (what OBJECT ENCODING reports).

use std::collections::VecDeque;

use crate::bytes::Bytes;
use crate::num;
use crate::types::hash::Hash;
use crate::types::set::Set;
use crate::types::stream::Stream;
use crate::types::zset::ZSet;

/// How a string value was produced, which decides its OBJECT ENCODING the way
/// Redis's object creation paths do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrOrigin {
    /// Stored by SET and friends: Redis tries `int`, then `embstr` (≤ 44 bytes), then `raw`.
    Stored,
    /// Built by a command that never tries the integer form (INCRBYFLOAT): `embstr` or `raw`.
    Built,
    /// Modified in place (APPEND, SETRANGE): always `raw`.
    Raw,
}

#[derive(Clone, Debug)]
pub struct Str {
    pub bytes: Bytes,
    pub origin: StrOrigin,
}

impl Str {
    pub fn stored(bytes: Vec<u8>) -> Str {
        Str {
            bytes: Bytes::from(bytes),
            origin: StrOrigin::Stored,
        }
    }

    pub fn encoding(&self) -> &'static str {
        match self.origin {
            StrOrigin::Stored
                if self.bytes.len() <= 20 && num::parse_i64(&self.bytes).is_some() =>
            {
                "int"
            }
            StrOrigin::Stored | StrOrigin::Built if self.bytes.len() <= 44 => "embstr",
            _ => "raw",
        }
    }
}

#[derive(Clone, Debug)]
pub enum Value {
    Str(Str),
    List(VecDeque<Vec<u8>>),
    Hash(Hash),
    Set(Set),
    ZSet(Box<ZSet>),
    Stream(Box<Stream>),
}

impl Value {
    pub fn str(bytes: Vec<u8>) -> Value {
        Value::Str(Str::stored(bytes))
    }

    /// The name TYPE reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }

    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str(s) => s.encoding(),
            Value::List(_) => "quicklist",
            Value::Hash(h) => h.encoding(),
            Value::Set(s) => s.encoding(),
            Value::ZSet(z) => z.encoding(),
            Value::Stream(_) => "stream",
        }
    }

    /// Approximate bytes the value takes, for INFO memory and eviction. O(1): strings
    /// count their bytes, aggregates a per-element estimate.
    pub fn mem_size(&self) -> usize {
        match self {
            Value::Str(s) => s.bytes.len() + 16,
            Value::List(l) => l.len() * 32 + 32,
            Value::Hash(h) => h.len() * 64 + 48,
            Value::Set(s) => match s {
                Set::Ints(v) => v.len() * 8 + 16,
                Set::Table(m) => m.len() * 40 + 48,
            },
            Value::ZSet(z) => z.len() * 80 + 64,
            Value::Stream(st) => st.len() * 64 + st.groups.len() * 128 + 128,
        }
    }
}
