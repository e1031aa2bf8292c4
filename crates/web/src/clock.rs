//! The simulated clock: real time plus an offset, which the learner can pause or jump.
//!
//! Everything is in microseconds since the Unix epoch, the unit `Engine::execute` takes.
//! The real time is always passed in, so this module stays pure and testable.

use serde::{Deserialize, Serialize};

pub const SECOND_US: u64 = 1_000_000;

/// How simulated time relates to real time. This is what gets persisted, so that a
/// reload neither loses a jump (TTLs would resurrect) nor unpauses the clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// Simulated minus real time while running.
    offset_us: i64,
    /// The frozen simulated time while paused.
    paused_at_us: Option<u64>,
}

impl Clock {
    pub fn now_us(&self, real_us: u64) -> u64 {
        match self.paused_at_us {
            Some(frozen) => frozen,
            None => real_us.saturating_add_signed(self.offset_us),
        }
    }

    pub fn is_paused(&self) -> bool {
        self.paused_at_us.is_some()
    }

    /// Simulated minus real time right now; it drifts negative while paused.
    pub fn offset_us(&self, real_us: u64) -> i64 {
        let now = self.now_us(real_us);
        (i128::from(now) - i128::from(real_us)).clamp(i64::MIN.into(), i64::MAX.into()) as i64
    }

    pub fn pause(&mut self, real_us: u64) {
        if self.paused_at_us.is_none() {
            self.paused_at_us = Some(self.now_us(real_us));
        }
    }

    pub fn resume(&mut self, real_us: u64) {
        if let Some(frozen) = self.paused_at_us.take() {
            self.offset_us = (i128::from(frozen) - i128::from(real_us))
                .clamp(i64::MIN.into(), i64::MAX.into()) as i64;
        }
    }

    pub fn toggle_pause(&mut self, real_us: u64) {
        if self.is_paused() {
            self.resume(real_us);
        } else {
            self.pause(real_us);
        }
    }

    /// Jumps simulated time forward (paused or not).
    pub fn advance(&mut self, delta_us: u64) {
        match &mut self.paused_at_us {
            Some(frozen) => *frozen = frozen.saturating_add(delta_us),
            None => {
                self.offset_us = self
                    .offset_us
                    .saturating_add(i64::try_from(delta_us).unwrap_or(i64::MAX))
            }
        }
    }
}

/// An offset for the clock display: `+0s`, `+10s`, `+1m 10s`, `+2h 05m`, `−5s`.
pub fn format_offset(offset_us: i64) -> String {
    let secs = (offset_us as f64 / SECOND_US as f64).round() as i64;
    let sign = if secs < 0 { '\u{2212}' } else { '+' };
    let s = secs.unsigned_abs();
    let body = if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        if s % 60 == 0 {
            format!("{}m", s / 60)
        } else {
            format!("{}m {}s", s / 60, s % 60)
        }
    } else if s < 86_400 {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}d {:02}h", s / 86_400, (s % 86_400) / 3600)
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_700_000_000 * SECOND_US;

    #[test]
    fn running_clock_follows_real_time_plus_offset() {
        let mut c = Clock::default();
        assert_eq!(c.now_us(T0), T0);
        c.advance(10 * SECOND_US);
        assert_eq!(c.now_us(T0), T0 + 10 * SECOND_US);
        assert_eq!(c.now_us(T0 + 1), T0 + 10 * SECOND_US + 1);
        assert_eq!(c.offset_us(T0), 10_000_000);
    }

    #[test]
    fn paused_clock_is_frozen_and_resumes_where_it_stopped() {
        let mut c = Clock::default();
        c.toggle_pause(T0);
        assert!(c.is_paused());
        assert_eq!(c.now_us(T0 + 5 * SECOND_US), T0);
        c.advance(60 * SECOND_US);
        assert_eq!(c.now_us(T0 + 7 * SECOND_US), T0 + 60 * SECOND_US);
        assert_eq!(c.offset_us(T0 + 7 * SECOND_US), 53_000_000);
        c.toggle_pause(T0 + 7 * SECOND_US);
        assert!(!c.is_paused());
        assert_eq!(c.now_us(T0 + 8 * SECOND_US), T0 + 61 * SECOND_US);
    }

    #[test]
    fn pausing_twice_keeps_the_first_freeze() {
        let mut c = Clock::default();
        c.pause(T0);
        c.pause(T0 + SECOND_US);
        assert_eq!(c.now_us(T0 + 9 * SECOND_US), T0);
    }

    #[test]
    fn survives_a_json_round_trip() {
        let mut c = Clock::default();
        c.advance(70 * SECOND_US);
        c.pause(T0);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Clock>(&json).unwrap(), c);
    }

    #[test]
    fn offsets_read_like_durations() {
        assert_eq!(format_offset(0), "+0s");
        assert_eq!(format_offset(400_000), "+0s");
        assert_eq!(format_offset(10 * SECOND_US as i64), "+10s");
        assert_eq!(format_offset(60 * SECOND_US as i64), "+1m");
        assert_eq!(format_offset(70 * SECOND_US as i64), "+1m 10s");
        assert_eq!(format_offset(3_900 * SECOND_US as i64), "+1h 05m");
        assert_eq!(format_offset(-5 * SECOND_US as i64), "\u{2212}5s");
        assert_eq!(format_offset(90_000 * SECOND_US as i64), "+1d 01h");
    }
}
