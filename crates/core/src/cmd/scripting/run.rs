//! Running a script: the host the interpreter reaches the engine through,
//! the time limit, and how a script's outcome becomes a reply.

use super::*;
use crate::cmd::tx;
use crate::table::CommandSpec;

/// What a host that keeps serving its other clients while a script runs
/// (cachelab-server) hears of a script that has run past
/// `busy-reply-threshold`.
pub trait ScriptWatcher: Send + Sync + std::fmt::Debug {
    /// Called at every time check once the script is over the threshold:
    /// true stops it with the SCRIPT KILL error (SCRIPT KILL or FUNCTION
    /// KILL came in). Redis's BUSY replies to everyone else are the host's.
    fn busy(&self, script: RunningScript) -> bool;
}

/// The script a [`ScriptWatcher`] hears of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunningScript {
    /// FCALL (FUNCTION KILL stops it) rather than EVAL (SCRIPT KILL).
    pub function: bool,
    /// It has run a write command, so it can't be killed (UNKILLABLE).
    pub wrote: bool,
}

/// What a command meets while a script is busy (Redis's processCommand:
/// unknown commands and wrong arity are refused as usual, then everything
/// without the `allow-busy` flag gets BUSY).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WhileBusy {
    /// Answer this, and leave the script running.
    Reply(Reply),
    /// SCRIPT KILL or FUNCTION KILL that may stop it: stop it, answer OK.
    Kill,
    /// SHUTDOWN NOSAVE: stop the script, whatever it wrote, then shut down.
    Shutdown,
    /// An `allow-busy` command (MULTI, WATCH, HELLO, ...): it runs once the
    /// script is over.
    Wait,
    /// FUNCTION STATS while a function is busy: the host has what it shows
    /// (see `running_function_stats`).
    FunctionStats,
    /// QUIT: answer OK and close the connection.
    Quit,
}

/// How a host answers `argv` from `client` (None: a connection that has no
/// client yet) while `script` is busy, without the engine, which the script
/// is using. MULTI opens the client's transaction, and a refused command
/// spoils an open one (EXEC then aborts), as in Redis.
pub fn while_busy(
    argv: &[Vec<u8>],
    script: RunningScript,
    client: Option<&mut Client>,
) -> WhileBusy {
    let resolved = resolve(argv);
    let name = resolved.as_ref().ok().map(|s| (s.parent, s.name));
    let verdict = match resolved {
        Ok(spec) => busy_verdict(spec, argv, script),
        Err(e) => WhileBusy::Reply(Reply::Error(e.into_bytes())),
    };
    let refusal = match verdict {
        // SCRIPT KILL's own answer is no refusal.
        WhileBusy::Reply(Reply::Error(e)) if !e.starts_with(b"UNKILLABLE") => e,
        WhileBusy::Wait if name == Some((None, "multi")) => {
            return match client {
                Some(c) => WhileBusy::Reply(
                    tx::open_transaction(c).unwrap_or_else(|e| Reply::Error(e.into_bytes())),
                ),
                None => WhileBusy::Wait,
            };
        }
        other => return other,
    };
    // rejectCommand: the refusal spoils an open transaction, and a refused
    // EXEC discards it (its WATCHes go when the engine is free again).
    let exec = name == Some((None, "exec"));
    if let Some(c) = client {
        if exec {
            c.tx = None;
            c.tx_error = false;
            c.unwatch_pending = true;
        } else if c.tx.is_some() {
            c.tx_error = true;
        }
    }
    WhileBusy::Reply(if exec {
        tx::exec_abort(&refusal)
    } else {
        Reply::Error(refusal)
    })
}

fn busy_verdict(spec: &CommandSpec, argv: &[Vec<u8>], script: RunningScript) -> WhileBusy {
    let busy = |function: bool| {
        let kill = if function { "FUNCTION" } else { "SCRIPT" };
        WhileBusy::Reply(Reply::Error(
            format!("BUSY Redis is busy running a script. You can only call {kill} KILL or SHUTDOWN NOSAVE.")
                .into_bytes(),
        ))
    };
    let kill_of = match (spec.parent, spec.name) {
        (Some("script"), "kill") => Some(false),
        (Some("function"), "kill") => Some(true),
        _ => None,
    };
    if let Some(function) = kill_of {
        return if script.wrote {
            WhileBusy::Reply(Reply::Error(
                b"UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command."
                    .to_vec(),
            ))
        } else if function != script.function {
            // SCRIPT KILL can't stop a function, nor FUNCTION KILL a script.
            busy(script.function)
        } else {
            WhileBusy::Kill
        };
    }
    if (spec.parent, spec.name) == (Some("function"), "stats") {
        return if script.function {
            WhileBusy::FunctionStats
        } else {
            busy(false)
        };
    }
    if spec.parent.is_none() && spec.name == "shutdown" {
        let nosave = argv[1..].iter().any(|a| a.eq_ignore_ascii_case(b"nosave"));
        return if nosave {
            WhileBusy::Shutdown
        } else {
            busy(script.function)
        };
    }
    if spec.parent.is_none() && spec.name == "quit" {
        return WhileBusy::Quit;
    }
    if spec.has_flag(flag::ALLOW_BUSY) {
        return WhileBusy::Wait;
    }
    busy(script.function)
}

