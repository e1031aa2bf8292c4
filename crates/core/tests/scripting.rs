//! EVAL and SCRIPT through the engine: what the differential script can't
//! check against redis-server (limits that would crash or hang it, the
//! replication stream, WATCH, the PRNG from a fresh start), plus a few
//! exact replies.

use cachelab_core::{cli, Client, Engine, Reply};

/// 2023-11-14T22:13:20Z, in µs.
const T0: u64 = 1_700_000_000_000_000;

fn args(line: &str) -> Vec<Vec<u8>> {
    cli::tokenize(line).expect("test lines are well quoted")
}

fn run(e: &mut Engine, c: &mut Client, line: &str) -> String {
    cli::format_reply(&e.execute(c, args(line), T0))
}

fn eval(e: &mut Engine, c: &mut Client, script: &str) -> Reply {
    e.execute(
        c,
        vec![b"EVAL".to_vec(), script.as_bytes().to_vec(), b"0".to_vec()],
        T0,
    )
}

fn error_text(r: &Reply) -> String {
    match r {
        Reply::Error(e) => String::from_utf8_lossy(e).into_owned(),
        other => panic!("expected an error, got {other:?}"),
    }
}

fn setup() -> (Engine, Client) {
    let mut e = Engine::new();
    let c = e.new_client();
    (e, c)
}

#[test]
fn scripts_read_and_write_keys_and_convert_replies() {
    let (mut e, mut c) = setup();
    let r = e.execute(
        &mut c,
        args("EVAL \"redis.call('set', KEYS[1], ARGV[1]); return {redis.call('get', KEYS[1]), redis.call('incr', 'n'), 3.7, true, false, 'after'}\" 1 k v"),
        T0,
    );
    // Floats are truncated, true is 1 and false a nil reply (only nil ends the array).
    assert_eq!(
        cli::format_reply(&r),
        "1) \"v\"\n2) (integer) 1\n3) (integer) 3\n4) (integer) 1\n5) (nil)\n6) \"after\""
    );
    assert_eq!(run(&mut e, &mut c, "GET k"), "\"v\"");
}

#[test]
fn the_prng_starts_where_redis_starts_and_goes_on_across_scripts() {
    let (mut e, mut c) = setup();
    let r = eval(
        &mut e,
        &mut c,
        "return {tostring(math.random()), math.random(100), math.random(5, 10)}",
    );
    // A fresh redis-server 7.0.15 replies exactly this.
    assert_eq!(
        cli::format_reply(&r),
        "1) \"0.39646477363839\"\n2) (integer) 85\n3) (integer) 7"
    );
    let r = eval(&mut e, &mut c, "return tostring(math.random())");
    assert_eq!(cli::format_reply(&r), "\"0.44658343468168\"");
}

#[test]
fn a_runaway_script_is_stopped_and_the_engine_goes_on() {
    let (mut e, mut c) = setup();
    // Without a host stopwatch, each time check stands for about 1 ms.
    run(&mut e, &mut c, "CONFIG SET busy-reply-threshold 20");
    let r = eval(
        &mut e,
        &mut c,
        "redis.call('set', 'before', 1)\nwhile true do end",
    );
    let sha =
        cachelab_core::lua::sha1::sha1_hex(b"redis.call('set', 'before', 1)\nwhile true do end");
    assert_eq!(
        error_text(&r),
        // The loop on line 2 was running.
        format!("ERR Script killed by user with SCRIPT KILL... script: {sha}, on @user_script:2.")
    );
    // pcall can't catch the kill.
    let r = eval(
        &mut e,
        &mut c,
        "return pcall(function() while true do end end)",
    );
    assert!(
        error_text(&r).starts_with("ERR Script killed by user"),
        "{r:?}"
    );
    // Writes made before the stop stay; the engine answers as before.
    assert_eq!(run(&mut e, &mut c, "GET before"), "\"1\"");
    assert_eq!(
        run(&mut e, &mut c, "SCRIPT KILL"),
        "(error) NOTBUSY No scripts in execution right now."
    );
}

