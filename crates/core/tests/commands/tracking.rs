//! CLIENT TRACKING: client-side caching invalidations, redirected to a RESP2
//! subscriber or pushed to a RESP3 client, in every mode.

use super::check;

#[test]
fn redirected_invalidations_reach_a_subscriber() {
    check(
        &[
            "@client 2",
            "SUBSCRIBE __redis__:invalidate",
            "@client 1",
            "CLIENT TRACKING on REDIRECT 2",
            "CLIENT GETREDIR",
            "MGET a b",
            "GET c",
            "SET a 1",
            "SET a 2",
            "MSET b 1 c 1",
            "@client 2",
            "@read",
            "@client 1",
            "GET a",
            "FLUSHALL",
            "@client 2",
            "@read",
            "@client 1",
            "CLIENT TRACKINGINFO",
            "CLIENT TRACKING off",
            "CLIENT GETREDIR",
            "CLIENT TRACKINGINFO",
        ],
        r#"
        > @client 2
        > SUBSCRIBE __redis__:invalidate
        1) "subscribe"
        2) "__redis__:invalidate"
        3) (integer) 1
        > @client 1
        > CLIENT TRACKING on REDIRECT 2
        OK
        > CLIENT GETREDIR
        (integer) 2
        > MGET a b
        1) (nil)
        2) (nil)
        > GET c
        (nil)
        > SET a 1
        OK
        > SET a 2
        OK
        > MSET b 1 c 1
        OK
        > @client 2
        > @read
        1) "message"
        2) "__redis__:invalidate"
        3) 1) "a"
        1) "message"
        2) "__redis__:invalidate"
        3) 1) "b"
        1) "message"
        2) "__redis__:invalidate"
        3) 1) "c"
        > @client 1
        > GET a
        "2"
        > FLUSHALL
        OK
        > @client 2
        > @read
        1) "message"
        2) "__redis__:invalidate"
        3) (nil)
        > @client 1
        > CLIENT TRACKINGINFO
        1) "flags"
        2) 1) "on"
        3) "redirect"
        4) (integer) 2
        5) "prefixes"
        6) (empty array)
        > CLIENT TRACKING off
        OK
        > CLIENT GETREDIR
        (integer) -1
        > CLIENT TRACKINGINFO
        1) "flags"
        2) 1) "off"
        3) "redirect"
        4) (integer) -1
        5) "prefixes"
        6) (empty array)
    "#,
    );
}

#[test]
fn own_invalidations_follow_the_reply_in_resp3_and_noloop_skips_them() {
    check(
        &[
            "HELLO 3",
            "CLIENT TRACKING on",
            "GET k",
            "SET k v",
            "GET k",
            "@client 2",
            "SET k w",
            "@client 1",
            "@read",
            "CLIENT TRACKING on NOLOOP",
            "GET k",
            "SET k x",
            "GET k",
            "@client 2",
            "DEL k",
            "@client 1",
            "@read",
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
        > CLIENT TRACKING on
        OK
        > GET k
        (nil)
        > SET k v
        OK
        1) "invalidate"
        2) 1) "k"
        > GET k
        "v"
        > @client 2
        > SET k w
        OK
        > @client 1
        > @read
        1) "invalidate"
        2) 1) "k"
        > CLIENT TRACKING on NOLOOP
        OK
        > GET k
        "w"
        > SET k x
        OK
        > GET k
        "x"
        > @client 2
        > DEL k
        (integer) 1
        > @client 1
        > @read
        1) "invalidate"
        2) 1) "k"
    "#,
    );
}

