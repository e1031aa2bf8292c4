//! The command table's rows: every command and subcommand with its arity,
//! flags, key positions, group, version, complexity, summary, syntax and handler.

use super::flag::*;
use super::key::{ACCESS, DELETE, INSERT, NOT_KEY, OW, RM, RO, RW, UPDATE, VARIABLE_FLAGS};
use super::Group::*;
use super::{acl, legacy_range, BeginSearch, CommandSpec, FindKeys, Group, KeySpec, KeysProc};
use crate::cmd::{self, Handler};

#[allow(clippy::too_many_arguments)]
const fn cmd(
    name: &'static str,
    arity: i32,
    flags: u32,
    key_specs: &'static [KeySpec],
    group: Group,
    since: &'static str,
    complexity: &'static str,
    summary: &'static str,
    syntax: &'static str,
    handler: Handler,
) -> CommandSpec {
    let ((first_key, last_key, key_step), movable) = legacy_range(key_specs);
    CommandSpec {
        name,
        parent: None,
        arity,
        flags: if movable { flags | MOVABLEKEYS } else { flags },
        first_key,
        last_key,
        key_step,
        key_specs,
        keys_proc: KeysProc::None,
        tips: &[],
        acl: group.acl_category(),
        group,
        since,
        complexity,
        summary,
        syntax,
        handler: Some(handler),
        subcommands: &[],
    }
}

/// A command made of subcommands: only flags it implies itself, no ACL
/// category of its own, as Redis's containers.
const fn container(
    name: &'static str,
    group: Group,
    since: &'static str,
    summary: &'static str,
    subcommands: &'static [CommandSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        parent: None,
        arity: -2,
        flags: 0,
        first_key: 0,
        last_key: 0,
        key_step: 0,
        key_specs: &[],
        keys_proc: KeysProc::None,
        tips: &[],
        acl: 0,
        group,
        since,
        complexity: "Depends on subcommand.",
        summary,
        syntax: "subcommand [argument ...]",
        handler: None,
        subcommands,
    }
}

#[allow(clippy::too_many_arguments)]
const fn sub(
    parent: &'static str,
    name: &'static str,
    arity: i32,
    flags: u32,
    key_specs: &'static [KeySpec],
    group: Group,
    since: &'static str,
    complexity: &'static str,
    summary: &'static str,
    syntax: &'static str,
    handler: Handler,
) -> CommandSpec {
    let mut c = cmd(
        name, arity, flags, key_specs, group, since, complexity, summary, syntax, handler,
    );
    c.parent = Some(parent);
    c
}

/// What a row adds to the defaults of `cmd`, `sub` and `container`.
impl CommandSpec {
    /// Redis's command tips.
    const fn tips(mut self, tips: &'static [&'static str]) -> CommandSpec {
        self.tips = tips;
        self
    }

    /// ACL categories, instead of the group's.
    const fn acl(mut self, categories: u32) -> CommandSpec {
        self.acl = categories;
        self
    }

    const fn keys_proc(mut self, proc_: KeysProc) -> CommandSpec {
        self.keys_proc = proc_;
        self
    }

    /// A container that is also a command of its own (COMMAND, DEBUG).
    const fn runs(mut self, arity: i32, flags: u32, handler: Option<Handler>) -> CommandSpec {
        self.arity = arity;
        self.flags = flags;
        self.handler = handler;
        self
    }
}

/// One key at argument `index`.
pub(super) const fn at(index: i32, flags: u32) -> KeySpec {
    range(index, 0, 1, flags)
}

/// Keys from argument `index` to `lastkey` (relative to `index`, or from the
/// end when negative), every `keystep`.
pub(super) const fn range(index: i32, lastkey: i32, keystep: i32, flags: u32) -> KeySpec {
    KeySpec {
        notes: "",
        flags,
        begin: BeginSearch::Index(index),
        find: FindKeys::Range {
            lastkey,
            keystep,
            limit: 0,
        },
    }
}

/// Argument `index` holds the number of keys, which follow it.
pub(super) const fn numkeys(index: i32, flags: u32) -> KeySpec {
    KeySpec {
        notes: "",
        flags,
        begin: BeginSearch::Index(index),
        find: FindKeys::Keynum {
            keynumidx: 0,
            firstkey: 1,
            keystep: 1,
        },
    }
}

/// Keys after `keyword`, searched from argument `startfrom`.
const fn keyword(
    keyword: &'static str,
    startfrom: i32,
    lastkey: i32,
    keystep: i32,
    limit: i32,
    flags: u32,
) -> KeySpec {
    KeySpec {
        notes: "",
        flags,
        begin: BeginSearch::Keyword { keyword, startfrom },
        find: FindKeys::Range {
            lastkey,
            keystep,
            limit,
        },
    }
}

/// Keys no position rule finds.
const fn unknown(flags: u32) -> KeySpec {
    KeySpec {
        notes: "",
        flags,
        begin: BeginSearch::Unknown,
        find: FindKeys::Unknown,
    }
}

/// A row's own key specs: `keys![at(1, RO | ACCESS), at(2, OW | UPDATE)]`.
macro_rules! keys {
    ($($spec:expr),* $(,)?) => {{
        const SPECS: &[KeySpec] = &[$($spec),*];
        SPECS
    }};
}

// The shapes most commands share. Access flags: RO reads, RW reads and
// writes, OW overwrites, RM removes; ACCESS returns data, UPDATE / INSERT /
// DELETE say what a write does.
const NOKEY: &[KeySpec] = &[];
/// Reads the value at argument 1 (GET).
const READ1: &[KeySpec] = &[at(1, RO | ACCESS)];
const READ2: &[KeySpec] = &[at(2, RO | ACCESS)];
/// Reads only metadata of the key at argument 1 (STRLEN, EXISTS).
const PEEK1: &[KeySpec] = &[at(1, RO)];
const PEEK2: &[KeySpec] = &[at(2, RO)];
const READ_ALL: &[KeySpec] = &[range(1, -1, 1, RO | ACCESS)];
const PEEK_ALL: &[KeySpec] = &[range(1, -1, 1, RO)];
/// Changes the value at argument 1 without returning it.
const UPDATE1: &[KeySpec] = &[at(1, RW | UPDATE)];
/// Changes the value at argument 1 and returns from it (INCR).
const RMW1: &[KeySpec] = &[at(1, RW | ACCESS | UPDATE)];
const INSERT1: &[KeySpec] = &[at(1, RW | INSERT)];
const INSERT2: &[KeySpec] = &[at(2, RW | INSERT)];
const REMOVE1: &[KeySpec] = &[at(1, RW | DELETE)];
const REMOVE2: &[KeySpec] = &[at(2, RW | DELETE)];
const OVERWRITE1: &[KeySpec] = &[at(1, OW | UPDATE)];
/// Removes and returns elements of the key at argument 1 (LPOP).
const POP1: &[KeySpec] = &[at(1, RW | ACCESS | DELETE)];
const POP1_PUSH2: &[KeySpec] = &[at(1, RW | ACCESS | DELETE), at(2, RW | INSERT)];
/// BLPOP's keys: all arguments but the timeout.
const POP_ALL_BUT_LAST: &[KeySpec] = &[range(1, -2, 1, RW | ACCESS | DELETE)];
const READ_NUMKEYS1: &[KeySpec] = &[numkeys(1, RO | ACCESS)];
const POP_NUMKEYS1: &[KeySpec] = &[numkeys(1, RW | ACCESS | DELETE)];
const POP_NUMKEYS2: &[KeySpec] = &[numkeys(2, RW | ACCESS | DELETE)];
/// ZUNIONSTORE: a destination, then numkeys sources.
const STORE1_READ_NUMKEYS2: &[KeySpec] = &[at(1, OW | UPDATE), numkeys(2, RO | ACCESS)];
/// SUNIONSTORE: a destination, then the sources.
const STORE1_READ_REST: &[KeySpec] = &[at(1, OW | UPDATE), range(2, -1, 1, RO | ACCESS)];
/// Shard channels are declared as keys (for cluster slots) but are not keys.
const CHANNELS_ALL: &[KeySpec] = &[range(1, -1, 1, NOT_KEY)];
const SORT_BY_GET: KeySpec = unknown(RO | ACCESS).with_notes("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort");
const SORT_STORE: KeySpec = unknown(OW | UPDATE).with_notes("For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array");

