//! DBSIZE FLUSHDB FLUSHALL SWAPDB INFO CONFIG DEBUG.

use super::{check, Session};
use cachelab_core::Reply;

#[test]
fn dbsize() {
    check(
        &[
            "DBSIZE",
            "MSET a 1 b 2 c 3",
            "DBSIZE",
            "SELECT 1",
            "DBSIZE",
            "DBSIZE x",
        ],
        r#"
        > DBSIZE
        (integer) 0
        > MSET a 1 b 2 c 3
        OK
        > DBSIZE
        (integer) 3
        > SELECT 1
        OK
        > DBSIZE
        (integer) 0
        > DBSIZE x
        (error) ERR wrong number of arguments for 'dbsize' command
    "#,
    );
}

#[test]
fn flushdb_flushes_only_the_selected_db() {
    check(
        &[
            "SET a 1",
            "SELECT 5",
            "SET b 2",
            "FLUSHDB",
            "DBSIZE",
            "SELECT 0",
            "DBSIZE",
            "FLUSHDB ASYNC",
            "FLUSHDB sync",
            "FLUSHDB nope",
            "FLUSHDB SYNC x",
        ],
        r#"
        > SET a 1
        OK
        > SELECT 5
        OK
        > SET b 2
        OK
        > FLUSHDB
        OK
        > DBSIZE
        (integer) 0
        > SELECT 0
        OK
        > DBSIZE
        (integer) 1
        > FLUSHDB ASYNC
        OK
        > FLUSHDB sync
        OK
        > FLUSHDB nope
        (error) ERR syntax error
        > FLUSHDB SYNC x
        (error) ERR syntax error
    "#,
    );
}

#[test]
fn flushall_flushes_every_db() {
    check(
        &[
            "SET a 1",
            "SELECT 5",
            "SET b 2",
            "FLUSHALL",
            "DBSIZE",
            "SELECT 0",
            "DBSIZE",
            "FLUSHALL ASYNC",
            "FLUSHALL SYNC",
            "FLUSHALL x",
        ],
        r#"
        > SET a 1
        OK
        > SELECT 5
        OK
        > SET b 2
        OK
        > FLUSHALL
        OK
        > DBSIZE
        (integer) 0
        > SELECT 0
        OK
        > DBSIZE
        (integer) 0
        > FLUSHALL ASYNC
        OK
        > FLUSHALL SYNC
        OK
        > FLUSHALL x
        (error) ERR syntax error
    "#,
    );
}

#[test]
fn swapdb() {
    check(
        &[
            "SET a in0",
            "SELECT 1",
            "SET x in1",
            "SWAPDB 0 1",
            "GET a",
            "GET x",
            "SELECT 0",
            "GET x",
            "SWAPDB 0 0",
            "SWAPDB 0 16",
            "SWAPDB -1 0",
            "SWAPDB a 0",
            "SWAPDB 0 a",
            "SWAPDB 0",
        ],
        r#"
        > SET a in0
        OK
        > SELECT 1
        OK
        > SET x in1
        OK
        > SWAPDB 0 1
        OK
        > GET a
        "in0"
        > GET x
        (nil)
        > SELECT 0
        OK
        > GET x
        "in1"
        > SWAPDB 0 0
        OK
        > SWAPDB 0 16
        (error) ERR DB index is out of range
        > SWAPDB -1 0
        (error) ERR DB index is out of range
        > SWAPDB a 0
        (error) ERR invalid first DB index
        > SWAPDB 0 a
        (error) ERR invalid second DB index
        > SWAPDB 0
        (error) ERR wrong number of arguments for 'swapdb' command
    "#,
    );
}

#[test]
fn swapdb_carries_ttls_along() {
    check(
        &[
            "SET k v EX 100",
            "SWAPDB 0 9",
            "TTL k",
            "SELECT 9",
            "TTL k",
            "+101s",
            "GET k",
        ],
        r#"
        > SET k v EX 100
        OK
        > SWAPDB 0 9
        OK
        > TTL k
        (integer) -2
        > SELECT 9
        OK
        > TTL k
        (integer) 100
        > +101s
        > GET k
        (nil)
    "#,
    );
}

fn info(s: &mut Session, section: &str) -> String {
    match s.exec(&format!("INFO {section}")) {
        Reply::Bulk(b) => String::from_utf8(b.into_vec()).expect("INFO is text"),
        other => panic!("INFO {section}: {other:?}"),
    }
}

fn info_field(s: &mut Session, field: &str) -> String {
    let text = info(s, "all");
    let prefix = format!("{field}:");
    text.lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no {field} in INFO"))
        .to_string()
}

