use super::*;

#[test]
fn i64_accepts() {
    assert_eq!(parse_i64(b"0"), Some(0));
    assert_eq!(parse_i64(b"1"), Some(1));
    assert_eq!(parse_i64(b"-1"), Some(-1));
    assert_eq!(parse_i64(b"1234567890"), Some(1_234_567_890));
    assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
    assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
}

#[test]
fn i64_rejects() {
    for bad in [
        &b""[..],
        b"-",
        b"+1",
        b" 1",
        b"1 ",
        b"01",
        b"00",
        b"-0",
        b"-01",
        b"1.0",
        b"1e3",
        b"0x10",
        b"abc",
        b"1a",
        b"\x001",
        b"9223372036854775808",
        b"-9223372036854775809",
        b"18446744073709551616",
        b"99999999999999999999",
        b"-99999999999999999999",
        b"100000000000000000000",
        b"--1",
        "１".as_bytes(),
    ] {
        assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
    }
    // 21 bytes is refused even though the value would fit.
    assert_eq!(parse_i64(b"000000000000000000001"), None);
}

fn f(s: &str) -> Option<f64> {
    parse_f64(s.as_bytes())
}

#[test]
fn f64_decimal() {
    assert_eq!(f("0"), Some(0.0));
    assert_eq!(f("1"), Some(1.0));
    assert_eq!(f("-1.5"), Some(-1.5));
    assert_eq!(f("+2.25"), Some(2.25));
    assert_eq!(f(".5"), Some(0.5));
    assert_eq!(f("5."), Some(5.0));
    assert_eq!(f("-.5"), Some(-0.5));
    assert_eq!(f("1e3"), Some(1000.0));
    assert_eq!(f("1E+3"), Some(1000.0));
    assert_eq!(f("2.5e-3"), Some(0.0025));
    assert_eq!(f("1.e2"), Some(100.0));
    assert_eq!(f("007"), Some(7.0));
    assert_eq!(f("0.1"), Some(0.1));
    assert_eq!(f("1.7976931348623157e308"), Some(f64::MAX));
    assert_eq!(f("4.9e-324"), Some(f64::from_bits(1)));
    assert_eq!(f("2.4703282292062328e-324"), Some(f64::from_bits(1)));
    assert_eq!(f("0e999999999999999999999"), Some(0.0));
    let neg_zero = f("-0").unwrap();
    assert!(neg_zero == 0.0 && neg_zero.is_sign_negative());
}

#[test]
fn f64_infinities() {
    assert_eq!(f("inf"), Some(f64::INFINITY));
    assert_eq!(f("+inf"), Some(f64::INFINITY));
    assert_eq!(f("-inf"), Some(f64::NEG_INFINITY));
    assert_eq!(f("INF"), Some(f64::INFINITY));
    assert_eq!(f("Infinity"), Some(f64::INFINITY));
    assert_eq!(f("-INFINITY"), Some(f64::NEG_INFINITY));
    assert_eq!(f("infin"), None);
    assert_eq!(f("infinit"), None);
    assert_eq!(f("infinityy"), None);
    assert_eq!(f("+-inf"), None);
}

#[test]
fn f64_hex() {
    assert_eq!(f("0x1p3"), Some(8.0));
    assert_eq!(f("0X1P3"), Some(8.0));
    assert_eq!(f("0x10"), Some(16.0));
    assert_eq!(f("-0x1.8"), Some(-1.5));
    assert_eq!(f("0x.8"), Some(0.5));
    assert_eq!(f("0x1.p1"), Some(2.0));
    assert_eq!(f("0xAbC"), Some(2748.0));
    assert_eq!(f("0x1p-1074"), Some(f64::from_bits(1)));
    assert_eq!(f("0x1.fffffffffffffp1023"), Some(f64::MAX));
    assert_eq!(f("0x0p99999"), Some(0.0));
    // Rounding: 2^53 + 1 is a tie and goes to even; + 3 rounds up.
    assert_eq!(f("0x20000000000001"), Some(9007199254740992.0));
    assert_eq!(f("0x20000000000003"), Some(9007199254740996.0));
    // A dropped non-zero digit breaks the tie upwards.
    assert_eq!(
        f("0x200000000000010000001"),
        Some(f("0x20000000000002p28").unwrap())
    );
    // Overflow and underflow are ERANGE: refused.
    assert_eq!(f("0x1p1024"), None);
    assert_eq!(f("0x1p-1076"), None);
    assert_eq!(f("0x1.fffffffffffff8p1023"), None);
    // Half of the smallest subnormal ties to zero; a hair more rounds up.
    assert_eq!(f("0x1p-1075"), None);
    assert_eq!(f("0x1.00001p-1075"), Some(f64::from_bits(1)));
    for bad in [
        "0x", "0x.", "0xp1", "0x1p", "0x1p+", "0xg", "0x1.2.3", "0x 1", "0x1 ",
    ] {
        assert_eq!(f(bad), None, "{bad}");
    }
}

