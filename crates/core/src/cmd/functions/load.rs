//! Loading a library: its shebang, its code run once in the restricted
//! environment where `redis.register_function` records each function, and
//! the checks on names and flags.

use super::*;

/// How long a library may take to load (Redis's LOAD_TIMEOUT_MS).
const LOAD_TIMEOUT_MS: u64 = 500;

// ---- loading ------------------------------------------------------------------

/// `#!<engine> name=<library>` (functionExtractLibMetaData); returns the
/// library's name and the code after the shebang line.
pub(super) fn metadata(code: &[u8]) -> Result<(String, &[u8]), String> {
    if !code.starts_with(b"#!") {
        return Err("Missing library metadata".into());
    }
    let Some(end) = code.iter().position(|&b| b == b'\n') else {
        return Err("Invalid library metadata".into());
    };
    // sdssplitargs: spaces separate parts, quotes group them.
    let parts: Vec<String> = crate::cli::tokenize_bytes(&code[..end])
        .map_err(|_| "Invalid library metadata".to_string())?
        .into_iter()
        .map(|p| String::from_utf8_lossy(&p).into_owned())
        .collect();
    let Some(first) = parts.first() else {
        return Err("Invalid library metadata".into());
    };
    let engine = first.get(2..).unwrap_or_default();
    let mut name: Option<&str> = None;
    for part in &parts[1..] {
        // Bytes, not chars: the line may hold any UTF-8.
        let value = part
            .as_bytes()
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case(b"name="))
            .and_then(|_| part.get(5..));
        let Some(value) = value else {
            return Err(format!("Invalid metadata value given: {part}"));
        };
        if name.is_some() {
            return Err("Invalid metadata value, name argument was given multiple times".into());
        }
        name = Some(value);
    }
    let Some(name) = name else {
        return Err("Library name was not given".into());
    };
    if !valid_name(name.as_bytes()) {
        return Err(BAD_NAME.into());
    }
    if !engine.eq_ignore_ascii_case("lua") {
        return Err(format!("Engine '{engine}' not found"));
    }
    Ok((name.to_string(), &code[end..]))
}

const BAD_NAME: &str = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The host of a library while it loads: no commands, a short time limit.
struct LoadHost {
    clock: Clock,
}

impl Host for LoadHost {
    fn over_time(&mut self) -> bool {
        self.clock.over()
    }

    fn command(&mut self, _argv: Vec<Vec<u8>>) -> Reply {
        Reply::Error(b"ERR redis.call is not available while a library loads".to_vec())
    }
}

/// The globals a library loads with: only a restricted `redis` table,
/// whose missing fields are errors like missing globals.
fn load_globals(interp: &mut Interp<'_>) -> Result<Value, LuaError> {
    let mut redis = Table::default();
    set_field(
        &mut redis,
        "register_function",
        native("register_function", register_function),
    );
    set_field(&mut redis, "log", native("log", |_, _, _| Ok(Vec::new())));
    for (name, n) in [
        ("LOG_DEBUG", 0.0),
        ("LOG_VERBOSE", 1.0),
        ("LOG_NOTICE", 2.0),
        ("LOG_WARNING", 3.0),
    ] {
        set_field(&mut redis, name, Value::Num(n));
    }
    set_field(
        &mut redis,
        "REDIS_VERSION",
        Value::str(crate::cmd::server::REDIS_VERSION.as_bytes()),
    );
    set_field(
        &mut redis,
        "REDIS_VERSION_NUM",
        Value::Num(f64::from(0x0007_000f_u32)),
    );
    redis.meta = Some(error_metatable(interp)?);
    let redis = interp.table(redis)?;
    let mut globals = Table::default();
    set_field(&mut globals, "redis", redis);
    globals.meta = Some(error_metatable(interp)?);
    let globals = interp.table(globals)?;
    if let Value::Table(t) = &globals {
        stdlib::protect(t);
    }
    Ok(globals)
}

fn error_metatable(_: &mut Interp<'_>) -> Result<crate::lua::value::TableRef, LuaError> {
    Ok(stdlib::nonexistent_global_metatable())
}

/// Loads a library's code into `interp` in the restricted environment and
/// returns what it registered. Err is the text after `ERR ` of FUNCTION
/// LOAD's reply.
pub(super) fn load_into(interp: &mut Interp<'_>, code: &[u8]) -> Result<Vec<Registered>, String> {
    let proto = lua::compile(code, "user_function")
        .map_err(|m| format!("Error compiling function: {m}"))?;
    let globals = load_globals(interp)
        .map_err(|_| "Error registering functions: ERR not enough memory".to_string())?;
    let Value::Table(globals) = globals else {
        return Err("Error registering functions: ERR not enough memory".into());
    };
    let full = std::mem::replace(&mut interp.globals, globals);
    interp.registry = Some(Vec::new());
    let run = interp.run_function(&proto, Vec::new(), Vec::new());
    let registered = interp.registry.take().unwrap_or_default();
    let load_env = std::mem::replace(&mut interp.globals, full);
    if let Ok(mut t) = load_env.try_borrow_mut() {
        t.clear();
    }
    if let Err(e) = run {
        let msg = match e.into_value() {
            Value::Table(t) => match t.borrow().get_str("err") {
                Value::Str(s) => String::from_utf8_lossy(&s).into_owned(),
                _ => "ERR unknown error".into(),
            },
            Value::Str(s) => format!("ERR {}", String::from_utf8_lossy(&s)),
            other => format!("ERR {}", other.type_name()),
        };
        return Err(format!("Error registering functions: {msg}"));
    }
    if registered.is_empty() {
        return Err("No functions registered".into());
    }
    Ok(registered)
}

