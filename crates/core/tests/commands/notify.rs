//! Keyspace notifications: `notify-keyspace-events` and the events commands fire,
//! checked against redis-server 7.0.15.

use super::check;

#[test]
fn config_parses_and_prints_flags_canonically() {
    check(
        &[
            "CONFIG GET notify-keyspace-events",
            "CONFIG SET notify-keyspace-events KEA",
            "CONFIG GET notify-keyspace-events",
            "CONFIG SET notify-keyspace-events g$lshzxetdnKEm",
            "CONFIG GET notify-keyspace-events",
            "CONFIG SET notify-keyspace-events Elg",
            "CONFIG GET notify-keyspace-events",
            "CONFIG SET notify-keyspace-events \"KEA m\"",
            "CONFIG SET notify-keyspace-events Q",
            "CONFIG GET notify-keyspace-events",
            "CONFIG SET notify-keyspace-events \"\"",
            "CONFIG GET notify-keyspace-events",
        ],
        r#"
        > CONFIG GET notify-keyspace-events
        1) "notify-keyspace-events"
        2) ""
        > CONFIG SET notify-keyspace-events KEA
        OK
        > CONFIG GET notify-keyspace-events
        1) "notify-keyspace-events"
        2) "AKE"
        > CONFIG SET notify-keyspace-events g$lshzxetdnKEm
        OK
        > CONFIG GET notify-keyspace-events
        1) "notify-keyspace-events"
        2) "AKEm"
        > CONFIG SET notify-keyspace-events Elg
        OK
        > CONFIG GET notify-keyspace-events
        1) "notify-keyspace-events"
        2) "glE"
        > CONFIG SET notify-keyspace-events "KEA m"
        (error) ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.
        > CONFIG SET notify-keyspace-events Q
        (error) ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.
        > CONFIG GET notify-keyspace-events
        1) "notify-keyspace-events"
        2) "glE"
        > CONFIG SET notify-keyspace-events ""
        OK
        > CONFIG GET notify-keyspace-events
        1) "notify-keyspace-events"
        2) ""
    "#,
    );
}

#[test]
fn keyspace_and_keyevent_channels() {
    check(
        &[
            "CONFIG SET notify-keyspace-events KEA",
            "@client 2",
            "PSUBSCRIBE __key*__:*",
            "@client 1",
            "SET foo bar",
            "SELECT 3",
            "DEL foo nokey",
            "SET foo bar",
            "DEL foo",
            "@client 2",
            "@read",
        ],
        r#"
        > CONFIG SET notify-keyspace-events KEA
        OK
        > @client 2
        > PSUBSCRIBE __key*__:*
        1) "psubscribe"
        2) "__key*__:*"
        3) (integer) 1
        > @client 1
        > SET foo bar
        OK
        > SELECT 3
        OK
        > DEL foo nokey
        (integer) 0
        > SET foo bar
        OK
        > DEL foo
        (integer) 1
        > @client 2
        > @read
        1) "pmessage"
        2) "__key*__:*"
        3) "__keyspace@0__:foo"
        4) "set"
        1) "pmessage"
        2) "__key*__:*"
        3) "__keyevent@0__:set"
        4) "foo"
        1) "pmessage"
        2) "__key*__:*"
        3) "__keyspace@3__:foo"
        4) "set"
        1) "pmessage"
        2) "__key*__:*"
        3) "__keyevent@3__:set"
        4) "foo"
        1) "pmessage"
        2) "__key*__:*"
        3) "__keyspace@3__:foo"
        4) "del"
        1) "pmessage"
        2) "__key*__:*"
        3) "__keyevent@3__:del"
        4) "foo"
    "#,
    );
}

#[test]
fn classes_mask_events() {
    check(
        &[
            "CONFIG SET notify-keyspace-events El",
            "@client 2",
            "SUBSCRIBE __keyevent@0__:lpush __keyevent@0__:set __keyevent@0__:del",
            "@client 1",
            "SET a 1",
            "LPUSH l x",
            "DEL l",
            "@client 2",
            "@read",
        ],
        r#"
        > CONFIG SET notify-keyspace-events El
        OK
        > @client 2
        > SUBSCRIBE __keyevent@0__:lpush __keyevent@0__:set __keyevent@0__:del
        1) "subscribe"
        2) "__keyevent@0__:lpush"
        3) (integer) 1
        1) "subscribe"
        2) "__keyevent@0__:set"
        3) (integer) 2
        1) "subscribe"
        2) "__keyevent@0__:del"
        3) (integer) 3
        > @client 1
        > SET a 1
        OK
        > LPUSH l x
        (integer) 1
        > DEL l
        (integer) 1
        > @client 2
        > @read
        1) "message"
        2) "__keyevent@0__:lpush"
        3) "l"
    "#,
    );
}

