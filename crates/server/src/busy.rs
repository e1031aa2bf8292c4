//! A long script, as the other clients see it.
//!
//! EVAL and FCALL (outside MULTI) run on tokio's blocking pool, holding the
//! engine lock, so the runtime goes on serving every other connection. Until
//! the script passes `busy-reply-threshold` they wait for the engine as usual;
//! from then on they are answered as Redis answers them while a script is
//! busy: BUSY for almost everything, SCRIPT KILL or FUNCTION KILL stop the
//! script (unless it has written: UNKILLABLE), SHUTDOWN NOSAVE stops it and
//! then shuts down, and `allow-busy` commands (MULTI, WATCH, HELLO, ...) run
//! once it is over. What to answer is the core's
//! [`cachelab_core::while_busy`]; this module keeps the state the
//! connections and the script share.
//!
//! Scripts that run on the runtime itself (inside EXEC, or sent by a master)
//! have no one to answer for them, and are stopped at the threshold as the
//! browser's are.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use cachelab_core::{running_function_stats, Reply, RunningScript, ScriptWatcher};
use tokio::sync::Notify;

/// The script running on the blocking pool, if any.
#[derive(Debug, Default)]
pub(crate) struct ScriptWatch {
    state: Mutex<State>,
    /// Rung when a script turns busy and when it ends.
    changed: Notify,
}

/// What the connections and the script share; all default between scripts.
#[derive(Debug, Default)]
struct State {
    running: bool,
    /// Set once the script is over the threshold.
    busy: Option<RunningScript>,
    /// SCRIPT KILL, FUNCTION KILL or SHUTDOWN NOSAVE asked it to stop.
    kill: bool,
    /// What FUNCTION STATS shows of a running function.
    function: Option<RunningFunction>,
}

/// FCALL's arguments, when it started, and the libraries and functions
/// loaded.
type RunningFunction = (Vec<Vec<u8>>, Instant, (usize, usize));

impl ScriptWatch {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A script starts on the blocking pool.
    pub(crate) fn start(&self) {
        *self.state() = State {
            running: true,
            ..State::default()
        };
    }

    /// The running script is FCALL `argv`, with `counts` libraries and
    /// functions loaded (for FUNCTION STATS).
    pub(crate) fn describe_function(&self, argv: Vec<Vec<u8>>, counts: (usize, usize)) {
        self.state().function = Some((argv, Instant::now(), counts));
    }

    /// FUNCTION STATS while a function is busy.
    pub(crate) fn function_stats(&self) -> Reply {
        match &self.state().function {
            Some((argv, started, counts)) => {
                let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                running_function_stats(argv, ms, *counts)
            }
            None => running_function_stats(&[], 0, (0, 0)),
        }
    }

    /// It ended (and has let go of the engine).
    pub(crate) fn finish(&self) {
        *self.state() = State::default();
        self.changed.notify_waiters();
    }

    pub(crate) fn running(&self) -> bool {
        self.state().running
    }

    /// The script, once it is busy.
    pub(crate) fn busy(&self) -> Option<RunningScript> {
        self.state().busy
    }

    /// Stops the script at its next time check.
    pub(crate) fn kill(&self) {
        self.state().kill = true;
    }

    /// A future that completes at the next change (busy or ended); create
    /// it before looking at the state, so that no change is missed.
    pub(crate) fn changed(&self) -> tokio::sync::futures::Notified<'_> {
        self.changed.notified()
    }

    /// Waits until no script runs on the blocking pool.
    pub(crate) async fn finished(&self) {
        loop {
            let changed = self.changed();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if !self.running() {
                return;
            }
            changed.await;
        }
    }
}

impl ScriptWatcher for ScriptWatch {
    fn busy(&self, script: RunningScript) -> bool {
        let mut state = self.state();
        if !state.running {
            // Not on the blocking pool: nobody can send SCRIPT KILL.
            return true;
        }
        let first = state.busy.is_none();
        state.busy = Some(script);
        let kill = state.kill;
        drop(state);
        if first {
            self.changed.notify_waiters();
        }
        kill
    }
}

/// EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, FCALL and FCALL_RO: the commands
/// that run on the blocking pool.
pub(crate) fn is_script_command(argv: &[Vec<u8>]) -> bool {
    const NAMES: [&[u8]; 6] = [
        b"eval",
        b"evalsha",
        b"eval_ro",
        b"evalsha_ro",
        b"fcall",
        b"fcall_ro",
    ];
    argv.first()
        .is_some_and(|name| NAMES.iter().any(|n| name.eq_ignore_ascii_case(n)))
}
