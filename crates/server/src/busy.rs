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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use cachelab_core::{running_function_stats, Reply, RunningScript, ScriptWatcher};
use tokio::sync::Notify;

/// The script running on the blocking pool, if any.
#[derive(Debug, Default)]
pub(crate) struct ScriptWatch {
    state: Mutex<State>,
    /// SCRIPT KILL, FUNCTION KILL or SHUTDOWN NOSAVE asked it to stop.
    kill: AtomicBool,
    /// Rung when a script turns busy and when it ends.
    changed: Notify,
    /// What FUNCTION STATS shows of a running function.
    function: Mutex<Option<RunningFunction>>,
}

#[derive(Debug)]
struct RunningFunction {
    argv: Vec<Vec<u8>>,
    started: Instant,
    /// Libraries and functions loaded.
    counts: (usize, usize),
}

#[derive(Debug, Default, Clone, Copy)]
struct State {
    running: bool,
    /// Set once the script is over the threshold.
    busy: Option<RunningScript>,
}

impl ScriptWatch {
    fn state(&self) -> State {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, state: State) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = state;
    }

    /// A script starts on the blocking pool.
    pub(crate) fn start(&self) {
        self.kill.store(false, Ordering::Relaxed);
        self.set(State {
            running: true,
            busy: None,
        });
    }

    /// The running script is FCALL `argv`, with `counts` libraries and
    /// functions loaded (for FUNCTION STATS).
    pub(crate) fn describe_function(&self, argv: Vec<Vec<u8>>, counts: (usize, usize)) {
        *self.function.lock().unwrap_or_else(PoisonError::into_inner) = Some(RunningFunction {
            argv,
            started: Instant::now(),
            counts,
        });
    }

    /// FUNCTION STATS while a function is busy.
    pub(crate) fn function_stats(&self) -> Reply {
        let function = self.function.lock().unwrap_or_else(PoisonError::into_inner);
        match &*function {
            Some(f) => {
                let ms = u64::try_from(f.started.elapsed().as_millis()).unwrap_or(u64::MAX);
                running_function_stats(&f.argv, ms, f.counts)
            }
            None => running_function_stats(&[], 0, (0, 0)),
        }
    }

    /// It ended (and has let go of the engine).
    pub(crate) fn finish(&self) {
        *self.function.lock().unwrap_or_else(PoisonError::into_inner) = None;
        self.set(State::default());
        self.kill.store(false, Ordering::Relaxed);
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
        self.kill.store(true, Ordering::Relaxed);
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
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if !state.running {
            // Not on the blocking pool: nobody can send SCRIPT KILL.
            return true;
        }
        let first = state.busy.is_none();
        state.busy = Some(script);
        drop(state);
        if first {
            self.changed.notify_waiters();
        }
        self.kill.load(Ordering::Relaxed)
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
