//! The report back: what the group decided in a period, what progress was
//! reported, what was done, and what is late or coming due, ready to go into
//! a group meeting's papers.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use crate::domain::{
    action::{Action, ActionStatus},
    appointment::Appointment,
    decision::Decision,
};

/// How many days after the period an action counts as "coming due".
pub const COMING_DUE_DAYS: u64 = 14;

/// The period a report covers, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

impl Period {
    /// The period a report is asked for: `to` defaults to `today`, `from` to
    /// 30 days before `to`; `from` must not be after `to`, and a period
    /// covers at most `caucus_wire::report_back::MAX_PERIOD_DAYS`.
    pub fn asked(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> Result<Self, String> {
        let max = caucus_wire::report_back::MAX_PERIOD_DAYS;
        let to = to.unwrap_or(today);
        let from = from.unwrap_or_else(|| to.checked_sub_days(Days::new(30)).unwrap_or(to));
        if from > to {
            return Err("from must not be after to".into());
        }
        if (to - from).num_days() > max {
            return Err(format!("a report covers at most {max} days"));
        }
        Ok(Self { from, to })
    }

    /// The period a plan is asked for: a year (less a day) from `from`, or
    /// to `to`, or from `today`; the same limits as [`Period::asked`].
    pub fn ahead(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> Result<Self, String> {
        let year = chrono::Months::new(12);
        let (from, to) = match (from, to) {
            (Some(from), Some(to)) => (from, to),
            (Some(from), None) => {
                (from, from.checked_add_months(year).and_then(|d| d.pred_opt()).unwrap_or(from))
            }
            (None, Some(to)) if to < today => {
                (to.checked_sub_months(year).and_then(|d| d.succ_opt()).unwrap_or(to), to)
            }
            (None, to) => {
                let year_on = today.checked_add_months(year).and_then(|d| d.pred_opt()).unwrap_or(today);
                (today, to.unwrap_or(year_on))
            }
        };
        Self::asked(Some(from), Some(to), today)
    }

    /// The day after it: what is open and overdue "as the period ends" is
    /// as of then.
    pub fn day_after(self) -> NaiveDate {
        self.to.checked_add_days(Days::new(1)).unwrap_or(self.to)
    }

    /// Whether `day` is in it.
    pub fn contains(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// A decision taken in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionTaken {
    /// The decision.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// The day it was taken.
    pub decided_on: NaiveDate,
    /// Its status word.
    pub status: &'static str,
}

/// A progress note dated in the period, on a decision or an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressItem {
    /// The decision or action.
    pub id: Uuid,
    /// `decision` or `action`.
    pub kind: &'static str,
    /// Its title.
    pub title: String,
    /// The day of the note.
    pub on: NaiveDate,
    /// The note.
    pub note: String,
    /// Percent complete, for decisions.
    pub percent_complete: Option<u8>,
}

/// An action, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    /// The action.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// Who owns it.
    pub owner_id: Uuid,
    /// The owner's name, where known.
    pub owner: Option<String>,
    /// When it is (or was) due.
    pub due_on: NaiveDate,
    /// When it was completed.
    pub completed_on: Option<NaiveDate>,
}

/// An appointment that began (was confirmed) or ended in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentChange {
    /// The appointment.
    pub id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// The member's name, where known.
    pub member: Option<String>,
    /// The body.
    pub body_id: Uuid,
    /// The body's name, where known.
    pub body: Option<String>,
    /// `confirmed`, or `ended: <reason>`.
    pub change: String,
    /// The day of the change.
    pub on: NaiveDate,
}

/// The report back for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportBack {
    /// The period.
    pub period: Period,
    /// Decisions taken in the period, by date.
    pub decisions_taken: Vec<DecisionTaken>,
    /// Progress notes dated in the period, by date.
    pub progress_reported: Vec<ProgressItem>,
    /// Actions completed in the period, by date.
    pub actions_completed: Vec<ActionItem>,
    /// Open actions due before the end of the period, by owner then date.
    pub overdue: Vec<ActionItem>,
    /// Open actions due within [`COMING_DUE_DAYS`] after the period, by date.
    pub coming_due: Vec<ActionItem>,
    /// Appointments confirmed or ended in the period, by date.
    pub appointments_changed: Vec<AppointmentChange>,
    /// Casework's counts: no case is named.
    pub casework: CaseworkCounts,
}

