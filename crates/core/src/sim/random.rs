//! Deterministic randomness for the workload: a xoshiro256** generator seeded
//! through splitmix64, and Zipf sampling.
//!
//! Zipf keys are drawn from an alias table (Walker's method, built as Vose does)
//! when there are at most [`TABLE_MAX_KEYS`] of them: one random number and one
//! comparison per draw, which matters because the simulator draws a key for every
//! request. Beyond that, building the table would cost more than the draws save,
//! and rejection-inversion (Hörmann and Derflinger, 1996, as in Apache Commons' Zipf
//! sampler) takes over: O(1) memory and O(1) expected time whatever the number of
//! keys, at the price of a logarithm and an exponential per draw. Both are written
//! here from IEEE-754 basic arithmetic only, never the platform's libm, so a seed
//! gives the very same request stream natively and in wasm.

use std::sync::Arc;

/// xoshiro256**: fast, small, and good enough for a simulation (not for secrets).
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut st = seed;
        // splitmix64 never yields four zero words in a row, so the state is valid.
        Rng {
            s: [
                splitmix64(&mut st),
                splitmix64(&mut st),
                splitmix64(&mut st),
                splitmix64(&mut st),
            ],
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = self.s;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s1 << 17;
        let s2 = s2 ^ s0;
        let s3 = s3 ^ s1;
        let s1 = s1 ^ s2;
        let s0 = s0 ^ s3;
        let s2 = s2 ^ t;
        let s3 = s3.rotate_left(45);
        self.s = [s0, s1, s2, s3];
        result
    }

    /// Uniform in [0, 1), with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` (0 when n is 0), by multiply-shift: the bias is below
    /// n / 2^64, far under anything a run could observe.
    pub fn below(&mut self, n: u32) -> u32 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u32
    }
}

/// Up to this many keys, [`Zipf`] builds an alias table (12 bytes a key).
pub const TABLE_MAX_KEYS: u32 = 1 << 16;

/// Zipf's law over 1..=n with exponent s > 0.
#[derive(Clone, Debug)]
pub struct Zipf(Method);

#[derive(Clone, Debug)]
enum Method {
    /// Shared, so that cloning a simulation (the visualizer does) copies no table.
    Table(Arc<AliasTable>),
    Rejection(RejectionInversion),
}

impl Zipf {
    /// `n >= 1` and `exponent > 0` (the config validation guarantees both; other
    /// values still give a sampler that returns numbers in 1..=n).
    pub fn new(n: u32, exponent: f64) -> Zipf {
        if n <= TABLE_MAX_KEYS {
            Zipf::table(n, exponent)
        } else {
            Zipf::rejection(n, exponent)
        }
    }

    fn table(n: u32, exponent: f64) -> Zipf {
        let z = RejectionInversion::new(n, exponent);
        Zipf(Method::Table(Arc::new(AliasTable::new(n.max(1), |k| {
            z.h(k)
        }))))
    }

    fn rejection(n: u32, exponent: f64) -> Zipf {
        Zipf(Method::Rejection(RejectionInversion::new(n, exponent)))
    }

    /// A number in 1..=n.
    pub fn sample(&self, rng: &mut Rng) -> u32 {
        match &self.0 {
            Method::Table(t) => t.sample(rng) + 1,
            Method::Rejection(z) => z.sample(rng),
        }
    }
}

/// Walker's alias table over `0..n`: slot i keeps its own index with probability
/// `keep[i] / 2^32` and gives `alias[i]` otherwise.
#[derive(Debug)]
struct AliasTable {
    keep: Vec<u32>,
    alias: Vec<u32>,
}

