//! The subcommands of the container commands, built like the rows of
//! [`super::COMMANDS`], one file per kind of container:
//! - `server`: CLIENT, COMMAND, CONFIG, DEBUG;
//! - `data`: PUBSUB, XGROUP, XINFO;
//! - `inspect`: FUNCTION, MEMORY, OBJECT, SCRIPT.

mod data;
mod inspect;
mod server;

pub(super) use data::{PUBSUB_SUBS, XGROUP_SUBS, XINFO_SUBS};
pub(super) use inspect::{
    FUNCTION_SUBS, LATENCY_SUBS, MEMORY_SUBS, OBJECT_SUBS, SCRIPT_SUBS, SLOWLOG_SUBS,
};
pub(super) use server::{CLIENT_SUBS, COMMAND_SUBS, CONFIG_SUBS, DEBUG_SUBS};