const NUMKEYS_AT1: KeysProc = KeysProc::NumKeys {
    store: 0,
    count: 1,
    first: 2,
};
const NUMKEYS_AT2: KeysProc = KeysProc::NumKeys {
    store: 0,
    count: 2,
    first: 3,
};
const STORE_NUMKEYS_AT2: KeysProc = KeysProc::NumKeys {
    store: 1,
    count: 2,
    first: 3,
};

const NONDET: &[&str] = &["nondeterministic_output"];
const NONDET_ORDER: &[&str] = &["nondeterministic_output_order"];

const EVAL_KEYS: &[KeySpec] = keys![numkeys(2, RW | ACCESS | UPDATE)
    .with_notes("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE")];
const EVAL_RO_KEYS: &[KeySpec] = keys![numkeys(2, RO | ACCESS)
    .with_notes("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS")];

mod subcommands;
use subcommands::*;

/// Every command, sorted by name (a test keeps it sorted, so completion lists
/// names in order; lookup goes through a hash index).
pub static COMMANDS: &[CommandSpec] = &[
    cmd("append", 3, WRITE | DENYOOM | FAST, INSERT1, Str, "2.0.0", "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.", "Append a value to a key", "key value", cmd::string::append),
    cmd("bgsave", -1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING, NOKEY, Server, "1.0.0", "O(1)", "Asynchronously save the dataset to disk", "[SCHEDULE]", cmd::persistence::bgsave),
    cmd("bitcount", -2, READONLY, READ1, Bitmap, "2.6.0", "O(N)", "Count set bits in a string", "key [start end [BYTE|BIT]]", cmd::bitmap::bitcount),
    cmd("bitfield", -2, WRITE | DENYOOM, keys![at(1, RW | UPDATE | ACCESS | VARIABLE_FLAGS).with_notes("This command allows both access and modification of the key")], Bitmap, "3.2.0", "O(1) for each subcommand specified", "Perform arbitrary bitfield integer operations on strings", "key [GET encoding offset|[OVERFLOW WRAP|SAT|FAIL] SET encoding offset value|INCRBY encoding offset increment [GET encoding offset|[OVERFLOW WRAP|SAT|FAIL] SET encoding offset value|INCRBY encoding offset increment ...]]", cmd::bitmap::bitfield).keys_proc(KeysProc::Bitfield),
    cmd("bitfield_ro", -2, READONLY | FAST, READ1, Bitmap, "6.0.0", "O(1) for each subcommand specified", "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD", "key GET encoding offset [encoding offset ...]", cmd::bitmap::bitfield_ro),
    cmd("bitop", -4, WRITE | DENYOOM, keys![at(2, OW | UPDATE), range(3, -1, 1, RO | ACCESS)], Bitmap, "2.6.0", "O(N)", "Perform bitwise operations between strings", "AND|OR|XOR|NOT destkey key [key ...]", cmd::bitmap::bitop),
    cmd("bitpos", -3, READONLY, READ1, Bitmap, "2.8.7", "O(N)", "Find first bit set or clear in a string", "key bit [start [end [BYTE|BIT]]]", cmd::bitmap::bitpos),
    cmd("blmove", 6, WRITE | DENYOOM | NOSCRIPT | BLOCKING, POP1_PUSH2, List, "6.2.0", "O(1)", "Pop an element from a list, push it to another list and return it; or block until one is available", "source destination LEFT|RIGHT LEFT|RIGHT timeout", cmd::blocking::blmove),
    cmd("blmpop", -5, WRITE | BLOCKING, POP_NUMKEYS2, List, "7.0.0", "O(N+M) where N is the number of provided keys and M is the number of elements returned.", "Pop elements from a list, or block until one is available", "timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]", cmd::blocking::blmpop).keys_proc(NUMKEYS_AT2),
    cmd("blpop", -3, WRITE | NOSCRIPT | BLOCKING, POP_ALL_BUT_LAST, List, "2.0.0", "O(N) where N is the number of provided keys.", "Remove and get the first element in a list, or block until one is available", "key [key ...] timeout", cmd::blocking::blpop),
    cmd("brpop", -3, WRITE | NOSCRIPT | BLOCKING, POP_ALL_BUT_LAST, List, "2.0.0", "O(N) where N is the number of provided keys.", "Remove and get the last element in a list, or block until one is available", "key [key ...] timeout", cmd::blocking::brpop),
    cmd("brpoplpush", 4, WRITE | DENYOOM | NOSCRIPT | BLOCKING, POP1_PUSH2, List, "2.2.0", "O(1)", "Pop an element from a list, push it to another list and return it; or block until one is available", "source destination timeout", cmd::blocking::brpoplpush),
    cmd("bzmpop", -5, WRITE | BLOCKING, POP_NUMKEYS2, SortedSet, "7.0.0", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.", "Remove and return members with scores in a sorted set or block until one is available", "timeout numkeys key [key ...] MIN|MAX [COUNT count]", cmd::blocking::bzmpop).keys_proc(NUMKEYS_AT2),
    cmd("bzpopmax", -3, WRITE | NOSCRIPT | FAST | BLOCKING, POP_ALL_BUT_LAST, SortedSet, "5.0.0", "O(log(N)) with N being the number of elements in the sorted set.", "Remove and return the member with the highest score from one or more sorted sets, or block until one is available", "key [key ...] timeout", cmd::blocking::bzpopmax),
    cmd("bzpopmin", -3, WRITE | NOSCRIPT | FAST | BLOCKING, POP_ALL_BUT_LAST, SortedSet, "5.0.0", "O(log(N)) with N being the number of elements in the sorted set.", "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available", "key [key ...] timeout", cmd::blocking::bzpopmin),
    container("client", Connection, "2.4.0", "A container for client connection commands", CLIENT_SUBS),
    container("command", Server, "2.8.13", "Get array of Redis command details", COMMAND_SUBS).runs(-1, LOADING | STALE | SENTINEL, Some(cmd::command::command_all)).acl(acl::CONNECTION).tips(NONDET_ORDER),
    container("config", Server, "2.0.0", "A container for server configuration commands", CONFIG_SUBS),
    cmd("copy", -3, WRITE | DENYOOM, keys![at(1, RO | ACCESS), at(2, OW | UPDATE)], Generic, "6.2.0", "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.", "Copy a key", "source destination [DB destination-db] [REPLACE]", cmd::keys::copy),
    cmd("dbsize", 1, READONLY | FAST, NOKEY, Server, "1.0.0", "O(1)", "Return the number of keys in the selected database", "", cmd::server::dbsize).tips(&["request_policy:all_shards", "response_policy:agg_sum"]).acl(acl::KEYSPACE),
    container("debug", Server, "1.0.0", "A container for debugging commands", DEBUG_SUBS).runs(-2, ADMIN | NOSCRIPT | LOADING | STALE | OWN_SUBCOMMANDS, None),
    cmd("decr", 2, WRITE | DENYOOM | FAST, RMW1, Str, "1.0.0", "O(1)", "Decrement the integer value of a key by one", "key", cmd::string::decr),
    cmd("decrby", 3, WRITE | DENYOOM | FAST, RMW1, Str, "1.0.0", "O(1)", "Decrement the integer value of a key by the given number", "key decrement", cmd::string::decrby),
    cmd("del", -2, WRITE, keys![range(1, -1, 1, RM | DELETE)], Generic, "1.0.0", "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).", "Delete a key", "key [key ...]", cmd::keys::del).tips(&["request_policy:multi_shard", "response_policy:agg_sum"]),
    cmd("discard", 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, NOKEY, Transactions, "2.0.0", "O(N), when N is the number of queued commands", "Discard all commands issued after MULTI", "", cmd::tx::discard),
    cmd("dump", 2, READONLY, READ1, Generic, "2.6.0", "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).", "Return a serialized version of the value stored at the specified key.", "key", cmd::dump::dump).tips(NONDET),
    cmd("echo", 2, LOADING | STALE | FAST, NOKEY, Connection, "1.0.0", "O(1)", "Echo the given string", "message", cmd::server::echo),
    cmd("eval", -3, NOSCRIPT | SKIP_MONITOR | MAY_REPLICATE | NO_MANDATORY_KEYS | STALE, EVAL_KEYS, Scripting, "2.6.0", "Depends on the script that is executed.", "Execute a Lua script server side", "script numkeys [key [key ...]] [arg [arg ...]]", cmd::scripting::eval).keys_proc(NUMKEYS_AT2),
    cmd("eval_ro", -3, NOSCRIPT | SKIP_MONITOR | NO_MANDATORY_KEYS | STALE | READONLY, EVAL_RO_KEYS, Scripting, "7.0.0", "Depends on the script that is executed.", "Execute a read-only Lua script server side", "script numkeys [key [key ...]] [arg [arg ...]]", cmd::scripting::eval_ro).keys_proc(NUMKEYS_AT2),
    cmd("evalsha", -3, NOSCRIPT | SKIP_MONITOR | MAY_REPLICATE | NO_MANDATORY_KEYS | STALE, keys![numkeys(2, RW | ACCESS | UPDATE)], Scripting, "2.6.0", "Depends on the script that is executed.", "Execute a Lua script server side", "sha1 numkeys [key [key ...]] [arg [arg ...]]", cmd::scripting::evalsha).keys_proc(NUMKEYS_AT2),
    cmd("evalsha_ro", -3, NOSCRIPT | SKIP_MONITOR | NO_MANDATORY_KEYS | STALE | READONLY, keys![numkeys(2, RO | ACCESS)], Scripting, "7.0.0", "Depends on the script that is executed.", "Execute a read-only Lua script server side", "sha1 numkeys [key [key ...]] [arg [arg ...]]", cmd::scripting::evalsha_ro).keys_proc(NUMKEYS_AT2),
    cmd("exec", 1, NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG, NOKEY, Transactions, "1.2.0", "Depends on commands in the transaction", "Execute all commands issued after MULTI", "", cmd::tx::exec),
    cmd("exists", -2, READONLY | FAST, PEEK_ALL, Generic, "1.0.0", "O(N) where N is the number of keys to check.", "Determine if a key exists", "key [key ...]", cmd::keys::exists).tips(&["request_policy:multi_shard", "response_policy:agg_sum"]),
    cmd("expire", -3, WRITE | FAST, UPDATE1, Generic, "1.0.0", "O(1)", "Set a key's time to live in seconds", "key seconds [NX|XX|GT|LT]", cmd::expire::expire),
    cmd("expireat", -3, WRITE | FAST, UPDATE1, Generic, "1.2.0", "O(1)", "Set the expiration for a key as a UNIX timestamp", "key unix-time-seconds [NX|XX|GT|LT]", cmd::expire::expireat),
    cmd("expiretime", 2, READONLY | FAST, READ1, Generic, "7.0.0", "O(1)", "Get the expiration Unix timestamp for a key", "key", cmd::expire::expiretime),
    cmd("fcall", -3, NOSCRIPT | SKIP_MONITOR | MAY_REPLICATE | NO_MANDATORY_KEYS | STALE, EVAL_KEYS, Scripting, "7.0.0", "Depends on the function that is executed.", "Invoke a function", "function numkeys [key [key ...]] [arg [arg ...]]", cmd::functions::fcall).keys_proc(NUMKEYS_AT2),
    cmd("fcall_ro", -3, NOSCRIPT | SKIP_MONITOR | NO_MANDATORY_KEYS | STALE | READONLY, EVAL_RO_KEYS, Scripting, "7.0.0", "Depends on the function that is executed.", "Invoke a read-only function", "function numkeys [key [key ...]] [arg [arg ...]]", cmd::functions::fcall_ro).keys_proc(NUMKEYS_AT2),
    cmd("flushall", -1, WRITE, NOKEY, Server, "1.0.0", "O(N) where N is the total number of keys in all databases", "Remove all keys from all databases", "[ASYNC|SYNC]", cmd::server::flushall).tips(&["request_policy:all_shards", "response_policy:all_succeeded"]).acl(acl::KEYSPACE | acl::DANGEROUS),
    cmd("flushdb", -1, WRITE, NOKEY, Server, "1.0.0", "O(N) where N is the number of keys in the selected database", "Remove all keys from the current database", "[ASYNC|SYNC]", cmd::server::flushdb).tips(&["request_policy:all_shards", "response_policy:all_succeeded"]).acl(acl::KEYSPACE | acl::DANGEROUS),
    container("function", Scripting, "7.0.0", "A container for function commands", FUNCTION_SUBS),
    cmd("geoadd", -5, WRITE | DENYOOM, UPDATE1, Geo, "3.2.0", "O(log(N)) for each item added, where N is the number of elements in the sorted set.", "Add one or more geospatial items in the geospatial index represented using a sorted set", "key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]", cmd::geo::geoadd),
    cmd("geodist", -4, READONLY, READ1, Geo, "3.2.0", "O(log(N))", "Returns the distance between two members of a geospatial index", "key member1 member2 [M|KM|FT|MI]", cmd::geo::geodist),
    cmd("geohash", -2, READONLY, READ1, Geo, "3.2.0", "O(log(N)) for each member requested, where N is the number of elements in the sorted set.", "Returns members of a geospatial index as standard geohash strings", "key [member [member ...]]", cmd::geo::geohash),
    cmd("geopos", -2, READONLY, READ1, Geo, "3.2.0", "O(N) where N is the number of members requested.", "Returns longitude and latitude of members of a geospatial index", "key [member [member ...]]", cmd::geo::geopos),
    cmd("georadius", -6, WRITE | DENYOOM, keys![at(1, RO | ACCESS), keyword("STORE", 6, 0, 1, 0, OW | UPDATE), keyword("STOREDIST", 6, 0, 1, 0, OW | UPDATE)], Geo, "3.2.0", "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.", "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point", "key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]", cmd::geo::georadius),
    cmd("georadius_ro", -6, READONLY, READ1, Geo, "3.2.10", "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.", "A read-only variant for GEORADIUS", "key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]", cmd::geo::georadius_ro),
    cmd("georadiusbymember", -5, WRITE | DENYOOM, keys![at(1, RO | ACCESS), keyword("STORE", 5, 0, 1, 0, OW | UPDATE), keyword("STOREDIST", 5, 0, 1, 0, OW | UPDATE)], Geo, "3.2.0", "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.", "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member", "key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]", cmd::geo::georadiusbymember),
    cmd("georadiusbymember_ro", -5, READONLY, READ1, Geo, "3.2.10", "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.", "A read-only variant for GEORADIUSBYMEMBER", "key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]", cmd::geo::georadiusbymember_ro),
    cmd("geosearch", -7, READONLY, READ1, Geo, "6.2.0", "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape", "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.", "key FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]", cmd::geo::geosearch),
    cmd("geosearchstore", -8, WRITE | DENYOOM, keys![at(1, OW | UPDATE), at(2, RO | ACCESS)], Geo, "6.2.0", "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape", "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.", "destination source FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [STOREDIST]", cmd::geo::geosearchstore),
    cmd("get", 2, READONLY | FAST, READ1, Str, "1.0.0", "O(1)", "Get the value of a key", "key", cmd::string::get),
    cmd("getbit", 3, READONLY | FAST, READ1, Bitmap, "2.2.0", "O(1)", "Returns the bit value at offset in the string value stored at key", "key offset", cmd::bitmap::getbit),
    cmd("getdel", 2, WRITE | FAST, POP1, Str, "6.2.0", "O(1)", "Get the value of a key and delete the key", "key", cmd::string::getdel),
    cmd("getex", -2, WRITE | FAST, keys![at(1, RW | ACCESS | UPDATE).with_notes("RW and UPDATE because it changes the TTL")], Str, "6.2.0", "O(1)", "Get the value of a key and optionally set its expiration", "key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]", cmd::string::getex),
    cmd("getrange", 4, READONLY, READ1, Str, "2.4.0", "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.", "Get a substring of the string stored at a key", "key start end", cmd::string::getrange),
    cmd("getset", 3, WRITE | DENYOOM | FAST, RMW1, Str, "1.0.0", "O(1)", "Set the string value of a key and return its old value", "key value", cmd::string::getset),
    cmd("hdel", -3, WRITE | FAST, REMOVE1, Hash, "2.0.0", "O(N) where N is the number of fields to be removed.", "Delete one or more hash fields", "key field [field ...]", cmd::hash::hdel),
    cmd("hello", -1, NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | SENTINEL | ALLOW_BUSY, NOKEY, Connection, "6.0.0", "O(1)", "Handshake with Redis", "[protover [AUTH username password] [SETNAME clientname]]", cmd::server::hello),
    cmd("hexists", 3, READONLY | FAST, PEEK1, Hash, "2.0.0", "O(1)", "Determine if a hash field exists", "key field", cmd::hash::hexists),
    cmd("hget", 3, READONLY | FAST, READ1, Hash, "2.0.0", "O(1)", "Get the value of a hash field", "key field", cmd::hash::hget),
    cmd("hgetall", 2, READONLY, READ1, Hash, "2.0.0", "O(N) where N is the size of the hash.", "Get all the fields and values in a hash", "key", cmd::hash::hgetall).tips(NONDET_ORDER),
    cmd("hincrby", 4, WRITE | DENYOOM | FAST, RMW1, Hash, "2.0.0", "O(1)", "Increment the integer value of a hash field by the given number", "key field increment", cmd::hash::hincrby),
    cmd("hincrbyfloat", 4, WRITE | DENYOOM | FAST, RMW1, Hash, "2.6.0", "O(1)", "Increment the float value of a hash field by the given amount", "key field increment", cmd::hash::hincrbyfloat),
    cmd("hkeys", 2, READONLY, READ1, Hash, "2.0.0", "O(N) where N is the size of the hash.", "Get all the fields in a hash", "key", cmd::hash::hkeys).tips(NONDET_ORDER),
    cmd("hlen", 2, READONLY | FAST, PEEK1, Hash, "2.0.0", "O(1)", "Get the number of fields in a hash", "key", cmd::hash::hlen),
    cmd("hmget", -3, READONLY | FAST, READ1, Hash, "2.0.0", "O(N) where N is the number of fields being requested.", "Get the values of all the given hash fields", "key field [field ...]", cmd::hash::hmget),
    cmd("hmset", -4, WRITE | DENYOOM | FAST, UPDATE1, Hash, "2.0.0", "O(N) where N is the number of fields being set.", "Set multiple hash fields to multiple values", "key field value [field value ...]", cmd::hash::hmset),
    cmd("hrandfield", -2, READONLY, READ1, Hash, "6.2.0", "O(N) where N is the number of fields returned", "Get one or multiple random fields from a hash", "key [count [WITHVALUES]]", cmd::hash::hrandfield).tips(NONDET),
    cmd("hscan", -3, READONLY, READ1, Hash, "2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", "Incrementally iterate hash fields and associated values", "key cursor [MATCH pattern] [COUNT count]", cmd::hash::hscan).tips(NONDET),
    cmd("hset", -4, WRITE | DENYOOM | FAST, UPDATE1, Hash, "2.0.0", "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.", "Set the string value of a hash field", "key field value [field value ...]", cmd::hash::hset),
    cmd("hsetnx", 4, WRITE | DENYOOM | FAST, INSERT1, Hash, "2.0.0", "O(1)", "Set the value of a hash field, only if the field does not exist", "key field value", cmd::hash::hsetnx),
    cmd("hstrlen", 3, READONLY | FAST, PEEK1, Hash, "3.2.0", "O(1)", "Get the length of the value of a hash field", "key field", cmd::hash::hstrlen),
    cmd("hvals", 2, READONLY, READ1, Hash, "2.0.0", "O(N) where N is the size of the hash.", "Get all the values in a hash", "key", cmd::hash::hvals).tips(NONDET_ORDER),
    cmd("incr", 2, WRITE | DENYOOM | FAST, RMW1, Str, "1.0.0", "O(1)", "Increment the integer value of a key by one", "key", cmd::string::incr),
    cmd("incrby", 3, WRITE | DENYOOM | FAST, RMW1, Str, "1.0.0", "O(1)", "Increment the integer value of a key by the given amount", "key increment", cmd::string::incrby),
    cmd("incrbyfloat", 3, WRITE | DENYOOM | FAST, RMW1, Str, "2.6.0", "O(1)", "Increment the float value of a key by the given amount", "key increment", cmd::string::incrbyfloat),
    cmd("info", -1, LOADING | STALE | SENTINEL, NOKEY, Server, "1.0.0", "O(1)", "Get information and statistics about the server", "[section [section ...]]", cmd::info::info).tips(&["nondeterministic_output", "request_policy:all_shards", "response_policy:special"]).acl(acl::DANGEROUS),
    cmd("keys", 2, READONLY, NOKEY, Generic, "1.0.0", "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.", "Find all keys matching the given pattern", "pattern", cmd::keys::keys).tips(&["request_policy:all_shards", "nondeterministic_output_order"]).acl(acl::KEYSPACE | acl::DANGEROUS),
    cmd("lastsave", 1, LOADING | STALE | FAST, NOKEY, Server, "1.0.0", "O(1)", "Get the UNIX time stamp of the last successful save to disk", "", cmd::persistence::lastsave).tips(NONDET).acl(acl::ADMIN | acl::DANGEROUS),
    container("latency", Server, "2.8.13", "A container for latency diagnostics commands", LATENCY_SUBS),
    cmd("lcs", -3, READONLY, keys![range(1, 1, 1, RO | ACCESS)], Str, "7.0.0", "O(N*M) where N and M are the lengths of s1 and s2, respectively", "Find longest common substring", "key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]", cmd::string::lcs),
    cmd("lindex", 3, READONLY, READ1, List, "1.0.0", "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).", "Get an element from a list by its index", "key index", cmd::list::lindex),
    cmd("linsert", 5, WRITE | DENYOOM, INSERT1, List, "2.2.0", "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).", "Insert an element before or after another element in a list", "key BEFORE|AFTER pivot element", cmd::list::linsert),
    cmd("llen", 2, READONLY | FAST, PEEK1, List, "1.0.0", "O(1)", "Get the length of a list", "key", cmd::list::llen),
    cmd("lmove", 5, WRITE | DENYOOM, POP1_PUSH2, List, "6.2.0", "O(1)", "Pop an element from a list, push it to another list and return it", "source destination LEFT|RIGHT LEFT|RIGHT", cmd::list::lmove),
    cmd("lmpop", -4, WRITE, POP_NUMKEYS1, List, "7.0.0", "O(N+M) where N is the number of provided keys and M is the number of elements returned.", "Pop elements from a list", "numkeys key [key ...] LEFT|RIGHT [COUNT count]", cmd::list::lmpop).keys_proc(NUMKEYS_AT1),
    cmd("lpop", -2, WRITE | FAST, POP1, List, "1.0.0", "O(N) where N is the number of elements returned", "Remove and get the first elements in a list", "key [count]", cmd::list::lpop),
    cmd("lpos", -3, READONLY, READ1, List, "6.0.6", "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.", "Return the index of matching elements on a list", "key element [RANK rank] [COUNT num-matches] [MAXLEN len]", cmd::list::lpos),
    cmd("lpush", -3, WRITE | DENYOOM | FAST, INSERT1, List, "1.0.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "Prepend one or multiple elements to a list", "key element [element ...]", cmd::list::lpush),
    cmd("lpushx", -3, WRITE | DENYOOM | FAST, INSERT1, List, "2.2.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "Prepend an element to a list, only if the list exists", "key element [element ...]", cmd::list::lpushx),
    cmd("lrange", 4, READONLY, READ1, List, "1.0.0", "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.", "Get a range of elements from a list", "key start stop", cmd::list::lrange),
    cmd("lrem", 4, WRITE, REMOVE1, List, "1.0.0", "O(N+M) where N is the length of the list and M is the number of elements removed.", "Remove elements from a list", "key count element", cmd::list::lrem),
    cmd("lset", 4, WRITE | DENYOOM, UPDATE1, List, "1.0.0", "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).", "Set the value of an element in a list by its index", "key index element", cmd::list::lset),
    cmd("ltrim", 4, WRITE, REMOVE1, List, "1.0.0", "O(N) where N is the number of elements to be removed by the operation.", "Trim a list to the specified range", "key start stop", cmd::list::ltrim),
    container("memory", Server, "4.0.0", "A container for memory diagnostics commands", MEMORY_SUBS),
    cmd("mget", -2, READONLY | FAST, READ_ALL, Str, "1.0.0", "O(N) where N is the number of keys to retrieve.", "Get the values of all the given keys", "key [key ...]", cmd::string::mget).tips(&["request_policy:multi_shard"]),
    cmd("monitor", 1, ADMIN | NOSCRIPT | LOADING | STALE, NOKEY, Server, "1.0.0", "", "Listen for all requests received by the server in real time", "", cmd::server::monitor),
    cmd("move", 3, WRITE | FAST, RMW1, Generic, "1.0.0", "O(1)", "Move a key to another database", "key db", cmd::keys::move_),
    cmd("mset", -3, WRITE | DENYOOM, keys![range(1, -1, 2, OW | UPDATE)], Str, "1.0.1", "O(N) where N is the number of keys to set.", "Set multiple keys to multiple values", "key value [key value ...]", cmd::string::mset).tips(&["request_policy:multi_shard", "response_policy:all_succeeded"]),
    cmd("msetnx", -3, WRITE | DENYOOM, keys![range(1, -1, 2, OW | INSERT)], Str, "1.0.1", "O(N) where N is the number of keys to set.", "Set multiple keys to multiple values, only if none of the keys exist", "key value [key value ...]", cmd::string::msetnx).tips(&["request_policy:multi_shard", "response_policy:agg_min"]),
    cmd("multi", 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, NOKEY, Transactions, "1.2.0", "O(1)", "Mark the start of a transaction block", "", cmd::tx::multi),
    container("object", Generic, "2.2.3", "A container for object introspection commands", OBJECT_SUBS),
    cmd("persist", 2, WRITE | FAST, UPDATE1, Generic, "2.2.0", "O(1)", "Remove the expiration from a key", "key", cmd::expire::persist),
    cmd("pexpire", -3, WRITE | FAST, UPDATE1, Generic, "2.6.0", "O(1)", "Set a key's time to live in milliseconds", "key milliseconds [NX|XX|GT|LT]", cmd::expire::pexpire),
    cmd("pexpireat", -3, WRITE | FAST, UPDATE1, Generic, "2.6.0", "O(1)", "Set the expiration for a key as a UNIX timestamp specified in milliseconds", "key unix-time-milliseconds [NX|XX|GT|LT]", cmd::expire::pexpireat),
    cmd("pexpiretime", 2, READONLY | FAST, READ1, Generic, "7.0.0", "O(1)", "Get the expiration Unix timestamp for a key in milliseconds", "key", cmd::expire::pexpiretime),
    cmd("pfadd", -2, WRITE | DENYOOM | FAST, INSERT1, Hyperloglog, "2.8.9", "O(1) to add every element.", "Adds the specified elements to the specified HyperLogLog.", "key [element [element ...]]", cmd::hyperloglog::pfadd),
    cmd("pfcount", -2, READONLY, keys![range(1, -1, 1, RW | ACCESS).with_notes("RW because it may change the internal representation of the key, and propagate to replicas")], Hyperloglog, "2.8.9", "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.", "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).", "key [key ...]", cmd::hyperloglog::pfcount),
    cmd("pfdebug", 3, WRITE | DENYOOM | ADMIN, keys![at(2, RW | ACCESS)], Hyperloglog, "2.8.9", "N/A", "Internal commands for debugging HyperLogLog values", "subcommand key", cmd::hyperloglog::pfdebug),
    cmd("pfmerge", -2, WRITE | DENYOOM, keys![at(1, RW | ACCESS | INSERT), range(2, -1, 1, RO | ACCESS)], Hyperloglog, "2.8.9", "O(N) to merge N HyperLogLogs, but with high constant times.", "Merge N different HyperLogLogs into a single one.", "destkey [sourcekey [sourcekey ...]]", cmd::hyperloglog::pfmerge),
    cmd("pfselftest", 1, ADMIN, NOKEY, Hyperloglog, "2.8.9", "N/A", "An internal command for testing HyperLogLog values", "", cmd::hyperloglog::pfselftest),
    cmd("ping", -1, FAST | SENTINEL, NOKEY, Connection, "1.0.0", "O(1)", "Ping the server", "[message]", cmd::server::ping).tips(&["request_policy:all_shards", "response_policy:all_succeeded"]),
    cmd("psetex", 4, WRITE | DENYOOM, OVERWRITE1, Str, "2.6.0", "O(1)", "Set the value and expiration in milliseconds of a key", "key milliseconds value", cmd::string::psetex),
    cmd("psubscribe", -2, PUBSUB | NOSCRIPT | LOADING | STALE, NOKEY, Pubsub, "2.0.0", "O(N) where N is the number of patterns the client is already subscribed to.", "Listen for messages published to channels matching the given patterns", "pattern [pattern ...]", cmd::pubsub::psubscribe),
    cmd("psync", -3, ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI, NOKEY, Server, "2.8.0", "", "Internal command used for replication", "replicationid offset", crate::repl::psync),
    cmd("pttl", 2, READONLY | FAST, READ1, Generic, "2.6.0", "O(1)", "Get the time to live for a key in milliseconds", "key", cmd::expire::pttl).tips(NONDET),
    cmd("publish", 3, PUBSUB | LOADING | STALE | FAST, NOKEY, Pubsub, "2.0.0", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).", "Post a message to a channel", "channel message", cmd::pubsub::publish),
    container("pubsub", Pubsub, "2.8.0", "A container for Pub/Sub commands", PUBSUB_SUBS),
    cmd("punsubscribe", -1, PUBSUB | NOSCRIPT | LOADING | STALE, NOKEY, Pubsub, "2.0.0", "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).", "Stop listening for messages posted to channels matching the given patterns", "[pattern [pattern ...]]", cmd::pubsub::punsubscribe),
    cmd("quit", -1, ALLOW_BUSY | NOSCRIPT | LOADING | STALE | FAST | NO_AUTH, NOKEY, Connection, "1.0.0", "O(1)", "Close the connection", "", cmd::server::quit),
    cmd("randomkey", 1, READONLY, NOKEY, Generic, "1.0.0", "O(1)", "Return a random key from the keyspace", "", cmd::keys::randomkey).tips(&["request_policy:all_shards", "nondeterministic_output"]),
    cmd("rename", 3, WRITE, keys![at(1, RW | ACCESS | DELETE), at(2, OW | UPDATE)], Generic, "1.0.0", "O(1)", "Rename a key", "key newkey", cmd::keys::rename),
    cmd("renamenx", 3, WRITE | FAST, keys![at(1, RW | ACCESS | DELETE), at(2, OW | INSERT)], Generic, "1.0.0", "O(1)", "Rename a key, only if the new key does not exist", "key newkey", cmd::keys::renamenx),
    cmd("replconf", -1, ADMIN | NOSCRIPT | LOADING | STALE | ALLOW_BUSY, NOKEY, Server, "3.0.0", "O(1)", "An internal command for configuring the replication stream", "", crate::repl::replconf),
    cmd("replicaof", 3, ADMIN | NOSCRIPT | STALE | NO_ASYNC_LOADING, NOKEY, Server, "5.0.0", "O(1)", "Make the server a replica of another instance, or promote it as master.", "host port|NO ONE", crate::replica::replicaof),
    cmd("reset", 1, NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY, NOKEY, Connection, "6.2.0", "O(1)", "Reset the connection", "", cmd::server::reset),
    cmd("restore", -4, WRITE | DENYOOM, OVERWRITE1, Generic, "2.6.0", "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).", "Create a key using the provided serialized value, previously obtained using DUMP.", "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]", cmd::dump::restore).acl(acl::KEYSPACE | acl::DANGEROUS),
    cmd("role", 1, NOSCRIPT | LOADING | STALE | FAST | SENTINEL, NOKEY, Server, "2.8.12", "O(1)", "Return the role of the instance in the context of replication", "", crate::replica::role).acl(acl::ADMIN | acl::DANGEROUS),
    cmd("rpop", -2, WRITE | FAST, POP1, List, "1.0.0", "O(N) where N is the number of elements returned", "Remove and get the last elements in a list", "key [count]", cmd::list::rpop),
    cmd("rpoplpush", 3, WRITE | DENYOOM, POP1_PUSH2, List, "1.2.0", "O(1)", "Remove the last element in a list, prepend it to another list and return it", "source destination", cmd::list::rpoplpush),
    cmd("rpush", -3, WRITE | DENYOOM | FAST, INSERT1, List, "1.0.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "Append one or multiple elements to a list", "key element [element ...]", cmd::list::rpush),
    cmd("rpushx", -3, WRITE | DENYOOM | FAST, INSERT1, List, "2.2.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "Append an element to a list, only if the list exists", "key element [element ...]", cmd::list::rpushx),
    cmd("sadd", -3, WRITE | DENYOOM | FAST, INSERT1, Set, "1.0.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "Add one or more members to a set", "key member [member ...]", cmd::set::sadd),
    cmd("save", 1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI, NOKEY, Server, "1.0.0", "O(N) where N is the total number of keys in all databases", "Synchronously save the dataset to disk", "", cmd::persistence::save),
    cmd("scan", -2, READONLY, NOKEY, Generic, "2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", "Incrementally iterate the keys space", "cursor [MATCH pattern] [COUNT count] [TYPE type]", cmd::keys::scan).tips(&["nondeterministic_output", "request_policy:special"]),
    cmd("scard", 2, READONLY | FAST, PEEK1, Set, "1.0.0", "O(1)", "Get the number of members in a set", "key", cmd::set::scard),
    container("script", Scripting, "2.6.0", "A container for Lua scripts management commands", SCRIPT_SUBS),
    cmd("sdiff", -2, READONLY, READ_ALL, Set, "1.0.0", "O(N) where N is the total number of elements in all given sets.", "Subtract multiple sets", "key [key ...]", cmd::set::sdiff).tips(NONDET_ORDER),
    cmd("sdiffstore", -3, WRITE | DENYOOM, STORE1_READ_REST, Set, "1.0.0", "O(N) where N is the total number of elements in all given sets.", "Subtract multiple sets and store the resulting set in a key", "destination key [key ...]", cmd::set::sdiffstore),
    cmd("select", 2, LOADING | STALE | FAST, NOKEY, Connection, "1.0.0", "O(1)", "Change the selected database for the current connection", "index", cmd::server::select),
    cmd("set", -3, WRITE | DENYOOM, keys![at(1, RW | ACCESS | UPDATE | VARIABLE_FLAGS).with_notes("RW and ACCESS due to the optional `GET` argument")], Str, "1.0.0", "O(1)", "Set the string value of a key", "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]", cmd::string::set).keys_proc(KeysProc::Set),
    cmd("setbit", 4, WRITE | DENYOOM, RMW1, Bitmap, "2.2.0", "O(1)", "Sets or clears the bit at offset in the string value stored at key", "key offset value", cmd::bitmap::setbit),
    cmd("setex", 4, WRITE | DENYOOM, OVERWRITE1, Str, "2.0.0", "O(1)", "Set the value and expiration of a key", "key seconds value", cmd::string::setex),
    cmd("setnx", 3, WRITE | DENYOOM | FAST, keys![at(1, OW | INSERT)], Str, "1.0.0", "O(1)", "Set the value of a key, only if the key does not exist", "key value", cmd::string::setnx),
    cmd("setrange", 4, WRITE | DENYOOM, UPDATE1, Str, "2.2.0", "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.", "Overwrite part of a string at key starting at the specified offset", "key offset value", cmd::string::setrange),
    cmd("shutdown", -1, ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | SENTINEL | ALLOW_BUSY, NOKEY, Server, "1.0.0", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)", "Synchronously save the dataset to disk and then shut down the server", "[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]", cmd::persistence::shutdown),
    cmd("sinter", -2, READONLY, READ_ALL, Set, "1.0.0", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", "Intersect multiple sets", "key [key ...]", cmd::set::sinter).tips(NONDET_ORDER),
    cmd("sintercard", -3, READONLY, READ_NUMKEYS1, Set, "7.0.0", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", "Intersect multiple sets and return the cardinality of the result", "numkeys key [key ...] [LIMIT limit]", cmd::set::sintercard).keys_proc(NUMKEYS_AT1),
    cmd("sinterstore", -3, WRITE | DENYOOM, keys![at(1, RW | UPDATE), range(2, -1, 1, RO | ACCESS)], Set, "1.0.0", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", "Intersect multiple sets and store the resulting set in a key", "destination key [key ...]", cmd::set::sinterstore),
    cmd("sismember", 3, READONLY | FAST, PEEK1, Set, "1.0.0", "O(1)", "Determine if a given value is a member of a set", "key member", cmd::set::sismember),
    cmd("slaveof", 3, ADMIN | NOSCRIPT | STALE | NO_ASYNC_LOADING, NOKEY, Server, "1.0.0", "O(1)", "Make the server a replica of another instance, or promote it as master.", "host port|NO ONE", crate::replica::replicaof),
    container("slowlog", Server, "2.2.12", "A container for slow log commands", SLOWLOG_SUBS),
    cmd("smembers", 2, READONLY, READ1, Set, "1.0.0", "O(N) where N is the set cardinality.", "Get all the members in a set", "key", cmd::set::smembers).tips(NONDET_ORDER),
    cmd("smismember", -3, READONLY | FAST, READ1, Set, "6.2.0", "O(N) where N is the number of elements being checked for membership", "Returns the membership associated with the given elements for a set", "key member [member ...]", cmd::set::smismember),
    cmd("smove", 4, WRITE | FAST, POP1_PUSH2, Set, "1.0.0", "O(1)", "Move a member from one set to another", "source destination member", cmd::set::smove),
    cmd("sort", -2, WRITE | DENYOOM, keys![at(1, RO | ACCESS), SORT_BY_GET, SORT_STORE], Generic, "1.0.0", "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).", "Sort the elements in a list, set or sorted set", "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination]", cmd::sort::sort).acl(acl::SET | acl::SORTEDSET | acl::LIST | acl::DANGEROUS).keys_proc(KeysProc::Sort),
    cmd("sort_ro", -2, READONLY, keys![at(1, RO | ACCESS), SORT_BY_GET], Generic, "7.0.0", "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).", "Sort the elements in a list, set or sorted set. Read-only variant of SORT.", "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]", cmd::sort::sort_ro).acl(acl::SET | acl::SORTEDSET | acl::LIST | acl::DANGEROUS).keys_proc(KeysProc::SortRo),
    cmd("spop", -2, WRITE | FAST, POP1, Set, "1.0.0", "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.", "Remove and return one or multiple random members from a set", "key [count]", cmd::set::spop).tips(NONDET),
    cmd("spublish", 3, PUBSUB | LOADING | STALE | FAST, keys![at(1, NOT_KEY)], Pubsub, "7.0.0", "O(N) where N is the number of clients subscribed to the receiving shard channel.", "Post a message to a shard channel", "shardchannel message", cmd::pubsub::spublish),
    cmd("srandmember", -2, READONLY, READ1, Set, "1.0.0", "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.", "Get one or multiple random members from a set", "key [count]", cmd::set::srandmember).tips(NONDET),
    cmd("srem", -3, WRITE | FAST, REMOVE1, Set, "1.0.0", "O(N) where N is the number of members to be removed.", "Remove one or more members from a set", "key member [member ...]", cmd::set::srem),
    cmd("sscan", -3, READONLY, READ1, Set, "2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", "Incrementally iterate Set elements", "key cursor [MATCH pattern] [COUNT count]", cmd::set::sscan).tips(NONDET),
    cmd("ssubscribe", -2, PUBSUB | NOSCRIPT | LOADING | STALE, CHANNELS_ALL, Pubsub, "7.0.0", "O(N) where N is the number of shard channels to subscribe to.", "Listen for messages published to the given shard channels", "shardchannel [shardchannel ...]", cmd::pubsub::ssubscribe),
    cmd("strlen", 2, READONLY | FAST, PEEK1, Str, "2.2.0", "O(1)", "Get the length of the value stored in a key", "key", cmd::string::strlen),
    cmd("subscribe", -2, PUBSUB | NOSCRIPT | LOADING | STALE, NOKEY, Pubsub, "2.0.0", "O(N) where N is the number of channels to subscribe to.", "Listen for messages published to the given channels", "channel [channel ...]", cmd::pubsub::subscribe),
    cmd("substr", 4, READONLY, READ1, Str, "1.0.0", "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.", "Get a substring of the string stored at a key", "key start end", cmd::string::getrange),
    cmd("sunion", -2, READONLY, READ_ALL, Set, "1.0.0", "O(N) where N is the total number of elements in all given sets.", "Add multiple sets", "key [key ...]", cmd::set::sunion).tips(NONDET_ORDER),
    cmd("sunionstore", -3, WRITE | DENYOOM, STORE1_READ_REST, Set, "1.0.0", "O(N) where N is the total number of elements in all given sets.", "Add multiple sets and store the resulting set in a key", "destination key [key ...]", cmd::set::sunionstore),
    cmd("sunsubscribe", -1, PUBSUB | NOSCRIPT | LOADING | STALE, CHANNELS_ALL, Pubsub, "7.0.0", "O(N) where N is the number of clients already subscribed to a shard channel.", "Stop listening for messages posted to the given shard channels", "[shardchannel [shardchannel ...]]", cmd::pubsub::sunsubscribe),
    cmd("swapdb", 3, WRITE | FAST, NOKEY, Server, "4.0.0", "O(N) where N is the count of clients watching or blocking on keys from both databases.", "Swaps two Redis databases", "index1 index2", cmd::server::swapdb).acl(acl::KEYSPACE | acl::DANGEROUS),
    cmd("sync", 1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI, NOKEY, Server, "1.0.0", "", "Internal command used for replication", "", crate::repl::sync),
    cmd("time", 1, LOADING | STALE | FAST, NOKEY, Server, "2.6.0", "O(1)", "Return the current server time", "", cmd::server::time).tips(NONDET),
    cmd("touch", -2, READONLY | FAST, PEEK_ALL, Generic, "3.2.1", "O(N) where N is the number of keys that will be touched.", "Alters the last access time of a key(s). Returns the number of existing keys specified.", "key [key ...]", cmd::keys::touch).tips(&["request_policy:multi_shard", "response_policy:agg_sum"]),
    cmd("ttl", 2, READONLY | FAST, READ1, Generic, "1.0.0", "O(1)", "Get the time to live for a key in seconds", "key", cmd::expire::ttl).tips(NONDET),
    cmd("type", 2, READONLY | FAST, PEEK1, Generic, "1.0.0", "O(1)", "Determine the type stored at key", "key", cmd::keys::type_),
    cmd("unlink", -2, WRITE | FAST, keys![range(1, -1, 1, RM | DELETE)], Generic, "4.0.0", "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.", "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.", "key [key ...]", cmd::keys::del).tips(&["request_policy:multi_shard", "response_policy:agg_sum"]),
    cmd("unsubscribe", -1, PUBSUB | NOSCRIPT | LOADING | STALE, NOKEY, Pubsub, "2.0.0", "O(N) where N is the number of clients already subscribed to a channel.", "Stop listening for messages posted to the given channels", "[channel [channel ...]]", cmd::pubsub::unsubscribe),
    cmd("unwatch", 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, NOKEY, Transactions, "2.2.0", "O(1)", "Forget about all watched keys", "", cmd::tx::unwatch),
    cmd("wait", 3, NOSCRIPT, NOKEY, Generic, "3.0.0", "O(1)", "Wait for the synchronous replication of all the write commands sent in the context of the current connection", "numreplicas timeout", crate::repl::wait).tips(&["request_policy:all_shards", "response_policy:agg_min"]).acl(acl::CONNECTION),
    cmd("watch", -2, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, PEEK_ALL, Transactions, "2.2.0", "O(1) for every key.", "Watch the given keys to determine execution of the MULTI/EXEC block", "key [key ...]", cmd::tx::watch),
    cmd("xack", -4, WRITE | FAST, UPDATE1, Stream, "5.0.0", "O(1) for each message ID processed.", "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.", "key group id [id ...]", cmd::stream::xack),
    cmd("xadd", -5, WRITE | DENYOOM | FAST, keys![at(1, RW | UPDATE).with_notes("UPDATE instead of INSERT because of the optional trimming feature")], Stream, "5.0.0", "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.", "Appends a new entry to a stream", "key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]", cmd::stream::xadd).tips(NONDET),
    cmd("xautoclaim", -6, WRITE | FAST, REMOVE1, Stream, "6.2.0", "O(1) if COUNT is small.", "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.", "key group consumer min-idle-time start [COUNT count] [JUSTID]", cmd::stream::xautoclaim).tips(NONDET),
    cmd("xclaim", -6, WRITE | FAST, UPDATE1, Stream, "5.0.0", "O(log N) with N being the number of messages in the PEL of the consumer group.", "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.", "key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]", cmd::stream::xclaim).tips(NONDET),
    cmd("xdel", -3, WRITE | FAST, REMOVE1, Stream, "5.0.0", "O(1) for each single item to delete in the stream, regardless of the stream size.", "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.", "key id [id ...]", cmd::stream::xdel),
    container("xgroup", Stream, "5.0.0", "A container for consumer groups commands", XGROUP_SUBS),
    container("xinfo", Stream, "5.0.0", "A container for stream introspection commands", XINFO_SUBS),
    cmd("xlen", 2, READONLY | FAST, PEEK1, Stream, "5.0.0", "O(1)", "Return the number of entries in a stream", "key", cmd::stream::xlen),
    cmd("xpending", -3, READONLY, READ1, Stream, "5.0.0", "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.", "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.", "key group [[IDLE min-idle-time] start end count [consumer]]", cmd::stream::xpending).tips(NONDET),
    cmd("xrange", -4, READONLY, READ1, Stream, "5.0.0", "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).", "Return a range of elements in a stream, with IDs matching the specified IDs interval", "key start end [COUNT count]", cmd::stream::xrange),
    cmd("xread", -4, READONLY | BLOCKING, keys![keyword("STREAMS", 1, -1, 1, 2, RO | ACCESS)], Stream, "5.0.0", "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.", "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.", "[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]", cmd::stream::xread).keys_proc(KeysProc::Xread),
    cmd("xreadgroup", -7, WRITE | BLOCKING, keys![keyword("STREAMS", 4, -1, 1, 2, RO | ACCESS)], Stream, "5.0.0", "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.", "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.", "GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]", cmd::stream::xreadgroup).keys_proc(KeysProc::Xread),
    cmd("xrevrange", -4, READONLY, READ1, Stream, "5.0.0", "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).", "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE", "key end start [COUNT count]", cmd::stream::xrevrange),
    cmd("xsetid", -3, WRITE | DENYOOM | FAST, UPDATE1, Stream, "5.0.0", "O(1)", "An internal command for replicating stream values", "key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]", cmd::stream::xsetid),
    cmd("xtrim", -4, WRITE, REMOVE1, Stream, "5.0.0", "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.", "Trims the stream to (approximately if '~' is passed) a certain size", "key MAXLEN|MINID [=|~] threshold [LIMIT count]", cmd::stream::xtrim).tips(NONDET),
    cmd("zadd", -4, WRITE | DENYOOM | FAST, UPDATE1, SortedSet, "1.2.0", "O(log(N)) for each item added, where N is the number of elements in the sorted set.", "Add one or more members to a sorted set, or update its score if it already exists", "key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]", cmd::zset::zadd),
    cmd("zcard", 2, READONLY | FAST, PEEK1, SortedSet, "1.2.0", "O(1)", "Get the number of members in a sorted set", "key", cmd::zset::zcard),
    cmd("zcount", 4, READONLY | FAST, READ1, SortedSet, "2.0.0", "O(log(N)) with N being the number of elements in the sorted set.", "Count the members in a sorted set with scores within the given values", "key min max", cmd::zset::zcount),
    cmd("zdiff", -3, READONLY, READ_NUMKEYS1, SortedSet, "6.2.0", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.", "Subtract multiple sorted sets", "numkeys key [key ...] [WITHSCORES]", cmd::zset::zdiff).keys_proc(NUMKEYS_AT1),
    cmd("zdiffstore", -4, WRITE | DENYOOM, STORE1_READ_NUMKEYS2, SortedSet, "6.2.0", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.", "Subtract multiple sorted sets and store the resulting sorted set in a new key", "destination numkeys key [key ...]", cmd::zset::zdiffstore).keys_proc(STORE_NUMKEYS_AT2),
    cmd("zincrby", 4, WRITE | DENYOOM | FAST, RMW1, SortedSet, "1.2.0", "O(log(N)) where N is the number of elements in the sorted set.", "Increment the score of a member in a sorted set", "key increment member", cmd::zset::zincrby),
    cmd("zinter", -3, READONLY, READ_NUMKEYS1, SortedSet, "6.2.0", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.", "Intersect multiple sorted sets", "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]", cmd::zset::zinter).keys_proc(NUMKEYS_AT1),
    cmd("zintercard", -3, READONLY, READ_NUMKEYS1, SortedSet, "7.0.0", "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.", "Intersect multiple sorted sets and return the cardinality of the result", "numkeys key [key ...] [LIMIT limit]", cmd::zset::zintercard).keys_proc(NUMKEYS_AT1),
    cmd("zinterstore", -4, WRITE | DENYOOM, STORE1_READ_NUMKEYS2, SortedSet, "2.0.0", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.", "Intersect multiple sorted sets and store the resulting sorted set in a new key", "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]", cmd::zset::zinterstore).keys_proc(STORE_NUMKEYS_AT2),
    cmd("zlexcount", 4, READONLY | FAST, READ1, SortedSet, "2.8.9", "O(log(N)) with N being the number of elements in the sorted set.", "Count the number of members in a sorted set between a given lexicographical range", "key min max", cmd::zset::zlexcount),
    cmd("zmpop", -4, WRITE, POP_NUMKEYS1, SortedSet, "7.0.0", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.", "Remove and return members with scores in a sorted set", "numkeys key [key ...] MIN|MAX [COUNT count]", cmd::zset::zmpop).keys_proc(NUMKEYS_AT1),
    cmd("zmscore", -3, READONLY | FAST, READ1, SortedSet, "6.2.0", "O(N) where N is the number of members being requested.", "Get the score associated with the given members in a sorted set", "key member [member ...]", cmd::zset::zmscore),
    cmd("zpopmax", -2, WRITE | FAST, POP1, SortedSet, "5.0.0", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.", "Remove and return members with the highest scores in a sorted set", "key [count]", cmd::zset::zpopmax),
    cmd("zpopmin", -2, WRITE | FAST, POP1, SortedSet, "5.0.0", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.", "Remove and return members with the lowest scores in a sorted set", "key [count]", cmd::zset::zpopmin),
    cmd("zrandmember", -2, READONLY, READ1, SortedSet, "6.2.0", "O(N) where N is the number of members returned", "Get one or multiple random elements from a sorted set", "key [count [WITHSCORES]]", cmd::zset::zrandmember).tips(NONDET),
    cmd("zrange", -4, READONLY, READ1, SortedSet, "1.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.", "Return a range of members in a sorted set", "key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]", cmd::zset::zrange),
    cmd("zrangebylex", -4, READONLY, READ1, SortedSet, "2.8.9", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", "Return a range of members in a sorted set, by lexicographical range", "key min max [LIMIT offset count]", cmd::zset::zrangebylex),
    cmd("zrangebyscore", -4, READONLY, READ1, SortedSet, "1.0.5", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", "Return a range of members in a sorted set, by score", "key min max [WITHSCORES] [LIMIT offset count]", cmd::zset::zrangebyscore),
    cmd("zrangestore", -5, WRITE | DENYOOM, keys![at(1, OW | UPDATE), at(2, RO | ACCESS)], SortedSet, "6.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.", "Store a range of members from sorted set into another key", "dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]", cmd::zset::zrangestore),
    cmd("zrank", 3, READONLY | FAST, READ1, SortedSet, "2.0.0", "O(log(N))", "Determine the index of a member in a sorted set", "key member", cmd::zset::zrank),
    cmd("zrem", -3, WRITE | FAST, REMOVE1, SortedSet, "1.2.0", "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.", "Remove one or more members from a sorted set", "key member [member ...]", cmd::zset::zrem),
    cmd("zremrangebylex", 4, WRITE, REMOVE1, SortedSet, "2.8.9", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", "Remove all members in a sorted set between the given lexicographical range", "key min max", cmd::zset::zremrangebylex),
    cmd("zremrangebyrank", 4, WRITE, REMOVE1, SortedSet, "2.0.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", "Remove all members in a sorted set within the given indexes", "key start stop", cmd::zset::zremrangebyrank),
    cmd("zremrangebyscore", 4, WRITE, REMOVE1, SortedSet, "1.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", "Remove all members in a sorted set within the given scores", "key min max", cmd::zset::zremrangebyscore),
    cmd("zrevrange", -4, READONLY, READ1, SortedSet, "1.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.", "Return a range of members in a sorted set, by index, with scores ordered from high to low", "key start stop [WITHSCORES]", cmd::zset::zrevrange),
    cmd("zrevrangebylex", -4, READONLY, READ1, SortedSet, "2.8.9", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.", "key max min [LIMIT offset count]", cmd::zset::zrevrangebylex),
    cmd("zrevrangebyscore", -4, READONLY, READ1, SortedSet, "2.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", "Return a range of members in a sorted set, by score, with scores ordered from high to low", "key max min [WITHSCORES] [LIMIT offset count]", cmd::zset::zrevrangebyscore),
    cmd("zrevrank", 3, READONLY | FAST, READ1, SortedSet, "2.0.0", "O(log(N))", "Determine the index of a member in a sorted set, with scores ordered from high to low", "key member", cmd::zset::zrevrank),
    cmd("zscan", -3, READONLY, READ1, SortedSet, "2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", "Incrementally iterate sorted sets elements and associated scores", "key cursor [MATCH pattern] [COUNT count]", cmd::zset::zscan).tips(NONDET),
    cmd("zscore", 3, READONLY | FAST, READ1, SortedSet, "1.2.0", "O(1)", "Get the score associated with the given member in a sorted set", "key member", cmd::zset::zscore),
    cmd("zunion", -3, READONLY, READ_NUMKEYS1, SortedSet, "6.2.0", "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.", "Add multiple sorted sets", "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]", cmd::zset::zunion).keys_proc(NUMKEYS_AT1),
    cmd("zunionstore", -4, WRITE | DENYOOM, STORE1_READ_NUMKEYS2, SortedSet, "2.0.0", "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.", "Add multiple sorted sets and store the resulting sorted set in a new key", "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]", cmd::zset::zunionstore).keys_proc(STORE_NUMKEYS_AT2),
];
