//! Property tests: random sequences of string and TTL commands run against the engine
//! and against a deliberately simple model (a map of values with deadlines). Every
//! reply, and the final keyspace, must agree.
//!
//! The model follows Redis 7.0's rules: a key is expired once the clock is past its
//! deadline (`now > when`), EXPIRE-style commands whose deadline is not in the future
//! delete at once, SET drops the TTL unless KEEPTTL, APPEND and INCRBY keep it.
//! Active expiry removes an unpredictable subset of expired keys, so the model only
//! bounds DBSIZE; everything a client can observe is exact.

use std::collections::{BTreeMap, BTreeSet};

use cachelab_core::{Client, Engine, Reply};
use proptest::prelude::*;

const T0_US: u64 = 1_700_000_000_000_000;
const KEYS: &[&str] = &["a", "b", "c", "d"];

#[derive(Clone, Debug)]
enum Cond {
    None,
    Nx,
    Xx,
}

#[derive(Clone, Debug)]
enum SetExpire {
    None,
    Ex(i64),
    Px(i64),
    /// Offsets from "now", turned into absolute times when the op runs.
    ExAt(i64),
    PxAt(i64),
    KeepTtl,
}

#[derive(Clone, Copy, Debug)]
enum ExpireCond {
    None,
    Nx,
    Xx,
    Gt,
    Lt,
}

#[derive(Clone, Debug)]
enum Op {
    Set {
        key: usize,
        value: String,
        cond: Cond,
        get: bool,
        expire: SetExpire,
    },
    Get(usize),
    Append(usize, String),
    IncrBy(usize, i64),
    Del(Vec<usize>),
    Exists(Vec<usize>),
    Expire {
        key: usize,
        amount: i64,
        millis: bool,
        cond: ExpireCond,
    },
    Persist(usize),
    Ttl(usize),
    Pttl(usize),
    Advance(u64),
    ActiveExpire,
    DbSize,
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("v".to_string()),
        Just(String::new()),
        (-5i64..5).prop_map(|n| n.to_string()),
        Just("9223372036854775806".to_string()),
        Just("-9223372036854775807".to_string()),
        Just("01".to_string()),
        Just("1.5".to_string()),
        "[a-z]{1,3}",
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let key = 0..KEYS.len();
    let cond = prop_oneof![Just(Cond::None), Just(Cond::Nx), Just(Cond::Xx)];
    let set_expire = prop_oneof![
        3 => Just(SetExpire::None),
        2 => (-1i64..5).prop_map(SetExpire::Ex),
        2 => (-1i64..5000).prop_map(SetExpire::Px),
        1 => (-3i64..5).prop_map(SetExpire::ExAt),
        1 => (-3000i64..5000).prop_map(SetExpire::PxAt),
        1 => Just(SetExpire::KeepTtl),
    ];
    let expire_cond = prop_oneof![
        3 => Just(ExpireCond::None),
        1 => Just(ExpireCond::Nx),
        1 => Just(ExpireCond::Xx),
        1 => Just(ExpireCond::Gt),
        1 => Just(ExpireCond::Lt),
    ];
    let keys = prop::collection::vec(0..KEYS.len(), 1..4);
    prop_oneof![
        4 => (key.clone(), value(), cond, any::<bool>(), set_expire)
            .prop_map(|(key, value, cond, get, expire)| Op::Set { key, value, cond, get, expire }),
        3 => key.clone().prop_map(Op::Get),
        1 => (key.clone(), value()).prop_map(|(k, v)| Op::Append(k, v)),
        2 => (key.clone(), prop_oneof![-3i64..4, Just(i64::MAX), Just(i64::MIN)]).prop_map(|(k, n)| Op::IncrBy(k, n)),
        1 => keys.clone().prop_map(Op::Del),
        1 => keys.prop_map(Op::Exists),
        3 => (key.clone(), -2i64..6, any::<bool>(), expire_cond).prop_map(|(key, amount, millis, cond)| {
            Op::Expire { key, amount: if millis { amount * 700 } else { amount }, millis, cond }
        }),
        1 => key.clone().prop_map(Op::Persist),
        2 => key.clone().prop_map(Op::Ttl),
        2 => key.prop_map(Op::Pttl),
        3 => prop_oneof![0u64..2_000, 0u64..6_000_000, Just(1_000u64)].prop_map(Op::Advance),
        1 => Just(Op::ActiveExpire),
        1 => Just(Op::DbSize),
    ]
}

