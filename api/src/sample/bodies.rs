//! The sample group's posts, committees and outside bodies, with who holds
//! which seat (and two vacancies).

use chrono::Duration;
use uuid::Uuid;

use crate::app::seats;
use crate::domain::{
    Classification,
    appointment::{Appointment, AppointmentCommand, EndReason, Nomination},
    body::{Body, BodyCommand, BodyKind, TrainingGate},
};
use crate::store::StoreError;

use super::{Loader, note, sample_member_id, title};

/// One sample appointment: the member, the post held, and the term as days
/// from today (negative is past).
struct SampleAppointment {
    member: usize,
    role_title: Option<&'static str>,
    ends_in_days: i64,
    held: Held,
}

/// How far a sample appointment has got.
enum Held {
    /// Confirmed and held.
    Current,
    /// Nominated, awaiting Annual Council.
    Nominated,
    /// Held, then given up this many days ago.
    Resigned(i64),
}

/// One sample body and its appointments.
struct SampleBody {
    name: &'static str,
    kind: BodyKind,
    seats: u16,
    description: &'static str,
    appointments: &'static [SampleAppointment],
}

const fn current(member: usize, ends_in_days: i64) -> SampleAppointment {
    SampleAppointment { member, role_title: None, ends_in_days, held: Held::Current }
}

const fn chair(member: usize, role_title: &'static str, ends_in_days: i64) -> SampleAppointment {
    SampleAppointment { member, role_title: Some(role_title), ends_in_days, held: Held::Current }
}

/// The municipal year ends at Annual Council, this many days from today.
const YEAR_END: i64 = 65;

const BODIES: &[SampleBody] = &[
    SampleBody {
        name: "Leader of the Group",
        kind: BodyKind::GroupPost,
        seats: 1,
        description: "Leads the group and, while Labour holds a majority, the council.",
        appointments: &[chair(1, "Leader", YEAR_END)],
    },
    SampleBody {
        name: "Deputy Leader of the Group",
        kind: BodyKind::GroupPost,
        seats: 1,
        description: "Deputises for the Leader.",
        appointments: &[chair(2, "Deputy Leader", YEAR_END)],
    },
    SampleBody {
        name: "Chief Whip",
        kind: BodyKind::GroupPost,
        seats: 1,
        description: "Keeps group discipline and manages attendance and voting.",
        appointments: &[chair(3, "Chief Whip", YEAR_END)],
    },
    SampleBody {
        name: "Group Secretary",
        kind: BodyKind::GroupPost,
        seats: 1,
        description: "Keeps the group's minutes and standing orders.",
        appointments: &[chair(4, "Secretary", 20)],
    },
    SampleBody {
        name: "Group Treasurer",
        kind: BodyKind::GroupPost,
        seats: 1,
        description: "Keeps the group's accounts.",
        appointments: &[chair(5, "Treasurer", 12)],
    },
    SampleBody {
        name: "Cabinet",
        kind: BodyKind::CouncilCommittee,
        seats: 10,
        description: "The executive: the Mayor's cabinet members.",
        appointments: &[
            chair(1, "Chair", YEAR_END),
            current(2, YEAR_END),
            current(6, YEAR_END),
            current(7, YEAR_END),
            current(8, YEAR_END),
            current(9, YEAR_END),
            current(10, YEAR_END),
            current(3, YEAR_END),
            current(4, YEAR_END),
            current(5, YEAR_END),
        ],
    },
    SampleBody {
        name: "Overview and Scrutiny Committee",
        kind: BodyKind::CouncilCommittee,
        seats: 9,
        description: "Scrutinises the executive's decisions and policies.",
        appointments: &[
            chair(11, "Chair", YEAR_END),
            chair(12, "Vice-Chair", YEAR_END),
            current(13, YEAR_END),
            current(14, YEAR_END),
            current(15, YEAR_END),
            current(16, YEAR_END),
            current(17, YEAR_END),
            current(18, YEAR_END),
            current(19, YEAR_END),
        ],
    },
    SampleBody {
        name: "Strategic Development Committee",
        kind: BodyKind::CouncilCommittee,
        seats: 8,
        description: "Decides the borough's largest planning applications.",
        appointments: &[
            chair(14, "Chair", YEAR_END),
            current(16, YEAR_END),
            current(18, YEAR_END),
            current(3, YEAR_END),
            current(4, YEAR_END),
            current(5, YEAR_END),
            current(17, YEAR_END),
        ],
    },
    SampleBody {
        name: "Licensing Committee",
        kind: BodyKind::CouncilCommittee,
        seats: 10,
        description: "Licences premises, taxis, street trading and gambling.",
        appointments: &[
            chair(11, "Chair", YEAR_END),
            current(12, YEAR_END),
            current(13, YEAR_END),
            current(14, YEAR_END),
            current(15, YEAR_END),
            current(16, YEAR_END),
            current(17, YEAR_END),
            current(18, YEAR_END),
            current(19, YEAR_END),
            SampleAppointment {
                member: 6,
                role_title: None,
                ends_in_days: YEAR_END,
                held: Held::Resigned(40),
            },
        ],
    },
    SampleBody {
        name: "Audit Board",
        kind: BodyKind::CouncilCommittee,
        seats: 5,
        description: "Oversees the council's accounts, audit and risk management.",
        appointments: &[
            chair(15, "Chair", YEAR_END),
            current(16, YEAR_END),
            current(17, YEAR_END),
            current(18, YEAR_END),
            SampleAppointment { member: 19, role_title: None, ends_in_days: YEAR_END, held: Held::Nominated },
        ],
    },
    SampleBody {
        name: "Newham Health and Wellbeing Board",
        kind: BodyKind::OutsideBody,
        seats: 2,
        description: "The statutory partnership of the council and the NHS in Newham.",
        appointments: &[current(6, 25), current(13, 25)],
    },
    SampleBody {
        name: "London Councils Transport and Environment Committee",
        kind: BodyKind::OutsideBody,
        seats: 1,
        description: "London's boroughs together on transport and the environment.",
        appointments: &[current(7, YEAR_END)],
    },
    SampleBody {
        name: "Lee Valley Regional Park Authority",
        kind: BodyKind::OutsideBody,
        seats: 1,
        description: "Runs the Lee Valley Regional Park.",
        appointments: &[current(12, 8)],
    },
    SampleBody {
        name: "East London NHS Foundation Trust governors",
        kind: BodyKind::OutsideBody,
        seats: 1,
        description: "The council's appointed governor of the mental health and community trust.",
        appointments: &[],
    },
];

