//! SUBSCRIBE PSUBSCRIBE SSUBSCRIBE, their UNSUBSCRIBEs, PUBLISH SPUBLISH PUBSUB,
//! subscribed mode and CLIENT REPLY. Transcripts match redis-server 7.0.15
//! (`@read` shows what a subscriber's connection receives).

use super::check;

#[test]
fn subscribe_confirms_each_channel_with_the_running_count() {
    check(
        &[
            "SUBSCRIBE news",
            "SUBSCRIBE news sport",
            "PSUBSCRIBE n*",
            "SSUBSCRIBE shard1",
            "UNSUBSCRIBE sport",
            "PUNSUBSCRIBE n* x*",
            "SUNSUBSCRIBE shard1",
            "UNSUBSCRIBE news",
            "UNSUBSCRIBE",
            "PUNSUBSCRIBE",
            "SUNSUBSCRIBE",
            "SUBSCRIBE",
        ],
        r#"
        > SUBSCRIBE news
        1) "subscribe"
        2) "news"
        3) (integer) 1
        > SUBSCRIBE news sport
        1) "subscribe"
        2) "news"
        3) (integer) 1
        1) "subscribe"
        2) "sport"
        3) (integer) 2
        > PSUBSCRIBE n*
        1) "psubscribe"
        2) "n*"
        3) (integer) 3
        > SSUBSCRIBE shard1
        1) "ssubscribe"
        2) "shard1"
        3) (integer) 1
        > UNSUBSCRIBE sport
        1) "unsubscribe"
        2) "sport"
        3) (integer) 2
        > PUNSUBSCRIBE n* x*
        1) "punsubscribe"
        2) "n*"
        3) (integer) 1
        1) "punsubscribe"
        2) "x*"
        3) (integer) 1
        > SUNSUBSCRIBE shard1
        1) "sunsubscribe"
        2) "shard1"
        3) (integer) 0
        > UNSUBSCRIBE news
        1) "unsubscribe"
        2) "news"
        3) (integer) 0
        > UNSUBSCRIBE
        1) "unsubscribe"
        2) (nil)
        3) (integer) 0
        > PUNSUBSCRIBE
        1) "punsubscribe"
        2) (nil)
        3) (integer) 0
        > SUNSUBSCRIBE
        1) "sunsubscribe"
        2) (nil)
        3) (integer) 0
        > SUBSCRIBE
        (error) ERR wrong number of arguments for 'subscribe' command
    "#,
    );
}

#[test]
fn publish_counts_channel_and_pattern_receivers() {
    check(
        &[
            "SUBSCRIBE news",
            "PSUBSCRIBE n* *s",
            "SSUBSCRIBE news",
            "@client 2",
            "PUBLISH news hello",
            "PUBLISH nothing x",
            "PUBLISH sports \"with space\"",
            "SPUBLISH news shard",
            "SPUBLISH other x",
            "PUBLISH",
            "@client 1",
            "@read",
            "@read",
        ],
        r#"
        > SUBSCRIBE news
        1) "subscribe"
        2) "news"
        3) (integer) 1
        > PSUBSCRIBE n* *s
        1) "psubscribe"
        2) "n*"
        3) (integer) 2
        1) "psubscribe"
        2) "*s"
        3) (integer) 3
        > SSUBSCRIBE news
        1) "ssubscribe"
        2) "news"
        3) (integer) 1
        > @client 2
        > PUBLISH news hello
        (integer) 3
        > PUBLISH nothing x
        (integer) 1
        > PUBLISH sports "with space"
        (integer) 1
        > SPUBLISH news shard
        (integer) 1
        > SPUBLISH other x
        (integer) 0
        > PUBLISH
        (error) ERR wrong number of arguments for 'publish' command
        > @client 1
        > @read
        1) "message"
        2) "news"
        3) "hello"
        1) "pmessage"
        2) "n*"
        3) "news"
        4) "hello"
        1) "pmessage"
        2) "*s"
        3) "news"
        4) "hello"
        1) "pmessage"
        2) "n*"
        3) "nothing"
        4) "x"
        1) "pmessage"
        2) "*s"
        3) "sports"
        4) "with space"
        1) "smessage"
        2) "news"
        3) "shard"
        > @read
        (no messages)
    "#,
    );
}