/// The model: values with optional deadlines (unix ms), plus an upper bound on which
/// keys may still be physically present (for DBSIZE).
struct Model {
    now_us: u64,
    data: BTreeMap<usize, (Vec<u8>, Option<i64>)>,
    maybe_present: BTreeSet<usize>,
}

fn bulk(b: &[u8]) -> Reply {
    Reply::bulk(b)
}

fn err(msg: &str) -> Reply {
    Reply::Error(msg.as_bytes().to_vec())
}

/// Redis's string2ll, the strict integer syntax.
fn strict_i64(b: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(b).ok()?;
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if digits.len() > 1 && digits.starts_with('0') || s == "-0" {
        return None;
    }
    s.parse().ok()
}

impl Model {
    fn now_ms(&self) -> i64 {
        (self.now_us / 1000) as i64
    }

    /// Lazy expiry on access; true if the key is (still) there.
    fn alive(&mut self, k: usize) -> bool {
        let now = self.now_ms();
        match self.data.get(&k) {
            Some((_, Some(at))) if now > *at => {
                self.data.remove(&k);
                self.maybe_present.remove(&k);
                false
            }
            Some(_) => true,
            None => false,
        }
    }

    fn put(&mut self, k: usize, v: Vec<u8>, at: Option<i64>) {
        self.data.insert(k, (v, at));
        self.maybe_present.insert(k);
    }

    fn delete(&mut self, k: usize) {
        self.data.remove(&k);
        self.maybe_present.remove(&k);
    }

    fn apply(&mut self, op: &Op) -> Reply {
        let now = self.now_ms();
        match op {
            Op::Set {
                key,
                value,
                cond,
                get,
                expire,
            } => {
                let deadline = match *expire {
                    SetExpire::Ex(n) | SetExpire::Px(n) if n <= 0 => {
                        return err("ERR invalid expire time in 'set' command")
                    }
                    SetExpire::Ex(s) => Some(now + s * 1000),
                    SetExpire::Px(ms) => Some(now + ms),
                    SetExpire::ExAt(off) => {
                        let at = now / 1000 + off;
                        if at <= 0 {
                            return err("ERR invalid expire time in 'set' command");
                        }
                        Some(at * 1000)
                    }
                    SetExpire::PxAt(off) => {
                        let at = now + off;
                        if at <= 0 {
                            return err("ERR invalid expire time in 'set' command");
                        }
                        Some(at)
                    }
                    SetExpire::None | SetExpire::KeepTtl => None,
                };
                let exists = self.alive(*key);
                let old = self.data.get(key).map(|(v, _)| v.clone());
                let old_at = self.data.get(key).and_then(|(_, at)| *at);
                let blocked = match cond {
                    Cond::Nx => exists,
                    Cond::Xx => !exists,
                    Cond::None => false,
                };
                if !blocked {
                    let at = match expire {
                        SetExpire::KeepTtl => old_at,
                        _ => deadline,
                    };
                    self.put(*key, value.as_bytes().to_vec(), at);
                }
                match (get, blocked) {
                    (true, _) => old.map_or(Reply::Nil, |v| bulk(&v)),
                    (false, false) => Reply::ok(),
                    (false, true) => Reply::Nil,
                }
            }
            Op::Get(k) => {
                if self.alive(*k) {
                    bulk(&self.data[k].0)
                } else {
                    Reply::Nil
                }
            }
            Op::Append(k, v) => {
                if self.alive(*k) {
                    let e = self.data.get_mut(k).expect("alive");
                    e.0.extend_from_slice(v.as_bytes());
                    Reply::Integer(e.0.len() as i64)
                } else {
                    self.put(*k, v.as_bytes().to_vec(), None);
                    Reply::Integer(v.len() as i64)
                }
            }
            Op::IncrBy(k, by) => {
                if self.alive(*k) {
                    let e = self.data.get_mut(k).expect("alive");
                    let Some(cur) = strict_i64(&e.0) else {
                        return err("ERR value is not an integer or out of range");
                    };
                    let Some(next) = cur.checked_add(*by) else {
                        return err("ERR increment or decrement would overflow");
                    };
                    e.0 = next.to_string().into_bytes();
                    Reply::Integer(next)
                } else {
                    self.put(*k, by.to_string().into_bytes(), None);
                    Reply::Integer(*by)
                }
            }
            Op::Del(keys) => {
                let mut n = 0;
                for k in keys {
                    if self.alive(*k) {
                        self.delete(*k);
                        n += 1;
                    }
                }
                Reply::Integer(n)
            }
            Op::Exists(keys) => {
                Reply::Integer(keys.iter().filter(|k| self.alive(**k)).count() as i64)
            }
            Op::Expire {
                key,
                amount,
                millis,
                cond,
            } => {
                let when = now + if *millis { *amount } else { *amount * 1000 };
                if !self.alive(*key) {
                    return Reply::Integer(0);
                }
                let cur = self.data[key].1;
                let skip = match cond {
                    ExpireCond::None => false,
                    ExpireCond::Nx => cur.is_some(),
                    ExpireCond::Xx => cur.is_none(),
                    ExpireCond::Gt => cur.is_none_or(|c| when <= c),
                    ExpireCond::Lt => cur.is_some_and(|c| when >= c),
                };
                if skip {
                    return Reply::Integer(0);
                }
                if when <= now {
                    self.delete(*key);
                } else if let Some(e) = self.data.get_mut(key) {
                    e.1 = Some(when);
                }
                Reply::Integer(1)
            }
            Op::Persist(k) => {
                if !self.alive(*k) {
                    return Reply::Integer(0);
                }
                let e = self.data.get_mut(k).expect("alive");
                Reply::Integer(i64::from(e.1.take().is_some()))
            }
            Op::Ttl(k) | Op::Pttl(k) => {
                if !self.alive(*k) {
                    return Reply::Integer(-2);
                }
                let Some(at) = self.data[k].1 else {
                    return Reply::Integer(-1);
                };
                let ttl = (at - now).max(0);
                Reply::Integer(if matches!(op, Op::Pttl(_)) {
                    ttl
                } else {
                    (ttl + 500) / 1000
                })
            }
            Op::Advance(us) => {
                self.now_us += us;
                Reply::ok()
            }
            Op::ActiveExpire | Op::DbSize => Reply::ok(),
        }
    }
}