/// Casework in a report back: counts only (the casework report has the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseworkCounts {
    /// Cases received in the period.
    pub opened: u32,
    /// Cases closed in the period.
    pub closed: u32,
    /// Cases open at the end of the period.
    pub open: u32,
    /// Of those, how many had something past due.
    pub overdue: u32,
}

/// Everything a report is built from.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// The decisions the reader may see, with their ids.
    pub decisions: &'a [(Uuid, Decision)],
    /// The actions the reader may see, with their ids.
    pub actions: &'a [(Uuid, Action)],
    /// The appointments the reader may see, with their ids.
    pub appointments: &'a [(Uuid, Appointment)],
    /// Members' names by id.
    pub names: &'a HashMap<Uuid, String>,
    /// Bodies' names by id.
    pub bodies: &'a HashMap<Uuid, String>,
    /// The group's casework, counted.
    pub casework: CaseworkCounts,
}

fn title_of<T: ToString>(title: &Option<T>) -> String {
    title.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// Builds the report for `period` from `sources`.
pub fn build(period: Period, sources: Sources<'_>) -> ReportBack {
    let mut decisions_taken: Vec<DecisionTaken> = sources
        .decisions
        .iter()
        .filter_map(|(id, d)| {
            let decided_on = d.decided_on.filter(|day| period.contains(*day))?;
            Some(DecisionTaken { id: *id, title: title_of(&d.title), decided_on, status: status_word(d) })
        })
        .collect();
    decisions_taken.sort_by_key(|d| (d.decided_on, d.id));

    let mut progress_reported: Vec<ProgressItem> = sources
        .decisions
        .iter()
        .flat_map(|(id, d)| {
            d.progress.iter().filter(|p| period.contains(p.on)).map(move |p| ProgressItem {
                id: *id,
                kind: "decision",
                title: title_of(&d.title),
                on: p.on,
                note: p.note.to_string(),
                percent_complete: Some(p.percent_complete),
            })
        })
        .chain(sources.actions.iter().flat_map(|(id, a)| {
            a.progress.iter().filter(|p| period.contains(p.on)).map(move |p| ProgressItem {
                id: *id,
                kind: "action",
                title: title_of(&a.title),
                on: p.on,
                note: p.note.to_string(),
                percent_complete: None,
            })
        }))
        .collect();
    progress_reported.sort_by_key(|p| (p.on, p.id));

    let item = |id: &Uuid, a: &Action| -> Option<ActionItem> {
        let owner_id = a.owner_id?;
        Some(ActionItem {
            id: *id,
            title: title_of(&a.title),
            owner_id,
            owner: sources.names.get(&owner_id).cloned(),
            due_on: a.due_on?,
            completed_on: a.completed_on,
        })
    };
    let mut actions_completed: Vec<ActionItem> = sources
        .actions
        .iter()
        .filter(|(_, a)| {
            a.status == ActionStatus::Completed && a.completed_on.is_some_and(|d| period.contains(d))
        })
        .filter_map(|(id, a)| item(id, a))
        .collect();
    actions_completed.sort_by_key(|a| (a.completed_on, a.id));

    let day_after = period.day_after();
    let mut overdue: Vec<ActionItem> = sources
        .actions
        .iter()
        .filter(|(_, a)| a.is_overdue(day_after))
        .filter_map(|(id, a)| item(id, a))
        .collect();
    overdue.sort_by(|x, y| (&x.owner, x.owner_id, x.due_on).cmp(&(&y.owner, y.owner_id, y.due_on)));

    let horizon = period.to.checked_add_days(Days::new(COMING_DUE_DAYS)).unwrap_or(period.to);
    let mut coming_due: Vec<ActionItem> = sources
        .actions
        .iter()
        .filter(|(_, a)| {
            a.status == ActionStatus::Open && a.due_on.is_some_and(|due| period.to < due && due <= horizon)
        })
        .filter_map(|(id, a)| item(id, a))
        .collect();
    coming_due.sort_by_key(|a| (a.due_on, a.id));

    let mut appointments_changed: Vec<AppointmentChange> = sources
        .appointments
        .iter()
        .flat_map(|(id, a)| {
            let confirmed = a.confirmed_on.map(|on| (on, "confirmed".to_owned()));
            let ended = a.ended_on.map(|on| {
                let reason = a.end_reason.map_or("", |r| r.as_str());
                (on, format!("ended: {reason}"))
            });
            [confirmed, ended].into_iter().flatten().filter(|(on, _)| period.contains(*on)).filter_map(
                move |(on, change)| {
                    let (member_id, body_id) = (a.member_id?, a.body_id?);
                    Some(AppointmentChange {
                        id: *id,
                        member_id,
                        member: sources.names.get(&member_id).cloned(),
                        body_id,
                        body: sources.bodies.get(&body_id).cloned(),
                        change,
                        on,
                    })
                },
            )
        })
        .collect();
    appointments_changed.sort_by_key(|c| (c.on, c.id));

    ReportBack {
        period,
        decisions_taken,
        progress_reported,
        actions_completed,
        overdue,
        coming_due,
        appointments_changed,
        casework: sources.casework,
    }
}

fn status_word(d: &Decision) -> &'static str {
    use crate::domain::Record;
    d.status()
}

