//! Snapshots on demand and on schedule: what SAVE, BGSAVE, LASTSAVE, SHUTDOWN,
//! FLUSHALL and the `save` points do with the keyspace.
//!
//! The engine builds the RDB file ([`crate::rdb::keyspace::save`]); where it
//! goes is the host's business, since the core does no I/O. A host hands the
//! engine a [`SnapshotStore`]: cachelab-server writes `dir/dbfilename` on disk,
//! the browser keeps the file in its storage. An engine without a store keeps
//! its last snapshot in memory ([`Engine::last_snapshot`]).
//!
//! Redis forks for BGSAVE and the child writes the file while the parent goes
//! on. Here the engine is single-threaded and a snapshot is taken between two
//! commands anyway, so BGSAVE saves before it answers: the reply is Redis's
//! ("Background saving started"), the file is simply there sooner. A
//! background save therefore never overlaps another command.

use crate::engine::Engine;

/// Where snapshots go. `store` replaces the previous snapshot with `rdb`, whole
/// or not at all (write a temporary file and rename it, as Redis does); `load`
/// reads back the last one stored, for [`Engine::restarted`].
pub trait SnapshotStore: Send {
    fn store(&mut self, rdb: &[u8]) -> Result<(), String>;
    fn load(&mut self) -> Option<Vec<u8>>;
}

/// The bookkeeping behind INFO persistence and LASTSAVE.
#[derive(Default)]
pub struct Persistence {
    pub(crate) store: Option<Box<dyn SnapshotStore>>,
    /// The last snapshot, when there is no store.
    pub(crate) kept: Option<Vec<u8>>,
    /// Unix seconds of the last successful save (the start, before any).
    pub(crate) last_save_s: Option<u64>,
    /// The engine's write counter at the last successful save: INFO's
    /// `rdb_changes_since_last_save` is the difference.
    pub(crate) dirty_at_save: u64,
    /// Unix seconds of the last attempt, successful or not (the save points
    /// wait a little after a failure before trying again, as Redis does).
    pub(crate) last_try_s: u64,
    pub(crate) last_ok: bool,
    /// Successful saves since the start (`rdb_saves`).
    pub(crate) saves: u64,
    /// Set by a SHUTDOWN that went through; the host then stops.
    pub(crate) shutdown: bool,
}

/// A copy of an engine (a sandbox, a what-if) keeps its snapshots in memory:
/// the host's store belongs to the original.
impl Clone for Persistence {
    fn clone(&self) -> Persistence {
        Persistence {
            store: None,
            kept: self.kept.clone(),
            last_save_s: self.last_save_s,
            dirty_at_save: self.dirty_at_save,
            last_try_s: self.last_try_s,
            last_ok: self.last_ok,
            saves: self.saves,
            shutdown: self.shutdown,
        }
    }
}

impl std::fmt::Debug for Persistence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Persistence")
            .field("store", &self.store.is_some())
            .field("last_save_s", &self.last_save_s)
            .field("saves", &self.saves)
            .field("last_ok", &self.last_ok)
            .finish_non_exhaustive()
    }
}

/// After a failed background save, the save points wait this long before
/// trying again (Redis's CONFIG_BGSAVE_RETRY_DELAY).
const RETRY_DELAY_S: u64 = 5;

/// The `save` setting as (seconds, changes) points: `"3600 1 300 100"` means
/// "after 3600 s if at least 1 key changed, or after 300 s if 100 did". As in
/// Redis, the words are separated by single spaces, seconds are at least 1 and
/// changes at least 0; `None` for anything else. `""` is no point at all.
pub(crate) fn parse_save_points(text: &str) -> Option<Vec<(u64, u64)>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    // `strtoll` reads an empty word as 0.
    let numbers: Vec<i64> = text
        .split(' ')
        .map(|w| {
            if w.is_empty() {
                Some(0)
            } else {
                w.parse().ok()
            }
        })
        .collect::<Option<_>>()?;
    if !numbers.len().is_multiple_of(2) {
        return None;
    }
    numbers
        .chunks(2)
        .map(|p| (p[0] >= 1 && p[1] >= 0).then(|| (p[0].unsigned_abs(), p[1].unsigned_abs())))
        .collect()
}

/// The `save` setting as CONFIG GET shows it once set.
pub(crate) fn format_save_points(points: &[(u64, u64)]) -> String {
    let words: Vec<String> = points.iter().map(|(s, c)| format!("{s} {c}")).collect();
    words.join(" ")
}

impl Engine {
    /// Where SAVE and friends put the RDB file from now on.
    pub fn set_snapshot_store(&mut self, store: Box<dyn SnapshotStore>) {
        self.persistence.store = Some(store);
    }

    /// The last snapshot of an engine without a store.
    pub fn last_snapshot(&self) -> Option<&[u8]> {
        self.persistence.kept.as_deref()
    }

    /// Whether a SHUTDOWN went through: the host should stop serving now (the
    /// snapshot, if one was due, is already stored).
    pub fn shutdown_requested(&self) -> bool {
        self.persistence.shutdown
    }

