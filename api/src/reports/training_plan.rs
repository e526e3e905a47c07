//! The draft group training plan: for a period, which courses, for whom and
//! why, how many places, and which sessions in the diary teach them. A
//! member is in it for a course when a body they sit on or are nominated to
//! requires it and their completion does not last the period, when their
//! completion of it lapses by the period's end, or when an open need names
//! it; needs no course meets are listed apart.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use caucus_wire::training::{NeedView, Priority};
use caucus_wire::training_plan::{
    OtherNeedView, PlanReasonKind, PlanReasonView, PlannedCourseView, SuggestedSessionView, TraineeView,
    TrainingPlanView,
};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::report_back::Period;
use crate::domain::{
    group_event::{GroupEvent, GroupEventStatus},
    training::{Course, Priority as DomainPriority, TrainingRecord},
};

/// What a plan is drafted from, as the caller may read it.
#[derive(Debug, Default)]
pub struct Sources {
    /// The courses offered, by id.
    pub courses: Vec<(Uuid, Course)>,
    /// The group's current members and their names.
    pub members: HashMap<Uuid, String>,
    /// The members' training records.
    pub records: Vec<TrainingRecord>,
    /// The seats held or nominated to: (member, body).
    pub seats: Vec<(Uuid, Uuid)>,
    /// The bodies' names.
    pub bodies: HashMap<Uuid, String>,
    /// The group's events, settled as at now.
    pub events: Vec<(Uuid, GroupEvent)>,
}

/// One member's place on one course, as it is gathered.
struct Place {
    priority: DomainPriority,
    reasons: Vec<PlanReasonView>,
    needed_by: Option<NaiveDate>,
}

fn reason(kind: PlanReasonKind) -> PlanReasonView {
    PlanReasonView { kind, body_id: None, body_name: None, lapses_on: None, need_id: None }
}

/// Puts `member` in the plan for `course` for one more reason: the highest
/// priority and the soonest day of their reasons stand.
fn add(
    places: &mut BTreeMap<(Uuid, Uuid), Place>,
    (course, member): (Uuid, Uuid),
    (priority, why, by): (DomainPriority, PlanReasonView, Option<NaiveDate>),
) {
    let place =
        places.entry((course, member)).or_insert(Place { priority, reasons: Vec::new(), needed_by: by });
    place.priority = place.priority.min(priority);
    place.needed_by = match (place.needed_by, by) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if !place.reasons.contains(&why) {
        place.reasons.push(why);
    }
}

/// Drafts the plan for `period` on `today`, suggesting sessions that start
/// after `now`.
pub fn build(sources: &Sources, period: Period, today: NaiveDate, now: DateTime<Utc>) -> TrainingPlanView {
    let offered: HashMap<Uuid, &Course> = sources.courses.iter().map(|(id, c)| (*id, c)).collect();
    let records: HashMap<Uuid, &TrainingRecord> =
        sources.records.iter().filter_map(|r| r.member_id.map(|m| (m, r))).collect();
    let mut places: BTreeMap<(Uuid, Uuid), Place> = BTreeMap::new();
    for (member, body) in &sources.seats {
        if !sources.members.contains_key(member) {
            continue;
        }
        for (course_id, course) in &sources.courses {
            if !course.required_for.contains(body) {
                continue;
            }
            let latest = records.get(member).and_then(|r| r.latest(*course_id));
            if latest.is_some_and(|c| c.valid_on(period.to)) {
                continue;
            }
            let lapses_on = latest.and_then(|c| c.valid_until);
            let held_at_start = latest.is_some_and(|c| c.valid_on(period.from));
            let priority = if held_at_start { DomainPriority::Medium } else { DomainPriority::High };
            let by = if held_at_start { lapses_on } else { Some(period.from) };
            let why = PlanReasonView {
                body_id: Some(*body),
                body_name: sources.bodies.get(body).cloned(),
                lapses_on,
                ..reason(PlanReasonKind::Seat)
            };
            add(&mut places, (*course_id, *member), (priority, why, by));
        }
    }

    for (member, record) in &records {
        if !sources.members.contains_key(member) {
            continue;
        }
        for held in record.held() {
            let Some(lapses_on) = held.valid_until.filter(|day| *day <= period.to) else { continue };
            let key = (held.course_id, *member);
            // A seat's reason already says when it lapses.
            let seated =
                places.get(&key).is_some_and(|p| p.reasons.iter().any(|r| r.kind == PlanReasonKind::Seat));
            if seated || !offered.contains_key(&held.course_id) {
                continue;
            }
            let why = PlanReasonView { lapses_on: Some(lapses_on), ..reason(PlanReasonKind::Renewal) };
            add(&mut places, key, (DomainPriority::Medium, why, Some(lapses_on.max(period.from))));
        }
    }

    let mut other_needs = Vec::new();
    for (member, record) in &records {
        let Some(name) = sources.members.get(member) else { continue };
        for need in record.open_needs() {
            let view = NeedView::from(need);
            match need.draft.course_id.filter(|course| offered.contains_key(course)) {
                Some(course) => {
                    let why = PlanReasonView {
                        body_id: view.body_id,
                        body_name: view.body_id.and_then(|b| sources.bodies.get(&b).cloned()),
                        need_id: Some(need.id),
                        ..reason(view.reason.into())
                    };
                    add(&mut places, (course, *member), (need.draft.priority, why, None));
                }
                None => other_needs.push(OtherNeedView {
                    need_id: need.id,
                    member_id: *member,
                    name: name.clone(),
                    description: view.description.unwrap_or_else(|| "A course no longer offered".to_owned()),
                    priority: view.priority,
                    reason: view.reason,
                }),
            }
        }
    }
    other_needs.sort_by(|a, b| (a.priority, &a.name).cmp(&(b.priority, &b.name)));

    let mut courses: Vec<PlannedCourseView> = Vec::new();
    for ((course_id, member_id), place) in places {
        let name = sources.members.get(&member_id).cloned().unwrap_or_default();
        let trainee = TraineeView {
            member_id,
            name,
            priority: place.priority.into(),
            reasons: place.reasons,
            needed_by: place.needed_by,
        };
        match courses.last_mut().filter(|c| c.course_id == course_id) {
            Some(course) => course.trainees.push(trainee),
            None => courses.push(PlannedCourseView {
                course_id,
                title: offered
                    .get(&course_id)
                    .and_then(|c| c.title.as_ref())
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                places: 0,
                trainees: vec![trainee],
                sessions: sessions(sources, course_id, period, now),
            }),
        }
    }
    for course in &mut courses {
        course.places = course.trainees.len() as u32;
        course.trainees.sort_by(|a, b| {
            (a.priority, a.needed_by.unwrap_or(NaiveDate::MAX), &a.name).cmp(&(
                b.priority,
                b.needed_by.unwrap_or(NaiveDate::MAX),
                &b.name,
            ))
        });
    }
    let urgent = |c: &PlannedCourseView| c.trainees.iter().filter(|t| t.priority == Priority::High).count();
    courses.sort_by(|a, b| (urgent(b), b.places, &a.title).cmp(&(urgent(a), a.places, &b.title)));
    TrainingPlanView {
        from: period.from,
        to: period.to,
        drafted_on: today,
        places: courses.iter().map(|c| c.places).sum(),
        courses,
        other_needs,
    }
}

