//! Zipmaps (Redis's `zipmap.c`), the small-hash encoding of RDB files written
//! by Redis 2.4 and older. Read only, as in Redis 7.0.

const BIGLEN: u8 = 254;
const END: u8 = 0xff;

/// Reads a length at `zm[p]`: one byte below 254, else 254 and a 32-bit
/// little-endian value.
fn length_at(zm: &[u8], p: usize) -> Option<(usize, usize)> {
    let b = *zm.get(p)?;
    if b < BIGLEN {
        return Some((usize::from(b), 1));
    }
    let bytes = zm.get(p + 1..p + 5)?;
    Some((
        u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize,
        5,
    ))
}

/// Checks a zipmap as `zipmapValidateIntegrity` does with deep sanitization and
/// returns its field/value pairs.
pub fn parse(zm: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    let size = zm.len();
    if size < 2 || zm[size - 1] != END {
        return None;
    }
    let last = size - 1;
    let in_range = |p: usize| p >= 2 && p <= last;
    let mut pairs = Vec::new();
    let mut p = 1usize;
    while zm[p] != END {
        let (klen, ks) = length_at(zm, p)?;
        if !in_range(p + ks) {
            return None;
        }
        // A short length spelled in five bytes would make Redis's iterator and
        // its validator disagree about where the field starts: refuse it.
        if ks == 5 && klen < usize::from(BIGLEN) {
            return None;
        }
        let key_start = p + ks;
        p = key_start.checked_add(klen)?;
        if !in_range(p) {
            return None;
        }
        let (vlen, vs) = length_at(zm, p)?;
        if !in_range(p + vs) || (vs == 5 && vlen < usize::from(BIGLEN)) {
            return None;
        }
        let free = usize::from(zm[p + vs]);
        let value_start = p + vs + 1;
        p = value_start.checked_add(vlen)?.checked_add(free)?;
        if !in_range(p) {
            return None;
        }
        pairs.push((
            zm.get(key_start..key_start + klen)?,
            zm.get(value_start..value_start + vlen)?,
        ));
    }
    if pairs.is_empty() {
        return None;
    }
    if zm[0] != BIGLEN && usize::from(zm[0]) != pairs.len() {
        return None;
    }
    Some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_example() {
        let zm = b"\x02\x03foo\x03\x00bar\x05hello\x05\x00world\xff";
        assert_eq!(
            parse(zm),
            Some(vec![
                (&b"foo"[..], &b"bar"[..]),
                (&b"hello"[..], &b"world"[..])
            ])
        );
    }

    #[test]
    fn skips_free_bytes_and_checks_counts() {
        let zm = b"\x01\x01a\x01\x02bxy\xff";
        assert_eq!(parse(zm), Some(vec![(&b"a"[..], &b"b"[..])]));
        assert_eq!(parse(b"\x02\x01a\x01\x00b\xff"), None);
        assert_eq!(parse(b"\x00\xff"), None);
        assert_eq!(parse(b"\x01\x05a\x01\x00b\xff"), None);
    }
}
