//! The sample group loaded by `caucus demo`: a realistic Labour group on
//! Newham Council, so a newcomer sees the product with real-looking work in it.

use chrono::{Duration, Local, NaiveDate};
use uuid::Uuid;

use crate::domain::{
    Classification, GroupId, LongText, Note, Role, Title,
    appointment::{Appointment, AppointmentCommand, EndReason, Nomination},
    body::{Body, BodyCommand, BodyKind},
    decision::{Decision, DecisionCommand, DecisionDraft, ProgressReport, ProgressStatus, TakenBy, Votes},
};
use crate::store::{
    Database, StoreError,
    command_bus::{CommandBus, CommandContext, Expectation},
};

/// The sample group's id.
pub const GROUP: &str = "newham-labour";
/// The sample group's name.
pub const GROUP_NAME: &str = "Newham Labour Group";

fn title(s: &str) -> Title {
    Title::parse(s).unwrap_or_else(|e| panic!("sample title {s:?}: {e}"))
}

fn note(s: &str) -> Note {
    Note::parse(s).unwrap_or_else(|e| panic!("sample note {s:?}: {e}"))
}

/// The sample decisions: title, text, days ago, classification, progress
/// notes (days ago, note, status, percent), and how it ended.
struct SampleDecision {
    title: &'static str,
    text: &'static str,
    days_ago: i64,
    classification: Classification,
    officers: bool,
    progress: &'static [(i64, &'static str, ProgressStatus, u8)],
    outcome: Outcome,
}

