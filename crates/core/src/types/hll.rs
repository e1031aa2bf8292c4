//! HyperLogLog, byte for byte as Redis 7.0 keeps it inside a string value, so that
//! GET, DUMP and RDB files show exactly what redis-server would.
//!
//! Layout: a 16-byte header (`HYLL`, the encoding, 3 zero bytes, the cached
//! cardinality as 8 little-endian bytes whose top bit marks it stale), then 16384
//! registers of 6 bits, either
//! - dense: packed, least significant bit first, 12288 bytes; or
//! - sparse: run-length opcodes, `00xxxxxx` (1 to 64 zero registers), `01xxxxxx
//!   yyyyyyyy` (1 to 16384 zero registers) and `1vvvvvxx` (1 to 4 registers holding
//!   1 to 32).
//!
//! A new HLL is sparse. It turns dense for good when a register needs more than 32
//! or when the sparse form would outgrow `hll-sparse-max-bytes`. Each update edits
//! the sparse opcodes in place and merges neighbours exactly as Redis's
//! `hllSparseSet` does, because the bytes are visible to GET.
//!
//! The estimate is Otmar Ertl's improved estimator over the register histogram, the
//! one Redis uses since 5.0. Every function here checks its input: a corrupt value
//! gives `Err(Corrupt)`, never a panic.

/// Registers: 2^14.
pub const REGISTERS: usize = 1 << P;
/// Header bytes.
pub const HEADER: usize = 16;
/// The length of a dense HLL string.
pub const DENSE_SIZE: usize = HEADER + (REGISTERS * BITS).div_ceil(8);
/// `hll-sparse-max-bytes` by default.
pub const DEFAULT_SPARSE_MAX_BYTES: usize = 3000;

const P: u32 = 14;
/// Hash bits left after the register index.
const Q: u32 = 64 - P;
const BITS: usize = 6;
const REGISTER_MAX: u8 = (1 << BITS) - 1;
const DENSE: u8 = 0;
const SPARSE: u8 = 1;
const VAL_MAX_VALUE: u8 = 32;
const VAL_MAX_LEN: usize = 4;
const ZERO_MAX_LEN: usize = 64;
const XZERO_MAX_LEN: usize = 16384;
/// 0.5 / ln 2.
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

/// The value is not a well-formed HLL (Redis's `INVALIDOBJ Corrupted HLL object
/// detected`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt;

/// A fresh, empty HLL: sparse, one XZERO opcode covering every register.
pub fn new_sparse() -> Vec<u8> {
    let mut v = Vec::with_capacity(HEADER + 2);
    v.extend_from_slice(b"HYLL");
    v.push(SPARSE);
    v.extend_from_slice(&[0; 11]);
    let mut left = REGISTERS;
    while left > 0 {
        let run = left.min(XZERO_MAX_LEN);
        push_xzero(&mut v, run);
        left -= run;
    }
    v
}

/// Redis's `isHLLObjectOrReply` checks: the magic, a known encoding, and the exact
/// length of a dense HLL.
pub fn is_hll(bytes: &[u8]) -> bool {
    bytes.len() >= HEADER
        && &bytes[..4] == b"HYLL"
        && bytes[4] <= SPARSE
        && (bytes[4] != DENSE || bytes.len() == DENSE_SIZE)
}

pub fn is_sparse(bytes: &[u8]) -> bool {
    bytes.get(4) == Some(&SPARSE)
}

/// The cached cardinality, if it is current.
pub fn cached_count(bytes: &[u8]) -> Option<u64> {
    let card: [u8; 8] = bytes.get(8..16)?.try_into().ok()?;
    (card[7] & 0x80 == 0).then(|| u64::from_le_bytes(card))
}

pub fn set_cached_count(bytes: &mut [u8], count: u64) {
    if let Some(card) = bytes.get_mut(8..16) {
        card.copy_from_slice(&count.to_le_bytes());
    }
}

pub fn invalidate_cache(bytes: &mut [u8]) {
    if let Some(b) = bytes.get_mut(15) {
        *b |= 0x80;
    }
}

/// MurmurHash64A, as Redis's endian-neutral version.
pub fn murmur64a(data: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (data.len() as u64).wrapping_mul(M);
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let mut k = u64::from_le_bytes(w).wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        for (i, &b) in rest.iter().enumerate().rev() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^ (h >> R)
}

