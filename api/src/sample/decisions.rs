//! The sample group's decisions, with their progress and outcomes.

use uuid::Uuid;

use crate::domain::{
    Classification, LongText,
    decision::{Decision, DecisionCommand, DecisionDraft, ProgressReport, ProgressStatus, TakenBy, Votes},
};
use crate::store::StoreError;

use super::{Loader, note, title};

/// A sample decision: title, text, days ago, classification, whether the
/// Group Officers took it, progress notes (days ago, note, status, percent),
/// and how it ended.
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

/// Loads the decisions; returns their ids in table order.
pub(super) async fn load(loader: &Loader<'_>) -> Result<Vec<Uuid>, StoreError> {
    let mut ids = Vec::new();
    for sample in DECISIONS {
        let decided_on = loader.day(sample.days_ago);
        let draft = DecisionDraft {
            title: title(sample.title),
            text: LongText::parse(sample.text).unwrap_or_else(|e| panic!("sample text: {e}")),
            decided_on,
            taken_by: if sample.officers {
                TakenBy::GroupOfficers
            } else {
                TakenBy::GroupMeeting {
                    meeting: title(&format!("Group meeting {decided_on}")),
                    meeting_item: None,
                }
            },
            votes: (!sample.officers).then_some(Votes { r#for: 41, against: 6, abstain: 3 }),
            classification: sample.classification,
            review_on: Some(loader.day(sample.days_ago - 90)),
        };
        let mut commands = vec![DecisionCommand::RecordDecision {
            group_id: loader.context.group_id.clone(),
            draft: Box::new(draft),
        }];
        for (days_ago, text, status, percent) in sample.progress {
            commands.push(DecisionCommand::ReportDecisionProgress(ProgressReport {
                on: loader.day(*days_ago),
                note: note(text),
                status: *status,
                percent_complete: *percent,
            }));
        }
        match sample.outcome {
            Outcome::InForce => {}
            Outcome::Implemented(days_ago) => {
                commands.push(DecisionCommand::MarkDecisionImplemented { on: loader.day(days_ago) })
            }
            Outcome::Rescinded(reason) => {
                commands.push(DecisionCommand::RescindDecision { reason: note(reason) })
            }
        }
        let id = Uuid::now_v7();
        loader.run::<Decision>(id, commands, sample.title).await?;
        ids.push(id);
    }
    Ok(ids)
}
