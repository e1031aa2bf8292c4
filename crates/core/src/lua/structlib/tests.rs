use super::{c_to_i64, c_to_u64};

use crate::lua::testing::{eval_err as eval, HX};

/// Scripts and what redis-server 7.0.15 replied (as redis-cli prints it).
const CASES: &[(&str, &str)] = &[
    (r#"return struct.pack('>I2', 258)"#, r#""\x01\x02""#),
    (r#"return struct.pack('<i3', -2)"#, r#""\xfe\xff\xff""#),
    (
        r#"return {hx(struct.pack('>i8', 1e20)), hx(struct.pack('>i8', -1e20)), hx(struct.pack('>i8', 0/0)), hx(struct.pack('>i8', 2^63)), hx(struct.pack('>i8', 1.5e19)), hx(struct.pack('>i8', 2^64)), hx(struct.pack('>i8', 1/0)), hx(struct.pack('>I8', -1)), hx(struct.pack('>i8', -2^63-5000))}"#,
        r#"1) "0000000000000000"
2) "8000000000000000"
3) "8000000000000000"
4) "8000000000000000"
5) "d02ab486cedc0000"
6) "0000000000000000"
7) "0000000000000000"
8) "ffffffffffffffff"
9) "8000000000000000""#,
    ),
    (
        r#"return {hx(struct.pack('<i12', -2)), hx(struct.pack('>i12', -2)), hx(struct.pack('>I3', 2^24+5)), hx(struct.pack('<i0', 5)), hx(struct.pack('>b', 300)), hx(struct.pack('>b', -1.7)), hx(struct.pack('<h', 1.9)), hx(struct.pack('bBhHlLTiI', -1, 255, -2, 65535, -3, 4, 5, -6, 7))}"#,
        r#"1) "feffffffffffffff00000000"
2) "00000000fffffffffffffffe"
3) "000005"
4) ""
5) "2c"
6) "ff"
7) "0100"
8) "fffffefffffffdffffffffffffff04000000000000000500000000000000faffffff07000000""#,
    ),
    (
        r#"return {tostring(struct.unpack('>i12', struct.pack('>i12', -2))), tostring(struct.unpack('<i12', struct.pack('<i12', -2))), tostring(struct.unpack('>i9', string.rep(string.char(255), 9))), tostring(struct.unpack('>i9', string.char(0,0,0,0,0,0,0,0,128))), tostring(struct.unpack('>i9', string.char(0,0,0,0,0,0,0,0,64))), tostring(struct.unpack('>i16', string.char(0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,200))), tostring(struct.unpack('>I9', string.char(1,0,0,0,0,0,0,0,5))), tostring(struct.unpack('>i12', string.rep(string.char(0), 11) .. string.char(128))), tostring(struct.unpack('>i12', string.rep(string.char(0), 8) .. string.char(128, 0, 0, 0)))}"#,
        r#"1) "-2"
2) "-2"
3) "-1"
4) "-128"
5) "64"
6) "200"
7) "5"
8) "128"
9) "-2147483648""#,
    ),
    (
        r#"local r = {} for n = 1, 8 do for _, v in ipairs({-1, 1, 2^(8*n-1) - 1, -2^(8*n-1)}) do r[#r+1] = tostring(struct.unpack('<i' .. n, struct.pack('<i' .. n, v))) .. '/' .. tostring(struct.unpack('>I' .. n, struct.pack('>I' .. n, v))) end end return r"#,
        r#" 1) "-1/255"
 2) "1/1"
 3) "127/127"
 4) "-128/128"
 5) "-1/65535"
 6) "1/1"
 7) "32767/32767"
 8) "-32768/32768"
 9) "-1/16777215"