/// The register an element falls in, and the length of the `0...01` run that
/// follows in its hash (1 to Q+1).
pub fn pattern(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, 0xadc8_3b19);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    let rest = (hash >> P) | (1u64 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

// ---- dense registers -------------------------------------------------------

/// Register `i` of a dense register array (the bytes after the header).
fn dense_get(regs: &[u8], i: usize) -> u8 {
    let byte = i * BITS / 8;
    let fb = (i * BITS) & 7;
    let b0 = u16::from(regs.get(byte).copied().unwrap_or(0));
    let b1 = u16::from(regs.get(byte + 1).copied().unwrap_or(0));
    (((b0 >> fb) | (b1 << (8 - fb))) & u16::from(REGISTER_MAX)) as u8
}

fn dense_put(regs: &mut [u8], i: usize, value: u8) {
    let byte = i * BITS / 8;
    let fb = (i * BITS) & 7;
    let v = u16::from(value);
    let max = u16::from(REGISTER_MAX);
    if let Some(b) = regs.get_mut(byte) {
        *b = ((u16::from(*b) & !(max << fb)) | (v << fb)) as u8;
    }
    if let Some(b) = regs.get_mut(byte + 1) {
        *b = ((u16::from(*b) & !(max >> (8 - fb))) | (v >> (8 - fb))) as u8;
    }
}

/// Raises register `i` to `count`; true if it was lower.
fn dense_raise(regs: &mut [u8], i: usize, count: u8) -> bool {
    if count > dense_get(regs, i) {
        dense_put(regs, i, count);
        true
    } else {
        false
    }
}

// ---- sparse opcodes ------------------------------------------------------------

fn is_zero(op: u8) -> bool {
    op & 0xc0 == 0
}

fn is_xzero(op: u8) -> bool {
    op & 0xc0 == 0x40
}

fn is_val(op: u8) -> bool {
    op & 0x80 != 0
}

fn zero_len(op: u8) -> usize {
    usize::from(op & 0x3f) + 1
}

fn xzero_len(op: u8, next: u8) -> usize {
    ((usize::from(op & 0x3f) << 8) | usize::from(next)) + 1
}

fn val_value(op: u8) -> u8 {
    ((op >> 2) & 0x1f) + 1
}

fn val_len(op: u8) -> usize {
    usize::from(op & 0x3) + 1
}

fn val_op(value: u8, len: usize) -> u8 {
    (((value - 1) << 2) | (len as u8 - 1)) | 0x80
}

fn push_zero_run(out: &mut Vec<u8>, len: usize) {
    if len > ZERO_MAX_LEN {
        push_xzero(out, len);
    } else {
        out.push((len - 1) as u8);
    }
}

fn push_xzero(out: &mut Vec<u8>, len: usize) {
    let l = len - 1;
    out.push((l >> 8) as u8 | 0x40);
    out.push((l & 0xff) as u8);
}

/// One decoded sparse opcode.
enum Op {
    Zeros(usize),
    Val(u8, usize),
}

/// The opcodes of a sparse HLL with their byte sizes; a truncated XZERO is an error.
fn opcodes(sparse: &[u8]) -> impl Iterator<Item = Result<(Op, usize), Corrupt>> + '_ {
    let mut p = HEADER;
    std::iter::from_fn(move || {
        let &op = sparse.get(p)?;
        let item = if is_zero(op) {
            Ok((Op::Zeros(zero_len(op)), 1))
        } else if is_xzero(op) {
            match sparse.get(p + 1) {
                Some(&next) => Ok((Op::Zeros(xzero_len(op, next)), 2)),
                None => Err(Corrupt),
            }
        } else {
            Ok((Op::Val(val_value(op), val_len(op)), 1))
        };
        p = match &item {
            Ok((_, size)) => p + size,
            Err(_) => sparse.len(),
        };
        Some(item)
    })
}

/// Calls `f(register, value)` for every non-zero register of a sparse HLL.
fn for_each_sparse(sparse: &[u8], mut f: impl FnMut(usize, u8)) -> Result<(), Corrupt> {
    let mut idx = 0usize;
    for item in opcodes(sparse) {
        match item?.0 {
            Op::Zeros(n) => idx += n,
            Op::Val(v, n) => {
                if idx + n > REGISTERS {
                    return Err(Corrupt);
                }
                for i in idx..idx + n {
                    f(i, v);
                }
                idx += n;
            }
        }
    }
    if idx == REGISTERS {
        Ok(())
    } else {
        Err(Corrupt)
    }
}

/// Turns a sparse HLL dense (a dense one is left alone), keeping the header.
pub fn to_dense(bytes: &mut Vec<u8>) -> Result<(), Corrupt> {
    if !is_sparse(bytes) {
        return Ok(());
    }
    let mut dense = vec![0u8; DENSE_SIZE];
    dense[..HEADER].copy_from_slice(&bytes[..HEADER]);
    dense[4] = DENSE;
    let (_, regs) = dense.split_at_mut(HEADER);
    for_each_sparse(bytes, |i, v| dense_put(regs, i, v))?;
    *bytes = dense;
    Ok(())
}

