//! `cjson.encode` and its settings.

use super::check;

#[test]
fn encodes_values_numbers_and_strings() {
    check(&[
        (
            r#"return cjson.encode({1,2,{a=1}})"#,
            r#""[1,2,{\"a\":1}]""#,
        ),
        (
            r#"return cjson.encode({1.5, -0.25, 1e300, 2^53, 123456789012345, 1/3, -0, 1e-7, 100, 0.1})"#,
            r#""[1.5,-0.25,1e+300,9.007199254741e+15,1.2345678901234e+14,0.33333333333333,-0,1e-07,100,0.1]""#,
        ),
        (
            r#"return cjson.encode(1/0)"#,
            r#"(error) ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: 08ffdaa5e7f117332da21c3b5222c2ede9492c60, on @user_script:1."#,
        ),
        (
            r#"return cjson.encode({0/0})"#,
            r#"(error) ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: a6c343b48c03c3bafb03da1cf2d449674f2f901a, on @user_script:1."#,
        ),
        (
            r#"return cjson.encode(-1/0)"#,
            r#"(error) ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: eeea526afae25161c515bd49cddc89d6cfbf2456, on @user_script:1."#,
        ),
        (
            r#"return {cjson.encode(nil), cjson.encode(cjson.null), cjson.encode(true), cjson.encode({true,false}), cjson.encode('')}"#,
            r#"1) "null"
2) "null"
3) "true"
4) "[true,false]"
5) "\"\"""#,
        ),
        (
            r#"return cjson.encode('a/b"c\\d\1\31\127\n\t\r\b\f\0\200\255 ~')"#,
            r#""\"a\\/b\\\"c\\\\d\\u0001\\u001f\\u007f\\n\\t\\r\\b\\f\\u0000\xc8\xff ~\"""#,
        ),
        (
            r#"return cjson.encode({'a', {b = 'c'}, {}, {{}}})"#,
            r#""[\"a\",{\"b\":\"c\"},{},[{}]]""#,
        ),
    ]);
}

#[test]
fn encodes_arrays_and_objects() {
    check(&[
        (r#"return cjson.encode({[1]=1,[3]=3})"#, r#""[1,null,3]""#),
        (
            r#"return cjson.encode({1,nil,3,nil,5,nil,nil,nil,nil,nil})"#,
            r#""[1,null,3,null,5]""#,
        ),
        (
            r#"return cjson.encode({[1]=1,[30]=3})"#,
            r#"(error) ERR user_script:1: Cannot serialise table: excessively sparse array script: 192b3af9fff8485280fdaa0d9aacd2968bccc465, on @user_script:1."#,
        ),
        (
            r#"return cjson.encode({1,2,3,[11]=1})"#,
            r#"(error) ERR user_script:1: Cannot serialise table: excessively sparse array script: 1557543e147d4e6286952340c85a0f699e85cfe9, on @user_script:1."#,
        ),
        (
            r#"return cjson.encode({1,2,3,x=1})"#,
            r#""{\"1\":1,\"2\":2,\"3\":3,\"x\":1}""#,
        ),
        (
            r#"return {cjson.encode({[0]=1}), cjson.encode({[-1]=1}), cjson.encode({[1.5]=1}), cjson.encode({[2^31]=1}), cjson.encode({[1e20]=1}), cjson.encode({['1']=1})}"#,
            r#"1) "{\"0\":1}"
2) "{\"-1\":1}"
3) "{\"1.5\":1}"
4) "{\"2147483648\":1}"
5) "{\"1e+20\":1}"
6) "{\"1\":1}""#,
        ),
        (
            r#"return cjson.encode({[2^31-1]=1})"#,
            r#"(error) ERR user_script:1: Cannot serialise table: excessively sparse array script: 195bcc41ce386c53ca26b8ed7682b821e944a30d, on @user_script:1."#,
        ),
        (r#"return cjson.encode({})"#, r#""{}""#),
        (
            r#"return cjson.encode({[math.huge]=1})"#,
            r#"(error) ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: 294a06163f94d9dc633babe953da993083d82456, on @user_script:1."#,
        ),
    ]);
}

