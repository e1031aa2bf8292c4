//! Fuzzes redis-cli's line tokenizer and reply formatter: neither may panic,
//! and a successfully tokenized line must re-tokenize to the same arguments
//! once each argument is re-quoted the way redis-cli prints bulk strings.
#![no_main]

use cachelab_core::{cli, Reply};
use libfuzzer_sys::fuzz_target;

/// Builds a reply tree from the tokens: shapes and values vary with the input.
fn reply_from(args: &[Vec<u8>]) -> Reply {
    let mut stack: Vec<Vec<Reply>> = vec![Vec::new()];
    for arg in args {
        let item = match arg.first().copied().unwrap_or(0) % 8 {
            0 => Reply::Status(String::from_utf8_lossy(arg).into_owned()),
            1 => Reply::Error(arg.to_vec()),
            2 => Reply::Integer(arg.len() as i64 - 3),
            3 => Reply::Nil,
            4 => Reply::NilArray,
            5 => {
                // Open a nested array.
                stack.push(Vec::new());
                continue;
            }
            6 if stack.len() > 1 => {
                // Close the innermost array.
                let inner = stack.pop().unwrap_or_default();
                Reply::Array(inner)
            }
            _ => Reply::Bulk(arg.clone()),
        };
        if let Some(top) = stack.last_mut() {
            top.push(item);
        }
    }
    while stack.len() > 1 {
        let inner = stack.pop().unwrap_or_default();
        if let Some(top) = stack.last_mut() {
            top.push(Reply::Array(inner));
        }
    }
    Reply::Array(stack.pop().unwrap_or_default())
}

fuzz_target!(|data: &[u8]| {
    // The console only ever sees UTF-8 lines.
    let line = String::from_utf8_lossy(data);
    let tokenized = cli::tokenize(&line);
    let bytes_tokenized = cli::tokenize_bytes(line.as_bytes());
    assert_eq!(tokenized, bytes_tokenized);

    if let Ok(args) = tokenized {
        // Quoting every argument as redis-cli displays it and tokenizing again
        // must give the arguments back (repr only emits escapes the tokenizer
        // understands).
        let requoted: Vec<String> = args.iter().map(|a| cli::repr(a)).collect();
        let again = cli::tokenize(&requoted.join(" "));
        assert_eq!(again.as_ref(), Ok(&args));

        let reply = reply_from(&args);
        let _ = cli::format_reply(&reply);
        for arg in &args {
            let _ = cli::format_reply(&Reply::Bulk(arg.clone()));
        }
    }
    let _ = cli::format_reply(&Reply::Bulk(data.to_vec()));
});
