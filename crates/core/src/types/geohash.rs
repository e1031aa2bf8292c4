//! Geohashes as Redis 7.0 keeps them in a sorted set: a point is the score
//! `interleave(lat, lon)`, 26 bits of each (52 in all, exact in an `f64`), over
//! the Web Mercator square (latitudes ±85.05112878, longitudes ±180).
//!
//! A radius or box query becomes score ranges: the search centre's cell at a
//! precision picked from the radius, and its eight neighbours, each one a
//! contiguous score range of the set. Points in those cells are then filtered by
//! their exact distance. The arithmetic here follows Redis's step for step, so a
//! query visits the same cells in the same order and returns the same points, in
//! the same order, with the same distances.

use std::f64::consts::PI;

pub const LAT_MIN: f64 = -85.051_128_78;
pub const LAT_MAX: f64 = 85.051_128_78;
pub const LON_MIN: f64 = -180.0;
pub const LON_MAX: f64 = 180.0;
/// Bits per coordinate of a stored score.
pub const STEP_MAX: u8 = 26;

/// The mean Earth radius Redis measures with (metres).
const EARTH_RADIUS_M: f64 = 6_372_797.560_856;
/// Half the Mercator world's width in metres: the radius estimate's ceiling.
const MERCATOR_MAX: f64 = 20_037_726.37;

/// `step` bits of latitude interleaved with `step` bits of longitude
/// (latitude in the even bits). `step == 0` and `bits == 0` is "no cell".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Cell {
    pub bits: u64,
    pub step: u8,
}

impl Cell {
    const NONE: Cell = Cell { bits: 0, step: 0 };

    fn is_none(self) -> bool {
        self.bits == 0 && self.step == 0
    }