fn owner_label(item: &ActionItem) -> String {
    item.owner.clone().unwrap_or_else(|| format!("member {}", item.owner_id))
}

/// Renders the report as Markdown for a meeting's papers.
pub fn to_markdown(report: &ReportBack, group_name: &str) -> String {
    let mut md = String::new();
    let (from, to) = (report.period.from, report.period.to);
    // Writing to a String cannot fail.
    let _ = writeln!(md, "# Report back: {group_name}\n\n{from} to {to}\n");

    let _ = writeln!(md, "## Decisions taken ({})\n", report.decisions_taken.len());
    if report.decisions_taken.is_empty() {
        md.push_str("None.\n");
    }
    for d in &report.decisions_taken {
        let _ = writeln!(md, "- {}: **{}** ({})", d.decided_on, d.title, d.status.replace('_', " "));
    }

    let _ = writeln!(md, "\n## Progress reported ({})\n", report.progress_reported.len());
    if report.progress_reported.is_empty() {
        md.push_str("None.\n");
    }
    for p in &report.progress_reported {
        let percent = p.percent_complete.map(|n| format!(" ({n}% complete)")).unwrap_or_default();
        let _ = writeln!(md, "- {}: {} _{}_: {}{}", p.on, p.kind, p.title, p.note, percent);
    }

    let _ = writeln!(md, "\n## Actions completed ({})\n", report.actions_completed.len());
    if report.actions_completed.is_empty() {
        md.push_str("None.\n");
    }
    for a in &report.actions_completed {
        let on = a.completed_on.map(|d| d.to_string()).unwrap_or_default();
        let _ = writeln!(md, "- {on}: {} ({})", a.title, owner_label(a));
    }

    let _ = writeln!(md, "\n## Overdue actions ({})\n", report.overdue.len());
    if report.overdue.is_empty() {
        md.push_str("None.\n");
    }
    let mut current_owner: Option<String> = None;
    for a in &report.overdue {
        let owner = owner_label(a);
        if current_owner.as_deref() != Some(owner.as_str()) {
            let gap = if current_owner.is_some() { "\n" } else { "" };
            let _ = writeln!(md, "{gap}**{owner}**\n");
            current_owner = Some(owner);
        }
        let _ = writeln!(md, "- {} (due {})", a.title, a.due_on);
    }

    let _ =
        writeln!(md, "\n## Coming due in the next {COMING_DUE_DAYS} days ({})\n", report.coming_due.len());
    if report.coming_due.is_empty() {
        md.push_str("None.\n");
    }
    for a in &report.coming_due {
        let _ = writeln!(md, "- {}: {} ({})", a.due_on, a.title, owner_label(a));
    }

    let _ = writeln!(md, "\n## Appointments changed ({})\n", report.appointments_changed.len());
    if report.appointments_changed.is_empty() {
        md.push_str("None.\n");
    }
    for c in &report.appointments_changed {
        let member = c.member.clone().unwrap_or_else(|| format!("member {}", c.member_id));
        let body = c.body.clone().unwrap_or_else(|| format!("body {}", c.body_id));
        let _ = writeln!(md, "- {}: {member}, {body}: {}", c.on, c.change);
    }

    let cases = report.casework;
    let _ = writeln!(
        md,
        "\n## Casework\n\n{} opened, {} closed; {} open at the end of the period, {} of them overdue.",
        cases.opened, cases.closed, cases.open, cases.overdue
    );
    md
}

#[cfg(test)]
mod tests {
    use cqrs_es::Aggregate;

