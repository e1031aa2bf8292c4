//! `cjson.decode` and its settings.

use super::check;

#[test]
fn decodes_json() {
    check(&[
        (
            r#"return cjson.decode('[1,2,3]')"#,
            r#"1) (integer) 1
2) (integer) 2
3) (integer) 3"#,
        ),
        (
            r#"return cjson.decode('{"a":[1,"x",true,false,null,-2.5e1]}').a"#,
            r#"1) (integer) 1
2) "x"
3) (integer) 1
4) (nil)
5) (nil)
6) (integer) -25"#,
        ),
        (
            r#"local v = cjson.decode('{"a":1,"b":{"c":[1,{"d":"e"}]},"a":3}') return {v.a, v.b.c[1], v.b.c[2].d}"#,
            r#"1) (integer) 3
2) (integer) 1
3) "e""#,
        ),
        (
            r#"local v = cjson.decode('[null]')[1] return {type(v), tostring(v == cjson.null), tostring(v)}"#,
            r#"1) "userdata"
2) "true"
3) "userdata: (nil)""#,
        ),
        (
            r#"return cjson.decode('"\\u00e9\\ud83d\\ude00\\u0041\\u20ac\\u0000z"')"#,
            r#""\xc3\xa9\xf0\x9f\x98\x80A\xe2\x82\xac\x00z""#,
        ),
        (
            r#"return cjson.decode('"\\/\\b\\f\\n\\r\\t\\\\\\"\1\200"')"#,
            r#""/\b\x0c\n\r\t\\\"\x01\xc8""#,
        ),
        (
            r#"return cjson.decode(' \t\r\n[ ] ') ~= nil"#,
            r#"(integer) 1"#,
        ),
        (
            r#"return {cjson.encode(cjson.decode('[]')), cjson.encode(cjson.decode('{}')), cjson.encode(cjson.decode('{"a":[1,2,{"b":null}]}'))}"#,
            r#"1) "{}"
2) "{}"
3) "{\"a\":[1,2,{\"b\":null}]}""#,
        ),
        (
            r#"return {cjson.decode('0x10'), cjson.decode('-0x10'), cjson.decode('+5'), cjson.decode('1e2'), cjson.decode('012'), cjson.decode('-.5e1'), cjson.decode('1.'), cjson.decode(123)}"#,
            r#"1) (integer) 16
2) (integer) -16
3) (integer) 5
4) (integer) 100
5) (integer) 12
6) (integer) -5
7) (integer) 1
8) (integer) 123"#,
        ),
        (
            r#"return {tostring(cjson.decode('inf')), tostring(cjson.decode('-Infinity')), tostring(cjson.decode('nan')), tostring(cjson.decode('-nan')), tostring(cjson.decode('nan(12_a)')), tostring(cjson.decode('1e400')), tostring(cjson.decode('-1e-400'))}"#,
            r#"1) "inf"
2) "-inf"
3) "nan"
4) "-nan"
5) "nan"
6) "inf"
7) "-0""#,
        ),
        (
            r#"return {tostring(cjson.decode('0x1p4')), tostring(cjson.decode('0x1.8p1')), tostring(cjson.decode('0x.8')), tostring(cjson.decode('0X1P-1074')), tostring(cjson.decode('0x1p-1075')), tostring(cjson.decode('0x1.8p-1074')), tostring(cjson.decode('0x1.fffffffffffff8p0')), tostring(cjson.decode('0x1.fffffffffffff7ffp0')), tostring(cjson.decode('0x10000000000000801p0')), tostring(cjson.decode('0x1p1024')), tostring(cjson.decode('0x1.fffffffffffffp1023'))}"#,
            r#" 1) "16"
 2) "3"
 3) "0.5"
 4) "4.9406564584125e-324"
 5) "0"
 6) "9.8813129168249e-324"
 7) "2"
 8) "2"
 9) "1.844674407371e+19"
10) "inf"
11) "1.7976931348623e+308""#,
        ),
        (
            r#"return tostring(cjson.decode('0.1') + cjson.decode('0.2'))"#,
            r#""0.3""#,
        ),
        (
            r#"return string.format('%.17g', cjson.decode('2.2250738585072011e-308'))"#,
            r#""2.2250738585072009e-308""#,
        ),
    ]);
}

