//! Fuzzes the RESP2 request parser on arbitrary bytes.
//!
//! The input is parsed twice: once with the whole buffer available, once fed
//! in chunks (sizes taken from the first input byte) the way the server feeds
//! it, parsing after every chunk and dropping consumed bytes. Both must agree
//! on every request and on the error that ends the stream, and every consumed
//! count must stay within the buffer.
#![no_main]

use cachelab_core::resp::{ProtocolError, RequestParser};
use libfuzzer_sys::fuzz_target;

type Outcome = (Vec<Vec<Vec<u8>>>, Option<ProtocolError>);

fn small_parser() -> RequestParser {
    let mut p = RequestParser::new();
    // Small limits so the fuzzer can reach the "too big" paths.
    p.max_inline_len = 64;
    p.max_bulk_len = 1024;
    p
}

/// Parses every complete request in `pending`, dropping consumed bytes.
fn drain(parser: &mut RequestParser, pending: &mut Vec<u8>, out: &mut Outcome) -> bool {
    while !pending.is_empty() {
        match parser.parse(pending) {
            Ok(Some((argv, used))) => {
                assert!(
                    used >= 1 && used <= pending.len(),
                    "consumed {used} of {}",
                    pending.len()
                );
                out.0.push(argv);
                pending.drain(..used);
            }
            Ok(None) => break,
            Err(e) => {
                out.1 = Some(e);
                return false;
            }
        }
    }
    true
}

fuzz_target!(|data: &[u8]| {
    let Some((&chunk_seed, body)) = data.split_first() else {
        return;
    };

    let mut whole: Outcome = (Vec::new(), None);
    let mut pending = body.to_vec();
    drain(&mut small_parser(), &mut pending, &mut whole);
    let whole_rest = pending.len();

    let chunk = usize::from(chunk_seed % 17) + 1;
    let mut pieces: Outcome = (Vec::new(), None);
    let mut parser = small_parser();
    let mut pending = Vec::new();
    for part in body.chunks(chunk) {
        pending.extend_from_slice(part);
        if !drain(&mut parser, &mut pending, &mut pieces) {
            break;
        }
    }

    // "Too big" errors depend on how much is buffered when parsing, exactly
    // as in Redis; only compare when neither run hit one.
    let too_big = |o: &Outcome| o.1.as_ref().is_some_and(|e| e.0.contains("too big"));
    if !too_big(&whole) && !too_big(&pieces) {
        assert_eq!(whole, pieces);
        if whole.1.is_none() {
            assert_eq!(whole_rest, pending.len());
        }
    }

    // Default limits too, on the raw input.
    let mut p = RequestParser::new();
    let _ = p.parse(body);
});
