//! COMMAND: COUNT, INFO, DOCS, LIST, from the command table.

use super::is;
use super::server::help_reply;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::glob;
use crate::reply::Reply;
use crate::table::{self, CommandSpec, COMMANDS};

fn all_specs() -> impl Iterator<Item = &'static CommandSpec> {
    COMMANDS.iter()
}

fn command_info_reply(c: &CommandSpec) -> Reply {
    Reply::Array(vec![
        Reply::bulk(c.full_name()),
        Reply::Integer(i64::from(c.arity)),
        Reply::Array(
            c.flag_names()
                .into_iter()
                .map(|f| Reply::Status(f.to_string()))
                .collect(),
        ),
        Reply::Integer(i64::from(c.first_key)),
        Reply::Integer(i64::from(c.last_key)),
        Reply::Integer(i64::from(c.key_step)),
        Reply::Array(
            c.acl_categories()
                .into_iter()
                .map(|f| Reply::Status(f.to_string()))
                .collect(),
        ),
        Reply::Array(vec![]),
        Reply::Array(vec![]),
        Reply::Array(c.subcommands.iter().map(command_info_reply).collect()),
    ])
}

fn find_spec(name: &[u8]) -> Option<&'static CommandSpec> {
    let s = String::from_utf8_lossy(name).to_ascii_lowercase();
    match s.split_once('|') {
        Some((p, sub)) => table::lookup(p.as_bytes())?.subcommand(sub.as_bytes()),
        None => table::lookup(name),
    }
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
            .map(|n| find_spec(n).map_or(Reply::Nil, command_info_reply))
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
    if !c.subcommands.is_empty() {
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
        argv[2..].iter().filter_map(|n| find_spec(n)).collect()
    };
    for c in specs {
        out.push(Reply::bulk(c.full_name()));
        out.push(command_docs_reply(c));
    }
    Ok(flat_to_map(out))
}

pub fn command_list(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let names = all_specs().map(|c| c.name);
    if argv.len() == 2 {
        return Ok(Reply::Array(names.map(Reply::bulk).collect()));
    }
    if argv.len() != 5 || !is(&argv[2], "filterby") {
        return Err(CmdError::Syntax);
    }
    let value = &argv[4];
    let keep: Vec<Reply> = if is(&argv[3], "pattern") {
        all_specs()
            .filter(|c| glob::matches(value, c.name.as_bytes(), true))
            .map(|c| Reply::bulk(c.name))
            .collect()
    } else if is(&argv[3], "aclcat") {
        let cat = format!("@{}", String::from_utf8_lossy(value).to_ascii_lowercase());
        all_specs()
            .filter(|c| c.acl_categories().contains(&cat.as_str()))
            .map(|c| Reply::bulk(c.name))
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
            "    Return details about all commands.",
            "COUNT",
            "    Return the total number of commands.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about commands.",
            "INFO [<command-name> ...]",
            "    Return details about the given commands, or all of them.",
            "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
            "    Return a list of command names.",
        ],
    ))
}
