//! The sample group's events and training: its catalogue of courses; the
//! planning training of the year before last, whose lapsed completion shows
//! on a new nomination to the Strategic Development Committee; last year's
//! planning training, whose completions lapse within the month; a
//! housing seminar that is full, with a place just offered from its waiting
//! list to the demo councillor; this year's planning training for the
//! Strategic Development Committee; and last week's sponsored housing
//! conference, its register kept and its hospitality still to be registered;
//! a public open evening, which the website lists;
//! and training needs, from which the draft training plan is drawn.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use crate::app::{group_events, seats, training};
use crate::domain::{
    Classification,
    appointment::Nomination,
    group_event::{EventKind, GroupEvent, GroupEventCommand, GroupEventDraft, Host, Invitees},
    meeting::{Attendance, Venue},
    training::{Course, CourseCommand, CourseDraft, NeedDraft, NeedReason, Priority},
};
use crate::http::Fields;
use crate::store::StoreError;
use crate::store::command_bus::Expectation;

use super::{Loader, note, sample_member_id, title};

/// The catalogue: title, months valid, the body whose members must hold it.
const COURSES: &[(&str, Option<u16>, Option<&str>)] = &[
    ("Code of conduct and the register of interests", Some(48), None),
    ("Planning: probity and the planning code", Some(12), Some("Strategic Development Committee")),
    ("Licensing: hearings under the Licensing Act 2003", Some(12), Some("Licensing Committee")),
    ("Data protection for councillors", Some(24), None),
    ("Chairing meetings", None, None),
];

pub(super) fn course_id(n: usize) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("newham-labour/course/{n}").as_bytes())
}

/// The body named `name`.
fn body(bodies: &[(&'static str, Uuid)], name: &str) -> Option<Uuid> {
    bodies.iter().find(|(body, _)| *body == name).map(|(_, id)| *id)
}

async fn load_courses(loader: &Loader<'_>, bodies: &[(&'static str, Uuid)]) -> Result<(), StoreError> {
    for (n, (name, valid_for_months, required_for)) in COURSES.iter().enumerate() {
        let draft = CourseDraft {
            title: title(name),
            description: None,
            valid_for_months: *valid_for_months,
            required_for: required_for.and_then(|b| body(bodies, b)).into_iter().collect(),
        };
        let add =
            CourseCommand::AddCourse { group_id: loader.context.group_id.clone(), draft: Box::new(draft) };
        loader.run::<Course>(course_id(n), vec![add], name).await?;
    }
    Ok(())
}

/// Training needs for the draft plan: a new seat's, a member's own request,
/// and one from an annual review that no course of the catalogue meets.
async fn load_needs(loader: &Loader<'_>, committee: Option<Uuid>) -> Result<(), StoreError> {
    let mut needs = vec![
        (
            5,
            NeedDraft {
                course_id: Some(course_id(4)),
                description: None,
                priority: Priority::Low,
                reason: NeedReason::OwnRequest,
            },
        ),
        (
            8,
            NeedDraft {
                course_id: None,
                description: Some(note("Handling broadcast interviews and the local press")),
                priority: Priority::Medium,
                reason: NeedReason::AnnualReview,
            },
        ),
    ];
    if let Some(body_id) = committee {
        needs.push((
            19,
            NeedDraft {
                course_id: Some(course_id(1)),
                description: Some(note("Before her first meeting of the committee")),
                priority: Priority::High,
                reason: NeedReason::NewSeat { body_id },
            },
        ));
    }
    for (n, (member, draft)) in needs.into_iter().enumerate() {
        let need_id =
            Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("newham-labour/training-need/{n}").as_bytes());
        let need = (need_id, loader.day(10 + n as i64), draft);
        training::record_need(&loader.scope(), (loader.bus, &loader.context), sample_member_id(member), need)
            .await
            .map_err(Loader::failed("training need"))?;
    }
    Ok(())
}