/// Raises register `index` of a sparse HLL to `count` (Redis's `hllSparseSet`),
/// turning it dense when needed. True if a register changed.
fn sparse_raise(
    bytes: &mut Vec<u8>,
    index: usize,
    count: u8,
    max_bytes: usize,
) -> Result<bool, Corrupt> {
    if count > VAL_MAX_VALUE {
        return promote(bytes, index, count);
    }
    // Step 1: find the opcode that covers the register.
    let mut end = bytes.len();
    let mut p = HEADER;
    let mut first = 0usize;
    let mut prev: Option<usize> = None;
    let mut span = 0usize;
    let mut oplen = 1;
    while p < end {
        let op = bytes[p];
        oplen = 1;
        span = if is_zero(op) {
            zero_len(op)
        } else if is_val(op) {
            val_len(op)
        } else {
            oplen = 2;
            xzero_len(op, bytes.get(p + 1).copied().ok_or(Corrupt)?)
        };
        if index < first + span {
            break;
        }
        prev = Some(p);
        p += oplen;
        first += span;
    }
    if span == 0 || p >= end || p + oplen > end {
        return Err(Corrupt);
    }
    let op = bytes[p];

    // Step 2: the easy cases update one byte in place.
    let updated_in_place = if is_val(op) {
        if val_value(op) >= count {
            return Ok(false);
        }
        val_len(op) == 1
    } else {
        is_zero(op) && zero_len(op) == 1
    };
    if updated_in_place {
        bytes[p] = val_op(count, 1);
    } else {
        // Otherwise split the opcode around the register.
        let last = first + span - 1;
        let mut seq: Vec<u8> = Vec::with_capacity(5);
        if is_val(op) {
            let cur = val_value(op);
            if index != first {
                seq.push(val_op(cur, index - first));
            }
            seq.push(val_op(count, 1));
            if index != last {
                seq.push(val_op(cur, last - index));
            }
        } else {
            if index != first {
                push_zero_run(&mut seq, index - first);
            }
            seq.push(val_op(count, 1));
            if index != last {
                push_zero_run(&mut seq, last - index);
            }
        }
        // Step 3: put the new opcodes in place of the old one.
        if seq.len() > oplen && bytes.len() + (seq.len() - oplen) > max_bytes {
            return promote(bytes, index, count);
        }
        bytes.splice(p..p + oplen, seq.iter().copied());
        end = bytes.len();
    }

    // Step 4: merge neighbouring VAL opcodes of the same value, looking at up to
    // five opcodes from the one before the change.
    let mut p = prev.unwrap_or(HEADER);
    let mut scan = 5;
    while p < end && scan > 0 {
        scan -= 1;
        let op = bytes[p];
        if is_xzero(op) {
            p += 2;
            continue;
        }
        if is_zero(op) {
            p += 1;
            continue;
        }
        if p + 1 < end && is_val(bytes[p + 1]) {
            let (v1, v2) = (val_value(op), val_value(bytes[p + 1]));
            let len = val_len(op) + val_len(bytes[p + 1]);
            if v1 == v2 && len <= VAL_MAX_LEN {
                bytes[p + 1] = val_op(v1, len);
                bytes.remove(p);
                end -= 1;
                continue;
            }
        }
        p += 1;
    }
    invalidate_cache(bytes);
    Ok(true)
}

/// Turns the HLL dense and raises the register there.
fn promote(bytes: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    to_dense(bytes)?;
    Ok(dense_raise(&mut bytes[HEADER..], index, count))
}

/// Raises register `index` to `count` in either encoding; true if it changed.
pub fn raise(
    bytes: &mut Vec<u8>,
    index: usize,
    count: u8,
    max_bytes: usize,
) -> Result<bool, Corrupt> {
    if is_sparse(bytes) {
        sparse_raise(bytes, index, count, max_bytes)
    } else if bytes.len() == DENSE_SIZE {
        Ok(dense_raise(&mut bytes[HEADER..], index, count))
    } else {
        Err(Corrupt)
    }
}

/// PFADD of one element; true if a register changed.
pub fn add(bytes: &mut Vec<u8>, element: &[u8], max_bytes: usize) -> Result<bool, Corrupt> {
    let (index, count) = pattern(element);
    raise(bytes, index, count, max_bytes)
}

