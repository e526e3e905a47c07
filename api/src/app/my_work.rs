//! "My work": everything the actor must see to, soonest first, gathered from
//! the read model in one place so that every client shows the same list. Each
//! kind of work is the actor's only if their roles let them do it.

use caucus_wire::ReadOn;
use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::{
    Scope,
    references::{find_any, parsed},
    seats, training,
};
// The register of interests (issue 18).
use super::interests;
use crate::auth::Operation;
use crate::domain::interests::ClockCause;
use crate::domain::{
    Classification, Record, Role,
    action::{Action, ActionStatus},
    appointment::{Appointment, AppointmentStatus},
    body::Body,
    budget::{Budget, Spend},
    case::{Case, CaseStatus},
    donation::{Donation, DonationStatus},
    election::{Election, ElectionStatus},
    forward_plan::{ForwardPlanItem, ForwardPlanStatus},
    group_event::{GroupEvent, GroupEventStatus, HOSPITALITY_REGISTRATION_DAYS},
    induction::{Induction, InductionStatus, StepOwner},
    meeting::{Meeting, MeetingStatus},
    member::Member,
    motion::{Motion, MotionStage},
    publication::{Publication, PublicationStatus},
    tag,
};
use crate::store::{
    StoreError,
    records::{self, RecordFilter, RecordQuery},
};

/// How many days ahead an action counts as due soon.
pub const ACTIONS_AHEAD_DAYS: u64 = 7;
/// How many working days ahead a case's next step counts as due soon.
pub const CASES_AHEAD_WORKING_DAYS: u32 = 5;
/// How many days ahead an appointment's term counts as ending soon.
pub const TERMS_AHEAD_DAYS: u64 = 30;
/// How many days ahead a meeting's papers are watched for despatch.
pub const MEETINGS_AHEAD_DAYS: u64 = 14;
/// How many days ahead a scheduled publication is listed.
pub const SCHEDULED_AHEAD_DAYS: u64 = 7;
/// How many days ahead a forward plan decision without a group position is listed.
pub const POSITIONS_AHEAD_DAYS: u64 = 30;
/// How many days ahead a group event is listed for the office to keep its register.
pub const EVENTS_AHEAD_DAYS: u64 = 7;
/// How many days ahead an induction step counts as due soon.
pub const INDUCTION_AHEAD_DAYS: u64 = 7;
/// How many days ahead a drafted motion's or question's submission deadline is listed.
pub const DEADLINES_AHEAD_DAYS: u64 = 14;
/// The most items of one kind listed (the oldest records first); past that the
/// kind is named among those with more, to be read in its register.
pub const MAX_PER_KIND: u32 = 50;

/// A kind of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WorkKind {
    /// An action of theirs (or, for the office, anyone's) past due or due soon.
    Action,
    /// A publication waiting for their approval.
    Approval,
    /// A case they work whose next step is past due or due soon.
    Case,
    /// An appointment whose term ends soon.
    TermEnding,
    /// A coming meeting with papers not yet despatched (late once its
    /// despatch day has passed).
    Papers,
    /// A publication scheduled to go out soon.
    Scheduled,
    /// A forward plan decision due soon with no group position.
    Position,
    /// An election open for nominations and votes.
    Election,
    /// A drafted motion or question whose submission deadline is soon.
    Deadline,
    /// A place at a group event offered to them from its waiting list.
    PlaceOffered,
    /// Hospitality received at a group event, to be registered.
    Hospitality,
    /// A seat (nominated or held) on a body whose required training the member lacks.
    Training,
    /// A step of a new member's induction past due or due soon.
    Induction,
    /// Probity (issue 18): a donation's permissibility check still to be made.
    PermissibilityCheck,
    /// A 28-day clock of the register of interests not met (issue 18).
    RegisterOfInterests,
    /// The group's budget (issue 18): spending awaiting an approval the actor may give.
    SpendingApproval,
}

/// One thing to see to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    /// What kind of work it is.
    pub kind: WorkKind,
    /// What it is called (never a resident's personal data).
    pub title: String,
    /// When it falls due, if it does.
    pub due_on: Option<NaiveDate>,
    /// Whether that day has passed.
    pub overdue: bool,
    /// The record.
    pub record_id: Uuid,
}

/// The actor's work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MyWork {
    /// What to see to, soonest first (undated last).
    pub items: Vec<WorkItem>,
    /// The kinds with more than [`MAX_PER_KIND`] items.
    pub more: Vec<WorkKind>,
}