    /// The cell's bits left-aligned to 52: the lowest score inside it.
    pub fn align52(self) -> u64 {
        let shift = 52u32.saturating_sub(u32::from(self.step) * 2);
        self.bits.checked_shl(shift).unwrap_or(0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

/// The ranges Redis indexes points over.
pub const LON_RANGE: Range = Range {
    min: LON_MIN,
    max: LON_MAX,
};
pub const LAT_RANGE: Range = Range {
    min: LAT_MIN,
    max: LAT_MAX,
};

/// The rectangle a cell covers.
#[derive(Clone, Copy, Debug)]
pub struct Area {
    pub lon: Range,
    pub lat: Range,
}

/// Spreads the low 32 bits of `x` over the even bits and those of `y` over the odd bits.
fn interleave(x: u32, y: u32) -> u64 {
    fn spread(v: u32) -> u64 {
        let mut v = u64::from(v);
        v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFF;
        v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FF;
        v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
        v = (v | (v << 2)) & 0x3333_3333_3333_3333;
        (v | (v << 1)) & 0x5555_5555_5555_5555
    }
    spread(x) | (spread(y) << 1)
}

/// The inverse of [`interleave`]: (even bits, odd bits).
fn deinterleave(v: u64) -> (u32, u32) {
    fn squash(mut v: u64) -> u32 {
        v &= 0x5555_5555_5555_5555;
        v = (v | (v >> 1)) & 0x3333_3333_3333_3333;
        v = (v | (v >> 2)) & 0x0F0F_0F0F_0F0F_0F0F;
        v = (v | (v >> 4)) & 0x00FF_00FF_00FF_00FF;
        v = (v | (v >> 8)) & 0x0000_FFFF_0000_FFFF;
        v = (v | (v >> 16)) & 0x0000_0000_FFFF_FFFF;
        v as u32
    }
    (squash(v), squash(v >> 1))
}

/// The cell of `step` bits per coordinate holding (lon, lat) over the given
/// ranges, or None outside them (or outside the indexable world).
pub fn encode(lon_range: Range, lat_range: Range, lon: f64, lat: f64, step: u8) -> Option<Cell> {
    if step == 0 || step > 32 {
        return None;
    }
    let outside = |v: f64, min: f64, max: f64| v.is_nan() || v < min || v > max;
    if outside(lon, LON_MIN, LON_MAX)
        || outside(lat, LAT_MIN, LAT_MAX)
        || outside(lon, lon_range.min, lon_range.max)
        || outside(lat, lat_range.min, lat_range.max)
    {
        return None;
    }
    let cells = (1u64 << step) as f64;
    let lat_off = (lat - lat_range.min) / (lat_range.max - lat_range.min) * cells;
    let lon_off = (lon - lon_range.min) / (lon_range.max - lon_range.min) * cells;
    // Truncation toward zero, as C's double to uint32_t conversion.
    Some(Cell {
        bits: interleave(lat_off as u32, lon_off as u32),
        step,
    })
}

/// The rectangle of `cell` over the given ranges.
fn decode_area(lon_range: Range, lat_range: Range, cell: Cell) -> Option<Area> {
    if cell.is_none() {
        return None;
    }
    let (ilat, ilon) = deinterleave(cell.bits);
    let cells = (1u64 << cell.step) as f64;
    let lat_scale = lat_range.max - lat_range.min;
    let lon_scale = lon_range.max - lon_range.min;
    let edge = |i: u32, min: f64, scale: f64| {
        (
            min + (f64::from(i) / cells) * scale,
            min + ((f64::from(i) + 1.0) / cells) * scale,
        )
    };
    let (lat_lo, lat_hi) = edge(ilat, lat_range.min, lat_scale);
    let (lon_lo, lon_hi) = edge(ilon, lon_range.min, lon_scale);
    Some(Area {
        lon: Range {
            min: lon_lo,
            max: lon_hi,
        },
        lat: Range {
            min: lat_lo,
            max: lat_hi,
        },
    })
}

/// The centre of `area`, clamped to the indexable world.
fn centre(area: &Area) -> (f64, f64) {
    let lon = ((area.lon.min + area.lon.max) / 2.0).clamp(LON_MIN, LON_MAX);
    let lat = ((area.lat.min + area.lat.max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (lon, lat)
}

/// A stored score's point: the centre of its 52-bit cell, as (lon, lat).
pub fn decode_score(score: f64) -> (f64, f64) {
    // C's double to uint64_t conversion truncates; a saturating cast agrees
    // for every score GEOADD writes.
    let cell = Cell {
        bits: score as u64,
        step: STEP_MAX,
    };
    match decode_area(LON_RANGE, LAT_RANGE, cell) {
        Some(area) => centre(&area),
        None => (0.0, 0.0),
    }
}

/// The score GEOADD stores for a point already checked to be in range.
pub fn score_of(lon: f64, lat: f64) -> Option<u64> {
    encode(LON_RANGE, LAT_RANGE, lon, lat, STEP_MAX).map(Cell::align52)
}

/// The standard 11-character geohash (latitudes over ±90) of a stored score.
pub fn geohash_string(score: f64) -> [u8; 11] {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let (lon, lat) = decode_score(score);
    let standard_lat = Range {
        min: -90.0,
        max: 90.0,
    };
    let bits = encode(LON_RANGE, standard_lat, lon, lat, STEP_MAX).map_or(0, |c| c.bits);
    let mut out = [b'0'; 11];
    // 52 bits make ten characters; the eleventh is always '0'.
    for (i, ch) in out.iter_mut().enumerate().take(10) {
        let idx = (bits >> (52 - (i + 1) * 5)) & 0x1f;
        *ch = ALPHABET[idx as usize];
    }
    out
}

/// Moves a cell one step east (+1) or west (-1): its odd (longitude) bits.
fn move_lon(cell: &mut Cell, d: i8) {
    move_bits(cell, d, 0xaaaa_aaaa_aaaa_aaaa, 0x5555_5555_5555_5555);
}

/// Moves a cell one step north (+1) or south (-1): its even (latitude) bits.
fn move_lat(cell: &mut Cell, d: i8) {
    move_bits(cell, d, 0x5555_5555_5555_5555, 0xaaaa_aaaa_aaaa_aaaa);
}

/// Adds ±1 to the coordinate held in the `mine` bits, carrying through the
/// `other` bits (set to 1 for the add, so the carry skips them), wrapping
/// around the world.
fn move_bits(cell: &mut Cell, d: i8, mine: u64, other: u64) {
    if d == 0 {
        return;
    }
    let shift = 64 - u32::from(cell.step.min(32)) * 2;
    let mut v = cell.bits & mine;
    let keep = cell.bits & other;
    let filler = other.checked_shr(shift).unwrap_or(0);
    if d > 0 {
        v = v.wrapping_add(filler.wrapping_add(1));
    } else {
        v |= filler;
        v = v.wrapping_sub(filler.wrapping_add(1));
    }
    v &= mine.checked_shr(shift).unwrap_or(0);
    cell.bits = v | keep;
}

/// The eight cells around one, in the order Redis searches them after the
/// centre: north, south, east, west, north-east, north-west, south-east,
/// south-west.
fn neighbours(cell: Cell) -> [Cell; 8] {
    let at = |dlon: i8, dlat: i8| {
        let mut c = cell;
        move_lon(&mut c, dlon);
        move_lat(&mut c, dlat);
        c
    };
    [
        at(0, 1),
        at(0, -1),
        at(1, 0),
        at(-1, 0),
        at(1, 1),
        at(-1, 1),
        at(1, -1),
        at(-1, -1),
    ]
}

const NORTH: usize = 0;
const SOUTH: usize = 1;
const EAST: usize = 2;
const WEST: usize = 3;
const NORTH_EAST: usize = 4;
const NORTH_WEST: usize = 5;
const SOUTH_EAST: usize = 6;
const SOUTH_WEST: usize = 7;

/// The precision of the search cells for a radius (metres) at a latitude:
/// cells about as wide as the radius, wider near the poles.
fn steps_for_radius(mut metres: f64, lat: f64) -> u8 {
    if metres == 0.0 {
        return 26;
    }
    let mut step: i32 = 1;
    while metres < MERCATOR_MAX {
        metres *= 2.0;
        step += 1;
    }
    step -= 2;
    if lat.abs() > 66.0 {
        step -= 1;
        if lat.abs() > 80.0 {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u8
}

/// What a query searches around its centre.
#[derive(Clone, Copy, Debug)]
pub enum ShapeKind {
    /// BYRADIUS / GEORADIUS: a circle of this radius, in the query's unit.
    Radius(f64),
    /// BYBOX: a width × height rectangle (east-west, north-south), in the unit.
    Box { width: f64, height: f64 },
}

/// A query's shape: its centre, its size and the unit's length in metres.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub lon: f64,
    pub lat: f64,
    /// Metres per unit (1 for m, 1000 for km, ...).
    pub conversion: f64,
    pub kind: ShapeKind,
}

fn deg_to_rad(deg: f64) -> f64 {
    deg * (PI / 180.0)
}

fn rad_to_deg(rad: f64) -> f64 {
    rad / (PI / 180.0)
}

impl Shape {
    /// The (min lon, min lat, max lon, max lat) box around the shape; the
    /// longitude span is taken at whichever edge is nearer the pole.
    fn bounds(&self) -> [f64; 4] {
        let (half_h, half_w) = match self.kind {
            ShapeKind::Radius(r) => (r, r),
            ShapeKind::Box { width, height } => (height / 2.0, width / 2.0),
        };
        let height = self.conversion * half_h;
        let width = self.conversion * half_w;
        let lat_delta = rad_to_deg(height / EARTH_RADIUS_M);
        let lon_delta_top =
            rad_to_deg(width / EARTH_RADIUS_M / deg_to_rad(self.lat + lat_delta).cos());
        let lon_delta_bottom =
            rad_to_deg(width / EARTH_RADIUS_M / deg_to_rad(self.lat - lat_delta).cos());
        let lon_delta = if self.lat < 0.0 {
            lon_delta_bottom
        } else {
            lon_delta_top
        };
        [
            self.lon - lon_delta,
            self.lat - lat_delta,
            self.lon + lon_delta,
            self.lat + lat_delta,
        ]
    }

    /// The distance in metres from the centre to `(lon, lat)` if the point is
    /// inside the shape.
    pub fn distance_if_within(&self, lon: f64, lat: f64) -> Option<f64> {
        match self.kind {
            ShapeKind::Radius(r) => {
                let d = distance(self.lon, self.lat, lon, lat);
                if d > r * self.conversion {
                    None
                } else {
                    Some(d)
                }
            }
            ShapeKind::Box { width, height } => {
                let (w, h) = (width * self.conversion, height * self.conversion);
                if lat_distance(lat, self.lat) > h / 2.0 {
                    return None;
                }
                if distance(lon, lat, self.lon, lat) > w / 2.0 {
                    return None;
                }
                Some(distance(self.lon, self.lat, lon, lat))
            }
        }
    }

    /// The cells to search, in order: the centre's cell, then its neighbours,
    /// the ones the shape cannot reach left out.
    pub fn search_cells(&self) -> [Option<Cell>; 9] {
        let [min_lon, min_lat, max_lon, max_lat] = self.bounds();
        let radius = match self.kind {
            ShapeKind::Radius(r) => r,
            ShapeKind::Box { width, height } => {
                ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt()
            }
        } * self.conversion;
        let mut steps = steps_for_radius(radius, self.lat);
        let at = |steps: u8| {
            let cell = encode(LON_RANGE, LAT_RANGE, self.lon, self.lat, steps).unwrap_or(Cell {
                bits: 0,
                step: steps,
            });
            let area = decode_area(LON_RANGE, LAT_RANGE, cell);
            (cell, neighbours(cell), area)
        };
        let (mut cell, mut around, mut area) = at(steps);
        // Near a cell's edge the estimated precision can be too fine for a
        // neighbour to reach the end of the shape: then use cells twice as big.
        let short_of = |c: Cell, f: &dyn Fn(&Area) -> bool| {
            decode_area(LON_RANGE, LAT_RANGE, c).is_some_and(|a| f(&a))
        };
        let too_fine = short_of(around[NORTH], &|a| a.lat.max < max_lat)
            || short_of(around[SOUTH], &|a| a.lat.min > min_lat)
            || short_of(around[EAST], &|a| a.lon.max < max_lon)
            || short_of(around[WEST], &|a| a.lon.min > min_lon);
        if steps > 1 && too_fine {
            steps -= 1;
            (cell, around, area) = at(steps);
        }
        if steps >= 2 {
            if let Some(a) = area {
                let mut drop = |dirs: [usize; 3]| {
                    for d in dirs {
                        around[d] = Cell::NONE;
                    }
                };
                if a.lat.min < min_lat {
                    drop([SOUTH, SOUTH_WEST, SOUTH_EAST]);
                }
                if a.lat.max > max_lat {
                    drop([NORTH, NORTH_EAST, NORTH_WEST]);
                }
                if a.lon.min < min_lon {
                    drop([WEST, SOUTH_WEST, NORTH_WEST]);
                }
                if a.lon.max > max_lon {
                    drop([EAST, SOUTH_EAST, NORTH_EAST]);
                }
            }
        }
        let mut out = [None; 9];
        for (slot, c) in out.iter_mut().zip(std::iter::once(cell).chain(around)) {
            *slot = (!c.is_none()).then_some(c);
        }
        out
    }
}

/// The score range `[min, max)` holding every point of `cell`.
pub fn score_range(cell: Cell) -> (f64, f64) {
    let min = cell.align52();
    let max = Cell {
        bits: cell.bits.wrapping_add(1),
        step: cell.step,
    }
    .align52();
    (min as f64, max as f64)
}

/// Metres along a meridian between two latitudes.
fn lat_distance(lat1: f64, lat2: f64) -> f64 {
    EARTH_RADIUS_M * (deg_to_rad(lat2) - deg_to_rad(lat1)).abs()
}

/// The haversine great-circle distance in metres.
pub fn distance(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let v = ((deg_to_rad(lon2) - deg_to_rad(lon1)) / 2.0).sin();
    if v == 0.0 {
        return lat_distance(lat1, lat2);
    }
    let (lat1r, lat2r) = (deg_to_rad(lat1), deg_to_rad(lat2));
    let u = ((lat2r - lat1r) / 2.0).sin();
    let a = u * u + lat1r.cos() * lat2r.cos() * v * v;
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

#[cfg(test)]
mod tests;
