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

use std::rc::Rc;

use crate::engine::{resolve, Client, Engine, Exec};
use crate::error::{CmdError, CmdResult};
use crate::lua::interp::{ErrorKind, Host, Interp, LuaError};
use crate::lua::stdlib::{self, arg, check_str, native, set_field};
use crate::lua::value::{Cell, Table, Value};
use crate::lua::{self, sha1::sha1_hex};
use crate::reply::Reply;
use crate::table::flag;

/// The script cache (SCRIPT LOAD, and every EVAL): bodies by lower-case SHA-1.
#[derive(Clone, Debug, Default)]
pub struct Scripts {
    bodies: indexmap::IndexMap<String, Vec<u8>>,
    /// Redis's rand48 state: `math.random` goes on from script to script.
    rand48: u64,
}

impl Scripts {
    pub fn new() -> Scripts {
        Scripts {
            bodies: Default::default(),
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
    let proto = lua::compile(&shebang.code)
        .map_err(|m| CmdError::Custom(format!("ERR Error compiling script (new function): {m}")))?;
    if !by_sha {
        e.scripts.bodies.entry(sha.clone()).or_insert(body);
    }
    e.feed_monitors_now(c, &argv);
    let mut args = argv.into_iter().skip(3);
    let keys: Vec<Vec<u8>> = args.by_ref().take(numkeys as usize).collect();
    let rest: Vec<Vec<u8>> = args.collect();
    run(
        e,
        c,
        &proto,
        &sha,
        keys,
        rest,
        read_only || shebang.no_writes,
    )
}

/// A `#!lua flags=...` first line (Redis 7's script flags).
struct Shebang {
    code: Vec<u8>,
    no_writes: bool,
}

impl Shebang {
    fn parse(body: &[u8]) -> Result<Shebang, CmdError> {
        if !body.starts_with(b"#!") {
            return Ok(Shebang {
                code: body.to_vec(),
                no_writes: false,
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
        let mut no_writes = false;
        for part in parts {
            let Some(flags) = part.strip_prefix("flags=") else {
                return Err(CmdError::Custom(format!(
                    "ERR Unknown lua shebang option: {part}"
                )));
            };
            for f in flags.split(',').filter(|f| !f.is_empty()) {
                match f {
                    "no-writes" => no_writes = true,
                    "allow-oom" | "allow-stale" | "no-cluster" | "allow-cross-slot-keys" => {}
                    other => {
                        return Err(CmdError::Custom(format!(
                            "ERR Unexpected flag in script shebang: {other}"
                        )))
                    }
                }
            }
        }
        // The shebang line is skipped but still counts as line 1.
        Ok(Shebang {
            code: body[end..].to_vec(),
            no_writes,
        })
    }
}

pub fn script_load(e: &mut Engine, _c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let body = std::mem::take(&mut argv[2]);
    let sha = sha1_hex(&body);
    if !e.scripts.bodies.contains_key(&sha) {
        let shebang = Shebang::parse(&body)?;
        lua::compile(&shebang.code).map_err(|m| {
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
    read_only: bool,
    started: Option<u64>,
    checks: u64,
    limit_ms: u64,
}

impl Host for ScriptHost<'_> {
    fn over_time(&mut self) -> bool {
        self.checks += 1;
        match (self.started, self.e.stopwatch) {
            (Some(t0), Some(now)) => now().saturating_sub(t0) / 1000 > self.limit_ms,
            // About a millisecond of work per check.
            _ => self.checks > self.limit_ms,
        }
    }

    /// Runs one command for `redis.call`: the checks scriptCall makes, then
    /// the dispatcher's call. Errors come back as error replies.
    fn command(&mut self, argv: Vec<Vec<u8>>) -> Reply {
        let spec = match resolve(&argv) {
            Ok(s) => s,
            Err(CmdError::WrongArity(_)) => {
                return err_reply("Wrong number of args calling Redis command from script")
            }
            Err(_) => return err_reply("Unknown Redis command called from script"),
        };
        if spec.has_flag(flag::NOSCRIPT) {
            return err_reply("This Redis command is not allowed from script");
        }
        if spec.has_flag(flag::WRITE) {
            if self.read_only {
                return err_reply("Write commands are not allowed from read-only scripts.");
            }
            if self.e.is_replica()
                && !self.client.master
                && self.e.config_is("replica-read-only", "yes")
            {
                return Reply::Error(
                    b"READONLY You can't write against a read only replica.".to_vec(),
                );
            }
        }
        if self.e.config.maxmemory > 0
            && spec.has_flag(flag::DENYOOM)
            && !self.e.perform_evictions()
        {
            return Reply::Error(
                b"OOM command not allowed when used memory > 'maxmemory'.".to_vec(),
            );
        }
        match self.e.call(spec, &mut self.client, argv, false) {
            Exec::Reply(r) => r,
            Exec::Blocked | Exec::Postponed(_) => Reply::NilArray,
        }
    }
}

fn err_reply(msg: &str) -> Reply {
    Reply::Error(format!("ERR {msg}").into_bytes())
}

fn run(
    e: &mut Engine,
    caller: &mut Client,
    proto: &Rc<lua::ast::FuncProto>,
    sha: &str,
    keys: Vec<Vec<u8>>,
    args: Vec<Vec<u8>>,
    read_only: bool,
) -> CmdResult {
    let mut client = caller.clone();
    client.in_exec = true;
    client.tx = None;
    client.resp = 2;
    client.reply_off = false;
    client.reply_skip = false;
    let limit_ms = e
        .config
        .extra
        .get("busy-reply-threshold")
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let started = e.stopwatch.map(|now| now());
    let rand48 = e.scripts.rand48;
    let mut host = ScriptHost {
        e,
        client,
        read_only,
        started,
        checks: 0,
        limit_ms,
    };
    let (result, rand48) = {
        let mut interp = Interp::new(&mut host);
        interp.rand48 = rand48;
        stdlib::open(&mut interp);
        open_redis(&mut interp);
        let as_table = |interp: &mut Interp<'_>, items: Vec<Vec<u8>>| {
            let values = items.into_iter().map(|a| Value::Str(a.into())).collect();
            interp.table(Table::from_array(values))
        };
        let setup = as_table(&mut interp, keys).and_then(|k| {
            let a = as_table(&mut interp, args)?;
            Ok((k, a))
        });
        let result = setup.and_then(|(k, a)| {
            {
                let mut g = interp.globals.borrow_mut();
                set_field(&mut g, "KEYS", k);
                set_field(&mut g, "ARGV", a);
            }
            stdlib::protect(&interp.globals.clone());
            interp.run_function(proto, Vec::new(), Vec::new())
        });
        let reply = match result {
            Ok(values) => Ok(to_reply(values.into_iter().next().unwrap_or_default())),
            Err(err) => Err(script_error(&mut interp, err, sha)),
        };
        (reply, interp.rand48)
    };
    host.e.scripts.rand48 = rand48;
    result
}

/// The error reply of a failed script: Redis's error handler makes a table
/// `{err = "ERR <message>"}` of anything that isn't one already, then adds
/// ` script: <sha>, on @user_script:<line>.`.
fn script_error(interp: &mut Interp<'_>, err: LuaError, sha: &str) -> CmdError {
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
    out.extend_from_slice(format!(" script: {sha}, on @user_script:{line}.").as_bytes());
    CmdError::Raw(out)
}

// ---- conversions ---------------------------------------------------------------

/// A Lua value as the reply EVAL sends (luaReplyToRedisReply).
fn to_reply(v: Value) -> Reply {
    match v {
        Value::Str(s) => Reply::bulk(s.to_vec()),
        Value::Bool(true) => Reply::Integer(1),
        Value::Num(n) => Reply::Integer(n as i64),
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
                items.push(to_reply(v));
                i += 1;
            }
            Reply::Array(items)
        }
        _ => Reply::Nil,
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
    if let (true, Reply::Error(e)) = (raise, &reply) {
        let t = error_table(interp, e)?;
        return Err(LuaError::value(t));
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
    let s = check_str(&args, 0, "sha1hex")?;
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
