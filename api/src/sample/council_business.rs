//! The sample group's council business: items of the council's forward plan
//! the group tracks, last month's Full Council with a motion decided on a
//! recorded vote (one member against the whip), and the motions and a
//! question for the coming Full Council, with briefing and speaking notes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use crate::domain::{
    Classification, WorkingDays,
    briefing::{Briefing, BriefingCommand, BriefingDraft, BriefingKind, BriefingSubject},
    forward_plan::{ForwardPlanCommand, ForwardPlanItem, PlanEntry},
    meeting::{Meeting, MeetingCommand, MeetingDraft, MeetingKind, Venue},
    motion::{
        MemberVote, Motion, MotionCommand, MotionDraft, MotionKind, MotionOrigin, MotionOutcome,
        SubmissionDeadline, VoteCounts, VoteOption, WhipPosition,
    },
};
use crate::store::StoreError;

use super::{Loader, long_text as text, note, sample_member_id, title};

/// 19:00 on `day`, UTC: when Full Council meets.
fn council_evening(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(19, 0, 0).unwrap_or_default().and_utc()
}

/// An item of the council's forward plan the group tracks.
struct PlannedItem {
    title: &'static str,
    decision_maker: &'static str,
    in_days: i64,
    key_decision: bool,
    wards: &'static [&'static str],
    portfolio: &'static str,
    /// The group's agreed position, if it has one yet.
    position: Option<&'static str>,
}

const PLAN: &[PlannedItem] = &[
    PlannedItem {
        title: "Local Plan: regulation 19 consultation",
        decision_maker: "Cabinet",
        in_days: 21,
        key_decision: true,
        wards: &["Stratford", "Canning Town North"],
        portfolio: "Regeneration",
        position: Some("Support, with the affordable housing target kept at 50%"),
    },
    PlannedItem {
        title: "Library service review",
        decision_maker: "Cabinet",
        in_days: 35,
        key_decision: true,
        wards: &["Canning Town North", "Custom House"],
        portfolio: "Culture",
        position: None,
    },
    PlannedItem {
        title: "Fees and charges 2027/28",
        decision_maker: "Cabinet Member for Finance",
        in_days: 10,
        key_decision: false,
        wards: &[],
        portfolio: "Finance",
        position: None,
    },
];

fn record(
    loader: &Loader<'_>,
    kind: MotionKind,
    name: &str,
    body: &str,
    origin: MotionOrigin,
    meeting: Uuid,
) -> MotionCommand {
    MotionCommand::RecordMotion(Box::new(MotionDraft {
        group_id: loader.context.group_id.clone(),
        kind,
        title: title(name),
        text: text(body),
        origin,
        meeting_id: meeting,
        directed_to: (kind == MotionKind::Question).then(|| title("Cabinet Member for Culture")),
        classification: Classification::Group,
        case_ids: Vec::new(),
    }))
}

fn ours(proposer: usize, seconder: Option<usize>) -> MotionOrigin {
    MotionOrigin::Group {
        proposer_id: sample_member_id(proposer),
        seconder_id: seconder.map(sample_member_id),
    }
}

fn submit(starts_at: DateTime<Utc>, days_before: i64) -> MotionCommand {
    MotionCommand::SubmitMotion {
        at: starts_at - Duration::days(days_before),
        deadline: SubmissionDeadline::default().for_meeting(starts_at, &WorkingDays::default()),
    }
}

