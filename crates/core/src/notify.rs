//! Keyspace notifications: the event classes of `notify-keyspace-events`, and
//! the engine's hook that publishes `__keyspace@<db>__:<key>` and
//! `__keyevent@<db>__:<event>` messages.
//!
//! Handlers call [`Engine::notify`] exactly where Redis 7.0 calls
//! `notifyKeyspaceEvent`. The hook is one AND and a branch while notifications
//! are off (Redis's default), so it costs nothing on the hot path.
//!
//! The `new` event (class `n`) fires in Redis's `dbAdd`, i.e. whenever a key is
//! created. Rather than calling the hook at every place that creates a key, the
//! databases note the keys they create while `n` is on ([`crate::db::Db`]'s
//! journal), and the engine publishes those `new` events before the next event
//! of the command, or at its end: that is the order Redis produces them in.

use crate::engine::Engine;

/// `K`: publish on `__keyspace@<db>__:<key>`.
pub const KEYSPACE: u32 = 1 << 0;
/// `E`: publish on `__keyevent@<db>__:<event>`.
pub const KEYEVENT: u32 = 1 << 1;
/// `g`: generic commands (DEL, EXPIRE, RENAME, ...).
pub const GENERIC: u32 = 1 << 2;
/// `$`: string commands.
pub const STRING: u32 = 1 << 3;
/// `l`: list commands.
pub const LIST: u32 = 1 << 4;
/// `s`: set commands.
pub const SET: u32 = 1 << 5;
/// `h`: hash commands.
pub const HASH: u32 = 1 << 6;
/// `z`: sorted set commands.
pub const ZSET: u32 = 1 << 7;
/// `x`: a key expired.
pub const EXPIRED: u32 = 1 << 8;
/// `e`: a key was evicted for maxmemory.
pub const EVICTED: u32 = 1 << 9;
/// `t`: stream commands.
pub const STREAM: u32 = 1 << 10;
/// `m`: a read found no key (not part of `A`).
pub const KEY_MISS: u32 = 1 << 11;
/// `d`: module key types (accepted; the engine has no modules).
pub const MODULE: u32 = 1 << 13;
/// `n`: a key was created (not part of `A`).
pub const NEW: u32 = 1 << 14;
/// `A`: every class but `m` and `n`.
pub const ALL: u32 =
    GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

/// `keyspaceEventsStringToFlags`: `None` for a character that names no class.
pub fn parse_flags(classes: &[u8]) -> Option<u32> {
    let mut flags = 0;
    for &c in classes {
        flags |= match c {
            b'A' => ALL,
            b'g' => GENERIC,
            b'$' => STRING,
            b'l' => LIST,
            b's' => SET,
            b'h' => HASH,
            b'z' => ZSET,
            b'x' => EXPIRED,
            b'e' => EVICTED,
            b'K' => KEYSPACE,
            b'E' => KEYEVENT,
            b't' => STREAM,
            b'm' => KEY_MISS,
            b'd' => MODULE,
            b'n' => NEW,
            _ => return None,
        };
    }
    Some(flags)
}

/// `keyspaceEventsFlagsToString`: the canonical spelling CONFIG GET shows.
pub fn flags_to_string(flags: u32) -> String {
    let mut s = String::new();
    if flags & ALL == ALL {
        s.push('A');
    } else {
        for (flag, c) in [
            (GENERIC, 'g'),
            (STRING, '$'),
            (LIST, 'l'),
            (SET, 's'),
            (HASH, 'h'),
            (ZSET, 'z'),
            (EXPIRED, 'x'),
            (EVICTED, 'e'),
            (STREAM, 't'),
            (MODULE, 'd'),
            (NEW, 'n'),
        ] {
            if flags & flag != 0 {
                s.push(c);
            }
        }
    }
    for (flag, c) in [(KEYSPACE, 'K'), (KEYEVENT, 'E'), (KEY_MISS, 'm')] {
        if flags & flag != 0 {
            s.push(c);
        }
    }
    s
}

impl Engine {
    /// Redis's `notifyKeyspaceEvent(class, event, key, db)`.
    #[inline]
    pub(crate) fn notify(&mut self, class: u32, event: &str, key: &[u8], db: usize) {
        if self.config.notify_keyspace_events & class != 0 {
            self.publish_key_event(event, key, db);
        }
    }

    /// Sets the classes from CONFIG SET, and with them whether the databases note
    /// the keys they create (for `new`).
    pub(crate) fn set_notify_flags(&mut self, flags: u32) {
        self.config.notify_keyspace_events = flags;
        let track = flags & NEW != 0;
        for d in &mut self.dbs {
            d.track_created(track);
        }
    }

    /// Publishes the `new` events of keys created since the last event.
    pub(crate) fn flush_created(&mut self) {
        if self.config.notify_keyspace_events & NEW == 0 {
            return;
        }
        for db in 0..self.dbs.len() {
            for key in self.dbs[db].take_created() {
                self.publish_one("new", &key, db);
            }
        }
    }

    #[cold]
    fn publish_key_event(&mut self, event: &str, key: &[u8], db: usize) {
        self.flush_created();
        self.publish_one(event, key, db);
    }

    fn publish_one(&mut self, event: &str, key: &[u8], db: usize) {
        if self.pubsub.has_no_subscribers() {
            return;
        }
        let flags = self.config.notify_keyspace_events;
        if flags & KEYSPACE != 0 {
            let mut channel = format!("__keyspace@{db}__:").into_bytes();
            channel.extend_from_slice(key);
            self.pubsub
                .publish(crate::pubsub::Kind::Channel, &channel, event.as_bytes());
        }
        if flags & KEYEVENT != 0 {
            let channel = format!("__keyevent@{db}__:{event}").into_bytes();
            self.pubsub
                .publish(crate::pubsub::Kind::Channel, &channel, key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip_in_canonical_order() {
        let canon = |s: &str| parse_flags(s.as_bytes()).map(flags_to_string);
        assert_eq!(canon("KEA").as_deref(), Some("AKE"));
        assert_eq!(canon("g$lshzxetdnKEm").as_deref(), Some("AKEm"));
        assert_eq!(canon("Kn").as_deref(), Some("nK"));
        assert_eq!(canon("Elg").as_deref(), Some("glE"));
        assert_eq!(canon("").as_deref(), Some(""));
        assert_eq!(canon("Am").as_deref(), Some("Am"));
        assert_eq!(canon("KEA m"), None);
        assert_eq!(canon("Q"), None);
    }
}
