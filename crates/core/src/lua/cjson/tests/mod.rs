//! Each script's reply is what redis-cli printed for it against
//! redis-server 7.0.15 (every setting changed goes through `cjson.new()`,
//! as Redis keeps the global table's settings between scripts).

use crate::{cli, Engine};

mod decode;
mod encode;

pub(super) fn check(cases: &[(&str, &str)]) {
    let mut e = Engine::new();
    let mut c = e.new_client();
    let mut failures = Vec::new();
    for (script, want) in cases {
        let argv = vec![b"EVAL".to_vec(), script.as_bytes().to_vec(), b"0".to_vec()];
        let got = cli::format_reply(&e.execute(&mut c, argv, 1));
        if got != *want {
            failures.push(format!("{script}\n  got:  {got}\n  want: {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_module_table() {
    check(&[
        (
            r#"return {cjson._NAME, cjson._VERSION, cjson.new()._VERSION, type(cjson.new().new), type(cjson.decode)}"#,
            r#"1) "cjson"
2) "2.1.0"
3) "2.1.0"
4) "function"
5) "function""#,
        ),
        (
            r#"cjson.x = 1"#,
            r#"(error) ERR user_script:1: Attempt to modify a readonly table script: 4b2ca7db0bf72ed85cdead5baca2fcaf0f05131c, on @user_script:1."#,
        ),
        (
            r#"cjson.encode = 1"#,
            r#"(error) ERR user_script:1: Attempt to modify a readonly table script: 8217b76c7a501906264bfd0d432550aa1280439c, on @user_script:1."#,
        ),
    ]);
}

