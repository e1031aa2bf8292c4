use crate::lua::testing::{eval_err as eval, HX};

/// Scripts and what redis-server 7.0.15 replied (as redis-cli prints it).
const CASES: &[(&str, &str)] = &[
    (
        r##"return hx(cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 2^53, -1, -32, -33, -128, -129, -32768, -32769, -2^31, -2^31-1, -2^63))"##,
        r##""00017fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000cf0020000000000000ffe0d0dfd080d1ff7fd18000d2ffff7fffd280000000d3ffffffff7fffffffd38000000000000000""##,
    ),
    (
        r##"return hx(cmsgpack.pack(2^63, 2^64, -2^63-2^11, 1/0, -1/0, 0/0, -0, 0.5, 0.1, 1e300, 3.4028234663852886e38, 1e-45, 2^-149, -1.5, 1e10 + 0.5))"##,
        r##""ca5f000000ca5f800000cbc3e0000000000001ca7f800000caff800000cbfff800000000000000ca3f000000cb3fb999999999999acb7e37e43c8800759cca7f7fffffcb3696d601ad376ab9ca00000001cabfc00000cb4202a05f20040000""##,
    ),
    (
        r##"return hx(cmsgpack.pack(0.1))"##,
        r##""cb3fb999999999999a""##,
    ),
    (
        r##"return hx(cmsgpack.pack(-1099511627776))"##,
        r##""d3ffffff0000000000""##,
    ),
    (
        r##"return hx(cmsgpack.pack('', 'a', string.rep('x', 31), string.rep('x', 32)))"##,
        r##""a0a161bf78787878787878787878787878787878787878787878787878787878787878d9207878787878787878787878787878787878787878787878787878787878787878""##,
    ),
    (
        r##"return {hx(string.sub(cmsgpack.pack(string.rep('x', 255)), 1, 4)), hx(string.sub(cmsgpack.pack(string.rep('x', 256)), 1, 4)), hx(string.sub(cmsgpack.pack(string.rep('x', 65535)), 1, 4)), hx(string.sub(cmsgpack.pack(string.rep('x', 65536)), 1, 6)), #cmsgpack.pack(string.rep('x', 65536))}"##,
        r##"1) "d9ff7878"
2) "da010078"
3) "daffff78"
4) "db0001000078"
5) (integer) 65541"##,
    ),
    (
        r##"return hx(cmsgpack.pack(true, false, nil, {}, {1,2}, {[1]=1,[3]=3}, {a=1}, {[1.5]=2}, {[0]=1}, {[-1]=1}, {[2]=2}))"##,
        r##""c3c2c090920102820101030381a1610181ca3fc000000281000181ff01810202""##,
    ),
    (
        r##"return hx(cmsgpack.pack(type, cjson.null, {f=type}, {type}, {[type]=1}))"##,
        r##""c0c081a166c091c081c001""##,
    ),
    (
        r##"return {hx(string.sub(cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16}), 1, 4)), hx(string.sub(cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}), 1, 2))}"##,
        r##"1) "dc001001"
2) "9f01""##,
    ),
    (
        r##"local t = {} for i = 1, 65536 do t[i] = 1 end return {hx(string.sub(cmsgpack.pack(t), 1, 6)), #cmsgpack.pack(t)}"##,
        r##"1) "dd0001000001"
2) (integer) 65541"##,
    ),
    (
        r##"local t = {} for i = 1, 16 do t['k'..i] = 1 end return {hx(string.sub(cmsgpack.pack(t), 1, 3)), #cmsgpack.pack(t)}"##,
        r##"1) "de0010"
2) (integer) 74"##,
    ),
    (
        r##"local t = {} for i = 1, 65536 do t['k'..i] = 1 end return {hx(string.sub(cmsgpack.pack(t), 1, 5)), #cmsgpack.pack(t)}"##,
        r##"1) "df00010000"
2) (integer) 513187"##,
    ),
    (
        r##"local t = {} t[1] = t return hx(cmsgpack.pack(t))"##,
        r##""91919191919191919191919191919191c0""##,
    ),
    (
        r##"local t = {} t.a = t return hx(cmsgpack.pack(t))"##,
        r##""81a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a161c0""##,
    ),
    (
        r##"local t = {{{{{{{{{{{{{{{{{{1}}}}}}}}}}}}}}}}}} return hx(cmsgpack.pack(t))"##,
        r##""91919191919191919191919191919191c0""##,
    ),
    (
        r##"local t = {1,2,3} t[2] = nil return hx(cmsgpack.pack(t))"##,
        r##""8201010303""##,
    ),
    (
        r##"local t = {1,2,3} t[3] = nil return hx(cmsgpack.pack(t))"##,
        r##""920102""##,
    ),
    (
        r##"return hx(cmsgpack.pack({[2^31] = 1}, {[2^31-1] = 1}, {[1]=1, [2]=2, [2.5]=3}, {[true]=1}, {[1]='a', [2.0]='b'}))"##,
        r##""81ce800000000181ce7fffffff018301010202ca402000000381c30192a161a162""##,
    ),
    (
        r##"return hx(cmsgpack.pack(setmetatable({}, {__index = function() return 1 end}), setmetatable({1}, {__len = function() return 5 end})))"##,
        r##""909101""##,
    ),
    (r##"return hx(cmsgpack.pack(12, 'x'))"##, r##""0ca178""##),
    (
        r##"return cmsgpack._NAME .. '|' .. cmsgpack._VERSION .. '|' .. cmsgpack._COPYRIGHT .. '|' .. cmsgpack._DESCRIPTION"##,
        r##""cmsgpack|lua-cmsgpack 0.4.0|Copyright (C) 2012, Salvatore Sanfilippo|MessagePack C implementation for Lua""##,
    ),
    (
        r##"return {cmsgpack.unpack(cmsgpack.pack({1, 2, 3}))}"##,
        r##"1) 1) (integer) 1
   2) (integer) 2
   3) (integer) 3"##,
    ),
    (
        r##"return cmsgpack.unpack(cmsgpack.pack({1, 'two', {3, {4.5, true}}, false}))"##,
        r##"1) (integer) 1
2) "two"
3) 1) (integer) 3
   2) 1) (integer) 4
      2) (integer) 1
