//! `cmsgpack.pack`: scripts and what redis-server 7.0.15 replied (as
//! redis-cli prints it).

pub(super) const CASES: &[(&str, &str)] = &[
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
        r##"return cmsgpack.pack()"##,
        r##"(error) ERR user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.)"##,
    ),
    (
        r##"cmsgpack.x = 1 return 1"##,
        r##"(error) ERR user_script:1: Attempt to modify a readonly table"##,
    ),
];
