//! Property tests for the bit commands: random SETBIT, GETBIT, BITCOUNT, BITPOS,
//! BITOP and BITFIELD sequences run against the engine and against a plain model (one
//! byte vector per key, bits read one at a time, BITFIELD arithmetic done in i128).
//! Every reply and the final strings must agree.
//!
//! The model spells out Redis's rules without its tricks: ranges count from the end
//! when negative and are clamped; a string reads as if followed by zero bytes; a
//! write grows it to the last byte written; BITFIELD overflow wraps (two's
//! complement), saturates, or fails (nil, nothing written). Two quirks of Redis
//! 7.0 are kept on purpose, as redis-server shows them:
//! - an unsigned SET takes its value as a 64-bit unsigned number, so `SET u8 0 -1`
//!   overflows upwards (SAT gives 255);
//! - a signed SET of a value so negative that `max - value` overflows an i64 is
//!   taken as an overflow upwards too: `OVERFLOW SAT SET i8 0 -9223372036854775808`
//!   stores 127.

use std::collections::BTreeMap;

use cachelab_core::{Engine, Reply};
use proptest::prelude::*;

const T0_US: u64 = 1_700_000_000_000_000;
const KEYS: &[&str] = &["a", "b"];

#[derive(Clone, Copy, Debug)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

#[derive(Clone, Debug)]
enum Field {
    Get {
        signed: bool,
        bits: u32,
        offset: u64,
    },
    Set {
        signed: bool,
        bits: u32,
        offset: u64,
        value: i64,
    },
    Incr {
        signed: bool,
        bits: u32,
        offset: u64,
        by: i64,
    },
    Overflow(Overflow),
}

