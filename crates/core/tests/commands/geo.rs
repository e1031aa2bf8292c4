//! GEOADD GEOPOS GEOHASH GEODIST GEORADIUS GEOSEARCH, as redis-cli shows them.

use super::check;

#[test]
fn places_positions_and_distances() {
    check(
        &[
            "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
            "TYPE Sicily",
            "ZSCORE Sicily Palermo",
            "GEOPOS Sicily Palermo nope",
            "GEOHASH Sicily Palermo Catania",
            "GEODIST Sicily Palermo Catania km",
            "GEODIST Sicily Palermo nope",
            "GEOADD Sicily 200 10 bad",
            "GEOADD Sicily NX XX 1 1 x",
            "GEODIST Sicily Palermo Catania yards",
        ],
        r#"
        > GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
        (integer) 2
        > TYPE Sicily
        zset
        > ZSCORE Sicily Palermo
        "3479099956230698"
        > GEOPOS Sicily Palermo nope
        1) 1) "13.36138933897018433"
           2) "38.11555639549629859"
        2) (nil)
        > GEOHASH Sicily Palermo Catania
        1) "sqc8b49rny0"
        2) "sqdtr74hyu0"
        > GEODIST Sicily Palermo Catania km
        "166.2742"
        > GEODIST Sicily Palermo nope
        (nil)
        > GEOADD Sicily 200 10 bad
        (error) ERR invalid longitude,latitude pair 200.000000,10.000000
        > GEOADD Sicily NX XX 1 1 x
        (error) ERR syntax error
        > GEODIST Sicily Palermo Catania yards
        (error) ERR unsupported unit provided. please use M, KM, FT, MI
    "#,
    );
}

#[test]
fn searches_by_radius_and_box() {
    check(
        &[
            "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
            "GEORADIUS Sicily 15 37 200 km WITHDIST WITHCOORD ASC",
            "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km DESC COUNT 1",
            "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 km",
            "GEOSEARCHSTORE near Sicily FROMLONLAT 15 37 BYRADIUS 100 km STOREDIST",
            "ZRANGE near 0 -1 WITHSCORES",
            "GEOSEARCH Sicily BYRADIUS 10 km",
            "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 km ANY",
            "GEORADIUS Sicily 15 37 200 km STORE x WITHDIST",
            "GEORADIUSBYMEMBER Sicily Rome 100 km",
        ],
        r#"
        > GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
        (integer) 2
        > GEORADIUS Sicily 15 37 200 km WITHDIST WITHCOORD ASC
        1) 1) "Catania"
           2) "56.4413"
           3) 1) "15.08726745843887329"
              2) "37.50266842333162032"
        2) 1) "Palermo"
           2) "190.4424"
           3) 1) "13.36138933897018433"
              2) "38.11555639549629859"
        > GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km DESC COUNT 1
        1) "Catania"
        > GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 km
        (empty array)
        > GEOSEARCHSTORE near Sicily FROMLONLAT 15 37 BYRADIUS 100 km STOREDIST
        (integer) 1
        > ZRANGE near 0 -1 WITHSCORES
        1) "Catania"
        2) "56.441257870158204"
        > GEOSEARCH Sicily BYRADIUS 10 km
        (error) ERR wrong number of arguments for 'geosearch' command
        > GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 km ANY
        (error) ERR the ANY argument requires COUNT argument
        > GEORADIUS Sicily 15 37 200 km STORE x WITHDIST
        (error) ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options
        > GEORADIUSBYMEMBER Sicily Rome 100 km
        (error) ERR could not decode requested zset member
    "#,
    );
}
