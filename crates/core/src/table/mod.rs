//! The command table: the single source of truth about every command.
//!
//! Each [`CommandSpec`] records the name, arity (Redis's ±N), flags, key positions,
//! group, version, complexity, summary and argument syntax, plus the handler. The
//! dispatcher, arity errors, COMMAND, the console's HELP, Tab completion and grey
//! hints are all derived from this table; nothing else lists commands.

use crate::cmd::Handler;

pub mod flag {
    pub const WRITE: u32 = 1 << 0;
    pub const READONLY: u32 = 1 << 1;
    pub const DENYOOM: u32 = 1 << 2;
    pub const ADMIN: u32 = 1 << 3;
    pub const PUBSUB: u32 = 1 << 4;
    pub const NOSCRIPT: u32 = 1 << 5;
    pub const BLOCKING: u32 = 1 << 6;
    pub const LOADING: u32 = 1 << 7;
    pub const STALE: u32 = 1 << 8;
    pub const FAST: u32 = 1 << 9;
    pub const NO_AUTH: u32 = 1 << 10;
    pub const ALLOW_BUSY: u32 = 1 << 11;
    pub const NO_MULTI: u32 = 1 << 12;
    pub const SKIP_SLOWLOG: u32 = 1 << 13;
    pub const SENTINEL: u32 = 1 << 14;
    pub const NO_ASYNC_LOADING: u32 = 1 << 16;
    /// Derived from the key specs by the table's `cmd`, never written in a row.
    pub const MOVABLEKEYS: u32 = 1 << 17;
    /// Not a Redis flag: the command parses its own subcommands (DEBUG), so
    /// COMMAND shows it as one command; the dispatcher still uses the rows.
    pub const OWN_SUBCOMMANDS: u32 = 1 << 18;
    pub const SKIP_MONITOR: u32 = 1 << 19;
    pub const NO_MANDATORY_KEYS: u32 = 1 << 20;
    /// Not shown by COMMAND INFO (Redis hides it too).
    pub const MAY_REPLICATE: u32 = 1 << 21;

    /// Flag names as COMMAND INFO reports them, in Redis's order.
    pub const NAMES: &[(u32, &str)] = &[
        (WRITE, "write"),
        (READONLY, "readonly"),
        (DENYOOM, "denyoom"),
        (ADMIN, "admin"),
        (PUBSUB, "pubsub"),
        (NOSCRIPT, "noscript"),
        (BLOCKING, "blocking"),
        (LOADING, "loading"),
        (STALE, "stale"),
        (SKIP_MONITOR, "skip_monitor"),
        (SKIP_SLOWLOG, "skip_slowlog"),
        (FAST, "fast"),
        (NO_AUTH, "no_auth"),
        (NO_MANDATORY_KEYS, "no_mandatory_keys"),
        (NO_ASYNC_LOADING, "no_async_loading"),
        (NO_MULTI, "no_multi"),
        (MOVABLEKEYS, "movablekeys"),
        (ALLOW_BUSY, "allow_busy"),
    ];
}

/// ACL categories a row names explicitly (Redis's `acl_categories`); the
/// ones that follow from the flags (`@write`, `@read`, `@fast`, ...) are
/// added by [`CommandSpec::acl_categories`].
pub mod acl {
    pub const KEYSPACE: u32 = 1 << 0;
    pub const READ: u32 = 1 << 1;
    pub const WRITE: u32 = 1 << 2;
    pub const SET: u32 = 1 << 3;
    pub const SORTEDSET: u32 = 1 << 4;
    pub const LIST: u32 = 1 << 5;
    pub const HASH: u32 = 1 << 6;
    pub const STRING: u32 = 1 << 7;
    pub const BITMAP: u32 = 1 << 8;
    pub const HYPERLOGLOG: u32 = 1 << 9;
    pub const GEO: u32 = 1 << 10;
    pub const STREAM: u32 = 1 << 11;
    pub const PUBSUB: u32 = 1 << 12;
    pub const ADMIN: u32 = 1 << 13;
    pub const FAST: u32 = 1 << 14;
    pub const SLOW: u32 = 1 << 15;
    pub const BLOCKING: u32 = 1 << 16;
    pub const DANGEROUS: u32 = 1 << 17;
    pub const CONNECTION: u32 = 1 << 18;
    pub const TRANSACTION: u32 = 1 << 19;
    pub const SCRIPTING: u32 = 1 << 20;