#[test]
fn new_keymiss_expired_and_evicted() {
    check(
        &[
            "CONFIG SET notify-keyspace-events Enmxe",
            "@client 2",
            "PSUBSCRIBE __keyevent@0__:*",
            "@client 1",
            "GET nokey",
            "OBJECT ENCODING nokey",
            "SET k v PX 100",
            "SET k2 v PX 100",
            "RPUSH list a",
            "+200ms",
            "GET k",
            "@active-expire",
            "CONFIG SET maxmemory-policy allkeys-lru",
            "CONFIG SET maxmemory 1",
            "CONFIG SET maxmemory 0",
            "@client 2",
            "@read",
        ],
        r#"
        > CONFIG SET notify-keyspace-events Enmxe
        OK
        > @client 2
        > PSUBSCRIBE __keyevent@0__:*
        1) "psubscribe"
        2) "__keyevent@0__:*"
        3) (integer) 1
        > @client 1
        > GET nokey
        (nil)
        > OBJECT ENCODING nokey
        (nil)
        > SET k v PX 100
        OK
        > SET k2 v PX 100
        OK
        > RPUSH list a
        (integer) 1
        > +200ms
        > GET k
        (nil)
        > @active-expire
        > CONFIG SET maxmemory-policy allkeys-lru
        OK
        > CONFIG SET maxmemory 1
        OK
        > CONFIG SET maxmemory 0
        OK
        > @client 2
        > @read
        1) "pmessage"
        2) "__keyevent@0__:*"
        3) "__keyevent@0__:keymiss"
        4) "nokey"
        1) "pmessage"
        2) "__keyevent@0__:*"
        3) "__keyevent@0__:new"
        4) "k"
        1) "pmessage"
        2) "__keyevent@0__:*"
        3) "__keyevent@0__:new"
        4) "k2"
        1) "pmessage"
        2) "__keyevent@0__:*"
        3) "__keyevent@0__:new"
        4) "list"
        1) "pmessage"
        2) "__keyevent@0__:*"
        3) "__keyevent@0__:expired"
        4) "k"
        1) "pmessage"
        2) "__keyevent@0__:*"
        3) "__keyevent@0__:keymiss"
        4) "k"
        1) "pmessage"
        2) "__keyevent@0__:*"
        3) "__keyevent@0__:expired"
        4) "k2"
        1) "pmessage"
        2) "__keyevent@0__:*"
        3) "__keyevent@0__:evicted"
        4) "list"
    "#,
    );
}