/// Raises `max[i]` to each register of the HLL (Redis's `hllMerge`).
pub fn merge_into(max: &mut [u8], bytes: &[u8]) -> Result<(), Corrupt> {
    if is_sparse(bytes) {
        for_each_sparse(bytes, |i, v| {
            if let Some(m) = max.get_mut(i) {
                *m = (*m).max(v);
            }
        })
    } else {
        let regs = bytes.get(HEADER..).ok_or(Corrupt)?;
        for (i, m) in max.iter_mut().enumerate().take(REGISTERS) {
            *m = (*m).max(dense_get(regs, i));
        }
        Ok(())
    }
}

/// Every register, 0 to 63 (PFDEBUG GETREG, on a dense HLL).
pub fn registers(bytes: &[u8]) -> Vec<u8> {
    let regs = bytes.get(HEADER..).unwrap_or_default();
    (0..REGISTERS).map(|i| dense_get(regs, i)).collect()
}

/// The estimated cardinality of an HLL in either encoding.
pub fn count(bytes: &[u8]) -> Result<u64, Corrupt> {
    let mut histogram = [0u32; 64];
    if is_sparse(bytes) {
        // Redis counts a sparse HLL's runs as they are, checking only the total.
        let mut idx = 0usize;
        for item in opcodes(bytes) {
            match item?.0 {
                Op::Zeros(n) => {
                    histogram[0] += n as u32;
                    idx += n;
                }
                Op::Val(v, n) => {
                    histogram[usize::from(v)] += n as u32;
                    idx += n;
                }
            }
        }
        if idx != REGISTERS {
            return Err(Corrupt);
        }
    } else {
        let regs = bytes.get(HEADER..).ok_or(Corrupt)?;
        for i in 0..REGISTERS {
            histogram[usize::from(dense_get(regs, i))] += 1;
        }
    }
    Ok(estimate(&histogram))
}

/// The estimated cardinality of plain registers, one byte each (PFCOUNT of several
/// keys).
pub fn count_registers(max: &[u8]) -> u64 {
    let mut histogram = [0u32; 64];
    for &r in max {
        histogram[usize::from(r & 63)] += 1;
    }
    estimate(&histogram)
}

/// Ertl's estimator ("New cardinality estimation algorithms for HyperLogLog
/// sketches", 2017), step for step as Redis computes it.
fn estimate(histogram: &[u32; 64]) -> u64 {
    let m = REGISTERS as f64;
    let q = Q as usize;
    let mut z = m * tau((m - f64::from(histogram[q + 1])) / m);
    for j in (1..=q).rev() {
        z += f64::from(histogram[j]);
        z *= 0.5;
    }
    z += m * sigma(f64::from(histogram[0]) / m);
    (ALPHA_INF * m * m / z).round() as u64
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let before = z;
        z += x * y;
        y += y;
        if z == before {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = x.sqrt();
        let before = z;
        y *= 0.5;
        let d = 1.0 - x;
        z -= d * d * y;
        if z == before {
            return z / 3.0;
        }
    }
}

/// PFDEBUG DECODE: the sparse opcodes as text (`z:N`, `Z:N`, `v:VALUE,LEN`).
pub fn decode(bytes: &[u8]) -> Result<String, Corrupt> {
    let mut words = Vec::new();
    for item in opcodes(bytes) {
        let (op, size) = item?;
        words.push(match op {
            Op::Zeros(n) if size == 1 => format!("z:{n}"),
            Op::Zeros(n) => format!("Z:{n}"),
            Op::Val(v, n) => format!("v:{v},{n}"),
        });
    }
    Ok(words.join(" "))
}

