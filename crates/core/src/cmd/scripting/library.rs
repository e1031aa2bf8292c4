//! The `redis` table scripts see: `call`, `pcall`, `error_reply`,
//! `status_reply`, `sha1hex`, `log`, `setresp` and the rest.

use super::*;

pub(super) fn open_redis(interp: &mut Interp<'_>) {
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
    // lua_tonumber: a numeric string counts, anything else is 0.
    let v = args[0].to_number().map_or(0, |n| n as i32);
    if v != 2 && v != 3 {
        return Err(raise_err("RESP version must be 2 or 3."));
    }
    interp.host.set_protocol(v as u8);
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
