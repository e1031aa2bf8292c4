//! `cmsgpack.unpack_one` and `cmsgpack.unpack_limit`: scripts and what
//! redis-server 7.0.15 replied (as redis-cli prints it).

pub(super) const CASES: &[(&str, &str)] = &[
    (
        r##"return {cmsgpack.unpack_one('abc', 2^32)}"##,
        r##"(error) ERR user_script:1: Start offset 0 greater than input length 3."##,
    ),
    (
        r##"return {cmsgpack.unpack_one('abc', 2^32+1)}"##,
        r##"(error) ERR user_script:1: Start offset 1 greater than input length 3."##,
    ),
    (
        r##"return {cmsgpack.unpack_one('abc', -2^32+1)}"##,
        r##"(error) ERR user_script:1: Invalid request to unpack with offset of 1 and limit of 3."##,
    ),
    (
        r##"return {cmsgpack.unpack_one('abc', -1)}"##,
        r##"(error) ERR user_script:1: Invalid request to unpack with offset of -1 and limit of 3."##,
    ),
    (
        r##"return {cmsgpack.unpack_one('abc', 5)}"##,
        r##"(error) ERR user_script:1: Start offset 5 greater than input length 3."##,
    ),
    (
        r##"return {cmsgpack.unpack_one('\1\2\3', 1.9)}"##,
        r##"1) (integer) 2
2) (integer) 2"##,
    ),
    (
        r##"return {cmsgpack.unpack_one('\1\2\3', '1')}"##,
        r##"1) (integer) 2
2) (integer) 2"##,
    ),
    (
        r##"return {cmsgpack.unpack_one('\1\2\3', 'x')}"##,
        r##"(error) ERR user_script:1: bad argument #2 to 'unpack_one' (number expected, got string)"##,
    ),
    (
        r##"return {cmsgpack.unpack_one('\1\2\3', 0/0)}"##,
        r##"(error) ERR user_script:1: Invalid request to unpack with offset of 0 and limit of 3."##,
    ),
    (
        r##"return {cmsgpack.unpack_one('\1\2\3', 1e300)}"##,
        r##"(error) ERR user_script:1: Invalid request to unpack with offset of 0 and limit of 3."##,
    ),
    (
        r##"return {cmsgpack.unpack_one(nil, 'x')}"##,
        r##"(error) ERR user_script:1: bad argument #2 to 'unpack_one' (number expected, got string)"##,
    ),
    (
        r##"return {cmsgpack.unpack_one(nil)}"##,
        r##"(error) ERR user_script:1: bad argument #1 to 'unpack_one' (string expected, got nil)"##,
    ),
    (
        r##"return {cmsgpack.unpack_one()}"##,
        r##"(error) ERR user_script:1: bad argument #1 to 'unpack_one' (string expected, got no value)"##,
    ),
    (
        r##"return {cmsgpack.unpack_one(123)}"##,
        r##"1) (integer) 1
2) (integer) 49"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit('\1\2\3')}"##,
        r##"(error) ERR user_script:1: bad argument #2 to 'unpack_limit' (number expected, got no value)"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit('\1\2\3', 0)}"##,
        r##"1) (integer) 1
2) (integer) 2
3) (integer) 3"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit('\1\2\3', 0, 1)}"##,
        r##"1) (integer) 1"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit('\1\2\3', 2)}"##,
        r##"1) (integer) 2
2) (integer) 1
3) (integer) 2"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit('\1\2\3', 2, 1)}"##,
        r##"1) (integer) -1
2) (integer) 2
3) (integer) 3"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit('\1\2\3', 5, 1)}"##,
        r##"1) (integer) -1
2) (integer) 2
3) (integer) 3"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit('\1\2\3', 1, 3)}"##,
        r##"1) (integer) -1"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit('\1\2\3', -1, 1)}"##,
        r##"(error) ERR user_script:1: Invalid request to unpack with offset of 1 and limit of 3."##,
    ),
    (
        r##"return {cmsgpack.unpack_limit('\1\2\3', 'x')}"##,
        r##"(error) ERR user_script:1: bad argument #2 to 'unpack_limit' (number expected, got string)"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit(nil, 'a', 'b')}"##,
        r##"(error) ERR user_script:1: bad argument #2 to 'unpack_limit' (number expected, got string)"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit(nil, 1, 'b')}"##,
        r##"(error) ERR user_script:1: bad argument #3 to 'unpack_limit' (number expected, got string)"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit(nil, 1)}"##,
        r##"(error) ERR user_script:1: bad argument #1 to 'unpack_limit' (string expected, got nil)"##,
    ),
    (
        r##"return {cmsgpack.unpack_limit('', 1)}"##,
        r##"1) (integer) -1"##,
    ),
    (
        r##"return {cmsgpack.unpack_one('')}"##,
        r##"1) (integer) -1"##,
    ),
    (
        r##"return select('#', cmsgpack.unpack(string.rep('\1', 8000)))"##,
        r##"(error) ERR user_script:1: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)"##,
    ),
    (
        r##"return select('#', cmsgpack.unpack(string.rep('\1', 7999), 'x'))"##,
        r##"(error) ERR user_script:1: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)"##,
    ),
    (
        r##"return select('#', cmsgpack.unpack_limit(string.rep('\1', 7999), 10000))"##,
        r##"(error) ERR user_script:1: stack overflow (in function mp_unpack_full)"##,
    ),
    (
        r##"return select('#', cmsgpack.unpack_limit(string.rep('\1', 7998), 10000))"##,
        r##"(integer) 7999"##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\1', 4000) .. '\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\145', 2667) .. '\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999) .. '\129\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7997) .. '\145\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7999) .. '\193') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
    ),
    (
        r##"local s = cmsgpack.pack(1, 'b', {3}) local o1, v1 = cmsgpack.unpack_one(s) local o2, v2 = cmsgpack.unpack_one(s, o1) local o3, v3 = cmsgpack.unpack_one(s, o2) return {o1, v1, o2, v2, o3, v3[1]}"##,
        r##"1) (integer) 1
2) (integer) 1
3) (integer) 3
4) "b"
5) (integer) -1
6) (integer) 3"##,
    ),
];
