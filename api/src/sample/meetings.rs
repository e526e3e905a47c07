//! The sample group's meetings: last month's group meeting (held, its papers
//! despatched with one late, attendance taken, minutes written),
//! the next group meeting, where they are to be approved, a Full Council meeting the
//! group prepares for, and the AGM with an election for Chief Whip.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::app;
use crate::domain::{
    Classification, LongText,
    action::ActionDraft,
    decision::{DecisionDraft, TakenBy},
    election::{Election, ElectionCommand, ElectionDraft},
    meeting::{
        AgendaItemDraft, Attendance, LinkKind, Meeting, MeetingCommand, MeetingDraft, MeetingKind,
        PaperDraft, RecordLink, Venue,
    },
};
use crate::store::StoreError;

use super::{Loader, long_text, note, sample_member_id, title};

/// 18:30 on `day`, UTC: when the group meets.
fn evening(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(18, 30, 0).unwrap_or_default().and_utc()
}

fn town_hall(day: NaiveDate) -> Venue {
    Venue {
        starts_at: evening(day),
        ends_at: Some(evening(day) + chrono::Duration::hours(2)),
        place: Some(title("Committee Room 1, Newham Town Hall, East Ham")),
        online_link: Some(note("https://meet.example/newham-labour")),
    }
}

fn schedule(
    loader: &Loader<'_>,
    kind: MeetingKind,
    name: &str,
    venue: Venue,
    classification: Classification,
) -> MeetingCommand {
    MeetingCommand::ScheduleMeeting {
        group_id: loader.context.group_id.clone(),
        draft: Box::new(MeetingDraft {
            kind,
            title: title(name),
            venue,
            classification,
            quorum: Some(5),
            papers_clear_days: 5,
        }),
    }
}

fn item(
    id: Uuid,
    name: &str,
    description: &str,
    presenter: Option<usize>,
    links: Vec<RecordLink>,
) -> MeetingCommand {
    MeetingCommand::AddAgendaItem {
        item_id: id,
        item: Box::new(AgendaItemDraft {
            title: title(name),
            description: Some(
                LongText::parse(description).unwrap_or_else(|e| panic!("sample item {name}: {e}")),
            ),
            presenter_id: presenter.map(sample_member_id),
            classification: Classification::Group,
            links,
            report_back: None,
        }),
    }
}

fn paper(item_id: Uuid, name: &str, link: &str) -> MeetingCommand {
    MeetingCommand::AttachPaper {
        item_id,
        paper_id: Uuid::now_v7(),
        paper: PaperDraft {
            title: title(name),
            link: Some(note(link)),
            file: None,
            classification: Classification::Group,
        },
    }
}

fn minutes(item_id: Uuid, text: &str) -> MeetingCommand {
    MeetingCommand::RecordMinutes {
        item_id,
        text: LongText::parse(text).unwrap_or_else(|e| panic!("sample minutes: {e}")),
    }
}