/// used_memory follows values that grow and shrink in place, with and without
/// maxmemory (which switches on re-accounting at every write).
#[test]
fn used_memory_follows_values_changed_in_place() {
    for maxmemory in ["0", "1000000000"] {
        let mut s = Session::new();
        assert_eq!(
            s.exec(&format!("CONFIG SET maxmemory {maxmemory}")),
            Reply::ok()
        );
        s.exec("ZADD z 1 first");
        let used =
            |s: &mut Session| -> u64 { info_field(s, "used_memory").parse().expect("a number") };
        let before = used(&mut s);
        for i in 0..1_000 {
            s.exec(&format!("ZADD z {i} member:{i}"));
            s.exec(&format!("APPEND s {i:04}"));
        }
        let grown = used(&mut s);
        assert!(
            grown >= before + 1_000 * 40 + 4_000,
            "maxmemory {maxmemory}: used_memory {before} -> {grown} after 1,000 ZADDs and APPENDs"
        );
        s.exec("ZREMRANGEBYRANK z 0 -2");
        let shrunk = used(&mut s);
        assert!(
            shrunk + 1_000 * 40 <= grown,
            "maxmemory {maxmemory}: used_memory {grown} -> {shrunk} after ZREMRANGEBYRANK"
        );
    }
}

#[test]
fn info_has_the_sections_redis_has() {
    let mut s = Session::new();
    s.exec("SET k v");
    let all = info(&mut s, "");
    for header in [
        "# Server\r\n",
        "# Clients\r\n",
        "# Memory\r\n",
        "# Stats\r\n",
        "# Keyspace\r\n",
    ] {
        assert!(all.contains(header), "INFO lacks {header:?}:\n{all}");
    }
    for field in [
        "redis_version:7.0.15",
        "connected_clients:1",
        "used_memory:",
        "keyspace_hits:",
        "keyspace_misses:",
        "expired_keys:",
    ] {
        assert!(all.contains(field), "INFO lacks {field}:\n{all}");
    }
    assert!(all.contains("db0:keys=1,expires=0,avg_ttl=0\r\n"), "{all}");
    let keyspace = info(&mut s, "keyspace");
    assert_eq!(keyspace, "# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n");
    assert_eq!(info(&mut s, "KEYSPACE"), keyspace);
    let stats = info(&mut s, "stats");
    assert!(
        stats.starts_with("# Stats\r\n") && !stats.contains("# Server"),
        "{stats}"
    );
    assert_eq!(info(&mut s, "nosuchsection"), "");
    let two = info(&mut s, "server clients");
    assert!(
        two.contains("# Server") && two.contains("# Clients") && !two.contains("# Memory"),
        "{two}"
    );
}

#[test]
fn info_counts_hits_misses_and_expired_keys() {
    let mut s = Session::new();
    s.exec("SET k v");
    s.exec("SET t v PX 10");
    let base_hits: u64 = info_field(&mut s, "keyspace_hits").parse().unwrap();
    let base_misses: u64 = info_field(&mut s, "keyspace_misses").parse().unwrap();
    s.exec("GET k");
    s.exec("GET k");
    s.exec("GET nosuch");
    assert_eq!(
        info_field(&mut s, "keyspace_hits"),
        (base_hits + 2).to_string()
    );
    assert_eq!(
        info_field(&mut s, "keyspace_misses"),
        (base_misses + 1).to_string()
    );
    assert_eq!(info_field(&mut s, "expired_keys"), "0");
    s.now_us += 20_000;
    s.exec("GET t");
    assert_eq!(info_field(&mut s, "expired_keys"), "1");
    assert_eq!(
        info_field(&mut s, "keyspace_misses"),
        (base_misses + 2).to_string()
    );
    assert!(info(&mut s, "keyspace").contains("db0:keys=1,expires=0"));
}

#[test]
fn info_keyspace_counts_keys_with_a_ttl() {
    let mut s = Session::new();
    s.exec("SET a 1");
    s.exec("SET b 2 EX 100");
    s.exec("SELECT 3");
    s.exec("SET c 3");
    let ks = info(&mut s, "keyspace");
    assert!(
        ks.starts_with("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl="),
        "{ks}"
    );
    assert!(ks.ends_with("db3:keys=1,expires=0,avg_ttl=0\r\n"), "{ks}");
}

