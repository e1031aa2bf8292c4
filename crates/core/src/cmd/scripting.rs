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
//! is stopped with Redis's SCRIPT KILL error: there is no second client to
//! send SCRIPT KILL while the engine is busy, and a browser tab must not
//! hang. Its writes so far stay (Redis would refuse to kill such a script).

use crate::engine::{resolve, Client, Engine, Exec};
use crate::error::{CmdError, CmdResult};
use crate::lua::interp::{ErrorKind, Host, Interp, LuaError};
use crate::lua::stdlib::{self, arg, native, set_field};
use crate::lua::value::{Cell, Table, Value};
use crate::lua::{self, sha1::sha1_hex};
use crate::reply::Reply;
use crate::table::flag;

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

// ---- commands -----------------------------------------------------------------

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
    e.feed_monitors_now(c, &argv);
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
    // Scripts run to completion inside one command, so none is ever running
    // when another command arrives.
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

// ---- running a script ----------------------------------------------------------

/// What the interpreter reaches the engine through.
struct ScriptHost<'a> {
    e: &'a mut Engine,
    /// The script's own client: the caller's db and identity, RESP2.
    client: Client,
    mode: RunMode,
    /// `dirty` when the script started: has it written yet?
    dirty_at_start: u64,
    clock: Clock,
}

