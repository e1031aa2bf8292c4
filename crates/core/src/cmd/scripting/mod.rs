//! EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT: Lua scripts run by
//! [`crate::lua`] against the engine, with Redis 7.0's `redis` library
//! (`call`, `pcall`, `error_reply`, `status_reply`, `sha1hex`, `log`, ...),
//! its conversions between replies and Lua values, and its error texts
//! (`ERR user_script:1: ... script: <sha>, on @user_script:1.`).
//!
//! A script runs atomically, as in Redis: its commands go through the
//! dispatcher's `call` on a copy of the caller (so SELECT inside a script
//! stays inside it), blocking commands don't block, and the writes it makes
//! are replicated as its effects, wrapped in MULTI/EXEC.
//!
//! A script that runs longer than `busy-reply-threshold` (`lua-time-limit`)
//! goes on as in Redis when the host lent the engine a [`ScriptWatcher`]
//! (cachelab-server: the other clients get BUSY, and SCRIPT KILL or
//! FUNCTION KILL stop it; [`while_busy`] says what each command gets).
//! Without one (the browser, whose tab must not hang and where no second
//! client can type while the engine is busy) it is stopped with Redis's
//! SCRIPT KILL error, its writes so far kept.

use crate::engine::{resolve, Client, Engine, Exec};
use crate::error::{CmdError, CmdResult};
use crate::lua::interp::{ErrorKind, Host, Interp, LuaError};
use crate::lua::stdlib::{self, arg, native, set_field};
use crate::lua::value::{Cell, Table, Value};
use crate::lua::{self, sha1::sha1_hex};
use crate::reply::Reply;
use crate::table::flag;

mod convert;
mod library;
mod run;

pub use super::functions::running_function_stats;
use convert::*;
use library::*;
pub(crate) use run::{run, Clock};
pub use run::{while_busy, RunningScript, ScriptWatcher, WhileBusy};

/// The script cache (SCRIPT LOAD, and every EVAL): bodies by lower-case SHA-1.
#[derive(Clone, Debug, Default)]
pub struct Scripts {
    bodies: indexmap::IndexMap<String, Vec<u8>>,
    /// Function libraries (FUNCTION LOAD).
    pub libraries: super::functions::Libraries,
    /// Redis's rand48 state: `math.random` goes on from script to script.
    rand48: u64,
}

impl Scripts {
    /// How many EVAL scripts are cached, and their bytes (body and SHA-1).
    pub fn cache_size(&self) -> (usize, usize) {
        let bytes = self.bodies.iter().map(|(sha, b)| sha.len() + b.len()).sum();
        (self.bodies.len(), bytes)
    }

    pub fn new() -> Scripts {
        Scripts {
            bodies: Default::default(),
            libraries: Default::default(),
            // redisLrand48's initial state (X2, X1, X0).
            rand48: 0x1234_ABCD_330E,
        }
    }
}

pub fn eval(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    eval_generic(e, c, argv, false, false)
}

pub fn eval_ro(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    eval_generic(e, c, argv, false, true)
}

pub fn evalsha(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    eval_generic(e, c, argv, true, false)
}

pub fn evalsha_ro(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    eval_generic(e, c, argv, true, true)
}