/// What the interpreter reaches the engine through.
struct ScriptHost<'a> {
    e: &'a mut Engine,
    /// The script's own client: the caller's db and identity, RESP2 until
    /// `redis.setresp(3)`.
    client: Client,
    mode: RunMode,
    /// `dirty` when the script started: has it written yet?
    dirty_at_start: u64,
    clock: Clock,
    /// It has run a write command (Redis's SCRIPT_WRITE_DIRTY).
    wrote: bool,
}

impl Host for ScriptHost<'_> {
    fn over_time(&mut self) -> bool {
        if !self.clock.over() {
            return false;
        }
        match &self.e.script_watcher {
            Some(watcher) => watcher.busy(RunningScript {
                function: self.mode.function,
                wrote: self.wrote,
            }),
            None => true,
        }
    }

    /// Runs one command for `redis.call`: the checks scriptCall makes, then
    /// the dispatcher's call. Errors come back as error replies.
    fn command(&mut self, argv: Vec<Vec<u8>>) -> Reply {
        // Errors count in the error stats here, once: the script's own
        // error reply that passes one on is not counted again.
        let spec = match resolve(&argv) {
            Ok(s) => s,
            Err(e) => {
                let reply = match e {
                    CmdError::WrongArity(_) => {
                        err_reply("Wrong number of args calling Redis command from script")
                    }
                    _ => err_reply("Unknown Redis command called from script"),
                };
                self.e.stats.count_errors(&reply);
                return reply;
            }
        };
        if let Some(reply) = self.refusal(spec) {
            self.e.stats.count_rejected(spec);
            self.e.stats.count_errors(&reply);
            return reply;
        }
        if spec.has_flag(flag::WRITE) {
            self.wrote = true;
        }
        let reply = match self.e.call(spec, &mut self.client, argv, false) {
            Exec::Reply(r) => r,
            Exec::Blocked | Exec::Postponed(_) => Reply::NilArray,
        };
        self.e.stats.count_errors(&reply);
        reply
    }

    fn protocol(&self) -> u8 {
        self.client.resp
    }

    fn set_protocol(&mut self, resp: u8) {
        self.client.resp = resp;
    }
}

impl ScriptHost<'_> {
    /// scriptCall's checks: why the script may not run this command.
    fn refusal(&mut self, spec: &'static crate::table::CommandSpec) -> Option<Reply> {
        if spec.has_flag(flag::NOSCRIPT) {
            return Some(err_reply("This Redis command is not allowed from script"));
        }
        if spec.has_flag(flag::WRITE) {
            if self.mode.read_only {
                return Some(err_reply(
                    "Write commands are not allowed from read-only scripts.",
                ));
            }
            if self.e.is_replica()
                && !self.client.master
                && self.e.config_is("replica-read-only", "yes")
            {
                return Some(Reply::Error(
                    b"READONLY You can't write against a read only replica.".to_vec(),
                ));
            }
            if !self.e.enough_good_replicas() {
                return Some(Reply::Error(
                    b"NOREPLICAS Not enough good replicas to write.".to_vec(),
                ));
            }
        }
        // scriptVerifyOOM: only before the script's first write (it can't
        // stop halfway), and only when over maxmemory at its start.
        if !self.mode.allow_oom
            && self.mode.oom_at_start
            && self.e.dirty == self.dirty_at_start
            && spec.has_flag(flag::DENYOOM)
        {
            return Some(Reply::Error(
                b"OOM command not allowed when used memory > 'maxmemory'.".to_vec(),
            ));
        }
        None
    }
}

fn err_reply(msg: &str) -> Reply {
    Reply::Error(format!("ERR {msg}").into_bytes())
}