/// The planned events in the period, yet to start, that teach `course_id`.
fn sessions(
    sources: &Sources,
    course_id: Uuid,
    period: Period,
    now: DateTime<Utc>,
) -> Vec<SuggestedSessionView> {
    let mut found: Vec<SuggestedSessionView> = sources
        .events
        .iter()
        .filter(|(_, e)| e.status == GroupEventStatus::Planned && e.courses.contains(&course_id))
        .filter_map(|(id, e)| {
            let starts_at = e.starts_at.filter(|at| *at > now && period.contains(at.date_naive()))?;
            Some(SuggestedSessionView {
                event_id: *id,
                title: e.title.as_ref().map(ToString::to_string).unwrap_or_default(),
                starts_at,
                places_left: e.places_left(),
            })
        })
        .collect();
    found.sort_by_key(|s| s.starts_at);
    found
}

fn priority_word(priority: Priority) -> &'static str {
    match priority {
        Priority::High => "high",
        Priority::Medium => "medium",
        Priority::Low => "low",
    }
}

fn reason_words(reason: &PlanReasonView) -> String {
    let body = reason.body_name.as_deref().unwrap_or("a body");
    let lapse = |day: NaiveDate| day.format("%-d %B %Y").to_string();
    match (reason.kind, reason.lapses_on) {
        (PlanReasonKind::Seat, Some(day)) => format!("{body} requires it; lapses {}", lapse(day)),
        (PlanReasonKind::Seat, None) => format!("{body} requires it; never completed"),
        (PlanReasonKind::Renewal, Some(day)) => format!("renewal; lapses {}", lapse(day)),
        (PlanReasonKind::Renewal, None) => "renewal".to_owned(),
        (PlanReasonKind::NewSeat, _) => format!("new seat on {body}"),
        (PlanReasonKind::OwnRequest, _) => "own request".to_owned(),
        (PlanReasonKind::AnnualReview, _) => "annual review".to_owned(),
    }
}

/// Renders the plan as Markdown for a group meeting's papers.
pub fn to_markdown(plan: &TrainingPlanView, group_name: &str) -> String {
    let day = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    let mut md = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(md, "# Draft training plan: {group_name}\n");
    let _ = writeln!(
        md,
        "{} to {}. Drafted on {}: {} places on {} courses.\n",
        day(plan.from),
        day(plan.to),
        day(plan.drafted_on),
        plan.places,
        plan.courses.len()
    );
    if plan.courses.is_empty() {
        md.push_str("No course is needed in the period.\n");
    }
    for course in &plan.courses {
        let _ = writeln!(md, "## {} ({} places)\n", course.title, course.places);
        md.push_str("| Member | Priority | Why | Needed by |\n| --- | --- | --- | --- |\n");
        for t in &course.trainees {
            let why: Vec<String> = t.reasons.iter().map(reason_words).collect();
            let by = t.needed_by.map(day).unwrap_or_default();
            let _ =
                writeln!(md, "| {} | {} | {} | {by} |", t.name, priority_word(t.priority), why.join("; "));
        }
        md.push('\n');
        if course.sessions.is_empty() {
            let _ = writeln!(md, "No session in the diary: arrange one for {} places.\n", course.places);
        }
        for s in &course.sessions {
            let left = s.places_left.map(|n| format!(", {n} places left")).unwrap_or_default();
            let _ = writeln!(md, "- Session: {} on {}{left}", s.title, day(s.starts_at.date_naive()));
        }
        if !course.sessions.is_empty() {
            md.push('\n');
        }
    }
    if !plan.other_needs.is_empty() {
        md.push_str("## Needs outside the catalogue\n\n");
        for need in &plan.other_needs {
            let _ = writeln!(md, "- {} ({}): {}", need.name, priority_word(need.priority), need.description);
        }
    }
    md
}