/// Loads it; `next_council` is the coming Full Council's id.
pub(super) async fn load(
    loader: &Loader<'_>,
    next_council: Uuid,
    next_council_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut plan_items = Vec::new();
    for planned in PLAN {
        let id = Uuid::now_v7();
        let mut commands = vec![ForwardPlanCommand::EnterForwardPlanItem {
            group_id: loader.context.group_id.clone(),
            entry: Box::new(PlanEntry {
                title: title(planned.title),
                decision_maker: title(planned.decision_maker),
                expected_on: loader.day(-planned.in_days),
                key_decision: planned.key_decision,
                wards: planned.wards.iter().map(|w| title(w)).collect(),
                portfolio: Some(title(planned.portfolio)),
                reference: None,
            }),
            classification: Classification::Public,
        }];
        if let Some(position) = planned.position {
            commands.push(ForwardPlanCommand::AgreeGroupPosition { position: note(position) });
        }
        loader.run::<ForwardPlanItem>(id, commands, planned.title).await?;
        plan_items.push(id);
    }

    // Last month's Full Council: held; the group's motion carried, one member voting against the whip.
    let last_council = Uuid::now_v7();
    let last_at = council_evening(loader.day(30));
    loader
        .run::<Meeting>(
            last_council,
            vec![
                MeetingCommand::ScheduleMeeting {
                    group_id: loader.context.group_id.clone(),
                    draft: Box::new(MeetingDraft {
                        kind: MeetingKind::FullCouncil,
                        title: title("Full Council"),
                        venue: Venue {
                            starts_at: last_at,
                            ends_at: None,
                            place: Some(title("Council Chamber, Old Town Hall, Stratford")),
                            online_link: None,
                        },
                        classification: Classification::Public,
                        quorum: None,
                        papers_clear_days: 5,
                    }),
                },
                MeetingCommand::ConfirmMeeting,
                MeetingCommand::MarkMeetingHeld,
            ],
            "last Full Council",
        )
        .await?;
    let votes = (1..=16)
        .map(|n| MemberVote {
            member_id: sample_member_id(n),
            option: match n {
                6 => VoteOption::No,
                11 => VoteOption::Absent,
                _ => VoteOption::Yes,
            },
        })
        .collect();
    loader
        .run::<Motion>(
            Uuid::now_v7(),
            vec![
                record(
                    loader,
                    MotionKind::Motion,
                    "A real living wage for council contractors",
                    "This council resolves to require every contractor to pay the Real Living Wage by April.",
                    ours(2, Some(7)),
                    last_council,
                ),
                submit(last_at, 14),
                MotionCommand::TableMotion,
                MotionCommand::SetWhip { position: WhipPosition::For, note: Some(note("Three-line whip")) },
                MotionCommand::RecordOutcome {
                    outcome: MotionOutcome::Carried,
                    counts: Some(VoteCounts { yes: 49, no: 8, abstain: 1, absent: 3 }),
                    votes,
                },
            ],
            "living wage motion",
        )
        .await?;

    // The coming Full Council: the group's motion tabled and whipped, another group's
    // motion the group opposes, and a question for the Cabinet Member.
    let libraries = Uuid::now_v7();
    loader
        .run::<Motion>(
            libraries,
            vec![
                record(
                    loader,
                    MotionKind::Motion,
                    "Keep Canning Town library open",
                    "This council notes the strength of feeling in Canning Town and resolves to keep the library open six days a week.",
                    ours(5, Some(1)),
                    next_council,
                ),
                submit(next_council_at, 16),
                MotionCommand::TableMotion,
                MotionCommand::SetWhip { position: WhipPosition::For, note: None },
            ],
            "library motion",
        )
        .await?;
    loader
        .run::<Motion>(
            Uuid::now_v7(),
            vec![
                record(
                    loader,
                    MotionKind::Motion,
                    "Scrap the low traffic neighbourhoods",
                    "This council resolves to remove every low traffic neighbourhood in the borough.",
                    MotionOrigin::Other { mover: title("Cllr Graham Ellis (Conservative)") },
                    next_council,
                ),
                MotionCommand::SetWhip {
                    position: WhipPosition::Against,
                    note: Some(note("Cite the air quality figures for Forest Gate")),
                },
            ],
            "opposition motion",
        )
        .await?;
    loader
        .run::<Motion>(
            Uuid::now_v7(),
            vec![
                record(
                    loader,
                    MotionKind::Question,
                    "Saturday opening at Beckton library",
                    "Will the Cabinet Member say when Saturday opening will return to Beckton library?",
                    ours(6, None),
                    next_council,
                ),
                submit(next_council_at, 16),
            ],
            "question",
        )
        .await?;

    // Notes: the mover's speaking note, revised once, and a briefing on the library review.
    loader
        .run::<Briefing>(
            Uuid::now_v7(),
            vec![
                BriefingCommand::WriteBriefing(Box::new(BriefingDraft {
                    group_id: loader.context.group_id.clone(),
                    kind: BriefingKind::SpeakingNote,
                    subject: BriefingSubject::Motion { motion_id: libraries },
                    for_member_id: Some(sample_member_id(5)),
                    title: title("Canning Town library: moving the motion"),
                    body: text("Thank you, Mr Mayor. 1,200 residents signed the petition in three weeks."),
                    classification: Classification::Group,
                })),
                BriefingCommand::ReviseBriefing {
                    title: title("Canning Town library: moving the motion"),
                    body: text(
                        "Thank you, Mr Mayor. **1,400 residents** signed the petition in four weeks; \
                         visits are up 12% on last year.",
                    ),
                    reason: Some(note("Latest petition and visitor figures")),
                },
            ],
            "speaking note",
        )
        .await?;
    if let Some(review) = plan_items.get(1) {
        loader
            .run::<Briefing>(
                Uuid::now_v7(),
                vec![BriefingCommand::WriteBriefing(Box::new(BriefingDraft {
                    group_id: loader.context.group_id.clone(),
                    kind: BriefingKind::Briefing,
                    subject: BriefingSubject::ForwardPlanItem { forward_plan_item_id: *review },
                    for_member_id: None,
                    title: title("Library service review: what we know"),
                    body: text(
                        "Officers are expected to propose community management for two branches. \
                         The group's manifesto commits to keeping every branch open.",
                    ),
                    classification: Classification::Officers,
                }))],
                "library review briefing",
            )
            .await?;
    }
    Ok(())
}
