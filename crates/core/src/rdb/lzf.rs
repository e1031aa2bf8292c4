//! LZF, the compression RDB files and DUMP payloads use for strings longer than
//! 20 bytes.
//!
//! The compressor makes the same choices as liblzf 3.6 as Redis builds it (a
//! 2^16-slot hash of the next three bytes, `VERY_FAST` re-hashing after a match,
//! no back reference to the very first input byte), so that a payload we DUMP is
//! byte for byte the one Redis would produce. Positions in the hash table are
//! plain indices, and an empty slot never matches, which is what Redis's
//! uninitialised table amounts to in every case its checks let through.

const HLOG: u32 = 16;
const HSIZE: usize = 1 << HLOG;
const MAX_LIT: usize = 1 << 5;
const MAX_OFF: usize = 1 << 13;
const MAX_REF: usize = (1 << 8) + (1 << 3);

/// liblzf's `VERY_FAST` hash of the (last three bytes of the) running value.
#[inline]
fn slot(h: u32) -> usize {
    ((h >> (3 * 8 - HLOG)).wrapping_sub(h.wrapping_mul(5)) as usize) & (HSIZE - 1)
}

/// Writes `b` at `out[i]`, refusing (instead of panicking) past the end.
#[inline]
fn put(out: &mut [u8], i: usize, b: u8) -> Option<()> {
    *out.get_mut(i)? = b;
    Some(())
}

/// An LZF compressor whose hash table is reused from one string to the next:
/// each call stamps its entries with a new epoch, so a table left by an
/// earlier call reads as empty without being cleared (a DUMP of a big hash
/// compresses thousands of strings).
#[derive(Default)]
pub struct Compressor {
    table: Vec<u64>,
    epoch: u32,
}

impl Compressor {
    pub fn new() -> Compressor {
        Compressor::default()
    }

    /// `lzf_compress(input, in_len, out, out_len)`: the compressed bytes, or
    /// None when they would not fit in `out_len` bytes (Redis then stores the
    /// string as it is).
    pub fn compress(&mut self, input: &[u8], out_len: usize) -> Option<Vec<u8>> {
        if self.table.is_empty() {
            self.table = vec![0; HSIZE];
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.table.fill(0);
            self.epoch = 1;
        }
        let mut table = EpochTable {
            slots: &mut self.table,
            epoch: u64::from(self.epoch) << 32,
        };
        compress_with(input, out_len, &mut table)
    }
}

/// Positions by hash slot, valid only when stamped with the current epoch;
/// position 0 doubles as "empty" since liblzf never refers back to it.
struct EpochTable<'a> {
    slots: &'a mut [u64],
    epoch: u64,
}

impl EpochTable<'_> {
    fn get(&self, h: usize) -> usize {
        match self.slots.get(h) {
            Some(&v) if v & !0xffff_ffff == self.epoch => (v & 0xffff_ffff) as usize,
            _ => 0,
        }
    }

    fn set(&mut self, h: usize, pos: usize) {
        if let Some(slot) = self.slots.get_mut(h) {
            *slot = self.epoch | (pos as u64 & 0xffff_ffff);
        }
    }
}

/// [`Compressor::compress`] with a table of its own.
#[cfg(test)]
pub fn compress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    Compressor::new().compress(input, out_len)
}

fn compress_with(input: &[u8], out_len: usize, htab: &mut EpochTable<'_>) -> Option<Vec<u8>> {
    let in_len = input.len();
    // Positions are kept in 32 bits; Redis never compresses strings this long.
    if in_len == 0 || out_len == 0 || in_len > u32::MAX as usize {
        return None;
    }
    let byte = |i: usize| u32::from(input.get(i).copied().unwrap_or(0));
    let mut out = vec![0u8; out_len];
    let mut ip = 0usize;
    let mut op = 1usize; // the first literal run's length byte
    let mut lit = 0usize;
    let mut hval = (byte(0) << 8) | byte(1);

    while ip + 2 < in_len {
        hval = (hval << 8) | byte(ip + 2);
        let h = slot(hval);
        let candidate = htab.get(h);
        htab.set(h, ip);
        let matches = candidate > 0
            && candidate < ip
            && ip - candidate - 1 < MAX_OFF
            && input.get(candidate..candidate + 3) == input.get(ip..ip + 3);
        if matches {
            let r = candidate;
            let off = ip - r - 1;
            let maxlen = (in_len - ip - 2).min(MAX_REF);
            if op + 4 >= out_len && op - usize::from(lit == 0) + 4 >= out_len {
                return None;
            }
            put(&mut out, op - lit - 1, (lit as u8).wrapping_sub(1))?;
            op -= usize::from(lit == 0);

            // The match length, found exactly as liblzf's unrolled loop does:
            // 16 checks first when far from the end, then one byte at a time.
            let mut len = 2usize;
            let mut done = false;
            if maxlen > 16 {
                for _ in 0..16 {
                    len += 1;
                    if input.get(r + len) != input.get(ip + len) {
                        done = true;
                        break;
                    }
                }
            }
            if !done {
                loop {
                    len += 1;
                    if !(len < maxlen && input.get(r + len) == input.get(ip + len)) {
                        break;
                    }
                }
            }
            len -= 2;
            ip += 1;
            if len < 7 {
                put(&mut out, op, ((off >> 8) + (len << 5)) as u8)?;
                op += 1;
            } else {
                put(&mut out, op, ((off >> 8) + (7 << 5)) as u8)?;
                put(&mut out, op + 1, (len - 7) as u8)?;
                op += 2;
            }
            put(&mut out, op, off as u8)?;
            op += 1;
            lit = 0;
            op += 1;
            ip += len + 1;
            if ip + 2 >= in_len {
                break;
            }
            // Hash the two positions just before the new one.
            ip -= 2;
            hval = (byte(ip) << 8) | byte(ip + 1);
            hval = (hval << 8) | byte(ip + 2);
            htab.set(slot(hval), ip);
            ip += 1;
            hval = (hval << 8) | byte(ip + 2);
            htab.set(slot(hval), ip);
            ip += 1;
        } else {
            if op >= out_len {
                return None;
            }
            push_literal(&mut out, &mut op, &mut lit, input[ip])?;
            ip += 1;
        }
    }
    if op + 3 > out_len {
        return None;
    }
    while ip < in_len {
        push_literal(&mut out, &mut op, &mut lit, input[ip])?;
        ip += 1;
    }
    put(&mut out, op - lit - 1, (lit as u8).wrapping_sub(1))?;
    op -= usize::from(lit == 0);
    out.truncate(op);
    Some(out)
}