#[derive(Clone, Debug)]
enum Command {
    /// SET key with bytes that are mostly all-zero or all-one, so runs exist.
    Set(usize, Vec<u8>),
    SetBit(usize, u64, bool),
    GetBit(usize, u64),
    /// (start, end, BIT?) or the whole string.
    BitCount(usize, Option<(i64, i64, bool)>),
    /// bit, then start, end (optional), BIT?
    BitPos(usize, bool, Option<(i64, Option<i64>, bool)>),
    BitOp(&'static str, usize, Vec<usize>),
    BitField(usize, Vec<Field>),
}

fn key() -> impl Strategy<Value = usize> {
    0..KEYS.len()
}

fn field_type() -> impl Strategy<Value = (bool, u32)> {
    prop_oneof![
        (Just(true), 1u32..=64),
        (Just(false), 1u32..=63),
        (
            any::<bool>(),
            prop::sample::select(vec![1u32, 8, 16, 63, 64])
        ),
    ]
    .prop_map(|(signed, bits)| (signed, if signed { bits } else { bits.min(63) }))
}

fn number() -> impl Strategy<Value = i64> {
    prop_oneof![
        -300i64..300,
        any::<i64>(),
        prop::sample::select(vec![i64::MIN, i64::MAX, -1, 0, 1, 127, 128, 255, 256]),
    ]
}

fn field() -> impl Strategy<Value = Field> {
    let offset = 0u64..120;
    prop_oneof![
        (field_type(), offset.clone()).prop_map(|((signed, bits), offset)| Field::Get {
            signed,
            bits,
            offset
        }),
        (field_type(), offset.clone(), number()).prop_map(|((signed, bits), offset, value)| {
            Field::Set {
                signed,
                bits,
                offset,
                value,
            }
        }),
        (field_type(), offset, number()).prop_map(|((signed, bits), offset, by)| Field::Incr {
            signed,
            bits,
            offset,
            by
        }),
        prop::sample::select(vec![Overflow::Wrap, Overflow::Sat, Overflow::Fail])
            .prop_map(Field::Overflow),
    ]
}

fn range() -> impl Strategy<Value = i64> {
    -30i64..30
}

fn command() -> impl Strategy<Value = Command> {
    let byte = prop_oneof![Just(0u8), Just(0xff), any::<u8>()];
    prop_oneof![
        1 => (key(), prop::collection::vec(byte, 0..6)).prop_map(|(k, v)| Command::Set(k, v)),
        3 => (key(), 0u64..100, any::<bool>()).prop_map(|(k, o, b)| Command::SetBit(k, o, b)),
        1 => (key(), 0u64..120).prop_map(|(k, o)| Command::GetBit(k, o)),
        2 => (key(), prop::option::of((range(), range(), any::<bool>())))
            .prop_map(|(k, r)| Command::BitCount(k, r)),
        2 => (
            key(),
            any::<bool>(),
            prop::option::of((range(), prop::option::of(range()), any::<bool>()))
        )
            .prop_map(|(k, b, r)| Command::BitPos(k, b, r)),
        1 => (
            prop::sample::select(vec!["AND", "OR", "XOR", "NOT"]),
            key(),
            prop::collection::vec(key(), 1..3)
        )
            .prop_map(|(op, d, s)| Command::BitOp(op, d, s)),
        3 => (key(), prop::collection::vec(field(), 0..5)).prop_map(|(k, f)| Command::BitField(k, f)),
    ]
}

fn type_name(signed: bool, bits: u32) -> Vec<u8> {
    format!("{}{bits}", if signed { "i" } else { "u" }).into_bytes()
}

fn argv(op: &Command) -> Vec<Vec<u8>> {
    let s = |x: &dyn ToString| x.to_string().into_bytes();
    let k = |i: usize| KEYS[i].as_bytes().to_vec();
    match op {
        Command::Set(key, v) => vec![b"SET".to_vec(), k(*key), v.clone()],
        Command::SetBit(key, off, b) => vec![b"SETBIT".to_vec(), k(*key), s(off), s(&u8::from(*b))],
        Command::GetBit(key, off) => vec![b"GETBIT".to_vec(), k(*key), s(off)],
        Command::BitCount(key, r) => {
            let mut v = vec![b"BITCOUNT".to_vec(), k(*key)];
            if let Some((a, b, bit)) = r {
                v.extend([
                    s(a),
                    s(b),
                    if *bit {
                        b"BIT".to_vec()
                    } else {
                        b"BYTE".to_vec()
                    },
                ]);
            }
            v
        }
        Command::BitPos(key, bit, r) => {
            let mut v = vec![b"BITPOS".to_vec(), k(*key), s(&u8::from(*bit))];
            if let Some((a, b, isbit)) = r {
                v.push(s(a));
                if let Some(b) = b {
                    v.push(s(b));
                    v.push(if *isbit {
                        b"BIT".to_vec()
                    } else {
                        b"BYTE".to_vec()
                    });
                }
            }
            v
        }
        Command::BitOp(name, dest, srcs) => {
            let mut v = vec![b"BITOP".to_vec(), name.as_bytes().to_vec(), k(*dest)];
            v.extend(srcs.iter().map(|&i| k(i)));
            v
        }
        Command::BitField(key, fields) => {
            let mut v = vec![b"BITFIELD".to_vec(), k(*key)];
            for f in fields {
                match f {
                    Field::Get {
                        signed,
                        bits,
                        offset,
                    } => v.extend([b"GET".to_vec(), type_name(*signed, *bits), s(offset)]),
                    Field::Set {
                        signed,
                        bits,
                        offset,
                        value,
                    } => v.extend([
                        b"SET".to_vec(),
                        type_name(*signed, *bits),
                        s(offset),
                        s(value),
                    ]),
                    Field::Incr {
                        signed,
                        bits,
                        offset,
                        by,
                    } => v.extend([
                        b"INCRBY".to_vec(),
                        type_name(*signed, *bits),
                        s(offset),
                        s(by),
                    ]),
                    Field::Overflow(o) => v.extend([
                        b"OVERFLOW".to_vec(),
                        match o {
                            Overflow::Wrap => b"WRAP".to_vec(),
                            Overflow::Sat => b"SAT".to_vec(),
                            Overflow::Fail => b"FAIL".to_vec(),
                        },
                    ]),
                }
            }
            v
        }
    }
}

/// Bit `i` of a string that reads as if followed by zero bytes.
fn bit(s: &[u8], i: u64) -> bool {
    usize::try_from(i / 8)
        .ok()
        .and_then(|b| s.get(b))
        .is_some_and(|byte| byte & (0x80 >> (i % 8)) != 0)
}

fn put_bit(s: &mut Vec<u8>, i: u64, on: bool) {
    let byte = (i / 8) as usize;
    if s.len() <= byte {
        s.resize(byte + 1, 0);
    }
    if on {
        s[byte] |= 0x80 >> (i % 8);
    } else {
        s[byte] &= !(0x80 >> (i % 8));
    }
}

/// Negative indexes count from `total`; then both ends are clamped into the string.
fn clamp(start: i64, end: i64, total: i64) -> (i64, i64) {
    let fix = |v: i64| if v < 0 { v + total } else { v }.max(0);
    (fix(start), fix(end).min(total - 1))
}

#[derive(Default)]
struct Model {
    keys: BTreeMap<usize, Vec<u8>>,
}

impl Model {
    fn get(&self, k: usize) -> &[u8] {
        self.keys.get(&k).map_or(&[], Vec::as_slice)
    }