#[test]
fn list_hash_set_zset_and_stream_events() {
    check(
        &[
            "CONFIG SET notify-keyspace-events KA",
            "@client 2",
            "PSUBSCRIBE __keyspace@0__:*",
            "@client 1",
            "RPUSH l a b c",
            "LPOP l",
            "LMOVE l l2 RIGHT LEFT",
            "LTRIM l 5 6",
            "HSET h f v",
            "HINCRBY h n 1",
            "HDEL h f n",
            "SADD s a b",
            "SMOVE s s2 a",
            "SPOP s",
            "ZADD z 1 a 2 b",
            "ZINCRBY z 1 a",
            "ZREMRANGEBYSCORE z 0 10",
            "XADD st MAXLEN 1 1-1 f v",
            "XADD st MAXLEN 1 2-1 f v",
            "XGROUP CREATE st g $",
            "XREADGROUP GROUP g alice STREAMS st >",
            "@client 2",
            "@read",
        ],
        r#"
        > CONFIG SET notify-keyspace-events KA
        OK
        > @client 2
        > PSUBSCRIBE __keyspace@0__:*
        1) "psubscribe"
        2) "__keyspace@0__:*"
        3) (integer) 1
        > @client 1
        > RPUSH l a b c
        (integer) 3
        > LPOP l
        "a"
        > LMOVE l l2 RIGHT LEFT
        "c"
        > LTRIM l 5 6
        OK
        > HSET h f v
        (integer) 1
        > HINCRBY h n 1
        (integer) 1
        > HDEL h f n
        (integer) 2
        > SADD s a b
        (integer) 2
        > SMOVE s s2 a
        (integer) 1
        > SPOP s
        "b"
        > ZADD z 1 a 2 b
        (integer) 2
        > ZINCRBY z 1 a
        "2"
        > ZREMRANGEBYSCORE z 0 10
        (integer) 2
        > XADD st MAXLEN 1 1-1 f v
        "1-1"
        > XADD st MAXLEN 1 2-1 f v
        "2-1"
        > XGROUP CREATE st g $
        OK
        > XREADGROUP GROUP g alice STREAMS st >
        (nil)
        > @client 2
        > @read
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:l"
        4) "rpush"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:l"
        4) "lpop"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:l2"
        4) "lpush"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:l"
        4) "rpop"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:l"
        4) "ltrim"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:l"
        4) "del"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:h"
        4) "hset"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:h"
        4) "hincrby"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:h"
        4) "hdel"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:h"
        4) "del"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:s"
        4) "sadd"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:s"
        4) "srem"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:s2"
        4) "sadd"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:s"
        4) "spop"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:s"
        4) "del"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:z"
        4) "zadd"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:z"
        4) "zincr"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:z"
        4) "zremrangebyscore"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:z"
        4) "del"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:st"
        4) "xadd"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:st"
        4) "xadd"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:st"
        4) "xtrim"
        1) "pmessage"
        2) "__keyspace@0__:*"
        3) "__keyspace@0__:st"
        4) "xgroup-create"
    "#,
    );
}

#[test]
fn generic_events() {
    check(
        &[
            "CONFIG SET notify-keyspace-events Eg",
            "@client 2",
            "PSUBSCRIBE __keyevent@*",
            "@client 1",
            "SET a 1",
            "EXPIRE a 100",
            "PERSIST a",
            "RENAME a b",
            "COPY b c DB 5",
            "MOVE b 2",
            "EXPIRE c 0",
            "SET e 1",
            "EXPIRE e 0",
            "SET d 1",
            "GETDEL d",
            "RPUSH l 3 1 2",
            "SORT l STORE sorted",
            "SORT nokey STORE sorted",
            "@client 2",
            "@read",
        ],
        r#"
        > CONFIG SET notify-keyspace-events Eg
        OK
        > @client 2
        > PSUBSCRIBE __keyevent@*
        1) "psubscribe"
        2) "__keyevent@*"
        3) (integer) 1
        > @client 1
        > SET a 1
        OK
        > EXPIRE a 100
        (integer) 1
        > PERSIST a
        (integer) 1
        > RENAME a b
        OK
        > COPY b c DB 5
        (integer) 1
        > MOVE b 2
        (integer) 1
        > EXPIRE c 0
        (integer) 0
        > SET e 1
        OK
        > EXPIRE e 0
        (integer) 1
        > SET d 1
        OK
        > GETDEL d
        "1"
        > RPUSH l 3 1 2
        (integer) 3
        > SORT l STORE sorted
        (integer) 3
        > SORT nokey STORE sorted
        (integer) 0
        > @client 2
        > @read
        1) "pmessage"
        2) "__keyevent@*"
        3) "__keyevent@0__:expire"
        4) "a"
        1) "pmessage"
        2) "__keyevent@*"
        3) "__keyevent@0__:persist"
        4) "a"
        1) "pmessage"
        2) "__keyevent@*"
        3) "__keyevent@0__:rename_from"
        4) "a"
        1) "pmessage"
        2) "__keyevent@*"
        3) "__keyevent@0__:rename_to"
        4) "b"
        1) "pmessage"
        2) "__keyevent@*"
        3) "__keyevent@5__:copy_to"
        4) "c"
        1) "pmessage"
        2) "__keyevent@*"
        3) "__keyevent@0__:move_from"
        4) "b"
        1) "pmessage"
        2) "__keyevent@*"
        3) "__keyevent@2__:move_to"
        4) "b"
        1) "pmessage"
        2) "__keyevent@*"
        3) "__keyevent@0__:del"
        4) "e"
        1) "pmessage"
        2) "__keyevent@*"
        3) "__keyevent@0__:del"
        4) "d"
        1) "pmessage"
        2) "__keyevent@*"
        3) "__keyevent@0__:del"
        4) "sorted"
    "#,
    );
}
