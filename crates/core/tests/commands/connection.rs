//! PING ECHO QUIT RESET CLIENT SELECT TIME.

use super::check;

#[test]
fn ping() {
    check(
        &[
            "PING",
            "ping",
            "PING hello",
            "PING \"\"",
            "PING \"\\x00\\xff\"",
            "PING a b",
        ],
        r#"
        > PING
        PONG
        > ping
        PONG
        > PING hello
        "hello"
        > PING ""
        ""
        > PING "\x00\xff"
        "\x00\xff"
        > PING a b
        (error) ERR wrong number of arguments for 'ping' command
    "#,
    );
}

#[test]
fn echo() {
    check(
        &[
            "ECHO hi",
            "ECHO \"\"",
            "ECHO \"a\\r\\nb\"",
            "ECHO",
            "ECHO a b",
        ],
        r#"
        > ECHO hi
        "hi"
        > ECHO ""
        ""
        > ECHO "a\r\nb"
        "a\r\nb"
        > ECHO
        (error) ERR wrong number of arguments for 'echo' command
        > ECHO a b
        (error) ERR wrong number of arguments for 'echo' command
    "#,
    );
}

#[test]
fn quit_closes_the_connection_after_replying() {
    check(
        &[
            "SELECT 2",
            "SET k v",
            "QUIT",
            "GET k",
            "QUIT extra args",
            "DBSIZE",
        ],
        r#"
        > SELECT 2
        OK
        > SET k v
        OK
        > QUIT
        OK
        (connection closed)
        > GET k
        (nil)
        > QUIT extra args
        OK
        (connection closed)
        > DBSIZE
        (integer) 0
    "#,
    );
}

#[test]
fn reset_selects_db_0_and_forgets_the_name() {
    check(
        &[
            "SELECT 3",
            "CLIENT SETNAME named",
            "SET k v",
            "RESET",
            "CLIENT GETNAME",
            "GET k",
            "DBSIZE",
            "RESET x",
        ],
        r#"
        > SELECT 3
        OK
        > CLIENT SETNAME named
        OK
        > SET k v
        OK
        > RESET
        RESET
        > CLIENT GETNAME
        (nil)
        > GET k
        (nil)
        > DBSIZE
        (integer) 0
        > RESET x
        (error) ERR wrong number of arguments for 'reset' command
    "#,
    );
}

#[test]
fn client_setname_getname() {
    check(
        &[
            "CLIENT GETNAME",
            "CLIENT SETNAME conn-1",
            "CLIENT GETNAME",
            "client getname",
            "CLIENT SETNAME \"with space\"",
            "CLIENT SETNAME \"new\\nline\"",
            "CLIENT SETNAME \"caf\\xc3\\xa9\"",
            "CLIENT GETNAME",
            "CLIENT SETNAME \"\"",
            "CLIENT GETNAME",
            "CLIENT SETNAME",
            "CLIENT SETNAME a b",
            "CLIENT GETNAME x",
        ],
        r#"
        > CLIENT GETNAME
        (nil)
        > CLIENT SETNAME conn-1
        OK
        > CLIENT GETNAME
        "conn-1"
        > client getname
        "conn-1"
        > CLIENT SETNAME "with space"
        (error) ERR Client names cannot contain spaces, newlines or special characters.
        > CLIENT SETNAME "new\nline"
        (error) ERR Client names cannot contain spaces, newlines or special characters.
        > CLIENT SETNAME "caf\xc3\xa9"
        (error) ERR Client names cannot contain spaces, newlines or special characters.
        > CLIENT GETNAME
        "conn-1"
        > CLIENT SETNAME ""
        OK
        > CLIENT GETNAME
        (nil)
        > CLIENT SETNAME
        (error) ERR wrong number of arguments for 'client|setname' command
        > CLIENT SETNAME a b
        (error) ERR wrong number of arguments for 'client|setname' command
        > CLIENT GETNAME x
        (error) ERR wrong number of arguments for 'client|getname' command
    "#,
    );
}

#[test]
fn client_id_is_per_connection() {
    check(
        &[
            "CLIENT ID",
            "@client 2",
            "CLIENT ID",
            "@client 1",
            "CLIENT ID",
            "CLIENT ID x",
        ],
        r#"
        > CLIENT ID
        (integer) 1
        > @client 2
        > CLIENT ID
        (integer) 2
        > @client 1
        > CLIENT ID
        (integer) 1
        > CLIENT ID x
        (error) ERR wrong number of arguments for 'client|id' command
    "#,
    );
}

#[test]
fn client_names_are_per_connection() {
    check(
        &[
            "CLIENT SETNAME one",
            "@client 2",
            "CLIENT GETNAME",
            "CLIENT SETNAME two",
            "@client 1",
            "CLIENT GETNAME",
        ],
        r#"
        > CLIENT SETNAME one
        OK
        > @client 2
        > CLIENT GETNAME
        (nil)
        > CLIENT SETNAME two
        OK
        > @client 1
        > CLIENT GETNAME
        "one"
    "#,
    );
}

