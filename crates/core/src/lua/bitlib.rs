//! The `bit` library Redis bundles: LuaBitOp 1.0.2, bitwise operations on
//! 32-bit integers (`bit.band(12, 10)`, `bit.tohex(255)`).
//!
//! Every argument is first made a 32-bit integer the way LuaBitOp does it on
//! a double: add 2^52 + 2^51 and keep the low 32 bits of the sum's bit
//! pattern. That rounds to the nearest integer (ties to even, so
//! `tobit(0.5)` is 0 and `tobit(1.5)` is 2) and wraps modulo 2^32, and it
//! turns infinities and NaN into 0 and huge numbers into whatever mantissa
//! bits are left (`tobit(1e20)` is 2025163840). Results are signed 32-bit
//! numbers; shift and rotate counts use their low five bits.

use super::interp::{Interp, LuaError};
use super::stdlib::{bad_arg, native, set_field};
use super::value::{Cell, NativeFn, Table, Value};

type Rets = Result<Vec<Value>, LuaError>;

/// 2^52 + 2^51: a double this large has no fraction bits left, so adding it
/// leaves the rounded integer in the low bits of the mantissa (for any
/// number within ±2^51 of zero, and some wrapped bits beyond).
const ROUNDER: f64 = 6_755_399_441_055_744.0;

/// The 32 bits LuaBitOp makes of a number.
pub fn to_bits(n: f64) -> u32 {
    // Keeping the low half of the pattern is the point.
    (n + ROUNDER).to_bits() as u32
}

/// Argument `i` as 32 bits; anything but a number (or a string that reads
/// as one) is "number expected".
fn arg_bits(args: &[Value], i: usize, fname: &str) -> Result<u32, LuaError> {
    match args.get(i) {
        Some(v) => match v.to_number() {
            Some(n) => Ok(to_bits(n)),
            None => Err(bad_arg(
                i,
                fname,
                &format!("number expected, got {}", v.type_name()),
            )),
        },
        None => Err(bad_arg(i, fname, "number expected, got no value")),
    }
}

/// A result: the bits read as a signed 32-bit integer.
fn ret(b: u32) -> Rets {
    Ok(vec![Value::Num(f64::from(b as i32))])
}