#[test]
fn deep_recursion_and_nesting_fail_cleanly_on_a_small_stack() {
    // The interpreter measures the stack it uses against a budget sized for
    // a 2 MB thread in debug builds (a 1 MB wasm stack in release ones), so
    // these must come back as errors, never overflow.
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let (mut e, mut c) = setup();
            let r = eval(&mut e, &mut c, "local function f(n) return 1 + f(n + 1) end return f(1)");
            let deep = error_text(&r);
            let r = eval(
                &mut e,
                &mut c,
                "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end return f(20)",
            );
            let fine = cli::format_reply(&r);
            let nested = format!("return {}1{}", "(".repeat(100), ")".repeat(100));
            let ok = cli::format_reply(&eval(&mut e, &mut c, &nested));
            let too_deep = format!("return {}1{}", "(".repeat(300), ")".repeat(300));
            let too_deep = error_text(&eval(&mut e, &mut c, &too_deep));
            let tables = format!("return #{}{}", "{".repeat(100), "}".repeat(100));
            let tables = cli::format_reply(&eval(&mut e, &mut c, &tables));
            (deep, fine, ok, too_deep, tables)
        })
        .expect("spawn");
    let (deep, fine, ok, too_deep, tables) = handle.join().expect("no stack overflow");
    assert!(
        deep.starts_with("ERR user_script:1: stack overflow script: "),
        "{deep}"
    );
    assert_eq!(fine, "(integer) 20");
    assert_eq!(ok, "(integer) 1");
    assert_eq!(
        too_deep,
        "ERR Error compiling script (new function): user_script:1: chunk has too many syntax levels"
    );
    assert_eq!(tables, "(integer) 1");
}

#[test]
fn memory_runs_out_cleanly() {
    let (mut e, mut c) = setup();
    let r = eval(
        &mut e,
        &mut c,
        "local s = 'x' for i = 1, 40 do s = s .. s end return #s",
    );
    assert!(
        error_text(&r).starts_with("ERR not enough memory script: "),
        "{r:?}"
    );
    let r = eval(&mut e, &mut c, "return #string.rep('x', 1e12)");
    assert!(
        error_text(&r).starts_with("ERR not enough memory script: "),
        "{r:?}"
    );
    let r = eval(
        &mut e,
        &mut c,
        "local t = {} for i = 1, 1e9 do t[i] = i end return #t",
    );
    assert!(
        error_text(&r).starts_with("ERR not enough memory script: "),
        "{r:?}"
    );
    assert_eq!(run(&mut e, &mut c, "PING"), "PONG");
}

#[test]
fn a_script_changing_a_watched_key_aborts_the_transaction() {
    let (mut e, mut c) = setup();
    let mut other = e.new_client();
    run(&mut e, &mut c, "WATCH w");
    run(
        &mut e,
        &mut other,
        "EVAL \"return redis.call('set', KEYS[1], 'x')\" 1 w",
    );
    run(&mut e, &mut c, "MULTI");
    run(&mut e, &mut c, "SET w mine");
    assert_eq!(run(&mut e, &mut c, "EXEC"), "(nil)");
    assert_eq!(run(&mut e, &mut c, "GET w"), "\"x\"");
}

#[test]
fn a_script_replicates_its_effects_in_a_transaction() {
    let mut e = Engine::new();
    e.accept_replicas();
    let mut replica = e.new_client();
    e.execute(&mut replica, args("SYNC"), T0);
    let mut c = e.new_client();
    e.take_replication_stream();
    run(&mut e, &mut c, "EVAL \"redis.call('set', 'a', 1); redis.call('get', 'a'); redis.call('incr', 'a'); return 1\" 0");
    let stream = String::from_utf8_lossy(&e.take_replication_stream()).replace("\r\n", " ");
    assert_eq!(
        stream,
        "*2 $6 SELECT $1 0 *1 $5 MULTI *3 $3 set $1 a $1 1 *2 $4 incr $1 a *1 $4 EXEC "
    );
    // A read-only script propagates nothing.
    run(&mut e, &mut c, "EVAL \"return redis.call('get', 'a')\" 0");
    assert!(e.take_replication_stream().is_empty());
}