#[test]
fn refuses_what_json_cannot_hold() {
    check(&[
        (
            r#"return cjson.encode(type)"#,
            r#"(error) ERR user_script:1: Cannot serialise function: type not supported script: ac953d07cf9bd36e9046fead9114bc29ca6b50f7, on @user_script:1."#,
        ),
        (
            r#"return cjson.encode({a=type})"#,
            r#"(error) ERR user_script:1: Cannot serialise function: type not supported script: 4849b87ec489a5d6971cf227d54b030fd0f0a286, on @user_script:1."#,
        ),
        (
            r#"return cjson.encode({[true]=1})"#,
            r#"(error) ERR user_script:1: Cannot serialise boolean: table key must be a number or string script: 376a640005c8509c694166527ca834359bf69aa8, on @user_script:1."#,
        ),
        (
            r#"return cjson.encode({[cjson.null]=1})"#,
            r#"(error) ERR user_script:1: Cannot serialise userdata: table key must be a number or string script: 38d0732dfda40524a3ba751492c95ca160da2395, on @user_script:1."#,
        ),
        (
            r#"return cjson.encode({[{}]=1})"#,
            r#"(error) ERR user_script:1: Cannot serialise table: table key must be a number or string script: d2e2560c1eac16fa2ba971165f1a135f816add6f, on @user_script:1."#,
        ),
        (
            r#"return cjson.encode()"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode' (expected 1 argument) script: fc593ea31f478c7ed65c77495cc63edeb9153530, on @user_script:1."#,
        ),
        (
            r#"return cjson.encode(1, 2)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode' (expected 1 argument) script: e3a38cd8c1bb7de419304607b05108c80af53cbc, on @user_script:1."#,
        ),
    ]);
}

#[test]
fn limits_encode_nesting() {
    check(&[
        (
            r#"local t = {} for i=1,1001 do t = {t} end return cjson.encode(t)"#,
            r#"(error) ERR user_script:1: Cannot serialise, excessive nesting (1001) script: 60a8d592ec1780965229cc69a370d9ea6448ad99, on @user_script:1."#,
        ),
        (
            r#"local t = {} for i=1,999 do t = {t} end return #cjson.encode(t)"#,
            r#"(integer) 2000"#,
        ),
        (
            r#"local t = {} for i=1,1000 do t = {a=t} end return cjson.encode(t)"#,
            r#"(error) ERR user_script:1: Cannot serialise, excessive nesting (1001) script: 465235371845aaa0db777655b31647f68ff06f2b, on @user_script:1."#,
        ),
        (
            r#"local t = {} t[1] = t return cjson.encode(t)"#,
            r#"(error) ERR user_script:1: Cannot serialise, excessive nesting (1001) script: 576653f0096d47f87063058b9abe9085cdcd4f41, on @user_script:1."#,
        ),
        (
            r#"local function unlink(t, k) while type(t) == 'table' do local n = t[k] t[k] = nil t = n end end local c = cjson.new() c.encode_max_depth(100000) local t = {} for i=1,9000 do t = {t} end local ok, e = pcall(c.encode, t) unlink(t, 1) return {ok, e}"#,
            r#"1) (nil)
2) "Cannot serialise, excessive nesting (7998)""#,
        ),
        (
            r#"local function unlink(t, k) while type(t) == 'table' do local n = t[k] t[k] = nil t = n end end local c = cjson.new() c.encode_max_depth(100000) local t = {} for i=1,9000 do t = {a=t} end local ok, e = pcall(c.encode, t) unlink(t, 'a') return {ok, e}"#,
            r#"1) (nil)
2) "Cannot serialise, excessive nesting (4000)""#,
        ),
        (
            r#"local function unlink(t, k) while type(t) == 'table' do local n = t[k] t[k] = nil t = n end end local c = cjson.new() c.encode_max_depth(100000) local t = {} for i=1,7990 do t = {t} end local n = #c.encode(t) unlink(t, 1) return n"#,
            r#"(integer) 15982"#,
        ),
        (
            r#"local c = cjson.new() c.encode_max_depth(2) return {pcall(c.encode, {{1}}), pcall(c.encode, {{{}}})}"#,
            r#"1) (integer) 1
2) (nil)
3) "Cannot serialise, excessive nesting (3)""#,
        ),
    ]);
}