    fn apply(&mut self, op: &Command) -> Reply {
        match op {
            Command::Set(k, v) => {
                self.keys.insert(*k, v.clone());
                Reply::ok()
            }
            Command::SetBit(k, off, on) => {
                let s = self.keys.entry(*k).or_default();
                let old = bit(s, *off);
                put_bit(s, *off, *on);
                Reply::Integer(i64::from(old))
            }
            Command::GetBit(k, off) => Reply::Integer(i64::from(bit(self.get(*k), *off))),
            Command::BitCount(k, r) => {
                let s = self.get(*k);
                let len = s.len() as i64;
                let (first, last) = match *r {
                    None => (0, len * 8 - 1),
                    Some((a, b, isbit)) => {
                        if a < 0 && b < 0 && a > b {
                            return Reply::Integer(0);
                        }
                        let total = if isbit { len * 8 } else { len };
                        let (a, b) = clamp(a, b, total);
                        if isbit {
                            (a, b)
                        } else {
                            (a * 8, b * 8 + 7)
                        }
                    }
                };
                let n = (first.max(0)..=last).filter(|&i| bit(s, i as u64)).count();
                Reply::Integer(if first > last { 0 } else { n as i64 })
            }
            Command::BitPos(k, want, r) => {
                let Some(s) = self.keys.get(k) else {
                    return Reply::Integer(if *want { -1 } else { 0 });
                };
                let len = s.len() as i64;
                let (first, last, end_given) = match *r {
                    None => (0, len * 8 - 1, false),
                    Some((a, b, isbit)) => {
                        let isbit = isbit && b.is_some();
                        let total = if isbit { len * 8 } else { len };
                        let (a, b2) = clamp(a, b.unwrap_or(len - 1), total);
                        if a > b2 {
                            return Reply::Integer(-1);
                        }
                        if isbit {
                            (a, b2, true)
                        } else {
                            (a * 8, b2 * 8 + 7, b.is_some())
                        }
                    }
                };
                if first > last {
                    return Reply::Integer(-1);
                }
                match (first..=last).find(|&i| bit(s, i as u64) == *want) {
                    Some(i) => Reply::Integer(i),
                    None if !*want && !end_given => Reply::Integer(last + 1),
                    None => Reply::Integer(-1),
                }
            }
            Command::BitOp(name, dest, srcs) => {
                if *name == "NOT" && srcs.len() != 1 {
                    return Reply::Error(
                        b"ERR BITOP NOT must be called with a single source key.".to_vec(),
                    );
                }
                let inputs: Vec<Vec<u8>> = srcs.iter().map(|&i| self.get(i).to_vec()).collect();
                let len = inputs.iter().map(Vec::len).max().unwrap_or(0);
                let at = |v: &Vec<u8>, j: usize| v.get(j).copied().unwrap_or(0);
                let out: Vec<u8> = (0..len)
                    .map(|j| {
                        let mut v = at(&inputs[0], j);
                        for other in &inputs[1..] {
                            match *name {
                                "AND" => v &= at(other, j),
                                "OR" => v |= at(other, j),
                                _ => v ^= at(other, j),
                            }
                        }
                        if *name == "NOT" {
                            !v
                        } else {
                            v
                        }
                    })
                    .collect();
                if len == 0 {
                    self.keys.remove(dest);
                } else {
                    self.keys.insert(*dest, out);
                }
                Reply::Integer(len as i64)
            }
            Command::BitField(k, fields) => self.bitfield(*k, fields),
        }
    }

