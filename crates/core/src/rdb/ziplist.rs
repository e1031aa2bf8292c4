//! Ziplists (Redis's `ziplist.c`), the compact encoding RDB files before
//! version 10 used for small lists, hashes and sorted sets. Redis 7.0 only
//! reads them (converting to listpacks), and so do we: [`parse`] checks one as
//! `ziplistValidateIntegrity` does with deep sanitization.

use super::listpack::Item;

const HEADER: usize = 10;
const END: u8 = 0xff;
const BIG_PREVLEN: u8 = 254;

fn le(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// Bytes of the encoding header for an encoding byte (`zipEncodingLenSize`).
fn encoding_len_size(enc: u8) -> Option<usize> {
    match enc {
        0xc0 | 0xd0 | 0xe0 | 0xf0 | 0xfe | 0xf1..=0xfd | 0x00 => Some(1),
        0x40 => Some(2),
        0x80 => Some(5),
        _ => None,
    }
}

/// Checks a ziplist and returns its elements; None if anything is off.
pub fn parse(zl: &[u8]) -> Option<Vec<Item<'_>>> {
    let size = zl.len();
    if size < HEADER + 1 {
        return None;
    }
    if le(&zl[0..4]) != size as u64 || zl[size - 1] != END {
        return None;
    }
    let tail = le(&zl[4..8]);
    if tail > (size - 1) as u64 {
        return None;
    }
    let header_count = le(&zl[8..10]) as usize;
    let last = size - 1;
    let mut items = Vec::new();
    let mut p = HEADER;
    let mut prev: Option<usize> = None;
    let mut prev_raw_size: u64 = 0;
    while zl[p] != END {
        let prevlensize = if zl[p] < BIG_PREVLEN { 1 } else { 5 };
        if p + prevlensize > last {
            return None;
        }
        let q = p + prevlensize;
        let mut enc = zl[q];
        if enc < 0xc0 {
            enc &= 0xc0;
        }
        let lensize = encoding_len_size(enc)?;
        if q + lensize > last {
            return None;
        }
        let prevlen = if prevlensize == 1 {
            u64::from(zl[p])
        } else {
            le(&zl[p + 1..p + 5])
        };
        let len: u64 = match enc {
            0x00 => u64::from(zl[q] & 0x3f),
            0x40 => (u64::from(zl[q] & 0x3f) << 8) | u64::from(zl[q + 1]),
            0x80 => zl[q + 1..q + 5]
                .iter()
                .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
            0xfe => 1,
            0xc0 => 2,
            0xf0 => 3,
            0xd0 => 4,
            0xe0 => 8,
            _ => 0,
        };
        let headersize = (prevlensize + lensize) as u64;
        if p as u64 + headersize + len > last as u64 {
            return None;
        }
        if prevlen > (p - HEADER) as u64 {
            return None;
        }
        if prevlen != prev_raw_size {
            return None;
        }
        let data = p + headersize as usize;
        let body = &zl[data..data + len as usize];
        let item = match enc {
            0x00 | 0x40 | 0x80 => Item::Str(body),
            0xfe => Item::Int(i64::from(body[0] as i8)),
            0xc0 => Item::Int(i64::from(i16::from_le_bytes([body[0], body[1]]))),
            0xf0 => Item::Int(i64::from(
                i32::from_le_bytes([0, body[0], body[1], body[2]]) >> 8,
            )),
            0xd0 => Item::Int(i64::from(i32::from_le_bytes([
                body[0], body[1], body[2], body[3],
            ]))),
            0xe0 => Item::Int(le(body) as i64),
            imm => Item::Int(i64::from(imm & 0x0f) - 1),
        };
        items.push(item);
        prev_raw_size = headersize + len;
        prev = Some(p);
        p += prev_raw_size as usize;
    }
    if p != last {
        return None;
    }
    if prev.is_some_and(|pr| pr as u64 != tail) {
        return None;
    }
    if header_count != u16::MAX as usize && items.len() != header_count {
        return None;
    }
    Some(items)
}

/// Builds a ziplist the way Redis 6 did (`ziplistPush` at the tail), for tests.
#[cfg(test)]
pub(crate) fn build(elements: &[&[u8]]) -> Vec<u8> {
    let mut body: Vec<u8> = Vec::new();
    let mut prevlen = 0usize;
    let mut tail = HEADER;
    for e in elements {
        let start = body.len();
        tail = HEADER + start;
        if prevlen < 254 {
            body.push(prevlen as u8);
        } else {
            body.push(BIG_PREVLEN);
            body.extend_from_slice(&(prevlen as u32).to_le_bytes());
        }
        let int = if !e.is_empty() && e.len() < 32 {
            crate::num::parse_i64(e)
        } else {
            None
        };
        match int {
            Some(v @ 0..=12) => body.push(0xf1 + v as u8),
            Some(v) if i8::try_from(v).is_ok() => body.extend_from_slice(&[0xfe, v as u8]),
            Some(v) if i16::try_from(v).is_ok() => {
                body.push(0xc0);
                body.extend_from_slice(&(v as i16).to_le_bytes());
            }
            Some(v) if (-8_388_608..=8_388_607).contains(&v) => {
                body.push(0xf0);
                body.extend_from_slice(&((v as i32) << 8).to_le_bytes()[1..]);
            }
            Some(v) if i32::try_from(v).is_ok() => {
                body.push(0xd0);
                body.extend_from_slice(&(v as i32).to_le_bytes());
            }
            Some(v) => {
                body.push(0xe0);
                body.extend_from_slice(&v.to_le_bytes());
            }
            None => {
                let n = e.len();
                if n <= 0x3f {
                    body.push(n as u8);
                } else if n <= 0x3fff {
                    body.extend_from_slice(&[0x40 | (n >> 8) as u8, n as u8]);
                } else {
                    body.push(0x80);
                    body.extend_from_slice(&(n as u32).to_be_bytes());
                }
                body.extend_from_slice(e);
            }
        }
        prevlen = body.len() - start;
    }
    let total = HEADER + body.len() + 1;
    let mut zl = Vec::with_capacity(total);
    zl.extend_from_slice(&(total as u32).to_le_bytes());
    zl.extend_from_slice(&(tail as u32).to_le_bytes());
    zl.extend_from_slice(&(elements.len().min(65535) as u16).to_le_bytes());
    zl.extend_from_slice(&body);
    zl.push(END);
    zl
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrips_every_encoding() {
        let big = b"x".repeat(70_000);
        let mid = b"y".repeat(300);
        let elements: Vec<&[u8]> = vec![
            b"0",
            b"12",
            b"13",
            b"-128",
            b"127",
            b"32767",
            b"-32768",
            b"8388607",
            b"-8388608",
            b"2147483647",
            b"9223372036854775807",
            b"hello",
            b"",
            &mid,
            &big,
        ];
        let zl = build(&elements);
        let items = parse(&zl).expect("valid ziplist");
        let got: Vec<Vec<u8>> = items.into_iter().map(Item::to_bytes).collect();
        let want: Vec<Vec<u8>> = elements.iter().map(|e| e.to_vec()).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn rejects_damage_without_panicking() {
        let zl = build(&[b"a", b"bb", b"300"]);
        assert!(parse(&zl).is_some());
        for i in 0..zl.len() {
            for d in [1u8, 0x3f, 0x80, 0xfe] {
                let mut bad = zl.clone();
                bad[i] = bad[i].wrapping_add(d);
                let _ = parse(&bad);
            }
        }
        let mut bad_tail = zl.clone();
        bad_tail[4] = 10;
        assert!(parse(&bad_tail).is_none());
    }
}