    /// In the order of Redis's category table, which is the order COMMAND INFO lists them in.
    pub const NAMES: &[(u32, &str)] = &[
        (KEYSPACE, "@keyspace"),
        (READ, "@read"),
        (WRITE, "@write"),
        (SET, "@set"),
        (SORTEDSET, "@sortedset"),
        (LIST, "@list"),
        (HASH, "@hash"),
        (STRING, "@string"),
        (BITMAP, "@bitmap"),
        (HYPERLOGLOG, "@hyperloglog"),
        (GEO, "@geo"),
        (STREAM, "@stream"),
        (PUBSUB, "@pubsub"),
        (ADMIN, "@admin"),
        (FAST, "@fast"),
        (SLOW, "@slow"),
        (BLOCKING, "@blocking"),
        (DANGEROUS, "@dangerous"),
        (CONNECTION, "@connection"),
        (TRANSACTION, "@transaction"),
        (SCRIPTING, "@scripting"),
    ];
}

/// Key-spec flags: how a command uses the keys a [`KeySpec`] finds.
pub mod key {
    pub const RO: u32 = 1 << 0;
    pub const RW: u32 = 1 << 1;
    pub const OW: u32 = 1 << 2;
    pub const RM: u32 = 1 << 3;
    pub const ACCESS: u32 = 1 << 4;
    pub const UPDATE: u32 = 1 << 5;
    pub const INSERT: u32 = 1 << 6;
    pub const DELETE: u32 = 1 << 7;
    pub const NOT_KEY: u32 = 1 << 8;
    pub const INCOMPLETE: u32 = 1 << 9;
    pub const VARIABLE_FLAGS: u32 = 1 << 10;

    /// As COMMAND INFO and COMMAND GETKEYSANDFLAGS name them, in Redis's order.
    pub const NAMES: &[(u32, &str)] = &[
        (RO, "RO"),
        (RW, "RW"),
        (OW, "OW"),
        (RM, "RM"),
        (ACCESS, "access"),
        (UPDATE, "update"),
        (INSERT, "insert"),
        (DELETE, "delete"),
        (NOT_KEY, "not_key"),
        (INCOMPLETE, "incomplete"),
        (VARIABLE_FLAGS, "variable_flags"),
    ];

    /// The names of the flags set in `flags`.
    pub fn names(flags: u32) -> impl Iterator<Item = &'static str> {
        NAMES
            .iter()
            .filter(move |(f, _)| flags & f != 0)
            .map(|(_, n)| *n)
    }
}

/// Redis 7.0's key specification: where a command's keys start
/// (`begin_search`), how many follow (`find_keys`), and how it uses them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    /// Redis's `notes`, or "".
    pub notes: &'static str,
    /// [`key`] flags.
    pub flags: u32,
    pub begin: BeginSearch,
    pub find: FindKeys,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BeginSearch {
    /// The first key is argument `n`.
    Index(i32),
    /// The first key follows `keyword`, searched from argument `startfrom`
    /// (from the end when negative).
    Keyword {
        keyword: &'static str,
        startfrom: i32,
    },
    /// The keys can be anywhere (SORT's BY/GET/STORE).
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindKeys {
    /// Keys up to `lastkey` (relative to the first; negative counts from the
    /// end), every `keystep`; with `limit`, only 1/limit of what is left.
    Range {
        lastkey: i32,
        keystep: i32,
        limit: i32,
    },
    /// The argument `keynumidx` after the first holds the number of keys,
    /// which start at `firstkey` after it, every `keystep`.
    Keynum {
        keynumidx: i32,
        firstkey: i32,
        keystep: i32,
    },
    Unknown,
}

impl KeySpec {
    pub const fn with_notes(mut self, notes: &'static str) -> KeySpec {
        self.notes = notes;
        self
    }
}

/// Redis's `getkeys_proc`: how COMMAND GETKEYS finds keys the key specs
/// can't (SORT's STORE, SET's GET flags) or when they fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeysProc {
    /// The key specs say it all.
    None,
    /// `[store] numkeys key [key ...]`: the positions of the destination (0 for
    /// none), of numkeys and of the first key (ZUNIONSTORE, LMPOP, ...).
    NumKeys {
        store: usize,
        count: usize,
        first: usize,
    },
    Set,
    Bitfield,
    Sort,
    SortRo,
    Xread,
}