/// The actor's work as `on` a day: deadlines counted in its working days,
/// motions' by the council's submission rule, events' offers settled as at
/// its time.
pub async fn my_work(
    scope: &Scope<'_>,
    (actor, roles): (&str, &[Role]),
    on: ReadOn<'_>,
) -> Result<MyWork, StoreError> {
    let (today, calendar, submission) = (on.today, on.calendar, on.motion_deadline);
    let member = Uuid::parse_str(actor).ok();
    let office = roles.contains(&Role::Assistant);
    let mut work = Vec::new();
    let mut more = Vec::new();

    if Operation::CompleteAction.permits(roles) && (office || member.is_some()) {
        let open = [ActionStatus::Open.as_str()];
        let filter = RecordFilter {
            statuses: &open,
            member_id: if office { None } else { member },
            due_on_or_before: today.checked_add_days(Days::new(ACTIONS_AHEAD_DAYS)),
            ..RecordFilter::default()
        };
        for (id, action) in
            matching::<Action>(scope, &scope.readable, filter, &mut more, WorkKind::Action).await?
        {
            let due_on = action.due_on;
            work.push(item(WorkKind::Action, action.title.map(|t| t.to_string()), due_on, today, id));
        }
    }

    if Operation::ApprovePublication.permits(roles) {
        let submitted = [PublicationStatus::Submitted.as_str()];
        let filter = RecordFilter { statuses: &submitted, ..RecordFilter::default() };
        for (id, publication) in
            matching::<Publication>(scope, &scope.readable, filter, &mut more, WorkKind::Approval).await?
        {
            let due_on = publication.publish_at().map(|at| at.date_naive());
            let title = Some(format!("Approve “{}”", publication.title()));
            work.push(item(WorkKind::Approval, title, due_on, today, id));
        }
    }

    if Operation::AcknowledgeCase.permits(roles) && (office || member.is_some()) {
        let open: Vec<&str> = CaseStatus::OPEN.iter().map(|s| s.as_str()).collect();
        let readers = match member.filter(|_| !Classification::Casework.readable_by(roles)) {
            Some(member) => vec![tag("reader", member)],
            None => Vec::new(),
        };
        let filter = RecordFilter {
            statuses: &open,
            tags: &readers,
            due_on_or_before: Some(calendar.add_working_days(today, CASES_AHEAD_WORKING_DAYS)),
            ..RecordFilter::default()
        };
        for (id, case) in
            matching::<Case>(scope, &[Classification::Casework], filter, &mut more, WorkKind::Case).await?
        {
            if !case.readable_by(actor, roles) {
                continue;
            }
            let category = case.category.as_ref().map(|c| c.as_str().replace('-', " ")).unwrap_or_default();
            let ward = case.ward.as_ref().map(ToString::to_string).unwrap_or_default();
            let title = Some(format!("Case: {category}, {ward}"));
            work.push(item(WorkKind::Case, title, case.next_due_on(), today, id));
        }
    }

    if Operation::EndAppointment.permits(roles) {
        let current = [AppointmentStatus::Current.as_str()];
        let filter = RecordFilter {
            statuses: &current,
            due_on_or_after: Some(today),
            due_on_or_before: today.checked_add_days(Days::new(TERMS_AHEAD_DAYS)),
            ..RecordFilter::default()
        };
        for (id, appointment) in
            matching::<Appointment>(scope, &scope.readable, filter, &mut more, WorkKind::TermEnding).await?
        {
            let who = match appointment.member_id {
                Some(member) => find_any::<Member>(scope, member).await?.and_then(|m| m.name),
                None => None,
            };
            let body = match appointment.body_id {
                Some(body) => find_any::<Body>(scope, body).await?.and_then(|b| b.name),
                None => None,
            };
            let title = match (who, body) {
                (Some(who), Some(body)) => Some(format!("{who}'s term on {body} ends")),
                _ => Some("A term ends".to_owned()),
            };
            work.push(item(WorkKind::TermEnding, title, appointment.term_ends_on, today, id));
        }
    }

    if Operation::DespatchPapers.permits(roles) {
        let coming = [MeetingStatus::Tentative.as_str(), MeetingStatus::Confirmed.as_str()];
        let filter = RecordFilter {
            statuses: &coming,
            due_on_or_after: Some(today),
            due_on_or_before: today.checked_add_days(Days::new(MEETINGS_AHEAD_DAYS)),
            ..RecordFilter::default()
        };
        for (id, meeting) in
            matching::<Meeting>(scope, &scope.readable, filter, &mut more, WorkKind::Papers).await?
        {
            let waiting =
                meeting.listed_items().flat_map(|i| i.papers.iter()).any(|p| p.despatched_at.is_none());
            if waiting {
                let name = meeting.title.as_ref().map(ToString::to_string).unwrap_or_default();
                let title = Some(format!("Despatch the papers for {name}"));
                work.push(item(WorkKind::Papers, title, meeting.despatch_by(calendar), today, id));
            }
        }
    }

    if Operation::WithdrawPublication.permits(roles) {
        let scheduled = [PublicationStatus::Scheduled.as_str()];
        let until = today.checked_add_days(Days::new(SCHEDULED_AHEAD_DAYS));
        // The index's day is the publication's `publish_at`: those going out
        // soon, not the first of every one scheduled.
        let filter =
            RecordFilter { statuses: &scheduled, due_on_or_before: until, ..RecordFilter::default() };
        for (id, publication) in
            matching::<Publication>(scope, &scope.readable, filter, &mut more, WorkKind::Scheduled).await?
        {
            let on = publication.publish_at().map(|at| at.date_naive());
            if on.is_some_and(|day| Some(day) <= until) {
                let title = Some(format!("“{}” goes out", publication.title()));
                work.push(item(WorkKind::Scheduled, title, on, today, id));
            }
        }
    }

    if Operation::AgreeGroupPosition.permits(roles) {
        let tracked = [ForwardPlanStatus::Tracked.as_str()];
        let filter = RecordFilter {
            statuses: &tracked,
            due_on_or_after: Some(today),
            due_on_or_before: today.checked_add_days(Days::new(POSITIONS_AHEAD_DAYS)),
            ..RecordFilter::default()
        };
        for (id, plan) in
            matching::<ForwardPlanItem>(scope, &scope.readable, filter, &mut more, WorkKind::Position).await?
        {
            if let Some(entry) = plan.entry {
                let title = Some(format!("Agree a position on “{}” ({})", entry.title, entry.decision_maker));
                work.push(item(WorkKind::Position, title, Some(entry.expected_on), today, id));
            }
        }
    }

    if Operation::DeclareElectionResult.permits(roles) {
        let open = [ElectionStatus::Open.as_str()];
        let filter = RecordFilter { statuses: &open, ..RecordFilter::default() };
        for (id, election) in
            matching::<Election>(scope, &scope.readable, filter, &mut more, WorkKind::Election).await?
        {
            let name = election.title.as_ref().map(ToString::to_string).unwrap_or_default();
            let held_on = match election.meeting_id {
                Some(meeting) => find_any::<Meeting>(scope, meeting).await?.and_then(|m| m.starts_at),
                None => None,
            };
            let title = Some(format!("Election open: {name}"));
            work.push(item(WorkKind::Election, title, held_on.map(|at| at.date_naive()), today, id));
        }
    }

    if Operation::SubmitMotion.permits(roles) {
        let drafted = [MotionStage::Drafted.as_str()];
        let filter = RecordFilter { statuses: &drafted, ..RecordFilter::default() };
        let until = today.checked_add_days(Days::new(DEADLINES_AHEAD_DAYS));
        for (id, motion) in
            matching::<Motion>(scope, &scope.readable, filter, &mut more, WorkKind::Deadline).await?
        {
            let starts_at = match motion.meeting_id {
                Some(meeting) => find_any::<Meeting>(scope, meeting).await?.and_then(|m| m.starts_at),
                None => None,
            };
            let Some(deadline) = starts_at.map(|at| submission.for_meeting(at, calendar)) else { continue };
            // A deadline passed cannot be met: the motion waits for another meeting.
            if deadline < chrono::Utc::now() {
                continue;
            }
            let day = deadline.with_timezone(&submission.zone).date_naive();
            if Some(day) <= until {
                let kind = motion.kind.map_or("motion", |k| k.as_str());
                let name = motion.title.as_ref().map(ToString::to_string).unwrap_or_default();
                let title = Some(format!("Submit the {kind} “{name}”"));
                work.push(item(WorkKind::Deadline, title, Some(day), today, id));
            }
        }
    }

    group_event_work(scope, (member, office), on, &mut work, &mut more).await?;
    if office || member.is_some() {
        training_work(scope, member.filter(|_| !office), on.today, &mut work, &mut more).await?;
    }
    induction_work(scope, (member, roles), on.today, &mut work, &mut more).await?;
    // Probity (issue 18).
    permissibility_work(scope, roles, on.today, &mut work, &mut more).await?;
    // The register of interests (issue 18).
    if office || member.is_some() {
        register_work(scope, member.filter(|_| !office), on, &mut work).await?;
    }
    // The group's budget (issue 18).
    spending_work(scope, (actor, roles), on.today, &mut work, &mut more).await?;

    work.sort_by(|a, b| {
        (a.due_on.is_none(), a.due_on, a.kind, &a.title).cmp(&(
            b.due_on.is_none(),
            b.due_on,
            b.kind,
            &b.title,
        ))
    });
    Ok(MyWork { items: work, more })
}

