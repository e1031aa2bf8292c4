//! COMMAND: COUNT, INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS, from the command table.

use super::is;
use super::server::help_reply;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::glob;
use crate::reply::Reply;
use crate::table::{self, key, BeginSearch, CommandSpec, FindKeys, KeySpec, COMMANDS};

fn all_specs() -> impl Iterator<Item = &'static CommandSpec> {
    COMMANDS.iter()
}

fn command_info_reply(c: &CommandSpec) -> Reply {
    let statuses = |names: Vec<&str>| {
        Reply::Array(
            names
                .into_iter()
                .map(|f| Reply::Status(f.to_string()))
                .collect(),
        )
    };
    Reply::Array(vec![
        Reply::bulk(c.full_name()),
        Reply::Integer(i64::from(c.arity)),
        statuses(c.flag_names()),
        Reply::Integer(i64::from(c.first_key)),
        Reply::Integer(i64::from(c.last_key)),
        Reply::Integer(i64::from(c.key_step)),
        statuses(c.acl_categories()),
        Reply::Set(c.tips.iter().map(|t| Reply::bulk(*t)).collect()),
        Reply::Set(c.key_specs.iter().map(key_spec_reply).collect()),
        if c.shows_subcommands() {
            Reply::Array(c.subcommands.iter().map(command_info_reply).collect())
        } else {
            Reply::Set(Vec::new())
        },
    ])
}

fn key_flags_reply(flags: u32) -> Reply {
    Reply::Array(
        key::names(flags)
            .map(|n| Reply::Status(n.to_string()))
            .collect(),
    )
}

fn key_spec_reply(k: &KeySpec) -> Reply {
    let map = |pairs: Vec<(&str, Reply)>| {
        Reply::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (Reply::bulk(k), v))
                .collect(),
        )
    };
    let int = |n: i32| Reply::Integer(i64::from(n));
    let search = |kind: &str, spec: Vec<(&str, Reply)>| {
        map(vec![("type", Reply::bulk(kind)), ("spec", map(spec))])
    };
    let begin = match k.begin {
        BeginSearch::Index(i) => search("index", vec![("index", int(i))]),
        BeginSearch::Keyword { keyword, startfrom } => search(
            "keyword",
            vec![
                ("keyword", Reply::bulk(keyword)),
                ("startfrom", int(startfrom)),
            ],
        ),
        BeginSearch::Unknown => search("unknown", vec![]),
    };
    let find = match k.find {
        FindKeys::Range {
            lastkey,
            keystep,
            limit,
        } => search(
            "range",
            vec![
                ("lastkey", int(lastkey)),
                ("keystep", int(keystep)),
                ("limit", int(limit)),
            ],
        ),
        FindKeys::Keynum {
            keynumidx,
            firstkey,
            keystep,
        } => search(
            "keynum",
            vec![
                ("keynumidx", int(keynumidx)),
                ("firstkey", int(firstkey)),
                ("keystep", int(keystep)),
            ],
        ),
        FindKeys::Unknown => search("unknown", vec![]),
    };
    let mut pairs = Vec::new();
    if !k.notes.is_empty() {
        pairs.push(("notes", Reply::bulk(k.notes)));
    }
    pairs.push(("flags", key_flags_reply(k.flags)));
    pairs.push(("begin_search", begin));
    pairs.push(("find_keys", find));
    map(pairs)
}

/// COMMAND with no subcommand: every command's details.
pub fn command_all(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Array(all_specs().map(command_info_reply).collect()))
}

pub fn command_count(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(COMMANDS.len() as i64))
}

pub fn command_info(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() == 2 {
        return Ok(Reply::Array(all_specs().map(command_info_reply).collect()));
    }
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|n| table::lookup_full_name(n).map_or(Reply::Nil, command_info_reply))
            .collect(),
    ))
}