/// Redis's `populateCommandLegacyRangeSpec`: the (first, last, step) COMMAND
/// INFO shows for `specs`, and whether the keys are "movable" (not all found
/// by that range).
pub const fn legacy_range(specs: &[KeySpec]) -> ((i32, i32, i32), bool) {
    if specs.is_empty() {
        return ((0, 0, 0), false);
    }
    if specs.len() == 1 {
        if let (
            BeginSearch::Index(pos),
            FindKeys::Range {
                lastkey, keystep, ..
            },
        ) = (specs[0].begin, specs[0].find)
        {
            let last = if lastkey >= 0 { lastkey + pos } else { lastkey };
            return ((pos, last, keystep), specs[0].flags & key::INCOMPLETE != 0);
        }
    }
    let mut first = i32::MAX;
    let mut last: i32 = 0;
    let mut prev_last: i32 = 0;
    let mut movable = false;
    let mut i = 0;
    while i < specs.len() {
        match (specs[i].begin, specs[i].find) {
            (
                BeginSearch::Index(pos),
                FindKeys::Range {
                    lastkey, keystep, ..
                },
            ) => {
                if keystep != 1 || (prev_last != 0 && prev_last != pos - 1) {
                    movable = true;
                } else {
                    if specs[i].flags & key::INCOMPLETE != 0 {
                        movable = true;
                    }
                    if pos < first {
                        first = pos;
                    }
                    let abs = if lastkey >= 0 { lastkey + pos } else { lastkey };
                    // Unsigned, as Redis compares: a negative (from the end) wins.
                    if abs as u32 > last as u32 {
                        last = abs;
                    }
                    prev_last = last;
                }
            }
            _ => movable = true,
        }
        i += 1;
    }
    if first == i32::MAX {
        return ((0, 0, 0), true);
    }
    ((first, last, 1), movable)
}

use flag::*;

/// Command groups, named as COMMAND DOCS and redis-cli's `HELP @group` name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Generic,
    Str,
    List,
    Set,
    SortedSet,
    Hash,
    Pubsub,
    Transactions,
    Connection,
    Server,
    Scripting,
    Hyperloglog,
    Stream,
    Bitmap,
    Geo,
}

impl Group {
    pub const ALL: &'static [Group] = &[
        Group::Generic,
        Group::Str,
        Group::List,
        Group::Set,
        Group::SortedSet,
        Group::Hash,
        Group::Pubsub,
        Group::Transactions,
        Group::Connection,
        Group::Server,
        Group::Scripting,
        Group::Hyperloglog,
        Group::Stream,
        Group::Bitmap,
        Group::Geo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Group::Generic => "generic",
            Group::Str => "string",
            Group::List => "list",
            Group::Set => "set",
            Group::SortedSet => "sorted-set",
            Group::Hash => "hash",
            Group::Pubsub => "pubsub",
            Group::Transactions => "transactions",
            Group::Connection => "connection",
            Group::Server => "server",
            Group::Scripting => "scripting",
            Group::Hyperloglog => "hyperloglog",
            Group::Stream => "stream",
            Group::Bitmap => "bitmap",
            Group::Geo => "geo",
        }
    }

    /// The ACL category a command of this group belongs to, unless its row says otherwise.
    pub const fn acl_category(self) -> u32 {
        match self {
            Group::Generic => acl::KEYSPACE,
            Group::Str => acl::STRING,
            Group::List => acl::LIST,
            Group::Set => acl::SET,
            Group::SortedSet => acl::SORTEDSET,
            Group::Hash => acl::HASH,
            Group::Transactions => acl::TRANSACTION,
            Group::Connection => acl::CONNECTION,
            Group::Scripting => acl::SCRIPTING,
            Group::Hyperloglog => acl::HYPERLOGLOG,
            Group::Stream => acl::STREAM,
            Group::Bitmap => acl::BITMAP,
            Group::Geo => acl::GEO,
            Group::Pubsub | Group::Server => 0,
        }
    }
}

pub struct CommandSpec {
    /// Lower-case name; subcommands hold just their own part (`get` of `config|get`).
    pub name: &'static str,
    /// The container's name for a subcommand.
    pub parent: Option<&'static str>,
    /// Redis's convention: N means exactly N arguments (the name included), -N at least N.
    pub arity: i32,
    pub flags: u32,
    /// The legacy key range COMMAND INFO shows, derived from `key_specs`.
    pub first_key: i32,
    pub last_key: i32,
    pub key_step: i32,
    pub key_specs: &'static [KeySpec],
    pub keys_proc: KeysProc,
    /// Redis's command tips (COMMAND INFO's 8th element).
    pub tips: &'static [&'static str],
    /// [`acl`] categories named explicitly.
    pub acl: u32,
    pub group: Group,
    pub since: &'static str,
    pub complexity: &'static str,
    pub summary: &'static str,
    /// The arguments after the name, in redis-cli's hint notation.
    pub syntax: &'static str,
    /// None for a container whose subcommands do the work.
    pub handler: Option<Handler>,
    pub subcommands: &'static [CommandSpec],
}

