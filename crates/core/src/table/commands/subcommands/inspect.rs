//! FUNCTION, MEMORY and OBJECT: the containers that inspect (or flush) what the
//! server holds.

use super::super::*;

pub(in crate::table::commands) static FUNCTION_SUBS: &[CommandSpec] = &[
    sub(
        "function",
        "flush",
        -2,
        WRITE | NOSCRIPT,
        NOKEY,
        Scripting,
        "7.0.0",
        "O(N) where N is the number of functions deleted",
        "Deleting all functions",
        "[ASYNC|SYNC]",
        cmd::server::function_flush,
    )
    .tips(&["request_policy:all_shards", "response_policy:all_succeeded"]),
    sub(
        "function",
        "help",
        2,
        LOADING | STALE,
        NOKEY,
        Scripting,
        "7.0.0",
        "O(1)",
        "Show helpful text about the different subcommands",
        "",
        cmd::server::function_help,
    ),
    sub(
        "function",
        "list",
        -2,
        NOSCRIPT,
        NOKEY,
        Scripting,
        "7.0.0",
        "O(N) where N is the number of functions",
        "List information about all the functions",
        "[LIBRARYNAME library-name-pattern] [WITHCODE]",
        cmd::server::function_list,
    )
    .tips(NONDET_ORDER),
];

pub(in crate::table::commands) static MEMORY_SUBS: &[CommandSpec] = &[
    sub(
        "memory",
        "help",
        2,
        LOADING | STALE,
        NOKEY,
        Server,
        "4.0.0",
        "O(1)",
        "Show helpful text about the different subcommands",
        "",
        cmd::server::memory_help,
    ),
    sub(
        "memory",
        "usage",
        -3,
        READONLY,
        PEEK2,
        Server,
        "4.0.0",
        "O(N) where N is the number of samples.",
        "Estimate the memory usage of a key",
        "key [SAMPLES count]",
        cmd::server::memory_usage,
    ),
];

pub(in crate::table::commands) static OBJECT_SUBS: &[CommandSpec] = &[
    sub(
        "object",
        "encoding",
        3,
        READONLY,
        PEEK2,
        Generic,
        "2.2.3",
        "O(1)",
        "Inspect the internal encoding of a Redis object",
        "key",
        cmd::keys::object_encoding,
    )
    .tips(NONDET),
    sub(
        "object",
        "freq",
        3,
        READONLY,
        PEEK2,
        Generic,
        "4.0.0",
        "O(1)",
        "Get the logarithmic access frequency counter of a Redis object",
        "key",
        cmd::keys::object_freq,
    )
    .tips(NONDET),
    sub(
        "object",
        "help",
        2,
        LOADING | STALE,
        NOKEY,
        Generic,
        "6.2.0",
        "O(1)",
        "Show helpful text about the different subcommands",
        "",
        cmd::keys::object_help,
    ),
    sub(
        "object",
        "idletime",
        3,
        READONLY,
        PEEK2,
        Generic,
        "2.2.3",
        "O(1)",
        "Get the time since a Redis object was last accessed",
        "key",
        cmd::keys::object_idletime,
    )
    .tips(NONDET),
    sub(
        "object",
        "refcount",
        3,
        READONLY,
        PEEK2,
        Generic,
        "2.2.3",
        "O(1)",
        "Get the number of references to the value of the key",
        "key",
        cmd::keys::object_refcount,
    )
    .tips(NONDET),
];