/// A member's places offered at group events, and the hospitality they must
/// register (the office sees everyone's hospitality, to chase it).
async fn group_event_work(
    scope: &Scope<'_>,
    (member, office): (Option<Uuid>, bool),
    on: ReadOn<'_>,
    work: &mut Vec<WorkItem>,
    more: &mut Vec<WorkKind>,
) -> Result<(), StoreError> {
    if let Some(member) = member {
        let planned = [GroupEventStatus::Planned.as_str()];
        let tags = [tag("member", member)];
        let filter = RecordFilter { statuses: &planned, tags: &tags, ..RecordFilter::default() };
        for (id, event) in
            matching::<GroupEvent>(scope, &scope.readable, filter, more, WorkKind::PlaceOffered).await?
        {
            let event = event.as_at(on.now);
            let Some(offer) = event.offers.iter().find(|o| o.member_id == member) else { continue };
            let name = event.title.as_ref().map(ToString::to_string).unwrap_or_default();
            let title = Some(format!("Take up your place at {name}"));
            let until = offer.until.with_timezone(&on.motion_deadline.zone).date_naive();
            work.push(item(WorkKind::PlaceOffered, title, Some(until), on.today, id));
        }
    }
    if office || member.is_some() {
        let held = [GroupEventStatus::Held.as_str()];
        let tags: Vec<String> = member.filter(|_| !office).map(|m| tag("member", m)).into_iter().collect();
        let since = on.today.checked_sub_days(Days::new(HOSPITALITY_REGISTRATION_DAYS as u64 * 2));
        let filter =
            RecordFilter { statuses: &held, tags: &tags, due_on_or_after: since, ..RecordFilter::default() };
        for (id, event) in
            matching::<GroupEvent>(scope, &scope.readable, filter, more, WorkKind::Hospitality).await?
        {
            let zone = on.motion_deadline.zone;
            let Some((came, due)) = event.hospitality_to_register(on.hospitality_threshold_pence, zone)
            else {
                continue;
            };
            // Those whose register names the event have met it (issue 18).
            let mut unregistered = Vec::new();
            for member in came {
                let named =
                    interests::register_of(scope, member).await?.is_some_and(|(r, _)| r.names_event(id));
                if !named {
                    unregistered.push(member);
                }
            }
            let came = unregistered;
            if came.is_empty() {
                continue;
            }
            let host = event.host.as_ref().map(|h| h.name.to_string()).unwrap_or_default();
            let name = event.title.as_ref().map(ToString::to_string).unwrap_or_default();
            let whose = if office { format!("{} who came", came.len()) } else { "You".to_owned() };
            if office || member.is_some_and(|m| came.contains(&m)) {
                let title = Some(format!("{whose} must register the hospitality from {host} at {name}"));
                work.push(item(WorkKind::Hospitality, title, Some(due), on.today, id));
            }
        }
    }
    Ok(())
}