4) (nil)"##,
    ),
    (
        r##"local t = cmsgpack.unpack(cmsgpack.pack({a = 1, b = {c = 'd'}})) return {t.a, t.b.c}"##,
        r##"1) (integer) 1
2) "d""##,
    ),
    (
        r##"return {cmsgpack.unpack(cmsgpack.pack(1, 'a', 2.5, nil, true))}"##,
        r##"1) (integer) 1
2) "a"
3) (integer) 2"##,
    ),
    (
        r##"return select('#', cmsgpack.unpack(cmsgpack.pack(1, 'a', 2.5, nil, true)))"##,
        r##"(integer) 5"##,
    ),
    (
        r##"local a = {x=nil,y=5} local b = {x=a} a['x'] = b local encoded = cmsgpack.pack(a) local re = cmsgpack.unpack(encoded) assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.y == re.y) assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x) assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x == nil) return {hx(encoded), re.x.x.x.x.x.x.x.x.y == re.y, re.y == 5}"##,
        r##"1) "82a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a178c0"
2) (integer) 1
3) (integer) 1"##,
    ),
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
        r##"return {cmsgpack.unpack(123)}"##,
        r##"1) (integer) 49
2) (integer) 50
3) (integer) 51"##,
    ),
    (
        r##"return {cmsgpack.unpack()}"##,
        r##"(error) ERR user_script:1: bad argument #1 to 'unpack' (string expected, got no value)"##,
    ),
    (
        r##"return {cmsgpack.unpack({})}"##,
        r##"(error) ERR user_script:1: bad argument #1 to 'unpack' (string expected, got table)"##,
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
    (r##"return {cmsgpack.unpack('')}"##, r##"(empty array)"##),
    (
        r##"return select('#', cmsgpack.unpack(''))"##,
        r##"(integer) 0"##,
    ),
    (
        r##"return {cmsgpack.unpack('\1\2', 'extra', 'args')}"##,
        r##"1) (integer) 1
2) (integer) 2"##,
    ),
    (r##"return cmsgpack.unpack('\192')"##, r##"(nil)"##),
    (
        r##"return select('#', cmsgpack.unpack('\192\192'))"##,
        r##"(integer) 2"##,
    ),
    (
        r##"return {cmsgpack.unpack('\204')}"##,
        r##"(error) ERR user_script:1: Missing bytes in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\193')}"##,
        r##"(error) ERR user_script:1: Bad data format in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\196\1a')}"##,
        r##"(error) ERR user_script:1: Bad data format in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\199\1\1a')}"##,
        r##"(error) ERR user_script:1: Bad data format in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\212\1\1')}"##,
        r##"(error) ERR user_script:1: Bad data format in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\1\193')}"##,
        r##"(error) ERR user_script:1: Bad data format in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\147\1')}"##,
        r##"(error) ERR user_script:1: Missing bytes in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\147\1\193')}"##,
        r##"(error) ERR user_script:1: Bad data format in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\129\1')}"##,
        r##"(error) ERR user_script:1: Missing bytes in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\129\192\192')}"##,
        r##"(error) ERR table index is nil"##,
    ),
    (
        r##"return {cmsgpack.unpack('\129\203\255\248\0\0\0\0\0\0\1')}"##,
        r##"(error) ERR table index is NaN"##,
    ),
    (
        r##"return {pcall(cmsgpack.unpack, '\129\192\1')}"##,
        r##"1) (nil)
2) "table index is nil""##,
    ),
    (
        r##"return {cmsgpack.unpack('\129\1\192')}"##,
        r##"1) (empty array)"##,
    ),
    (
        r##"local t = cmsgpack.unpack('\130\1\2\1\3') return t[1]"##,
        r##"(integer) 3"##,
    ),
    (
        r##"local t = cmsgpack.unpack('\147\1\192\3') return {#t, t[1], t[2], t[3]}"##,
        r##"1) (integer) 1
2) (integer) 1"##,
    ),
    (
        r##"local t = cmsgpack.unpack('\147\192\2\3') return {#t, t[1], t[2], t[3]}"##,
        r##"1) (integer) 0"##,
    ),
    (
        r##"return {cmsgpack.unpack('\204\255\205\1\0\206\255\255\255\255\207\255\255\255\255\255\255\255\255\207\127\255\255\255\255\255\255\255\207\0\32\0\0\0\0\0\1')}"##,
        r##"1) (integer) 255
2) (integer) 256
3) (integer) 4294967295
4) (integer) -1
5) (integer) -9223372036854775808
6) (integer) 9007199254740992"##,
    ),
    (
        r##"return {cmsgpack.unpack('\208\128\209\255\128\209\128\0\210\255\255\255\255\210\128\0\0\0\211\128\0\0\0\0\0\0\0\211\255\255\255\255\255\255\255\254\224\255\127')}"##,
        r##" 1) (integer) -128
 2) (integer) -128
 3) (integer) -32768
 4) (integer) -1
 5) (integer) -2147483648
 6) (integer) -9223372036854775808
 7) (integer) -2
 8) (integer) -32
 9) (integer) -1