    use super::*;
    use crate::domain::{
        Classification, GroupId, Note, Title,
        action::ActionEvent,
        appointment::{AppointmentEvent, EndReason},
        decision::{DecisionEvent, ProgressStatus, TakenBy},
    };

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn decision(title: &str, on: &str) -> Decision {
        let mut d = Decision::default();
        d.apply(DecisionEvent::DecisionRecorded {
            group_id: GroupId::parse("g").expect("group"),
            title: Title::parse(title).expect("title"),
            text: crate::domain::LongText::parse("text").expect("text"),
            decided_on: date(on),
            taken_by: TakenBy::GroupOfficers,
            votes: None,
            classification: Classification::Group,
            review_on: None,
        });
        d
    }

    fn action(title: &str, owner: Uuid, due: &str) -> Action {
        let mut a = Action::default();
        a.apply(ActionEvent::ActionCreated {
            group_id: GroupId::parse("g").expect("group"),
            title: Title::parse(title).expect("title"),
            description: None,
            owner_id: owner,
            due_on: date(due),
            decision_id: None,
            classification: Classification::Group,
            meeting_item: None,
        });
        a
    }

    #[test]
    fn the_report_sorts_the_period_into_its_sections() {
        let period = Period { from: date("2026-03-01"), to: date("2026-03-31") };
        let (alice, bob) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let names =
            HashMap::from([(alice, "Cllr Alice Adeyemi".to_owned()), (bob, "Cllr Bob Khan".to_owned())]);
        let mut in_period = decision("Library", "2026-03-02");
        in_period.apply(DecisionEvent::DecisionProgressReported {
            on: date("2026-03-10"),
            note: Note::parse("Letter sent").expect("note"),
            status: ProgressStatus::OnTrack,
            percent_complete: 30,
        });
        let decisions =
            vec![(Uuid::from_u128(10), in_period), (Uuid::from_u128(11), decision("Old", "2026-01-05"))];
        let mut done = action("Done in March", alice, "2026-03-20");
        done.apply(ActionEvent::ActionCompleted { on: date("2026-03-15"), note: None });
        let actions = vec![
            (Uuid::from_u128(20), done),
            (Uuid::from_u128(21), action("Late", bob, "2026-03-25")),
            (Uuid::from_u128(22), action("Soon", alice, "2026-04-07")),
            (Uuid::from_u128(23), action("Much later", alice, "2026-06-01")),
        ];
        let licensing = Uuid::from_u128(30);
        let bodies = HashMap::from([(licensing, "Licensing Committee".to_owned())]);
        let mut seat = Appointment::default();
        seat.apply(AppointmentEvent::MemberNominated {
            group_id: GroupId::parse("g").expect("group"),
            body_id: licensing,
            member_id: bob,
            role_title: None,
            term_starts_on: date("2025-05-20"),
            term_ends_on: None,
            classification: Classification::Public,
        });
        seat.apply(AppointmentEvent::AppointmentConfirmed { on: date("2025-05-20") });
        seat.apply(AppointmentEvent::AppointmentEnded {
            on: date("2026-03-09"),
            reason: EndReason::Resigned,
            note: None,
        });
        let appointments = vec![(Uuid::from_u128(40), seat)];
        let report = build(
            period,
            Sources {
                decisions: &decisions,
                actions: &actions,
                appointments: &appointments,
                names: &names,
                bodies: &bodies,
                casework: CaseworkCounts { opened: 0, closed: 0, open: 0, overdue: 0 },
            },
        );
        assert_eq!(report.decisions_taken.iter().map(|d| d.title.as_str()).collect::<Vec<_>>(), ["Library"]);
        assert_eq!(report.progress_reported.len(), 1);
        assert_eq!(
            report.actions_completed.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(),
            ["Done in March"]
        );
        assert_eq!(report.overdue.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(), ["Late"]);
        assert_eq!(report.coming_due.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(), ["Soon"]);

        let md = to_markdown(&report, "Newham Labour Group");
        assert!(md.starts_with("# Report back: Newham Labour Group\n\n2026-03-01 to 2026-03-31"));
        assert!(md.contains("- 2026-03-02: **Library** (in force)"), "{md}");
        assert!(md.contains("**Cllr Bob Khan**\n\n- Late (due 2026-03-25)"), "{md}");
        assert!(md.contains("- 2026-04-07: Soon (Cllr Alice Adeyemi)"), "{md}");
        assert_eq!(report.appointments_changed.len(), 1, "the 2025 confirmation is outside the period");
        assert!(md.contains("- 2026-03-09: Cllr Bob Khan, Licensing Committee: ended: resigned"), "{md}");
    }
}
