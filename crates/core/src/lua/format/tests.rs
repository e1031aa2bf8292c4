//! Expected values were produced by Redis 7.0.15's Lua 5.1 on x86-64
//! (`tostring(v)` and `pcall(string.format, fmt, v, v)`).

use super::*;

/// A `string.format` argument.
#[derive(Clone, Copy, Debug)]
enum A {
    N(f64),
    S(&'static [u8]),
}

/// What the interpreter does with a format string and (repeated)
/// argument.
fn lua_format(fmt: &[u8], arg: A) -> Vec<u8> {
    let pieces = match parse_format(fmt) {
        Ok(pieces) => pieces,
        // Lua puts the offending byte itself in the message; map the
        // (Latin-1) char back to it.
        Err(e) => return format!("ERR:{e}").chars().map(|c| c as u8).collect(),
    };
    let mut out = Vec::new();
    for piece in pieces {
        let spec = match piece {
            Piece::Literal(text) => {
                out.extend_from_slice(text);
                continue;
            }
            Piece::Spec(spec) => spec,
        };
        let text = match arg {
            A::S(s) => s.to_vec(),
            A::N(n) => fmt_number(n).into_bytes(),
        };
        match (spec.conv, arg) {
            (b'q', _) => out.extend(fmt_quoted(&text)),
            (b's', _) => out.extend(fmt_string(&spec, &text)),
            (b'e' | b'E' | b'f' | b'g' | b'G', A::N(n)) => out.extend_from_slice(
                fmt_float(spec.conv, &spec.flags, spec.width, spec.precision, n).as_bytes(),
            ),
            (_, A::N(n)) => out.extend(fmt_integer(&spec, n)),
            (_, A::S(_)) => return b"bad case".to_vec(),
        }
    }
    out
}

#[rustfmt::skip]
    const TOSTRING: &[(f64, &[u8])] = &[
        (0.1, b"0.1"),
        (1.0 / 3.0, b"0.33333333333333"),
        (1e15, b"1e+15"),
        (1e16, b"1e+16"),
        (123456789012345678.0, b"1.2345678901235e+17"),
        (-0.0, b"-0"),
        (9007199254740992.0, b"9.007199254741e+15"),
        (9223372036854775808.0, b"9.2233720368548e+18"),
        (f64::INFINITY, b"inf"),
        (f64::NEG_INFINITY, b"-inf"),
        (-f64::NAN, b"-nan"),
        (f64::NAN, b"nan"),
        (100.0, b"100"),
        (-1.5, b"-1.5"),
        (1e-5, b"1e-05"),
        (0.0001, b"0.0001"),
        (5e-324, b"4.9406564584125e-324"),
        (1e300, b"1e+300"),
        (99999999999999.0, b"99999999999999"),
        (1e14, b"1e+14"),
        (2147483648.0, b"2147483648"),
        (123.456, b"123.456"),
        (-1e-300, b"-1e-300"),
        (3.0000000000000004, b"3"),
    ];

#[test]
fn tostring_matches_redis() {
    for &(n, want) in TOSTRING {
        assert_eq!(fmt_number(n).as_bytes(), want, "tostring({n:e})");
    }
    // The integer fast path and the %.14g path agree.
    for n in [
        0.0,
        1.0,
        -7.0,
        1e14,
        99_999_999_999_999.0,
        -99_999_999_999_999.0,
        1e15,
    ] {
        assert_eq!(fmt_number(n), fmt_float(b'g', b"", None, Some(14), n));
    }
}

#[allow(clippy::approx_constant)]
    #[rustfmt::skip]
    const FORMAT: &[(&[u8], A, &[u8])] = &[
        (b"%5.2f", A::N(3.14159), b" 3.14"),
        (b"%08.3f", A::N(3.14159), b"0003.142"),
        (b"%08.3f", A::N(-3.14159), b"-003.142"),
        (b"%-10.3f|", A::N(2.5), b"2.500     |"),
        (b"%.0f", A::N(0.5), b"0"),
        (b"%.0f", A::N(1.5), b"2"),
        (b"%.0f", A::N(2.5), b"2"),
        (b"%.2f", A::N(2.675), b"2.67"),
        (b"%.1f", A::N(0.25), b"0.2"),
        (b"%.20f", A::N(0.1), b"0.10000000000000000555"),
        (b"%f", A::N(1e300), b"1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000"),
        (b"%.3f", A::N(-0.0), b"-0.000"),
        (b"%f", A::N(-f64::NAN), b"-nan"),
        (b"%f", A::N(f64::NAN), b"nan"),
        (b"%05.1f", A::N(f64::INFINITY), b"  inf"),
        (b"%+f", A::N(f64::INFINITY), b"+inf"),
        (b"%e", A::N(12345.6789), b"1.234568e+04"),
        (b"%E", A::N(0.000123), b"1.230000E-04"),
        (b"%.0e", A::N(12345.0), b"1e+04"),
        (b"%#.0e", A::N(12345.0), b"1.e+04"),
        (b"%e", A::N(0.0), b"0.000000e+00"),
        (b"%e", A::N(1e-300), b"1.000000e-300"),
        (b"%.3e", A::N(9.9995), b"9.999e+00"),
        (b"%+.3e", A::N(0.0), b"+0.000e+00"),
        (b"%12.4e|", A::N(-1e100), b"-1.0000e+100|"),
        (b"%g", A::N(1e-5), b"1e-05"),
        (b"%g", A::N(0.0001), b"0.0001"),
        (b"%g", A::N(123456789.0), b"1.23457e+08"),
        (b"%g", A::N(100000.0), b"100000"),
        (b"%g", A::N(1000000.0), b"1e+06"),
        (b"%G", A::N(1e-10), b"1E-10"),
        (b"%#g", A::N(1.0), b"1.00000"),
        (b"%#g", A::N(0.5), b"0.500000"),
        (b"%#g", A::N(100000.0), b"100000."),
        (b"%.3g", A::N(999.5), b"1e+03"),
        (b"%.2g", A::N(9.96), b"10"),
        (b"%.0g", A::N(0.5), b"0.5"),
        (b"%g", A::N(-0.0), b"-0"),
        (b"%G", A::N(f64::NAN), b"NAN"),
        (b"%-6g|", A::N(f64::INFINITY), b"inf   |"),
        (b"%g", A::N(2e-310), b"2e-310"),
        (b"%.14g", A::N(0.1), b"0.1"),
        (b"%.17g", A::N(0.1), b"0.10000000000000001"),
        (b"%#.3g", A::N(1.0), b"1.00"),
        (b"%010.3g", A::N(-1234.5), b"-01.23e+03"),
        (b"% g", A::N(42.0), b" 42"),
        (b"%d", A::N(42.0), b"42"),
        (b"%+d", A::N(5.0), b"+5"),
        (b"%+d", A::N(-5.0), b"-5"),
        (b"% d", A::N(5.0), b" 5"),
        (b"%5d|", A::N(42.0), b"   42|"),
        (b"%-5d|", A::N(42.0), b"42   |"),
        (b"%05d", A::N(42.0), b"00042"),
        (b"%05d", A::N(-42.0), b"-0042"),
        (b"%.3d", A::N(7.0), b"007"),
        (b"%8.3d|", A::N(-7.0), b"    -007|"),
        (b"%-08d|", A::N(7.0), b"7       |"),
        (b"%.0d|", A::N(0.0), b"|"),
        (b"%+.0d|", A::N(0.0), b"+|"),
        (b"%d", A::N(3.99), b"3"),
        (b"%d", A::N(-3.99), b"-3"),
        (b"%i", A::N(-0.5), b"0"),
        (b"%d", A::N(9223372036854775808.0), b"-9223372036854775808"),
        (b"%d", A::N(-9223372036854775808.0), b"-9223372036854775808"),
        (b"%d", A::N(1e300), b"-9223372036854775808"),
        (b"%d", A::N(-f64::NAN), b"-9223372036854775808"),
        (b"%d", A::N(f64::NEG_INFINITY), b"-9223372036854775808"),
        (b"%d", A::N(4611686018427387904.0), b"4611686018427387904"),
        (b"%x", A::N(255.0), b"ff"),
        (b"%x", A::N(-1.0), b"ffffffffffffffff"),
        (b"%X", A::N(255.0), b"FF"),
        (b"%#x", A::N(255.0), b"0xff"),
        (b"%#X", A::N(0.0), b"0"),
        (b"%#08x", A::N(255.0), b"0x0000ff"),
        (b"%#.3x", A::N(0.0), b"000"),
        (b"%x", A::N(9223372036854775808.0), b"8000000000000000"),
        (b"%x", A::N(18446744073709551616.0), b"0"),
        (b"%x", A::N(-18446744073709551616.0), b"8000000000000000"),
        (b"%x", A::N(-f64::NAN), b"8000000000000000"),
        (b"%x", A::N(f64::INFINITY), b"0"),
        (b"%x", A::N(f64::NEG_INFINITY), b"8000000000000000"),
        (b"%x", A::N(1.8e19), b"f9ccd8a1c5080000"),
        (b"%u", A::N(-1.0), b"18446744073709551615"),
        (b"%+u", A::N(5.0), b"5"),
        (b"%o", A::N(8.0), b"10"),
        (b"%#o", A::N(8.0), b"010"),
        (b"%#o", A::N(0.0), b"0"),
        (b"%#.0o", A::N(0.0), b"0"),
        (b"%.5o", A::N(8.0), b"00010"),
        (b"%c", A::N(65.0), b"A"),
        (b"%c", A::N(65.9), b"A"),
        (b"%c", A::N(321.0), b"A"),
        (b"%c", A::N(-1.0), b"\xff"),
        (b"%c", A::N(256.0), b""),
        (b"%c", A::N(0.0), b""),
        (b"%5c|", A::N(0.0), b"    |"),
        (b"%-5c|", A::N(0.0), b"|"),
        (b"%5c|", A::N(65.0), b"    A|"),
        (b"%-5c|", A::N(65.0), b"A    |"),
        (b"%05c|", A::N(65.0), b"    A|"),
        (b"%c", A::N(4294967361.0), b""),
        (b"%c", A::N(-2147483583.0), b"A"),
        (b"%c", A::N(-f64::NAN), b""),
        (b"%s", A::N(1e15), b"1e+15"),
        (b"%10s|", A::N(0.1), b"       0.1|"),
        (b"%q", A::N(1e100), b"\"1e+100\""),
        (b"%s", A::S(b"abcdef"), b"abcdef"),
        (b"%.3s", A::S(b"abcdef"), b"abc"),
        (b"%5.1s|", A::S(b"abcdef"), b"    a|"),
        (b"%-8s|", A::S(b"abcdef"), b"abcdef  |"),
        (b"%+5s|", A::S(b"abcdef"), b"abcdef|"),
        (b"%05s|", A::S(b"abcdef"), b"abcdef|"),
        (b"%.0s|", A::S(b"abcdef"), b"|"),
        (b"%.s|", A::S(b"abcdef"), b"|"),
        (b"%-3s|", A::S(b"abcdef"), b"abcdef|"),
        (b"%.101s", A::S(b"abcdef"), b"ERR:invalid format (width or precision too long)"),
        (b"%q", A::S(b"abcdef"), b"\"abcdef\""),
        (b"%5q", A::S(b"abcdef"), b"\"abcdef\""),
        (b"%-5.2q", A::S(b"abcdef"), b"\"abcdef\""),
        (b"%s", A::S(b"ab"), b"ab"),
        (b"%.3s", A::S(b"ab"), b"ab"),
        (b"%5.1s|", A::S(b"ab"), b"    a|"),
        (b"%-8s|", A::S(b"ab"), b"ab      |"),
        (b"%+5s|", A::S(b"ab"), b"   ab|"),
        (b"%05s|", A::S(b"ab"), b"   ab|"),
        (b"%.0s|", A::S(b"ab"), b"|"),
        (b"%.s|", A::S(b"ab"), b"|"),
        (b"%-3s|", A::S(b"ab"), b"ab |"),
        (b"%.101s", A::S(b"ab"), b"ERR:invalid format (width or precision too long)"),
        (b"%q", A::S(b"ab"), b"\"ab\""),
        (b"%5q", A::S(b"ab"), b"\"ab\""),
        (b"%-5.2q", A::S(b"ab"), b"\"ab\""),
        (b"%s", A::S(b"a\0b"), b"a"),
        (b"%.3s", A::S(b"a\0b"), b"a"),
        (b"%5.1s|", A::S(b"a\0b"), b"    a|"),
        (b"%-8s|", A::S(b"a\0b"), b"a       |"),
        (b"%+5s|", A::S(b"a\0b"), b"    a|"),
        (b"%05s|", A::S(b"a\0b"), b"    a|"),
        (b"%.0s|", A::S(b"a\0b"), b"|"),
        (b"%.s|", A::S(b"a\0b"), b"|"),
        (b"%-3s|", A::S(b"a\0b"), b"a  |"),
        (b"%.101s", A::S(b"a\0b"), b"ERR:invalid format (width or precision too long)"),
        (b"%q", A::S(b"a\0b"), b"\"a\\000b\""),
        (b"%5q", A::S(b"a\0b"), b"\"a\\000b\""),
        (b"%-5.2q", A::S(b"a\0b"), b"\"a\\000b\""),
        (b"%s", A::S(b""), b""),
        (b"%.3s", A::S(b""), b""),
        (b"%5.1s|", A::S(b""), b"     |"),
        (b"%-8s|", A::S(b""), b"        |"),
        (b"%+5s|", A::S(b""), b"     |"),
        (b"%05s|", A::S(b""), b"     |"),
        (b"%.0s|", A::S(b""), b"|"),
        (b"%.s|", A::S(b""), b"|"),
        (b"%-3s|", A::S(b""), b"   |"),
        (b"%.101s", A::S(b""), b"ERR:invalid format (width or precision too long)"),
        (b"%q", A::S(b""), b"\"\""),
        (b"%5q", A::S(b""), b"\"\""),
        (b"%-5.2q", A::S(b""), b"\"\""),
        (b"%s", A::S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y"), b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y"),
        (b"%-3s|", A::S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y"), b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y|"),
        (b"%.101s", A::S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y"), b"ERR:invalid format (width or precision too long)"),
        (b"%q", A::S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y"), b"\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\000y\""),
        (b"%s", A::S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y"), b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y"),
        (b"%-3s|", A::S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y"), b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y|"),
        (b"%.101s", A::S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y"), b"ERR:invalid format (width or precision too long)"),
        (b"%q", A::S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\0y"), b"\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\000y\""),
        (b"%q", A::S(b"a\0b\n\r\"\\\t\x01\xff"), b"\"a\\000b\\\n\\r\\\"\\\\\t\x01\xff\""),
        (b"%y", A::N(1.5), b"ERR:invalid option '%y' to 'format'"),
        (b"%", A::N(1.5), b"ERR:invalid option '%' to 'format'"),
        (b"abc%", A::N(1.5), b"ERR:invalid option '%' to 'format'"),
        (b"%------d", A::N(1.5), b"ERR:invalid format (repeated flags)"),
        (b"%-----d", A::N(1.5), b"1"),
        (b"%--5d|", A::N(1.5), b"1    |"),
        (b"%100d", A::N(1.5), b"ERR:invalid format (width or precision too long)"),
        (b"%1.100f", A::N(1.5), b"ERR:invalid format (width or precision too long)"),
        (b"%.123f", A::N(1.5), b"ERR:invalid format (width or precision too long)"),
        (b"%5.", A::N(1.5), b"ERR:invalid option '%' to 'format'"),
        (b"%5.f|", A::N(1.5), b"    2|"),
        (b"%l", A::N(1.5), b"ERR:invalid option '%l' to 'format'"),
        (b"%ld", A::N(1.5), b"ERR:invalid option '%l' to 'format'"),
        (b"%5%", A::N(1.5), b"ERR:invalid option '%%' to 'format'"),
        (b"%-%", A::N(1.5), b"ERR:invalid option '%%' to 'format'"),
        (b"%%d %%", A::N(1.5), b"%d %"),
        (b"%\0d", A::N(1.5), b"ERR:invalid option '%' to 'format'"),
        (b"%\xe9", A::N(1.5), b"ERR:invalid option '%\xe9' to 'format'"),
        (b"%10.3f|%%|%5.2s|", A::N(1.5), b"     1.500|%|   1.|"),
    ];

#[test]
fn format_matches_redis() {
    let mut failures = Vec::new();
    for &(fmt, arg, want) in FORMAT {
        let got = lua_format(fmt, arg);
        if got != want {
            failures.push(format!(
                "format({:?}, {arg:?}): got {:?}, want {:?}",
                String::from_utf8_lossy(fmt),
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(want),
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn pieces() {
    let spec = |flags: &[u8], width, precision, conv| {
        Piece::Spec(Spec {
            flags: flags.to_vec(),
            width,
            precision,
            conv,
        })
    };
    assert_eq!(
        parse_format(b"x=%-5.2f%%, %s\0%.d!"),
        Ok(vec![
            Piece::Literal(b"x="),
            spec(b"-", Some(5), Some(2), b'f'),
            Piece::Literal(b"%"),
            Piece::Literal(b", "),
            spec(b"", None, None, b's'),
            Piece::Literal(b"\0"),
            spec(b"", None, Some(0), b'd'),
            Piece::Literal(b"!"),
        ])
    );
    assert_eq!(parse_format(b""), Ok(vec![]));
    assert_eq!(
        parse_format(b"%+ #0-99.99e"),
        Ok(vec![spec(b"+ #0-", Some(99), Some(99), b'e')])
    );
    // The iterator yields the pieces before a bad spec, then the error.
    let mut it = format_pieces(b"%d and %y and %d");
    assert_eq!(it.next(), Some(Ok(spec(b"", None, None, b'd'))));
    assert_eq!(it.next(), Some(Ok(Piece::Literal(b" and "))));
    assert_eq!(
        it.next(),
        Some(Err("invalid option '%y' to 'format'".to_string()))
    );
    assert_eq!(it.next(), None);
}

/// Out-of-range widths and precisions given directly are clamped to 99,
/// and odd specs built by hand do not panic.
#[test]
fn direct_calls_are_bounded() {
    let big = Some(usize::MAX);
    assert_eq!(fmt_float(b'f', b"", big, big, 1.0).len(), 101);
    assert_eq!(fmt_float(b'e', b"-", big, None, 1.0).len(), 99);
    assert_eq!(fmt_float(b'z', b"", None, None, 0.5), "0.5");
    let spec = Spec {
        flags: b"#0+ -x".to_vec(),
        width: big,
        precision: big,
        conv: b'o',
    };
    assert_eq!(fmt_integer(&spec, -1.0).len(), 99);
    assert_eq!(fmt_string(&spec, b"abc").len(), 99);
    let spec = Spec {
        flags: vec![],
        width: None,
        precision: None,
        conv: b'?',
    };
    assert_eq!(fmt_integer(&spec, -12.5), b"-12");
    assert_eq!(fmt_quoted(b""), b"\"\"");
}

/// Every format string of up to 3 bytes over a small alphabet (and a
/// few longer ones), with a few arguments: no panics.
#[test]
fn no_panics_on_odd_formats() {
    let alphabet: &[u8] = b"%-+ #0159.dcxXoeEfgGsqy\0\xff";
    let values = [
        0.0,
        -0.0,
        1.5,
        -1e300,
        2e-310,
        f64::NAN,
        -f64::INFINITY,
        1e19,
    ];
    let mut fmt = Vec::new();
    for len in 0..=3u32 {
        for mut n in 0..alphabet.len().pow(len) {
            fmt.clear();
            for _ in 0..len {
                fmt.push(alphabet[n % alphabet.len()]);
                n /= alphabet.len();
            }
            for &v in &values {
                let _ = lua_format(&fmt, A::N(v));
            }
            let _ = lua_format(&fmt, A::S(b"a\0b"));
        }
    }
    let longer: &[&[u8]] = &[b"%-+ #0", b"%#099.99o", b"%099.99e", b"% 5.d", b"%99c%-99c"];
    for &fmt in longer {
        for &v in &values {
            let _ = lua_format(fmt, A::N(v));
        }
    }
}
