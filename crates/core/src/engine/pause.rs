//! CLIENT PAUSE: for a while, commands that could change the dataset (WRITE
//! mode) or all commands (ALL mode) wait instead of running, as Redis's
//! `blockPostponeClient`; replicas and the master link are never paused.
//!
//! A paused command comes back to its host as [`Exec::Postponed`] with its
//! arguments: the host keeps them and sends them again once the engine lists
//! the client in [`Engine::take_resumed`] (when CLIENT UNPAUSE runs or the
//! pause times out), and they may be postponed again. While paused, keys are
//! neither expired (a key past its deadline reads as missing but stays) nor
//! evicted, so the dataset holds still.

use super::{Client, Engine};
use crate::table::{flag, CommandSpec};

/// The pause in force: until when (unix ms) and whether only writes wait.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pause {
    pub(crate) end_ms: u64,
    pub(crate) writes_only: bool,
}

/// Clients waiting for the pause to end, and those it has ended for.
#[derive(Clone, Debug, Default)]
pub(crate) struct Paused {
    pub(crate) pause: Option<Pause>,
    pub(crate) postponed: Vec<u64>,
    resumed: Vec<u64>,
}

/// Whether a command may change the dataset or what replicas receive
/// (Redis's `CMD_WRITE | CMD_MAY_REPLICATE`).
fn may_replicate(spec: &CommandSpec) -> bool {
    spec.has_flag(flag::WRITE)
        || (spec.parent.is_none() && matches!(spec.name, "pfcount" | "publish" | "spublish"))
}

impl Engine {
    /// CLIENT PAUSE: a pause already in force lasts to the later end, in the
    /// stricter mode.
    pub(crate) fn pause_clients(&mut self, end_ms: u64, writes_only: bool) {
        let pause = match self.paused.pause {
            Some(p) => Pause {
                end_ms: p.end_ms.max(end_ms),
                writes_only: p.writes_only && writes_only,
            },
            None => Pause {
                end_ms,
                writes_only,
            },
        };
        self.paused.pause = Some(pause);
    }

    /// CLIENT UNPAUSE, or the pause running out: every postponed client may
    /// send its command again.
    pub(crate) fn unpause_clients(&mut self) {
        self.paused.pause = None;
        let waiting = std::mem::take(&mut self.paused.postponed);
        self.paused.resumed.extend(waiting);
    }

    /// Ends a pause whose time is up (Redis checks before each command and in
    /// its cron); true while one is in force.
    pub(crate) fn check_pause(&mut self) -> bool {
        match self.paused.pause {
            None => false,
            Some(p) if p.end_ms < self.now_ms() => {
                self.unpause_clients();
                false
            }
            Some(_) => true,
        }
    }

    /// While paused, expiry and eviction leave the dataset alone.
    #[inline]
    pub(crate) fn dataset_frozen(&self) -> bool {
        self.paused.pause.is_some_and(|p| p.end_ms >= self.now_ms())
    }

    /// Whether `client`'s command must wait for the pause to end. For EXEC,
    /// `queued` says if any queued command may replicate.
    pub(crate) fn postpones(&mut self, client: &Client, spec: &CommandSpec, queued: bool) -> bool {
        if client.replica || client.master || !self.check_pause() {
            return false;
        }
        let writes_only = self.paused.pause.is_some_and(|p| p.writes_only);
        !writes_only || may_replicate(spec) || queued
    }

    /// Whether any command in `queue` may replicate (EXEC's flags are its
    /// queue's).
    pub(crate) fn queue_may_replicate(queue: &[Vec<Vec<u8>>]) -> bool {
        queue
            .iter()
            .any(|argv| super::dispatch::resolve(argv).is_ok_and(may_replicate))
    }

    /// The clients whose postponed command can now be sent again, in the
    /// order they were postponed.
    pub fn take_resumed(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.paused.resumed)
    }

    pub(crate) fn forget_postponed(&mut self, id: u64) {
        self.paused.postponed.retain(|&c| c != id);
        self.paused.resumed.retain(|&c| c != id);
    }
}
