//! Pub/Sub: who listens to which channel, pattern or shard channel, and the
//! messages waiting to be written to each client.
//!
//! The engine does no I/O, so a message for a client goes into that client's
//! outbox as a [`Reply::Push`]. The dispatcher hands a client its own pushes in
//! front of its command's reply (a RESP3 client may publish to a channel it
//! listens to); everything else waits until the shell drains it with
//! [`Engine::take_pushes`](crate::Engine::take_pushes) or
//! [`Engine::take_all_pushes`](crate::Engine::take_all_pushes).
//!
//! Like Redis 7.0, channels and patterns are counted together per client (the
//! number SUBSCRIBE and PSUBSCRIBE confirm with) while shard channels have a
//! count of their own, a channel's subscribers hear messages in the order they
//! subscribed, and a pattern subscription is one per (client, pattern) however
//! many channels it matches. A client is in "subscribed mode" exactly while it
//! has at least one subscription of any kind.

use std::collections::HashMap;

use indexmap::IndexSet;

use crate::db::{BuildKeyHasher, Map};
use crate::glob;
use crate::reply::Reply;

/// The three kinds of subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// SUBSCRIBE / UNSUBSCRIBE / PUBLISH.
    Channel,
    /// PSUBSCRIBE / PUNSUBSCRIBE: glob patterns over channel names.
    Pattern,
    /// SSUBSCRIBE / SUNSUBSCRIBE / SPUBLISH (no patterns, own count).
    Shard,
}

impl Kind {
    /// The first element of a confirmation: `subscribe`, `psubscribe`, ...
    fn verb(self, subscribe: bool) -> &'static str {
        match (self, subscribe) {
            (Kind::Channel, true) => "subscribe",
            (Kind::Channel, false) => "unsubscribe",
            (Kind::Pattern, true) => "psubscribe",
            (Kind::Pattern, false) => "punsubscribe",
            (Kind::Shard, true) => "ssubscribe",
            (Kind::Shard, false) => "sunsubscribe",
        }
    }
}

type Subscribers = IndexSet<u64, BuildKeyHasher>;
type Names = IndexSet<Vec<u8>, BuildKeyHasher>;

/// One client's subscriptions, in the order it made them.
#[derive(Clone, Debug, Default)]
struct Subscriptions {
    channels: Names,
    patterns: Names,
    shard: Names,
}

impl Subscriptions {
    fn names(&mut self, kind: Kind) -> &mut Names {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard,
        }
    }

    /// The count a confirmation of `kind` reports.
    fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Channel | Kind::Pattern => self.channels.len() + self.patterns.len(),
            Kind::Shard => self.shard.len(),
        }
    }

    fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.patterns.is_empty() && self.shard.is_empty()
    }
}

/// The server-wide Pub/Sub state.
#[derive(Clone, Debug, Default)]
pub struct PubSub {
    channels: Map<Vec<u8>, Subscribers>,
    patterns: Map<Vec<u8>, Subscribers>,
    shard: Map<Vec<u8>, Subscribers>,
    /// Only clients with at least one subscription.
    clients: HashMap<u64, Subscriptions, BuildKeyHasher>,
    /// Pushes not yet written, per client, in the order they were produced.
    outbox: Map<u64, Vec<Reply>>,
}

/// A confirmation push: `[verb, name or nil, count]`.
fn confirmation(kind: Kind, subscribe: bool, name: Option<&[u8]>, count: usize) -> Reply {
    Reply::Push(vec![
        Reply::bulk(kind.verb(subscribe)),
        name.map_or(Reply::Nil, Reply::bulk),
        Reply::Integer(count as i64),
    ])
}

