//! When a failed delivery may be tried again: exponential backoff, capped,
//! with jitter so that posts failing together do not retry together.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

/// The retry schedule: `base` after the first attempt, doubling, at most `cap`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The delay after the first failed attempt.
    pub base: Duration,
    /// The longest delay.
    pub cap: Duration,
}

impl Backoff {
    /// The delay before attempt `attempt + 1` (before jitter).
    pub fn delay(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(30);
        self.base.saturating_mul(1 << doublings).min(self.cap)
    }

    /// When attempt `attempt`, failed at `now`, may be retried: the delay with
    /// "equal jitter", a random point in its second half.
    pub fn retry_at(&self, attempt: u32, now: DateTime<Utc>) -> DateTime<Utc> {
        let delay = self.delay(attempt);
        let jittered = delay.mul_f64(rand::rng().random_range(0.5..=1.0));
        now + chrono::Duration::from_std(jittered).unwrap_or(chrono::Duration::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_up_to_the_cap_and_jitter_stays_in_its_second_half() {
        let backoff = Backoff { base: Duration::from_secs(60), cap: Duration::from_secs(1800) };
        let delays: Vec<u64> = (1..=7).map(|a| backoff.delay(a).as_secs()).collect();
        assert_eq!(delays, [60, 120, 240, 480, 960, 1800, 1800]);
        assert_eq!(backoff.delay(u32::MAX).as_secs(), 1800);
        let now = Utc::now();
        for _ in 0..100 {
            let wait = (backoff.retry_at(3, now) - now).num_milliseconds();
            assert!((120_000..=240_000).contains(&wait), "{wait}");
        }
    }
}
