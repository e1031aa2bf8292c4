//! Exact error strings: unknown commands and subcommands, arity, numbers, syntax.

use super::check;

#[test]
fn unknown_command_quotes_its_args() {
    check(
        &[
            "NOSUCH",
            "nosuch a b c",
            "NoSuch \"a\\r\\nb\"",
            "nosuch \"a\\x00b\" c",
            "\"\" a",
            "GET|X a",
            "CONFIG|GET maxmemory",
        ],
        r#"
        > NOSUCH
        (error) ERR unknown command 'NOSUCH', with args beginning with: 
        > nosuch a b c
        (error) ERR unknown command 'nosuch', with args beginning with: 'a' 'b' 'c' 
        > NoSuch "a\r\nb"
        (error) ERR unknown command 'NoSuch', with args beginning with: 'a  b' 
        > nosuch "a\x00b" c
        (error) ERR unknown command 'nosuch', with args beginning with: 'a' 'c' 
        > "" a
        (error) ERR unknown command '', with args beginning with: 'a' 
        > GET|X a
        (error) ERR unknown command 'GET|X', with args beginning with: 'a' 
        > CONFIG|GET maxmemory
        (error) ERR unknown command 'CONFIG|GET', with args beginning with: 'maxmemory' 
    "#,
    );
}

#[test]
fn unknown_command_cuts_args_after_128_bytes() {
    let many: Vec<String> = (0..60).map(|i| format!("arg{i}")).collect();
    let long = "x".repeat(200);
    let line1 = format!("nosuch {}", many.join(" "));
    let line2 = format!("nosuch {long}");
    let line3 = format!("{long} a");
    let line4 = format!("nosuch {} {} w", "y".repeat(120), "z".repeat(20));
    check(
        &[&line1, &line2, &line3, &line4],
        r#"
        > nosuch arg0 arg1 arg2 arg3 arg4 arg5 arg6 arg7 arg8 arg9 arg10 arg11 arg12 arg13 arg14 arg15 arg16 arg17 arg18 arg19 arg20 arg21 arg22 arg23 arg24 arg25 arg26 arg27 arg28 arg29 arg30 arg31 arg32 arg33 arg34 arg35 arg36 arg37 arg38 arg39 arg40 arg41 arg42 arg43 arg44 arg45 arg46 arg47 arg48 arg49 arg50 arg51 arg52 arg53 arg54 arg55 arg56 arg57 arg58 arg59
        (error) ERR unknown command 'nosuch', with args beginning with: 'arg0' 'arg1' 'arg2' 'arg3' 'arg4' 'arg5' 'arg6' 'arg7' 'arg8' 'arg9' 'arg10' 'arg11' 'arg12' 'arg13' 'arg14' 'arg15' 'arg16' 'ar' 
        > nosuch xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
        (error) ERR unknown command 'nosuch', with args beginning with: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' 
        > xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx a
        (error) ERR unknown command 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', with args beginning with: 'a' 
        > nosuch yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy zzzzzzzzzzzzzzzzzzzz w
        (error) ERR unknown command 'nosuch', with args beginning with: 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy' 'zzzzz' 
    "#,
    );
}

#[test]
fn unknown_subcommand() {
    check(
        &[
            "CLIENT nosuch",
            "config NoSuch a b",
            "OBJECT \"\" x",
            "COMMAND nosuch",
        ],
        r#"
        > CLIENT nosuch
        (error) ERR unknown subcommand 'nosuch'. Try CLIENT HELP.
        > config NoSuch a b
        (error) ERR unknown subcommand 'NoSuch'. Try CONFIG HELP.
        > OBJECT "" x
        (error) ERR unknown subcommand ''. Try OBJECT HELP.
        > COMMAND nosuch
        (error) ERR unknown subcommand 'nosuch'. Try COMMAND HELP.
    "#,
    );
}

#[test]
fn wrong_arity_uses_the_full_lower_case_name() {
    check(
        &[
            "GET",
            "get a b",
            "SET k",
            "Set",
            "CLIENT SETNAME",
            "client setname a b",
            "CONFIG GET",
            "config set a",
            "OBJECT ENCODING",
            "object",
            "MSET a",
            "MSETNX a b c",
        ],
        r#"
        > GET
        (error) ERR wrong number of arguments for 'get' command
        > get a b
        (error) ERR wrong number of arguments for 'get' command
        > SET k
        (error) ERR wrong number of arguments for 'set' command
        > Set
        (error) ERR wrong number of arguments for 'set' command
        > CLIENT SETNAME
        (error) ERR wrong number of arguments for 'client|setname' command
        > client setname a b
        (error) ERR wrong number of arguments for 'client|setname' command
        > CONFIG GET
        (error) ERR wrong number of arguments for 'config|get' command
        > config set a
        (error) ERR wrong number of arguments for 'config|set' command
        > OBJECT ENCODING
        (error) ERR wrong number of arguments for 'object|encoding' command
        > object
        (error) ERR wrong number of arguments for 'object' command
        > MSET a
        (error) ERR wrong number of arguments for 'mset' command
        > MSETNX a b c
        (error) ERR wrong number of arguments for 'msetnx' command
    "#,
    );
}

