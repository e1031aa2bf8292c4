//! How single commands are rewritten for replicas: relative TTLs become absolute,
//! pops and float increments propagate what they did.

use super::*;

#[test]
fn relative_ttls_become_absolute_pxat() {
    let mut s = Setup::new();
    let at = T0_MS + 100_000;
    s.run("SET k v EX 100");
    s.run("SET k v PX 100000");
    s.run(&format!("SET k v EXAT {}", at / 1000));
    s.run(&format!("SET k v PXAT {at}"));
    s.run("SETEX k 100 v");
    s.run("PSETEX k 100000 v");
    s.run("SET k v PX 100000 GET");
    s.run("SET k v GET KEEPTTL get");
    let pxat = format!("SET k v PXAT {at}");
    assert_eq!(
        s.stream(),
        vec![
            "SELECT 0".to_string(),
            pxat.clone(),
            pxat.clone(),
            pxat.clone(),
            pxat.clone(),
            pxat.clone(),
            pxat.clone(),
            pxat,
            "SET k v KEEPTTL".to_string(),
        ]
    );
}

#[test]
fn expire_family_becomes_pexpireat() {
    let mut s = Setup::new();
    s.run("SET k v");
    s.stream();
    let at = T0_MS + 100_000;
    s.run("EXPIRE k 100");
    s.run("PEXPIRE k 100000 XX");
    s.run(&format!("EXPIREAT k {}", at / 1000));
    s.run(&format!("PEXPIREAT k {at}"));
    s.run("EXPIRE k 50 GT"); // no change
    s.run("EXPIRE k -1");
    assert_eq!(
        s.stream(),
        vec![
            format!("PEXPIREAT k {at}"),
            format!("PEXPIREAT k {at} XX"),
            format!("PEXPIREAT k {at}"),
            format!("PEXPIREAT k {at}"),
            "DEL k".to_string(),
        ]
    );
}

#[test]
fn deadlines_in_the_past_propagate_as_deletions() {
    let mut s = Setup::new();
    s.run("SET k v");
    s.run("EXPIREAT k 1");
    s.run("SET k v");
    s.run("CONFIG SET lazyfree-lazy-expire yes");
    s.run("PEXPIRE k 0");
    assert_eq!(
        s.stream(),
        lines(&["SELECT 0", "SET k v", "DEL k", "SET k v", "UNLINK k"])
    );
}

#[test]
fn getex_and_getdel_propagate_as_what_they_did() {
    let mut s = Setup::new();
    s.run("SET k v");
    s.run("GETEX k EX 10");
    s.run("GETEX k PERSIST");
    s.run("GETEX k PERSIST");
    s.run("GETEX k");
    s.run("GETEX k EXAT 1");
    s.run("SET k v");
    s.run("GETDEL k");
    s.run("GETDEL k");
    assert_eq!(
        s.stream(),
        vec![
            "SELECT 0".to_string(),
            "SET k v".to_string(),
            format!("PEXPIREAT k {}", T0_MS + 10_000),
            "PERSIST k".to_string(),
            "DEL k".to_string(),
            "SET k v".to_string(),
            "DEL k".to_string(),
        ]
    );
}

#[test]
fn float_increments_propagate_their_result() {
    let mut s = Setup::new();
    s.run("SET f 10.5");
    s.run("INCRBYFLOAT f 0.1");
    s.run("HINCRBYFLOAT h x 1.5");
    s.run("HINCRBYFLOAT h x 1e2");
    s.run("GETSET f 1");
    assert_eq!(
        s.stream(),
        lines(&[
            "SELECT 0",
            "SET f 10.5",
            "SET f 10.6 KEEPTTL",
            "HSET h x 1.5",
            "HSET h x 101.5",
            "SET f 1",
        ])
    );
}

#[test]
fn spop_propagates_the_members_it_removed() {
    let mut s = Setup::new();
    s.run("SADD s a");
    s.run("SPOP s");
    s.run("SADD s a b c d");
    s.stream();
    let popped = s.run("SPOP s 2");
    let mut members: Vec<&str> = popped
        .lines()
        .filter_map(|l| l.split_once('"').map(|(_, m)| m.trim_end_matches('"')))
        .collect();
    members.sort_unstable();
    let mut stream = s.stream();
    assert_eq!(stream.first().map(String::as_str), Some("MULTI"));
    assert_eq!(stream.last().map(String::as_str), Some("EXEC"));
    stream.retain(|c| c.starts_with("SREM"));
    stream.sort();
    let expect: Vec<String> = members.iter().map(|m| format!("SREM s {m}")).collect();
    assert_eq!(stream, expect);
    s.run("SPOP s 10");
    assert_eq!(s.stream(), lines(&["DEL s"]));
}

