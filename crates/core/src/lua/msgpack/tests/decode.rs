//! `cmsgpack.unpack`: scripts and what redis-server 7.0.15 replied (as
//! redis-cli prints it).

pub(super) const CASES: &[(&str, &str)] = &[
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
        r##"return select('#', cmsgpack.unpack(string.rep('\1', 7998), 'x'))"##,
        r##"(integer) 7998"##,
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
        r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7996) .. '\145\1') return {ok, type(e) == 'table' or e}"##,
        r##"1) (integer) 1
2) (integer) 1"##,
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
