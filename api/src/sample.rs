//! The sample group loaded by `caucus demo`: a realistic Labour group on
//! Newham Council, its members first and then its decisions, so a newcomer
//! sees the product with real-looking work in it.

use chrono::{Duration, Local, NaiveDate};
use uuid::Uuid;

use crate::domain::{
    Classification, GroupId, LongText, Note, Role, Title,
    decision::{Decision, DecisionCommand, DecisionDraft, ProgressReport, ProgressStatus, TakenBy, Votes},
    member::{Email, Member, MemberCommand, MemberProfile, PhotoUrl},
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

/// The sample members: invented councillors in real Newham wards. Contact
/// details use reserved example addresses and Ofcom's drama numbers.
struct SampleMember {
    name: &'static str,
    ward: &'static str,
    biography: Option<&'static str>,
    /// Days ago and why, for a member who has left the group.
    left: Option<(i64, &'static str)>,
}

const MEMBERS: &[SampleMember] = &[
    SampleMember {
        name: "Amina Begum",
        ward: "Canning Town North",
        biography: Some("Group Leader. A former housing officer, first elected in 2018."),
        left: None,
    },
    SampleMember {
        name: "James Okafor",
        ward: "Stratford",
        biography: Some("Deputy Leader and Cabinet Member for Regeneration."),
        left: None,
    },
    SampleMember {
        name: "Priya Sharma",
        ward: "Forest Gate North",
        biography: Some("Chief Whip. A primary school governor and trade union rep."),
        left: None,
    },
    SampleMember { name: "Mohammed Rahman", ward: "East Ham", biography: None, left: None },
    SampleMember {
        name: "Sarah O'Connell",
        ward: "Plaistow South",
        biography: Some("Group Secretary. Works in the NHS as a community nurse."),
        left: None,
    },
    SampleMember { name: "Tunde Adeyemi", ward: "Beckton", biography: None, left: None },
    SampleMember {
        name: "Fatima Hussain",
        ward: "Custom House",
        biography: Some("Cabinet Member for Children and Young People."),
        left: None,
    },
    SampleMember { name: "Imran Chowdhury", ward: "Green Street East", biography: None, left: None },
    SampleMember {
        name: "Helen Whitmore",
        ward: "Manor Park",
        biography: Some("Group Treasurer. Chairs the Audit Committee."),
        left: None,
    },
    SampleMember { name: "Rajesh Patel", ward: "Little Ilford", biography: None, left: None },
    SampleMember { name: "Grace Mensah", ward: "West Ham", biography: None, left: None },
    SampleMember { name: "Daniel Kowalski", ward: "Boleyn", biography: None, left: None },
    SampleMember { name: "Shabana Akhtar", ward: "Wall End", biography: None, left: None },
    SampleMember { name: "Michael Brennan", ward: "Royal Albert", biography: None, left: None },
    SampleMember { name: "Nadia Islam", ward: "Maryland", biography: None, left: None },
    SampleMember { name: "Oliver Thompson", ward: "Stratford Olympic Park", biography: None, left: None },
    SampleMember { name: "Joyce Nwosu", ward: "Plaistow North", biography: None, left: None },
    SampleMember { name: "Harjit Singh Gill", ward: "East Ham South", biography: None, left: None },
    SampleMember { name: "Lucy Adebayo", ward: "Forest Gate South", biography: None, left: None },
    SampleMember {
        name: "Kamal Uddin",
        ward: "Canning Town South",
        biography: None,
        left: Some((50, "Resigned the Labour whip to sit as an independent councillor")),
    },
];

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
    for (n, sample) in MEMBERS.iter().enumerate() {
        let id = Uuid::now_v7().to_string();
        let handle: String = sample
            .name
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('.'),
                c if c.is_ascii_alphabetic() => Some(c),
                _ => None,
            })
            .collect();
        let profile = MemberProfile {
            name: title(sample.name),
            ward: title(sample.ward),
            email: Some(
                Email::parse(&format!("cllr.{handle}@example.org"))
                    .unwrap_or_else(|e| panic!("sample email: {e}")),
            ),
            phone: Some(title(&format!("020 7946 0{:03}", n + 100))),
            photo_url: Some(
                PhotoUrl::parse(&format!("https://example.org/members/{handle}.jpg"))
                    .unwrap_or_else(|e| panic!("sample photo: {e}")),
            ),
            biography: sample
                .biography
                .map(|b| LongText::parse(b).unwrap_or_else(|e| panic!("sample biography: {e}"))),
        };
        let mut commands =
            vec![MemberCommand::JoinGroup { group_id: group_id.clone(), profile: Box::new(profile) }];
        if let Some((days_ago, reason)) = sample.left {
            commands.push(MemberCommand::LeaveGroup { on: day(days_ago), reason: note(reason) });
        }
        for (n, command) in commands.into_iter().enumerate() {
            let expectation = if n == 0 { Expectation::New } else { Expectation::Existing(None) };
            bus.execute::<Member>(&id, command, &context, expectation)
                .await
                .map_err(|e| StoreError::Inconsistent(format!("sample member {}: {e}", sample.name)))?;
        }
    }
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
    Ok(true)
}
