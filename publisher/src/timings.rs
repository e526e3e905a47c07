//! Where a build's time went, phase by phase: `watch` prints it with each
//! rebuild, so an operator can see what a slow rebuild spent its time on.

use std::{
    fmt,
    time::{Duration, Instant},
};

/// Phases in the order they ran, each with its duration.
#[derive(Debug, Clone)]
pub struct Timings {
    phases: Vec<(&'static str, Duration)>,
    lap: Instant,
}

impl Default for Timings {
    fn default() -> Self {
        Self { phases: Vec::new(), lap: Instant::now() }
    }
}

impl Timings {
    /// Ends the phase `name`, which began at the previous lap (or creation).
    pub fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.lap));
        self.lap = now;
    }

    /// Records `took` as the phase `name` without ending the current one (a
    /// part of it timed separately).
    pub fn add(&mut self, name: &'static str, took: Duration) {
        self.phases.push((name, took));
    }

    /// Adds the phases of `other`, a part timed elsewhere, and restarts the lap.
    pub fn extend(&mut self, other: Timings) {
        self.phases.extend(other.phases);
        self.lap = Instant::now();
    }

    /// The phases, in order.
    pub fn phases(&self) -> &[(&'static str, Duration)] {
        &self.phases
    }
}

impl fmt::Display for Timings {
    /// `select 12 ms, plan 30 ms, ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, (name, took)) in self.phases.iter().enumerate() {
            let separator = if n == 0 { "" } else { ", " };
            write!(f, "{separator}{name} {:.1} ms", took.as_secs_f64() * 1000.0)?;
        }
        Ok(())
    }
}