enum Outcome {
    InForce,
    Implemented(i64),
    Rescinded(&'static str),
}

const DECISIONS: &[SampleDecision] = &[
    SampleDecision {
        title: "Oppose the closure of Canning Town library",
        text: "The group will oppose the proposed closure of Canning Town library at Cabinet and Full Council, and will ask the Cabinet Member for Culture to bring forward options for community management.",
        days_ago: 120,
        classification: Classification::Public,
        officers: false,
        progress: &[
            (100, "Letter sent to the Cabinet Member for Culture", ProgressStatus::OnTrack, 30),
            (60, "Motion tabled for Full Council", ProgressStatus::OnTrack, 70),
        ],
        outcome: Outcome::Implemented(40),
    },
    SampleDecision {
        title: "Support the 20 mph default speed limit consultation",
        text: "The group supports a borough-wide consultation on a 20 mph default limit on residential roads, with ward councillors to host drop-in sessions.",
        days_ago: 95,
        classification: Classification::Public,
        officers: false,
        progress: &[(70, "Drop-in sessions held in 9 of 24 wards", ProgressStatus::AtRisk, 40)],
        outcome: Outcome::InForce,
    },
    SampleDecision {
        title: "Group position on the 2027/28 budget",
        text: "The group will support the draft budget subject to protecting youth services funding at current levels and reviewing the proposed increase in parking charges.",
        days_ago: 60,
        classification: Classification::Group,
        officers: false,
        progress: &[(45, "Briefing held with the Cabinet Member for Finance", ProgressStatus::OnTrack, 50)],
        outcome: Outcome::InForce,
    },
    SampleDecision {
        title: "Whipping arrangements for the Local Plan vote",
        text: "The Chief Whip will issue a three-line whip for the Local Plan vote at Full Council; members with a declared interest will be released.",
        days_ago: 40,
        classification: Classification::Officers,
        officers: true,
        progress: &[],
        outcome: Outcome::InForce,
    },
    SampleDecision {
        title: "Nominations to the Newham Health and Wellbeing Board",
        text: "The group nominates two members to the Health and Wellbeing Board, to be confirmed at Annual Council.",
        days_ago: 200,
        classification: Classification::Group,
        officers: false,
        progress: &[],
        outcome: Outcome::Implemented(180),
    },
    SampleDecision {
        title: "Councillor training plan for 2026/27",
        text: "The group adopts the training plan: planning committee training for all new members, media training for cabinet members, and safeguarding refreshers for all.",
        days_ago: 150,
        classification: Classification::Group,
        officers: false,
        progress: &[
            (120, "Planning training booked for 14 members", ProgressStatus::OnTrack, 40),
            (30, "Media training postponed: trainer unavailable", ProgressStatus::Blocked, 55),
        ],
        outcome: Outcome::InForce,
    },
    SampleDecision {
        title: "Response to the Stratford regeneration consultation",
        text: "The group will submit a response calling for at least 50% genuinely affordable homes and a community benefits agreement.",
        days_ago: 75,
        classification: Classification::Public,
        officers: false,
        progress: &[(50, "Draft response circulated to ward members", ProgressStatus::OnTrack, 80)],
        outcome: Outcome::Implemented(35),
    },
    SampleDecision {
        title: "Group standing orders review",
        text: "The Secretary will bring revised standing orders to the AGM, covering remote attendance and the election of the Chief Whip.",
        days_ago: 90,
        classification: Classification::Group,
        officers: false,
        progress: &[(30, "First draft with Group Officers", ProgressStatus::AtRisk, 25)],
        outcome: Outcome::InForce,
    },
    SampleDecision {
        title: "Handling of a complaint about a member's conduct",
        text: "The Leader and Chief Whip will meet the member concerned; the matter is not to be discussed outside Group Officers.",
        days_ago: 20,
        classification: Classification::Confidential,
        officers: true,
        progress: &[],
        outcome: Outcome::InForce,
    },
    SampleDecision {
        title: "Campaign for free school meals auto-enrolment",
        text: "The group backs auto-enrolment for free school meals and will ask the Cabinet to write to the Secretary of State.",
        days_ago: 180,
        classification: Classification::Public,
        officers: false,
        progress: &[(150, "Cabinet letter sent", ProgressStatus::OnTrack, 100)],
        outcome: Outcome::Implemented(140),
    },
    SampleDecision {
        title: "Group away day in Epping Forest",
        text: "The group will hold an away day at Epping Forest field centre on policy priorities for the second half of the term.",
        days_ago: 240,
        classification: Classification::Group,
        officers: false,
        progress: &[],
        outcome: Outcome::Rescinded("Venue unavailable; replaced by an evening seminar at the Town Hall"),
    },
    SampleDecision {
        title: "Group budget: allocation for the residents' newsletter",
        text: "The Treasurer will allocate £1,200 from the group budget for two editions of the residents' newsletter this year.",
        days_ago: 30,
        classification: Classification::Officers,
        officers: true,
        progress: &[(10, "Quotes received from two printers", ProgressStatus::OnTrack, 30)],
        outcome: Outcome::InForce,
    },
];

/// The id of the sample group's member number `n` (1-based). Ids are UUID v5
/// of `newham-labour/member/N` in the OID namespace; the sample members (added
/// separately) use the same scheme, so sample appointments name real members.
pub fn sample_member_id(n: usize) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("newham-labour/member/{n}").as_bytes())
}

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
            current(43, YEAR_END),
            current(44, YEAR_END),
            current(45, YEAR_END),
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
        seats: 7,
        description: "Decides the borough's largest planning applications.",
        appointments: &[
            chair(20, "Chair", YEAR_END),
            current(21, YEAR_END),
            current(22, YEAR_END),
            current(23, YEAR_END),
            current(24, YEAR_END),
            current(25, YEAR_END),
            current(26, YEAR_END),
        ],
    },
    SampleBody {
        name: "Licensing Committee",
        kind: BodyKind::CouncilCommittee,
        seats: 10,
        description: "Licences premises, taxis, street trading and gambling.",
        appointments: &[
            chair(27, "Chair", YEAR_END),
            current(28, YEAR_END),
            current(29, YEAR_END),
            current(30, YEAR_END),
            current(31, YEAR_END),
            current(32, YEAR_END),
            current(33, YEAR_END),
            current(34, YEAR_END),
            current(35, YEAR_END),
            SampleAppointment {
                member: 36,
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
            chair(37, "Chair", YEAR_END),
            current(38, YEAR_END),
            current(39, YEAR_END),
            current(40, YEAR_END),
            SampleAppointment { member: 41, role_title: None, ends_in_days: YEAR_END, held: Held::Nominated },
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
        appointments: &[current(42, 8)],
    },
    SampleBody {
        name: "East London NHS Foundation Trust governors",
        kind: BodyKind::OutsideBody,
        seats: 1,
        description: "The council's appointed governor of the mental health and community trust.",
        appointments: &[],
    },
];

/// Loads the sample bodies and their appointments.
async fn load_bodies(
    bus: &CommandBus,
    context: &CommandContext,
    day: impl Fn(i64) -> NaiveDate,
) -> Result<(), StoreError> {
    for sample in BODIES {
        let body_id = Uuid::now_v7();
        let establish = BodyCommand::EstablishBody {
            group_id: context.group_id.clone(),
            name: title(sample.name),
            kind: sample.kind,
            seats: sample.seats,
            description: Some(note(sample.description)),
            classification: Classification::Public,
        };
        bus.execute::<Body>(&body_id.to_string(), establish, context, Expectation::New)
            .await
            .map_err(|e| StoreError::Inconsistent(format!("sample body {}: {e}", sample.name)))?;
        for appointment in sample.appointments {
            // Terms run a municipal year, from the last Annual Council.
            let ends_on = day(-appointment.ends_in_days);
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
            let mut commands = vec![AppointmentCommand::NominateMember {
                group_id: context.group_id.clone(),
                nomination: Box::new(nomination),
            }];
            if !matches!(appointment.held, Held::Nominated) {
                commands.push(AppointmentCommand::ConfirmAppointment { on: starts_on });
            }
            if let Held::Resigned(days_ago) = appointment.held {
                commands.push(AppointmentCommand::EndAppointment {
                    on: day(days_ago),
                    reason: EndReason::Resigned,
                    note: Some(note("Stood down from the committee to care for a relative")),
                });
            }
            let id = Uuid::now_v7().to_string();
            for (n, command) in commands.into_iter().enumerate() {
                let expectation = if n == 0 { Expectation::New } else { Expectation::Existing(None) };
                bus.execute::<Appointment>(&id, command, context, expectation).await.map_err(|e| {
                    StoreError::Inconsistent(format!("sample appointment to {}: {e}", sample.name))
                })?;
            }
        }
    }
    Ok(())
}

/// Loads the sample group unless the store already holds events. Returns
/// whether it loaded.
pub async fn load_if_empty(db: &Database, bus: &CommandBus) -> Result<bool, StoreError> {
    if crate::store::records::count_events(db).await? > 0 {
        return Ok(false);
    }
    let group_id = GroupId::parse(GROUP).map_err(|e| StoreError::Inconsistent(e.to_string()))?;
    let context = CommandContext {
        actor: "sample-loader".into(),
        roles: vec![Role::Assistant],
        group_id: group_id.clone(),
        request_id: "sample".into(),
        idempotency_key: None,
    };
    let today = Local::now().date_naive();
    let day = |days_ago: i64| -> NaiveDate { today - Duration::days(days_ago) };
    for sample in DECISIONS {
        let id = Uuid::now_v7().to_string();
        let draft = DecisionDraft {
            title: title(sample.title),
            text: LongText::parse(sample.text).unwrap_or_else(|e| panic!("sample text: {e}")),
            decided_on: day(sample.days_ago),
            taken_by: if sample.officers {
                TakenBy::GroupOfficers
            } else {
                TakenBy::GroupMeeting { meeting: title(&format!("Group meeting {}", day(sample.days_ago))) }
            },
            votes: (!sample.officers).then_some(Votes { r#for: 41, against: 6, abstain: 3 }),
            classification: sample.classification,
            review_on: Some(day(sample.days_ago - 90)),
        };
        let mut commands =
            vec![DecisionCommand::RecordDecision { group_id: group_id.clone(), draft: Box::new(draft) }];
        for (days_ago, text, status, percent) in sample.progress {
            commands.push(DecisionCommand::ReportDecisionProgress(ProgressReport {
                on: day(*days_ago),
                note: note(text),
                status: *status,
                percent_complete: *percent,
            }));
        }
        match sample.outcome {
            Outcome::InForce => {}
            Outcome::Implemented(days_ago) => {
                commands.push(DecisionCommand::MarkDecisionImplemented { on: day(days_ago) })
            }
            Outcome::Rescinded(reason) => {
                commands.push(DecisionCommand::RescindDecision { reason: note(reason) })
            }
        }
        for (n, command) in commands.into_iter().enumerate() {
            let expectation = if n == 0 { Expectation::New } else { Expectation::Existing(None) };
            bus.execute::<Decision>(&id, command, &context, expectation)
                .await
                .map_err(|e| StoreError::Inconsistent(format!("sample decision {}: {e}", sample.title)))?;
        }
    }
    load_bodies(bus, &context, day).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_member_ids_are_stable_and_distinct() {
        assert_eq!(sample_member_id(1), sample_member_id(1));
        assert_ne!(sample_member_id(1), sample_member_id(2));
        assert_eq!(sample_member_id(7).get_version_num(), 5);
    }

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
        assert_eq!(vacant, vec!["Licensing Committee", "East London NHS Foundation Trust governors"]);
    }
}
