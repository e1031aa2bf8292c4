use super::*;

/// Redis's documented example points.
const PALERMO: (f64, f64) = (13.361389, 38.115556);
const CATANIA: (f64, f64) = (15.087269, 37.502669);

#[test]
fn scores_match_redis() {
    assert_eq!(score_of(PALERMO.0, PALERMO.1), Some(3_479_099_956_230_698));
    assert_eq!(score_of(CATANIA.0, CATANIA.1), Some(3_479_447_370_796_909));
    assert_eq!(score_of(181.0, 0.0), None);
    assert_eq!(score_of(0.0, 85.06), None);
    assert_eq!(score_of(f64::NAN, 0.0), None);
}

#[test]
fn decoding_gives_the_cell_centre() {
    let (lon, lat) = decode_score(3_479_099_956_230_698.0);
    assert_eq!(
        crate::num::LongDouble::from_f64(lon).to_human_string(),
        "13.36138933897018433"
    );
    assert_eq!(
        crate::num::LongDouble::from_f64(lat).to_human_string(),
        "38.11555639549629859"
    );
}

#[test]
fn geohash_strings_match_redis() {
    assert_eq!(&geohash_string(3_479_099_956_230_698.0), b"sqc8b49rny0");
    assert_eq!(&geohash_string(3_479_447_370_796_909.0), b"sqdtr74hyu0");
}

#[test]
fn haversine_distance_matches_redis() {
    let p = decode_score(3_479_099_956_230_698.0);
    let c = decode_score(3_479_447_370_796_909.0);
    let d = distance(p.0, p.1, c.0, c.1);
    assert!((d - 166_274.151_6).abs() < 0.000_1, "{d}");
    // Same longitude: the meridian shortcut.
    assert_eq!(distance(10.0, 0.0, 10.0, 1.0), lat_distance(0.0, 1.0));
}

#[test]
fn interleaving_round_trips() {
    for (x, y) in [
        (0u32, 0u32),
        (1, 0),
        (0, 1),
        (0xdead_beef, 0x1234_5678),
        (u32::MAX, 7),
    ] {
        assert_eq!(deinterleave(interleave(x, y)), (x, y));
    }
    assert_eq!(interleave(1, 0), 1);
    assert_eq!(interleave(0, 1), 2);
}

#[test]
fn neighbours_are_adjacent_cells() {
    let cell = encode(LON_RANGE, LAT_RANGE, 0.0, 0.0, 4).expect("in range");
    let area = decode_area(LON_RANGE, LAT_RANGE, cell).expect("a cell");
    let [n, s, e, w, ..] =
        neighbours(cell).map(|c| decode_area(LON_RANGE, LAT_RANGE, c).expect("a cell"));
    assert_eq!(n.lat.min, area.lat.max);
    assert_eq!(s.lat.max, area.lat.min);
    assert_eq!(e.lon.min, area.lon.max);
    assert_eq!(w.lon.max, area.lon.min);
    assert_eq!(n.lon.min, area.lon.min);
    // The world wraps around east-west.
    let edge = encode(LON_RANGE, LAT_RANGE, 179.9, 0.0, 4).expect("in range");
    let east = decode_area(LON_RANGE, LAT_RANGE, neighbours(edge)[EAST]).expect("a cell");
    assert_eq!(east.lon.min, LON_MIN);
}

#[test]
fn search_cells_cover_a_radius() {
    let shape = Shape {
        lon: 15.0,
        lat: 37.0,
        conversion: 1000.0,
        kind: ShapeKind::Radius(200.0),
    };
    let cells = shape.search_cells();
    assert!(cells[0].is_some());
    // Every point within the radius falls in one of the cells' score ranges.
    let ranges: Vec<(f64, f64)> = cells.iter().flatten().map(|c| score_range(*c)).collect();
    for (lon, lat) in [
        (15.0, 37.0),
        (13.361389, 38.115556),
        (15.087269, 37.502669),
        (16.5, 36.5),
    ] {
        let score = score_of(lon, lat).expect("in range") as f64;
        let inside = shape.distance_if_within(lon, lat).is_some();
        let covered = ranges.iter().any(|(lo, hi)| score >= *lo && score < *hi);
        assert!(!inside || covered, "({lon}, {lat}) inside but not covered");
    }
}

#[test]
fn steps_grow_coarser_with_the_radius_and_near_the_poles() {
    assert_eq!(steps_for_radius(0.0, 0.0), 26);
    assert!(steps_for_radius(1_000.0, 0.0) > steps_for_radius(100_000.0, 0.0));
    assert_eq!(
        steps_for_radius(1_000.0, 70.0),
        steps_for_radius(1_000.0, 0.0) - 1
    );
    assert_eq!(
        steps_for_radius(1_000.0, -81.0),
        steps_for_radius(1_000.0, 0.0) - 2
    );
    assert_eq!(steps_for_radius(f64::INFINITY, 0.0), 1);
}