#[test]
fn f64_rejects() {
    for bad in [
        "", " 1", "1 ", "\t1", "1\n", "nan", "NaN", "-nan", "nan(123)", "1e", "1e+", "e5", ".",
        "-", "+", "1,5", "1_000", "1.2.3", "--1", "1e5.5", "0x1p3x", "1e400", "-1e400", "1e-400",
        "-2e-324", "1.8e308", "abc", "1\u{0}",
    ] {
        assert_eq!(f(bad), None, "{bad:?}");
    }
    assert_eq!(parse_f64(b"1\xff"), None);
}

#[test]
fn g17_format() {
    let cases: &[(f64, &str)] = &[
        (0.0, "0"),
        (-0.0, "-0"),
        (1.0, "1"),
        (-1.0, "-1"),
        (3.5, "3.5"),
        (1000.0, "1000"),
        (1.1, "1.1000000000000001"),
        (0.1, "0.10000000000000001"),
        (0.5, "0.5"),
        (2.5, "2.5"),
        (1e20, "1e+20"),
        (1e16, "10000000000000000"),
        (1e17, "1e+17"),
        (123456789012345678.0, "1.2345678901234568e+17"),
        (99999999999999999.0, "1e+17"),
        (0.0001, "0.0001"),
        (0.00001, "1.0000000000000001e-05"),
        (0.00012, "0.00012"),
        (1e-10, "1e-10"),
        (1.5e-7, "1.4999999999999999e-07"),
        (1e100, "1e+100"),
        (f64::MAX, "1.7976931348623157e+308"),
        (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
        (f64::from_bits(1), "4.9406564584124654e-324"),
        (-123.456, "-123.456"),
        (1e15 + 0.25, "1000000000000000.2"),
        (1e15 + 0.75, "1000000000000000.8"),
        (4503599627370496.0, "4503599627370496"),
        (9007199254740993.0, "9007199254740992"),
        (0.3, "0.29999999999999999"),
        (2.0 / 3.0, "0.66666666666666663"),
        (12345.678, "12345.678"),
        (-42.0, "-42"),
        (999999999999999.0, "999999999999999"),
        (-999999999999999.0, "-999999999999999"),
        (1e15, "1000000000000000"),
    ];
    for &(v, want) in cases {
        assert_eq!(format_double(v), want, "{v:e}");
    }
    assert_eq!(format_double(f64::INFINITY), "inf");
    assert_eq!(format_double(f64::NEG_INFINITY), "-inf");
    assert_eq!(format_g17(f64::NAN), "nan");
    assert_eq!(format_g17(-f64::NAN), "-nan");
}

#[test]
fn incrbyfloat_format() {
    let cases: &[(f64, &str)] = &[
        (10.6, "10.6"),
        (10.5 + 0.1, "10.6"),
        (3.0, "3"),
        (5.0e3, "5000"),
        (1e-5, "0.00001"),
        (0.0, "0"),
        (-0.0, "0"),
        (-1.5, "-1.5"),
        (1e20, "100000000000000000000"),
        (1e-17, "0.00000000000000001"),
        (1.2e-17, "0.00000000000000001"),
        (4e-18, "0"),
        (-4e-18, "0"),
        (-6e-18, "-0.00000000000000001"),
        (0.1 + 0.2, "0.30000000000000004"),
        (3.0000000000000004, "3.0000000000000004"),
        (123456.789, "123456.789"),
        (-7.25, "-7.25"),
    ];
    for &(v, want) in cases {
        assert_eq!(format_incrbyfloat(v), want, "{v:e}");
    }
    // Shortest form has 18 decimals: rounded at the 17th.
    let v = parse_f64(b"0.0123456789012345678").unwrap_or(0.0);
    assert_eq!(format_incrbyfloat(v), "0.01234567890123457");
    assert_eq!(format_incrbyfloat(f64::INFINITY), "inf");
    assert_eq!(format_incrbyfloat(f64::NEG_INFINITY), "-inf");
    let big = format_incrbyfloat(f64::MAX);
    assert_eq!(big.len(), 309);
    assert!(big.starts_with("17976931348623157"));
}

fn ld(s: &str) -> LongDouble {
    match LongDouble::parse(s.as_bytes()) {
        Some(v) => v,
        None => panic!("{s} did not parse"),
    }
}

fn incr(a: &str, b: &str) -> String {
    ld(a).add(ld(b)).to_human_string()
}

#[test]
fn long_double_incrbyfloat_examples() {
    // The Redis documentation's examples.
    assert_eq!(incr("10.50", "0.1"), "10.6");
    assert_eq!(incr("5.0e3", "2.0e2"), "5200");
    // Where long double noise shows in Redis's 17 decimals.
    assert_eq!(incr("8512", "-39147.6"), "-30635.60000000000000142");
    assert_eq!(incr("47201.03", "44545"), "91746.03000000000000114");
    assert_eq!(incr("15019.385", "19650.5"), "34669.88499999999999801");
    // Where f64 would show noise and long double does not.
    assert_eq!(incr("0.1", "0.2"), "0.3");
    assert_eq!(incr("0.2", "0.1"), "0.3");
    assert_eq!(incr("3", "0"), "3");
    assert_eq!(incr("0", "0"), "0");
    assert_eq!(incr("-0", "-0"), "0");
    assert_eq!(incr("1", "-1"), "0");
    assert_eq!(incr("1e-20", "0"), "0");
    assert_eq!(incr("-1e-20", "0"), "0");
    assert_eq!(incr("1e18", "1"), "1000000000000000001");
    // At 1e20 the long double spacing is 8: adding 1 is lost.
    assert_eq!(incr("1e20", "1"), "100000000000000000000");
    assert_eq!(incr("-7.25", "0"), "-7.25");
    assert_eq!(
        LongDouble::from_i64(i64::MIN).to_human_string(),
        "-9223372036854775808"
    );
    assert_eq!(
        LongDouble::from_i64(i64::MAX).to_human_string(),
        "9223372036854775807"
    );
    assert_eq!(
        LongDouble::from_i64(12).add(ld("0.5")).to_human_string(),
        "12.5"
    );
}

#[test]
fn long_double_parse_rules() {
    for bad in [
        "",
        " 1",
        "1 ",
        "nan",
        "-nan",
        "1e5000",
        "-1e5000",
        "1e-5000",
        "0x1p16384",
        "1\0",
        "abc",
        "1e",
        "0x",
    ] {
        assert_eq!(LongDouble::parse(bad.as_bytes()), None, "{bad:?}");
    }
    assert_eq!(LongDouble::parse(b"1\x002"), None);
    assert!(LongDouble::parse(b"inf").is_some_and(|v| v.is_infinite()));
    assert!(LongDouble::parse(b"-Infinity").is_some_and(|v| v.is_infinite()));
    assert!(LongDouble::parse(b"1e4000").is_some_and(|v| v.is_finite()));
    assert!(LongDouble::parse(b"1e-4940").is_some_and(|v| v.is_finite()));
    assert!(LongDouble::parse(b"0e99999").is_some_and(|v| v.is_finite()));
    // string2ld refuses inputs of MAX_LONG_DOUBLE_CHARS (5120) bytes or more.
    let long = format!("0.{}", "1".repeat(5117));
    assert!(LongDouble::parse(long.as_bytes()).is_some());
    let too_long = "1".repeat(5120);
    assert_eq!(LongDouble::parse(too_long.as_bytes()), None);
}

#[test]
fn long_double_special_sums() {
    let inf = ld("inf");
    let ninf = ld("-inf");
    assert!(inf.add(ninf).is_nan());
    assert!((inf + ld("1")).is_infinite());
    assert!(!inf.add(ld("1")).is_finite());
    assert_eq!(inf.to_human_string(), "inf");
    assert_eq!(ninf.to_human_string(), "-inf");
    // Overflow of the sum.
    let max = ld("1.18973149535723176502e4932");
    assert!(max.is_finite());
    assert!(max.add(max).is_infinite());
    // Exact cancellation gives +0.
    assert_eq!(ld("5.5").add(ld("-5.5")).to_bits(), 0);
    // to_bits of 1.0: exponent 16383, integer bit set.
    assert_eq!(ld("1").to_bits(), (16383u128 << 64) | (1u128 << 63));
    assert_eq!(
        ld("-2").to_bits(),
        (1u128 << 79) | (16384u128 << 64) | (1u128 << 63)
    );
}

#[test]
fn i64_format() {
    assert_eq!(format_i64(0), "0");
    assert_eq!(format_i64(-42), "-42");
    assert_eq!(format_i64(i64::MIN), "-9223372036854775808");
    assert_eq!(format_i64(i64::MAX), "9223372036854775807");
    let mut out = b"x".to_vec();
    push_u64(&mut out, u64::MAX);
    push_u64(&mut out, 0);
    push_u64(&mut out, 10);
    assert_eq!(out, b"x18446744073709551615010");
    for n in [
        9,
        999_999_999,
        1_000_000_000,
        1_000_000_001,
        4_294_967_296,
        1_000_000_000_000_000_000,
        10_000_000_000_000_000_000,
    ] {
        let mut out = Vec::new();
        push_u64(&mut out, n);
        assert_eq!(out, n.to_string().as_bytes());
    }
}

#[test]
fn roundtrip_format_then_parse() {
    for v in [
        0.1,
        1.1,
        1e-300,
        5e-324,
        1.7976931348623157e308,
        -2.5,
        1e22,
        123.456,
    ] {
        let s = format_double(v);
        assert_eq!(parse_f64(s.as_bytes()), Some(v), "{s}");
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn i64_round_trips(v in any::<i64>()) {
            prop_assert_eq!(parse_i64(format_i64(v).as_bytes()), Some(v));
        }

        /// Whole numbers take the integer shortcut, and match Rust's own
        /// formatting of the integer.
        #[test]
        fn g17_whole_numbers(n in -999_999_999_999_999i64..=999_999_999_999_999) {
            prop_assert_eq!(format_double(n as f64), n.to_string());
        }

        #[test]
        fn g17_round_trips(bits in any::<u64>()) {
            let v = f64::from_bits(bits);
            prop_assume!(v.is_finite());
            let text = format_double(v);
            let back = parse_f64(text.as_bytes());
            prop_assert_eq!(back.map(f64::to_bits), Some(bits), "{}", text);
        }

        #[test]
        fn parse_f64_never_panics(s in "[0-9a-fA-FxXpPeE.+\\- infINFnaNty]{0,30}") {
            let _ = parse_f64(s.as_bytes());
            let _ = LongDouble::parse(s.as_bytes());
        }

        #[test]
        fn long_double_is_exact_for_integers(a in -(1i64 << 62)..(1i64 << 62), b in -(1i64 << 62)..(1i64 << 62)) {
            let sum = LongDouble::from_i64(a).add(LongDouble::from_i64(b));
            prop_assert_eq!(sum.to_human_string(), (i128::from(a) + i128::from(b)).to_string());
            let parsed = LongDouble::parse(a.to_string().as_bytes());
            prop_assert_eq!(parsed, Some(LongDouble::from_i64(a)));
        }

        #[test]
        fn incrbyfloat_text_is_plain(v in -1e300f64..1e300) {
            let text = format_incrbyfloat(v);
            prop_assert!(!text.contains('e') && !text.ends_with('.'));
            if text.contains('.') {
                prop_assert!(!text.ends_with('0'));
            }
        }
    }
}

#[test]
fn short_numbers_are_written_a_word_at_a_time() {
    // Every length, both sides of each power of ten, and a sweep.
    let mut samples: Vec<u64> = vec![0, 1, 9, 10, 99, 100, 99_999_999, 100_000_000, u64::MAX];
    for p in 1..8 {
        let t = 10u64.pow(p);
        samples.extend([t - 1, t, t + 1]);
    }
    samples.extend((0..200_000).map(|i| i * 499));
    for n in samples {
        let mut out = b"x".to_vec();
        push_u64(&mut out, n);
        assert_eq!(out, format!("x{n}").into_bytes());
        assert_eq!(decimal_len(n), n.to_string().len());
    }
    for n in (0..100_000_000u32).step_by(9_973) {
        assert_eq!(eight_digits(n).to_le_bytes(), *format!("{n:08}").as_bytes());
    }
}
