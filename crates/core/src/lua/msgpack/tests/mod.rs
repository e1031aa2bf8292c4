//! The `cmsgpack` library against what redis-server 7.0.15 replied; the
//! cases are in `encode`, `decode` and `partial` (unpack_one, unpack_limit).

use crate::lua::testing::{eval_err as eval, HX};

mod decode;
mod encode;
mod partial;

#[test]
fn matches_redis() {
    let mut failed = Vec::new();
    for (script, want) in encode::CASES
        .iter()
        .chain(decode::CASES)
        .chain(partial::CASES)
    {
        let got = eval(&format!("{HX}{script}"));
        if got != *want {
            failed.push(format!("{script}\n  want: {want}\n  got:  {got}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Redis's own tests (unit/scripting.tcl).
#[test]
fn redis_suite() {
    assert_eq!(
        eval(&format!("{HX}return hx(cmsgpack.pack(0.1))")),
        r#""cb3fb999999999999a""#
    );
    assert_eq!(
        eval(&format!("{HX}return hx(cmsgpack.pack(-1099511627776))")),
        r#""d3ffffff0000000000""#
    );
    let smoke = "local str_lt_32 = string.rep('x', 30)
            local str_lt_255 = string.rep('x', 250)
            local str_lt_65535 = string.rep('x', 65530)
            local str_long = string.rep('x', 100000)
            local array_lt_15 = {1, 2, 3, 4, 5}
            local array_lt_65535 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}
            local array_big = {}
            for i=1, 100000 do array_big[i] = i end
            local map_lt_15 = {a=1, b=2}
            local map_big = {}
            for i=1, 100000 do map_big[tostring(i)] = i end
            local some_map = {
                s1=str_lt_32, s2=str_lt_255, s3=str_lt_65535, s4=str_long,
                d1=0.1, i1=1, i2=250, i3=65530, i4=100000, i5=2^40,
                i6=-1, i7=-120, i8=-32000, i9=-1200000, b1=false, b2=true, n=nil,
                a1=array_lt_15, a2=array_lt_65535, a3=array_big,
                m1=map_lt_15, m2=map_big
            }
            local encoded = cmsgpack.pack(some_map)
            local decoded = cmsgpack.unpack(encoded)
            assert(table.concat(some_map) == table.concat(decoded))
            local offset, decoded_one = cmsgpack.unpack_one(encoded, 0)
            assert(table.concat(some_map) == table.concat(decoded_one))
            assert(offset == -1)
            assert(decoded.s4 == str_long and decoded.a3[100000] == 100000)
            assert(decoded.m2['77'] == 77 and decoded.i5 == 2^40 and decoded.d1 == 0.1)
            local encoded_multiple = cmsgpack.pack(str_lt_32, str_lt_255, str_lt_65535, str_long)
            local offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, 0)
            assert(obj == str_lt_32)
            offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
            assert(obj == str_lt_255)
            offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
            assert(obj == str_lt_65535)
            offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
            assert(obj == str_long)
            assert(offset == -1)
            return 'ok'";
    assert_eq!(eval(smoke), r#""ok""#);
    let circular = format!(
        "{HX}local a = {{x=nil,y=5}}
            local b = {{x=a}}
            a['x'] = b
            local encoded = cmsgpack.pack(a)
            local re = cmsgpack.unpack(encoded)
            assert(re)
            assert(re.x)
            assert(re.x.x.y == re.y)
            assert(re.x.x.x.x.y == re.y)
            assert(re.x.x.x.x.x.x.y == re.y)
            assert(re.x.x.x.x.x.x.x.x.x.x.y == re.y)
            assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.y == re.y)
            assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x)
            assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x == nil)
            return {{hx(encoded), re.x.x.x.x.x.x.x.x.y == re.y, re.y == 5}}"
    );
    assert_eq!(
            eval(&circular),
            "1) \"82a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905\
             a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a178c0\"\n2) (integer) 1\n3) (integer) 1"
        );
}

/// Arbitrary bytes never panic, and deep or huge input stops with an
/// error rather than exhausting the stack or memory.
#[test]
fn hostile_input() {
    let deep = eval("return {pcall(cmsgpack.unpack, string.rep('\\221\\0\\0\\0\\1', 100000))}");
    assert!(deep.contains("stack overflow"), "{deep}");
    let maps =
        eval("return {pcall(cmsgpack.unpack, string.rep('\\223\\0\\0\\0\\1\\145', 100000))}");
    assert!(maps.contains("stack overflow"), "{maps}");
    let long = eval("return {pcall(cmsgpack.unpack, '\\219\\255\\255\\255\\255')}");
    assert!(long.contains("Missing bytes"), "{long}");
    let wide = eval("return {pcall(cmsgpack.unpack, '\\221\\255\\255\\255\\255\\1\\2')}");
    assert!(wide.contains("Missing bytes"), "{wide}");
    // Every byte after every prefix of a sample encoding.
    let fuzz = "local s = cmsgpack.pack({1, -200, 3.5, 'abc', {k = {true, false}}, 2^40, 1e300})
            local n = 0
            for i = 0, #s do
                for b = 0, 255 do
                    local t = string.sub(s, 1, i) .. string.char(b) .. string.sub(s, i + 2)
                    pcall(cmsgpack.unpack, t)
                    pcall(cmsgpack.unpack_one, t, i)
                    n = n + 1
                end
            end
            return n";
    assert!(eval(fuzz).starts_with("(integer)"));
    // A wide self-reference: the output grows past the memory budget
    // (most of it taken up front, to keep the test quick).
    let big = eval(
        "local pad = string.rep('x', 250 * 1024 * 1024) \
             local t = {} for i = 1, 8 do t[i] = t end return #cmsgpack.pack(t)",
    );
    assert!(big.contains("not enough memory"), "{big}");
}
