//! Stream consumer groups on the manual clock: XPENDING's idle times and delivery
//! counts, which the differential tests can only compare approximately.

use super::check;

#[test]
fn xpending_reports_idle_time_and_delivery_count() {
    check(
        &[
            "XADD s 1-1 f v",
            "XADD s 1-2 f v",
            "XGROUP CREATE s g 0",
            "XREADGROUP GROUP g c1 COUNT 1 STREAMS s >",
            "+250ms",
            "XPENDING s g - + 10",
            "XREADGROUP GROUP g c1 STREAMS s 0",
            "+40ms",
            "XPENDING s g - + 10",
            "XPENDING s g IDLE 41 - + 10",
            "XPENDING s g IDLE 40 - + 10 c1",
        ],
        r#"
        > XADD s 1-1 f v
        "1-1"
        > XADD s 1-2 f v
        "1-2"
        > XGROUP CREATE s g 0
        OK
        > XREADGROUP GROUP g c1 COUNT 1 STREAMS s >
        1) 1) "s"
           2) 1) 1) "1-1"
                 2) 1) "f"
                    2) "v"
        > +250ms
        > XPENDING s g - + 10
        1) 1) "1-1"
           2) "c1"
           3) (integer) 250
           4) (integer) 1
        > XREADGROUP GROUP g c1 STREAMS s 0
        1) 1) "s"
           2) 1) 1) "1-1"
                 2) 1) "f"
                    2) "v"
        > +40ms
        > XPENDING s g - + 10
        1) 1) "1-1"
           2) "c1"
           3) (integer) 40
           4) (integer) 2
        > XPENDING s g IDLE 41 - + 10
        (empty array)
        > XPENDING s g IDLE 40 - + 10 c1
        1) 1) "1-1"
           2) "c1"
           3) (integer) 40
           4) (integer) 2
    "#,
    );
}
