//! The request stream: when each request arrives, which user sends it, whether it
//! reads or writes, and which key it touches.
//!
//! The stream depends only on the seed and the workload parameters (requests, rate,
//! users, read ratio, keys, popularity), never on the strategy or the faults, so two
//! strategies run with the same configuration answer the very same requests. That is
//! what makes the side-by-side view a fair comparison.

use serde::Serialize;

use super::config::{Popularity, SimConfig};
use super::random::{Rng, Zipf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum RequestKind {
    Read,
    Write,
}

/// One application request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Request {
    /// 0-based position in the stream.
    pub index: u32,
    /// Who sent it: index mod users.
    pub user: u32,
    pub kind: RequestKind,
    /// Key id, 1-based (see [`SimConfig::key_name`]).
    pub key: u32,
    /// Arrival, in simulated µs since the start of the run.
    pub t_us: u64,
}

#[derive(Clone, Debug)]
enum KeyPicker {
    Uniform(u32),
    Zipf(Zipf),
}

/// Generates the requests of a run, in order.
#[derive(Clone, Debug)]
pub struct RequestStream {
    rng: Rng,
    picker: KeyPicker,
    read_ratio: f64,
    rate_per_sec: f64,
    users: u32,
    total: u32,
    next: u32,
}

impl RequestStream {
    /// The stream of `cfg` (which should be validated: other values are clamped).
    pub fn new(cfg: &SimConfig) -> RequestStream {
        let keys = cfg.keys.max(1);
        let picker = match cfg.popularity {
            Popularity::Uniform => KeyPicker::Uniform(keys),
            Popularity::Zipf { s } => KeyPicker::Zipf(Zipf::new(keys, s)),
        };
        RequestStream {
            rng: Rng::new(cfg.seed),
            picker,
            read_ratio: cfg.read_ratio,
            rate_per_sec: if cfg.rate_per_sec > 0.0 {
                cfg.rate_per_sec
            } else {
                1.0
            },
            users: cfg.users.max(1),
            total: cfg.requests,
            next: 0,
        }
    }

    /// Arrival time of request `index`: requests are evenly spaced, 1/rate apart.
    pub fn arrival_us(&self, index: u32) -> u64 {
        // Saturating float-to-int conversion; validated rates keep this far from u64::MAX.
        (f64::from(index) * 1_000_000.0 / self.rate_per_sec) as u64
    }

    /// How many requests the stream holds in all.
    pub fn total(&self) -> u32 {
        self.total
    }
}

impl Iterator for RequestStream {
    type Item = Request;

    fn next(&mut self) -> Option<Request> {
        if self.next >= self.total {
            return None;
        }
        let index = self.next;
        self.next += 1;
        // Always two draws per request, in this order, so that changing the read
        // ratio never shifts which keys later requests pick.
        let kind = if self.rng.next_f64() < self.read_ratio {
            RequestKind::Read
        } else {
            RequestKind::Write
        };
        let key = match &self.picker {
            KeyPicker::Uniform(n) => self.rng.below(*n) + 1,
            KeyPicker::Zipf(z) => z.sample(&mut self.rng),
        };
        Some(Request {
            index,
            user: index % self.users,
            kind,
            key,
            t_us: self.arrival_us(index),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.total.saturating_sub(self.next) as usize;
        (left, Some(left))
    }
}