/// Copies one input byte into the current literal run at `op`, and closes the
/// run (writes its length byte) when it reaches [`MAX_LIT`] bytes.
fn push_literal(out: &mut [u8], op: &mut usize, lit: &mut usize, byte: u8) -> Option<()> {
    *lit += 1;
    put(out, *op, byte)?;
    *op += 1;
    if *lit == MAX_LIT {
        put(out, *op - *lit - 1, (*lit - 1) as u8)?;
        *lit = 0;
        *op += 1;
    }
    Some(())
}

/// `lzf_decompress` as Redis checks it: the output must be exactly `expected`
/// bytes long. Like liblzf, a corrupt input yields 0 bytes, so it passes when 0
/// bytes were expected. Never allocates more than the input can expand to.
pub fn decompress(input: &[u8], expected: usize) -> Option<Vec<u8>> {
    let produced = run(input, expected).unwrap_or_default();
    (produced.len() == expected).then_some(produced)
}

fn run(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::new();
    let mut ip = 0usize;
    while ip < input.len() {
        let ctrl = usize::from(input[ip]);
        ip += 1;
        if ctrl < MAX_LIT {
            let n = ctrl + 1;
            if out.len() + n > out_len {
                return None;
            }
            out.extend_from_slice(input.get(ip..ip + n)?);
            ip += n;
        } else {
            let mut len = ctrl >> 5;
            let mut back = ((ctrl & 0x1f) << 8) + 1;
            if len == 7 {
                len += usize::from(*input.get(ip)?);
                ip += 1;
            }
            back += usize::from(*input.get(ip)?);
            ip += 1;
            if out.len() + len + 2 > out_len {
                return None;
            }
            let from = out.len().checked_sub(back)?;
            // Byte by byte: the source may overlap what is being written.
            for i in from..from + len + 2 {
                let b = out[i];
                out.push(b);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(data: &[u8]) {
        if let Some(c) = compress(data, data.len().saturating_sub(4)) {
            assert!(c.len() < data.len());
            assert_eq!(decompress(&c, data.len()).as_deref(), Some(data));
        }
    }

    #[test]
    fn compresses_repetitive_data() {
        let data = vec![b'a'; 100];
        let c = compress(&data, 96).expect("compressible");
        // The bytes redis-server 7.0.15 writes for DUMP of 100 'a's.
        assert_eq!(c, [0x01, 0x61, 0x61, 0xe0, 0x57, 0x00, 0x01, 0x61, 0x61]);
        assert_eq!(decompress(&c, 100).as_deref(), Some(&data[..]));
    }

    #[test]
    fn a_reused_table_gives_the_same_bytes() {
        let mut c = Compressor::new();
        let inputs: [&[u8]; 3] = [
            &b"abcd".repeat(50),
            &b"hello hello hello hello world".repeat(3),
            &b"abcd".repeat(50),
        ];
        for input in inputs {
            assert_eq!(
                c.compress(input, input.len() - 4),
                compress(input, input.len() - 4)
            );
        }
    }

    #[test]
    fn incompressible_data_does_not_fit() {
        let data: Vec<u8> = (0..64u8).collect();
        assert_eq!(compress(&data, 60), None);
    }

    #[test]
    fn roundtrips_assorted_inputs() {
        roundtrip(b"abcabcabcabcabcabcabcabcabcabcabcabc");
        roundtrip(&b"hello world ".repeat(500));
        let mut x: u32 = 7;
        let noisy: Vec<u8> = (0..5000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                b"abcd"[(x >> 16) as usize % 4]
            })
            .collect();
        roundtrip(&noisy);
    }

    #[test]
    fn corrupt_input_is_refused() {
        assert_eq!(decompress(&[0xe0], 10), None);
        assert_eq!(decompress(&[0x20, 0x00], 10), None); // reference before the start
        assert_eq!(decompress(&[0x05, b'a'], 6), None); // literal past the input
                                                        // liblzf reports 0 bytes on error, which RESTORE accepts for an empty string.
        assert_eq!(decompress(&[0x05, b'a'], 0), Some(Vec::new()));
    }
}
