//! Geospatial commands. A geo index is an ordinary sorted set whose scores are
//! 52-bit geohashes ([`geohash`]), so GEOADD is ZADD with computed scores (and
//! replicates as ZADD), ZREM removes places, and every sorted-set command works on
//! the same key. Searches walk the score ranges of nine geohash cells and keep
//! the points inside the shape, in the order Redis finds them.

use super::zset::{read_zset, score_arg, store_zset, zadd};
use super::{float_arg_msg, int_arg, is};
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::num;
use crate::reply::Reply;
use crate::types::geohash::{self, Shape, ShapeKind};
use crate::types::zset::ZSet;

/// A longitude/latitude pair from two arguments, checked against the indexable world.
fn lon_lat_args(lon: &[u8], lat: &[u8]) -> Result<(f64, f64), CmdError> {
    let (lon, lat) = (score_arg(lon, None)?, score_arg(lat, None)?);
    if !(geohash::LON_MIN..=geohash::LON_MAX).contains(&lon)
        || !(geohash::LAT_MIN..=geohash::LAT_MAX).contains(&lat)
    {
        return Err(CmdError::err(format!(
            "invalid longitude,latitude pair {lon:.6},{lat:.6}"
        )));
    }
    Ok((lon, lat))
}

/// Metres per unit for M, KM, FT and MI.
fn unit_arg(arg: &[u8]) -> Result<f64, CmdError> {
    const UNITS: [(&str, f64); 4] = [("m", 1.0), ("km", 1000.0), ("ft", 0.3048), ("mi", 1609.34)];
    UNITS
        .iter()
        .find(|(name, _)| is(arg, name))
        .map(|(_, metres)| *metres)
        .ok_or_else(|| CmdError::err("unsupported unit provided. please use M, KM, FT, MI"))
}

/// A distance as Redis prints one: rounded (half to even) to 4 decimals.
fn distance_text(d: f64) -> String {
    let scaled = (d * 10_000.0).round_ties_even();
    // Saturating, as llrint's result is for anything a search can measure.
    let n = scaled as i64;
    let sign = if n < 0 { "-" } else { "" };
    let abs = n.unsigned_abs();
    format!("{sign}{}.{:04}", abs / 10_000, abs % 10_000)
}

/// GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD with geohash scores.
pub fn geoadd(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut first = 2;
    let (mut nx, mut xx) = (false, false);
    while let Some(opt) = argv.get(first) {
        if is(opt, "nx") {
            nx = true;
        } else if is(opt, "xx") {
            xx = true;
        } else if !is(opt, "ch") {
            break;
        }
        first += 1;
    }
    if !(argv.len() - first).is_multiple_of(3) || (nx && xx) {
        return Err(CmdError::Syntax);
    }
    let mut zadd_argv = Vec::with_capacity(first + (argv.len() - first) / 3 * 2);
    zadd_argv.push(b"zadd".to_vec());
    zadd_argv.extend(argv[1..first].iter().cloned());
    for point in argv[first..].chunks_exact(3) {
        let (lon, lat) = lon_lat_args(&point[0], &point[1])?;
        let score = geohash::score_of(lon, lat).unwrap_or(0);
        zadd_argv.push(num::format_i64(score as i64).into_bytes());
        zadd_argv.push(point[2].clone());
    }
    if e.replicating() {
        let rewritten = zadd_argv.clone();
        e.propagate_as(|| rewritten);
    }
    zadd(e, c, zadd_argv)
}

/// GEOPOS key [member ...]: each member's [longitude, latitude], or nil.
pub fn geopos(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let z = read_zset(e, c.db, &argv[1])?;
    let items = argv[2..]
        .iter()
        .map(|m| match z.and_then(|z| z.score(m)) {
            Some(score) => {
                let (lon, lat) = geohash::decode_score(score);
                Reply::Array(vec![Reply::HumanDouble(lon), Reply::HumanDouble(lat)])
            }
            None => Reply::NilArray,
        })
        .collect();
    Ok(Reply::Array(items))
}

/// GEOHASH key [member ...]: each member's standard 11-character geohash, or nil.
pub fn geohash(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let z = read_zset(e, c.db, &argv[1])?;
    let items = argv[2..]
        .iter()
        .map(|m| match z.and_then(|z| z.score(m)) {
            Some(score) => Reply::bulk(geohash::geohash_string(score).to_vec()),
            None => Reply::Nil,
        })
        .collect();
    Ok(Reply::Array(items))
}