impl AliasTable {
    /// The table for weights `weight(1..=n)` (finite and positive; anything else
    /// counts as 0, and all-zero weights give the uniform distribution).
    fn new(n: u32, weight: impl Fn(f64) -> f64) -> AliasTable {
        let len = n as usize;
        let clean = |w: f64| if w.is_finite() && w > 0.0 { w } else { 0.0 };
        let weights: Vec<f64> = (1..=n).map(|k| clean(weight(f64::from(k)))).collect();
        let total: f64 = weights.iter().sum();
        // Each slot's share scaled so that an average slot holds exactly 1.
        let mut share: Vec<f64> = if total > 0.0 && total.is_finite() {
            weights.iter().map(|w| w * f64::from(n) / total).collect()
        } else {
            vec![1.0; len]
        };
        let mut keep = vec![u32::MAX; len];
        let mut alias: Vec<u32> = (0..n).collect();
        let (mut small, mut large): (Vec<u32>, Vec<u32>) =
            (0..n).partition(|&i| share[i as usize] < 1.0);
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            let (si, li) = (s as usize, l as usize);
            // `as` saturates: a share of 1 - ε keeps all but the top value.
            keep[si] = (share[si] * 4_294_967_296.0) as u32;
            alias[si] = l;
            share[li] = (share[li] + share[si]) - 1.0;
            if share[li] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // Whatever is left holds (up to rounding) exactly 1: it keeps itself.
        AliasTable { keep, alias }
    }

    /// A slot in `0..n`, from a single 64-bit draw: the high half picks the slot
    /// (multiply-shift, in 64-bit arithmetic) and the low half tosses its coin.
    fn sample(&self, rng: &mut Rng) -> u32 {
        let r = rng.next_u64();
        let n = self.keep.len() as u64;
        let slot = ((r >> 32) * n) >> 32;
        let i = slot as usize;
        match (self.keep.get(i), self.alias.get(i)) {
            (Some(&keep), _) if (r as u32) < keep => slot as u32,
            (_, Some(&alias)) => alias,
            _ => 0,
        }
    }
}

/// Zipf sampling by rejection-inversion: no table, whatever the number of keys.
#[derive(Clone, Debug)]
struct RejectionInversion {
    n: u32,
    exponent: f64,
    h_integral_x1: f64,
    h_integral_n: f64,
    squeeze: f64,
}

impl RejectionInversion {
    fn new(n: u32, exponent: f64) -> RejectionInversion {
        let n = n.max(1);
        let mut z = RejectionInversion {
            n,
            exponent,
            h_integral_x1: 0.0,
            h_integral_n: 0.0,
            squeeze: 0.0,
        };
        z.h_integral_x1 = z.h_integral(1.5) - 1.0;
        z.h_integral_n = z.h_integral(f64::from(n) + 0.5);
        z.squeeze = 2.0 - z.h_integral_inverse(z.h_integral(2.5) - z.h(2.0));
        z
    }

    /// A number in 1..=n.
    fn sample(&self, rng: &mut Rng) -> u32 {
        // The acceptance rate is above 90% for every exponent; the bound only
        // guarantees termination should the arithmetic ever misbehave.
        let mut k = 1;
        for _ in 0..64 {
            let u = self.h_integral_n + rng.next_f64() * (self.h_integral_x1 - self.h_integral_n);
            let x = self.h_integral_inverse(u);
            // `as` saturates and maps NaN to 0; the clamp does the rest.
            k = ((x + 0.5) as u32).clamp(1, self.n);
            let kf = f64::from(k);
            if kf - x <= self.squeeze || u >= self.h_integral(kf + 0.5) - self.h(kf) {
                return k;
            }
        }
        k
    }

    /// H(x), an integral of h: (x^(1-s) - 1) / (1 - s), or ln x when s = 1.
    fn h_integral(&self, x: f64) -> f64 {
        let log_x = ln(x);
        helper2((1.0 - self.exponent) * log_x) * log_x
    }

    /// h(x) = x^-s (exactly 1/x for the classic s = 1).
    fn h(&self, x: f64) -> f64 {
        if self.exponent == 1.0 {
            1.0 / x
        } else {
            exp(-self.exponent * ln(x))
        }
    }

    fn h_integral_inverse(&self, x: f64) -> f64 {
        let t = (x * (1.0 - self.exponent)).max(-1.0);
        exp(helper1(t) * x)
    }
}