impl CommandSpec {
    /// `get`, or `config|get` for a subcommand: the name Redis puts in errors.
    pub fn full_name(&self) -> String {
        match self.parent {
            Some(p) => format!("{p}|{}", self.name),
            None => self.name.to_string(),
        }
    }

    /// `GET`, or `CONFIG GET`: the name HELP shows.
    pub fn display_name(&self) -> String {
        match self.parent {
            Some(p) => format!(
                "{} {}",
                p.to_ascii_uppercase(),
                self.name.to_ascii_uppercase()
            ),
            None => self.name.to_ascii_uppercase(),
        }
    }

    /// Indices of the key arguments in an `argc`-long command (legacy first/last/step).
    pub fn key_positions(&self, argc: usize) -> impl Iterator<Item = usize> {
        let first = self.first_key.max(0) as usize;
        let last = if self.last_key < 0 {
            argc as i64 + i64::from(self.last_key)
        } else {
            i64::from(self.last_key)
        };
        let step = self.key_step.max(1) as usize;
        let end = if first == 0 {
            0
        } else {
            (last.max(0) as usize).min(argc.saturating_sub(1)) + 1
        };
        (first..end.max(first)).step_by(step)
    }

    pub fn has_flag(&self, f: u32) -> bool {
        self.flags & f != 0
    }

    pub fn subcommand(&self, name: &[u8]) -> Option<&'static CommandSpec> {
        self.subcommands
            .iter()
            .find(|s| s.name.as_bytes().eq_ignore_ascii_case(name))
    }

    pub fn flag_names(&self) -> Vec<&'static str> {
        flag::NAMES
            .iter()
            .filter(|(f, _)| self.flags & f != 0)
            .map(|(_, n)| *n)
            .collect()
    }

    /// ACL categories as COMMAND INFO lists them: the explicit ones plus
    /// those the flags imply (Redis's `setImplicitACLCategories`), in the
    /// order of Redis's category table.
    pub fn acl_categories(&self) -> Vec<&'static str> {
        let mut cats = self.acl;
        if self.has_flag(WRITE) {
            cats |= acl::WRITE;
        }
        if self.has_flag(READONLY) && cats & acl::SCRIPTING == 0 {
            cats |= acl::READ;
        }
        if self.has_flag(ADMIN) {
            cats |= acl::ADMIN | acl::DANGEROUS;
        }
        if self.has_flag(PUBSUB) {
            cats |= acl::PUBSUB;
        }
        if self.has_flag(FAST) {
            cats |= acl::FAST;
        }
        if self.has_flag(BLOCKING) {
            cats |= acl::BLOCKING;
        }
        if cats & acl::FAST == 0 {
            cats |= acl::SLOW;
        }
        acl::NAMES
            .iter()
            .filter(|(c, _)| cats & c != 0)
            .map(|(_, n)| *n)
            .collect()
    }

    /// Whether COMMAND shows this command's subcommands (not DEBUG's).
    pub fn shows_subcommands(&self) -> bool {
        !self.subcommands.is_empty() && !self.has_flag(OWN_SUBCOMMANDS)
    }
}

mod commands;
mod console;
mod keys;

pub use commands::COMMANDS;
pub use console::{complete, help, hint, syntax_tokens};
pub use keys::{has_keys, keys_of};

/// Case-insensitive lookup of a top-level command.
///
/// Every command passes through here, so it reads the name as two lower-cased
/// words (no copy, no general-purpose map) and probes a small open-addressed
/// index that holds those words; in wasm this is several times cheaper than
/// lower-casing into a buffer and asking a `HashMap`.
pub fn lookup(name: &[u8]) -> Option<&'static CommandSpec> {
    if name.len() > 16 {
        if name.len() > MAX_NAME {
            return None;
        }
        // Only GEORADIUSBYMEMBER and GEORADIUSBYMEMBER_RO are longer.
        return COMMANDS
            .iter()
            .find(|c| c.name.len() == name.len() && c.name.as_bytes().eq_ignore_ascii_case(name));
    }
    let (lo, hi) = name_words(name)?;
    let index = &*NAME_INDEX;
    let mask = index.len() - 1;
    let mut slot = name_hash(lo, hi, name.len()) & mask;
    loop {
        let s = index.get(slot)?;
        if s.command == u16::MAX {
            return None;
        }
        if s.lo == lo && s.hi == hi && usize::from(s.len) == name.len() {
            return COMMANDS.get(usize::from(s.command));
        }
        slot = (slot + 1) & mask;
    }
}