#[test]
fn single_spop_is_an_srem() {
    let mut s = Setup::new();
    s.run("SADD s a");
    s.run("SPOP s");
    assert_eq!(s.stream(), lines(&["SELECT 0", "SADD s a", "SREM s a"]));
}

#[test]
fn pops_of_several_keys_propagate_as_plain_pops_with_a_count() {
    let mut s = Setup::new();
    s.run("RPUSH l a b c");
    s.run("LMPOP 2 nokey l LEFT COUNT 2");
    s.run("BLMPOP 0 1 l RIGHT COUNT 5");
    s.run("BLPOP nokey 0"); // would block: execute() answers nil, changes nothing
    s.run("RPUSH l x y");
    s.run("BRPOP l 0");
    s.run("BLMOVE l dst LEFT right 0");
    s.run("RPUSH l z");
    s.run("BRPOPLPUSH l dst 0");
    s.run("ZADD z 1 a 2 b 3 c");
    s.run("ZMPOP 1 z MAX COUNT 2");
    s.run("BZPOPMIN z 0");
    assert_eq!(
        s.stream(),
        lines(&[
            "SELECT 0",
            "RPUSH l a b c",
            "LPOP l 2",
            "RPOP l 1",
            "RPUSH l x y",
            "RPOP l",
            "LMOVE l dst LEFT right",
            "RPUSH l z",
            "RPOPLPUSH l dst",
            "ZADD z 1 a 2 b 3 c",
            "ZPOPMAX z 2",
            "ZPOPMIN z",
        ])
    );
}

#[test]
fn a_blocked_pop_served_later_propagates_after_the_push() {
    let mut s = Setup::new();
    let mut waiter = s.e.new_client();
    s.e.execute(&mut waiter, args("SELECT 2"), T0);
    let blpop = s.e.execute_blocking(&mut waiter, args("BLPOP l 0"), T0);
    assert_eq!(blpop, Exec::Blocked);
    let mut zwaiter = s.e.new_client();
    s.e.execute(&mut zwaiter, args("SELECT 2"), T0);
    let bzmpop =
        s.e.execute_blocking(&mut zwaiter, args("BZMPOP 0 1 z MIN COUNT 5"), T0);
    assert_eq!(bzmpop, Exec::Blocked);
    let mut mover = s.e.new_client();
    s.e.execute(&mut mover, args("SELECT 2"), T0);
    let blmove =
        s.e.execute_blocking(&mut mover, args("BLMOVE src l RIGHT LEFT 0"), T0);
    assert_eq!(blmove, Exec::Blocked);
    s.run("SELECT 2");
    s.run("RPUSH l a b");
    s.run("ZADD z 1 a 2 b");
    s.run("RPUSH src x");
    let served: Vec<u64> = s.e.take_unblocked().iter().map(|(id, _)| *id).collect();
    assert_eq!(served.len(), 3);
    assert_eq!(
        s.stream(),
        lines(&[
            "SELECT 2",
            "RPUSH l a b",
            "LPOP l",
            "ZADD z 1 a 2 b",
            "ZPOPMIN z 2",
            "RPUSH src x",
            "LMOVE src l right left",
        ])
    );
}

#[test]
fn geoadd_propagates_as_zadd_with_its_scores() {
    let mut s = Setup::new();
    s.run("GEOADD g CH 13.361389 38.115556 Palermo 15.087269 37.502669 Catania");
    s.run("GEOADD g NX 13.361389 38.115556 Palermo"); // changes nothing
    s.run("GEOADD g 1 2"); // a syntax error
    s.run("GEORADIUS g 15 37 200 km STORE near");
    s.run("GEOSEARCHSTORE far g FROMMEMBER Palermo BYRADIUS 10 km STOREDIST");
    assert_eq!(
        s.stream(),
        lines(&[
            "SELECT 0",
            "zadd g CH 3479099956230698 Palermo 3479447370796909 Catania",
            "GEORADIUS g 15 37 200 km STORE near",
            "GEOSEARCHSTORE far g FROMMEMBER Palermo BYRADIUS 10 km STOREDIST",
        ])
    );
}