/// Installs the global `bit`.
pub fn open(interp: &mut Interp<'_>) {
    let fns: [(&'static str, NativeFn); 12] = [
        ("tobit", |_, _, a| ret(arg_bits(&a, 0, "tobit")?)),
        ("bnot", |_, _, a| ret(!arg_bits(&a, 0, "bnot")?)),
        ("band", band),
        ("bor", bor),
        ("bxor", bxor),
        ("lshift", lshift),
        ("rshift", rshift),
        ("arshift", arshift),
        ("rol", rol),
        ("ror", ror),
        ("bswap", |_, _, a| {
            ret(arg_bits(&a, 0, "bswap")?.swap_bytes())
        }),
        ("tohex", tohex),
    ];
    let mut t = Table::default();
    for (name, f) in fns {
        set_field(&mut t, name, native(name, f));
    }
    let g = interp.globals.clone();
    set_field(&mut g.borrow_mut(), "bit", Value::new_table(t));
}

/// Folds all the arguments with `op`: the first, then the others from the
/// last one back (LuaBitOp's order, which decides which bad argument is
/// reported first).
fn fold(args: &[Value], fname: &str, op: fn(u32, u32) -> u32) -> Rets {
    let mut acc = arg_bits(args, 0, fname)?;
    for i in (1..args.len()).rev() {
        acc = op(acc, arg_bits(args, i, fname)?);
    }
    ret(acc)
}

fn band(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    fold(&args, "band", |a, b| a & b)
}

fn bor(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    fold(&args, "bor", |a, b| a | b)
}

fn bxor(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    fold(&args, "bxor", |a, b| a ^ b)
}

/// The value and the count (its low five bits) of a shift or rotation.
fn shift_args(args: &[Value], fname: &str) -> Result<(u32, u32), LuaError> {
    let b = arg_bits(args, 0, fname)?;
    let n = arg_bits(args, 1, fname)? & 31;
    Ok((b, n))
}

fn lshift(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let (b, n) = shift_args(&args, "lshift")?;
    ret(b << n)
}

fn rshift(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let (b, n) = shift_args(&args, "rshift")?;
    ret(b >> n)
}

fn arshift(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let (b, n) = shift_args(&args, "arshift")?;
    ret(((b as i32) >> n) as u32)
}

fn rol(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let (b, n) = shift_args(&args, "rol")?;
    ret(b.rotate_left(n))
}

fn ror(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let (b, n) = shift_args(&args, "ror")?;
    ret(b.rotate_right(n))
}

/// `bit.tohex(x [, n])`: the low `|n|` hex digits of `x` (at most 8; 8 when
/// `n` is absent), upper case when `n` is negative. An `n` of -2^31 (whose
/// negation overflows) gives 8 upper-case digits, as Redis's build does.
fn tohex(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let mut b = arg_bits(&args, 0, "tohex")?;
    let n = if args.len() < 2 {
        8
    } else {
        arg_bits(&args, 1, "tohex")? as i32
    };
    let digits: &[u8; 16] = if n < 0 {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let width = n.unsigned_abs().min(8) as usize;
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = digits[(b & 15) as usize];
        b >>= 4;
    }
    Ok(vec![interp.string(out)?])
}

#[cfg(test)]
mod tests {
    use super::to_bits;
    use crate::lua::testing::{eval, eval_err};

    #[test]
    fn normalises_numbers_like_luabitop() {
        assert_eq!(to_bits(-1.0) as i32, -1);
        assert_eq!(to_bits(0.5), 0);
        assert_eq!(to_bits(1.5), 2);
        assert_eq!(to_bits(2.5), 2);
        assert_eq!(to_bits(-0.5), 0);
        assert_eq!(to_bits(4294967296.0), 0);
        assert_eq!(to_bits(f64::INFINITY), 0);
        assert_eq!(to_bits(f64::NAN), 0);
        assert_eq!(to_bits(1e20), 2025163840);
    }

    // Each expected reply is what redis-server 7.0.15 gave.
    /// redis-cli's rendering of an array of bulk strings.
    fn array(items: &[&str]) -> String {
        let width = items.len().to_string().len();
        let lines: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, w)| format!("{:>width$}) \"{w}\"", i + 1))
            .collect();
        lines.join("\n")
    }

    // Each expected reply is what redis-server 7.0.15 gave.
    #[test]
    fn tobit_edges() {
        let script = "local r = {} for _, x in ipairs({2^31, 2^32, -2^31-1, 1e20, 0.5, -0.5, 1.5, \
                      -1.5, -2.5, 3.5, 2^52, 2^53+3, 1/0, -1/0, '0x10', ' 12 ', -2^51, -2^53}) do \
                      r[#r+1] = tostring(bit.tobit(x)) end return r";
        let want = [
            "-2147483648",
            "0",
            "2147483647",
            "2025163840",
            "0",
            "0",
            "2",
            "-2",
            "-2",
            "4",
            "0",
            "2",
            "0",
            "0",
            "16",
            "12",
            "0",
            "0",
        ];
        assert_eq!(eval(script), array(&want));
    }

    #[test]
    fn operations() {
        let script = "return {tostring(bit.lshift(1,31)), tostring(bit.lshift(1,32)), \
                      tostring(bit.lshift(1,-1)), tostring(bit.rshift(-1,1)), \
                      tostring(bit.arshift(-256,4)), tostring(bit.arshift(-256,36)), \
                      tostring(bit.rol(0x12345678,4)), tostring(bit.ror(0x12345678,4)), \
                      tostring(bit.rol(0x12345678,-4)), tostring(bit.ror(0x12345678, 0)), \
                      tostring(bit.bswap(0x12345678)), tostring(bit.bswap(-1)), \
                      tostring(bit.bnot(0)), tostring(bit.bnot(2^31)), \
                      tostring(bit.band(-1, 2^32+5)), tostring(bit.bor(1,2,4,8)), \
                      tostring(bit.bxor(7,2,1)), tostring(bit.band(5)), \
                      tostring(bit.lshift(3, 33.5)), tostring(bit.rshift(2^31, 31))}";
        let want = [
            "-2147483648",
            "1",
            "-2147483648",
            "2147483647",
            "-16",
            "-16",
            "591751041",
            "-2128394905",
            "-2128394905",
            "305419896",
            "2018915346",
            "-1",
            "-1",
            "2147483647",
            "5",
            "15",
            "4",
            "5",
            "12",
            "1",
        ];
        assert_eq!(eval(script), array(&want));
    }

    #[test]
    fn tohex_widths() {
        assert_eq!(eval("return bit.tohex(-1)"), "\"ffffffff\"");
        assert_eq!(eval("return bit.tohex(255)"), "\"000000ff\"");
        assert_eq!(eval("return bit.tohex(255, -4)"), "\"00FF\"");
        assert_eq!(eval("return bit.tohex(255, 0)"), "\"\"");
        assert_eq!(eval("return bit.tohex(0x1234abcd, -3)"), "\"BCD\"");
        assert_eq!(eval("return bit.tohex(0x1234abcd, 9)"), "\"1234abcd\"");
        assert_eq!(eval("return bit.tohex(0x1234abcd, -9)"), "\"1234ABCD\"");
        assert_eq!(eval("return bit.tohex(0xabcdef, -2^31)"), "\"00ABCDEF\"");
        assert_eq!(eval("return bit.tohex(0xabcdef, 2^31)"), "\"00ABCDEF\"");
        assert_eq!(eval("return bit.tohex(0xabcdef, -0.6)"), "\"F\"");
        assert_eq!(eval("return bit.tohex(-1, 1e10)"), "\"ffffffff\"");
        assert_eq!(eval("return bit.tohex('255', '4')"), "\"00ff\"");
    }

    #[test]
    fn argument_errors() {
        let cases = [
            ("bit.band(nil)", "#1 to 'band' (number expected, got nil)"),
            (
                "bit.band(1,'x',nil)",
                "#3 to 'band' (number expected, got nil)",
            ),
            (
                "bit.bor('x',nil)",
                "#1 to 'bor' (number expected, got string)",
            ),
            (
                "bit.bxor(1,{},2)",
                "#2 to 'bxor' (number expected, got table)",
            ),
            ("bit.band()", "#1 to 'band' (number expected, got no value)"),
            (
                "bit.tohex(1,nil)",
                "#2 to 'tohex' (number expected, got nil)",
            ),
            (
                "bit.lshift(1)",
                "#2 to 'lshift' (number expected, got no value)",
            ),
            (
                "bit.lshift('x', {})",
                "#1 to 'lshift' (number expected, got string)",
            ),
            (
                "bit.bnot(true)",
                "#1 to 'bnot' (number expected, got boolean)",
            ),
            (
                "bit.tobit('')",
                "#1 to 'tobit' (number expected, got string)",
            ),
        ];
        for (call, msg) in cases {
            assert_eq!(
                eval_err(&format!("return {call}")),
                format!("(error) ERR user_script:1: bad argument {msg}"),
                "{call}"
            );
        }
    }

    #[test]
    fn library_is_read_only() {
        assert_eq!(
            eval_err("bit.band = nil"),
            "(error) ERR user_script:1: Attempt to modify a readonly table"
        );
    }
}