#[test]
fn reports_decode_errors() {
    check(&[
        (
            r#"return cjson.decode('')"#,
            r#"(error) ERR user_script:1: Expected value but found T_END at character 1 script: 7ff8cf86abed928f4d61a01dcc9713f0117b180a, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode(' ')"#,
            r#"(error) ERR user_script:1: Expected value but found T_END at character 2 script: 0c0eeb95b7e2eb2c5734b8167989b3aab021aacf, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('x')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 5f58dd5cefb3eb0313af3534f36be4b83e79ae80, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('[1 2]')"#,
            r#"(error) ERR user_script:1: Expected comma or array end but found T_NUMBER at character 4 script: cae89247ef27d42d411c61ae44ff3af6ab258d99, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('[1,]')"#,
            r#"(error) ERR user_script:1: Expected value but found T_ARR_END at character 4 script: d31ab1dd313d99d4ad3dac6e48cdff283bea270c, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('{"a" 1}')"#,
            r#"(error) ERR user_script:1: Expected colon but found T_NUMBER at character 6 script: 3486ee24bfdfc100c738c73355e99954ef01d92f, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('{1:1}')"#,
            r#"(error) ERR user_script:1: Expected object key string but found T_NUMBER at character 2 script: 39975652284445c0a4461fbe58b0a4a1cd6aebc9, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('{"a":1,}')"#,
            r#"(error) ERR user_script:1: Expected object key string but found T_OBJ_END at character 8 script: 7e3659dd873275ff5047e436b0cc31cc91d160e4, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('{"a":1 "b"}')"#,
            r#"(error) ERR user_script:1: Expected comma or object end but found T_STRING at character 8 script: ed604cfa816fcbf85760ca2c8a390a51415cd1aa, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('[1] x')"#,
            r#"(error) ERR user_script:1: Expected the end but found invalid token at character 5 script: 90488ed3df43636c96be19291b12cbc738913942, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('-')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid number at character 1 script: a968c762a4638482bd9ef50dcecdc4504214d87d, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('1e')"#,
            r#"(error) ERR user_script:1: Expected the end but found invalid token at character 2 script: 233eff79cc67a332d1af979291114a1307e115c8, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('0x')"#,
            r#"(error) ERR user_script:1: Expected the end but found invalid token at character 2 script: 18b80eb19bb3289cd0a846b99d6ce8e476a888be, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('"abc')"#,
            r#"(error) ERR user_script:1: Expected value but found unexpected end of string at character 5 script: 30d67c6fb8e066eef4796bfcc59cee500c381744, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('"a\\qb"')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid escape code at character 3 script: 0b7ef200cfebc919089eee8fef383f21467e76c3, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('"a\\')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid escape code at character 3 script: 603bee902913df6dbe85a55fae421863f6994424, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('"a\\u12"')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid unicode escape code at character 3 script: c0cbd4b6d922fa0e6b64bda7a886fd995925bec3, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('"a\\ud800"')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid unicode escape code at character 3 script: 498eaca475970ab0293a229ac963cd50b52bfa25, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('"a\\ud800\\u0041"')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid unicode escape code at character 3 script: c8e6acf97c10c12d70cf007bc3812185b6980288, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('"a\\udc00\\ud800"')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid unicode escape code at character 3 script: 8119e80a2f142ce7cc3434fa2f61a91b86846f49, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('tru')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: b0ae6f0426d6ff93bdff3364f547baa19aa4171b, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('truex')"#,
            r#"(error) ERR user_script:1: Expected the end but found invalid token at character 5 script: 6e70d391cb7729b386bd9fd128f3dd0bfee15744, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('nul')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 5586fdf8c512d9c8a68678c91a0de23617e84e25, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('infinit')"#,
            r#"(error) ERR user_script:1: Expected the end but found invalid token at character 4 script: 95871b2004a4a3a87cc2f77cc8377772eebf1409, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode(']')"#,
            r#"(error) ERR user_script:1: Expected value but found T_ARR_END at character 1 script: 5a5ce31025521bf6eb7c5a9d396fd071aaf8efec, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('[1}')"#,
            r#"(error) ERR user_script:1: Expected comma or array end but found T_OBJ_END at character 3 script: be8dbdfd14aa59deea458af4f8e102b272261c07, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('{"a":1]')"#,
            r#"(error) ERR user_script:1: Expected comma or object end but found T_ARR_END at character 7 script: eb9eec0a9643e8f592469a108c9bd27e6862b70d, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('[1,2]:')"#,
            r#"(error) ERR user_script:1: Expected the end but found T_COLON at character 6 script: 69e46e1c6666e89c252d96b149476a839c00f084, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('\128')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 21d0086b1482aaa1b492753387a6c9f8c7cd3f0d, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('a\0')"#,
            r#"(error) ERR user_script:1: JSON parser does not support UTF-16 or UTF-32 script: 69f6bbb096a19f47ab62fd7adb63b632dfb2a6e4, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('\0a')"#,
            r#"(error) ERR user_script:1: JSON parser does not support UTF-16 or UTF-32 script: dd78d9328784e2bc97ce56b69c1960be18a3e442, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('\0')"#,
            r#"(error) ERR user_script:1: Expected value but found T_END at character 1 script: 415c2ca45509b359c98e03d445d505048ec768e3, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('[1,2]\0xyz')"#,
            r#"1) (integer) 1
2) (integer) 2"#,
        ),
        (
            r#"return cjson.decode('"ab\0cd"')"#,
            r#"(error) ERR user_script:1: Expected value but found unexpected end of string at character 4 script: 3f1d7c4537d5073d24a7f06aa3651f26df175ce6, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode(nil)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'decode' (string expected, got nil) script: a844f6020def000abf40e0ee50e4a4bd8ed32ccd, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode({})"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'decode' (string expected, got table) script: 10c706d54b3ae7d2bcc169d647405abd961145fa, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode()"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'decode' (expected 1 argument) script: 5378278d59343caf5c3375a655dfea5e69ab8a74, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('[1]', 2)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'decode' (expected 1 argument) script: 3466aa8fbe4f840c792aa41fc801d288fe3b3fc0, on @user_script:1."#,
        ),
    ]);
}