/// One argument of COMMAND DOCS, from our syntax notation: `[...]` is optional,
/// `A|B` is a oneof, several words make a block, an UPPERCASE word is a pure token.
/// redis-cli builds its hints from this, so oneof and block always carry a nested
/// `arguments` list.
fn doc_arg(text: &str) -> Reply {
    let optional = text.starts_with('[') && text.ends_with(']');
    let inner = if optional {
        &text[1..text.len() - 1]
    } else {
        text
    };
    let mut m = doc_arg_body(inner);
    if optional {
        m.push(Reply::bulk("flags"));
        m.push(Reply::Array(vec![Reply::Status("optional".into())]));
    }
    flat_to_map(m)
}

fn doc_arg_body(text: &str) -> Vec<Reply> {
    let name_of = |t: &str| {
        t.trim_matches(|c| c == '[' || c == ']')
            .replace([' ', '|'], "_")
            .to_ascii_lowercase()
    };
    let alternatives = split_top(text, '|');
    if alternatives.len() > 1 {
        let nested: Vec<Reply> = alternatives
            .iter()
            .map(|a| flat_to_map(doc_arg_body(a)))
            .collect();
        return vec![
            Reply::bulk("name"),
            Reply::bulk(name_of(text)),
            Reply::bulk("type"),
            Reply::bulk("oneof"),
            Reply::bulk("arguments"),
            Reply::Array(nested),
        ];
    }
    let words = split_top(text, ' ');
    if words.len() > 1 {
        let nested: Vec<Reply> = words.iter().map(|w| doc_arg(w)).collect();
        return vec![
            Reply::bulk("name"),
            Reply::bulk(name_of(text)),
            Reply::bulk("type"),
            Reply::bulk("block"),
            Reply::bulk("arguments"),
            Reply::Array(nested),
        ];
    }
    let word = text.trim();
    let is_token = word.chars().any(|c| c.is_ascii_uppercase())
        && !word.chars().any(|c| c.is_ascii_lowercase());
    if is_token {
        return vec![
            Reply::bulk("name"),
            Reply::bulk(word.to_ascii_lowercase()),
            Reply::bulk("type"),
            Reply::bulk("pure-token"),
            Reply::bulk("token"),
            Reply::bulk(word),
        ];
    }
    let kind = if matches!(
        word,
        "key" | "newkey" | "source" | "destination" | "dst" | "src" | "key1" | "key2"
    ) {
        "key"
    } else {
        "string"
    };
    let mut m = vec![
        Reply::bulk("name"),
        Reply::bulk(word),
        Reply::bulk("type"),
        Reply::bulk(kind),
    ];
    if kind == "string" {
        m.push(Reply::bulk("display_text"));
        m.push(Reply::bulk(word));
    } else {
        m.push(Reply::bulk("key_spec_index"));
        m.push(Reply::Integer(0));
    }
    m
}

/// Splits on `sep` outside brackets.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        match ch {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if c == sep && depth == 0 => {
                if i > start {
                    out.push(&text[start..i]);
                }
                start = i + ch.len_utf8();
            }
            _ => {}
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// A map built from a flat `[k1, v1, k2, v2, ...]` list (a trailing odd item is dropped).
fn flat_to_map(flat: Vec<Reply>) -> Reply {
    let mut it = flat.into_iter();
    let mut pairs = Vec::new();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        pairs.push((k, v));
    }
    Reply::Map(pairs)
}

fn command_docs_reply(c: &CommandSpec) -> Reply {
    let mut doc = vec![
        Reply::bulk("summary"),
        Reply::bulk(c.summary),
        Reply::bulk("since"),
        Reply::bulk(c.since),
        Reply::bulk("group"),
        Reply::bulk(c.group.name()),
    ];
    if !c.complexity.is_empty() {
        doc.push(Reply::bulk("complexity"));
        doc.push(Reply::bulk(c.complexity));
    }
    let args = table::syntax_tokens(c.syntax);
    if !args.is_empty() {
        doc.push(Reply::bulk("arguments"));
        let mut out: Vec<Reply> = Vec::new();
        for (i, a) in args.iter().enumerate() {
            // "[key ...]" right after "key" marks the previous argument as repeatable.
            if a.ends_with("...]") && i > 0 {
                if let Some(Reply::Array(prev)) = out.last_mut() {
                    prev.push(Reply::bulk("flags"));
                    prev.push(Reply::Array(vec![Reply::Status("multiple".into())]));
                }
                continue;
            }
            out.push(doc_arg(a));
        }
        doc.push(Reply::Array(out));
    }
    if c.shows_subcommands() {
        doc.push(Reply::bulk("subcommands"));
        let mut subs = Vec::new();
        for s in c.subcommands {
            subs.push(Reply::bulk(s.full_name()));
            subs.push(command_docs_reply(s));
        }
        doc.push(flat_to_map(subs));
    }
    flat_to_map(doc)
}

