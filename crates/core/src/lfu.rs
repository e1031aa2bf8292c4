//! Redis's LFU access counter (`maxmemory-policy` `allkeys-lfu` or `volatile-lfu`):
//! an 8-bit logarithmic counter per key that grows with accesses, each time less
//! likely, and decays by one for every `lfu-decay-time` minutes the key goes
//! unaccessed. OBJECT FREQ reports it and LFU eviction evicts the lowest.

/// The settings behind the counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lfu {
    /// `lfu-log-factor`: the higher, the slower the counter grows.
    pub log_factor: u32,
    /// `lfu-decay-time`: minutes per step of decay (0: never decays).
    pub decay_minutes: u32,
}

/// The counter of a new key (`LFU_INIT_VAL`).
pub const INIT: u8 = crate::db::LFU_INIT_VAL;

/// Redis's `LFUDecrAndReturn`: `counter` after the decay since `last_ms`, the last
/// access. Redis keeps that time in minutes modulo 2^16, and so does this.
pub fn decayed(counter: u8, last_ms: u64, now_ms: u64, lfu: Lfu) -> u8 {
    if lfu.decay_minutes == 0 {
        return counter;
    }
    let now = (now_ms / 60_000) & 0xffff;
    let last = (last_ms / 60_000) & 0xffff;
    let elapsed = if now >= last {
        now - last
    } else {
        65535 - last + now
    };
    let periods = elapsed / u64::from(lfu.decay_minutes);
    counter.saturating_sub(u8::try_from(periods).unwrap_or(u8::MAX))
}

/// Redis's `LFULogIncr`: one more access, counted with probability
/// `1 / ((counter - INIT) * log_factor + 1)`; `r` is uniform in [0, 1].
pub fn incremented(counter: u8, lfu: Lfu, r: f64) -> u8 {
    if counter == u8::MAX {
        return counter;
    }
    let base = f64::from(counter.saturating_sub(INIT));
    let p = 1.0 / (base * f64::from(lfu.log_factor) + 1.0);
    if r < p {
        counter + 1
    } else {
        counter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LFU: Lfu = Lfu {
        log_factor: 10,
        decay_minutes: 1,
    };

    #[test]
    fn new_keys_count_their_first_access_for_sure() {
        assert_eq!(incremented(INIT, LFU, 0.999), INIT + 1);
        assert_eq!(incremented(3, LFU, 0.999), 4);
        // At INIT + 1 an access counts with probability 1/11.
        assert_eq!(incremented(INIT + 1, LFU, 0.5), INIT + 1);
        assert_eq!(incremented(INIT + 1, LFU, 0.05), INIT + 2);
        assert_eq!(incremented(255, LFU, 0.0), 255);
    }

    #[test]
    fn counters_decay_per_idle_period() {
        // At the start of a minute: decay counts whole minutes of the clock.
        let t0 = 1_700_000_040_000;
        assert_eq!(decayed(10, t0, t0 + 59_000, LFU), 10);
        assert_eq!(decayed(10, t0, t0 + 3 * 60_000, LFU), 7);
        assert_eq!(decayed(10, t0, t0 + 60 * 60_000, LFU), 0);
        let never = Lfu {
            decay_minutes: 0,
            ..LFU
        };
        assert_eq!(decayed(10, t0, t0 + 60 * 60_000, never), 10);
    }
}