/// GEODIST key member1 member2 [M|KM|FT|MI]
pub fn geodist(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let to_metres = match argv.len() {
        5 => unit_arg(&argv[4])?,
        n if n > 5 => return Err(CmdError::Syntax),
        _ => 1.0,
    };
    let Some(z) = read_zset(e, c.db, &argv[1])? else {
        return Ok(Reply::Nil);
    };
    let (Some(a), Some(b)) = (z.score(&argv[2]), z.score(&argv[3])) else {
        return Ok(Reply::Nil);
    };
    let (a, b) = (geohash::decode_score(a), geohash::decode_score(b));
    let d = geohash::distance(a.0, a.1, b.0, b.1) / to_metres;
    Ok(Reply::bulk(distance_text(d).into_bytes()))
}

/// Which search command is running: where its arguments are and what it accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Search {
    /// GEORADIUS and GEORADIUS_RO: `key lon lat radius unit`.
    Coords { store: bool },
    /// GEORADIUSBYMEMBER and GEORADIUSBYMEMBER_RO: `key member radius unit`.
    Member { store: bool },
    /// GEOSEARCH: `key FROM... BY...`.
    Geosearch,
    /// GEOSEARCHSTORE: `destination source FROM... BY... [STOREDIST]`.
    GeosearchStore,
}

impl Search {
    fn accepts_store_key(self) -> bool {
        matches!(
            self,
            Search::Coords { store: true } | Search::Member { store: true }
        )
    }