/// Runs Lua code for EVAL or FCALL on a copy of `caller`: the libraries
/// and the `redis` table are set up, `body` gets KEYS and ARGV as tables and
/// runs; its first result is the reply. `name` (the SHA-1 or the function's
/// name) and `chunk` name the code in error replies.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run(
    e: &mut Engine,
    caller: &mut Client,
    name: &str,
    chunk: &'static str,
    keys: Vec<Vec<u8>>,
    args: Vec<Vec<u8>>,
    mode: RunMode,
    body: impl FnOnce(&mut Interp<'_>, Value, Value) -> Result<Vec<Value>, LuaError>,
) -> CmdResult {
    let mut client = caller.clone();
    client.in_exec = true;
    client.in_script = true;
    client.tx = None;
    client.resp = 2;
    client.reply_off = false;
    client.reply_skip = false;
    let limit_ms = busy_threshold_ms(e);
    let rand48 = e.scripts.rand48;
    let dirty_at_start = e.dirty;
    let mut host = ScriptHost {
        client,
        mode,
        dirty_at_start,
        clock: Clock::start(e, limit_ms),
        wrote: false,
        e,
    };
    let (result, rand48, counted) = {
        let mut interp = Interp::new(&mut host);
        interp.rand48 = rand48;
        interp.chunk = chunk;
        stdlib::open(&mut interp);
        open_redis(&mut interp);
        interp.globals.borrow_mut().meta = Some(stdlib::nonexistent_global_metatable());
        lua::bitlib::open(&mut interp);
        lua::structlib::open(&mut interp);
        lua::cjson::open(&mut interp);
        crate::lua::msgpack::open(&mut interp);
        let as_table = |interp: &mut Interp<'_>, items: Vec<Vec<u8>>| {
            let values = items.into_iter().map(|a| Value::Str(a.into())).collect();
            interp.table(Table::from_array(values))
        };
        let result = as_table(&mut interp, keys).and_then(|k| {
            let a = as_table(&mut interp, args)?;
            body(&mut interp, k, a)
        });
        let counted;
        let reply = match result {
            Ok(values) => {
                let v = values.into_iter().next().unwrap_or_default();
                counted = already_counted(&v);
                Ok(to_reply(v, interp.host.protocol()))
            }
            Err(err) => {
                counted = matches!(&err.kind, ErrorKind::Value(v) if already_counted(v));
                Err(script_error(&mut interp, err, name))
            }
        };
        (reply, interp.rand48, counted)
    };
    host.e.scripts.rand48 = rand48;
    host.e.error_counted = counted;
    result
}

/// `busy-reply-threshold` (alias `lua-time-limit`), in ms.
fn busy_threshold_ms(e: &Engine) -> u64 {
    e.config
        .extra
        .get("busy-reply-threshold")
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000)
}

/// How long code has run, against a limit: by the host's stopwatch, or
/// without one, by counting time checks (about a millisecond of work each).
pub(crate) struct Clock {
    stopwatch: Option<crate::slowlog::Stopwatch>,
    started: Option<u64>,
    checks: u64,
    limit_ms: u64,
}

impl Clock {
    pub(crate) fn start(e: &Engine, limit_ms: u64) -> Clock {
        Clock {
            stopwatch: e.stopwatch,
            started: e.stopwatch.map(|now| now()),
            checks: 0,
            limit_ms,
        }
    }

    pub(crate) fn over(&mut self) -> bool {
        self.checks += 1;
        match (self.started, self.stopwatch) {
            (Some(t0), Some(now)) => now().saturating_sub(t0) / 1000 > self.limit_ms,
            _ => self.checks > self.limit_ms,
        }
    }
}

/// The error reply of a failed script: Redis's error handler makes a table
/// `{err = "ERR <message>"}` of anything that isn't one already, then adds
/// ` script: <sha>, on @user_script:<line>.`.
fn script_error(interp: &mut Interp<'_>, err: LuaError, name: &str) -> CmdError {
    let line = err.line.unwrap_or(1);
    let msg: Vec<u8> = match err.kind {
        ErrorKind::Value(Value::Table(t)) => match t.borrow().get_str("err") {
            Value::Str(s) => s.to_vec(),
            _ => b"ERR unknown error".to_vec(),
        },
        ErrorKind::Killed(m) => format!("ERR {m}").into_bytes(),
        kind => {
            let v = LuaError {
                kind,
                line: err.line,
            }
            .into_value();
            let text = stdlib::tostring(interp, &v).map_or_else(|_| b"?".to_vec(), |s| s.to_vec());
            let mut out = b"ERR ".to_vec();
            out.extend_from_slice(&text);
            out
        }
    };
    let mut out: Vec<u8> = msg
        .into_iter()
        .map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect();
    let chunk = interp.chunk;
    out.extend_from_slice(format!(" script: {name}, on @{chunk}:{line}.").as_bytes());
    CmdError::Raw(out)
}
