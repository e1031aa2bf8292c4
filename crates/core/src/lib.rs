//! cachelab-core: a Redis 7.0 compatible engine that does no I/O and reads no clock.
//!
//! The engine is a plain value: callers create [`Client`]s, feed each command as a
//! list of binary-safe arguments together with the current time, and get a
//! [`Reply`] back. The browser app drives it from wasm; `cachelab-server` drives it
//! from TCP connections. Both own the clock and hand "now" in.
//!
//! Map of the crate:
//! - [`engine`]: `Engine`, `Client` and the dispatcher.
//! - [`table`]: the single command table (arity, flags, keys, docs, hints).
//! - [`db`]: the keyspace of one database, values and expiry.
//! - [`bytes`]: the inline-when-short byte strings of keys, values and members.
//! - `cmd`: command handlers, one file per group.
//! - [`cli`]: redis-cli's line tokenizer and reply formatter.
//! - [`resp`]: the RESP2 request parser (multibulk and inline).
//! - `repl`: the replication stream (what SYNC replicas receive) and SYNC/PSYNC/REPLCONF.
//! - [`replica`]: the replica side: REPLICAOF, ROLE, the link to the master and
//!   the master client.
//! - [`pubsub`]: channel and pattern subscriptions and each client's pending pushes.
//! - [`notify`]: keyspace notifications (`notify-keyspace-events`).
//! - [`stats`]: the counters behind INFO stats, commandstats and errorstats.
//! - [`glob`], [`num`]: Redis's pattern matching and number parsing/formatting.
//! - [`rdb`]: the RDB format (DUMP/RESTORE payloads and whole RDB files).
//! - [`lua`]: the Lua 5.1 interpreter behind EVAL and SCRIPT.
//! - [`persistence`]: SAVE, BGSAVE, LASTSAVE, SHUTDOWN and `save` points, into a
//!   host-provided [`persistence::SnapshotStore`].

pub mod blocking;
pub mod bytes;
pub mod cli;
mod cmd;
pub mod db;
pub mod engine;
pub mod error;
pub mod glob;
pub(crate) mod latency;
pub mod lfu;
pub mod lua;
pub mod notify;
pub mod num;
pub mod persistence;
pub mod pubsub;
pub mod rdb;
mod repl;
pub mod replica;
pub mod reply;
pub mod resp;
pub mod sim;
pub mod slowlog;
pub mod stats;
pub mod table;
mod tracking;
pub mod types;
pub mod value;

pub use cmd::scripting::{
    running_function_stats, while_busy, RunningScript, ScriptWatcher, WhileBusy,
};
pub use engine::{Client, ConnInfo, Engine};
pub use reply::Reply;