#[test]
fn config_get() {
    check(
        &[
            "CONFIG GET maxmemory",
            "CONFIG GET MAXMEMORY",
            "CONFIG GET maxmemory-policy",
            "CONFIG GET hz",
            "CONFIG GET databases",
            "CONFIG GET nosuch",
            "CONFIG GET hz hz",
            "CONFIG GET timeout",
            "CONFIG GET save",
            "CONFIG GET appendonly",
            "CONFIG GET maxmemory-eviction-tenacity",
            "CONFIG GET hash-max-listpack-entries",
            "CONFIG GET hash-max-ziplist-entries",
            "CONFIG GET",
        ],
        r#"
        > CONFIG GET maxmemory
        1) "maxmemory"
        2) "0"
        > CONFIG GET MAXMEMORY
        1) "MAXMEMORY"
        2) "0"
        > CONFIG GET maxmemory-policy
        1) "maxmemory-policy"
        2) "noeviction"
        > CONFIG GET hz
        1) "hz"
        2) "10"
        > CONFIG GET databases
        1) "databases"
        2) "16"
        > CONFIG GET nosuch
        (empty array)
        > CONFIG GET hz hz
        1) "hz"
        2) "10"
        > CONFIG GET timeout
        1) "timeout"
        2) "0"
        > CONFIG GET save
        1) "save"
        2) ""
        > CONFIG GET appendonly
        1) "appendonly"
        2) "no"
        > CONFIG GET maxmemory-eviction-tenacity
        1) "maxmemory-eviction-tenacity"
        2) "10"
        > CONFIG GET hash-max-listpack-entries
        1) "hash-max-listpack-entries"
        2) "512"
        > CONFIG GET hash-max-ziplist-entries
        1) "hash-max-ziplist-entries"
        2) "512"
        > CONFIG GET
        (error) ERR wrong number of arguments for 'config|get' command
    "#,
    );
}

#[test]
fn config_get_star_lists_every_parameter_once() {
    let mut s = Session::new();
    let Reply::Array(items) = s.exec("CONFIG GET *").to_resp2_shape() else {
        panic!("CONFIG GET * is an array")
    };
    assert!(items.len() % 2 == 0);
    let names: Vec<Vec<u8>> = items
        .chunks(2)
        .map(|kv| match &kv[0] {
            Reply::Bulk(b) => b.to_vec(),
            other => panic!("name {other:?}"),
        })
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "duplicate names in CONFIG GET *");
    for want in [
        "maxmemory",
        "maxmemory-policy",
        "maxmemory-samples",
        "hz",
        "databases",
        "proto-max-bulk-len",
        "timeout",
        "save",
    ] {
        assert!(
            names.iter().any(|n| n == want.as_bytes()),
            "CONFIG GET * lacks {want}"
        );
    }
    // Every parameter CONFIG GET * lists can also be read on its own.
    for pair in items.chunks(2) {
        let Reply::Bulk(name) = &pair[0] else {
            unreachable!()
        };
        let one = s
            .exec_argv(vec![b"CONFIG".to_vec(), b"GET".to_vec(), name.to_vec()])
            .to_resp2_shape();
        assert_eq!(
            one,
            Reply::Array(pair.to_vec()),
            "{}",
            String::from_utf8_lossy(name)
        );
    }
}

#[test]
fn config_set() {
    check(
        &[
            "CONFIG SET maxmemory 100mb",
            "CONFIG GET maxmemory",
            "CONFIG SET maxmemory 1k",
            "CONFIG GET maxmemory",
            "CONFIG SET maxmemory 2KB",
            "CONFIG GET maxmemory",
            "CONFIG SET maxmemory abc",
            "CONFIG SET maxmemory-policy ALLKEYS-LRU",
            "CONFIG GET maxmemory-policy",
            "CONFIG SET maxmemory-policy nosuch",
            "CONFIG SET maxmemory-samples 0",
            "CONFIG SET hz 1000",
            "CONFIG GET hz",
            "CONFIG SET hz x",
            "CONFIG SET hz 15 maxmemory-samples 7",
            "CONFIG GET hz",
            "CONFIG GET maxmemory-samples",
            "CONFIG SET hz 11 maxmemory-samples 99",
            "CONFIG GET hz",
            "CONFIG SET nosuch 1",
            "CONFIG SET hz",
            "CONFIG SET hz 10 maxmemory",
        ],
        r#"
        > CONFIG SET maxmemory 100mb
        OK
        > CONFIG GET maxmemory
        1) "maxmemory"
        2) "104857600"
        > CONFIG SET maxmemory 1k
        OK
        > CONFIG GET maxmemory
        1) "maxmemory"
        2) "1000"
        > CONFIG SET maxmemory 2KB
        OK
        > CONFIG GET maxmemory
        1) "maxmemory"
        2) "2048"
        > CONFIG SET maxmemory abc
        (error) ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value
        > CONFIG SET maxmemory-policy ALLKEYS-LRU
        OK
        > CONFIG GET maxmemory-policy
        1) "maxmemory-policy"
        2) "allkeys-lru"
        > CONFIG SET maxmemory-policy nosuch
        (error) ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction
        > CONFIG SET maxmemory-samples 0
        (error) ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - argument must be between 1 and 2147483647 inclusive
        > CONFIG SET hz 1000
        OK
        > CONFIG GET hz
        1) "hz"
        2) "500"
        > CONFIG SET hz x
        (error) ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer
        > CONFIG SET hz 15 maxmemory-samples 7
        OK
        > CONFIG GET hz
        1) "hz"
        2) "15"
        > CONFIG GET maxmemory-samples
        1) "maxmemory-samples"
        2) "7"
        > CONFIG SET hz 11 maxmemory-samples 99
        OK
        > CONFIG GET hz
        1) "hz"
        2) "11"
        > CONFIG SET nosuch 1
        (error) ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'
        > CONFIG SET hz
        (error) ERR wrong number of arguments for 'config|set' command
        > CONFIG SET hz 10 maxmemory
        (error) ERR syntax error
    "#,
    );
}