#[test]
fn pubsub_introspection() {
    check(
        &[
            "SUBSCRIBE a b",
            "PSUBSCRIBE p* q*",
            "SSUBSCRIBE s1",
            "@client 2",
            "SUBSCRIBE a",
            "PSUBSCRIBE p*",
            "@client 3",
            "PUBSUB NUMSUB a b none",
            "PUBSUB NUMSUB",
            "PUBSUB NUMPAT",
            "PUBSUB SHARDNUMSUB s1 a",
            "PUBSUB CHANNELS b*",
            "PUBSUB SHARDCHANNELS",
            "PUBSUB SHARDCHANNELS x*",
            "PUBSUB CHANNELS a b",
            "PUBSUB ShardChannels a b",
            "PUBSUB NUMPAT x",
            "PUBSUB",
            "PUBSUB FOO",
            "PUBSUB HELP",
        ],
        r#"
        > SUBSCRIBE a b
        1) "subscribe"
        2) "a"
        3) (integer) 1
        1) "subscribe"
        2) "b"
        3) (integer) 2
        > PSUBSCRIBE p* q*
        1) "psubscribe"
        2) "p*"
        3) (integer) 3
        1) "psubscribe"
        2) "q*"
        3) (integer) 4
        > SSUBSCRIBE s1
        1) "ssubscribe"
        2) "s1"
        3) (integer) 1
        > @client 2
        > SUBSCRIBE a
        1) "subscribe"
        2) "a"
        3) (integer) 1
        > PSUBSCRIBE p*
        1) "psubscribe"
        2) "p*"
        3) (integer) 2
        > @client 3
        > PUBSUB NUMSUB a b none
        1) "a"
        2) (integer) 2
        3) "b"
        4) (integer) 1
        5) "none"
        6) (integer) 0
        > PUBSUB NUMSUB
        (empty array)
        > PUBSUB NUMPAT
        (integer) 2
        > PUBSUB SHARDNUMSUB s1 a
        1) "s1"
        2) (integer) 1
        3) "a"
        4) (integer) 0
        > PUBSUB CHANNELS b*
        1) "b"
        > PUBSUB SHARDCHANNELS
        1) "s1"
        > PUBSUB SHARDCHANNELS x*
        (empty array)
        > PUBSUB CHANNELS a b
        (error) ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.
        > PUBSUB ShardChannels a b
        (error) ERR unknown subcommand or wrong number of arguments for 'ShardChannels'. Try PUBSUB HELP.
        > PUBSUB NUMPAT x
        (error) ERR wrong number of arguments for 'pubsub|numpat' command
        > PUBSUB
        (error) ERR wrong number of arguments for 'pubsub' command
        > PUBSUB FOO
        (error) ERR unknown subcommand 'FOO'. Try PUBSUB HELP.
        > PUBSUB HELP
         1) PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
         2) CHANNELS [<pattern>]
         3)     Return the currently active channels matching a <pattern> (default: '*').
         4) NUMPAT
         5)     Return number of subscriptions to patterns.
         6) NUMSUB [<channel> ...]
         7)     Return the number of subscribers for the specified channels, excluding
         8)     pattern subscriptions(default: no channels).
         9) SHARDCHANNELS [<pattern>]
        10)     Return the currently active shard level channels matching a <pattern> (default: '*').
        11) SHARDNUMSUB [<shardchannel> ...]
        12)     Return the number of subscribers for the specified shard level channel(s)
        13) HELP
        14)     Prints this help.
    "#,
    );
}

#[test]
fn resp2_subscribed_mode_allows_only_a_few_commands() {
    check(
        &[
            "SUBSCRIBE news",
            "GET k",
            "CONFIG GET maxmemory",
            "NOSUCH",
            "GET",
            "MULTI",
            "EXEC",
            "PING",
            "PING hi",
            "PSUBSCRIBE p*",
            "UNSUBSCRIBE",
            "PING",
            "PUNSUBSCRIBE",
            "GET k",
        ],
        r#"
        > SUBSCRIBE news
        1) "subscribe"
        2) "news"
        3) (integer) 1
        > GET k
        (error) ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
        > CONFIG GET maxmemory
        (error) ERR Can't execute 'config|get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
        > NOSUCH
        (error) ERR unknown command 'NOSUCH', with args beginning with: 
        > GET
        (error) ERR wrong number of arguments for 'get' command
        > MULTI
        (error) ERR Can't execute 'multi': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
        > EXEC
        (error) EXECABORT Transaction discarded because of: Can't execute 'exec': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
        > PING
        1) "pong"
        2) ""
        > PING hi
        1) "pong"
        2) "hi"
        > PSUBSCRIBE p*
        1) "psubscribe"
        2) "p*"
        3) (integer) 2
        > UNSUBSCRIBE
        1) "unsubscribe"
        2) "news"
        3) (integer) 1
        > PING
        1) "pong"
        2) ""
        > PUNSUBSCRIBE
        1) "punsubscribe"
        2) "p*"
        3) (integer) 0
        > GET k
        (nil)
    "#,
    );
}

