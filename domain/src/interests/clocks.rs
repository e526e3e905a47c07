//! The 28-day clocks of the Localism Act 2011 s.30: a member registers their
//! interests within 28 days of taking office, and (the group's practice, as
//! the LGA model code asks) each new interest within 28 days of it arising.
//! Computed from the records that start them and the register that stops
//! them, never stored, so a correction to either is seen at once.

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::{entry::Category, register::Register};
use crate::group_event::HOSPITALITY_REGISTRATION_DAYS;

/// Days a member has to register an interest: the same 28 as hospitality's.
pub const REGISTRATION_DAYS: u64 = HOSPITALITY_REGISTRATION_DAYS.unsigned_abs();

/// What started a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockCause {
    /// The member joined the group (their induction's joining day).
    Joined,
    /// An appointment to an outside body.
    Appointment {
        /// The appointment.
        appointment_id: Uuid,
        /// The outside body.
        body_id: Uuid,
    },
    /// Hospitality at or over the threshold at a group event the member came to.
    Hospitality {
        /// The event.
        event_id: Uuid,
    },
}

/// One clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// What started it.
    pub cause: ClockCause,
    /// The day it started.
    pub starts_on: NaiveDate,
    /// The last day to register by.
    pub due_on: NaiveDate,
    /// Whether the register has what it asks for.
    pub met: bool,
}

impl Clock {
    /// Whether it has run out unmet on `today`.
    pub fn run_out_on(&self, today: NaiveDate) -> bool {
        !self.met && self.due_on < today
    }
}

/// What a member's clocks are computed from.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClockSources<'a> {
    /// Their register, if it was ever opened.
    pub register: Option<&'a Register>,
    /// The day they joined, if Caucus saw it (their induction's).
    pub joined_on: Option<NaiveDate>,
    /// Their appointments to outside bodies: (appointment, body, first day held).
    pub appointments: &'a [(Uuid, Uuid, NaiveDate)],
    /// The events whose hospitality they must register: (event, its last day).
    pub hospitality: &'a [(Uuid, NaiveDate)],
}

/// A member's clocks, met or not, in the order of their causes.
pub fn clocks(sources: &ClockSources<'_>) -> Vec<Clock> {
    let register = sources.register;
    let clock = |cause, starts_on: NaiveDate, met| Clock {
        cause,
        starts_on,
        due_on: starts_on.checked_add_days(Days::new(REGISTRATION_DAYS)).unwrap_or(NaiveDate::MAX),
        met,
    };
    let mut all = Vec::new();
    if let Some(joined_on) = sources.joined_on {
        // Any entry, "nothing to declare" included, shows the register was made.
        let met = register.is_some_and(|r| r.first_registered_on().is_some());
        all.push(clock(ClockCause::Joined, joined_on, met));
    }
    for &(appointment_id, body_id, starts_on) in sources.appointments {
        let categories = [Category::AppointedBody, Category::PublicFunctionBody];
        let met = register.is_some_and(|r| r.names_body(body_id, &categories));
        all.push(clock(ClockCause::Appointment { appointment_id, body_id }, starts_on, met));
    }
    for &(event_id, held_on) in sources.hospitality {
        let met = register.is_some_and(|r| r.names_event(event_id));
        all.push(clock(ClockCause::Hospitality { event_id }, held_on, met));
    }
    all
}