    fn is_geosearch(self) -> bool {
        matches!(self, Search::Geosearch | Search::GeosearchStore)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Unsorted,
    Asc,
    Desc,
}

/// A point a search found.
struct Found {
    member: Vec<u8>,
    score: f64,
    lon: f64,
    lat: f64,
    /// Metres from the centre until the reply converts it to the unit.
    dist: f64,
}

/// The points of `z` inside `shape`, cell by cell; with `limit` (COUNT ... ANY)
/// the search stops once it has that many.
fn points_within(z: &ZSet, shape: &Shape, limit: usize) -> Vec<Found> {
    let mut found = Vec::new();
    let full = |found: &Vec<Found>| limit > 0 && found.len() >= limit;
    let cells = shape.search_cells();
    let mut last: Option<geohash::Cell> = None;
    for (i, cell) in cells.iter().enumerate() {
        let Some(cell) = *cell else { continue };
        // A huge radius can make neighbours coincide: skip a repeat of the
        // previous cell searched (the centre's cell is never compared).
        if i > 0 && last.is_some_and(|l| l == cell) {
            continue;
        }
        if full(&found) {
            break;
        }
        let (min, max) = geohash::score_range(cell);
        let mut node = z.list.first_not_below(|s, _| s < min);
        while let Some(n) = node {
            let (member, score) = z.entry(n);
            if score >= max {
                break;
            }
            let (lon, lat) = geohash::decode_score(score);
            if let Some(dist) = shape.distance_if_within(lon, lat) {
                found.push(Found {
                    member: member.to_vec(),
                    score,
                    lon,
                    lat,
                    dist,
                });
            }
            if full(&found) {
                break;
            }
            node = z.list.next(n);
        }
        last = Some(cell);
    }
    found
}

/// What the options of a search ask for.
struct Options {
    withdist: bool,
    withhash: bool,
    withcoord: bool,
    any: bool,
    order: Order,
    count: usize,
    store_key: Option<Vec<u8>>,
    storedist: bool,
    from: Option<(f64, f64)>,
    from_member: bool,
    from_lonlat: bool,
    by: Option<(ShapeKind, f64)>,
}

/// Parses a search's options from `argv[base..]` in order, failing at the
/// first bad one as Redis does. `z` is the source set, for FROMMEMBER.
fn parse_options(
    argv: &[Vec<u8>],
    base: usize,
    search: Search,
    z: Option<&ZSet>,
    o: &mut Options,
) -> Result<(), CmdError> {
    let mut i = base;
    let geosearch = search.is_geosearch();
    while i < argv.len() {
        let arg = &argv[i];
        let left = argv.len() - i - 1;
        if is(arg, "withdist") {
            o.withdist = true;
        } else if is(arg, "withhash") {
            o.withhash = true;
        } else if is(arg, "withcoord") {
            o.withcoord = true;
        } else if is(arg, "any") {
            o.any = true;
        } else if is(arg, "asc") {
            o.order = Order::Asc;
        } else if is(arg, "desc") {
            o.order = Order::Desc;
        } else if is(arg, "count") && left >= 1 {
            let n = int_arg(&argv[i + 1])?;
            if n <= 0 {
                return Err(CmdError::err("COUNT must be > 0"));
            }
            o.count = usize::try_from(n).unwrap_or(usize::MAX);
            i += 1;
        } else if (is(arg, "store") || is(arg, "storedist"))
            && left >= 1
            && search.accepts_store_key()
        {
            o.store_key = Some(argv[i + 1].clone());
            o.storedist = is(arg, "storedist");
            i += 1;
        } else if is(arg, "storedist") && search == Search::GeosearchStore {
            o.storedist = true;
        } else if is(arg, "frommember") && left >= 1 && geosearch && !o.from_lonlat {
            if let Some(z) = z {
                let score = z
                    .score(&argv[i + 1])
                    .ok_or_else(|| CmdError::err("could not decode requested zset member"))?;
                o.from = Some(geohash::decode_score(score));
            }
            o.from_member = true;
            i += 1;
        } else if is(arg, "fromlonlat") && left >= 2 && geosearch && !o.from_member {
            o.from = Some(lon_lat_args(&argv[i + 1], &argv[i + 2])?);
            o.from_lonlat = true;
            i += 2;
        } else if is(arg, "byradius")
            && left >= 2
            && geosearch
            && !matches!(o.by, Some((ShapeKind::Box { .. }, _)))
        {
            o.by = Some(radius_args(&argv[i + 1], &argv[i + 2])?);
            i += 2;
        } else if is(arg, "bybox")
            && left >= 3
            && geosearch
            && !matches!(o.by, Some((ShapeKind::Radius(_), _)))
        {
            o.by = Some(box_args(&argv[i + 1], &argv[i + 2], &argv[i + 3])?);
            i += 3;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    Ok(())
}

/// `radius unit`
fn radius_args(radius: &[u8], unit: &[u8]) -> Result<(ShapeKind, f64), CmdError> {
    let r = float_arg_msg(radius, "need numeric radius")?;
    if r < 0.0 {
        return Err(CmdError::err("radius cannot be negative"));
    }
    Ok((ShapeKind::Radius(r), unit_arg(unit)?))
}

/// `width height unit`
fn box_args(width: &[u8], height: &[u8], unit: &[u8]) -> Result<(ShapeKind, f64), CmdError> {
    let w = float_arg_msg(width, "need numeric width")?;
    let h = float_arg_msg(height, "need numeric height")?;
    if h < 0.0 || w < 0.0 {
        return Err(CmdError::err("height or width cannot be negative"));
    }
    Ok((
        ShapeKind::Box {
            width: w,
            height: h,
        },
        unit_arg(unit)?,
    ))
}

/// The search all six commands share (Redis's `georadiusGeneric`).
fn search_generic(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, search: Search) -> CmdResult {
    let src = if search == Search::GeosearchStore {
        2
    } else {
        1
    };
    let db = c.db;
    let z = read_zset(e, db, &argv[src])?;
    let mut o = Options {
        withdist: false,
        withhash: false,
        withcoord: false,
        any: false,
        order: Order::Unsorted,
        count: 0,
        store_key: (search == Search::GeosearchStore).then(|| argv[1].clone()),
        storedist: false,
        from: None,
        from_member: false,
        from_lonlat: false,
        by: None,
    };
    let base = match search {
        Search::Coords { .. } => {
            o.from = Some(lon_lat_args(&argv[2], &argv[3])?);
            o.by = Some(radius_args(&argv[4], &argv[5])?);
            6
        }
        Search::Member { .. } => {
            // Without the key there is nothing to look the member up in, and
            // the radius goes unchecked: only the options decide the reply.
            if let Some(z) = z {
                let score = z
                    .score(&argv[2])
                    .ok_or_else(|| CmdError::err("could not decode requested zset member"))?;
                o.from = Some(geohash::decode_score(score));
                o.by = Some(radius_args(&argv[3], &argv[4])?);
            }
            5
        }
        Search::Geosearch => 2,
        Search::GeosearchStore => 3,
    };
    parse_options(&argv, base, search, z, &mut o)?;
    if o.store_key.is_some() && (o.withdist || o.withhash || o.withcoord) {
        let what = if search == Search::GeosearchStore {
            "GEOSEARCHSTORE"
        } else {
            "STORE option in GEORADIUS"
        };
        return Err(CmdError::err(format!(
            "{what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        )));
    }
    let name = String::from_utf8_lossy(&argv[0]);
    if search.is_geosearch() && !o.from_member && !o.from_lonlat {
        return Err(CmdError::err(format!(
            "exactly one of FROMMEMBER or FROMLONLAT can be specified for {name}"
        )));
    }
    if search.is_geosearch() && o.by.is_none() {
        return Err(CmdError::err(format!(
            "exactly one of BYRADIUS and BYBOX can be specified for {name}"
        )));
    }
    if o.any && o.count == 0 {
        return Err(CmdError::err("the ANY argument requires COUNT argument"));
    }
    let (Some(z), Some((lon, lat)), Some((kind, conversion))) = (z, o.from, o.by) else {
        // No source key.
        return Ok(match o.store_key {
            Some(dst) => {
                store_zset(e, db, &dst, Vec::<(Vec<u8>, f64)>::new(), "");
                Reply::Integer(0)
            }
            None => Reply::Array(Vec::new()),
        });
    };
    if o.count != 0 && o.order == Order::Unsorted && !o.any {
        o.order = Order::Asc;
    }
    let shape = Shape {
        lon,
        lat,
        conversion,
        kind,
    };
    let mut found = points_within(z, &shape, if o.any { o.count } else { 0 });
    if found.is_empty() && o.store_key.is_none() {
        return Ok(Reply::Array(Vec::new()));
    }
    match o.order {
        Order::Unsorted => {}
        Order::Asc => found.sort_by(|a, b| a.dist.total_cmp(&b.dist)),
        Order::Desc => found.sort_by(|a, b| b.dist.total_cmp(&a.dist)),
    }
    if o.count != 0 {
        found.truncate(o.count);
    }
    for f in &mut found {
        f.dist /= conversion;
    }
    if let Some(dst) = o.store_key {
        let n = found.len();
        let items: Vec<(Vec<u8>, f64)> = found
            .into_iter()
            .map(|f| (f.member, if o.storedist { f.dist } else { f.score }))
            .collect();
        let event = if search.is_geosearch() {
            "geosearchstore"
        } else {
            "georadiusstore"
        };
        store_zset(e, db, &dst, items, event);
        return Ok(Reply::Integer(n as i64));
    }
    let extras = usize::from(o.withdist) + usize::from(o.withhash) + usize::from(o.withcoord);
    let items = found
        .into_iter()
        .map(|f| {
            if extras == 0 {
                return Reply::bulk(f.member);
            }
            let mut item = Vec::with_capacity(extras + 1);
            item.push(Reply::bulk(f.member));
            if o.withdist {
                item.push(Reply::bulk(distance_text(f.dist).into_bytes()));
            }
            if o.withhash {
                item.push(Reply::Integer(f.score as i64));
            }
            if o.withcoord {
                item.push(Reply::Array(vec![
                    Reply::HumanDouble(f.lon),
                    Reply::HumanDouble(f.lat),
                ]));
            }
            Reply::Array(item)
        })
        .collect();
    Ok(Reply::Array(items))
}

/// GEORADIUS key longitude latitude radius unit [options] [STORE key] [STOREDIST key]
pub fn georadius(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    search_generic(e, c, argv, Search::Coords { store: true })
}

/// GEORADIUS_RO: GEORADIUS without STORE.
pub fn georadius_ro(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    search_generic(e, c, argv, Search::Coords { store: false })
}

/// GEORADIUSBYMEMBER key member radius unit [options] [STORE key] [STOREDIST key]
pub fn georadiusbymember(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    search_generic(e, c, argv, Search::Member { store: true })
}

/// GEORADIUSBYMEMBER_RO: GEORADIUSBYMEMBER without STORE.
pub fn georadiusbymember_ro(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    search_generic(e, c, argv, Search::Member { store: false })
}

/// GEOSEARCH key FROMMEMBER member|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h unit [options]
pub fn geosearch(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    search_generic(e, c, argv, Search::Geosearch)
}

/// GEOSEARCHSTORE destination source ... [STOREDIST]
pub fn geosearchstore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    search_generic(e, c, argv, Search::GeosearchStore)
}

#[cfg(test)]
mod tests {
    use super::distance_text;

    #[test]
    fn distances_print_with_four_decimals() {
        assert_eq!(distance_text(0.0), "0.0000");
        assert_eq!(distance_text(166_274.151_6), "166274.1516");
        assert_eq!(distance_text(0.000_04), "0.0000");
        assert_eq!(distance_text(0.775), "0.7750");
        assert_eq!(distance_text(12.5), "12.5000");
        assert_eq!(distance_text(-1.5), "-1.5000");
    }
}