#[test]
fn tables_that_point_at_themselves_are_freed_when_the_script_ends() {
    let (mut e, mut c) = setup();
    // Many scripts making cycles: each one's tables are cleared at its end
    // (nothing to assert on memory directly, but the script and its result
    // must be unaffected by the clearing).
    for _ in 0..100 {
        let r = eval(
            &mut e,
            &mut c,
            "local t = {} t.self = t local u = {t = t} t.u = u return #tostring(type(t.self.u.t))",
        );
        assert_eq!(cli::format_reply(&r), "(integer) 5");
    }
}

#[test]
fn script_cache_commands() {
    let (mut e, mut c) = setup();
    let sha = run(&mut e, &mut c, "SCRIPT LOAD \"return 'hi'\"");
    let sha = sha.trim_matches('"').to_string();
    assert_eq!(sha, cachelab_core::lua::sha1::sha1_hex(b"return 'hi'"));
    assert_eq!(run(&mut e, &mut c, &format!("EVALSHA {sha} 0")), "\"hi\"");
    assert_eq!(
        run(&mut e, &mut c, &format!("SCRIPT EXISTS {sha} abc")),
        "1) (integer) 1\n2) (integer) 0"
    );
    assert_eq!(run(&mut e, &mut c, "SCRIPT FLUSH"), "OK");
    assert_eq!(
        run(&mut e, &mut c, &format!("EVALSHA {sha} 0")),
        "(error) NOSCRIPT No matching script. Please use EVAL."
    );
    // A shebang's no-writes flag makes the script read-only.
    let r = e.execute(
        &mut c,
        vec![
            b"EVAL".to_vec(),
            b"#!lua flags=no-writes\nreturn redis.call('set', 'x', 1)".to_vec(),
            b"0".to_vec(),
        ],
        T0,
    );
    assert!(
        error_text(&r)
            .starts_with("ERR Write commands are not allowed from read-only scripts. script: "),
        "{r:?}"
    );
    // Line numbers count the shebang line.
    let r = e.execute(
        &mut c,
        vec![
            b"EVAL".to_vec(),
            b"#!lua\nreturn nosuch".to_vec(),
            b"0".to_vec(),
        ],
        T0,
    );
    assert!(
        error_text(&r).contains(
            "user_script:2: Script attempted to access nonexistent global variable 'nosuch'"
        ),
        "{r:?}"
    );
}

const LIB: &str = "#!lua name=lib\nredis.register_function('setget', function(keys, args) redis.call('set', keys[1], args[1]) return redis.call('get', keys[1]) end)";

fn load(e: &mut Engine, c: &mut Client, code: &str) -> String {
    cli::format_reply(&e.execute(
        c,
        vec![
            b"FUNCTION".to_vec(),
            b"LOAD".to_vec(),
            code.as_bytes().to_vec(),
        ],
        T0,
    ))
}

#[test]
fn functions_survive_debug_reload_and_travel_in_rdb_files() {
    let (mut e, mut c) = setup();
    assert_eq!(load(&mut e, &mut c, LIB), "\"lib\"");
    assert_eq!(run(&mut e, &mut c, "DEBUG RELOAD"), "OK");
    assert_eq!(run(&mut e, &mut c, "FCALL setget 1 k v"), "\"v\"");
    // A snapshot carries the libraries to a fresh engine.
    let rdb = cachelab_core::rdb::keyspace::save(&e, T0 / 1000);
    let mut fresh = Engine::new();
    cachelab_core::rdb::keyspace::load(&mut fresh, &rdb, T0 / 1000).expect("loads");
    let mut c2 = fresh.new_client();
    assert_eq!(run(&mut fresh, &mut c2, "FCALL setget 1 k w"), "\"w\"");
    assert_eq!(
        run(&mut fresh, &mut c2, "FUNCTION STATS").lines().last(),
        Some("      4) (integer) 1")
    );
}