/// The bodies that refuse a seat to a member without the training they
/// require; the rest warn.
const REFUSE_MISSING_TRAINING: &[&str] = &["Licensing Committee"];

/// Loads the bodies and their appointments; returns each body's name and id.
pub(super) async fn load(loader: &Loader<'_>) -> Result<Vec<(&'static str, Uuid)>, StoreError> {
    let mut ids = Vec::new();
    for sample in BODIES {
        let body_id = Uuid::now_v7();
        ids.push((sample.name, body_id));
        let establish = BodyCommand::EstablishBody {
            group_id: loader.context.group_id.clone(),
            name: title(sample.name),
            kind: sample.kind,
            seats: sample.seats,
            description: Some(note(sample.description)),
            classification: Classification::Public,
            training_gate: if REFUSE_MISSING_TRAINING.contains(&sample.name) {
                TrainingGate::Refuse
            } else {
                TrainingGate::Warn
            },
        };
        loader.run::<Body>(body_id, vec![establish], sample.name).await?;
        for appointment in sample.appointments {
            // Terms run a municipal year, from the last Annual Council.
            let ends_on = loader.day(-appointment.ends_in_days);
            let starts_on = ends_on - Duration::days(364);
            let nomination = Nomination {
                body_id,
                member_id: sample_member_id(appointment.member),
                role_title: appointment.role_title.map(title),
                term_starts_on: starts_on,
                term_ends_on: Some(ends_on),
                classification: match appointment.held {
                    Held::Nominated => Classification::Group,
                    Held::Current | Held::Resigned(_) => Classification::Public,
                },
            };
            let id = Uuid::now_v7();
            seats::nominate(&loader.scope(), loader.bus, &loader.context, (id, loader.day(0)), nomination)
                .await
                .map_err(Loader::failed(sample.name))?;
            let mut commands = Vec::new();
            if !matches!(appointment.held, Held::Nominated) {
                commands.push(AppointmentCommand::ConfirmAppointment { on: starts_on });
            }
            if let Held::Resigned(days_ago) = appointment.held {
                commands.push(AppointmentCommand::EndAppointment {
                    on: loader.day(days_ago),
                    reason: EndReason::Resigned,
                    note: Some(note("Stood down from the committee to care for a relative")),
                });
            }
            loader.run_on::<Appointment>(id, commands, sample.name).await?;
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_sample_body_is_overfilled_and_some_seats_are_vacant() {
        let vacant: Vec<&str> = BODIES
            .iter()
            .filter_map(|body| {
                let holding =
                    body.appointments.iter().filter(|a| !matches!(a.held, Held::Resigned(_))).count();
                assert!(holding <= usize::from(body.seats), "{} is overfilled", body.name);
                (holding < usize::from(body.seats)).then_some(body.name)
            })
            .collect();
        // The committee's free seat goes to a nomination the training sample makes.
        let vacancies = [
            "Strategic Development Committee",
            "Licensing Committee",
            "East London NHS Foundation Trust governors",
        ];
        assert_eq!(vacant, vacancies);
    }
}