/// Loads the meetings; `decisions` are the sample decisions' ids, `bodies` the
/// sample bodies' names and ids. Returns the coming Full Council's id and start.
pub(super) async fn load(
    loader: &Loader<'_>,
    decisions: &[Uuid],
    bodies: &[(&'static str, Uuid)],
) -> Result<(Uuid, DateTime<Utc>), StoreError> {
    let (last, next, council, agm) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let last_day = loader.day(28);
    let budget_decision: Vec<RecordLink> =
        decisions.get(2).map(|id| RecordLink { kind: LinkKind::Decision, id: *id }).into_iter().collect();

    // Last month's group meeting: held, one paper late, minutes approved at the next.
    let (apologies, budget, library) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let despatched_on_time = evening(loader.day(38));
    let despatched_late = evening(loader.day(30));
    loader
        .run::<Meeting>(
            last,
            vec![
                schedule(
                    loader,
                    MeetingKind::GroupMeeting,
                    "Group meeting",
                    town_hall(last_day),
                    Classification::Group,
                ),
                MeetingCommand::ConfirmMeeting,
                item(
                    apologies,
                    "Apologies and declarations of interest",
                    "Members' apologies and any interests to declare.",
                    None,
                    vec![],
                ),
                item(
                    budget,
                    "Budget 2027/28: the group's position",
                    "The Cabinet Member for Finance briefs the group on the draft budget.",
                    Some(2),
                    budget_decision,
                ),
                item(
                    library,
                    "Canning Town library",
                    "Progress on the campaign against the closure.",
                    Some(5),
                    vec![],
                ),
                paper(
                    budget,
                    "Draft budget briefing",
                    "https://docs.example/newham-labour/budget-briefing.pdf",
                ),
                MeetingCommand::DespatchPapers {
                    at: despatched_on_time,
                    to: vec![title("All group members")],
                },
                paper(
                    library,
                    "Community management options",
                    "https://docs.example/newham-labour/library-options.pdf",
                ),
                MeetingCommand::DespatchPapers { at: despatched_late, to: vec![title("All group members")] },
                MeetingCommand::RecordAttendance {
                    entries: (1..=12)
                        .map(|n| {
                            (
                                sample_member_id(n),
                                if n % 5 == 0 { Attendance::Apologies } else { Attendance::Present },
                            )
                        })
                        .collect(),
                },
                MeetingCommand::MarkMeetingHeld,
                minutes(
                    apologies,
                    "Apologies were received from Cllrs 5 and 10. No interests were declared.",
                ),
                minutes(
                    budget,
                    "The group agreed to support the draft budget subject to protecting youth services.",
                ),
                minutes(library, "The group noted progress and thanked the campaign volunteers."),
            ],
            "last group meeting",
        )
        .await?;

    // What the group decided and agreed under the library item, recorded from
    // it as the office would: each names the item, and the item links back.
    let scope = loader.scope();
    let backing = DecisionDraft {
        title: title("Back a community-run Canning Town library"),
        text: long_text(
            "The group will support the Friends of Canning Town Library's bid to run the library \
             as a community library if the Cabinet confirms the closure.",
        ),
        decided_on: last_day,
        taken_by: TakenBy::GroupOfficers,
        votes: None,
        classification: Classification::Group,
        review_on: None,
    };
    app::meetings::record_decision(
        &scope,
        loader.bus,
        &loader.context,
        last,
        library,
        Uuid::now_v7(),
        backing,
    )
    .await
    .map_err(Loader::failed("library decision"))?;
    let letter = ActionDraft {
        title: title("Write to the Friends of Canning Town Library offering the group's support"),
        description: None,
        owner_id: sample_member_id(5),
        due_on: last_day + chrono::Duration::days(14),
        decision_id: None,
        meeting_item: None,
        classification: Classification::Group,
    };
    app::meetings::create_action(&scope, loader.bus, &loader.context, last, library, Uuid::now_v7(), letter)
        .await
        .map_err(Loader::failed("library action"))?;

    // Next week's group meeting: confirmed; it will approve last month's minutes.
    let next_day = loader.day(-7);
    let approval = Uuid::now_v7();
    loader
        .run::<Meeting>(
            next,
            vec![
                schedule(
                    loader,
                    MeetingKind::GroupMeeting,
                    "Group meeting",
                    town_hall(next_day),
                    Classification::Group,
                ),
                MeetingCommand::ConfirmMeeting,
                item(
                    approval,
                    "Minutes of the last meeting",
                    "To approve the minutes of the last group meeting.",
                    None,
                    vec![],
                ),
                item(
                    Uuid::now_v7(),
                    "Full Council: motions and the whip",
                    "The Chief Whip sets out the group's position on the motions for Full Council.",
                    Some(3),
                    vec![],
                ),
            ],
            "next group meeting",
        )
        .await?;
    // Full Council, public: the group prepares for it.
    let council_day = loader.day(-14);
    let council_at = council_day.and_hms_opt(19, 0, 0).unwrap_or_default().and_utc();
    let council_venue = Venue {
        starts_at: council_at,
        ends_at: None,
        place: Some(title("Council Chamber, Old Town Hall, Stratford")),
        online_link: Some(note("https://www.newham.gov.uk/council-meetings/live")),
    };
    loader
        .run::<Meeting>(
            council,
            vec![
                schedule(
                    loader,
                    MeetingKind::FullCouncil,
                    "Full Council",
                    council_venue,
                    Classification::Public,
                ),
                MeetingCommand::ConfirmMeeting,
            ],
            "Full Council",
        )
        .await?;

    // The AGM, tentative, with an election for Chief Whip taking nominations.
    let agm_day = loader.day(-35);
    loader
        .run::<Meeting>(
            agm,
            vec![schedule(
                loader,
                MeetingKind::Agm,
                "Annual General Meeting",
                town_hall(agm_day),
                Classification::Group,
            )],
            "AGM",
        )
        .await?;
    if let Some((_, chief_whip)) = bodies.iter().find(|(name, _)| *name == "Chief Whip") {
        let term_starts_on = loader.day(-42);
        loader
            .run::<Election>(
                Uuid::now_v7(),
                vec![
                    ElectionCommand::OpenElection {
                        group_id: loader.context.group_id.clone(),
                        draft: Box::new(ElectionDraft {
                            body_id: *chief_whip,
                            meeting_id: Some(agm),
                            title: title("Chief Whip, the coming municipal year"),
                            term_starts_on,
                            term_ends_on: Some(term_starts_on + chrono::Duration::days(364)),
                            classification: Classification::Group,
                        }),
                    },
                    ElectionCommand::NominateCandidate { member_id: sample_member_id(3) },
                    ElectionCommand::NominateCandidate { member_id: sample_member_id(8) },
                ],
                "Chief Whip election",
            )
            .await?;
    }
    Ok((council, council_at))
}