#[test]
fn limits_decode_nesting() {
    check(&[
        (
            r#"return cjson.decode(string.rep('[', 1001) .. string.rep(']', 1001))"#,
            r#"(error) ERR user_script:1: Found too many nested data structures (1001) at character 1001 script: 16688796523d8f6cf1ef0ab4577ccee2204836fc, on @user_script:1."#,
        ),
        (
            r#"return #cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000))"#,
            r#"(integer) 1"#,
        ),
        (
            r#"return cjson.decode(string.rep('{"a":', 1001) .. '1' .. string.rep('}', 1001))"#,
            r#"(error) ERR user_script:1: Found too many nested data structures (1001) at character 5001 script: 61e53886072422c6fe7d36d011546fce66f68a32, on @user_script:1."#,
        ),
        (
            r#"return cjson.decode('  ' .. string.rep('[{"k":', 600))"#,
            r#"(error) ERR user_script:1: Found too many nested data structures (1001) at character 3003 script: 65143b210765c25e9f1ee472ae543941d44ea434, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() c.decode_max_depth(100000) return c.decode(string.rep('[', 9000) .. string.rep(']', 9000))"#,
            r#"(error) ERR user_script:1: Found too many nested data structures (7999) at character 7999 script: b130b18a7d9d28b7408c7a638c6782e868b5450b, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() c.decode_max_depth(100000) return c.decode(string.rep('{"a":', 9000) .. string.rep('}', 9000))"#,
            r#"(error) ERR user_script:1: Found too many nested data structures (4000) at character 19996 script: 23eafd7a6a4d6c9cbfce55cf93fdbf151c3b22f8, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() c.decode_max_depth(2) return c.decode('[[[1]]]')"#,
            r#"(error) ERR user_script:1: Found too many nested data structures (3) at character 3 script: b2f73dafadc8ac47956f7d6605d7497ae651cbdb, on @user_script:1."#,
        ),
    ]);
}

#[test]
fn null_is_a_light_userdata() {
    check(&[
        (
            r#"return {type(cjson.null), tostring(cjson.null), cjson.null == cjson.null, not cjson.null, cjson.null ~= nil, cjson.null ~= false}"#,
            r#"1) "userdata"
2) "userdata: (nil)"
3) (integer) 1
4) (nil)
5) (integer) 1
6) (integer) 1"#,
        ),
        (
            r#"local t = {[cjson.null] = 'x'} return t[cjson.null]"#,
            r#""x""#,
        ),
        (r#"return cjson.null"#, r#"(nil)"#),
        (
            r#"return {1, cjson.null, 3}"#,
            r#"1) (integer) 1
2) (nil)
3) (integer) 3"#,
        ),
        (
            r#"return cjson.null.x"#,
            r#"(error) ERR user_script:1: attempt to index field 'null' (a userdata value) script: 6a60cbe4e8c31299811a326b6e842e21f0f02eac, on @user_script:1."#,
        ),
        (
            r#"return cjson.null < cjson.null"#,
            r#"(error) ERR user_script:1: attempt to compare two userdata values script: 9a9f41bffee81c493b7eef08462bf8fac961492f, on @user_script:1."#,
        ),
    ]);
}
