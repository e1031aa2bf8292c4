//! Which arguments of a command are keys, as COMMAND GETKEYS finds them:
//! the key specs first, then the command's own rules ([`KeysProc`]) when the
//! specs can't tell (Redis's `getKeysFromCommandWithSpecs`).

use super::key::{ACCESS, INCOMPLETE, NOT_KEY, OW, RO, RW, UPDATE, VARIABLE_FLAGS};
use super::{BeginSearch, CommandSpec, FindKeys, KeySpec, KeysProc};
use crate::num::parse_i64;

/// Whether the command can have keys at all (Redis's `doesCommandHaveKeys`).
pub fn has_keys(spec: &CommandSpec) -> bool {
    spec.keys_proc != KeysProc::None || spec.key_specs.iter().any(|k| k.flags & NOT_KEY == 0)
}

/// The positions of the keys in `args` (the command's name first) with their
/// key-spec flags, in the order Redis reports them; empty when none are found.
pub fn keys_of(spec: &CommandSpec, args: &[Vec<u8>]) -> Vec<(usize, u32)> {
    let real_keys = spec.key_specs.iter().any(|k| k.flags & NOT_KEY == 0);
    let variable = spec.key_specs.iter().any(|k| k.flags & VARIABLE_FLAGS != 0);
    if real_keys && !variable {
        if let Some(keys) = from_specs(spec.key_specs, args) {
            return keys;
        }
    }
    from_proc(spec.keys_proc, args)
}

/// Redis's `getKeysUsingKeySpecs`; `None` when a spec can't be applied
/// (unknown, out of range, a bad numkeys, incomplete).
fn from_specs(specs: &[KeySpec], args: &[Vec<u8>]) -> Option<Vec<(usize, u32)>> {
    let argc = args.len() as i64;
    let mut keys = Vec::new();
    for spec in specs {
        if spec.flags & NOT_KEY != 0 {
            continue;
        }
        let mut first = match spec.begin {
            BeginSearch::Index(i) => i64::from(i),
            BeginSearch::Keyword { keyword, startfrom } => {
                match find_keyword(args, keyword, i64::from(startfrom)) {
                    Some(i) => i + 1,
                    None => continue,
                }
            }
            BeginSearch::Unknown => return None,
        };
        let (last, step) = match spec.find {
            FindKeys::Range {
                lastkey,
                keystep,
                limit,
            } => {
                let lastkey = i64::from(lastkey);
                let last = if lastkey >= 0 {
                    first + lastkey
                } else if limit == 0 {
                    argc + lastkey
                } else {
                    first + ((argc - first) / i64::from(limit) + lastkey)
                };
                (last, keystep)
            }
            FindKeys::Keynum {
                keynumidx,
                firstkey,
                keystep,
            } => {
                if i64::from(keynumidx) >= argc {
                    return None;
                }
                let arg = usize::try_from(first + i64::from(keynumidx))
                    .ok()
                    .and_then(|i| args.get(i))?;
                let n = parse_i64(arg).filter(|n| *n >= 0)?;
                first += i64::from(firstkey);
                (first.saturating_add(n) - 1, keystep)
            }
            FindKeys::Unknown => return None,
        };
        if last >= argc || last < first || first >= argc {
            return None;
        }
        let step = usize::try_from(step).unwrap_or(1).max(1);
        for i in (first as usize..=last as usize).step_by(step) {
            keys.push((i, spec.flags));
        }
        if spec.flags & INCOMPLETE != 0 {
            return None;
        }
    }
    Some(keys)
}

/// The first argument equal to `keyword` (ignoring case), searched from
/// `startfrom` onwards, or backwards from the end when it is negative; the
/// last argument is never looked at going forwards, nor the name going back.
fn find_keyword(args: &[Vec<u8>], keyword: &str, startfrom: i64) -> Option<i64> {
    let argc = args.len() as i64;
    let (start, end) = if startfrom > 0 {
        (startfrom, argc - 1)
    } else {
        (argc + startfrom, 1)
    };
    let mut i = start;
    while i != end {
        if i >= argc || i < 1 {
            break;
        }
        if args
            .get(i as usize)
            .is_some_and(|a| a.eq_ignore_ascii_case(keyword.as_bytes()))
        {
            return Some(i);
        }
        i = if start <= end { i + 1 } else { i - 1 };
    }
    None
}