#[test]
fn config_unknown_subcommand() {
    check(
        &["CONFIG", "CONFIG NOSUCH", "CONFIG RESETSTAT x"],
        r#"
        > CONFIG
        (error) ERR wrong number of arguments for 'config' command
        > CONFIG NOSUCH
        (error) ERR unknown subcommand 'NOSUCH'. Try CONFIG HELP.
        > CONFIG RESETSTAT x
        (error) ERR wrong number of arguments for 'config|resetstat' command
    "#,
    );
}

#[test]
fn debug_set_active_expire() {
    check(
        &[
            "DEBUG SET-ACTIVE-EXPIRE 0",
            "DEBUG SET-ACTIVE-EXPIRE 1",
            "DEBUG SET-ACTIVE-EXPIRE",
            "DEBUG",
        ],
        r#"
        > DEBUG SET-ACTIVE-EXPIRE 0
        OK
        > DEBUG SET-ACTIVE-EXPIRE 1
        OK
        > DEBUG SET-ACTIVE-EXPIRE
        (error) ERR unknown subcommand or wrong number of arguments for 'SET-ACTIVE-EXPIRE'. Try DEBUG HELP.
        > DEBUG
        (error) ERR wrong number of arguments for 'debug' command
    "#,
    );
}

#[test]
fn config_set_errors_name_the_first_bad_argument() {
    check(
        &[
            "CONFIG SET databases 4",
            "CONFIG SET dir /tmp",
            "CONFIG SET nosuch 1 databases 2",
            "CONFIG SET databases 2 nosuch 1",
            "CONFIG SET hz 12 hz 13",
            "CONFIG SET hz 20 HZ 30",
            "CONFIG SET maxmemory-samples 9 hz x",
            "CONFIG GET maxmemory-samples",
            "CONFIG SET activerehashing maybe",
            "CONFIG SET appendfsync sometimes",
            "CONFIG SET set-max-intset-entries -1",
            "CONFIG SET maxmemory-clients 101%",
            "CONFIG SET maxmemory-clients 10%",
            "CONFIG GET maxmemory-clients",
            "CONFIG SET maxmemory 18446744073709551615",
            "CONFIG GET maxmemory",
            "CONFIG SET hz -1",
            "CONFIG SET hz 0",
            "CONFIG GET hz",
        ],
        r#"
        > CONFIG SET databases 4
        (error) ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config
        > CONFIG SET dir /tmp
        (error) ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config
        > CONFIG SET nosuch 1 databases 2
        (error) ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'
        > CONFIG SET databases 2 nosuch 1
        (error) ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config
        > CONFIG SET hz 12 hz 13
        (error) ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter
        > CONFIG SET hz 20 HZ 30
        (error) ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter
        > CONFIG SET maxmemory-samples 9 hz x
        (error) ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer
        > CONFIG GET maxmemory-samples
        1) "maxmemory-samples"
        2) "5"
        > CONFIG SET activerehashing maybe
        (error) ERR CONFIG SET failed (possibly related to argument 'activerehashing') - argument must be 'yes' or 'no'
        > CONFIG SET appendfsync sometimes
        (error) ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no
        > CONFIG SET set-max-intset-entries -1
        (error) ERR CONFIG SET failed (possibly related to argument 'set-max-intset-entries') - argument must be between 0 and 9223372036854775807 inclusive
        > CONFIG SET maxmemory-clients 101%
        (error) ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument must be less or equal to 100
        > CONFIG SET maxmemory-clients 10%
        OK
        > CONFIG GET maxmemory-clients
        1) "maxmemory-clients"
        2) "10%"
        > CONFIG SET maxmemory 18446744073709551615
        OK
        > CONFIG GET maxmemory
        1) "maxmemory"
        2) "18446744073709551615"
        > CONFIG SET hz -1
        (error) ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between 0 and 2147483647 inclusive
        > CONFIG SET hz 0
        OK
        > CONFIG GET hz
        1) "hz"
        2) "1"
    "#,
    );
}