fn argv(op: &Op, now_ms: i64) -> Option<Vec<Vec<u8>>> {
    let k = |i: &usize| KEYS[*i].as_bytes().to_vec();
    let s = |t: &str| t.as_bytes().to_vec();
    Some(match op {
        Op::Set {
            key,
            value,
            cond,
            get,
            expire,
        } => {
            let mut v = vec![s("SET"), k(key), s(value)];
            match cond {
                Cond::Nx => v.push(s("NX")),
                Cond::Xx => v.push(s("XX")),
                Cond::None => {}
            }
            if *get {
                v.push(s("GET"));
            }
            match expire {
                SetExpire::None => {}
                SetExpire::Ex(n) => v.extend([s("EX"), s(&n.to_string())]),
                SetExpire::Px(n) => v.extend([s("PX"), s(&n.to_string())]),
                SetExpire::ExAt(off) => {
                    v.extend([s("EXAT"), s(&(now_ms / 1000 + off).to_string())])
                }
                SetExpire::PxAt(off) => v.extend([s("PXAT"), s(&(now_ms + off).to_string())]),
                SetExpire::KeepTtl => v.push(s("KEEPTTL")),
            }
            v
        }
        Op::Get(key) => vec![s("GET"), k(key)],
        Op::Append(key, value) => vec![s("APPEND"), k(key), s(value)],
        Op::IncrBy(key, n) => vec![s("INCRBY"), k(key), s(&n.to_string())],
        Op::Del(keys) => std::iter::once(s("DEL"))
            .chain(keys.iter().map(k))
            .collect(),
        Op::Exists(keys) => std::iter::once(s("EXISTS"))
            .chain(keys.iter().map(k))
            .collect(),
        Op::Expire {
            key,
            amount,
            millis,
            cond,
        } => {
            let mut v = vec![
                s(if *millis { "PEXPIRE" } else { "EXPIRE" }),
                k(key),
                s(&amount.to_string()),
            ];
            match cond {
                ExpireCond::None => {}
                ExpireCond::Nx => v.push(s("NX")),
                ExpireCond::Xx => v.push(s("XX")),
                ExpireCond::Gt => v.push(s("GT")),
                ExpireCond::Lt => v.push(s("LT")),
            }
            v
        }
        Op::Persist(key) => vec![s("PERSIST"), k(key)],
        Op::Ttl(key) => vec![s("TTL"), k(key)],
        Op::Pttl(key) => vec![s("PTTL"), k(key)],
        Op::Advance(_) | Op::ActiveExpire | Op::DbSize => return None,
    })
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut engine = Engine::new();
    let mut client: Client = engine.new_client();
    let mut model = Model {
        now_us: T0_US,
        data: BTreeMap::new(),
        maybe_present: BTreeSet::new(),
    };
    for (i, op) in ops.iter().enumerate() {
        let now_ms = model.now_ms();
        match op {
            Op::Advance(_) => {
                model.apply(op);
            }
            Op::ActiveExpire => engine.active_expire_cycle(model.now_us),
            Op::DbSize => {
                let got = engine.execute(&mut client, vec![b"DBSIZE".to_vec()], model.now_us);
                let Reply::Integer(n) = got else {
                    return Err(TestCaseError::fail(format!("DBSIZE: {got:?}")));
                };
                let now = model.now_ms();
                let logical = model
                    .data
                    .values()
                    .filter(|(_, at)| at.is_none_or(|at| now <= at))
                    .count() as i64;
                prop_assert!(
                    logical <= n && n <= model.maybe_present.len() as i64,
                    "step {i}: DBSIZE {n}, expected between {logical} and {}",
                    model.maybe_present.len()
                );
            }
            _ => {
                let argv = argv(op, now_ms).expect("a command");
                let want = model.apply(op);
                let got = engine.execute(&mut client, argv.clone(), model.now_us);
                prop_assert_eq!(
                    &got,
                    &want,
                    "step {}: {:?}",
                    i,
                    argv.iter()
                        .map(|a| String::from_utf8_lossy(a).into_owned())
                        .collect::<Vec<_>>()
                );
            }
        }
    }
    // The final keyspace, as a client sees it.
    for (i, key) in KEYS.iter().enumerate() {
        let get = engine.execute(
            &mut client,
            vec![b"GET".to_vec(), key.as_bytes().to_vec()],
            model.now_us,
        );
        prop_assert_eq!(&get, &model.apply(&Op::Get(i)), "final GET {}", key);
        let pttl = engine.execute(
            &mut client,
            vec![b"PTTL".to_vec(), key.as_bytes().to_vec()],
            model.now_us,
        );
        prop_assert_eq!(&pttl, &model.apply(&Op::Pttl(i)), "final PTTL {}", key);
    }
    let Reply::Array(keys) = engine.execute(
        &mut client,
        vec![b"KEYS".to_vec(), b"*".to_vec()],
        model.now_us,
    ) else {
        return Err(TestCaseError::fail("KEYS"));
    };
    let mut got: Vec<Reply> = keys;
    got.sort_by_key(|r| format!("{r:?}"));
    let mut want: Vec<Reply> = model
        .data
        .keys()
        .map(|k| bulk(KEYS[*k].as_bytes()))
        .collect();
    want.sort_by_key(|r| format!("{r:?}"));
    prop_assert_eq!(got, want, "final KEYS *");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn engine_agrees_with_the_model(ops in prop::collection::vec(op(), 1..60)) {
        run(&ops)?;
    }
}

#[test]
fn model_and_engine_agree_on_a_known_sequence() {
    let ops = vec![
        Op::Set {
            key: 0,
            value: "5".into(),
            cond: Cond::None,
            get: false,
            expire: SetExpire::Px(1000),
        },
        Op::IncrBy(0, 2),
        Op::Pttl(0),
        Op::Advance(1_000_000),
        Op::Get(0),
        Op::Advance(1_000),
        Op::Get(0),
        Op::Set {
            key: 1,
            value: "x".into(),
            cond: Cond::Nx,
            get: true,
            expire: SetExpire::Ex(1),
        },
        Op::Expire {
            key: 1,
            amount: 5,
            millis: false,
            cond: ExpireCond::Gt,
        },
        Op::Ttl(1),
        Op::Advance(2_000_000),
        Op::ActiveExpire,
        Op::DbSize,
    ];
    run(&ops).unwrap();
}
