//! Feeds arbitrary scripts to EVAL (and libraries to FUNCTION LOAD): the
//! engine must never panic, overflow its stack or run away with memory,
//! whatever the script does.
//!
//! Input format: the first byte picks what to do with the rest. Most inputs
//! run as an EVAL body with two keys and two arguments; some are prefixed
//! with Lua fragments so the fuzzer starts from valid code that reaches the
//! libraries (string patterns, cjson, cmsgpack, struct, redis.call).
#![no_main]

use cachelab_core::Engine;
use libfuzzer_sys::fuzz_target;

/// Starting points the fuzzer would take long to find from scratch.
const PRELUDES: &[&[u8]] = &[
    b"",
    b"return ",
    b"return string.gsub(ARGV[1], ",
    b"return cjson.decode(",
    b"return cmsgpack.unpack(",
    b"return struct.unpack(",
    b"return redis.call('set', KEYS[1], ",
    b"local t = {} for i = 1, 10 do t[i] = ",
    b"return string.format(",
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut engine = Engine::new();
    let mut client = engine.new_client();
    // A short limit keeps runaway loops fast to stop.
    engine.execute(
        &mut client,
        vec![
            b"CONFIG".to_vec(),
            b"SET".to_vec(),
            b"busy-reply-threshold".to_vec(),
            b"20".to_vec(),
        ],
        1,
    );
    let prelude = PRELUDES[usize::from(mode) % PRELUDES.len()];
    let mut body = prelude.to_vec();
    body.extend_from_slice(rest);
    let argv = if mode >= 0xf0 {
        let mut code = b"#!lua name=fuzz\n".to_vec();
        code.extend_from_slice(&body);
        vec![b"FUNCTION".to_vec(), b"LOAD".to_vec(), code]
    } else {
        vec![
            b"EVAL".to_vec(),
            body,
            b"2".to_vec(),
            b"k1".to_vec(),
            b"k2".to_vec(),
            b"a1".to_vec(),
            b"2".to_vec(),
        ]
    };
    let _ = engine.execute(&mut client, argv, 2);
    // The engine still answers.
    let reply = engine.execute(&mut client, vec![b"PING".to_vec()], 3);
    assert_eq!(reply, cachelab_core::Reply::Status("PONG".into()));
});