/// Records event `id`'s register as the route does, completing its courses.
async fn take_register(
    loader: &Loader<'_>,
    id: Uuid,
    entries: &[(usize, Attendance)],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let entries =
        entries.iter().map(|(member, attendance)| (sample_member_id(*member), *attendance)).collect();
    let zone = chrono_tz::Europe::London;
    let target = (id, Expectation::Existing(None));
    group_events::record_attendance(
        &loader.scope(),
        (loader.bus, &loader.context),
        target,
        (entries, at),
        zone,
    )
    .await
    .map_err(Loader::failed("register"))
}

/// Planning training as the council's lawyers give it each year, on `day`.
fn planning_training(day: NaiveDate, committee: Option<Uuid>) -> GroupEventDraft {
    GroupEventDraft {
        kind: EventKind::Training,
        title: title("Planning training: probity and the planning code"),
        description: Some(note(
            "Required before sitting on the Strategic Development Committee: predetermination, \
             lobbying, and the code of conduct in planning decisions. Given by the council's lawyers.",
        )),
        venue: Venue {
            starts_at: at(day, 17, 30),
            ends_at: Some(at(day, 19, 0)),
            place: None,
            online_link: Some(note("https://teams.microsoft.com/l/meetup-join/newham-planning-training")),
        },
        organiser_id: None,
        capacity: None,
        invitees: committee.map_or(Invitees::AllMembers, |body| Invitees::Bodies(vec![body])),
        host: None,
        courses: vec![course_id(1)],
        offer_hours: 48,
        classification: Classification::Group,
    }
}

/// `hour`:`minute` UTC on `day`.
fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, minute, 0).unwrap_or_default().and_utc()
}

pub(super) fn event_id(n: usize) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("newham-labour/group-event/{n}").as_bytes())
}

/// Plans event `n` and registers `members` (sample numbers) in turn, each
/// checked as the route checks them.
async fn plan_and_register(
    loader: &Loader<'_>,
    n: usize,
    draft: GroupEventDraft,
    (members, registered_at): (&[usize], DateTime<Utc>),
) -> Result<Uuid, StoreError> {
    let id = event_id(n);
    let name = draft.title.to_string();
    let plan =
        GroupEventCommand::PlanEvent { group_id: loader.context.group_id.clone(), draft: Box::new(draft) };
    loader.run::<GroupEvent>(id, vec![plan], &name).await?;
    for (order, member) in members.iter().enumerate() {
        let member_id = sample_member_id(*member);
        let event = crate::app::references::find::<GroupEvent>(&loader.scope(), id)
            .await?
            .ok_or_else(|| StoreError::Inconsistent(format!("sample {name}: not planned")))?;
        let mut fields = Fields::new();
        group_events::check_invited(&loader.scope(), &event, member_id, &mut fields).await?;
        fields
            .finish(|| Some(()))
            .map_err(|e| StoreError::Inconsistent(format!("sample {name}: {}", e.detail)))?;
        let at = registered_at + Duration::minutes(order as i64 * 17);
        loader.run_on::<GroupEvent>(id, vec![GroupEventCommand::Register { member_id, at }], &name).await?;
    }
    Ok(id)
}