#[test]
fn configuration_functions() {
    check(&[
        (
            r#"local c = cjson.new() local r = {c.encode_sparse_array()} for _, f in ipairs({'encode_max_depth', 'decode_max_depth', 'encode_number_precision', 'encode_keep_buffer', 'encode_invalid_numbers', 'decode_invalid_numbers'}) do r[#r + 1] = tostring(c[f]()) end return r"#,
            r#"1) (nil)
2) (integer) 2
3) (integer) 10
4) "1000"
5) "1000"
6) "14"
7) "true"
8) "false"
9) "true""#,
        ),
        (
            r#"return cjson.new().encode_max_depth(1, 2)"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'encode_max_depth' (found too many arguments) script: af22b151e560d9c57efb4ba5f3c58196c5e8db88, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_max_depth(0)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483647) script: a352a35427453923eda39b60809ebac11c1af86d, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_max_depth('x')"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode_max_depth' (number expected, got string) script: 3686825e6042b814c95d05bae3529c8e0119fcca, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().decode_max_depth(-1)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'decode_max_depth' (expected integer between 1 and 2147483647) script: 62ecbc767fce3156a804dbaf29cb81121edf9323, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_number_precision(15)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14) script: e6984e9eb26ae49a3ed2a4430cc007f1fd47238b, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_sparse_array(true, -1)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147483647) script: d3e5004699cd2824203fdcba3775d6c6bf7ec11d, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_sparse_array(false, 1, -1)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147483647) script: 99853246416c1b5997f80870fefcf460d8c74e7e, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_sparse_array('maybe')"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode_sparse_array' (invalid option 'maybe') script: e851b312f3cc624e98ea7b07a70cf9ad29924aa0, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_sparse_array(1)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode_sparse_array' (invalid option '1') script: 88bbf5051e49ba1a7b69efa7ed210ef8de66448d, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_sparse_array({})"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode_sparse_array' (string expected, got table) script: 633f8f136f6df11238a500d3f53874a2ce8a0a2a, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_sparse_array(nil, nil, nil, nil)"#,
            r#"(error) ERR user_script:1: bad argument #4 to 'encode_sparse_array' (found too many arguments) script: 5f237b7f90682630791e0c320e2a4733107cd6e0, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_invalid_numbers('nope')"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode_invalid_numbers' (invalid option 'nope') script: 5b5645936fc588fb36e4c8f2018f4316367dcbb2, on @user_script:1."#,
        ),
        (
            r#"return cjson.new().encode_keep_buffer(5)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'encode_keep_buffer' (invalid option '5') script: 7a5181319fe86a81a77910645d79c9f0b3aa4848, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() return {c.encode_max_depth(' 7 '), c.encode_max_depth(2.9), c.encode_max_depth()}"#,
            r#"1) (integer) 7
2) (integer) 2
3) (integer) 2"#,
        ),
        (
            r#"local c = cjson.new() c.encode_number_precision(3) return {c.encode(math.pi), cjson.encode(math.pi), c.encode({[1/3]=1})}"#,
            r#"1) "3.14"
2) "3.1415926535898"
3) "{\"0.333\":1}""#,
        ),
        (
            r#"local c = cjson.new() return {c.encode_number_precision(1), c.encode(123456), c.encode(0.5), c.encode(0.05)}"#,
            r#"1) (integer) 1
2) "1e+05"
3) "0.5"
4) "0.05""#,
        ),
        (
            r#"local c = cjson.new() return {c.encode_invalid_numbers('null'), c.encode({1/0, 0/0, -1/0}), c.encode({[1/0]=1})}"#,
            r#"1) "null"
2) "[null,null,null]"
3) "{\"null\":1}""#,
        ),
        (
            r#"local c = cjson.new() return {c.encode_invalid_numbers(true), c.encode({1/0, -1/0, 0/0, -(0/0)}), c.encode({[-1/0]=1})}"#,
            r#"1) (integer) 1
2) "[inf,-inf,nan,nan]"
3) "{\"-inf\":1}""#,
        ),
        (
            r#"local c = cjson.new() return {tostring(c.encode_invalid_numbers('on')), tostring(c.encode_invalid_numbers('off')), tostring(c.encode_invalid_numbers(false))}"#,
            r#"1) "true"
2) "false"
3) "false""#,
        ),
        (
            r#"local c = cjson.new() return {c.encode_sparse_array('on', 3, 5)}"#,
            r#"1) (integer) 1
2) (integer) 3
3) (integer) 5"#,
        ),
        (
            r#"local c = cjson.new() c.encode_sparse_array(true) return c.encode({[1]=1,[30]=3})"#,
            r#""{\"1\":1,\"30\":3}""#,
        ),
        (
            r#"local c = cjson.new() c.encode_sparse_array(false, 0) return c.encode({[1]=1,[12]=3})"#,
            r#""[1,null,null,null,null,null,null,null,null,null,null,3]""#,
        ),
        (
            r#"local c = cjson.new() c.encode_sparse_array(false, 2, 100) return c.encode({[1]=1,[12]=3})"#,
            r#""[1,null,null,null,null,null,null,null,null,null,null,3]""#,
        ),
        (
            r#"local c = cjson.new() c.encode_sparse_array(false, 1) return c.encode({[1]=1,[12]=3})"#,
            r#"(error) ERR user_script:1: Cannot serialise table: excessively sparse array script: cd65f027204480c2bca900da92bfaf1c14e11205, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() pcall(c.encode_sparse_array, true, -1) return {c.encode_sparse_array()}"#,
            r#"1) (integer) 1
2) (integer) 2
3) (integer) 10"#,
        ),
        (
            r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('0x10')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid number at character 1 script: 4dc6e802d572e1025bc3932ab9f79f042fa54cb2, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('-inf')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid number at character 1 script: 430a81567fcada6ab2740869479842f20fa35143, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('inf')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 6e06ecf7d75ed3e273036d7ed1345a12a5e4a1f2, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('012')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid number at character 1 script: 05dcc227b76beabe54056d05aed0e7222148e3fa, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('+1')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 7151381d40abb5e48ca06f64f9b9e544ca958c12, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('NaN')"#,
            r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 808a447dac84e688da8330c7829babcd3d9f8e23, on @user_script:1."#,
        ),
        (
            r#"local c = cjson.new() c.decode_invalid_numbers(false) return {c.decode('-0.5e1'), c.decode('0'), c.decode('[0,10]')[2]}"#,
            r#"1) (integer) -5
2) (integer) 0
3) (integer) 10"#,
        ),
        (
            r#"local c = cjson.new() return {c.encode_keep_buffer(false), c.encode({1}), c.encode_keep_buffer('on')}"#,
            r#"1) (nil)
2) "[1]"
3) (integer) 1"#,
        ),
        (
            r#"local ok, e = pcall(cjson.decode, '[') return e"#,
            r#""Expected value but found T_END at character 2""#,
        ),
        (
            r#"local ok, e = pcall(cjson.encode, {f = type}) return e"#,
            r#""Cannot serialise function: type not supported""#,
        ),
    ]);
}

#[test]
fn no_input_panics() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    let inputs: [&[u8]; 14] = [
        b"\"\\u",
        b"\"\\ud800\\",
        b"\"\\ud800\\u",
        b"\"\\ud800\\udc0",
        b"0x",
        b"0x.",
        b"0x1p",
        b"0x1p-",
        b"-",
        b"+",
        b"nan(",
        b"1e+",
        b"[{\"a\":[",
        b"\xff\xfe",
    ];
    for input in inputs {
        let mut argv = vec![b"EVAL".to_vec()];
        argv.push(b"return cjson.decode(ARGV[1])".to_vec());
        argv.push(b"0".to_vec());
        argv.push(input.to_vec());
        // Any reply will do: what matters is that there is one.
        let _ = e.execute(&mut c, argv, 1);
    }
}