#[test]
fn function_loads_replicate_and_calls_replicate_their_effects() {
    let mut e = Engine::new();
    e.accept_replicas();
    let mut replica = e.new_client();
    e.execute(&mut replica, args("SYNC"), T0);
    let mut c = e.new_client();
    e.take_replication_stream();
    load(&mut e, &mut c, LIB);
    let stream = String::from_utf8_lossy(&e.take_replication_stream()).into_owned();
    assert!(
        stream.contains("$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n"),
        "{stream:?}"
    );
    run(&mut e, &mut c, "FCALL setget 1 k v");
    let stream = String::from_utf8_lossy(&e.take_replication_stream()).replace("\r\n", " ");
    assert_eq!(stream, "*3 $3 set $1 k $1 v ");
}

#[test]
fn a_library_loads_again_for_every_call() {
    // The documented deviation: top-level locals start afresh on each FCALL
    // (Redis keeps them between calls).
    let (mut e, mut c) = setup();
    load(
        &mut e,
        &mut c,
        "#!lua name=counter\nlocal n = 0\nredis.register_function('bump', function() n = n + 1 return n end)",
    );
    assert_eq!(run(&mut e, &mut c, "FCALL bump 0"), "(integer) 1");
    assert_eq!(run(&mut e, &mut c, "FCALL bump 0"), "(integer) 1");
}

#[test]
fn a_runaway_library_load_is_stopped() {
    let (mut e, mut c) = setup();
    let r = load(
        &mut e,
        &mut c,
        "#!lua name=slow\nwhile true do end\nredis.register_function('f', function() end)",
    );
    assert_eq!(
        r,
        "(error) ERR Error registering functions: ERR FUNCTION LOAD timeout"
    );
    assert_eq!(run(&mut e, &mut c, "FUNCTION LIST"), "(empty array)");
}

#[test]
fn long_chains_of_tables_and_closures_are_freed_without_deep_recursion() {
    // Dropping a chain recursively would overflow the stack.
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let (mut e, mut c) = setup();
            let tables = eval(&mut e, &mut c, "local t = {} for i = 1, 200000 do t = {next = t} end return 1");
            let arrays = eval(&mut e, &mut c, "local t = {} for i = 1, 200000 do t = {t} end return 1");
            let closures = eval(
                &mut e,
                &mut c,
                "local f = function() return 0 end for i = 1, 100000 do local g = f f = function() return g end end return 1",
            );
            let cycle = eval(&mut e, &mut c, "local a = {} local b = {a} a[1] = b return a");
            (tables, arrays, closures, cli::format_reply(&cycle))
        })
        .expect("spawn");
    let (tables, arrays, closures, cycle) = handle.join().expect("no stack overflow");
    for r in [tables, arrays, closures] {
        assert_eq!(cli::format_reply(&r), "(integer) 1");
    }
    // A table that holds itself nests until Redis's "reached lua stack limit".
    assert!(
        cycle.ends_with("(error) ERR reached lua stack limit"),
        "{}",
        &cycle[cycle.len() - 80..]
    );
}

#[test]
fn syntax_errors_inside_nested_bodies_in_loops_are_reported() {
    // Found by fuzzing: an error in a function body inside a loop body
    // left the parser's loop count to underflow.
    let (mut e, mut c) = setup();
    let r = eval(
        &mut e,
        &mut c,
        "while 1 do local f = function() return end end end",
    );
    assert_eq!(
        error_text(&r),
        "ERR Error compiling script (new function): user_script:1: '<eof>' expected near 'end'"
    );
    let r = eval(&mut e, &mut c, "for i = 1, 2 do local f = function[ end");
    assert_eq!(
        error_text(&r),
        "ERR Error compiling script (new function): user_script:1: '(' expected near '['"
    );
}