10) (integer) 127"##,
    ),
    (
        r##"return {cmsgpack.unpack('\202\63\192\0\0'), tostring(cmsgpack.unpack('\202\127\128\0\0')), tostring(cmsgpack.unpack('\203\63\185\153\153\153\153\153\154')), tostring(cmsgpack.unpack('\202\61\204\204\205'))}"##,
        r##"1) (integer) 1
2) "inf"
3) "0.1"
4) "0.10000000149012""##,
    ),
    (
        r##"return {cmsgpack.unpack('\160\161a\217\3abc\218\0\2ab\219\0\0\0\1z')}"##,
        r##"1) ""
2) "a"
3) "abc"
4) "ab"
5) "z""##,
    ),
    (
        r##"return {cmsgpack.unpack('\217\3ab')}"##,
        r##"(error) ERR user_script:1: Missing bytes in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\219\0\0\0')}"##,
        r##"(error) ERR user_script:1: Missing bytes in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\219\255\255\255\255ab')}"##,
        r##"(error) ERR user_script:1: Missing bytes in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\221\255\255\255\255\1')}"##,
        r##"(error) ERR user_script:1: Missing bytes in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\223\255\255\255\255\1\1')}"##,
        r##"(error) ERR user_script:1: Missing bytes in input."##,
    ),
    (
        r##"return {cmsgpack.unpack('\220\0\2\1\2')}"##,
        r##"1) 1) (integer) 1
   2) (integer) 2"##,
    ),
    (
        r##"return cmsgpack.unpack('\222\0\1\161a\5').a"##,
        r##"(integer) 5"##,
    ),
    (
        r##"return cmsgpack.unpack('\223\0\0\0\1\161a\5').a"##,
        r##"(integer) 5"##,
    ),
    (
        r##"return {cmsgpack.unpack('\221\0\0\0\2\1\2')}"##,
        r##"1) 1) (integer) 1
   2) (integer) 2"##,
    ),
    (
        r##"return {cmsgpack.unpack('\194\195')}"##,
        r##"1) (nil)
2) (integer) 1"##,
    ),
    (
        r##"return {cmsgpack.unpack('\144\128')}"##,
        r##"1) (empty array)
2) (empty array)"##,
    ),
    (
        r##"return select('#', cmsgpack.unpack(string.rep('\1', 7999)))"##,
        r##"(integer) 7999"##,
    ),
    (
        r##"return select('#', cmsgpack.unpack(string.rep('\1', 8000)))"##,
        r##"(error) ERR user_script:1: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)"##,
    ),
    (
        r##"return select('#', cmsgpack.unpack(string.rep('\1', 7998), 'x'))"##,
        r##"(integer) 7998"##,
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
        r##"return #{cmsgpack.unpack(string.rep('\1', 7999))}"##,
        r##"(integer) 7999"##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999) .. '\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (integer) 1
2) (integer) 1"##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 4000) .. '\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (in function mp_decode_to_lua_array)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999)) return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "Missing bytes in input.""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\1', 3999) .. '\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (integer) 1
2) (integer) 1"##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\1', 4000) .. '\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\1', 3998) .. '\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (integer) 1
2) (integer) 1"##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\145', 2666) .. '\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "Missing bytes in input.""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\145', 2667) .. '\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3998) .. '\144') return {ok, type(e) == 'table' or e}"##,
        r##"1) (integer) 1
