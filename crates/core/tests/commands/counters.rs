//! INCR DECR INCRBY DECRBY INCRBYFLOAT.

use super::check;

#[test]
fn incr_decr() {
    check(
        &[
            "INCR c",
            "INCR c",
            "DECR c",
            "DECR c",
            "DECR c",
            "INCRBY c 10",
            "DECRBY c -5",
            "GET c",
            "INCRBY z 0",
            "GET z",
        ],
        r#"
        > INCR c
        (integer) 1
        > INCR c
        (integer) 2
        > DECR c
        (integer) 1
        > DECR c
        (integer) 0
        > DECR c
        (integer) -1
        > INCRBY c 10
        (integer) 9
        > DECRBY c -5
        (integer) 14
        > GET c
        "14"
        > INCRBY z 0
        (integer) 0
        > GET z
        "0"
    "#,
    );
}

#[test]
fn increments_overflow_at_the_i64_bounds() {
    check(
        &[
            "SET m 9223372036854775806",
            "INCR m",
            "INCR m",
            "INCRBY m -9223372036854775808",
            "SET m -9223372036854775807",
            "DECR m",
            "DECR m",
            "GET m",
            "SET m 0",
            "DECRBY m -9223372036854775808",
            "DECRBY m 9223372036854775807",
            "DECRBY m 9223372036854775808",
            "SET m -1",
            "INCRBY m -9223372036854775808",
            "GET m",
        ],
        r#"
        > SET m 9223372036854775806
        OK
        > INCR m
        (integer) 9223372036854775807
        > INCR m
        (error) ERR increment or decrement would overflow
        > INCRBY m -9223372036854775808
        (integer) -1
        > SET m -9223372036854775807
        OK
        > DECR m
        (integer) -9223372036854775808
        > DECR m
        (error) ERR increment or decrement would overflow
        > GET m
        "-9223372036854775808"
        > SET m 0
        OK
        > DECRBY m -9223372036854775808
        (error) ERR decrement would overflow
        > DECRBY m 9223372036854775807
        (integer) -9223372036854775807
        > DECRBY m 9223372036854775808
        (error) ERR value is not an integer or out of range
        > SET m -1
        OK
        > INCRBY m -9223372036854775808
        (error) ERR increment or decrement would overflow
        > GET m
        "-1"
    "#,
    );
}

#[test]
fn values_that_are_not_integers() {
    check(
        &[
            "SET s 9223372036854775808",
            "INCR s",
            "SET s abc",
            "INCR s",
            "SET s \"\"",
            "INCR s",
            "SET s \" 1\"",
            "INCR s",
            "SET s \"1 \"",
            "INCR s",
            "SET s +1",
            "INCR s",
            "SET s -0",
            "INCR s",
            "SET s 0x10",
            "INCR s",
            "SET s 1e3",
            "INCR s",
            "SET s 01",
            "INCR s",
            "SET s \"1\\x00\"",
            "INCR s",
            "SET s 123456789012345678901234567890",
            "DECR s",
        ],
        r#"
        > SET s 9223372036854775808
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s abc
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s ""
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s " 1"
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s "1 "
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s +1
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s -0
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s 0x10
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s 1e3
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s 01
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s "1\x00"
        OK
        > INCR s
        (error) ERR value is not an integer or out of range
        > SET s 123456789012345678901234567890
        OK
        > DECR s
        (error) ERR value is not an integer or out of range
    "#,
    );
}

#[test]
fn increments_that_are_not_integers() {
    check(
        &[
            "INCRBY c abc",
            "INCRBY c \" 1\"",
            "INCRBY c 1.5",
            "INCRBY c +1",
            "INCRBY c -0",
            "INCRBY c 99999999999999999999",
            "DECRBY c x",
            "GET c",
        ],
        r#"
        > INCRBY c abc
        (error) ERR value is not an integer or out of range
        > INCRBY c " 1"
        (error) ERR value is not an integer or out of range
        > INCRBY c 1.5
        (error) ERR value is not an integer or out of range
        > INCRBY c +1
        (error) ERR value is not an integer or out of range
        > INCRBY c -0
        (error) ERR value is not an integer or out of range
        > INCRBY c 99999999999999999999
        (error) ERR value is not an integer or out of range
        > DECRBY c x
        (error) ERR value is not an integer or out of range
        > GET c
        (nil)
    "#,
    );
}