/// `redis.setresp(3)` and RESP3 callers: the bytes redis-server 7.0.15 sent
/// a `HELLO 3` client for each script (the differential script covers what
/// a RESP2 caller sees).
#[test]
fn resp3_shapes_reach_a_resp3_caller() {
    let (mut e, mut c) = setup();
    for line in [
        "HELLO 3",
        "HSET h1 f v",
        "ZADD z1 1.5 a",
        "SADD s1 m",
        "GEOADD g1 13.361389 38.115556 palermo",
    ] {
        e.execute(&mut c, args(line), T0);
    }
    let cases: &[(&str, &str, &[u8])] = &[
        (
            "redis.setresp(3); return redis.call('hgetall', KEYS[1])",
            "h1",
            b"%1\r\n$1\r\nf\r\n$1\r\nv\r\n",
        ),
        (
            "return redis.call('hgetall', KEYS[1])",
            "h1",
            b"*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
        ),
        (
            "redis.setresp(3); return redis.call('smembers', KEYS[1])",
            "s1",
            b"~1\r\n$1\r\nm\r\n",
        ),
        (
            "redis.setresp(3); return redis.call('zscore', KEYS[1], 'a')",
            "z1",
            b",1.5\r\n",
        ),
        (
            "return redis.call('zscore', KEYS[1], 'a')",
            "z1",
            b"$3\r\n1.5\r\n",
        ),
        (
            "redis.setresp(3); return redis.call('zrange', KEYS[1], 0, -1, 'withscores')",
            "z1",
            b"*1\r\n*2\r\n$1\r\na\r\n,1.5\r\n",
        ),
        (
            "redis.setresp(3); return redis.call('geopos', KEYS[1], 'palermo', 'nowhere')",
            "g1",
            b"*1\r\n*2\r\n,13.361389338970184\r\n,38.115556395496299\r\n",
        ),
        ("redis.setresp(3); return true", "-", b"#t\r\n"),
        ("redis.setresp(3); return false", "-", b"#f\r\n"),
        ("return true", "-", b":1\r\n"),
        ("return false", "-", b"_\r\n"),
        ("return nil", "-", b"_\r\n"),
        (
            "redis.setresp(3); return redis.call('get', 'nokey')",
            "-",
            b"_\r\n",
        ),
        ("return {double=3.14}", "-", b",3.1400000000000001\r\n"),
        ("return {double=-1/0}", "-", b",-inf\r\n"),
        (
            "return {big_number='-123456789012345678901234567890'}",
            "-",
            b"(-123456789012345678901234567890\r\n",
        ),
        (
            "return {verbatim_string={format='txt', string='hello'}}",
            "-",
            b"=9\r\ntxt:hello\r\n",
        ),
        (
            "return {verbatim_string={format='x', string='a'}}",
            "-",
            b"=5\r\nx  :a\r\n",
        ),
        (
            "return {verbatim_string={format='markdown', string=''}}",
            "-",
            b"=4\r\nmar:\r\n",
        ),
        (
            "return {map={k={set={m=true}}}}",
            "-",
            b"%1\r\n$1\r\nk\r\n~1\r\n$1\r\nm\r\n",
        ),
        ("return {set={}}", "-", b"~0\r\n"),
        (
            "return {1, {map={a='b'}}, {double=0.5}}",
            "-",
            b"*3\r\n:1\r\n%1\r\n$1\r\na\r\n$1\r\nb\r\n,0.5\r\n",
        ),
    ];
    let mut failures = Vec::new();
    for (script, key, want) in cases {
        let argv = vec![
            b"EVAL".to_vec(),
            script.as_bytes().to_vec(),
            b"1".to_vec(),
            key.as_bytes().to_vec(),
        ];
        let mut got = Vec::new();
        e.execute(&mut c, argv, T0).write_resp_v(&mut got, 3);
        if got != *want {
            failures.push(format!(
                "{script}\n  got:  {:?}\n  want: {:?}",
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(want)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a host answers while a script is busy, without the engine.
#[test]
fn commands_meet_a_busy_script_as_in_redis() {
    use cachelab_core::{while_busy, RunningScript, WhileBusy};
    let eval = RunningScript {
        function: false,
        wrote: false,
    };
    let function = RunningScript {
        function: true,
        wrote: false,
    };
    let wrote = RunningScript {
        function: true,
        wrote: true,
    };
    let busy = |kill: &str| {
        WhileBusy::Reply(Reply::Error(
            format!("BUSY Redis is busy running a script. You can only call {kill} KILL or SHUTDOWN NOSAVE.").into_bytes(),
        ))
    };
    assert_eq!(while_busy(&args("GET k"), eval, None), busy("SCRIPT"));
    assert_eq!(while_busy(&args("GET k"), function, None), busy("FUNCTION"));
    assert_eq!(
        while_busy(&args("script kill"), eval, None),
        WhileBusy::Kill
    );
    assert_eq!(
        while_busy(&args("SCRIPT KILL"), function, None),
        busy("FUNCTION")
    );
    assert_eq!(
        while_busy(&args("FUNCTION KILL"), function, None),
        WhileBusy::Kill
    );
    assert!(matches!(
        while_busy(&args("SCRIPT KILL"), wrote, None),
        WhileBusy::Reply(Reply::Error(e)) if e.starts_with(b"UNKILLABLE ")
    ));
    assert_eq!(
        while_busy(&args("shutdown nosave"), wrote, None),
        WhileBusy::Shutdown
    );
    assert_eq!(
        while_busy(&args("SHUTDOWN SAVE"), eval, None),
        busy("SCRIPT")
    );
    // allow-busy commands run once the script is over, but MULTI opens the
    // transaction at once, and refused commands spoil it.
    assert_eq!(while_busy(&args("MULTI"), eval, None), WhileBusy::Wait);
    let (mut e, mut c) = setup();
    assert_eq!(
        while_busy(&args("MULTI"), eval, Some(&mut c)),
        WhileBusy::Reply(Reply::ok())
    );
    assert_eq!(
        while_busy(&args("INCR x"), eval, Some(&mut c)),
        busy("SCRIPT")
    );
    assert_eq!(
        while_busy(&args("QUIT"), eval, Some(&mut c)),
        WhileBusy::Quit
    );
    assert_eq!(run(&mut e, &mut c, "INCR x"), "QUEUED");
    assert_eq!(
        run(&mut e, &mut c, "EXEC"),
        "(error) EXECABORT Transaction discarded because of previous errors."
    );
    // A refused EXEC discards the transaction, and its WATCHes.
    assert_eq!(run(&mut e, &mut c, "WATCH w"), "OK");
    assert_eq!(run(&mut e, &mut c, "MULTI"), "OK");
    assert_eq!(
        while_busy(&args("EXEC"), eval, Some(&mut c)),
        WhileBusy::Reply(Reply::Error(
            b"EXECABORT Transaction discarded because of: BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.".to_vec()
        ))
    );
    let mut other = e.new_client();
    assert_eq!(run(&mut e, &mut other, "SET w changed"), "OK");
    assert_eq!(run(&mut e, &mut c, "MULTI"), "OK");
    assert_eq!(run(&mut e, &mut c, "INCR x"), "QUEUED");
    assert_eq!(run(&mut e, &mut c, "EXEC"), "1) (integer) 1");
    assert_eq!(while_busy(&args("HELLO 3"), eval, None), WhileBusy::Wait);
    // Unknown commands and wrong arity are refused as usual.
    assert_eq!(
        while_busy(&args("SCRIPT KILL now"), eval, None),
        WhileBusy::Reply(Reply::Error(
            b"ERR wrong number of arguments for 'script|kill' command".to_vec()
        ))
    );
}