#[test]
fn reset_and_quit_leave_every_subscription() {
    check(
        &[
            "SUBSCRIBE a",
            "PSUBSCRIBE p*",
            "SSUBSCRIBE s",
            "RESET",
            "GET k",
            "PUBSUB NUMPAT",
            "SUBSCRIBE a",
            "QUIT",
            "PUBSUB NUMSUB a",
        ],
        r#"
        > SUBSCRIBE a
        1) "subscribe"
        2) "a"
        3) (integer) 1
        > PSUBSCRIBE p*
        1) "psubscribe"
        2) "p*"
        3) (integer) 2
        > SSUBSCRIBE s
        1) "ssubscribe"
        2) "s"
        3) (integer) 1
        > RESET
        RESET
        > GET k
        (nil)
        > PUBSUB NUMPAT
        (integer) 0
        > SUBSCRIBE a
        1) "subscribe"
        2) "a"
        3) (integer) 1
        > QUIT
        OK
        (connection closed)
        > PUBSUB NUMSUB a
        1) "a"
        2) (integer) 0
    "#,
    );
}

#[test]
fn subscribe_inside_multi() {
    check(
        &[
            "MULTI",
            "SUBSCRIBE a b",
            "SSUBSCRIBE s",
            "EXEC",
            "GET k",
            "PUBSUB SHARDNUMSUB s",
        ],
        r#"
        > MULTI
        OK
        > SUBSCRIBE a b
        QUEUED
        > SSUBSCRIBE s
        QUEUED
        > EXEC
        1) 1) "subscribe"
           2) "a"
           3) (integer) 1
        2) 1) "subscribe"
           2) "b"
           3) (integer) 2
        (error) ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client
        > GET k
        (error) ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
        > PUBSUB SHARDNUMSUB s
        (error) ERR Can't execute 'pubsub|shardnumsub': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
    "#,
    );
}

#[test]
fn resp3_pushes_come_before_the_reply_and_nothing_is_refused() {
    check(
        &[
            "HELLO 3",
            "SUBSCRIBE c",
            "PSUBSCRIBE c*",
            "PUBLISH c self",
            "GET nokey",
            "PING",
            "MULTI",
            "PUBLISH c inmulti",
            "EXEC",
        ],
        r#"
        > HELLO 3
         1) "server"
         2) "redis"
         3) "version"
         4) "7.0.15"
         5) "proto"
         6) (integer) 3
         7) "id"
         8) (integer) 1
         9) "mode"
        10) "standalone"
        11) "role"
        12) "master"
        13) "modules"
        14) (empty array)
        > SUBSCRIBE c
        1) "subscribe"
        2) "c"
        3) (integer) 1
        > PSUBSCRIBE c*
        1) "psubscribe"
        2) "c*"
        3) (integer) 2
        > PUBLISH c self
        1) "message"
        2) "c"
        3) "self"
        1) "pmessage"
        2) "c*"
        3) "c"
        4) "self"
        (integer) 2
        > GET nokey
        (nil)
        > PING
        PONG
        > MULTI
        OK
        > PUBLISH c inmulti
        QUEUED
        > EXEC
        1) 1) "message"
           2) "c"
           3) "inmulti"
        1) "pmessage"
        2) "c*"
        3) "c"
        4) "inmulti"
        (integer) 2
    "#,
    );
}

#[test]
fn client_reply_off_still_delivers_pushes() {
    check(
        &[
            "HELLO 3",
            "CLIENT REPLY OFF",
            "SUBSCRIBE d",
            "PUBLISH d x",
            "GET d",
            "CLIENT REPLY ON",
            "CLIENT REPLY SKIP",
            "GET d",
            "GET d",
            "CLIENT REPLY FOO",
            "CLIENT REPLY",
        ],
        r#"
        > HELLO 3
         1) "server"
         2) "redis"
         3) "version"
         4) "7.0.15"
         5) "proto"
         6) (integer) 3
         7) "id"
         8) (integer) 1
         9) "mode"
        10) "standalone"
        11) "role"
        12) "master"
        13) "modules"
        14) (empty array)
        > CLIENT REPLY OFF
        > SUBSCRIBE d
        1) "subscribe"
        2) "d"
        3) (integer) 1
        > PUBLISH d x
        1) "message"
        2) "d"
        3) "x"
        > GET d
        > CLIENT REPLY ON
        OK
        > CLIENT REPLY SKIP
        > GET d
        > GET d
        (nil)
        > CLIENT REPLY FOO
        (error) ERR syntax error
        > CLIENT REPLY
        (error) ERR wrong number of arguments for 'client|reply' command
    "#,
    );
}

#[test]
fn a_closed_connection_stops_listening() {
    check(
        &[
            "SUBSCRIBE a",
            "@client 2",
            "PUBLISH a one",
            "@client 1",
            "@read",
            "QUIT",
            "@client 2",
            "PUBLISH a two",
            "PUBSUB NUMSUB a",
        ],
        r#"
        > SUBSCRIBE a
        1) "subscribe"
        2) "a"
        3) (integer) 1
        > @client 2
        > PUBLISH a one
        (integer) 1
        > @client 1
        > @read
        1) "message"
        2) "a"
        3) "one"
        > QUIT
        OK
        (connection closed)
        > @client 2
        > PUBLISH a two
        (integer) 0
        > PUBSUB NUMSUB a
        1) "a"
        2) (integer) 0
    "#,
    );
}