/// Seats whose members lack the training their body requires: a member's
/// own, or for the office everyone's. Due when the training lapsed, else
/// when the term starts.
async fn training_work(
    scope: &Scope<'_>,
    member: Option<Uuid>,
    today: NaiveDate,
    work: &mut Vec<WorkItem>,
    more: &mut Vec<WorkKind>,
) -> Result<(), StoreError> {
    let seated = seats::holding_words();
    // Only seats on bodies some course is required for can lack training.
    let mut appointments = Vec::new();
    for body_id in training::required_bodies(scope).await? {
        let filter = RecordFilter {
            statuses: &seated,
            member_id: member,
            body_id: Some(body_id),
            ..RecordFilter::default()
        };
        appointments
            .extend(matching::<Appointment>(scope, &scope.readable, filter, more, WorkKind::Training).await?);
    }
    more.dedup();
    let pairs: Vec<(Uuid, Uuid)> =
        appointments.iter().filter_map(|(_, a)| Some((a.member_id?, a.body_id?))).collect();
    let gaps = training::gaps(scope, &pairs, today).await?;
    let seats = appointments.iter().filter(|(_, a)| a.member_id.is_some() && a.body_id.is_some());
    for ((id, appointment), gaps) in seats.zip(gaps).filter(|(_, gaps)| !gaps.is_empty()) {
        let who = match (member, appointment.member_id) {
            (Some(_), _) => "You".to_owned(),
            (None, Some(m)) => find_any::<Member>(scope, m)
                .await?
                .and_then(|m| m.name)
                .map_or_else(String::new, |n| n.to_string()),
            (None, None) => String::new(),
        };
        let body = match appointment.body_id {
            Some(body) => find_any::<Body>(scope, body).await?.and_then(|b| b.name).map(|n| n.to_string()),
            None => None,
        };
        let courses: Vec<&str> = gaps.iter().map(|g| g.title.as_str()).collect();
        let title = Some(format!(
            "{who} must complete {} to sit on {}",
            courses.join(" and "),
            body.unwrap_or_default()
        ));
        let due = gaps.iter().filter_map(|g| g.lapsed_on).min().or(appointment.term_starts_on);
        work.push(item(WorkKind::Training, title, due, today, *id));
    }
    Ok(())
}