#[test]
fn client_unknown_subcommand() {
    check(
        &["CLIENT", "CLIENT NOSUCH", "client nosuch a b"],
        r#"
        > CLIENT
        (error) ERR wrong number of arguments for 'client' command
        > CLIENT NOSUCH
        (error) ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.
        > client nosuch a b
        (error) ERR unknown subcommand 'nosuch'. Try CLIENT HELP.
    "#,
    );
}

#[test]
fn select() {
    check(
        &[
            "SET k db0",
            "SELECT 1",
            "GET k",
            "SET k db1",
            "SELECT 0",
            "GET k",
            "SELECT 15",
            "SELECT 16",
            "SELECT -1",
            "SELECT x",
            "SELECT 1.5",
            "SELECT 01",
            "SELECT \" 1\"",
            "SELECT 2147483648",
            "SELECT",
            "SELECT 1 2",
        ],
        r#"
        > SET k db0
        OK
        > SELECT 1
        OK
        > GET k
        (nil)
        > SET k db1
        OK
        > SELECT 0
        OK
        > GET k
        "db0"
        > SELECT 15
        OK
        > SELECT 16
        (error) ERR DB index is out of range
        > SELECT -1
        (error) ERR DB index is out of range
        > SELECT x
        (error) ERR value is not an integer or out of range
        > SELECT 1.5
        (error) ERR value is not an integer or out of range
        > SELECT 01
        (error) ERR value is not an integer or out of range
        > SELECT " 1"
        (error) ERR value is not an integer or out of range
        > SELECT 2147483648
        (error) ERR value is out of range, value must between -2147483648 and 2147483647
        > SELECT
        (error) ERR wrong number of arguments for 'select' command
        > SELECT 1 2
        (error) ERR wrong number of arguments for 'select' command
    "#,
    );
}

#[test]
fn select_is_per_connection() {
    check(
        &[
            "SELECT 1",
            "SET k one",
            "@client 2",
            "GET k",
            "SET k zero",
            "@client 1",
            "GET k",
        ],
        r#"
        > SELECT 1
        OK
        > SET k one
        OK
        > @client 2
        > GET k
        (nil)
        > SET k zero
        OK
        > @client 1
        > GET k
        "one"
    "#,
    );
}

#[test]
fn time_reads_the_injected_clock() {
    check(
        &["TIME", "+1500ms", "TIME", "+1us", "TIME", "TIME x"],
        r#"
        > TIME
        1) "1700000000"
        2) "0"
        > +1500ms
        > TIME
        1) "1700000001"
        2) "500000"
        > +1us
        > TIME
        1) "1700000001"
        2) "500001"
        > TIME x
        (error) ERR wrong number of arguments for 'time' command
    "#,
    );
}

/// CLIENT LIST and CLIENT INFO: one line per client in connection order, with what
/// each last did (db, name, MULTI queue, subscriptions, last command) and the time
/// since it connected and since its last command, on the engine's clock.
#[test]
fn client_list_and_info() {
    check(
        &[
            "CLIENT INFO",
            "CLIENT SETNAME first",
            "@client 2",
            "SELECT 4",
            "SUBSCRIBE news",
            "@client 3",
            "MULTI",
            "SET k v",
            "GET k",
            "+5s",
            "@client 1",
            "CLIENT LIST",
            "CLIENT LIST TYPE pubsub",
            "CLIENT LIST TYPE normal",
            "CLIENT LIST TYPE master",
            "CLIENT LIST ID 3 2 99",
            "CLIENT INFO",
            "CLIENT LIST TYPE bogus",
            "CLIENT LIST ID two",
            "CLIENT LIST TYPE",
            "CLIENT INFO now",
        ],
        r#"
        > CLIENT INFO
        "id=1 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=0 argv-mem=10 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=10 events=r cmd=client|info user=default redir=-1 resp=2\n"
        > CLIENT SETNAME first
        OK
        > @client 2
        > SELECT 4
        OK
        > SUBSCRIBE news
        1) "subscribe"
        2) "news"
        3) (integer) 1
        > @client 3
        > MULTI
        OK
        > SET k v
        QUEUED
        > GET k
        QUEUED
        > +5s
        > @client 1
        > CLIENT LIST
        "id=1 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name=first age=5 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=0 argv-mem=10 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=10 events=r cmd=client|list user=default redir=-1 resp=2\nid=2 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name= age=5 idle=5 flags=P db=4 sub=1 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=subscribe user=default redir=-1 resp=2\nid=3 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name= age=5 idle=5 flags=x db=0 sub=0 psub=0 ssub=0 multi=2 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=49 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=49 events=r cmd=get user=default redir=-1 resp=2\n"
        > CLIENT LIST TYPE pubsub
        "id=2 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name= age=5 idle=5 flags=P db=4 sub=1 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=subscribe user=default redir=-1 resp=2\n"
        > CLIENT LIST TYPE normal
        "id=1 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name=first age=5 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=48 qbuf-free=0 argv-mem=20 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=20 events=r cmd=client|list user=default redir=-1 resp=2\nid=3 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name= age=5 idle=5 flags=x db=0 sub=0 psub=0 ssub=0 multi=2 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=49 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=49 events=r cmd=get user=default redir=-1 resp=2\n"
        > CLIENT LIST TYPE master
        ""
        > CLIENT LIST ID 3 2 99
        "id=3 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name= age=5 idle=5 flags=x db=0 sub=0 psub=0 ssub=0 multi=2 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=49 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=49 events=r cmd=get user=default redir=-1 resp=2\nid=2 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name= age=5 idle=5 flags=P db=4 sub=1 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=subscribe user=default redir=-1 resp=2\n"
        > CLIENT INFO
        "id=1 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name=first age=5 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=0 argv-mem=10 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=10 events=r cmd=client|info user=default redir=-1 resp=2\n"
        > CLIENT LIST TYPE bogus
        (error) ERR Unknown client type 'bogus'
        > CLIENT LIST ID two
        (error) ERR Invalid client ID
        > CLIENT LIST TYPE
        (error) ERR syntax error
        > CLIENT INFO now
        (error) ERR wrong number of arguments for 'client|info' command
    "#,
    );
}

