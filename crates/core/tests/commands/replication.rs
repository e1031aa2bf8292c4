//! REPLICAOF, SLAVEOF and ROLE, and what a replica refuses (READONLY,
//! MASTERDOWN) when no master is reachable: the engine stays in the `connect`
//! state, as a Redis whose master does not answer.

use super::check;

#[test]
fn replicaof_replies_and_errors() {
    check(
        &[
            "ROLE",
            "REPLICAOF NO ONE",
            "SLAVEOF no one",
            "REPLICAOF 127.0.0.1 abc",
            "REPLICAOF 127.0.0.1 65536",
            "REPLICAOF 127.0.0.1 -1",
            "REPLICAOF 127.0.0.1 01",
            "REPLICAOF 127.0.0.1",
            "SLAVEOF no one extra",
            "ROLE x",
            "REPLICAOF no 1",
            "ROLE",
            "REPLICAOF 127.0.0.1 1",
            "REPLICAOF 127.0.0.1 1",
            "SLAVEOF 127.0.0.1 1",
            "REPLICAOF 127.0.0.1 2",
            "ROLE",
            "REPLICAOF NO ONE",
            "ROLE",
        ],
        r#"
        > ROLE
        1) "master"
        2) (integer) 0
        3) (empty array)
        > REPLICAOF NO ONE
        OK
        > SLAVEOF no one
        OK
        > REPLICAOF 127.0.0.1 abc
        (error) ERR Invalid master port
        > REPLICAOF 127.0.0.1 65536
        (error) ERR Invalid master port
        > REPLICAOF 127.0.0.1 -1
        (error) ERR Invalid master port
        > REPLICAOF 127.0.0.1 01
        (error) ERR Invalid master port
        > REPLICAOF 127.0.0.1
        (error) ERR wrong number of arguments for 'replicaof' command
        > SLAVEOF no one extra
        (error) ERR wrong number of arguments for 'slaveof' command
        > ROLE x
        (error) ERR wrong number of arguments for 'role' command
        > REPLICAOF no 1
        OK
        > ROLE
        1) "slave"
        2) "no"
        3) (integer) 1
        4) "connect"
        5) (integer) -1
        > REPLICAOF 127.0.0.1 1
        OK
        > REPLICAOF 127.0.0.1 1
        OK Already connected to specified master
        > SLAVEOF 127.0.0.1 1
        OK Already connected to specified master
        > REPLICAOF 127.0.0.1 2
        OK
        > ROLE
        1) "slave"
        2) "127.0.0.1"
        3) (integer) 2
        4) "connect"
        5) (integer) -1
        > REPLICAOF NO ONE
        OK
        > ROLE
        1) "master"
        2) (integer) 0
        3) (empty array)
    "#,
    );
}

#[test]
fn a_replica_refuses_writes_and_stale_reads_as_configured() {
    check(
        &[
            "SET k v",
            "REPLICAOF 127.0.0.1 1",
            "SET k w",
            "GET k",
            "MULTI",
            "SET k w",
            "GET k",
            "EXEC",
            "CONFIG SET replica-read-only no",
            "SET k w",
            "CONFIG SET slave-read-only yes",
            "DEL k",
            "CONFIG SET replica-serve-stale-data no",
            "GET k",
            "PING",
            "ECHO hi",
            "ROLE",
            "MULTI",
            "GET k",
            "EXEC",
            "CONFIG SET replica-serve-stale-data yes",
            "GET k",
            "REPLICAOF NO ONE",
            "SET k x",
        ],
        r#"
        > SET k v
        OK
        > REPLICAOF 127.0.0.1 1
        OK
        > SET k w
        (error) READONLY You can't write against a read only replica.
        > GET k
        "v"
        > MULTI
        OK
        > SET k w
        (error) READONLY You can't write against a read only replica.
        > GET k
        QUEUED
        > EXEC
        (error) EXECABORT Transaction discarded because of previous errors.
        > CONFIG SET replica-read-only no
        OK
        > SET k w
        OK
        > CONFIG SET slave-read-only yes
        OK
        > DEL k
        (error) READONLY You can't write against a read only replica.
        > CONFIG SET replica-serve-stale-data no
        OK
        > GET k
        (error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.
        > PING
        (error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.
        > ECHO hi
        "hi"
        > ROLE
        1) "slave"
        2) "127.0.0.1"
        3) (integer) 1
        4) "connect"
        5) (integer) -1
        > MULTI
        OK
        > GET k
        (error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.
        > EXEC
        (error) EXECABORT Transaction discarded because of previous errors.
        > CONFIG SET replica-serve-stale-data yes
        OK
        > GET k
        "w"
        > REPLICAOF NO ONE
        OK
        > SET k x
        OK
    "#,
    );
}

#[test]
fn exec_checks_again_what_changed_since_queueing() {
    // unit/multi: "exec with read commands and stale replica state change",
    // and a write queued on a master that is a read-only replica at EXEC.
    check(
        &[
            "CONFIG SET replica-serve-stale-data no",
            "SET xx 1",
            "MULTI",
            "GET xx",
            "@client 2",
            "REPLICAOF localhsot 0",
            "@client 1",
            "EXEC",
            "@client 2",
            "REPLICAOF NO ONE",
            "@client 1",
            "MULTI",
            "PING",
            "@client 2",
            "REPLICAOF localhsot 0",
            "@client 1",
            "EXEC",
            "MULTI",
            "@client 2",
            "REPLICAOF NO ONE",
            "@client 1",
            "GET xx",
            "EXEC",
            "MULTI",
            "INCR xx",
            "@client 2",
            "REPLICAOF localhsot 0",
            "CONFIG SET replica-serve-stale-data yes",
            "@client 1",
            "EXEC",
            "GET xx",
        ],
        r#"
        > CONFIG SET replica-serve-stale-data no
        OK
        > SET xx 1
        OK
        > MULTI
        OK
        > GET xx
        QUEUED
        > @client 2
        > REPLICAOF localhsot 0
        OK
        > @client 1
        > EXEC
        (error) EXECABORT Transaction discarded because of: MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.
        > @client 2
        > REPLICAOF NO ONE
        OK
        > @client 1
        > MULTI
        OK
        > PING
        QUEUED
        > @client 2
        > REPLICAOF localhsot 0
        OK
        > @client 1
        > EXEC
        (error) EXECABORT Transaction discarded because of: MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.
        > MULTI
        OK
        > @client 2
        > REPLICAOF NO ONE
        OK
        > @client 1
        > GET xx
        QUEUED
        > EXEC
        1) "1"
        > MULTI
        OK
        > INCR xx
        QUEUED
        > @client 2
        > REPLICAOF localhsot 0
        OK
        > CONFIG SET replica-serve-stale-data yes
        OK
        > @client 1
        > EXEC
        (error) EXECABORT Transaction discarded because of: READONLY You can't write against a read only replica.
        > GET xx
        "1"
    "#,
    );
}
