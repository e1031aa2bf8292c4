//! Pub/Sub commands: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBEs,
//! PUBLISH, SPUBLISH and PUBSUB.
//!
//! (Un)subscribe confirmations are pushes, one per channel, so a command with
//! several channels answers with a [`Reply::Sequence`]. Messages for other clients
//! go to their outboxes in [`crate::pubsub`].

use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::pubsub::Kind;
use crate::reply::Reply;

/// One reply per channel, as Redis writes them.
fn replies(mut list: Vec<Reply>) -> Reply {
    if list.len() == 1 {
        list.pop().unwrap_or(Reply::Nil)
    } else {
        Reply::Sequence(list)
    }
}

fn subscribe_generic(e: &mut Engine, c: &Client, argv: &[Vec<u8>], kind: Kind) -> CmdResult {
    Ok(replies(
        argv[1..]
            .iter()
            .map(|name| e.pubsub.subscribe(c.id, kind, name))
            .collect(),
    ))
}

fn unsubscribe_generic(e: &mut Engine, c: &Client, argv: &[Vec<u8>], kind: Kind) -> CmdResult {
    if argv.len() == 1 {
        return Ok(replies(e.pubsub.unsubscribe_all(c.id, kind)));
    }
    Ok(replies(
        argv[1..]
            .iter()
            .map(|name| e.pubsub.unsubscribe(c.id, kind, name))
            .collect(),
    ))
}

/// SUBSCRIBE channel [channel ...]
pub fn subscribe(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    subscribe_generic(e, c, &argv, Kind::Channel)
}

/// PSUBSCRIBE pattern [pattern ...]
pub fn psubscribe(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    subscribe_generic(e, c, &argv, Kind::Pattern)
}

/// SSUBSCRIBE shardchannel [shardchannel ...]
pub fn ssubscribe(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    // Unlike SUBSCRIBE, Redis 7.0 has no MULTI exception for SSUBSCRIBE: EXEC marks
    // the client as one that must get one reply per command.
    if c.in_exec {
        return Err(CmdError::err(
            "SSUBSCRIBE isn't allowed for a DENY BLOCKING client",
        ));
    }
    subscribe_generic(e, c, &argv, Kind::Shard)
}

/// UNSUBSCRIBE [channel [channel ...]]
pub fn unsubscribe(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    unsubscribe_generic(e, c, &argv, Kind::Channel)
}

/// PUNSUBSCRIBE [pattern [pattern ...]]
pub fn punsubscribe(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    unsubscribe_generic(e, c, &argv, Kind::Pattern)
}

/// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
pub fn sunsubscribe(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    unsubscribe_generic(e, c, &argv, Kind::Shard)
}

/// PUBLISH channel message: the number of clients that received it.
pub fn publish(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let n = e.pubsub.publish(Kind::Channel, &argv[1], &argv[2]);
    // Replicas get every PUBLISH, though it changes no data.
    e.force_propagation();
    Ok(Reply::Integer(n as i64))
}

/// SPUBLISH shardchannel message
pub fn spublish(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let n = e.pubsub.publish(Kind::Shard, &argv[1], &argv[2]);
    e.force_propagation();
    Ok(Reply::Integer(n as i64))
}

/// `PUBSUB CHANNELS|SHARDCHANNELS` takes at most one pattern; more is Redis's
/// subcommand syntax error.
fn channel_list(e: &Engine, argv: &[Vec<u8>], kind: Kind) -> CmdResult {
    if argv.len() > 3 {
        return Err(super::subcommand_syntax_error("PUBSUB", argv));
    }
    Ok(Reply::Array(
        e.pubsub
            .channels(kind, argv.get(2).map(Vec::as_slice))
            .into_iter()
            .map(Reply::bulk)
            .collect(),
    ))
}

fn numsub(e: &Engine, argv: &[Vec<u8>], kind: Kind) -> CmdResult {
    let mut out = Vec::with_capacity((argv.len() - 2) * 2);
    for ch in &argv[2..] {
        out.push(Reply::bulk(ch.as_slice()));
        out.push(Reply::Integer(e.pubsub.numsub(kind, ch) as i64));
    }
    Ok(Reply::Array(out))
}

/// PUBSUB CHANNELS [pattern]
pub fn pubsub_channels(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    channel_list(e, &argv, Kind::Channel)
}

/// PUBSUB SHARDCHANNELS [pattern]
pub fn pubsub_shardchannels(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    channel_list(e, &argv, Kind::Shard)
}

/// PUBSUB NUMSUB [channel ...]
pub fn pubsub_numsub(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    numsub(e, &argv, Kind::Channel)
}

/// PUBSUB SHARDNUMSUB [shardchannel ...]
pub fn pubsub_shardnumsub(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    numsub(e, &argv, Kind::Shard)
}

/// PUBSUB NUMPAT
pub fn pubsub_numpat(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(e.pubsub.numpat() as i64))
}

/// PUBSUB HELP
pub fn pubsub_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(super::server::help_reply(
        "PUBSUB",
        &[
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
        ],
    ))
}