/// Compiles and runs a library's code once, to learn its functions.
pub(super) fn create_library(e: &Engine, code: &[u8]) -> Result<Library, String> {
    let (name, body) = metadata(code)?;
    let mut host = LoadHost {
        clock: Clock::start(e, LOAD_TIMEOUT_MS),
    };
    let mut interp = Interp::new(&mut host);
    interp.chunk = "user_function";
    interp.timeout_message = "FUNCTION LOAD timeout";
    let registered = load_into(&mut interp, body)?;
    let functions = registered
        .into_iter()
        .map(|r| FunctionInfo {
            name: String::from_utf8_lossy(&r.name).into_owned(),
            description: r.description.map(|d| d.to_vec()),
            flags: r.flags,
        })
        .collect();
    Ok(Library {
        name,
        code: code.to_vec(),
        functions,
    })
}

/// The libraries of an RDB file's FUNCTION2 records.
pub(crate) fn libraries_from_codes(e: &Engine, codes: &[Vec<u8>]) -> Result<Libraries, String> {
    let mut libs = Libraries::default();
    for code in codes {
        libs.add(create_library(e, code)?)?;
    }
    Ok(libs)
}

/// `redis.register_function(name, callback)` or
/// `redis.register_function{function_name=..., callback=..., flags=..., description=...}`.
fn register_function(
    interp: &mut Interp<'_>,
    _: &[Cell],
    args: Vec<Value>,
) -> Result<Vec<Value>, LuaError> {
    let fail = |m: &str| {
        let mut t = Table::default();
        set_field(
            &mut t,
            "err",
            Value::Str(format!("ERR {m}").into_bytes().into()),
        );
        LuaError::value(Value::new_table(t))
    };
    if interp.registry.is_none() {
        return Err(fail(
            "redis.register_function can only be called on FUNCTION LOAD command",
        ));
    }
    let reg = match args.len() {
        1 => named_args(&args[0]).map_err(&fail)?,
        2 => {
            let name = match &args[0] {
                v @ (Value::Str(_) | Value::Num(_)) => v.to_str(),
                _ => None,
            }
            .ok_or_else(|| fail("first argument to redis.register_function must be a string"))?;
            if !matches!(args[1], Value::Func(_)) {
                return Err(fail(
                    "second argument to redis.register_function must be a function",
                ));
            }
            Registered {
                name,
                callback: args[1].clone(),
                description: None,
                flags: 0,
            }
        }
        _ => return Err(fail("wrong number of arguments to redis.register_function")),
    };
    if !valid_name(&reg.name) {
        return Err(fail(BAD_NAME));
    }
    let registry = interp.registry.get_or_insert_with(Vec::new);
    if registry.iter().any(|r| r.name == reg.name) {
        return Err(fail("Function already exists in the library"));
    }
    registry.push(reg);
    Ok(Vec::new())
}

fn named_args(v: &Value) -> Result<Registered, &'static str> {
    let Value::Table(t) = v else {
        return Err("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
    };
    let t = t.borrow();
    let mut name: Option<LuaStr> = None;
    let mut description = None;
    let mut callback = None;
    let mut flags = 0;
    let mut key = Value::Nil;
    while let Ok(Some((k, v))) = t.next(&key) {
        let Value::Str(k_str) = &k else {
            return Err("named argument key given to redis.register_function is not a string");
        };
        match k_str.to_ascii_lowercase().as_slice() {
            b"function_name" => {
                match &v {
                    Value::Str(_) | Value::Num(_) => name = v.to_str(),
                    _ => return Err(
                        "function_name argument given to redis.register_function must be a string",
                    ),
                }
            }
            b"description" => {
                match &v {
                    Value::Str(_) | Value::Num(_) => description = v.to_str(),
                    _ => return Err(
                        "description argument given to redis.register_function must be a string",
                    ),
                }
            }
            b"callback" => match &v {
                Value::Func(_) => callback = Some(v.clone()),
                _ => {
                    return Err(
                        "callback argument given to redis.register_function must be a function",
                    )
                }
            },
            b"flags" => {
                let Value::Table(ft) = &v else {
                    return Err("flags argument to redis.register_function must be a table representing function flags");
                };
                let ft = ft.borrow();
                let mut i = 1;
                loop {
                    let f = ft.get_int(i);
                    let name = match &f {
                        Value::Nil => break,
                        Value::Str(_) | Value::Num(_) => f.to_str(),
                        _ => None,
                    };
                    let flag = name
                        .and_then(|n| script_flag::parse(&n))
                        .ok_or("unknown flag given")?;
                    flags |= flag;
                    i += 1;
                }
            }
            _ => return Err("unknown argument given to redis.register_function"),
        }
        key = k;
    }
    let name = name.ok_or("redis.register_function must get a function name argument")?;
    let callback = callback.ok_or("redis.register_function must get a callback argument")?;
    Ok(Registered {
        name,
        callback,
        description,
        flags,
    })
}
