//! The `math` library, with Redis's rand48 behind `math.random`.

use super::*;

pub(super) fn math_max(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let mut m = check_num(&args, 0, "max")?;
    for i in 1..args.len() {
        let x = check_num(&args, i, "max")?;
        if x > m {
            m = x;
        }
    }
    num(m)
}

pub(super) fn math_min(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let mut m = check_num(&args, 0, "min")?;
    for i in 1..args.len() {
        let x = check_num(&args, i, "min")?;
        if x < m {
            m = x;
        }
    }
    num(m)
}

pub(super) fn math_frexp(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let x = check_num(&args, 0, "frexp")?;
    if x == 0.0 || !x.is_finite() {
        return Ok(vec![Value::Num(x), Value::Num(0.0)]);
    }
    let mut e = x.abs().log2().floor() as i32 + 1;
    let mut m = x / 2f64.powi(e);
    // Correct for rounding at the edges.
    if m.abs() >= 1.0 {
        m /= 2.0;
        e += 1;
    } else if m.abs() < 0.5 {
        m *= 2.0;
        e -= 1;
    }
    Ok(vec![Value::Num(m), Value::Num(f64::from(e))])
}

/// Redis's rand48 (the state survives from script to script, as in Redis).
pub fn lrand48(state: &mut u64) -> i32 {
    const A: u64 = 0x5_DEEC_E66D;
    const C: u64 = 0xB;
    *state = (A.wrapping_mul(*state).wrapping_add(C)) & ((1 << 48) - 1);
    (*state >> 17) as i32
}

/// The state `redisSrand48(seed)` sets.
pub fn srand48(seed: i32) -> u64 {
    let s = seed as u32;
    (u64::from(s >> 16 & 0xFFFF) << 32) | (u64::from(s & 0xFFFF) << 16) | 0x330E
}

pub(super) fn math_random(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    const MAX: f64 = i32::MAX as f64;
    let r = f64::from(lrand48(&mut interp.rand48) % i32::MAX) / MAX;
    match args.len() {
        0 => num(r),
        1 => {
            let u = check_int(&args, 0, "random")? as i32;
            if u < 1 {
                return Err(bad_arg(0, "random", "interval is empty"));
            }
            num((r * f64::from(u)).floor() + 1.0)
        }
        2 => {
            let l = check_int(&args, 0, "random")? as i32;
            let u = check_int(&args, 1, "random")? as i32;
            if l > u {
                return Err(bad_arg(1, "random", "interval is empty"));
            }
            num((r * (f64::from(u) - f64::from(l) + 1.0)).floor() + f64::from(l))
        }
        _ => Err(LuaError::msg("wrong number of arguments")),
    }
}

pub(super) fn math_randomseed(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    interp.rand48 = srand48(check_int(&args, 0, "randomseed")? as i32);
    Ok(Vec::new())
}