/// Induction steps past due or due within a week: every step of a member's
/// own induction, the steps named to them, those their roles own, and for
/// the office every one.
/// Each item's record is the member inducted (`/inductions/{member_id}`).
async fn induction_work(
    scope: &Scope<'_>,
    (member, roles): (Option<Uuid>, &[Role]),
    today: NaiveDate,
    work: &mut Vec<WorkItem>,
    more: &mut Vec<WorkKind>,
) -> Result<(), StoreError> {
    let office = roles.contains(&Role::Assistant);
    let open = [InductionStatus::InProgress.as_str()];
    let until = today.checked_add_days(Days::new(INDUCTION_AHEAD_DAYS));
    let filter = RecordFilter { statuses: &open, due_on_or_before: until, ..RecordFilter::default() };
    for (_, induction) in
        matching::<Induction>(scope, &scope.readable, filter, more, WorkKind::Induction).await?
    {
        let Some(inducted) = induction.member_id else { continue };
        let own = member == Some(inducted);
        let mut name = None;
        for step in induction.open_steps().filter(|s| Some(s.due_on) <= until) {
            // A member sees every step of their own induction, whoever owns it.
            let theirs = own
                || match step.owner {
                    StepOwner::NewMember => false,
                    StepOwner::Role { role } => roles.contains(&role),
                    StepOwner::Member { member_id } => member == Some(member_id),
                };
            if !(office || theirs) {
                continue;
            }
            let title = if own {
                format!("Your induction: {}", step.title)
            } else {
                if name.is_none() {
                    name = find_any::<Member>(scope, inducted)
                        .await?
                        .and_then(|m| m.name)
                        .map(|n| n.to_string());
                }
                format!("Induction of {}: {}", name.as_deref().unwrap_or_default(), step.title)
            };
            work.push(item(WorkKind::Induction, Some(title), Some(step.due_on), today, inducted));
        }
    }
    Ok(())
}

/// Probity (issue 18): donations whose permissibility check is still to be
/// made, for those who record checks; each is due 30 days after it was
/// received, and listed from the day it is recorded, since the whole
/// window is the time to make it.
async fn permissibility_work(
    scope: &Scope<'_>,
    roles: &[Role],
    today: NaiveDate,
    work: &mut Vec<WorkItem>,
    more: &mut Vec<WorkKind>,
) -> Result<(), StoreError> {
    if !Operation::RecordDonationPermissibility.permits(roles) {
        return Ok(());
    }
    let awaiting = [DonationStatus::AwaitingCheck.as_str()];
    let filter = RecordFilter { statuses: &awaiting, ..RecordFilter::default() };
    for (id, donation) in
        matching::<Donation>(scope, &scope.readable, filter, more, WorkKind::PermissibilityCheck).await?
    {
        let Some(draft) = &donation.draft else { continue };
        let title = format!(
            "Check the permissibility of {}'s donation of {}",
            draft.donor.name,
            crate::domain::Pence::unsigned(draft.amount_pence)
        );
        work.push(item(
            WorkKind::PermissibilityCheck,
            Some(title),
            donation.check_awaited_until(),
            today,
            id,
        ));
    }
    Ok(())
}