/// A command by its full name, as COMMAND INFO and LATENCY HISTOGRAM take it
/// (Redis's `lookupCommandBySds`): `get`, `client` or `client|id`, any case.
/// DEBUG's rows are not names of their own: Redis has no `debug|sleep`.
pub fn lookup_full_name(name: &[u8]) -> Option<&'static CommandSpec> {
    match name.iter().position(|&b| b == b'|') {
        None => lookup(name),
        Some(bar) => lookup(&name[..bar])
            .filter(|c| c.shows_subcommands())?
            .subcommand(&name[bar + 1..]),
    }
}

/// No command name is longer (the longest is 20 bytes).
const MAX_NAME: usize = 32;

/// A name of up to 16 bytes as two little-endian words, ASCII letters
/// lower-cased (None if empty or if a byte is not ASCII: no command has one).
/// The index compares these two words instead of the name byte by byte
/// through its `CommandSpec` (three dependent loads, then a loop).
#[inline]
fn name_words(name: &[u8]) -> Option<(u64, u64)> {
    let n = name.len();
    let (lo, hi) = match n {
        0 => return None,
        1..=8 => (tail_word(name), 0),
        _ => (crate::db::le_u64(&name[..8]), tail_word(&name[8..])),
    };
    if (lo | hi) & 0x8080_8080_8080_8080 != 0 {
        return None;
    }
    Some((to_lower(lo), to_lower(hi)))
}

/// 1 to 8 bytes as a zero-padded little-endian word, read with fixed-size
/// reads that may overlap (not a copy of variable length, a call in wasm).
#[inline]
fn tail_word(b: &[u8]) -> u64 {
    if b.len() >= 8 {
        crate::db::le_u64(b)
    } else {
        crate::db::tail_word(b)
    }
}

/// `A`-`Z` to lower case in every byte of a word of ASCII bytes.
#[inline]
fn to_lower(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Per byte, the high bit ends up set for 'A' <= byte (first sum) and not
    // for byte > 'Z' (second sum); ASCII bytes never carry into the next one.
    let from_a = w + ONES * (0x80 - u64::from(b'A'));
    let past_z = w + ONES * (0x80 - u64::from(b'Z') - 1);
    w | ((from_a & !past_z & (ONES * 0x80)) >> 2)
}

#[inline]
fn name_hash(lo: u64, hi: u64, len: usize) -> usize {
    let h = (lo ^ hi.rotate_left(23) ^ len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> 40) as usize
}

/// One slot of [`NAME_INDEX`]: a name's words and length, and its command.
#[derive(Clone, Copy)]
struct NameSlot {
    lo: u64,
    hi: u64,
    /// Index into [`COMMANDS`], or `u16::MAX` for an empty slot.
    command: u16,
    len: u8,
}

/// Open addressing with linear probing over the names of up to 16 bytes; an
/// empty slot ends a probe. At most a quarter full, so probes are short.
static NAME_INDEX: std::sync::LazyLock<Vec<NameSlot>> = std::sync::LazyLock::new(|| {
    let empty = NameSlot {
        lo: 0,
        hi: 0,
        command: u16::MAX,
        len: 0,
    };
    let size = (COMMANDS.len() * 4).next_power_of_two();
    let mut index = vec![empty; size];
    for (i, c) in COMMANDS.iter().enumerate() {
        let name = c.name.as_bytes();
        let Some((lo, hi)) = name_words(name).filter(|_| name.len() <= 16) else {
            continue;
        };
        let mut slot = name_hash(lo, hi, name.len()) & (size - 1);
        while index[slot].command != u16::MAX {
            slot = (slot + 1) & (size - 1);
        }
        index[slot] = NameSlot {
            lo,
            hi,
            command: i as u16,
            len: name.len() as u8,
        };
    }
    index
});

#[cfg(test)]
mod tests;