/// The registers' packing round-trips and sparse and dense HLLs agree, over
/// `cycles` rounds and elements up to `elements`, with the error bounds Redis's
/// PFSELFTEST checks. `random` supplies the test values.
pub fn self_test(
    mut random: impl FnMut() -> u64,
    elements: u64,
    max_bytes: usize,
) -> Result<(), String> {
    let mut regs = vec![0u8; DENSE_SIZE - HEADER];
    let mut expect = vec![0u8; REGISTERS];
    for _ in 0..100 {
        for (i, e) in expect.iter_mut().enumerate() {
            *e = (random() & u64::from(REGISTER_MAX)) as u8;
            dense_put(&mut regs, i, *e);
        }
        for (i, &e) in expect.iter().enumerate() {
            let got = dense_get(&regs, i);
            if got != e {
                return Err(format!(
                    "TESTFAILED Register {i} should be {e} but is {got}"
                ));
            }
        }
    }
    let mut dense = new_sparse();
    to_dense(&mut dense).map_err(|_| "TESTFAILED corrupt".to_string())?;
    let mut sparse = new_sparse();
    let rel_err = 1.04 / (REGISTERS as f64).sqrt();
    let seed = random();
    let mut checkpoint = 1u64;
    for j in 1..=elements {
        let element = (j ^ seed).to_le_bytes();
        let failed = |_| "TESTFAILED corrupt".to_string();
        add(&mut dense, &element, max_bytes).map_err(failed)?;
        add(&mut sparse, &element, max_bytes).map_err(failed)?;
        if j != checkpoint {
            continue;
        }
        if (j as usize) < max_bytes / 2 && !is_sparse(&sparse) {
            return Err("TESTFAILED sparse encoding not used".into());
        }
        let card = count(&dense).map_err(failed)?;
        if Ok(card) != count(&sparse) {
            return Err("TESTFAILED dense/sparse disagree".into());
        }
        let abs_err = checkpoint.abs_diff(card);
        let max_err = if j == 10 {
            1
        } else {
            (rel_err * 6.0 * checkpoint as f64).ceil() as u64
        };
        if abs_err > max_err {
            return Err(format!(
                "TESTFAILED Too big error. card:{checkpoint} abserr:{abs_err}"
            ));
        }
        checkpoint *= 10;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur_matches_known_values() {
        // The empty string hashes to the seed mixed alone.
        assert_eq!(murmur64a(b"", 0), 0);
        // Sparse and dense agree after many adds, and the estimate is close.
        let mut s = new_sparse();
        for i in 0..5000u32 {
            add(&mut s, format!("e{i}").as_bytes(), DEFAULT_SPARSE_MAX_BYTES).unwrap();
        }
        let mut d = s.clone();
        to_dense(&mut d).unwrap();
        assert_eq!(count(&s), count(&d));
        let c = count(&d).unwrap() as f64;
        assert!((c - 5000.0).abs() < 5000.0 * 0.05, "estimate {c}");
    }

    #[test]
    fn new_hll_is_empty_sparse() {
        let h = new_sparse();
        assert_eq!(h.len(), HEADER + 2);
        assert!(is_hll(&h) && is_sparse(&h));
        assert_eq!(count(&h), Ok(0));
        assert_eq!(decode(&h).as_deref(), Ok("Z:16384"));
    }

    #[test]
    fn corrupt_values_are_errors_not_panics() {
        let mut h = new_sparse();
        h.push(0x7f); // a truncated XZERO at the tail
        assert_eq!(count(&h), Err(Corrupt));
        let _ = add(&mut h, b"x", DEFAULT_SPARSE_MAX_BYTES);
        let mut short = b"HYLL\x01".to_vec();
        short.extend_from_slice(&[0; 11]);
        assert_eq!(count(&short), Err(Corrupt));
        assert_eq!(
            add(&mut short, b"x", DEFAULT_SPARSE_MAX_BYTES),
            Err(Corrupt)
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Whatever is added, in whatever order and split, the sparse sketch, its
        /// dense twin, a merge of the parts and the plain registers all agree.
        #[test]
        fn sparse_dense_and_merge_agree(
            elements in proptest::collection::vec(proptest::collection::vec(0u8..8, 0..6), 0..400),
            split in 0usize..400,
            max_bytes in proptest::prop_oneof![proptest::strategy::Just(3000usize), 20usize..200],
        ) {
            let mut whole = new_sparse();
            let (mut left, mut right) = (new_sparse(), new_sparse());
            let mut plain = vec![0u8; REGISTERS];
            for (i, e) in elements.iter().enumerate() {
                add(&mut whole, e, max_bytes).unwrap();
                add(if i < split { &mut left } else { &mut right }, e, max_bytes).unwrap();
                let (index, count) = pattern(e);
                plain[index] = plain[index].max(count);
            }
            let mut dense = whole.clone();
            to_dense(&mut dense).unwrap();
            proptest::prop_assert_eq!(registers(&dense), plain.clone());
            proptest::prop_assert_eq!(count(&whole), Ok(count_registers(&plain)));
            proptest::prop_assert_eq!(count(&dense), Ok(count_registers(&plain)));
            let mut merged = vec![0u8; REGISTERS];
            merge_into(&mut merged, &left).unwrap();
            merge_into(&mut merged, &right).unwrap();
            proptest::prop_assert_eq!(merged, plain);
        }
    }

    #[test]
    fn self_test_passes() {
        let mut x = 0x1234_5678_9abc_def0u64;
        let rng = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        self_test(rng, 100_000, DEFAULT_SPARSE_MAX_BYTES).unwrap();
    }
}
