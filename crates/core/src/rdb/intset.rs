//! Intsets (Redis's `intset.c`): sorted integers in the narrowest of 16, 32 or
//! 64 bits that fits them all, the encoding of small all-integer sets.

fn le(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// Encodes sorted, distinct integers as an intset blob.
pub fn encode(values: &[i64]) -> Vec<u8> {
    let width: usize = if values.iter().all(|&v| i16::try_from(v).is_ok()) {
        2
    } else if values.iter().all(|&v| i32::try_from(v).is_ok()) {
        4
    } else {
        8
    };
    let mut out = Vec::with_capacity(8 + values.len() * width);
    out.extend_from_slice(&(width as u32).to_le_bytes());
    out.extend_from_slice(&(values.len() as u32).to_le_bytes());
    for &v in values {
        out.extend_from_slice(&v.to_le_bytes()[..width]);
    }
    out
}

/// Checks an intset as `intsetValidateIntegrity` does with deep sanitization
/// (known width, exact size, not empty, strictly increasing) and returns it.
pub fn parse(blob: &[u8]) -> Option<Vec<i64>> {
    if blob.len() < 8 {
        return None;
    }
    let width = le(&blob[0..4]) as usize;
    if !matches!(width, 2 | 4 | 8) {
        return None;
    }
    let count = le(&blob[4..8]);
    if count == 0
        || count
            .checked_mul(width as u64)
            .and_then(|n| n.checked_add(8))
            != Some(blob.len() as u64)
    {
        return None;
    }
    let count = usize::try_from(count).ok()?;
    let mut out = Vec::with_capacity(count);
    for chunk in blob[8..].chunks_exact(width) {
        let v = match width {
            2 => i64::from(i16::from_le_bytes([chunk[0], chunk[1]])),
            4 => i64::from(i32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]])),
            _ => le(chunk) as i64,
        };
        if out.last().is_some_and(|&prev| v <= prev) {
            return None;
        }
        out.push(v);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_redis_layout() {
        // SADD s 1 2 3 on redis-server 7.0.15 dumps this intset.
        assert_eq!(
            encode(&[1, 2, 3]),
            b"\x02\x00\x00\x00\x03\x00\x00\x00\x01\x00\x02\x00\x03\x00"
        );
        for values in [vec![-5, 70_000], vec![i64::MIN, 0, i64::MAX], vec![7]] {
            assert_eq!(parse(&encode(&values)), Some(values));
        }
    }

    #[test]
    fn rejects_bad_sets() {
        assert_eq!(parse(&encode(&[])), None);
        let mut unsorted = encode(&[1, 2]);
        unsorted[8] = 5;
        assert_eq!(parse(&unsorted), None);
        let mut width = encode(&[1]);
        width[0] = 3;
        assert_eq!(parse(&width), None);
        assert_eq!(parse(&encode(&[1, 2])[..11]), None);
    }
}