impl PubSub {
    fn registry(&mut self, kind: Kind) -> &mut Map<Vec<u8>, Subscribers> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard,
        }
    }

    /// True while `client` has any subscription (Redis's CLIENT_PUBSUB flag).
    #[inline]
    pub fn is_subscribed(&self, client: u64) -> bool {
        !self.clients.is_empty() && self.clients.contains_key(&client)
    }

    /// How many channels, patterns and shard channels `client` subscribes to
    /// (CLIENT LIST's `sub=`, `psub=` and `ssub=`).
    pub fn counts(&self, client: u64) -> (usize, usize, usize) {
        self.clients.get(&client).map_or((0, 0, 0), |s| {
            (s.channels.len(), s.patterns.len(), s.shard.len())
        })
    }

    /// Subscribes `client` to `name` (a no-op if it already is) and returns the
    /// confirmation Redis sends either way.
    pub fn subscribe(&mut self, client: u64, kind: Kind, name: &[u8]) -> Reply {
        let subs = self.clients.entry(client).or_default();
        if subs.names(kind).insert(name.to_vec()) {
            self.registry(kind)
                .entry(name.to_vec())
                .or_default()
                .insert(client);
        }
        let count = self.clients.get(&client).map_or(0, |s| s.count(kind));
        confirmation(kind, true, Some(name), count)
    }

    /// Unsubscribes `client` from `name` and returns the confirmation (sent even
    /// when it was not subscribed).
    pub fn unsubscribe(&mut self, client: u64, kind: Kind, name: &[u8]) -> Reply {
        self.forget(client, kind, name);
        let count = self.clients.get(&client).map_or(0, |s| s.count(kind));
        confirmation(kind, false, Some(name), count)
    }

    /// UNSUBSCRIBE (PUNSUBSCRIBE, SUNSUBSCRIBE) without arguments: one confirmation
    /// per subscription of `kind`, or a single one with a nil name if there was none.
    pub fn unsubscribe_all(&mut self, client: u64, kind: Kind) -> Vec<Reply> {
        let names: Vec<Vec<u8>> = self
            .clients
            .get_mut(&client)
            .map(|s| s.names(kind).iter().cloned().collect())
            .unwrap_or_default();
        if names.is_empty() {
            let count = self.clients.get(&client).map_or(0, |s| s.count(kind));
            return vec![confirmation(kind, false, None, count)];
        }
        names
            .iter()
            .map(|name| self.unsubscribe(client, kind, name))
            .collect()
    }

    /// Drops every subscription of `client` without confirmations (RESET, a
    /// closed connection). Pending pushes are dropped too when `discard_outbox`.
    pub fn remove_client(&mut self, client: u64, discard_outbox: bool) {
        if discard_outbox && !self.outbox.is_empty() {
            self.outbox.swap_remove(&client);
        }
        let Some(mut subs) = self.clients.remove(&client) else {
            return;
        };
        for kind in [Kind::Channel, Kind::Pattern, Kind::Shard] {
            for name in std::mem::take(subs.names(kind)) {
                self.leave(client, kind, &name);
            }
        }
    }

    /// Removes one subscription from both sides; false if there was none.
    fn forget(&mut self, client: u64, kind: Kind, name: &[u8]) -> bool {
        let Some(subs) = self.clients.get_mut(&client) else {
            return false;
        };
        // Patterns are a list in Redis (PUNSUBSCRIBE without arguments goes in
        // subscription order); channels are a dict, where any order is Redis's.
        let removed = match kind {
            Kind::Pattern => subs.patterns.shift_remove(name),
            _ => subs.names(kind).swap_remove(name),
        };
        if !removed {
            return false;
        }
        if subs.is_empty() {
            self.clients.remove(&client);
        }
        self.leave(client, kind, name);
        true
    }

    /// Takes `client` off the subscriber list of `name`, dropping the list when empty.
    fn leave(&mut self, client: u64, kind: Kind, name: &[u8]) {
        let registry = self.registry(kind);
        if let Some(list) = registry.get_mut(name) {
            // Keep the others in subscription order: that is delivery order.
            list.shift_remove(&client);
            if list.is_empty() {
                registry.swap_remove(name);
            }
        }
    }

    /// PUBLISH (or SPUBLISH for [`Kind::Shard`]): queues a `message` push for every
    /// subscriber of `channel` and, for plain channels, a `pmessage` for every
    /// matching pattern subscription. Returns the number of pushes queued.
    pub fn publish(&mut self, kind: Kind, channel: &[u8], message: &[u8]) -> usize {
        let mut receivers = 0;
        let (registry, verb) = match kind {
            Kind::Shard => (&self.shard, "smessage"),
            _ => (&self.channels, "message"),
        };
        if let Some(list) = registry.get(channel) {
            for &client in list {
                let push = Reply::Push(vec![
                    Reply::bulk(verb),
                    Reply::bulk(channel),
                    Reply::bulk(message),
                ]);
                self.outbox.entry(client).or_default().push(push);
                receivers += 1;
            }
        }
        if kind == Kind::Shard {
            return receivers;
        }
        for (pattern, list) in &self.patterns {
            if !glob::matches(pattern, channel, false) {
                continue;
            }
            for &client in list {
                let push = Reply::Push(vec![
                    Reply::bulk("pmessage"),
                    Reply::bulk(pattern.as_slice()),
                    Reply::bulk(channel),
                    Reply::bulk(message),
                ]);
                self.outbox.entry(client).or_default().push(push);
                receivers += 1;
            }
        }
        receivers
    }

    /// Queues `reply` for `client`, after what it already has waiting (a MONITOR line).
    pub fn push_to(&mut self, client: u64, reply: Reply) {
        self.outbox.entry(client).or_default().push(reply);
    }

    /// True when nobody listens to anything: publishing would reach no one.
    #[inline]
    pub fn has_no_subscribers(&self) -> bool {
        self.clients.is_empty()
    }

    /// Active channels (with at least one subscriber) of `kind`, optionally only
    /// those matching a glob `pattern`.
    pub fn channels(&self, kind: Kind, pattern: Option<&[u8]>) -> Vec<Vec<u8>> {
        let registry = match kind {
            Kind::Shard => &self.shard,
            _ => &self.channels,
        };
        registry
            .keys()
            .filter(|c| pattern.is_none_or(|p| glob::matches(p, c, false)))
            .cloned()
            .collect()
    }

    /// Subscribers of one channel (pattern subscriptions not counted).
    pub fn numsub(&self, kind: Kind, channel: &[u8]) -> usize {
        let registry = match kind {
            Kind::Shard => &self.shard,
            _ => &self.channels,
        };
        registry.get(channel).map_or(0, IndexSet::len)
    }

    /// The number of distinct patterns anyone subscribes to (PUBSUB NUMPAT).
    pub fn numpat(&self) -> usize {
        self.patterns.len()
    }

    /// Distinct channels, patterns and shard channels with a subscriber (INFO's
    /// `pubsub_channels`, `pubsub_patterns` and `pubsubshard_channels`).
    pub fn totals(&self) -> (usize, usize, usize) {
        (self.channels.len(), self.patterns.len(), self.shard.len())
    }

    /// True if some push waits for some client.
    #[inline]
    pub fn has_pending(&self) -> bool {
        !self.outbox.is_empty()
    }

    /// The pushes waiting for `client`, oldest first, removed from its outbox.
    pub fn take(&mut self, client: u64) -> Vec<Reply> {
        if self.outbox.is_empty() {
            return Vec::new();
        }
        self.outbox.swap_remove(&client).unwrap_or_default()
    }

    /// Every waiting push as (client id, push), oldest first per client.
    pub fn take_all(&mut self) -> Vec<(u64, Reply)> {
        std::mem::take(&mut self.outbox)
            .into_iter()
            .flat_map(|(id, pushes)| pushes.into_iter().map(move |p| (id, p)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(parts: &[&[u8]]) -> Reply {
        Reply::Push(parts.iter().map(|p| Reply::bulk(*p)).collect())
    }

    #[test]
    fn counts_channels_and_patterns_together_and_shards_apart() {
        let mut ps = PubSub::default();
        assert_eq!(
            ps.subscribe(1, Kind::Channel, b"a"),
            Reply::Push(vec![
                Reply::bulk("subscribe"),
                Reply::bulk("a"),
                Reply::Integer(1)
            ])
        );
        ps.subscribe(1, Kind::Channel, b"a");
        assert_eq!(ps.counts(1), (1, 0, 0));
        let r = ps.subscribe(1, Kind::Pattern, b"a*");
        assert_eq!(
            r.to_resp(),
            b"*3\r\n$10\r\npsubscribe\r\n$2\r\na*\r\n:2\r\n"
        );
        let r = ps.subscribe(1, Kind::Shard, b"s");
        assert_eq!(r.to_resp(), b"*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n");
        assert!(ps.is_subscribed(1));
        assert_eq!(ps.numpat(), 1);
        assert_eq!(ps.numsub(Kind::Channel, b"a"), 1);
        assert_eq!(ps.numsub(Kind::Shard, b"s"), 1);
        ps.remove_client(1, true);
        assert!(!ps.is_subscribed(1));
        assert_eq!(ps.totals(), (0, 0, 0));
    }

    #[test]
    fn unsubscribe_all_with_nothing_confirms_once_with_nil() {
        let mut ps = PubSub::default();
        assert_eq!(
            ps.unsubscribe_all(7, Kind::Pattern)
                .iter()
                .flat_map(Reply::to_resp)
                .collect::<Vec<u8>>(),
            b"*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n"
        );
        ps.subscribe(7, Kind::Channel, b"x");
        ps.subscribe(7, Kind::Channel, b"y");
        let replies = ps.unsubscribe_all(7, Kind::Channel);
        assert_eq!(replies.len(), 2);
        assert_eq!(
            replies[1].to_resp(),
            b"*3\r\n$11\r\nunsubscribe\r\n$1\r\ny\r\n:0\r\n"
        );
        assert!(!ps.is_subscribed(7));
    }

    #[test]
    fn publish_reaches_channels_then_patterns() {
        let mut ps = PubSub::default();
        ps.subscribe(1, Kind::Channel, b"news");
        ps.subscribe(2, Kind::Pattern, b"n*");
        ps.subscribe(2, Kind::Pattern, b"*s");
        ps.subscribe(3, Kind::Shard, b"news");
        assert_eq!(ps.publish(Kind::Channel, b"news", b"hi"), 3);
        assert_eq!(ps.take(1), vec![push(&[b"message", b"news", b"hi"])]);
        assert_eq!(
            ps.take(2),
            vec![
                push(&[b"pmessage", b"n*", b"news", b"hi"]),
                push(&[b"pmessage", b"*s", b"news", b"hi"])
            ]
        );
        assert!(ps.take(3).is_empty());
        assert_eq!(ps.publish(Kind::Shard, b"news", b"x"), 1);
        assert_eq!(
            ps.take_all(),
            vec![(3, push(&[b"smessage", b"news", b"x"]))]
        );
        assert!(!ps.has_pending());
    }
}