#[test]
fn bcast_prefixes_optin_optout_and_errors() {
    check(
        &[
            "@client 2",
            "SUBSCRIBE __redis__:invalidate",
            "@client 1",
            "CLIENT TRACKING on REDIRECT 2 BCAST PREFIX user: PREFIX session:",
            "CLIENT TRACKINGINFO",
            "SET user:1 a",
            "SET other b",
            "MSET session:9 x user:2 y",
            "@client 2",
            "@read",
            "@client 1",
            "CLIENT TRACKING on BCAST PREFIX us",
            "CLIENT TRACKING on BCAST PREFIX a PREFIX ab",
            "CLIENT TRACKING on",
            "CLIENT TRACKING off",
            "CLIENT TRACKING on PREFIX x",
            "CLIENT TRACKING on BCAST OPTIN",
            "CLIENT TRACKING on OPTIN OPTOUT",
            "CLIENT TRACKING on REDIRECT 99",
            "CLIENT TRACKING on REDIRECT 2 REDIRECT 2",
            "CLIENT TRACKING on REDIRECT x",
            "CLIENT TRACKING maybe",
            "CLIENT TRACKING on NOSUCH",
            "CLIENT CACHING yes",
            "CLIENT TRACKING on REDIRECT 2 OPTIN",
            "CLIENT CACHING no",
            "CLIENT CACHING maybe",
            "GET notcached",
            "CLIENT CACHING yes",
            "GET cached",
            "SET notcached 1",
            "SET cached 1",
            "@client 2",
            "@read",
            "@client 1",
            "CLIENT TRACKING on OPTOUT",
            "CLIENT TRACKING off",
            "CLIENT TRACKING on REDIRECT 2 OPTOUT",
            "CLIENT CACHING no",
            "GET skipped",
            "GET kept",
            "SET skipped 1",
            "SET kept 1",
            "@client 2",
            "@read",
        ],
        r#"
        > @client 2
        > SUBSCRIBE __redis__:invalidate
        1) "subscribe"
        2) "__redis__:invalidate"
        3) (integer) 1
        > @client 1
        > CLIENT TRACKING on REDIRECT 2 BCAST PREFIX user: PREFIX session:
        OK
        > CLIENT TRACKINGINFO
        1) "flags"
        2) 1) "on"
           2) "bcast"
        3) "redirect"
        4) (integer) 2
        5) "prefixes"
        6) 1) "session:"
           2) "user:"
        > SET user:1 a
        OK
        > SET other b
        OK
        > MSET session:9 x user:2 y
        OK
        > @client 2
        > @read
        1) "message"
        2) "__redis__:invalidate"
        3) 1) "session:9"
        1) "message"
        2) "__redis__:invalidate"
        3) 1) "user:1"
           2) "user:2"
        > @client 1
        > CLIENT TRACKING on BCAST PREFIX us
        (error) ERR Prefix 'us' overlaps with an existing prefix 'user:'. Prefixes for a single client must not overlap.
        > CLIENT TRACKING on BCAST PREFIX a PREFIX ab
        (error) ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single client must not overlap.
        > CLIENT TRACKING on
        (error) ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.
        > CLIENT TRACKING off
        OK
        > CLIENT TRACKING on PREFIX x
        (error) ERR PREFIX option requires BCAST mode to be enabled
        > CLIENT TRACKING on BCAST OPTIN
        (error) ERR OPTIN and OPTOUT are not compatible with BCAST
        > CLIENT TRACKING on OPTIN OPTOUT
        (error) ERR You can't specify both OPTIN mode and OPTOUT mode
        > CLIENT TRACKING on REDIRECT 99
        (error) ERR The client ID you want redirect to does not exist
        > CLIENT TRACKING on REDIRECT 2 REDIRECT 2
        (error) ERR A client can only redirect to a single other client
        > CLIENT TRACKING on REDIRECT x
        (error) ERR value is not an integer or out of range
        > CLIENT TRACKING maybe
        (error) ERR syntax error
        > CLIENT TRACKING on NOSUCH
        (error) ERR syntax error
        > CLIENT CACHING yes
        (error) ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled
        > CLIENT TRACKING on REDIRECT 2 OPTIN
        OK
        > CLIENT CACHING no
        (error) ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.
        > CLIENT CACHING maybe
        (error) ERR syntax error
        > GET notcached
        (nil)
        > CLIENT CACHING yes
        OK
        > GET cached
        (nil)
        > SET notcached 1
        OK
        > SET cached 1
        OK
        > @client 2
        > @read
        1) "message"
        2) "__redis__:invalidate"
        3) 1) "cached"
        > @client 1
        > CLIENT TRACKING on OPTOUT
        (error) ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.
        > CLIENT TRACKING off
        OK
        > CLIENT TRACKING on REDIRECT 2 OPTOUT
        OK
        > CLIENT CACHING no
        OK
        > GET skipped
        (nil)
        > GET kept
        (nil)
        > SET skipped 1
        OK
        > SET kept 1
        OK
        > @client 2
        > @read
        1) "message"
        2) "__redis__:invalidate"
        3) 1) "kept"
    "#,
    );
}

#[test]
fn a_broken_redirection_is_reported() {
    check(
        &[
            "@client 2",
            "@client 1",
            "HELLO 3",
            "CLIENT TRACKING on REDIRECT 2",
            "GET k",
            "@client 2",
            "QUIT",
            "@client 1",
            "SET k v",
            "CLIENT TRACKINGINFO",
        ],
        r#"
        > @client 2
        > @client 1
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
        > CLIENT TRACKING on REDIRECT 2
        OK
        > GET k
        (nil)
        > @client 2
        > QUIT
        OK
        (connection closed)
        > @client 1
        > SET k v
        OK
        1) "tracking-redir-broken"
        2) (integer) 2
        > CLIENT TRACKINGINFO
        1) "flags"
        2) 1) "on"
           2) "broken_redirect"
        3) "redirect"
        4) (integer) 2
        5) "prefixes"
        6) (empty array)
    "#,
    );
}