/// The register of interests' 28-day clocks not met, from joining and from
/// each appointment to an outside body: a member's own, or for the office
/// everyone's (hospitality's clock is the hospitality item's). Each item's
/// record is the member (`/registers/{member_id}`).
async fn register_work(
    scope: &Scope<'_>,
    member: Option<Uuid>,
    on: ReadOn<'_>,
    work: &mut Vec<WorkItem>,
) -> Result<(), StoreError> {
    let sources = interests::sources(scope, on, member, interests::HospitalitySources::Left).await?;
    for (member_id, name) in &sources.members {
        for clock in sources.clocks(*member_id).into_iter().filter(|c| !c.met) {
            let what = match clock.cause {
                ClockCause::Joined => "register interests on joining the group".to_owned(),
                ClockCause::Appointment { appointment_id, .. } => {
                    let body = sources.seats.iter().find(|s| s.appointment_id == appointment_id);
                    format!(
                        "register the seat on {}",
                        body.map_or("an outside body", |s| s.body_name.as_str())
                    )
                }
                ClockCause::Hospitality { .. } => continue,
            };
            let title = match member {
                Some(_) => format!("Register of interests: {what}"),
                None => format!("Register of interests of {name}: {what}"),
            };
            work.push(item(
                WorkKind::RegisterOfInterests,
                Some(title),
                Some(clock.due_on),
                on.today,
                *member_id,
            ));
        }
    }
    Ok(())
}

/// The group's budget (issue 18): spending awaiting approval, for those who
/// approve it, except what they proposed or approved already (it waits for
/// another Group Officer). Undated: approval has no deadline. Each item's
/// record is the budget (`/budgets/{id}`).
async fn spending_work(
    scope: &Scope<'_>,
    (actor, roles): (&str, &[Role]),
    today: NaiveDate,
    work: &mut Vec<WorkItem>,
    more: &mut Vec<WorkKind>,
) -> Result<(), StoreError> {
    if !Operation::ApproveSpending.permits(roles) {
        return Ok(());
    }
    let awaiting = [tag("awaiting", "approval")];
    let filter = RecordFilter { tags: &awaiting, ..RecordFilter::default() };
    for (id, budget) in
        matching::<Budget>(scope, &scope.readable, filter, more, WorkKind::SpendingApproval).await?
    {
        let theirs = |spend: &&Spend| {
            spend.is_pending()
                && spend.proposed_by != actor
                && !spend.approvals.iter().any(|approval| approval.by == actor)
        };
        for spend in budget.spending.iter().filter(theirs) {
            let line = budget
                .line(&spend.draft.line)
                .map_or_else(|| spend.draft.line.to_string(), |l| l.name.to_string());
            let second = if spend.approvals.is_empty() { "Approve" } else { "Give the second approval of" };
            let title = format!("{second} {} to {} from {line}", spend.draft.amount, spend.draft.payee);
            work.push(item(WorkKind::SpendingApproval, Some(title), None, today, id));
        }
    }
    Ok(())
}

fn item(
    kind: WorkKind,
    title: Option<String>,
    due_on: Option<NaiveDate>,
    today: NaiveDate,
    record_id: Uuid,
) -> WorkItem {
    WorkItem {
        kind,
        title: title.unwrap_or_default(),
        due_on,
        overdue: due_on.is_some_and(|day| day < today),
        record_id,
    }
}

/// The first [`MAX_PER_KIND`] records of type `A` of the scope's group in
/// `classifications` that `filter` matches, with their ids; `kind` joins
/// `more` if there are others.
async fn matching<A: Record>(
    scope: &Scope<'_>,
    classifications: &[Classification],
    filter: RecordFilter<'_>,
    more: &mut Vec<WorkKind>,
    kind: WorkKind,
) -> Result<Vec<(Uuid, A)>, StoreError> {
    let query =
        RecordQuery { limit: MAX_PER_KIND, ..RecordQuery::new(scope.group_id, A::TYPE, classifications) }
            .filtered(filter);
    let page = records::list(scope.db, &query).await?;
    if page.next.is_some() {
        more.push(kind);
    }
    page.records.iter().map(parsed::<A>).collect()
}