impl Host for ScriptHost<'_> {
    fn over_time(&mut self) -> bool {
        self.clock.over()
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
        let reply = match self.e.call(spec, &mut self.client, argv, false) {
            Exec::Reply(r) => r,
            Exec::Blocked | Exec::Postponed(_) => Reply::NilArray,
        };
        self.e.stats.count_errors(&reply);
        reply
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
                Ok(to_reply(v))
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

// ---- conversions ---------------------------------------------------------------

/// How deep a reply may nest before the conversion gives up with Redis's
/// "reached lua stack limit" (a table that contains itself). Redis stops
/// near 8000 levels; this stays well inside what every consumer of a reply
/// (encoders, the console's formatter, drops) can recurse through.
const MAX_REPLY_DEPTH: usize = 1000;

/// A Lua value as the reply EVAL sends (luaReplyToRedisReply).
fn to_reply(v: Value) -> Reply {
    to_reply_at(v, 0)
}

fn to_reply_at(v: Value, depth: usize) -> Reply {
    if depth >= MAX_REPLY_DEPTH {
        return Reply::Error(b"ERR reached lua stack limit".to_vec());
    }
    match v {
        Value::Str(s) => Reply::bulk(s.to_vec()),
        Value::Bool(true) => Reply::Integer(1),
        Value::Num(n) => Reply::Integer(c_long_long(n)),
        Value::Table(t) => {
            let t = t.borrow();
            if let Value::Str(err) = t.get_str("err") {
                return Reply::Error(one_line(&err));
            }
            if let Value::Str(ok) = t.get_str("ok") {
                return Reply::Status(String::from_utf8_lossy(&one_line(&ok)).into_owned());
            }
            if let Value::Num(d) = t.get_str("double") {
                return Reply::Double(d);
            }
            let mut items = Vec::new();
            let mut i = 1;
            loop {
                let v = t.get_int(i);
                if matches!(v, Value::Nil) {
                    break;
                }
                items.push(to_reply_at(v, depth + 1));
                i += 1;
            }
            Reply::Array(items)
        }
        _ => Reply::Nil,
    }
}

/// C's `(long long)` cast as x86-64 does it: out of range (and NaN) is the
/// "integer indefinite" value, i64::MIN.
fn c_long_long(n: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if n.is_nan() || !(-LIMIT..LIMIT).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

fn one_line(s: &[u8]) -> Vec<u8> {
    s.iter()
        .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect()
}

/// A command's reply as the Lua value `redis.call` returns
/// (redisProtocolToLuaType, RESP2).
fn from_reply(interp: &mut Interp<'_>, r: Reply) -> Result<Value, LuaError> {
    Ok(match r.to_resp2_shape() {
        Reply::Status(s) => {
            let mut t = Table::default();
            set_field(&mut t, "ok", Value::Str(s.into_bytes().into()));
            interp.table(t)?
        }
        Reply::Error(e) => error_table(interp, &e)?,
        Reply::Integer(n) => Value::Num(n as f64),
        Reply::Bulk(b) => interp.string(b.to_vec())?,
        Reply::Nil | Reply::NilArray => Value::Bool(false),
        Reply::Array(items) => {
            let mut values = Vec::with_capacity(items.len());
            for item in items {
                values.push(from_reply(interp, item)?);
            }
            interp.table(Table::from_array(values))?
        }
        Reply::Sequence(mut replies) if !replies.is_empty() => {
            let first = replies.swap_remove(0);
            from_reply(interp, first)?
        }
        _ => Value::Bool(false),
    })
}

/// `{err = "CODE message"}` (luaPushErrorBuff: an error text without a code gets `ERR`).
fn error_table(interp: &mut Interp<'_>, text: &[u8]) -> Result<Value, LuaError> {
    let text = text.strip_suffix(b"\r\n").unwrap_or(text);
    let mut t = Table::default();
    set_field(&mut t, "err", Value::Str(text.into()));
    interp.table(t)
}

/// The error table of a command's error: already counted in the error
/// stats, which the field tells the final reply.
fn command_error_table(interp: &mut Interp<'_>, text: &[u8]) -> Result<Value, LuaError> {
    let t = error_table(interp, text)?;
    if let Value::Table(tb) = &t {
        set_field(&mut tb.borrow_mut(), COUNTED, Value::Bool(true));
    }
    Ok(t)
}

/// Redis's field for "this error is already in the error stats".
const COUNTED: &str = "ignore_error_stats_update";

/// Whether a script's result or error is a command's error table.
fn already_counted(v: &Value) -> bool {
    match v {
        Value::Table(t) => t.borrow().get_str(COUNTED).truthy(),
        _ => false,
    }
}

/// luaPushErrorBuff for a message given to `redis.error_reply`: `-CODE msg`
/// keeps its code, a bare message gets `ERR`.
fn error_text(msg: &[u8]) -> Vec<u8> {
    let rest = msg.strip_prefix(b"-").unwrap_or(msg);
    if rest.contains(&b' ') {
        return rest.to_vec();
    }
    let mut out = b"ERR ".to_vec();
    out.extend_from_slice(rest);
    out
}

// ---- the redis library ------------------------------------------------------------

fn open_redis(interp: &mut Interp<'_>) {
    let mut r = Table::default();
    let fns: &[(&'static str, crate::lua::value::NativeFn)] = &[
        ("call", redis_call),
        ("pcall", redis_pcall),
        ("error_reply", redis_error_reply),
        ("status_reply", redis_status_reply),
        ("sha1hex", redis_sha1hex),
        ("log", redis_log),
        ("setresp", redis_setresp),
        ("set_repl", redis_set_repl),
        ("replicate_commands", |_, _, _| Ok(vec![Value::Bool(true)])),
        ("breakpoint", |_, _, _| Ok(vec![Value::Bool(false)])),
        ("debug", |_, _, _| Ok(Vec::new())),
    ];
    for (name, f) in fns {
        set_field(&mut r, name, native(name, *f));
    }
    for (name, n) in [
        ("LOG_DEBUG", 0.0),
        ("LOG_VERBOSE", 1.0),
        ("LOG_NOTICE", 2.0),
        ("LOG_WARNING", 3.0),
        ("REPL_NONE", 0.0),
        ("REPL_AOF", 1.0),
        ("REPL_SLAVE", 2.0),
        ("REPL_REPLICA", 2.0),
        ("REPL_ALL", 3.0),
    ] {
        set_field(&mut r, name, Value::Num(n));
    }
    set_field(
        &mut r,
        "REDIS_VERSION",
        Value::str(crate::cmd::server::REDIS_VERSION.as_bytes()),
    );
    set_field(
        &mut r,
        "REDIS_VERSION_NUM",
        Value::Num(f64::from(0x0007_000f_u32)),
    );
    let redis = Value::new_table(r);
    set_field(&mut interp.globals.borrow_mut(), "redis", redis);
}

/// The arguments of `redis.call`: strings, and numbers as Redis prints them.
fn command_args(args: &[Value]) -> Result<Vec<Vec<u8>>, LuaError> {
    if args.is_empty() {
        return Err(raise_err(
            "Please specify at least one argument for this redis lib call",
        ));
    }
    args.iter()
        .map(|a| match a {
            Value::Str(s) => Ok(s.to_vec()),
            Value::Num(n) => Ok(crate::num::format_g17(*n).into_bytes()),
            _ => Err(raise_err(
                "Lua redis lib command arguments must be strings or integers",
            )),
        })
        .collect()
}

/// An error raised as Redis's error table `{err = "ERR msg"}`.
fn raise_err(msg: &str) -> LuaError {
    let mut t = Table::default();
    set_field(
        &mut t,
        "err",
        Value::Str(format!("ERR {msg}").into_bytes().into()),
    );
    LuaError::value(Value::new_table(t))
}

fn call_generic(
    interp: &mut Interp<'_>,
    args: Vec<Value>,
    raise: bool,
) -> Result<Vec<Value>, LuaError> {
    let argv = match command_args(&args) {
        Ok(a) => a,
        Err(e) if raise => return Err(e),
        Err(e) => return Ok(vec![e.into_value()]),
    };
    let reply = interp.host.command(argv);
    if let Reply::Error(e) = &reply {
        let t = command_error_table(interp, e)?;
        return if raise {
            Err(LuaError::value(t))
        } else {
            Ok(vec![t])
        };
    }
    Ok(vec![from_reply(interp, reply)?])
}

fn redis_call(
    interp: &mut Interp<'_>,
    _: &[Cell],
    args: Vec<Value>,
) -> Result<Vec<Value>, LuaError> {
    call_generic(interp, args, true)
}

fn redis_pcall(
    interp: &mut Interp<'_>,
    _: &[Cell],
    args: Vec<Value>,
) -> Result<Vec<Value>, LuaError> {
    call_generic(interp, args, false)
}

fn redis_error_reply(
    interp: &mut Interp<'_>,
    _: &[Cell],
    args: Vec<Value>,
) -> Result<Vec<Value>, LuaError> {
    let Some(Value::Str(msg)) = args.first().filter(|_| args.len() == 1) else {
        return Err(raise_err("wrong number or type of arguments"));
    };
    let text = error_text(msg);
    Ok(vec![error_table(interp, &text)?])
}

fn redis_status_reply(
    interp: &mut Interp<'_>,
    _: &[Cell],
    args: Vec<Value>,
) -> Result<Vec<Value>, LuaError> {
    let Some(Value::Str(msg)) = args.first().filter(|_| args.len() == 1) else {
        return Err(raise_err("wrong number or type of arguments"));
    };
    let mut t = Table::default();
    set_field(&mut t, "ok", Value::Str(msg.clone()));
    Ok(vec![interp.table(t)?])
}

fn redis_sha1hex(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Result<Vec<Value>, LuaError> {
    if args.len() != 1 {
        return Err(raise_err("wrong number of arguments"));
    }
    // Anything but a string or number hashes as the empty string, as in Redis.
    let s = arg(&args, 0).to_str().unwrap_or_else(|| Vec::new().into());
    Ok(vec![Value::str(sha1_hex(&s).as_bytes())])
}

fn redis_log(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Result<Vec<Value>, LuaError> {
    if args.len() < 2 {
        return Err(raise_err("redis.log() requires two arguments or more."));
    }
    if !matches!(arg(&args, 0), Value::Num(_)) {
        return Err(raise_err("First argument must be a number (log level)."));
    }
    // The engine keeps no server log; the message goes nowhere, as at a
    // level below `loglevel`.
    Ok(Vec::new())
}

fn redis_setresp(
    interp: &mut Interp<'_>,
    _: &[Cell],
    args: Vec<Value>,
) -> Result<Vec<Value>, LuaError> {
    if args.len() != 1 {
        return Err(raise_err("redis.setresp() requires one argument."));
    }
    let v = stdlib::check_int(&args, 0, "setresp")?;
    if v != 2 && v != 3 {
        return Err(raise_err("RESP version must be 2 or 3."));
    }
    let _ = interp;
    Ok(Vec::new())
}

fn redis_set_repl(
    _: &mut Interp<'_>,
    _: &[Cell],
    args: Vec<Value>,
) -> Result<Vec<Value>, LuaError> {
    if args.len() != 1 {
        return Err(raise_err("redis.set_repl() requires one argument."));
    }
    let v = stdlib::check_int(&args, 0, "set_repl")?;
    if !(0..=3).contains(&v) {
        return Err(raise_err(
            "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
        ));
    }
    Ok(Vec::new())
}