    /// What restarting the server brings back: a fresh engine (default
    /// settings, no clients) holding the last snapshot, read from the store (or
    /// from memory without one); the store moves to the new engine. The flag
    /// says whether a snapshot was loaded: without one, or with one that does
    /// not read, the engine comes back empty.
    pub fn restarted(&mut self, now_us: u64) -> (Engine, bool) {
        let mut fresh = Engine::new();
        fresh.set_time(now_us);
        let rdb = self.stored_snapshot();
        let store = self.persistence.store.take();
        let loaded = rdb
            .as_deref()
            .is_some_and(|rdb| fresh.load_snapshot(rdb, now_us).is_ok());
        if !loaded {
            fresh = Engine::new();
            fresh.set_time(now_us);
        }
        fresh.persistence.store = store;
        fresh.persistence.kept = rdb.filter(|_| fresh.persistence.store.is_none());
        (fresh, loaded)
    }

    /// What a server does on SIGTERM or SIGINT (`prepareForShutdown` without
    /// flags): it saves first if `save` points are set. False if that save
    /// failed; the server then keeps running, as Redis does.
    pub fn shutdown_on_signal(&mut self, now_us: u64) -> bool {
        self.set_time(now_us);
        !self.has_save_points() || self.save_snapshot()
    }

    /// The last snapshot stored (the server's `dump.rdb`), if any.
    fn stored_snapshot(&mut self) -> Option<Vec<u8>> {
        match self.persistence.store.as_mut() {
            Some(store) => store.load(),
            None => self.persistence.kept.clone(),
        }
    }

    /// DEBUG RELOAD: saves (unless `nosave`), then loads the file back,
    /// replacing the keyspace, or into it with `noflush` (where `merge` lets
    /// the file's keys replace existing ones instead of failing). The error is
    /// the reply's text.
    pub(crate) fn debug_reload(
        &mut self,
        save: bool,
        flush: bool,
        merge: bool,
    ) -> Result<(), &'static str> {
        if save && !self.save_snapshot() {
            return Err("ERR");
        }
        const LOAD_FAILED: &str = "ERR Error trying to load the RDB dump, check server logs.";
        let rdb = self.stored_snapshot().ok_or(LOAD_FAILED)?;
        let now = self.now_ms();
        let loaded = if flush {
            crate::rdb::keyspace::load(self, &rdb, now)
        } else {
            crate::rdb::keyspace::load_merged(self, &rdb, now, merge)
        };
        loaded.map_err(|_| LOAD_FAILED)
    }

    /// Replaces the keyspace with an RDB file, as a starting server loads
    /// `dump.rdb`; the load counts as the last save. On error nothing changes.
    pub fn load_snapshot(&mut self, rdb: &[u8], now_us: u64) -> Result<(), crate::rdb::RdbError> {
        self.set_time(now_us);
        crate::rdb::keyspace::load(self, rdb, self.now_ms())?;
        self.persistence.last_save_s = Some(now_us / 1_000_000);
        self.persistence.dirty_at_save = self.dirty;
        self.persistence.last_ok = true;
        Ok(())
    }

    /// Saves the keyspace now (`rdbSave`): true if the store took it.
    pub(crate) fn save_snapshot(&mut self) -> bool {
        let rdb = crate::rdb::keyspace::save(self, self.now_ms());
        let now_s = self.now_us / 1_000_000;
        let p = &mut self.persistence;
        p.last_try_s = now_s;
        let stored = match p.store.as_mut() {
            Some(store) => store.store(&rdb),
            None => {
                p.kept = Some(rdb);
                Ok(())
            }
        };
        p.last_ok = stored.is_ok();
        if stored.is_ok() {
            p.last_save_s = Some(now_s);
            p.dirty_at_save = self.dirty;
            p.saves += 1;
        }
        p.last_ok
    }

    /// Unix seconds of the last successful save, or of the start.
    pub(crate) fn last_save_s(&self) -> u64 {
        self.persistence
            .last_save_s
            .or(self.start_us.map(|us| us / 1_000_000))
            .unwrap_or(self.now_us / 1_000_000)
    }

    pub(crate) fn changes_since_save(&self) -> u64 {
        self.dirty.saturating_sub(self.persistence.dirty_at_save)
    }

    /// The `save` points: whether one is due (`serverCron`'s check).
    fn save_point_due(&self) -> bool {
        let now_s = self.now_us / 1_000_000;
        let changes = self.changes_since_save();
        let since = now_s.saturating_sub(self.last_save_s());
        let may_retry = self.persistence.last_ok
            || now_s.saturating_sub(self.persistence.last_try_s) > RETRY_DELAY_S;
        may_retry
            && self
                .config
                .save_points
                .iter()
                .any(|&(secs, min_changes)| changes >= min_changes && since > secs)
    }

    /// Whether the `save` setting has any point (FLUSHALL and SHUTDOWN save then).
    pub(crate) fn has_save_points(&self) -> bool {
        !self.config.save_points.is_empty()
    }

    /// The server's cron for snapshots: saves when a `save` point is reached.
    /// Call it about once a second (Redis checks `hz` times a second).
    pub fn persistence_cron(&mut self, now_us: u64) {
        self.set_time(now_us);
        if self.save_point_due() {
            self.save_snapshot();
        }
    }
}
