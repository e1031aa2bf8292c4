//! Fuzzes the RDB reader: arbitrary bytes as a DUMP payload body (the footer
//! check is skipped so the fuzzer reaches the decoder) and as a whole RDB
//! file. Nothing may panic, and whatever decodes must DUMP to a payload that
//! verifies and decodes again.
#![no_main]

use cachelab_core::rdb::{self, EncodeOptions};
use cachelab_core::types::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(value) = rdb::decode_payload(data, &limits) {
        let again = rdb::dump(&value, &EncodeOptions::default());
        assert!(rdb::verify_payload(&again));
        assert!(rdb::decode_payload(&again, &limits).is_ok());
    }
    if let Ok(file) = rdb::decode_file(data, &limits) {
        let bytes = rdb::encode_file(&file, &EncodeOptions::default());
        assert!(rdb::decode_file(&bytes, &limits).is_ok());
    }
});
