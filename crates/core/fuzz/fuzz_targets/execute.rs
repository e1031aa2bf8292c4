//! Feeds arbitrary command sequences to the engine: it must never panic.
//!
//! Input format: commands separated by 0x00, arguments by 0x01. The first
//! byte of each command picks a real command name from the command table
//! (so the fuzzer reaches real handlers instead of "unknown command"), and
//! the remaining arguments are taken verbatim. The clock advances by a few
//! milliseconds per command, driven by the input, so expiry paths run too.
//! An argument that starts with 0x02 becomes a word of the command table's
//! syntax (`WITHSCORES`, `NX`, `BYLEX`, a subcommand's name, ...) picked by its
//! next two bytes, so options are one mutation away instead of ten.
#![no_main]

use cachelab_core::{cli, table, Engine};
use libfuzzer_sys::fuzz_target;

fn name_bytes<T: AsRef<[u8]> + ?Sized>(name: &T) -> Vec<u8> {
    name.as_ref().to_vec()
}

/// Every upper-case word of every command's and subcommand's syntax, and every
/// subcommand name.
fn syntax_words() -> Vec<Vec<u8>> {
    let mut words = std::collections::BTreeSet::new();
    for spec in table::COMMANDS {
        for s in std::iter::once(spec).chain(spec.subcommands) {
            words.insert(s.name.to_ascii_uppercase().into_bytes());
            for word in s.syntax.split(|c: char| !c.is_ascii_alphanumeric() && c != '-') {
                if word.len() > 1 && word.bytes().all(|b| !b.is_ascii_lowercase()) {
                    words.insert(word.as_bytes().to_vec());
                }
            }
        }
    }
    words.into_iter().collect()
}

static WORDS: std::sync::LazyLock<Vec<Vec<u8>>> = std::sync::LazyLock::new(syntax_words);

fuzz_target!(|data: &[u8]| {
    // PFSELFTEST adds ten million elements: seconds per call, and no input of its own.
    let names: Vec<Vec<u8>> = table::COMMANDS
        .iter()
        .filter(|c| c.name != "pfselftest")
        .map(|c| name_bytes(c.name))
        .collect();
    if names.is_empty() {
        return;
    }
    let mut engine = Engine::new();
    let mut client = engine.new_client();
    let mut other = engine.new_client();
    let mut now_us: u64 = 1_700_000_000_000_000;

    for (i, command) in data.split(|&b| b == 0).enumerate() {
        let Some((&selector, rest)) = command.split_first() else {
            continue;
        };
        let mut argv: Vec<Vec<u8>> = Vec::new();
        // Selector bytes >= 0xf0 send the raw first argument instead, to
        // cover unknown commands and odd casing.
        if selector < 0xf0 {
            let idx = usize::from(selector) % names.len();
            let mut name = names[idx].clone();
            if selector & 0x80 != 0 {
                name.make_ascii_uppercase();
            }
            argv.push(name);
        }
        argv.extend(rest.split(|&b| b == 1).map(|a| match a {
            [2, hi, lo, ..] if !WORDS.is_empty() => {
                WORDS[usize::from(u16::from_be_bytes([*hi, *lo])) % WORDS.len()].clone()
            }
            _ => a.to_vec(),
        }));
        if selector < 0xf0 && argv.len() == 2 && argv[1].is_empty() {
            argv.pop();
        }

        now_us = now_us.wrapping_add(u64::from(selector % 16) * 1_000);
        let target = if i % 7 == 6 { &mut other } else { &mut client };
        let reply = engine.execute(target, argv, now_us);
        let _ = cli::format_reply(&reply);
        let _ = reply.to_resp();
    }
});