/// ln(1 + x) / x, accurate near 0.
fn helper1(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        ln_1p(x) / x
    } else {
        1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }
}

/// (e^x - 1) / x, accurate near 0.
fn helper2(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        exp_m1(x) / x
    } else {
        1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x))
    }
}

// ln 2 split so that k * LN2_HI is exact for |k| < 2^20 (fdlibm's ln2_hi and ln2_lo).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// 1/(2i+1): the series of atanh.
const ATANH_COEF: [f64; 12] = [
    1.0,
    1.0 / 3.0,
    1.0 / 5.0,
    1.0 / 7.0,
    1.0 / 9.0,
    1.0 / 11.0,
    1.0 / 13.0,
    1.0 / 15.0,
    1.0 / 17.0,
    1.0 / 19.0,
    1.0 / 21.0,
    1.0 / 23.0,
];

/// 1/n!: the series of e^r. Every n! here is exact in an f64.
const EXP_COEF: [f64; 15] = [
    1.0,
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
    1.0 / 87_178_291_200.0,
];

/// The natural logarithm from basic arithmetic: x = m·2^k with m in [√½, √2), then
/// ln m = 2·atanh(z), z = (m-1)/(m+1), by its series (|z| < 0.172, 12 terms).
pub(crate) fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let (mut x, mut k) = (x, 0i32);
    if x < f64::MIN_POSITIVE {
        x *= 18_014_398_509_481_984.0; // 2^54: make subnormals normal
        k = -54;
    }
    let bits = x.to_bits();
    k += ((bits >> 52) & 0x7ff) as i32 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        k += 1;
    }
    let f = m - 1.0;
    let z = f / (2.0 + f);
    let z2 = z * z;
    let series = ATANH_COEF.iter().rev().fold(0.0, |acc, c| acc * z2 + c);
    let kf = f64::from(k);
    kf * LN2_HI + (2.0 * z * series + kf * LN2_LO)
}

/// e^x from basic arithmetic: x = k·ln2 + r with |r| <= ln2/2, e^r by its Taylor
/// series (15 terms), then scaled by 2^k.
pub(crate) fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.0 {
        return f64::INFINITY;
    }
    if x < -708.0 {
        return 0.0;
    }
    // Round to nearest by truncation (a plain instruction everywhere, unlike floor).
    let t = x * std::f64::consts::LOG2_E;
    let k = if t >= 0.0 {
        (t + 0.5) as i64
    } else {
        (t - 0.5) as i64
    };
    let kf = k as f64;
    let r = (x - kf * LN2_HI) - kf * LN2_LO;
    let p = EXP_COEF.iter().rev().fold(0.0, |acc, c| acc * r + c);
    // |x| <= 709 keeps k within -1022..=1023: a normal power of two.
    let k = k.clamp(-1022, 1023);
    p * f64::from_bits(((k + 1023) as u64) << 52)
}

/// ln(1 + x), keeping precision for small x (Goldberg's trick).
pub(crate) fn ln_1p(x: f64) -> f64 {
    let u = 1.0 + x;
    if u == 1.0 {
        x
    } else {
        ln(u) * x / (u - 1.0)
    }
}