#[test]
fn incr_keeps_the_ttl() {
    check(
        &[
            "SET t 1 EX 100",
            "INCR t",
            "TTL t",
            "INCRBYFLOAT t 1.5",
            "TTL t",
        ],
        r#"
        > SET t 1 EX 100
        OK
        > INCR t
        (integer) 2
        > TTL t
        (integer) 100
        > INCRBYFLOAT t 1.5
        "3.5"
        > TTL t
        (integer) 100
    "#,
    );
}

#[test]
fn counter_arity() {
    check(
        &[
            "INCR",
            "INCR a b",
            "INCRBY a",
            "DECRBY a 1 2",
            "INCRBYFLOAT a",
        ],
        r#"
        > INCR
        (error) ERR wrong number of arguments for 'incr' command
        > INCR a b
        (error) ERR wrong number of arguments for 'incr' command
        > INCRBY a
        (error) ERR wrong number of arguments for 'incrby' command
        > DECRBY a 1 2
        (error) ERR wrong number of arguments for 'decrby' command
        > INCRBYFLOAT a
        (error) ERR wrong number of arguments for 'incrbyfloat' command
    "#,
    );
}

#[test]
fn incrbyfloat() {
    check(
        &[
            "SET f 10.5",
            "INCRBYFLOAT f 0.1",
            "INCRBYFLOAT f -5",
            "SET f 3.0",
            "INCRBYFLOAT f 0",
            "SET f 5.0e3",
            "INCRBYFLOAT f 2.0e2",
            "SET f 1.0e2",
            "INCRBYFLOAT f 0",
            "INCRBYFLOAT n 3.0",
            "INCRBYFLOAT n 1.5",
            "INCRBYFLOAT n 5e-324",
            "SET f 0.1",
            "INCRBYFLOAT f 0.2",
            "SET f 1",
            "INCRBYFLOAT f 1e17",
        ],
        r#"
        > SET f 10.5
        OK
        > INCRBYFLOAT f 0.1
        "10.6"
        > INCRBYFLOAT f -5
        "5.6"
        > SET f 3.0
        OK
        > INCRBYFLOAT f 0
        "3"
        > SET f 5.0e3
        OK
        > INCRBYFLOAT f 2.0e2
        "5200"
        > SET f 1.0e2
        OK
        > INCRBYFLOAT f 0
        "100"
        > INCRBYFLOAT n 3.0
        "3"
        > INCRBYFLOAT n 1.5
        "4.5"
        > INCRBYFLOAT n 5e-324
        "4.5"
        > SET f 0.1
        OK
        > INCRBYFLOAT f 0.2
        "0.3"
        > SET f 1
        OK
        > INCRBYFLOAT f 1e17
        "100000000000000001"
    "#,
    );
}