pub(super) async fn load(loader: &Loader<'_>, bodies: &[(&'static str, Uuid)]) -> Result<(), StoreError> {
    load_courses(loader, bodies).await?;
    // Planning training the year before last: Lucy Adebayo's lapsed a month
    // ago, and she has since been nominated to the committee's free seat.
    let committee = body(bodies, "Strategic Development Committee");
    let year_before = loader.day(400);
    let registered_at = at(year_before, 9, 0) - Duration::days(20);
    let id =
        plan_and_register(loader, 5, planning_training(year_before, committee), (&[], registered_at)).await?;
    take_register(loader, id, &[(19, Attendance::Present)], at(year_before, 19, 30)).await?;
    if let Some(committee) = committee {
        let nomination = Nomination {
            body_id: committee,
            member_id: sample_member_id(19),
            role_title: None,
            term_starts_on: loader.day(-14),
            term_ends_on: None,
            classification: Classification::Group,
        };
        let id = Uuid::new_v5(&Uuid::NAMESPACE_OID, b"newham-labour/appointment/planning");
        seats::nominate(&loader.scope(), loader.bus, &loader.context, (id, loader.day(0)), nomination)
            .await
            .map_err(Loader::failed("nomination to planning"))?;
    }
    load_needs(loader, committee).await?;
    // Last year's planning training: those who came hold the course until within the month.
    let committee = body(bodies, "Strategic Development Committee");
    let last_year = loader.day(350);
    let registered_at = at(last_year, 9, 0) - Duration::days(20);
    let id =
        plan_and_register(loader, 4, planning_training(last_year, committee), (&[], registered_at)).await?;
    let present = [(1, Attendance::Present), (4, Attendance::Present), (9, Attendance::Present)];
    take_register(loader, id, &present, at(last_year, 19, 30)).await?;

    let now = Utc::now();
    let seminar_day = loader.day(-12);
    let seminar = GroupEventDraft {
        kind: EventKind::Seminar,
        title: title("Housing and regeneration: the group's priorities"),
        description: Some(note(
            "The Cabinet Member for Housing sets out the choices in the Local Plan; then tables on \
             temporary accommodation, estate regeneration and the private rented sector.",
        )),
        venue: Venue {
            starts_at: at(seminar_day, 18, 0),
            ends_at: Some(at(seminar_day, 20, 30)),
            place: Some(title("Committee Room 1, Newham Town Hall, East Ham")),
            online_link: None,
        },
        organiser_id: Some(sample_member_id(2)),
        capacity: Some(10),
        invitees: Invitees::AllMembers,
        host: None,
        courses: Vec::new(),
        offer_hours: 48,
        classification: Classification::Group,
    };
    let full = [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 3, 12];
    let id = plan_and_register(loader, 1, seminar, (&full, now - Duration::days(9))).await?;
    // A place came free yesterday: the demo councillor, first waiting, is offered it.
    let withdraw =
        GroupEventCommand::Withdraw { member_id: sample_member_id(6), at: now - Duration::hours(20) };
    loader.run_on::<GroupEvent>(id, vec![withdraw], "housing seminar").await?;

    let committee = body(bodies, "Strategic Development Committee");
    plan_and_register(loader, 2, planning_training(loader.day(-20), committee), (&[], now)).await?;

    let conference_day = loader.day(8);
    let conference = GroupEventDraft {
        kind: EventKind::Conference,
        title: title("London Housing Conference"),
        description: Some(note("A day on council house building and the private rented sector, with lunch.")),
        venue: Venue {
            starts_at: at(conference_day, 9, 0),
            ends_at: Some(at(conference_day, 16, 30)),
            place: Some(title("QEII Centre, Westminster")),
            online_link: None,
        },
        organiser_id: None,
        capacity: Some(4),
        invitees: Invitees::AllMembers,
        host: Some(Host { name: title("London Housing Associations Forum"), value_per_head_pence: 8_500 }),
        courses: Vec::new(),
        offer_hours: 48,
        classification: Classification::Group,
    };
    let open_evening_day = loader.day(-24);
    let open_evening = GroupEventDraft {
        kind: EventKind::Social,
        title: title("Meet your Labour councillors: Forest Gate open evening"),
        description: Some(note(
            "Bring your questions about housing, streets and schools to the ward's councillors. \
             Refreshments; step-free access.",
        )),
        venue: Venue {
            starts_at: at(open_evening_day, 18, 30),
            ends_at: Some(at(open_evening_day, 20, 30)),
            place: Some(title("Forest Gate Community Centre, Woodgrange Road")),
            online_link: None,
        },
        organiser_id: Some(sample_member_id(9)),
        capacity: None,
        invitees: Invitees::AllMembers,
        host: None,
        courses: Vec::new(),
        offer_hours: 48,
        classification: Classification::Public,
    };
    plan_and_register(loader, 6, open_evening, (&[9, 10], now)).await?;

    let registered_at = at(conference_day, 9, 0) - Duration::days(30);
    let id = plan_and_register(loader, 3, conference, (&[3, 7, 13], registered_at)).await?;
    let register = [(3, Attendance::Present), (7, Attendance::Present), (13, Attendance::Apologies)];
    take_register(loader, id, &register, at(conference_day, 17, 0)).await
}
