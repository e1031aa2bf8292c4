//! SCAN: options, errors, and the guarantee that a key present for the whole
//! iteration is returned however the keyspace changes in between.

use std::collections::BTreeSet;

use super::{check, Session};
use cachelab_core::Reply;

#[test]
fn scan_options() {
    check(
        &[
            "MSET k1 a k2 b user:1 x user:2 y",
            "SCAN 0 MATCH user:1 COUNT 100",
            "SCAN 0 MATCH user:2 TYPE string COUNT 100",
            "SCAN 0 MATCH nomatch COUNT 100",
            "SCAN 0 TYPE list COUNT 100",
            "SCAN 0 TYPE nosuchtype COUNT 100",
        ],
        r#"
        > MSET k1 a k2 b user:1 x user:2 y
        OK
        > SCAN 0 MATCH user:1 COUNT 100
        1) "0"
        2) 1) "user:1"
        > SCAN 0 MATCH user:2 TYPE string COUNT 100
        1) "0"
        2) 1) "user:2"
        > SCAN 0 MATCH nomatch COUNT 100
        1) "0"
        2) (empty array)
        > SCAN 0 TYPE list COUNT 100
        1) "0"
        2) (empty array)
        > SCAN 0 TYPE nosuchtype COUNT 100
        1) "0"
        2) (empty array)
    "#,
    );
}

#[test]
fn scan_errors() {
    check(
        &[
            "SCAN 0 COUNT 0",
            "SCAN 0 COUNT -1",
            "SCAN 0 COUNT x",
            "SCAN 0 COUNT",
            "SCAN 0 MATCH",
            "SCAN 0 NOSUCH x",
            "SCAN x",
            "SCAN 1.5",
            "SCAN \" 1\"",
            "SCAN 18446744073709551616",
            "SCAN",
        ],
        r#"
        > SCAN 0 COUNT 0
        (error) ERR syntax error
        > SCAN 0 COUNT -1
        (error) ERR syntax error
        > SCAN 0 COUNT x
        (error) ERR value is not an integer or out of range
        > SCAN 0 COUNT
        (error) ERR syntax error
        > SCAN 0 MATCH
        (error) ERR syntax error
        > SCAN 0 NOSUCH x
        (error) ERR syntax error
        > SCAN x
        (error) ERR invalid cursor
        > SCAN 1.5
        (error) ERR invalid cursor
        > SCAN " 1"
        (error) ERR invalid cursor
        > SCAN 18446744073709551616
        (error) ERR invalid cursor
        > SCAN
        (error) ERR wrong number of arguments for 'scan' command
    "#,
    );
}

/// One full SCAN iteration, with `between` run before every call after the first.
fn scan_all(s: &mut Session, args: &[&str], mut between: impl FnMut(&mut Session)) -> Vec<Vec<u8>> {
    let mut cursor = b"0".to_vec();
    let mut keys = Vec::new();
    for call in 0.. {
        assert!(call < 100_000, "SCAN never returned cursor 0");
        if call > 0 {
            between(s);
        }
        let mut argv = vec![b"SCAN".to_vec(), cursor.clone()];
        argv.extend(args.iter().map(|a| a.as_bytes().to_vec()));
        let Reply::Array(parts) = s.exec_argv(argv) else {
            panic!("SCAN reply")
        };
        let [Reply::Bulk(next), Reply::Array(items)] = parts.as_slice() else {
            panic!("SCAN reply shape")
        };
        for item in items {
            let Reply::Bulk(k) = item else {
                panic!("SCAN item")
            };
            keys.push(k.to_vec());
        }
        if &next[..] == b"0" {
            break;
        }
        cursor = next.to_vec();
    }
    keys
}

#[test]
fn full_iteration_returns_every_key() {
    let mut s = Session::new();
    for i in 0..500 {
        s.exec(&format!("SET key:{i} v"));
    }
    for count in ["1", "7", "10", "1000"] {
        let keys: BTreeSet<Vec<u8>> = scan_all(&mut s, &["COUNT", count], |_| {})
            .into_iter()
            .collect();
        assert_eq!(keys.len(), 500, "COUNT {count}");
    }
    let some: BTreeSet<Vec<u8>> = scan_all(&mut s, &["MATCH", "key:1?"], |_| {})
        .into_iter()
        .collect();
    assert_eq!(some.len(), 10);
}

/// A small deterministic generator, so failures replay.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn keys_present_for_the_whole_scan_are_returned_despite_adds_and_deletes() {
    for seed in 1..=200u64 {
        let mut rng = XorShift(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut s = Session::new();
        let initial = 20 + rng.below(200);
        for i in 0..initial {
            s.exec(&format!("SET stable:{i} v"));
            s.exec(&format!("SET churn:{i} v"));
        }
        // Keys that exist before the scan and are never deleted during it.
        let survivors: BTreeSet<Vec<u8>> = (0..initial)
            .map(|i| format!("stable:{i}").into_bytes())
            .collect();
        let mut next_new = 0u64;
        let count = (1 + rng.below(12)).to_string();
        let keys = scan_all(&mut s, &["COUNT", &count], |s| {
            for _ in 0..rng.below(8) {
                match rng.below(3) {
                    0 => {
                        s.exec(&format!("DEL churn:{}", rng.below(initial)));
                    }
                    1 => {
                        s.exec(&format!("SET new:{next_new} v"));
                        next_new += 1;
                    }
                    _ => {
                        let victim = rng.below(next_new.max(1));
                        s.exec(&format!("DEL new:{victim}"));
                    }
                }
            }
        });
        let returned: BTreeSet<Vec<u8>> = keys.into_iter().collect();
        let missing: Vec<String> = survivors
            .difference(&returned)
            .map(|k| String::from_utf8_lossy(k).into_owned())
            .collect();
        assert!(
            missing.is_empty(),
            "seed {seed}, COUNT {count}: SCAN missed {missing:?}"
        );
    }
}

#[test]
fn keys_that_expire_during_the_scan_are_never_returned_after_their_deadline() {
    let mut s = Session::new();
    for i in 0..100 {
        s.exec(&format!("SET k:{i} v PX {}", 1 + i * 10));
    }
    s.now_us += 500_000;
    let keys = scan_all(&mut s, &["COUNT", "5"], |_| {});
    let returned: BTreeSet<Vec<u8>> = keys.into_iter().collect();
    let want: BTreeSet<Vec<u8>> = (50..100).map(|i| format!("k:{i}").into_bytes()).collect();
    assert_eq!(returned, want);
}
