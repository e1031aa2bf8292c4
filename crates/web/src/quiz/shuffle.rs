//! Seeded shuffling, so each learner sees options in their own order and a reload shows
//! the same order again (the seed is saved with the progress).

/// SplitMix64: tiny, fast and good enough to shuffle four options.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by rejection so no value is favoured.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// FNV-1a, to give every question its own stream from one seed.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A permutation of `0..n` determined by `seed` and `salt` (a question id).
pub fn order(n: usize, seed: u64, salt: &str) -> Vec<usize> {
    let mut rng = SplitMix(seed ^ fnv1a(salt));
    let mut out: Vec<usize> = (0..n).collect();
    // Fisher–Yates.
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        out.swap(i, j);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_order() {
        assert_eq!(order(4, 42, "q1"), order(4, 42, "q1"));
    }

    #[test]
    fn always_a_permutation() {
        for seed in 0..200 {
            let mut o = order(5, seed, "q");
            o.sort_unstable();
            assert_eq!(o, [0, 1, 2, 3, 4]);
        }
        assert!(order(0, 1, "q").is_empty());
        assert_eq!(order(1, 1, "q"), [0]);
    }

    #[test]
    fn seeds_and_questions_change_the_order() {
        let orders: std::collections::HashSet<Vec<usize>> =
            (0..100).map(|seed| order(4, seed, "q1")).collect();
        assert!(orders.len() > 12, "only {} distinct orders", orders.len());
        let per_question: std::collections::HashSet<Vec<usize>> =
            (0..30).map(|i| order(4, 7, &format!("q{i}"))).collect();
        assert!(per_question.len() > 5);
    }

    #[test]
    fn every_position_is_reachable_for_every_option() {
        let mut seen = [[false; 4]; 4];
        for seed in 0..500 {
            for (pos, &opt) in order(4, seed, "q").iter().enumerate() {
                seen[opt][pos] = true;
            }
        }
        assert!(seen.iter().flatten().all(|&s| s));
    }
}