fn eval_generic(
    e: &mut Engine,
    c: &mut Client,
    mut argv: Vec<Vec<u8>>,
    by_sha: bool,
    read_only: bool,
) -> CmdResult {
    // Monitors see the script first, whatever becomes of it, then its commands.
    e.feed_monitors_now(c, &argv);
    let numkeys = crate::num::parse_i64(&argv[2]).ok_or(CmdError::NotInteger)?;
    if numkeys > argv.len() as i64 - 3 {
        return Err(CmdError::err(
            "Number of keys can't be greater than number of args",
        ));
    }
    if numkeys < 0 {
        return Err(CmdError::err("Number of keys can't be negative"));
    }
    let (sha, body) = if by_sha {
        let sha = String::from_utf8_lossy(&argv[1]).to_ascii_lowercase();
        match e.scripts.bodies.get(&sha) {
            Some(b) => (sha, b.clone()),
            None => {
                return Err(CmdError::Custom(
                    "NOSCRIPT No matching script. Please use EVAL.".into(),
                ))
            }
        }
    } else {
        let sha = sha1_hex(&argv[1]);
        (sha, std::mem::take(&mut argv[1]))
    };
    let shebang = Shebang::parse(&body)?;
    let proto = lua::compile(&shebang.code, "user_script")
        .map_err(|m| CmdError::Custom(format!("ERR Error compiling script (new function): {m}")))?;
    if !by_sha {
        e.scripts.bodies.entry(sha.clone()).or_insert(body);
    }
    let mode = prepare(e, shebang.flags, read_only)?;
    let mut args = argv.into_iter().skip(3);
    let keys: Vec<Vec<u8>> = args.by_ref().take(numkeys as usize).collect();
    let rest: Vec<Vec<u8>> = args.collect();
    run(
        e,
        c,
        &sha,
        "user_script",
        keys,
        rest,
        mode,
        |interp, k, a| {
            {
                let mut g = interp.globals.borrow_mut();
                set_field(&mut g, "KEYS", k);
                set_field(&mut g, "ARGV", a);
            }
            stdlib::protect(&interp.globals.clone());
            interp.run_function(&proto, Vec::new(), Vec::new())
        },
    )
}

/// Script flags (`#!lua flags=...`, `redis.register_function{flags=...}`),
/// in the order FUNCTION LIST shows them.
pub(crate) mod script_flag {
    pub const NO_WRITES: u32 = 1;
    pub const ALLOW_OOM: u32 = 2;
    pub const ALLOW_STALE: u32 = 4;
    pub const NO_CLUSTER: u32 = 8;
    pub const ALLOW_CROSS_SLOT_KEYS: u32 = 16;
    pub const NAMES: [(u32, &str); 5] = [
        (NO_WRITES, "no-writes"),
        (ALLOW_OOM, "allow-oom"),
        (ALLOW_STALE, "allow-stale"),
        (NO_CLUSTER, "no-cluster"),
        (ALLOW_CROSS_SLOT_KEYS, "allow-cross-slot-keys"),
    ];

    /// The flag a name stands for (names compare without case).
    pub fn parse(name: &[u8]) -> Option<u32> {
        NAMES
            .iter()
            .find(|(_, n)| n.as_bytes().eq_ignore_ascii_case(name))
            .map(|(f, _)| *f)
    }
}

/// A `#!lua flags=...` first line (Redis 7's script flags).
struct Shebang {
    code: Vec<u8>,
    /// None for a script without a shebang (Redis's compatibility mode).
    flags: Option<u32>,
}

impl Shebang {
    fn parse(body: &[u8]) -> Result<Shebang, CmdError> {
        if !body.starts_with(b"#!") {
            return Ok(Shebang {
                code: body.to_vec(),
                flags: None,
            });
        }
        let end = body.iter().position(|&b| b == b'\n').unwrap_or(body.len());
        let line = String::from_utf8_lossy(&body[2..end]).into_owned();
        let mut parts = line.split(' ').filter(|p| !p.is_empty());
        let engine = parts.next().unwrap_or("");
        if engine != "lua" {
            return Err(CmdError::Custom(format!(
                "ERR Unexpected engine in script shebang: {engine}"
            )));
        }
        let mut flags = 0;
        for part in parts {
            let Some(names) = part.strip_prefix("flags=") else {
                return Err(CmdError::Custom(format!(
                    "ERR Unknown lua shebang option: {part}"
                )));
            };
            for f in names.split(',').filter(|f| !f.is_empty()) {
                flags |= script_flag::parse(f.as_bytes()).ok_or_else(|| {
                    CmdError::Custom(format!("ERR Unexpected flag in script shebang: {f}"))
                })?;
            }
        }
        // The shebang line is skipped but still counts as line 1.
        Ok(Shebang {
            code: body[end..].to_vec(),
            flags: Some(flags),
        })
    }
}

/// How a script runs, from its flags and the command that runs it.
#[derive(Clone, Copy)]
pub(crate) struct RunMode {
    /// Writes are refused (EVAL_RO, FCALL_RO, `no-writes`).
    pub read_only: bool,
    /// The `allow-oom` flag: writes may grow memory past maxmemory.
    pub allow_oom: bool,
    /// Over maxmemory when the script started (Redis's pre_command_oom_state).
    pub oom_at_start: bool,
    /// FCALL's function, not EVAL's script.
    pub function: bool,
}

