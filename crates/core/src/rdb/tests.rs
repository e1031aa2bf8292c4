//! DUMP payloads compared with the bytes redis-server 7.0.15 produces, values
//! round-tripped through every encoding, the old encodings Redis 7.0 still
//! loads, whole files, and random damage that must never panic.

use proptest::prelude::*;

use super::*;
use crate::types::Limits;
use crate::value::Value;
use crate::{cli, Client, Engine, Reply};

struct Bench {
    engine: Engine,
    client: Client,
    now_us: u64,
}

impl Bench {
    fn new() -> Bench {
        let mut engine = Engine::new();
        let client = engine.new_client();
        Bench {
            engine,
            client,
            now_us: 1_700_000_000_000_000,
        }
    }

    fn run_argv(&mut self, argv: Vec<Vec<u8>>) -> Reply {
        self.engine.execute(&mut self.client, argv, self.now_us)
    }

    fn run(&mut self, line: &str) -> Reply {
        let argv = cli::tokenize(line).expect("valid line");
        self.run_argv(argv)
    }

    fn dump(&mut self, key: &str) -> Vec<u8> {
        match self.run(&format!("DUMP {key}")) {
            Reply::Bulk(b) => b.into_vec(),
            other => panic!("DUMP {key}: {other:?}"),
        }
    }

    fn value(&self, key: &str) -> Value {
        self.engine
            .db(0)
            .and_then(|d| d.get(key.as_bytes()))
            .cloned()
            .expect("key exists")
    }
}

/// A redis-cli `--no-raw` rendering of bytes, back to bytes.
fn unescape(quoted: &str) -> Vec<u8> {
    cli::tokenize(quoted)
        .expect("valid quoted string")
        .remove(0)
}

#[track_caller]
fn assert_dump(setup: &[&str], key: &str, redis: &str) {
    let mut b = Bench::new();
    for line in setup {
        b.run(line);
    }
    let ours = b.dump(key);
    let theirs = unescape(redis);
    assert_eq!(
        cli::format_reply(&Reply::bulk(ours)),
        cli::format_reply(&Reply::bulk(theirs)),
        "DUMP {key} after {setup:?}"
    );
}

