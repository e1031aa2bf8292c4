//! Redis 7 functions: FUNCTION LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/STATS/
//! KILL/HELP, FCALL and FCALL_RO.
//!
//! A library is Lua code that starts with `#!lua name=<library>` and, when
//! loaded, calls `redis.register_function` for each of its functions. It
//! loads in Redis's restricted environment: the only global is a `redis`
//! table with `register_function`, `log` and the version (anything else is
//! "nonexistent"); its functions later run with the whole API, getting KEYS
//! and ARGV as their two arguments.
//!
//! Deviation: the engine keeps a library's code, not a live Lua state (the
//! engine moves between threads; Lua values don't), so FCALL loads the
//! library again and calls the function. Locals a library keeps at its top
//! level therefore start afresh on every call, where Redis keeps them.

use indexmap::IndexMap;

use super::scripting::{self, script_flag, Clock};
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::lua::interp::{Host, Interp, LuaError, Registered};
use crate::lua::stdlib::{self, native, set_field};
use crate::lua::value::{Cell, LuaStr, Table, Value};
use crate::lua::{self};
use crate::reply::Reply;

mod load;

pub(crate) use load::libraries_from_codes;
use load::*;

/// One loaded library.
#[derive(Clone, Debug)]
pub struct Library {
    /// The name as its shebang gives it (names compare without case).
    pub name: String,
    /// The whole code, shebang included (FUNCTION LIST WITHCODE, DUMP).
    pub code: Vec<u8>,
    pub functions: Vec<FunctionInfo>,
}

#[derive(Clone, Debug)]
pub struct FunctionInfo {
    pub name: String,
    pub description: Option<Vec<u8>>,
    pub flags: u32,
}

/// The libraries, and which library each function belongs to. As in Redis
/// 7.0, library names are case-sensitive while function names are not
/// across libraries (FCALL finds `MyFn` as `myfn`): the function map is
/// keyed by the lower-cased name.
#[derive(Clone, Debug, Default)]
pub struct Libraries {
    pub libs: IndexMap<String, Library>,
    functions: IndexMap<String, String>,
}

fn key(name: &str) -> String {
    name.to_ascii_lowercase()
}

impl Libraries {
    fn function(&self, name: &str) -> Option<(&Library, &FunctionInfo)> {
        let lib = self.libs.get(self.functions.get(&key(name))?)?;
        let f = lib
            .functions
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))?;
        Some((lib, f))
    }

    fn contains(&self, name: &str) -> bool {
        self.libs.contains_key(name)
    }

    /// Adds (or replaces) a library; Err names a function another library
    /// already has.
    fn add(&mut self, lib: Library) -> Result<(), String> {
        let lib_key = lib.name.clone();
        if let Some(f) = lib.functions.iter().find(|f| {
            self.functions
                .get(&key(&f.name))
                .is_some_and(|l| *l != lib_key)
        }) {
            return Err(format!("Function {} already exists", f.name));
        }
        self.remove(&lib_key);
        for f in &lib.functions {
            self.functions.insert(key(&f.name), lib_key.clone());
        }
        self.libs.insert(lib_key, lib);
        Ok(())
    }

    fn remove(&mut self, name: &str) -> Option<Library> {
        let lib = self.libs.shift_remove(name)?;
        for f in &lib.functions {
            self.functions.shift_remove(&key(&f.name));
        }
        Some(lib)
    }

    pub fn clear(&mut self) {
        self.libs.clear();
        self.functions.clear();
    }

    /// Every library's code, for RDB files and FUNCTION DUMP.
    pub fn codes(&self) -> impl Iterator<Item = &[u8]> {
        self.libs.values().map(|l| l.code.as_slice())
    }
}

fn is(arg: &[u8], word: &str) -> bool {
    arg.eq_ignore_ascii_case(word.as_bytes())
}

pub fn function_load(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut replace = false;
    let mut i = 2;
    while i < argv.len() - 1 {
        if is(&argv[i], "replace") {
            replace = true;
            i += 1;
        } else {
            return Err(CmdError::Custom(format!(
                "ERR Unknown option given: {}",
                String::from_utf8_lossy(&argv[i])
            )));
        }
    }
    let Some(code) = argv.get(i) else {
        return Err(CmdError::err("Function code is missing"));
    };
    let (name, _) = metadata(code).map_err(|m| CmdError::Custom(format!("ERR {m}")))?;
    if !replace && e.scripts.libraries.contains(&name) {
        return Err(CmdError::Custom(format!(
            "ERR Library '{name}' already exists"
        )));
    }
    let lib = create_library(e, code).map_err(|m| CmdError::Custom(format!("ERR {m}")))?;
    e.scripts
        .libraries
        .add(lib)
        .map_err(|m| CmdError::Custom(format!("ERR {m}")))?;
    e.dirty += 1;
    Ok(Reply::bulk(name.into_bytes()))
}