/// scriptPrepareForRun's checks for code with flags (a shebang or a
/// function): may it run at all, here and now? Scripts without a shebang
/// (`flags` None) are only checked command by command.
pub(crate) fn prepare(e: &mut Engine, flags: Option<u32>, ro: bool) -> Result<RunMode, CmdError> {
    let oom_at_start = e.config.maxmemory > 0 && !e.perform_evictions();
    let Some(flags) = flags else {
        return Ok(RunMode {
            read_only: ro,
            allow_oom: false,
            oom_at_start,
            function: false,
        });
    };
    let no_writes = flags & script_flag::NO_WRITES != 0;
    if !no_writes {
        if e.is_replica() && e.config_is("replica-read-only", "yes") {
            return Err(CmdError::Custom(
                "READONLY Can not run script with write flag on readonly replica".into(),
            ));
        }
        if ro {
            return Err(CmdError::err(
                "Can not execute a script with write flag using *_ro command.",
            ));
        }
        if !e.enough_good_replicas() {
            return Err(CmdError::Custom(
                "NOREPLICAS Not enough good replicas to write.".into(),
            ));
        }
    }
    if oom_at_start && flags & (script_flag::ALLOW_OOM | script_flag::NO_WRITES) == 0 {
        return Err(CmdError::Custom(
            "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'"
                .into(),
        ));
    }
    Ok(RunMode {
        read_only: ro || no_writes,
        allow_oom: flags & script_flag::ALLOW_OOM != 0,
        oom_at_start,
        function: false,
    })
}

pub fn script_load(e: &mut Engine, _c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let body = std::mem::take(&mut argv[2]);
    let sha = sha1_hex(&body);
    if !e.scripts.bodies.contains_key(&sha) {
        let shebang = Shebang::parse(&body)?;
        lua::compile(&shebang.code, "user_script").map_err(|m| {
            CmdError::Custom(format!("ERR Error compiling script (new function): {m}"))
        })?;
        e.scripts.bodies.insert(sha.clone(), body);
    }
    Ok(Reply::bulk(sha.into_bytes()))
}

pub fn script_exists(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|sha| {
                let sha = String::from_utf8_lossy(sha).to_ascii_lowercase();
                Reply::Integer(i64::from(e.scripts.bodies.contains_key(&sha)))
            })
            .collect(),
    ))
}

pub fn script_flush(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let ok = match argv.get(2) {
        None => argv.len() == 2,
        Some(mode) => {
            argv.len() == 3
                && (mode.eq_ignore_ascii_case(b"sync") || mode.eq_ignore_ascii_case(b"async"))
        }
    };
    if !ok {
        return Err(CmdError::err("SCRIPT FLUSH only support SYNC|ASYNC option"));
    }
    e.scripts.bodies.clear();
    Ok(Reply::ok())
}

pub fn script_kill(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    // A command reaches the engine only between scripts: while one runs, a
    // server answers SCRIPT KILL itself (see `ScriptWatcher`).
    Err(CmdError::Custom(
        "NOTBUSY No scripts in execution right now.".into(),
    ))
}

pub fn script_debug(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mode = &argv[2];
    if mode.eq_ignore_ascii_case(b"no") {
        return Ok(Reply::ok());
    }
    if mode.eq_ignore_ascii_case(b"yes") || mode.eq_ignore_ascii_case(b"sync") {
        return Err(CmdError::err(
            "SCRIPT DEBUG YES|SYNC: the Lua debugger is not available in CacheLab",
        ));
    }
    Err(CmdError::err("Use SCRIPT DEBUG YES/SYNC/NO"))
}

pub fn script_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(super::server::help_reply(
        "SCRIPT",
        &[
            "DEBUG (YES|SYNC|NO)",
            "    Set the debug mode for subsequent scripts executed.",
            "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.",
            "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache. Very dangerous on replicas.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the scripts cache.",
            "    * SYNC: Synchronously flush the scripts cache.",
            "KILL",
            "    Kill the currently executing Lua script.",
            "LOAD <script>",
            "    Load a script into the scripts cache without executing it.",
        ],
    ))
}