pub fn command_docs(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut out = Vec::new();
    let specs: Vec<&CommandSpec> = if argv.len() == 2 {
        all_specs().collect()
    } else {
        argv[2..]
            .iter()
            .filter_map(|n| table::lookup_full_name(n))
            .collect()
    };
    for c in specs {
        out.push(Reply::bulk(c.full_name()));
        out.push(command_docs_reply(c));
    }
    Ok(flat_to_map(out))
}

/// Every command, then each of its subcommands, as COMMAND LIST walks them.
fn listed_specs() -> impl Iterator<Item = &'static CommandSpec> {
    all_specs().flat_map(|c| {
        let subs = if c.shows_subcommands() {
            c.subcommands
        } else {
            &[]
        };
        std::iter::once(c).chain(subs)
    })
}

pub fn command_list(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let name = |c: &CommandSpec| Reply::bulk(c.full_name());
    if argv.len() == 2 {
        return Ok(Reply::Array(listed_specs().map(name).collect()));
    }
    if argv.len() != 5 || !is(&argv[2], "filterby") {
        return Err(CmdError::Syntax);
    }
    let value = &argv[4];
    let keep: Vec<Reply> = if is(&argv[3], "pattern") {
        listed_specs()
            .filter(|c| glob::matches(value, c.full_name().as_bytes(), true))
            .map(name)
            .collect()
    } else if is(&argv[3], "aclcat") {
        let cat = format!("@{}", String::from_utf8_lossy(value).to_ascii_lowercase());
        listed_specs()
            .filter(|c| c.acl_categories().contains(&cat.as_str()))
            .map(name)
            .collect()
    } else if is(&argv[3], "module") {
        Vec::new()
    } else {
        return Err(CmdError::Syntax);
    };
    Ok(Reply::Array(keep))
}

pub fn command_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "COMMAND",
        &[
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
        ],
    ))
}

pub fn command_getkeys(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    get_keys_reply(&argv, false)
}

pub fn command_getkeysandflags(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    get_keys_reply(&argv, true)
}

/// Redis's `getKeysSubcommandImpl`: `argv` is `COMMAND GETKEYS <full-command>`.
fn get_keys_reply(argv: &[Vec<u8>], with_flags: bool) -> CmdResult {
    let args = argv.get(2..).unwrap_or_default();
    let spec = args.first().and_then(|name| {
        let c = table::lookup(name)?;
        match args.get(1) {
            Some(sub) if c.shows_subcommands() => c.subcommand(sub),
            _ => Some(c),
        }
    });
    let Some(spec) = spec else {
        return Err(CmdError::err("Invalid command specified"));
    };
    if !table::has_keys(spec) {
        return Err(CmdError::err("The command has no key arguments"));
    }
    let argc = args.len();
    let arity_ok = if spec.arity >= 0 {
        argc == spec.arity as usize
    } else {
        argc >= spec.arity.unsigned_abs() as usize
    };
    if !arity_ok {
        return Err(CmdError::err(
            "Invalid number of arguments specified for command",
        ));
    }
    let keys = table::keys_of(spec, args);
    if keys.is_empty() {
        return Err(CmdError::err("Invalid arguments specified for command"));
    }
    Ok(Reply::Array(
        keys.into_iter()
            .filter_map(|(pos, flags)| {
                let name = Reply::bulk(args.get(pos)?.clone());
                Some(if with_flags {
                    Reply::Array(vec![name, key_flags_reply(flags)])
                } else {
                    name
                })
            })
            .collect(),
    ))
}