#[test]
fn number_errors() {
    check(
        &[
            "SET k abc",
            "INCR k",
            "INCRBY n abc",
            "SET m 9223372036854775807",
            "INCR m",
            "INCRBYFLOAT k 1",
            "INCRBYFLOAT n abc",
            "INCRBYFLOAT f inf",
            "EXPIRE k abc",
            "EXPIRE k 9223372036854775807",
            "SET k v EX 0",
            "SETEX k 0 v",
            "GETEX k PX 0",
            "GETRANGE k a b",
            "SETRANGE k -1 x",
            "SELECT abc",
            "SCAN abc",
        ],
        r#"
        > SET k abc
        OK
        > INCR k
        (error) ERR value is not an integer or out of range
        > INCRBY n abc
        (error) ERR value is not an integer or out of range
        > SET m 9223372036854775807
        OK
        > INCR m
        (error) ERR increment or decrement would overflow
        > INCRBYFLOAT k 1
        (error) ERR value is not a valid float
        > INCRBYFLOAT n abc
        (error) ERR value is not a valid float
        > INCRBYFLOAT f inf
        (error) ERR increment would produce NaN or Infinity
        > EXPIRE k abc
        (error) ERR value is not an integer or out of range
        > EXPIRE k 9223372036854775807
        (error) ERR invalid expire time in 'expire' command
        > SET k v EX 0
        (error) ERR invalid expire time in 'set' command
        > SETEX k 0 v
        (error) ERR invalid expire time in 'setex' command
        > GETEX k PX 0
        (error) ERR invalid expire time in 'getex' command
        > GETRANGE k a b
        (error) ERR value is not an integer or out of range
        > SETRANGE k -1 x
        (error) ERR offset is out of range
        > SELECT abc
        (error) ERR value is not an integer or out of range
        > SCAN abc
        (error) ERR invalid cursor
    "#,
    );
}

#[test]
fn syntax_errors() {
    check(
        &[
            "SET k v XX NX",
            "SET k v BOGUS",
            "GETEX k PERSIST EX 1",
            "COPY a b BOGUS",
            "SCAN 0 BOGUS",
            "FLUSHALL BOGUS",
            "LCS a b BOGUS",
        ],
        r#"
        > SET k v XX NX
        (error) ERR syntax error
        > SET k v BOGUS
        (error) ERR syntax error
        > GETEX k PERSIST EX 1
        (error) ERR syntax error
        > COPY a b BOGUS
        (error) ERR syntax error
        > SCAN 0 BOGUS
        (error) ERR syntax error
        > FLUSHALL BOGUS
        (error) ERR syntax error
        > LCS a b BOGUS
        (error) ERR syntax error
    "#,
    );
}

#[test]
fn wrongtype_for_string_commands_on_other_types() {
    check(
        &[
            "RPUSH l a b",
            "HSET h f v",
            "GET l",
            "GETDEL l",
            "GETEX h EX 0",
            "GETSET h v",
            "APPEND l x",
            "STRLEN h",
            "GETRANGE l 0 -1",
            "SETRANGE h 0 x",
            "INCR l",
            "INCRBYFLOAT h 1",
            "LCS l h",
            "SET l v GET",
            "TYPE l",
            "MGET l h nosuch",
            "SETNX l v",
            "SET l v",
            "TYPE l",
            "GET l",
        ],
        r#"
        > RPUSH l a b
        (integer) 2
        > HSET h f v
        (integer) 1
        > GET l
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > GETDEL l
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > GETEX h EX 0
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > GETSET h v
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > APPEND l x
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > STRLEN h
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > GETRANGE l 0 -1
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > SETRANGE h 0 x
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > INCR l
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > INCRBYFLOAT h 1
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > LCS l h
        (error) ERR The specified keys must contain string values
        > SET l v GET
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > TYPE l
        list
        > MGET l h nosuch
        1) (nil)
        2) (nil)
        3) (nil)
        > SETNX l v
        (integer) 0
        > SET l v
        OK
        > TYPE l
        string
        > GET l
        "v"
    "#,
    );
}

#[test]
fn a_rejected_exec_aborts_the_transaction() {
    check(
        &[
            "EXEC extra",
            "MULTI",
            "SET k v",
            "EXEC extra",
            "EXEC",
            "GET k",
        ],
        r#"
        > EXEC extra
        (error) EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command
        > MULTI
        OK
        > SET k v
        QUEUED
        > EXEC extra
        (error) EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command
        > EXEC
        (error) ERR EXEC without MULTI
        > GET k
        (nil)
    "#,
    );
}