pub fn function_delete(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let name = String::from_utf8_lossy(&argv[2]).into_owned();
    if e.scripts.libraries.remove(&name).is_none() {
        return Err(CmdError::err("Library not found"));
    }
    e.dirty += 1;
    Ok(Reply::ok())
}

pub fn function_flush(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() > 3 {
        return Err(super::subcommand_syntax_error("FUNCTION", &argv));
    }
    let ok = match argv.len() {
        2 => true,
        3 => is(&argv[2], "sync") || is(&argv[2], "async"),
        _ => false,
    };
    if !ok {
        return Err(CmdError::err(
            "FUNCTION FLUSH only supports SYNC|ASYNC option",
        ));
    }
    e.scripts.libraries.clear();
    e.dirty += 1;
    Ok(Reply::ok())
}

pub fn function_list(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut with_code = false;
    let mut pattern: Option<&[u8]> = None;
    let mut i = 2;
    while i < argv.len() {
        let a = &argv[i];
        if !with_code && is(a, "withcode") {
            with_code = true;
        } else if pattern.is_none() && is(a, "libraryname") {
            let Some(p) = argv.get(i + 1) else {
                return Err(CmdError::err("library name argument was not given"));
            };
            pattern = Some(p);
            i += 1;
        } else {
            return Err(CmdError::Custom(format!(
                "ERR Unknown argument {}",
                String::from_utf8_lossy(a)
            )));
        }
        i += 1;
    }
    let bulk = |s: &str| Reply::bulk(s.as_bytes().to_vec());
    let mut out = Vec::new();
    for lib in e.scripts.libraries.libs.values() {
        let name = &lib.name;
        if pattern.is_some_and(|p| !crate::glob::matches(p, name.as_bytes(), true)) {
            continue;
        }
        let functions = lib
            .functions
            .iter()
            .map(|f| {
                Reply::Map(vec![
                    (bulk("name"), bulk(&f.name)),
                    (
                        bulk("description"),
                        f.description.clone().map_or(Reply::Nil, Reply::bulk),
                    ),
                    (
                        bulk("flags"),
                        Reply::Set(
                            script_flag::NAMES
                                .iter()
                                .filter(|(flag, _)| f.flags & flag != 0)
                                .map(|(_, n)| Reply::Status((*n).to_string()))
                                .collect(),
                        ),
                    ),
                ])
            })
            .collect();
        let mut fields = vec![
            (bulk("library_name"), bulk(name)),
            (bulk("engine"), bulk("LUA")),
            (bulk("functions"), Reply::Array(functions)),
        ];
        if with_code {
            fields.push((bulk("library_code"), Reply::bulk(lib.code.clone())));
        }
        out.push(Reply::Map(fields));
    }
    Ok(Reply::Array(out))
}

pub fn function_stats(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    // No function is running when a command reaches the engine (a server
    // answers FUNCTION STATS itself while one runs long).
    Ok(stats_reply(Reply::Nil, e.function_counts()))
}

/// FUNCTION STATS while the function FCALL `argv` has run `duration_ms`.
pub fn running_function_stats(argv: &[Vec<u8>], duration_ms: u64, counts: (usize, usize)) -> Reply {
    let bulk = |s: &str| Reply::bulk(s.as_bytes().to_vec());
    let running = Reply::Map(vec![
        (
            bulk("name"),
            Reply::bulk(argv.get(1).cloned().unwrap_or_default()),
        ),
        (
            bulk("command"),
            Reply::Array(argv.iter().map(|a| Reply::bulk(a.clone())).collect()),
        ),
        (
            bulk("duration_ms"),
            Reply::Integer(i64::try_from(duration_ms).unwrap_or(i64::MAX)),
        ),
    ]);
    stats_reply(running, counts)
}

/// FUNCTION STATS's reply: the running function, and the Lua engine's
/// libraries and functions.
fn stats_reply(running: Reply, (libraries, functions): (usize, usize)) -> Reply {
    let bulk = |s: &str| Reply::bulk(s.as_bytes().to_vec());
    Reply::Map(vec![
        (bulk("running_script"), running),
        (
            bulk("engines"),
            Reply::Map(vec![(
                bulk("LUA"),
                Reply::Map(vec![
                    (bulk("libraries_count"), Reply::Integer(libraries as i64)),
                    (bulk("functions_count"), Reply::Integer(functions as i64)),
                ]),
            )]),
        ),
    ])
}