#[test]
fn incrbyfloat_growth_and_infinities() {
    check(
        &[
            "INCRBYFLOAT g 1e300",
            "INCRBYFLOAT g 1e300",
            "INCRBYFLOAT g 1e308",
            "INCRBYFLOAT g 1e308",
            "GET g",
            "INCRBYFLOAT g inf",
            "INCRBYFLOAT g -inf",
            "INCRBYFLOAT g nan",
            "SET h inf",
            "INCRBYFLOAT h 1",
        ],
        r#"
        > INCRBYFLOAT g 1e300
        "1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144"
        > INCRBYFLOAT g 1e300
        "2000000000000000000017994648159118387741047888546581495876520164642531293192361871511698304167500994380700745017228549671807185112369345967826192521041497292574654271283687306588168510215212033579453305864740061102765895241989080589545563779241212358535223254194821301134374772211380178849830208012288"
        > INCRBYFLOAT g 1e308
        "100000001999999999997477077660676336658809166505368476522105188253912763744660648479072598924240624608068504855774856067433664024535389715981123805070410678177917787585524066572731257567285622910452842684558691780517110705379717407430528432678451107020629447418574364596033411814757453958743271942832141631488"
        > INCRBYFLOAT g 1e308
        "200000002000000000003908271327921981399722648740659232040778463106429506140366616808385674536895590030980867146710879549811103690360758967762003789365810190992454874901439910770925644871749202608262785735837684343430453861920204151205832660820932571219820692657834631064618468760286241958553355579167984320512"
        > GET g
        "200000002000000000003908271327921981399722648740659232040778463106429506140366616808385674536895590030980867146710879549811103690360758967762003789365810190992454874901439910770925644871749202608262785735837684343430453861920204151205832660820932571219820692657834631064618468760286241958553355579167984320512"
        > INCRBYFLOAT g inf
        (error) ERR increment would produce NaN or Infinity
        > INCRBYFLOAT g -inf
        (error) ERR increment would produce NaN or Infinity
        > INCRBYFLOAT g nan
        (error) ERR value is not a valid float
        > SET h inf
        OK
        > INCRBYFLOAT h 1
        (error) ERR increment would produce NaN or Infinity
    "#,
    );
}

#[test]
fn incrbyfloat_parsing() {
    check(
        &[
            "SET f 1",
            "INCRBYFLOAT f abc",
            "INCRBYFLOAT f \"\"",
            "INCRBYFLOAT f \" 1\"",
            "INCRBYFLOAT f \"1 \"",
            "INCRBYFLOAT f 0x10",
            "INCRBYFLOAT f .5",
            "INCRBYFLOAT f +1.5",
            "INCRBYFLOAT f 1E3",
            "SET f abc",
            "INCRBYFLOAT f 1",
            "SET f 0x10",
            "INCRBYFLOAT f 1",
        ],
        r#"
        > SET f 1
        OK
        > INCRBYFLOAT f abc
        (error) ERR value is not a valid float
        > INCRBYFLOAT f ""
        (error) ERR value is not a valid float
        > INCRBYFLOAT f " 1"
        (error) ERR value is not a valid float
        > INCRBYFLOAT f "1 "
        (error) ERR value is not a valid float
        > INCRBYFLOAT f 0x10
        "17"
        > INCRBYFLOAT f .5
        "17.5"
        > INCRBYFLOAT f +1.5
        "19"
        > INCRBYFLOAT f 1E3
        "1019"
        > SET f abc
        OK
        > INCRBYFLOAT f 1
        (error) ERR value is not a valid float
        > SET f 0x10
        OK
        > INCRBYFLOAT f 1
        "17"
    "#,
    );
}

#[test]
fn encodings_follow_the_value() {
    check(
        &[
            "SET e 100",
            "INCR e",
            "OBJECT ENCODING e",
            "INCRBYFLOAT e 1.5",
            "OBJECT ENCODING e",
            "SET e 2.5",
            "INCR e",
            "INCRBYFLOAT g 3",
            "OBJECT ENCODING g",
            "INCR g",
            "OBJECT ENCODING g",
        ],
        r#"
        > SET e 100
        OK
        > INCR e
        (integer) 101
        > OBJECT ENCODING e
        "int"
        > INCRBYFLOAT e 1.5
        "102.5"
        > OBJECT ENCODING e
        "embstr"
        > SET e 2.5
        OK
        > INCR e
        (error) ERR value is not an integer or out of range
        > INCRBYFLOAT g 3
        "3"
        > OBJECT ENCODING g
        "embstr"
        > INCR g
        (integer) 4
        > OBJECT ENCODING g
        "int"
    "#,
    );
}