/// Redis's `getkeys_proc`s, for what the key specs can't answer.
fn from_proc(proc_: KeysProc, args: &[Vec<u8>]) -> Vec<(usize, u32)> {
    let is = |i: usize, word: &str| {
        args.get(i)
            .is_some_and(|a| a.eq_ignore_ascii_case(word.as_bytes()))
    };
    match proc_ {
        KeysProc::None => Vec::new(),
        KeysProc::NumKeys {
            store,
            count,
            first,
        } => {
            // `genericGetKeys` reads numkeys with atoi and flags nothing.
            let num = args.get(count).map_or(0, |a| atoi(a));
            let room = args.len().saturating_sub(first) as i64;
            if num < 1 || i64::from(num) > room {
                return Vec::new();
            }
            let mut keys: Vec<(usize, u32)> =
                (first..first + num as usize).map(|i| (i, 0)).collect();
            if store > 0 {
                keys.push((store, 0));
            }
            keys
        }
        KeysProc::Set => {
            let get = args.iter().skip(3).any(|a| a.eq_ignore_ascii_case(b"get"));
            vec![(
                1,
                if get {
                    RW | ACCESS | UPDATE
                } else {
                    OW | UPDATE
                },
            )]
        }
        KeysProc::Bitfield => {
            // `bitfieldGetKeys`: read-only while only GET and OVERFLOW come first.
            let mut read_only = true;
            let mut i = 2;
            while i < args.len() {
                let more = args.len() - i - 1;
                if is(i, "get") && more >= 2 {
                    i += 3;
                } else if is(i, "overflow") && more >= 1 {
                    i += 2;
                } else {
                    // SET, INCRBY, or a syntax error (assumed to write).
                    read_only = false;
                    break;
                }
            }
            let flags = if read_only {
                RO | ACCESS
            } else {
                RW | ACCESS | UPDATE
            };
            vec![(1, flags)]
        }
        KeysProc::SortRo => vec![(1, RO | ACCESS)],
        KeysProc::Sort => {
            // `sortGetKeys`: skips LIMIT's, GET's and BY's arguments and
            // keeps the last STORE; any other word is taken as an option
            // without arguments (the word after STORE too).
            let mut store = None;
            let mut i = 2;
            while i < args.len() {
                if is(i, "limit") {
                    i += 2;
                } else if is(i, "get") || is(i, "by") {
                    i += 1;
                } else if is(i, "store") && i + 1 < args.len() {
                    store = Some(i + 1);
                }
                i += 1;
            }
            let mut keys = vec![(1, RO | ACCESS)];
            keys.extend(store.map(|s| (s, OW | UPDATE)));
            keys
        }
        KeysProc::Xread => {
            // `xreadGetKeys`: the options before STREAMS, then as many keys as IDs.
            let mut streams = None;
            let mut i = 1;
            while i < args.len() {
                if is(i, "block") || is(i, "count") {
                    i += 1;
                } else if is(i, "group") {
                    i += 2;
                } else if is(i, "noack") {
                } else if is(i, "streams") {
                    streams = Some(i);
                    break;
                } else {
                    break;
                }
                i += 1;
            }
            let Some(pos) = streams else {
                return Vec::new();
            };
            let num = args.len() - pos - 1;
            if num == 0 || !num.is_multiple_of(2) {
                return Vec::new();
            }
            (pos + 1..pos + 1 + num / 2).map(|i| (i, 0)).collect()
        }
    }
}

/// C's `atoi` as glibc has it: leading spaces, a sign, digits up to the first
/// other byte; `strtol` saturates and the cast to `int` keeps the low 32 bits.
fn atoi(s: &[u8]) -> i32 {
    let mut rest = s;
    while let [b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r', tail @ ..] = rest {
        rest = tail;
    }
    let negative = rest.first() == Some(&b'-');
    if let [b'-' | b'+', tail @ ..] = rest {
        rest = tail;
    }
    let mut n: i64 = 0;
    let mut saturated = false;
    for &b in rest.iter().take_while(|b| b.is_ascii_digit()) {
        match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(i64::from(b - b'0')))
        {
            Some(v) => n = v,
            None => {
                saturated = true;
                break;
            }
        }
    }
    let n = match (saturated, negative) {
        (true, false) => i64::MAX,
        (true, true) => i64::MIN,
        (false, true) => -n,
        (false, false) => n,
    };
    n as i32
}