2) (integer) 1"##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999) .. '\144') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (in function mp_decode_to_lua_array)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999) .. '\128') return {ok, type(e) == 'table' or e}"##,
        r##"1) (integer) 1
2) (integer) 1"##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999) .. '\129\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3998) .. '\129\1\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (integer) 1
2) (integer) 1"##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 4000) .. '\193') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (in function mp_decode_to_lua_array)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7998) .. '\145\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (in function mp_decode_to_lua_array)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7997) .. '\145\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7996) .. '\145\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (integer) 1
2) (integer) 1"##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7999) .. '\193') return {ok, type(e) == 'table' or e}"##,
        r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
    ),
    (
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 100000)) return {ok, e}"##,
        r##"1) (nil)
2) "stack overflow (in function mp_decode_to_lua_array)""##,
    ),
    (
        r##"local t = {} for i = 1, 4000 do t[i] = i end return #cmsgpack.pack(unpack(t))"##,
        r##"(integer) 11618"##,
    ),
    (
        r##"local t = {} for i = 1, 4001 do t[i] = i end return #cmsgpack.pack(unpack(t))"##,
        r##"(error) ERR user_script:1: bad argument #0 to 'pack' (Too many arguments for MessagePack pack.)"##,
    ),
    (
        r##"local t = {} for i = 1, 4000 do t[i] = i end t[4000] = {} return #cmsgpack.pack(unpack(t))"##,
        r##"(error) ERR user_script:1: stack overflow (in function table_is_an_array)"##,
    ),
    (
        r##"local t = {} for i = 1, 3999 do t[i] = i end t[3999] = {} return #cmsgpack.pack(unpack(t))"##,
        r##"(integer) 11613"##,
    ),
    (
        r##"local t = {} for i = 1, 3999 do t[i] = i end t[3999] = {{}} return #cmsgpack.pack(unpack(t))"##,
        r##"(error) ERR user_script:1: stack overflow (in function table_is_an_array)"##,
    ),
    (
        r##"local t = {} for i = 1, 3999 do t[i] = i end t[3999] = {a={}} return #cmsgpack.pack(unpack(t))"##,
        r##"(error) ERR user_script:1: stack overflow (in function mp_encode_lua_table_as_map)"##,
    ),
    (
        r##"local t = {} for i = 1, 3998 do t[i] = i end t[3998] = {a={}} return #cmsgpack.pack(unpack(t))"##,
        r##"(integer) 11613"##,
    ),
    (
        r##"local t = {} for i = 1, 3997 do t[i] = i end t[3997] = {[{}]=1} return #cmsgpack.pack(unpack(t))"##,
        r##"(integer) 11609"##,
    ),
    (
        r##"local t = {} for i = 1, 3998 do t[i] = i end t[3998] = {[{}]=1} return #cmsgpack.pack(unpack(t))"##,
        r##"(error) ERR user_script:1: stack overflow (in function table_is_an_array)"##,
    ),
    (
        r##"return cmsgpack.pack()"##,
        r##"(error) ERR user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.)"##,
    ),
    (
        r##"cmsgpack.x = 1 return 1"##,
        r##"(error) ERR user_script:1: Attempt to modify a readonly table"##,
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
    (
        r##"return {cmsgpack.unpack(cmsgpack.pack(-0.0, 1/0, -1/0, 2^63, -2^63, 2^64, 1e308, 5e-324))}"##,
        r##"1) (integer) 0
2) (integer) -9223372036854775808
3) (integer) -9223372036854775808
4) (integer) -9223372036854775808
5) (integer) -9223372036854775808
6) (integer) -9223372036854775808
7) (integer) -9223372036854775808
8) (integer) 0"##,
    ),
    (
        r##"return {tostring(cmsgpack.unpack(cmsgpack.pack(2^-149))), tostring(cmsgpack.unpack(cmsgpack.pack(5e-324))), tostring(cmsgpack.unpack(cmsgpack.pack(1/3)))}"##,
        r##"1) "1.4012984643248e-45"
2) "4.9406564584125e-324"
3) "0.33333333333333""##,
    ),
];

#[test]
fn matches_redis() {
    let mut failed = Vec::new();
    for (script, want) in CASES {
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