    fn bitfield(&mut self, k: usize, fields: &[Field]) -> Reply {
        let writes = fields
            .iter()
            .filter_map(|f| match f {
                Field::Set { bits, offset, .. } | Field::Incr { bits, offset, .. } => {
                    Some(offset + u64::from(*bits) - 1)
                }
                _ => None,
            })
            .max();
        if let Some(last) = writes {
            let s = self.keys.entry(k).or_default();
            let len = (last / 8 + 1) as usize;
            if s.len() < len {
                s.resize(len, 0);
            }
        }
        let mut overflow = Overflow::Wrap;
        let mut replies = Vec::new();
        for f in fields {
            let (signed, bits, offset) = match *f {
                Field::Overflow(o) => {
                    overflow = o;
                    continue;
                }
                Field::Get {
                    signed,
                    bits,
                    offset,
                }
                | Field::Set {
                    signed,
                    bits,
                    offset,
                    ..
                }
                | Field::Incr {
                    signed,
                    bits,
                    offset,
                    ..
                } => (signed, bits, offset),
            };
            let s = self.get(k);
            let raw: u64 =
                (0..u64::from(bits)).fold(0, |v, j| (v << 1) | u64::from(bit(s, offset + j)));
            let modulus = 1i128 << bits;
            let (min, max) = if signed {
                (-(modulus / 2), modulus / 2 - 1)
            } else {
                (0, modulus - 1)
            };
            let old: i128 = if signed && raw & (1u64 << (bits - 1)) != 0 {
                i128::from(raw) - modulus
            } else {
                i128::from(raw)
            };
            let target: i128 = match *f {
                Field::Get { .. } => {
                    replies.push(Reply::Integer(old as i64));
                    continue;
                }
                Field::Set { value, .. } if !signed => i128::from(value as u64),
                Field::Set { value, .. } => i128::from(value),
                Field::Incr { by, .. } => old + i128::from(by),
                Field::Overflow(_) => continue,
            };
            // Redis's signed check computes `max - value` in an i64 that wraps.
            let set_quirk =
                signed && matches!(f, Field::Set { .. }) && max - target > i128::from(i64::MAX);
            let new = if (min..=max).contains(&target) {
                target
            } else {
                match overflow {
                    Overflow::Fail => {
                        replies.push(Reply::Nil);
                        continue;
                    }
                    Overflow::Sat if target > max || set_quirk => max,
                    Overflow::Sat => min,
                    Overflow::Wrap => {
                        let w = target.rem_euclid(modulus);
                        if w > max {
                            w - modulus
                        } else {
                            w
                        }
                    }
                }
            };
            let s = self.keys.entry(k).or_default();
            let stored = (new.rem_euclid(modulus)) as u64;
            for j in 0..u64::from(bits) {
                put_bit(
                    s,
                    offset + j,
                    stored & (1u64 << (u64::from(bits) - 1 - j)) != 0,
                );
            }
            let reply = if matches!(f, Field::Set { .. }) {
                old
            } else {
                new
            };
            replies.push(Reply::Integer(reply as i64));
        }
        Reply::Array(replies)
    }
}

fn run(ops: &[Command]) -> Result<(), TestCaseError> {
    let mut engine = Engine::new();
    let mut client = engine.new_client();
    let mut model = Model::default();
    for (i, op) in ops.iter().enumerate() {
        let got = engine.execute(&mut client, argv(op), T0_US + i as u64);
        let want = model.apply(op);
        prop_assert_eq!(&got, &want, "op {} {:?}", i, op);
    }
    for (i, name) in KEYS.iter().enumerate() {
        let got = engine.execute(
            &mut client,
            vec![b"GET".to_vec(), name.as_bytes().to_vec()],
            T0_US,
        );
        let want = match model.keys.get(&i) {
            Some(v) => Reply::bulk(v.clone()),
            None => Reply::Nil,
        };
        prop_assert_eq!(got, want, "final value of {}", name);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn engine_agrees_with_the_bit_model(ops in prop::collection::vec(command(), 1..40)) {
        run(&ops)?;
    }
}

#[test]
fn overflow_edges_agree() {
    let ops = vec![
        Command::BitField(
            0,
            vec![
                Field::Set {
                    signed: false,
                    bits: 8,
                    offset: 0,
                    value: -1,
                },
                Field::Overflow(Overflow::Sat),
                Field::Set {
                    signed: false,
                    bits: 8,
                    offset: 0,
                    value: -1,
                },
                Field::Set {
                    signed: true,
                    bits: 8,
                    offset: 144,
                    value: i64::MIN,
                },
                Field::Incr {
                    signed: true,
                    bits: 64,
                    offset: 8,
                    by: i64::MIN,
                },
                Field::Incr {
                    signed: true,
                    bits: 64,
                    offset: 8,
                    by: -1,
                },
                Field::Overflow(Overflow::Fail),
                Field::Incr {
                    signed: false,
                    bits: 63,
                    offset: 80,
                    by: i64::MAX,
                },
                Field::Incr {
                    signed: false,
                    bits: 63,
                    offset: 80,
                    by: 1,
                },
            ],
        ),
        Command::BitPos(0, false, Some((0, None, false))),
        Command::BitCount(0, Some((-3, -1, true))),
    ];
    run(&ops).unwrap();
}