/// e^x - 1, keeping precision for small x (Kahan's trick).
pub(crate) fn exp_m1(x: f64) -> f64 {
    let u = exp(x);
    if u == 1.0 {
        x
    } else if u.is_infinite() {
        u
    } else if u - 1.0 == -1.0 {
        -1.0
    } else {
        (u - 1.0) * x / ln(u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(f64::MIN_POSITIVE)
    }

    #[test]
    fn ln_and_exp_agree_with_std() {
        let mut x = 1e-300;
        while x < 1e300 {
            assert!(
                close(ln(x), x.ln(), 1e-15) || (ln(x) - x.ln()).abs() < 1e-15,
                "ln({x})"
            );
            x *= 1.37;
        }
        let mut y = -700.0;
        while y < 700.0 {
            assert!(
                close(exp(y), y.exp(), 1e-14),
                "exp({y}) = {} vs {}",
                exp(y),
                y.exp()
            );
            y += 0.731;
        }
        for &t in &[1e-12, -1e-12, 1e-6, -1e-6, 0.3, -0.3, 5.0, -0.9] {
            assert!(close(ln_1p(t), t.ln_1p(), 1e-14), "ln_1p({t})");
            assert!(close(exp_m1(t), t.exp_m1(), 1e-14), "exp_m1({t})");
        }
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
        assert!(ln(-1.0).is_nan() && ln(f64::NAN).is_nan());
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(-1000.0), 0.0);
    }

    #[test]
    fn rng_is_reproducible_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut c = Rng::new(8);
        let xs: Vec<u64> = (0..10).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..10).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..10).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        for _ in 0..10_000 {
            let f = a.next_f64();
            assert!((0.0..1.0).contains(&f));
            assert!(a.below(10) < 10);
        }
        assert_eq!(a.below(0), 0);
    }

    /// Sample frequencies follow 1/k^s within a few percent, with either method.
    #[test]
    fn zipf_follows_its_law() {
        for (&s, table) in [0.5, 1.0, 1.5, 3.0]
            .iter()
            .flat_map(|s| [(s, true), (s, false)])
        {
            let n = 20u32;
            let z = if table {
                Zipf::table(n, s)
            } else {
                Zipf::rejection(n, s)
            };
            let mut rng = Rng::new(1);
            let draws = 200_000;
            let mut counts = vec![0u32; n as usize + 1];
            for _ in 0..draws {
                let k = z.sample(&mut rng);
                assert!((1..=n).contains(&k));
                counts[k as usize] += 1;
            }
            let norm: f64 = (1..=n).map(|k| f64::from(k).powf(-s)).sum();
            for k in 1..=3u32 {
                let expected = f64::from(draws) * f64::from(k).powf(-s) / norm;
                let got = f64::from(counts[k as usize]);
                assert!(
                    (got - expected).abs() < 0.03 * expected + 50.0,
                    "s={s} table={table} k={k}: {got} vs {expected}"
                );
            }
        }
    }

    #[test]
    fn zipf_handles_extremes() {
        let mut rng = Rng::new(3);
        for &(n, s) in &[
            (1u32, 1.0),
            (2, 0.01),
            (1_000_000, 1.0),
            (1_000_000, 10.0),
            (5, f64::NAN),
            (5, -1.0),
        ] {
            for z in [Zipf::new(n, s), Zipf::rejection(n, s)] {
                for _ in 0..1_000 {
                    let k = z.sample(&mut rng);
                    assert!((1..=n).contains(&k), "n={n} s={s} gave {k}");
                }
            }
        }
        // The largest table still spans every key.
        let z = Zipf::new(TABLE_MAX_KEYS, 0.01);
        assert!(matches!(z.0, Method::Table(_)));
        let top = (0..200_000).map(|_| z.sample(&mut rng)).max();
        assert!(top > Some(TABLE_MAX_KEYS - 100) && top <= Some(TABLE_MAX_KEYS));
    }

    /// Every slot of an alias table ends up with the probability of its weight.
    #[test]
    fn alias_table_is_exact() {
        let weights = [5.0, 1.0, 0.0, 2.0, f64::NAN, 8.0];
        let t = AliasTable::new(weights.len() as u32, |k| weights[k as usize - 1]);
        let mut mass = [0.0f64; 6];
        for i in 0..6 {
            let keep = f64::from(t.keep[i]) / 4_294_967_296.0;
            mass[i] += keep;
            mass[t.alias[i] as usize] += 1.0 - keep;
        }
        let want = [5.0, 1.0, 0.0, 2.0, 0.0, 8.0].map(|w: f64| w * 6.0 / 16.0);
        for i in 0..6 {
            assert!(
                (mass[i] - want[i]).abs() < 1e-6,
                "slot {i}: {} vs {}",
                mass[i],
                want[i]
            );
        }
        // All weights unusable: uniform.
        let t = AliasTable::new(3, |_| f64::NAN);
        assert_eq!(t.keep, vec![u32::MAX; 3]);
    }
}
