//! The sample group's actions: some done, some on track, some overdue, one
//! re-dated and one dropped, so the overdue lists and the report back have
//! something to show.

use uuid::Uuid;

use crate::domain::{
    Classification,
    action::{Action, ActionCommand, ActionDraft},
};
use crate::store::StoreError;

use super::{Loader, note, sample_member_id, title};

/// What became of a sample action.
enum Fate {
    /// Still open.
    Open,
    /// Completed this many days ago.
    Done(i64),
    /// Dropped, for this reason.
    Dropped(&'static str),
}

/// One sample action: its title, owner (member number), the decision it
/// implements (index into the decisions table), due date (days from today;
/// negative is past), an optional re-dating, progress notes and its fate.
struct SampleAction {
    title: &'static str,
    owner: usize,
    decision: Option<usize>,
    due_in_days: i64,
    rescheduled: Option<(i64, &'static str)>,
    progress: &'static [(i64, &'static str)],
    fate: Fate,
}

const ACTIONS: &[SampleAction] = &[
    SampleAction {
        title: "Table the library motion for Full Council",
        owner: 1,
        decision: Some(0),
        due_in_days: -70,
        rescheduled: None,
        progress: &[(75, "Motion drafted with the Cabinet Member for Culture")],
        fate: Fate::Done(62),
    },
    SampleAction {
        title: "Book drop-in sessions on the 20 mph consultation in every ward",
        owner: 11,
        decision: Some(1),
        due_in_days: -10,
        rescheduled: Some((-40, "Council officers delayed the consultation materials")),
        progress: &[(30, "Nine of twenty-four wards booked")],
        fate: Fate::Open,
    },
    SampleAction {
        title: "Brief members on the budget position before Full Council",
        owner: 9,
        decision: Some(2),
        due_in_days: 6,
        rescheduled: None,
        progress: &[],
        fate: Fate::Open,
    },
    SampleAction {
        title: "Circulate the whipping note for the Local Plan vote",
        owner: 3,
        decision: Some(3),
        due_in_days: -2,
        rescheduled: None,
        progress: &[],
        fate: Fate::Open,
    },
    SampleAction {
        title: "Send the Stratford regeneration consultation response",
        owner: 2,
        decision: Some(6),
        due_in_days: -40,
        rescheduled: None,
        progress: &[(50, "Draft circulated to ward members")],
        fate: Fate::Done(36),
    },
    SampleAction {
        title: "Book media training for cabinet members",
        owner: 5,
        decision: Some(5),
        due_in_days: -25,
        rescheduled: None,
        progress: &[(30, "Trainer unavailable until the new year")],
        fate: Fate::Open,
    },
    SampleAction {
        title: "Draft revised standing orders for the AGM",
        owner: 5,
        decision: Some(7),
        due_in_days: 12,
        rescheduled: None,
        progress: &[(20, "First draft with Group Officers")],
        fate: Fate::Open,
    },
    SampleAction {
        title: "Get a third printing quote for the residents' newsletter",
        owner: 9,
        decision: Some(11),
        due_in_days: 9,
        rescheduled: None,
        progress: &[],
        fate: Fate::Open,
    },
    SampleAction {
        title: "Arrange the away day venue",
        owner: 5,
        decision: Some(10),
        due_in_days: -200,
        rescheduled: None,
        progress: &[],
        fate: Fate::Dropped("The away day was replaced by an evening seminar"),
    },
    SampleAction {
        title: "Follow up residents' complaints about fly-tipping in Beckton",
        owner: 6,
        decision: None,
        due_in_days: -5,
        rescheduled: None,
        progress: &[(8, "Raised with the Cabinet Member for Environment")],
        fate: Fate::Open,
    },
    SampleAction {
        title: "Write to the Secretary of State on free school meals",
        owner: 7,
        decision: Some(9),
        due_in_days: -150,
        rescheduled: None,
        progress: &[],
        fate: Fate::Done(148),
    },
    SampleAction {
        title: "Prepare questions for the next Scrutiny meeting on temporary accommodation",
        owner: 4,
        decision: None,
        due_in_days: 3,
        rescheduled: None,
        progress: &[],
        fate: Fate::Open,
    },
];

/// Loads the actions, linking them to the decisions (by table index).
pub(super) async fn load(loader: &Loader<'_>, decisions: &[Uuid]) -> Result<(), StoreError> {
    for sample in ACTIONS {
        let original_due = sample.rescheduled.map_or(sample.due_in_days, |(earlier, _)| earlier);
        let draft = ActionDraft {
            title: title(sample.title),
            description: None,
            owner_id: sample_member_id(sample.owner),
            due_on: loader.day(-original_due),
            decision_id: sample.decision.and_then(|i| decisions.get(i).copied()),
            classification: Classification::Group,
            meeting_item: None,
        };
        let mut commands = vec![ActionCommand::CreateAction {
            group_id: loader.context.group_id.clone(),
            draft: Box::new(draft),
        }];
        if let Some((_, reason)) = sample.rescheduled {
            commands.push(ActionCommand::RescheduleAction {
                due_on: loader.day(-sample.due_in_days),
                reason: note(reason),
            });
        }
        for (days_ago, text) in sample.progress {
            commands.push(ActionCommand::NoteActionProgress { on: loader.day(*days_ago), note: note(text) });
        }
        match sample.fate {
            Fate::Open => {}
            Fate::Done(days_ago) => {
                commands.push(ActionCommand::CompleteAction { on: loader.day(days_ago), note: None })
            }
            Fate::Dropped(reason) => commands.push(ActionCommand::CancelAction { reason: note(reason) }),
        }
        loader.run::<Action>(Uuid::now_v7(), commands, sample.title).await?;
    }
    Ok(())
}