10) "1/1"
11) "8388607/8388607"
12) "-8388608/8388608"
13) "-1/4294967295"
14) "1/1"
15) "2147483647/2147483647"
16) "-2147483648/2147483648"
17) "-1/1099511627775"
18) "1/1"
19) "549755813887/549755813887"
20) "-549755813888/549755813888"
21) "-1/2.8147497671066e+14"
22) "1/1"
23) "1.4073748835533e+14/1.4073748835533e+14"
24) "-1.4073748835533e+14/1.4073748835533e+14"
25) "-1/7.2057594037928e+16"
26) "1/1"
27) "-3.6028797018964e+16/3.6028797018964e+16"
28) "-3.6028797018964e+16/3.6028797018964e+16"
29) "-1/1.844674407371e+19"
30) "1/1"
31) "-9.2233720368548e+18/9.2233720368548e+18"
32) "-9.2233720368548e+18/9.2233720368548e+18""#,
    ),
    (
        r#"return {hx(struct.pack('<f', 1.5)), hx(struct.pack('>d', -0.1)), hx(struct.pack('f', 0.1)), tostring(struct.unpack('f', struct.pack('f', 0.1))), tostring(struct.unpack('>d', struct.pack('>d', 1/3))), tostring(struct.unpack('>f', struct.pack('>f', 1e39))), tostring(struct.unpack('<d', struct.pack('<d', -1/0))), hx(struct.pack('>f', 2^-149))}"#,
        r#"1) "0000c03f"
2) "bfb999999999999a"
3) "cdcccc3d"
4) "0.10000000149012"
5) "0.33333333333333"
6) "inf"
7) "-inf"
8) "00000001""#,
    ),
    (
        r#"return {hx(struct.pack('!4 b i', 1, 2)), hx(struct.pack('! b d', 1, 2)), hx(struct.pack('!2 b i h b x l', 1, 2, 3, 4, 5)), hx(struct.pack('!b c3 i', 1, 'abc', 2)), hx(struct.pack('b s i', 1, 'hi', 2)), hx(struct.pack('c0 c2', 'xyz', 'abcd')), hx(struct.pack('!8 b i3 b d', 1, 2, 3, 4)), hx(struct.pack('>!4 h i', 1, 2))}"#,
        r#"1) "0100000002000000"
2) "01000000000000000000000000000040"
3) "010002000000030004000500000000000000"
4) "0161626302000000"
5) "0168690002000000"
6) "78797a6162"
7) "01000002000003000000000000001040"
8) "0001000000000002""#,
    ),
    (
        r#"return {struct.size('!4 b i'), struct.size('! b d'), struct.size('y'), struct.size('i3 b'), struct.size('!8 b i3'), struct.size('bhilTfdxc7'), struct.size('!bhilTfdxc7'), struct.size('i\0i')}"#,
        r#"1) (integer) 8
2) (integer) 16
3) (integer) 0
4) (integer) 4
5) (integer) 6
6) (integer) 43
7) (integer) 48
8) (integer) 4"#,
    ),
    (
        r#"return {struct.unpack('!4 b i', struct.pack('!4 b i', -5, 70000))}"#,
        r#"1) (integer) -5
2) (integer) 70000
3) (integer) 9"#,
    ),
    (
        r#"return {struct.unpack('c1 c0', '5abcdef')}"#,
        r#"1) "abcde"
2) (integer) 7"#,
    ),
    (
        r#"return {struct.unpack('b c0', '\2abc')}"#,
        r#"1) "ab"
2) (integer) 4"#,
    ),
    (
        r#"return {struct.unpack('b c0 c0', '\1' .. '3abc')}"#,
        r#"1) "abc"
2) (integer) 6"#,
    ),
    (
        r#"return {struct.unpack('ss', 'ab\0cd\0e')}"#,
        r#"1) "ab"
2) "cd"
3) (integer) 7"#,
    ),
    (
        r#"return {struct.unpack('s', 'ab\0cd')}"#,
        r#"1) "ab"
2) (integer) 4"#,
    ),
    (
        r#"return {struct.unpack('b', 'abcd', '2')}"#,
        r#"1) (integer) 98
2) (integer) 3"#,
    ),
    (
        r#"return {struct.unpack('b', 'abcd', nil)}"#,
        r#"1) (integer) 97
2) (integer) 2"#,
    ),
    (
        r#"return {struct.unpack('', 'abc', -5)}"#,
        r#"1) (integer) -5"#,
    ),
    (
        r#"return {struct.unpack('', 'abc', 100)}"#,
        r#"1) (integer) 100"#,
    ),
    (
        r#"return {struct.unpack(' ', 'abc', 4)}"#,
        r#"1) (integer) 4"#,
    ),
    (
        r#"return {struct.unpack('', 'abc', 2^63)}"#,
        r#"1) (integer) -9223372036854775808"#,
    ),
    (
        r#"return {struct.unpack('', 'abc', 2.9)}"#,
        r#"1) (integer) 2"#,
    ),
    (
        r#"return {struct.unpack('i\0i', 'abcd')}"#,
        r#"1) (integer) 1684234849
2) (integer) 5"#,
    ),
    (
        r#"return {struct.unpack('>h x c2 B', '\255\254?xy\7')}"#,
        r#"1) (integer) -2
2) "xy"
3) (integer) 7
4) (integer) 7"#,
    ),
    (r#"return struct.pack('i\0i', 1)"#, r#""\x01\x00\x00\x00""#),
    (r#"return struct.pack('c0', 123)"#, r#""123""#),
    (r#"return struct.pack('s', 'a\0b')"#, r#""a\x00b\x00""#),
    (
        r#"return #{struct.unpack(string.rep('b', 7997), string.rep('a', 8000))}"#,
        r#"(integer) 7998"#,
    ),
    (
        r#"return #{struct.unpack(string.rep('b', 7998), string.rep('a', 8000))}"#,
        r#"(error) ERR user_script:1: stack overflow (too many results)"#,
    ),
    (
        r#"return #{struct.unpack(string.rep('b', 7997)..' ', string.rep('a', 8000))}"#,
        r#"(error) ERR user_script:1: stack overflow (too many results)"#,
    ),
    (
        r#"return #{struct.unpack(string.rep('b', 7996), string.rep('a', 8000), 1)}"#,
        r#"(integer) 7997"#,
    ),
    (
        r#"return #{struct.unpack(string.rep('b', 7997), string.rep('a', 8000), 1)}"#,
        r#"(error) ERR user_script:1: stack overflow (too many results)"#,
    ),
    (
        r#"return struct.pack('y')"#,
        r#"(error) ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'y')"#,
    ),
    (
        r#"return struct.pack('i')"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'pack' (number expected, got nil)"#,
    ),
    (
        r#"return struct.pack('i i', 1)"#,
        r#"(error) ERR user_script:1: bad argument #3 to 'pack' (number expected, got nil)"#,
    ),
    (
        r#"return struct.pack('i33', 1)"#,
        r#"(error) ERR user_script:1: integral size 33 is larger than limit of 32"#,
    ),
    (
        r#"return struct.pack('i99999999999', 1)"#,
        r#"(error) ERR user_script:1: integral size overflow"#,
    ),
    (
        r#"return struct.pack('c2147483648', 1)"#,
        r#"(error) ERR user_script:1: integral size overflow"#,
    ),
    (
        r#"return struct.pack('!3')"#,
        r#"(error) ERR user_script:1: alignment 3 is not a power of 2"#,
    ),
    (
        r#"return struct.pack('!0')"#,
        r#"(error) ERR user_script:1: alignment 0 is not a power of 2"#,
    ),
    (
        r#"return struct.pack('c5', 'ab')"#,
        r#"(error) ERR user_script:1: bad argument #3 to 'pack' (string too short)"#,
    ),
    (
        r#"return struct.pack('b c5', 1, 'ab')"#,
        r#"(error) ERR user_script:1: bad argument #4 to 'pack' (string too short)"#,
    ),
    (
        r#"return struct.pack('c', {})"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'pack' (string expected, got table)"#,
    ),
    (
        r#"return struct.pack('i', 'abc')"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'pack' (number expected, got string)"#,
    ),
    (
        r#"return struct.pack()"#,
        r#"(error) ERR user_script:1: bad argument #1 to 'pack' (string expected, got no value)"#,
    ),
    (
        r#"return struct.pack('s')"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'pack' (string expected, got nil)"#,
    ),
    (
        r#"return struct.pack(5)"#,
        r#"(error) ERR user_script:1: bad argument #1 to 'pack' (invalid format option '5')"#,
    ),
    (
        r#"return struct.pack('=')"#,
        r#"(error) ERR user_script:1: bad argument #1 to 'pack' (invalid format option '=')"#,
    ),
    (
        r#"return struct.unpack('i', 'ab')"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
        r#"return struct.unpack('c0', 'ab')"#,
        r#"(error) ERR user_script:1: format 'c0' needs a previous size"#,
    ),
    (
        r#"return struct.unpack('b c0', '\2a')"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
        r#"return struct.unpack('b c0', 'x')"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
        r#"return struct.unpack('d c0', struct.pack('d', -1) .. 'abc')"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
        r#"return struct.unpack('s', 'abc')"#,
        r#"(error) ERR user_script:1: unfinished string in data"#,
    ),
    (
        r#"return struct.unpack('i', 'abcd', 0)"#,
        r#"(error) ERR user_script:1: bad argument #3 to 'unpack' (offset must be 1 or greater)"#,
    ),
    (
        r#"return struct.unpack('i', 'abcd', -1)"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
        r#"return struct.unpack('i', 'abcd', 'x')"#,
        r#"(error) ERR user_script:1: bad argument #3 to 'unpack' (number expected, got string)"#,
    ),
    (
        r#"return struct.unpack('y', 'abc')"#,
        r#"(error) ERR user_script:1: bad argument #1 to 'unpack' (invalid format option 'y')"#,
    ),
    (
        r#"return struct.unpack('y', 'abc', 10)"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
        r#"return struct.unpack('i')"#,
        r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (string expected, got no value)"#,
    ),
    (
        r#"return struct.unpack()"#,
        r#"(error) ERR user_script:1: bad argument #1 to 'unpack' (string expected, got no value)"#,
    ),
    (
        r#"return struct.unpack('!5', 'abc')"#,
        r#"(error) ERR user_script:1: alignment 5 is not a power of 2"#,
    ),
    (
        r#"return struct.size('s')"#,
        r#"(error) ERR user_script:1: bad argument #1 to 'size' (option 's' has no fixed size)"#,
    ),
    (
        r#"return struct.size('c0')"#,
        r#"(error) ERR user_script:1: bad argument #1 to 'size' (option 'c0' has no fixed size)"#,
    ),
    (
        r#"return struct.size('?')"#,
        r#"(error) ERR user_script:1: bad argument #1 to 'size' (invalid format option '?')"#,
    ),
    (
        r#"return struct.size()"#,
        r#"(error) ERR user_script:1: bad argument #1 to 'size' (string expected, got no value)"#,
    ),
    (
        r#"return struct.size('i40')"#,
        r#"(error) ERR user_script:1: integral size 40 is larger than limit of 32"#,
    ),
    (
        r#"return {pcall(function() return struct.unpack('c0', '') end)}"#,
        r#"1) (nil)
2) "user_script:1: format 'c0' needs a previous size""#,
    ),
    (
        r#"return struct.size(string.rep('c2147483647', 5))"#,
        r#"(integer) 10737418235"#,
    ),
];

#[test]
fn matches_redis() {
    for (script, want) in CASES {
        let script = if script.contains("hx(") {
            format!("{HX}{script}")
        } else {
            script.to_string()
        };
        assert_eq!(eval(&script), *want, "{script}");
    }
}

#[test]
fn c_casts() {
    assert_eq!(c_to_i64(-1.9), -1);
    assert_eq!(c_to_i64(f64::NAN), i64::MIN);
    assert_eq!(c_to_i64(1e19), i64::MIN);
    assert_eq!(c_to_u64(1.5e19), 15_000_000_000_000_000_000);
    assert_eq!(c_to_u64(1e20), 0);
    assert_eq!(c_to_u64(f64::INFINITY), 0);
    assert_eq!(c_to_u64(f64::NAN), 1 << 63);
    assert_eq!(c_to_u64(-1.0), u64::MAX);
}

#[test]
fn non_ascii_option_is_quoted_raw() {
    let mut e = crate::Engine::new();
    let mut c = e.new_client();
    let reply = e.execute(
        &mut c,
        vec![
            b"EVAL".to_vec(),
            b"return struct.pack('\\200')".to_vec(),
            b"0".to_vec(),
        ],
        1,
    );
    let crate::Reply::Error(msg) = reply else {
        panic!("expected an error, got {reply:?}");
    };
    let want: &[u8] =
        b"ERR user_script:1: bad argument #1 to 'pack' (invalid format option '\xc8')";
    assert!(msg.starts_with(want), "{}", String::from_utf8_lossy(&msg));
}

#[test]
fn huge_sizes_are_refused_without_allocating() {
    // Sizes past the data are refused before anything is copied.
    assert_eq!(
        eval("return struct.unpack('c2147483647', 'abc')"),
        "(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"
    );
    assert_eq!(
        eval("return struct.pack('c2147483647', 'abc')"),
        "(error) ERR user_script:1: bad argument #3 to 'pack' (string too short)"
    );
    // A huge alignment pads no more than the field's own size.
    assert_eq!(
        eval("return struct.pack('!1073741824 x i32', 1)"),
        format!("\"{}\\x01{}\"", "\\x00".repeat(32), "\\x00".repeat(31))
    );
}