impl Engine {
    /// How many function libraries are loaded, and functions in them.
    pub fn function_counts(&self) -> (usize, usize) {
        let libs = &self.scripts.libraries.libs;
        (libs.len(), libs.values().map(|l| l.functions.len()).sum())
    }
}

pub fn function_kill(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    // As SCRIPT KILL: only reaches the engine when no function is running.
    Err(CmdError::Custom(
        "NOTBUSY No scripts in execution right now.".into(),
    ))
}

pub fn function_dump(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    let codes: Vec<Vec<u8>> = e.scripts.libraries.codes().map(<[u8]>::to_vec).collect();
    let opts = super::dump::encode_options(e);
    Ok(Reply::bulk(crate::rdb::dump_functions(&codes, &opts)))
}

pub fn function_restore(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    #[derive(PartialEq)]
    enum Policy {
        Flush,
        Append,
        Replace,
    }
    if argv.len() > 4 {
        return Err(super::subcommand_syntax_error("FUNCTION", &argv));
    }
    let policy = match argv.get(3) {
        None => Policy::Append,
        Some(p) if is(p, "flush") => Policy::Flush,
        Some(p) if is(p, "append") => Policy::Append,
        Some(p) if is(p, "replace") => Policy::Replace,
        Some(_) => {
            return Err(CmdError::err(
                "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
            ))
        }
    };
    let payload = &argv[2];
    if !crate::rdb::verify_payload(payload) {
        return Err(CmdError::err("DUMP payload version or checksum are wrong"));
    }
    let codes =
        crate::rdb::undump_functions(payload).map_err(|m| CmdError::Custom(format!("ERR {m}")))?;
    let mut loaded = Libraries::default();
    for code in &codes {
        let lib = create_library(e, code).map_err(|m| CmdError::Custom(format!("ERR {m}")))?;
        if loaded.contains(&lib.name) {
            return Err(CmdError::Custom(format!(
                "ERR Library {} already exists",
                lib.name
            )));
        }
        loaded
            .add(lib)
            .map_err(|m| CmdError::Custom(format!("ERR {m}")))?;
    }
    let mut merged = if policy == Policy::Flush {
        Libraries::default()
    } else {
        e.scripts.libraries.clone()
    };
    for lib in loaded.libs.into_values() {
        if policy == Policy::Append && merged.contains(&lib.name) {
            return Err(CmdError::Custom(format!(
                "ERR Library {} already exists",
                lib.name
            )));
        }
        merged
            .add(lib)
            .map_err(|m| CmdError::Custom(format!("ERR {m}")))?;
    }
    e.scripts.libraries = merged;
    e.dirty += 1;
    Ok(Reply::ok())
}

pub fn function_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(super::server::help_reply(
        "FUNCTION",
        &[
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).",
        ],
    ))
}

pub fn fcall(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    fcall_generic(e, c, argv, false)
}

pub fn fcall_ro(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    fcall_generic(e, c, argv, true)
}

fn fcall_generic(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, ro: bool) -> CmdResult {
    e.feed_monitors_now(c, &argv);
    let name = String::from_utf8_lossy(&argv[1]).into_owned();
    let Some((lib, f)) = e.scripts.libraries.function(&name) else {
        return Err(CmdError::err("Function not found"));
    };
    let (code, flags) = (lib.code.clone(), f.flags);
    let numkeys = crate::num::parse_i64(&argv[2])
        .ok_or_else(|| CmdError::err("Bad number of keys provided"))?;
    if numkeys > argv.len() as i64 - 3 {
        return Err(CmdError::err(
            "Number of keys can't be greater than number of args",
        ));
    }
    if numkeys < 0 {
        return Err(CmdError::err("Number of keys can't be negative"));
    }
    let mut mode = scripting::prepare(e, Some(flags), ro)?;
    mode.function = true;
    let mut rest = argv.into_iter().skip(3);
    let keys: Vec<Vec<u8>> = rest.by_ref().take(numkeys as usize).collect();
    let args: Vec<Vec<u8>> = rest.collect();
    let body = match metadata(&code) {
        Ok((_, body)) => body.to_vec(),
        Err(m) => return Err(CmdError::Custom(format!("ERR {m}"))),
    };
    scripting::run(
        e,
        c,
        &name,
        "user_function",
        keys,
        args,
        mode,
        |interp, k, a| {
            let registered = load_into(interp, &body).map_err(LuaError::msg)?;
            stdlib::protect(&interp.globals.clone());
            let callback = registered
                .into_iter()
                .find(|r| r.name.eq_ignore_ascii_case(name.as_bytes()))
                .map(|r| r.callback)
                .ok_or_else(|| LuaError::msg("Function not found"))?;
            interp.call_from_native(&callback, vec![k, a])
        },
    )
}