#[test]
fn strings_dump_like_redis() {
    let a100 = "a".repeat(100);
    let cases: &[(&str, &str)] = &[
        ("bar", r#""\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17""#),
        (
            &a100,
            r#""\x00\xc3\t@d\x01aa\xe0W\x00\x01aa\n\x00\xe8\xa3\xb5\a\xb0m\xf2q""#,
        ),
        (
            "abcdefghijklmnopqrstuvwxyz0123456789",
            r#""\x00$abcdefghijklmnopqrstuvwxyz0123456789\n\x00\xc3\xd1\x8eZ\xec\x8d\x8f\r""#,
        ),
        (
            "-9223372036854775808",
            r#""\x00\x14-9223372036854775808\n\x00\xed\xe2\xb9V\xebp\x9e\x81""#,
        ),
        (
            "12345678901",
            r#""\x00\x0b12345678901\n\x000NR\xd7'\x17e\x10""#,
        ),
        ("0123", r#""\x00\x040123\n\x00\n\xe4\x0c\x92\x9e;d\"""#),
        ("123", r#""\x00\xc0{\n\x00H\xe2S\xe1\x00zg\xb9""#),
        (
            "-70000",
            r#""\x00\xc2\x90\xee\xfe\xff\n\x00(u\xde{\x13\xeb(\x00""#,
        ),
        (
            "1234567890123",
            r#""\x00\r1234567890123\n\x00^\x0c\x12\xae\x04)\xbc\x1e""#,
        ),
        ("", r#""\x00\x00\n\x00]\x9b\\@\x0f\x7f\xa2\xda""#),
    ];
    for (value, redis) in cases {
        assert_dump(&[&format!("SET k \"{value}\"")], "k", redis);
    }
}

#[test]
fn aggregates_dump_like_redis() {
    assert_dump(
        &["RPUSH l a b 1 2 300 -5 hello 70000"],
        "l",
        r#""\x12\x01\x02##\x00\x00\x00\b\x00\x81a\x02\x81b\x02\x01\x01\x02\x01\xc1,\x02\xdf\xfb\x02\x85hello\x06\xf2p\x11\x01\x04\xff\n\x00\x12v^g\xf5K[\xff""#,
    );
    assert_dump(
        &["HSET h f v f2 123"],
        "h",
        r#""\x10\x13\x13\x00\x00\x00\x04\x00\x81f\x02\x81v\x02\x82f2\x03{\x01\xff\n\x00:J\xa3\xf1\xde#Kk""#,
    );
    assert_dump(
        &["SADD s 1 2 3"],
        "s",
        r#""\x0b\x0e\x02\x00\x00\x00\x03\x00\x00\x00\x01\x00\x02\x00\x03\x00\n\x00\xa5\x02\\\xe2mnM\x1b""#,
    );
    assert_dump(
        &["SADD s -5 70000"],
        "s",
        r#""\x0b\x10\x04\x00\x00\x00\x02\x00\x00\x00\xfb\xff\xff\xffp\x11\x01\x00\n\x00\\\x8c\xecz'\xad ^""#,
    );
    assert_dump(
        &["SADD s 1 9223372036854775807"],
        "s",
        r#""\x0b\x18\b\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\x7f\n\x00\x94 \xa5\xa36=\x85\xab""#,
    );
    assert_dump(
        &["ZADD z 1 a 2.5 b -3 c 1e300 d"],
        "z",
        r#""\x11\xc3-6\x1f6\x00\x00\x00\b\x00\x81c\x02\xdf\xfd\x02\x81a\x02\x01\x01\x81b\x02\x832.5\x04\x81d\x02\x971.0\xe0\x05\x00\a1e+300\x18\xff\n\x00\\\x81r\\\x03N\x0b\x0f""#,
    );
    assert_dump(
        &["ZADD z 0.1 x -0 y inf z -inf w"],
        "z",
        r#""\x11\xc3,5\x1b5\x00\x00\x00\b\x00\x81w\x02\x84-inf\x05\x81y\x02\x00\x01\x81x\x02\x930.10\xe0\x05\x00\x051\x14\x81z\x02\x83 $\x01\x04\xff\n\x00=\x8c\x94ig\x84i\\""#,
    );
    assert_dump(
        &[
            "CONFIG SET zset-max-listpack-entries 2",
            "ZADD z 1 a 2.5 b -3 c",
        ],
        "z",
        r#""\x05\x03\x01b\x00\x00\x00\x00\x00\x00\x04@\x01a\x00\x00\x00\x00\x00\x00\xf0?\x01c\x00\x00\x00\x00\x00\x00\b\xc0\n\x00}\xde9m\xd2l\n\x9e""#,
    );
}

#[test]
fn multi_node_list_dumps_like_redis() {
    let mut b = Bench::new();
    for i in 1..=600 {
        b.run(&format!("RPUSH l element-{i}"));
    }
    let d = b.dump("l");
    // Redis 7.0.15: 3042 bytes whose CRC (the last 8) is a100a7536b627c2e.
    assert_eq!(d.len(), 3042);
    let crc: Vec<u8> = d[d.len() - 8..].to_vec();
    assert_eq!(crc, [0xa1, 0x00, 0xa7, 0x53, 0x6b, 0x62, 0x7c, 0x2e]);
}

#[test]
fn stream_dumps_like_redis() {
    let mut b = Bench::new();
    // The delivery and seen times Redis wrote, in ms.
    let ms = u64::from_le_bytes([0xdd, 0x07, 0x3a, 0x19, 0xa2, 0x01, 0, 0]);
    b.now_us = ms * 1000;
    for line in [
        "XADD s 1-1 f v g 12",
        "XADD s 1-2 f v2 g 13",
        "XADD s 2-0 h x",
        "XGROUP CREATE s grp 0",
        "XREADGROUP GROUP grp alice COUNT 2 STREAMS s >",
    ] {
        b.run(line);
    }
    let redis = unescape(
        r#""\x13\x01\x10\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01@AA\x00\x00\x00\x19\x00\x03\x01\x00\x01\x02\x01\x81f\x02\x81g\x02\x00\x01\x02\x01\x00\x01\x00\x01\x81v\x02\x0c\x01\x05\x01\x02\x01\x00\x01\x01\x01\x82v2\x03\r\x01\x05\x01\x00\x01\x01\x01\xdf\xff\x02\x01\x01\x81h\x02\x81x\x02\x06\x01\xff\x03\x02\x00\x01\x01\x00\x00\x03\x01\x03grp\x01\x02\x02\x02\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\xdd\a:\x19\xa2\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02\xdd\a:\x19\xa2\x01\x00\x00\x01\x01\x05alice\xdd\a:\x19\xa2\x01\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02\n\x00\xd6\xa4\xc3\x9f3\x96d\x9a""#,
    );
    assert_eq!(
        cli::format_reply(&Reply::bulk(b.dump("s"))),
        cli::format_reply(&Reply::bulk(redis))
    );
}

/// DUMP then RESTORE under a new name must give a key that reads the same.
#[track_caller]
fn assert_roundtrip(setup: &[&str], reads: &[&str]) {
    let mut b = Bench::new();
    for line in setup {
        b.run(line);
    }
    let payload = b.dump("k");
    let reply = b.run_argv(vec![
        b"RESTORE".to_vec(),
        b"k2".to_vec(),
        b"0".to_vec(),
        payload.clone(),
    ]);
    assert_eq!(reply, Reply::ok(), "RESTORE after {setup:?}");
    for read in reads {
        let a = b.run(&read.replace("{k}", "k"));
        let c = b.run(&read.replace("{k}", "k2"));
        assert_eq!(a, c, "{read} after {setup:?}");
    }
    assert_eq!(b.dump("k2"), payload, "re-DUMP after {setup:?}");
}

#[test]
fn every_type_roundtrips() {
    let enc = "OBJECT ENCODING {k}";
    assert_roundtrip(&["SET k hello"], &["GET {k}", enc]);
    assert_roundtrip(&["SET k 42"], &["GET {k}", enc]);
    assert_roundtrip(&[&format!("SET k {}", "xy".repeat(40))], &["GET {k}", enc]);
    assert_roundtrip(&["RPUSH k a 1 b -2 c 300000"], &["LRANGE {k} 0 -1", enc]);
    assert_roundtrip(&["HSET k a 1 b 2 c three"], &["HGETALL {k}", enc]);
    assert_roundtrip(
        &[
            "CONFIG SET hash-max-listpack-entries 2",
            "HSET k a 1 b 2 c three",
        ],
        &["HLEN {k}", "HGET {k} c", enc],
    );
    assert_roundtrip(&["SADD k 5 1 3"], &["SMEMBERS {k}", enc]);
    assert_roundtrip(&["SADD k a b c"], &["SCARD {k}", "SISMEMBER {k} b", enc]);
    assert_roundtrip(
        &["ZADD k 1 a 2 b 2.5 c"],
        &["ZRANGE {k} 0 -1 WITHSCORES", enc],
    );
    assert_roundtrip(
        &[&format!("ZADD k 1 a 2 {} 3 c", "m".repeat(100))],
        &["ZRANGE {k} 0 -1 WITHSCORES", enc],
    );
    assert_roundtrip(
        &[
            "XADD k 1-1 a 1",
            "XADD k 2-1 a 2 b 3",
            "XADD k 3-0 c 4",
            "XGROUP CREATE k g 0",
            "XGROUP CREATE k g2 $",
            "XREADGROUP GROUP g alice COUNT 2 STREAMS k >",
            "XREADGROUP GROUP g bob COUNT 1 STREAMS k >",
        ],
        &[
            "XRANGE {k} - +",
            "XINFO STREAM {k} FULL",
            "XPENDING {k} g - + 10",
            "XINFO GROUPS {k}",
        ],
    );
}

#[test]
fn restore_follows_encoding_limits() {
    let mut b = Bench::new();
    b.run("HSET k a 1 b 2 c 3");
    let payload = b.dump("k");
    b.run("CONFIG SET hash-max-listpack-entries 2");
    b.run_argv(vec![
        b"RESTORE".to_vec(),
        b"k2".to_vec(),
        b"0".to_vec(),
        payload,
    ]);
    assert_eq!(b.run("OBJECT ENCODING k2"), Reply::bulk("hashtable"));

    b.run("SADD s 1 2 3");
    let payload = b.dump("s");
    b.run("CONFIG SET set-max-intset-entries 2");
    b.run_argv(vec![
        b"RESTORE".to_vec(),
        b"s2".to_vec(),
        b"0".to_vec(),
        payload,
    ]);
    assert_eq!(b.run("OBJECT ENCODING s2"), Reply::bulk("hashtable"));
}

/// A payload around a serialized object, with Redis's footer.
fn payload(rdb_type: u8, body: &[u8]) -> Vec<u8> {
    let mut p = vec![rdb_type];
    p.extend_from_slice(body);
    p.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64::crc64(0, &p);
    p.extend_from_slice(&crc.to_le_bytes());
    p
}

fn raw_string(bytes: &[u8]) -> Vec<u8> {
    let opts = EncodeOptions {
        compress: false,
        list_fill: -2,
    };
    let mut w = write::Writer::new(&opts);
    w.len(bytes.len() as u64);
    w.out.extend_from_slice(bytes);
    w.out
}

fn decode(rdb_type: u8, body: &[u8]) -> Result<Value, RdbError> {
    decode_payload(&payload(rdb_type, body), &Limits::default())
}

fn list_of(v: &Value) -> Vec<Vec<u8>> {
    match v {
        Value::List(l) => l.iter().cloned().collect(),
        other => panic!("not a list: {other:?}"),
    }
}

#[test]
fn old_list_encodings_load() {
    let elements: Vec<&[u8]> = vec![b"a", b"12", b"-7", b"hello"];
    let zl = ziplist::build(&elements);
    let want: Vec<Vec<u8>> = elements.iter().map(|e| e.to_vec()).collect();
    // RDB_TYPE_LIST_ZIPLIST
    assert_eq!(
        list_of(&decode(types::LIST_ZIPLIST, &raw_string(&zl)).unwrap()),
        want
    );
    // RDB_TYPE_LIST_QUICKLIST: node count, then ziplists.
    let mut body = vec![2];
    body.extend(raw_string(&zl));
    body.extend(raw_string(&ziplist::build(&[b"z"])));
    let mut want2 = want.clone();
    want2.push(b"z".to_vec());
    assert_eq!(
        list_of(&decode(types::LIST_QUICKLIST, &body).unwrap()),
        want2
    );
    // RDB_TYPE_LIST: plain strings, integer-encoded ones too.
    let body = [&[3u8][..], &raw_string(b"x"), &[0xc0, 5], &raw_string(b"y")].concat();
    assert_eq!(
        list_of(&decode(types::LIST, &body).unwrap()),
        vec![b"x".to_vec(), b"5".to_vec(), b"y".to_vec()]
    );
    // Quicklist v2 with a plain node.
    let body = [&[1u8, 1][..], &raw_string(b"big")].concat();
    assert_eq!(
        list_of(&decode(types::LIST_QUICKLIST_2, &body).unwrap()),
        vec![b"big".to_vec()]
    );
    // Empty ones are refused, like Redis's "empty keys".
    assert_eq!(
        decode(types::LIST_ZIPLIST, &raw_string(&ziplist::build(&[]))).err(),
        Some(RdbError::EmptyKey)
    );
    assert_eq!(decode(types::LIST, &[0]).err(), Some(RdbError::EmptyKey));
}

#[test]
fn old_hash_and_zset_encodings_load() {
    let zl = ziplist::build(&[b"f1", b"v1", b"f2", b"2"]);
    match decode(types::HASH_ZIPLIST, &raw_string(&zl)).unwrap() {
        Value::Hash(h) => {
            assert!(h.listpack);
            assert_eq!(h.get(b"f2"), Some(&b"2"[..]));
        }
        other => panic!("{other:?}"),
    }
    let dup = ziplist::build(&[b"f1", b"v1", b"f1", b"2"]);
    assert!(decode(types::HASH_ZIPLIST, &raw_string(&dup)).is_err());
    let odd = ziplist::build(&[b"f1", b"v1", b"f2"]);
    assert!(decode(types::HASH_ZIPLIST, &raw_string(&odd)).is_err());

    let zm = b"\x02\x03foo\x03\x00bar\x05hello\x05\x00world\xff";
    match decode(types::HASH_ZIPMAP, &raw_string(zm)).unwrap() {
        Value::Hash(h) => {
            assert_eq!(h.get(b"hello"), Some(&b"world"[..]));
            assert_eq!(h.encoding(), "listpack");
        }
        other => panic!("{other:?}"),
    }

    let zl = ziplist::build(&[b"a", b"1", b"b", b"2.5"]);
    match decode(types::ZSET_ZIPLIST, &raw_string(&zl)).unwrap() {
        Value::ZSet(z) => {
            assert_eq!(z.score(b"b"), Some(2.5));
            assert_eq!(z.encoding(), "listpack");
        }
        other => panic!("{other:?}"),
    }
    // RDB_TYPE_ZSET: scores as text (253 NaN, 254 +inf, 255 -inf).
    let body = [
        &[2u8][..],
        &raw_string(b"m"),
        &[3],
        b"1.5",
        &raw_string(b"n"),
        &[254],
    ]
    .concat();
    match decode(types::ZSET, &body).unwrap() {
        Value::ZSet(z) => {
            assert_eq!(z.score(b"m"), Some(1.5));
            assert_eq!(z.score(b"n"), Some(f64::INFINITY));
        }
        other => panic!("{other:?}"),
    }
    let nan = [&[1u8][..], &raw_string(b"m"), &[253]].concat();
    assert!(decode(types::ZSET, &nan).is_err());
}

#[test]
fn legacy_stream_payload_loads() {
    // From the 7.0 test suite (stream-cgroups.tcl): a stream DUMPed by Redis 5
    // with deleted entries and two consumer groups.
    let p = unescape(
        r#""\x0F\x01\x10\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\xC3\x40\x4A\x40\x57\x16\x57\x00\x00\x00\x23\x00\x02\x01\x04\x01\x01\x01\x84\x64\x61\x74\x61\x05\x00\x01\x03\x01\x00\x20\x01\x03\x81\x61\x02\x04\x20\x0A\x00\x01\x40\x0A\x00\x62\x60\x0A\x00\x02\x40\x0A\x00\x63\x60\x0A\x40\x22\x01\x81\x64\x20\x0A\x40\x39\x20\x0A\x00\x65\x60\x0A\x00\x05\x40\x0A\x00\x66\x20\x0A\x00\xFF\x02\x06\x00\x02\x02\x67\x31\x05\x00\x04\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x3E\xF7\x83\x43\x7A\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x3E\xF7\x83\x43\x7A\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x3E\xF7\x83\x43\x7A\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x3E\xF7\x83\x43\x7A\x01\x00\x00\x01\x01\x03\x63\x31\x31\x3E\xF7\x83\x43\x7A\x01\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x02\x67\x32\x00\x00\x00\x00\x09\x00\x3D\x52\xEF\x68\x67\x52\x1D\xFA""#,
    );
    assert!(verify_payload(&p));
    match decode_payload(&p, &Limits::default()).unwrap() {
        Value::Stream(s) => {
            assert_eq!(s.len(), 2);
            assert_eq!(s.entries_added, 2);
            assert_eq!(s.groups[&b"g1".to_vec()].entries_read, Some(1));
            assert_eq!(s.groups[&b"g2".to_vec()].entries_read, Some(0));
            assert_eq!(s.groups[&b"g1".to_vec()].pel.len(), 4);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn footer_is_checked() {
    let good = payload(types::STRING, &raw_string(b"x"));
    assert!(verify_payload(&good));
    let mut bad_crc = good.clone();
    let last = bad_crc.len() - 1;
    bad_crc[last] ^= 1;
    assert!(!verify_payload(&bad_crc));
    let mut newer = good.clone();
    let v = newer.len() - 10;
    newer[v] = 11;
    assert!(!verify_payload(&newer));
    assert!(!verify_payload(&good[..9]));
}

#[test]
fn whole_files_roundtrip() {
    let mut b = Bench::new();
    b.run("SET a 1");
    b.run("RPUSH l x y");
    b.run("ZADD z 1 m");
    let file = RdbFile {
        aux: vec![(b"redis-ver".to_vec(), b"7.0.15".to_vec())],
        functions: vec![],
        dbs: vec![RdbDb {
            index: 3,
            keys: vec![
                RdbKey {
                    key: b"a".to_vec(),
                    value: b.value("a"),
                    expire_ms: Some(1_900_000_000_000),
                    idle_s: None,
                    freq: None,
                },
                RdbKey {
                    key: b"l".to_vec(),
                    value: b.value("l"),
                    expire_ms: None,
                    idle_s: Some(12),
                    freq: Some(7),
                },
                RdbKey {
                    key: b"z".to_vec(),
                    value: b.value("z"),
                    expire_ms: None,
                    idle_s: None,
                    freq: None,
                },
            ],
        }],
    };
    let bytes = encode_file(&file, &EncodeOptions::default());
    assert!(bytes.starts_with(b"REDIS0010\xfa"));
    let back = decode_file(&bytes, &Limits::default()).expect("valid file");
    assert_eq!(back.aux, file.aux);
    assert_eq!(back.dbs.len(), 1);
    assert_eq!(back.dbs[0].index, 3);
    let again = encode_file(&back, &EncodeOptions::default());
    assert_eq!(again, bytes);
    let mut corrupt = bytes.clone();
    corrupt[12] ^= 0x20;
    assert!(decode_file(&corrupt, &Limits::default()).is_err());
    // A zero checksum means "not computed" and is accepted.
    let mut unchecked = bytes.clone();
    let n = unchecked.len();
    unchecked[n - 8..].fill(0);
    assert!(decode_file(&unchecked, &Limits::default()).is_ok());
    assert_eq!(
        decode_file(b"REDIS0011", &Limits::default()).err(),
        Some(RdbError::BadHeader)
    );
}

#[test]
fn whole_keyspace_saves_and_loads() {
    let mut b = Bench::new();
    for line in [
        "SET plain v",
        "SET soon v PX 5000",
        "SET gone v PX 10",
        "RPUSH list a b c",
        "SELECT 5",
        "HSET h f v",
        "XADD s 1-1 f v",
        "SELECT 0",
    ] {
        b.run(line);
    }
    let now = b.now_us / 1000;
    let bytes = keyspace::save(&b.engine, now);
    assert!(bytes.starts_with(b"REDIS0010"));

    let mut fresh = Bench::new();
    fresh.run("SET old stuff");
    fresh.now_us += 20_000;
    keyspace::load(&mut fresh.engine, &bytes, fresh.now_us / 1000).expect("loads");
    assert_eq!(fresh.run("EXISTS old gone plain list"), Reply::Integer(2));
    assert_eq!(fresh.run("PTTL soon"), Reply::Integer(4980));
    assert_eq!(fresh.dump("list"), b.dump("list"));
    fresh.run("SELECT 5");
    b.run("SELECT 5");
    assert_eq!(fresh.dump("s"), b.dump("s"));
    assert_eq!(fresh.dump("h"), b.dump("h"));

    // A damaged file changes nothing.
    let mut damaged = bytes.clone();
    let n = damaged.len();
    damaged[n - 1] ^= 1;
    assert!(keyspace::load(&mut fresh.engine, &damaged, 0).is_err());
    assert_eq!(fresh.run("EXISTS s h"), Reply::Integer(2));
}

/// Payloads of every type from the engine, to damage in the property test.
fn sample_payloads() -> Vec<Vec<u8>> {
    let mut b = Bench::new();
    for line in [
        "SET str hello",
        "SET int 12345",
        "SET long abcabcabcabcabcabcabcabcabcabcabcabcabcabc",
        "RPUSH list a 1 b 300 -40000 hello",
        "HSET hash f v n 7",
        "SADD iset 1 5 70000",
        "SADD tset a b c",
        "ZADD zl 1 a 2.5 b",
        "CONFIG SET zset-max-listpack-entries 1",
        "ZADD zs 1 a 2 b",
        "XADD st 1-1 f v",
        "XADD st 2-2 f w g x",
        "XGROUP CREATE st g 0",
        "XREADGROUP GROUP g c STREAMS st >",
    ] {
        b.run(line);
    }
    [
        "str", "int", "long", "list", "hash", "iset", "tset", "zl", "zs", "st",
    ]
    .iter()
    .map(|k| b.dump(k))
    .collect()
}

/// Recomputes the CRC so damage reaches the decoder instead of the checksum.
fn reseal(mut p: Vec<u8>) -> Vec<u8> {
    if p.len() >= 10 {
        let n = p.len();
        let crc = crc64::crc64(0, &p[..n - 8]);
        p[n - 8..].copy_from_slice(&crc.to_le_bytes());
    }
    p
}

/// Decodes and, if that worked, re-encodes: neither may panic, and what
/// decodes must encode to something that decodes again.
fn exercise(p: &[u8]) {
    if !verify_payload(p) {
        return;
    }
    if let Ok(v) = decode_payload(p, &Limits::default()) {
        let again = dump(&v, &EncodeOptions::default());
        assert!(decode_payload(&again, &Limits::default()).is_ok());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn damaged_payloads_never_panic(
        which in 0usize..10,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in proptest::option::of(any::<usize>()),
    ) {
        let samples = sample_payloads();
        let mut p = samples[which % samples.len()].clone();
        let body = p.len() - 10;
        for (at, byte) in edits {
            p[at % body] = byte;
        }
        if let Some(c) = cut {
            let keep = c % body;
            let footer = p[body..].to_vec();
            p.truncate(keep);
            p.extend_from_slice(&footer);
        }
        exercise(&reseal(p));
    }

    #[test]
    fn random_payloads_never_panic(
        t in 0u8..=20,
        body in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        exercise(&payload(t, &body));
    }
}