/// CLIENT KILL: another client goes at once (out of the list, its subscriptions
/// and its wait with it); the caller survives its own filters unless SKIPME no.
#[test]
fn client_kill() {
    check(
        &[
            "@client 2",
            "SUBSCRIBE news",
            "@client 3",
            "CLIENT SETNAME third",
            "@client 1",
            "PUBLISH news hi",
            "CLIENT KILL TYPE pubsub",
            "PUBLISH news hi",
            "CLIENT KILL ID 3 TYPE pubsub",
            "CLIENT KILL ID 3",
            "CLIENT KILL ID 3",
            "CLIENT LIST",
            "@client 3",
            "PING",
            "@client 1",
            "CLIENT KILL 127.0.0.1:1",
            "CLIENT KILL ID 0",
            "CLIENT KILL TYPE pubsub SKIPME",
            "CLIENT KILL USER nobody",
            "CLIENT KILL TYPE normal",
            "CLIENT KILL TYPE normal SKIPME no",
            "PING",
        ],
        r#"
        > @client 2
        > SUBSCRIBE news
        1) "subscribe"
        2) "news"
        3) (integer) 1
        > @client 3
        > CLIENT SETNAME third
        OK
        > @client 1
        > PUBLISH news hi
        (integer) 1
        > CLIENT KILL TYPE pubsub
        (integer) 1
        > PUBLISH news hi
        (integer) 0
        > CLIENT KILL ID 3 TYPE pubsub
        (integer) 0
        > CLIENT KILL ID 3
        (integer) 1
        > CLIENT KILL ID 3
        (integer) 0
        > CLIENT LIST
        "id=1 addr=127.0.0.1:0 laddr=127.0.0.1:6379 fd=-1 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=0 argv-mem=10 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=10 events=r cmd=client|list user=default redir=-1 resp=2\n"
        > @client 3
        > PING
        (connection closed)
        > @client 1
        > CLIENT KILL 127.0.0.1:1
        (error) ERR No such client
        > CLIENT KILL ID 0
        (error) ERR client-id should be greater than 0
        > CLIENT KILL TYPE pubsub SKIPME
        (error) ERR syntax error
        > CLIENT KILL USER nobody
        (error) ERR No such user 'nobody'
        > CLIENT KILL TYPE normal
        (integer) 1
        > CLIENT KILL TYPE normal SKIPME no
        (integer) 1
        (connection closed)
        > PING
        PONG
    "#,
    );
}

/// MONITOR: a line per command other clients run (administrative ones left
/// out), none for a second MONITOR, and RESET ends it.
#[test]
fn monitor() {
    check(
        &[
            "@client 2",
            "MONITOR",
            "MONITOR",
            "@client 1",
            "SET k \"two words\"",
            "CONFIG SET maxmemory 0",
            "GET nosuchcommand extra",
            "NOSUCH",
            "MULTI",
            "MONITOR",
            "EXEC",
            "@client 2",
            "@read",
            "RESET",
            "@client 1",
            "PING",
            "@client 2",
            "@read",
        ],
        r#"
        > @client 2
        > MONITOR
        OK
        > MONITOR
        > @client 1
        > SET k "two words"
        OK
        > CONFIG SET maxmemory 0
        OK
        > GET nosuchcommand extra
        (error) ERR wrong number of arguments for 'get' command
        > NOSUCH
        (error) ERR unknown command 'NOSUCH', with args beginning with: 
        > MULTI
        OK
        > MONITOR
        QUEUED
        > EXEC
        1) (error) ERR MONITOR isn't allowed for DENY BLOCKING client
        > @client 2
        > @read
        1700000000.000000 [0 127.0.0.1:0] "SET" "k" "two words"
        1700000000.000000 [0 127.0.0.1:0] "MULTI"
        1700000000.000000 [0 127.0.0.1:0] "EXEC"
        > RESET
        RESET
        > @client 1
        > PING
        PONG
        > @client 2
        > @read
        (no messages)
    "#,
    );
}
