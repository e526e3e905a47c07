//! Casework's operations across records: a case opened for a new or an
//! already recorded resident, referred to one of the group's organisations
//! under its targets counted in working days, and chased at its interval.
//! Every text about a case is sealed under the case's own key before it
//! reaches a command, and every detail of a resident under the resident's.
//! A case exists only for those who may read it (`Record::readable_by`):
//! to anyone else every operation on it is a 404.

use chrono::NaiveDate;
use cqrs_es::Aggregate as _;
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use super::{
    Scope,
    references::{self, find_any},
    run,
};
use crate::domain::{
    Classification, LongText, Record, Role, Sealed, Title, WorkingDays,
    case::{Case, CaseCommand, CaseDraft, CaseError, CaseFile, CaseStatus, NewReferral, facts as case_facts},
    member::{Member, MemberStatus},
    motion::{Motion, MotionCommand, MotionDraft, MotionKind, MotionOrigin},
    organisation::{Organisation, OrganisationError},
    publication::Slug,
    resident::{Resident, ResidentCommand, ResidentDetails},
};
use crate::http::{ApiError, Fields, Upload};
use crate::personal::{PersonalData, PersonalDataError};
use crate::reports::{
    casework::{CaseworkFacts, LONGEST_OVERDUE, Overdue},
    report_back::Period,
};
use crate::store::{
    StoreError,
    case_files::{self, NewCaseFile},
    command_bus::{CommandBus, CommandContext, Expectation},
    facts::Facts,
    records,
};
use caucus_wire::Invalid;
use caucus_wire::casework::{CaseOpening, CaseResident, Enquiry, ResidentContact};

/// What casework's operations work with beside the store.
#[derive(Debug, Clone, Copy)]
pub struct Desk<'a> {
    /// Runs commands.
    pub bus: &'a CommandBus,
    /// Seals texts and residents' details.
    pub personal: &'a PersonalData,
    /// The working days targets are counted in.
    pub calendar: &'a WorkingDays,
    /// Today, in the council's time zone: the default day of every step.
    pub today: NaiveDate,
    /// The categories a case may be filed under.
    pub categories: &'a [Slug],
}

/// The case `id` if an actor whose token's subject is `actor`, holding
/// `roles`, may read it; 404 otherwise, as if it did not exist.
pub async fn visible_case(
    scope: &Scope<'_>,
    actor: &str,
    roles: &[Role],
    id: Uuid,
) -> Result<Case, ApiError> {
    match find_any::<Case>(scope, id).await? {
        Some(case) if case.readable_by(actor, roles) => Ok(case),
        _ => Err(ApiError::NotFound("case")),
    }
}

/// Seals `text`, field `field` of case `case`.
pub async fn seal(personal: &PersonalData, case: Uuid, field: &str, text: &str) -> Result<Sealed, ApiError> {
    Ok(personal.seal(&case.to_string(), field, text).await?)
}

/// Seals an optional text of case `case`.
pub async fn seal_optional(
    personal: &PersonalData,
    case: Uuid,
    field: &str,
    text: Option<&str>,
) -> Result<Option<Sealed>, ApiError> {
    match text {
        Some(text) => seal(personal, case, field, text).await.map(Some),
        None => Ok(None),
    }
}

/// A resident's details sealed under their key (the fields named as in
/// their events and views, where the opener finds them).
pub async fn seal_resident(
    personal: &PersonalData,
    resident: Uuid,
    contact: &ResidentContact,
) -> Result<ResidentDetails, PersonalDataError> {
    let subject = resident.to_string();
    let optional = async |field: &str, value: Option<&str>| match value {
        Some(value) => personal.seal(&subject, field, value).await.map(Some),
        None => Ok(None),
    };
    Ok(ResidentDetails {
        name: personal.seal(&subject, "name", contact.name.as_str()).await?,
        address: optional("address", contact.address.as_ref().map(|a| a.as_str())).await?,
        email: optional("email", contact.email.as_ref().map(|e| e.as_str())).await?,
        phone: optional("phone", contact.phone.as_ref().map(|p| p.as_str())).await?,
        preferred_contact: contact.preferred_contact,
    })
}

/// The id a new resident recorded with case `case` gets: derived from the
/// case's, so a retried opening records the same resident once.
pub fn new_resident_id(case: Uuid) -> Uuid {
    Uuid::new_v5(&case, b"resident")
}

/// Whether the actor works in the office, and may work any case.
fn is_office(context: &CommandContext) -> bool {
    context.roles.contains(&Role::Assistant)
}

/// Whether the actor is a councillor outside the office, who may open only
/// cases they can read afterwards (the website's form is neither).
fn is_councillor(context: &CommandContext) -> bool {
    !is_office(context)
        && context.roles.iter().any(|r| matches!(r, Role::Councillor | Role::Leader | Role::Officer))
}

/// Opens case `id` for `opening`'s resident, recording the resident first
/// when they are new. A councillor opens only cases they own or share.
pub async fn open_case(
    scope: &Scope<'_>,
    desk: Desk<'_>,
    context: &CommandContext,
    id: Uuid,
    opening: CaseOpening,
) -> Result<(), ApiError> {
    let mut fields = Fields::new();
    references::check_current_member(scope, opening.owner_id, "/owner_id", &mut fields).await?;
    for (i, member) in opening.shared_with.iter().enumerate() {
        references::check_current_member(scope, *member, &format!("/shared_with/{i}"), &mut fields).await?;
    }
    if !desk.categories.contains(&opening.category) {
        let known: Vec<&str> = desk.categories.iter().map(Slug::as_str).collect();
        fields.reject("/category", format!("must be one of the group's categories: {}", known.join(", ")));
    }
    let received_on = opening.received_on.unwrap_or(desk.today);
    if received_on > desk.today {
        fields.reject("/received_on", "must not be after today");
    }
    if let CaseResident::Recorded(resident) = &opening.resident {
        match find_any::<Resident>(scope, *resident).await? {
            Some(found) if found.require_recorded().is_ok() => {}
            Some(_) => fields.reject("/resident_id", "this resident's personal data was erased"),
            None => fields.reject("/resident_id", "no such resident in this group"),
        }
    }
    let member = Uuid::parse_str(&context.actor).ok();
    let own = member.is_some_and(|m| m == opening.owner_id || opening.shared_with.contains(&m));
    if is_councillor(context) && !own {
        // Or they could not read the case they opened.
        fields.reject("/owner_id", "a councillor opens only cases they own or that are shared with them");
    }
    fields.finish(|| Some(()))?;
    let resident_id = match opening.resident {
        CaseResident::Recorded(resident) => resident,
        CaseResident::New(contact) => {
            let resident = new_resident_id(id);
            let details = seal_resident(desk.personal, resident, &contact).await?;
            let command = ResidentCommand::RecordResident {
                group_id: context.group_id.clone(),
                details,
                consent_to_share: contact.consent_to_share,
            };
            run::<Resident>(desk.bus, context, resident, command, Expectation::New, "resident").await?;
            resident
        }
    };
    let draft = CaseDraft {
        resident_id,
        ward: opening.ward,
        category: opening.category,
        channel: opening.channel,
        summary: seal(desk.personal, id, "summary", opening.summary.as_str()).await?,
        special_category: opening.special_category,
        owner_id: opening.owner_id,
        shared_with: opening.shared_with,
        received_on,
    };
    let command = CaseCommand::OpenCase { group_id: context.group_id.clone(), draft: Box::new(draft) };
    run::<Case>(desk.bus, context, id, command, Expectation::New, "case").await
}

/// A referral to make: to which organisation, and how.
#[derive(Debug, Clone)]
pub struct Referring {
    /// The organisation.
    pub organisation_id: Uuid,
    /// Whether the resident's details go with it.
    pub share_details: bool,
    /// The organisation's reference, if given at once.
    pub their_reference: Option<crate::domain::Title>,
    /// The day (default: today).
    pub on: Option<NaiveDate>,
}

/// The command referring case `id` to an active organisation of the group,
/// its due dates counted from the day in working days under the
/// organisation's targets; the resident's details go with it only with their
/// consent. The actor (`actor`, holding `roles`) must be able to read the case.
pub async fn referral(
    scope: &Scope<'_>,
    desk: Desk<'_>,
    (actor, roles): (&str, &[Role]),
    id: Uuid,
    referring: Referring,
) -> Result<CaseCommand, ApiError> {
    let case = visible_case(scope, actor, roles, id).await?;
    let organisation = find_any::<Organisation>(scope, referring.organisation_id).await?;
    let Some(organisation) = organisation else {
        return Err(Invalid::field("/organisation_id", "no such organisation in this group").into());
    };
    organisation.require_active().map_err(|error| match error {
        OrganisationError::NotRegistered => ApiError::NotFound("organisation"),
        other => ApiError::Conflict(other.to_string()),
    })?;
    if referring.share_details {
        let consents = match case.resident_id {
            Some(resident) => {
                find_any::<Resident>(scope, resident).await?.is_some_and(|r| r.consent_to_share)
            }
            None => false,
        };
        if !consents {
            return Err(ApiError::Conflict(CaseError::NoConsentToShare.to_string()));
        }
    }
    let on = referring.on.unwrap_or(desk.today);
    let targets = organisation.targets;
    let referral = NewReferral {
        organisation_id: referring.organisation_id,
        organisation: organisation.name.ok_or(ApiError::NotFound("organisation"))?,
        targets,
        referred_on: on,
        acknowledge_by: desk.calendar.due(on, targets.acknowledge),
        reply_by: desk.calendar.due(on, targets.reply),
        details_shared: referring.share_details,
        their_reference: referring.their_reference,
    };
    Ok(CaseCommand::ReferCase { referral: Box::new(referral) })
}

/// The command chasing case `id`'s open referral on a day (default today),
/// the next chase due the organisation's `chase_every` working days after
/// it; the note sealed under the case's key.
pub async fn chase(
    scope: &Scope<'_>,
    desk: Desk<'_>,
    (actor, roles): (&str, &[Role]),
    id: Uuid,
    (on, note): (Option<NaiveDate>, Option<&str>),
) -> Result<CaseCommand, ApiError> {
    let case = visible_case(scope, actor, roles, id).await?;
    let referral =
        case.open_referral().ok_or_else(|| ApiError::Conflict(CaseError::NoOpenReferral.to_string()))?;
    let on = on.unwrap_or(desk.today);
    let next_by = desk.calendar.due(on, referral.targets.chase_every);
    let note = seal_optional(desk.personal, id, "note", note).await?;
    Ok(CaseCommand::ChaseReferral { on, note, next_by })
}

/// A former member's open cases, which must be handed to another councillor
/// or closed.
#[derive(Debug, Clone)]
pub struct AwaitingHandover {
    /// The member who left.
    pub member_id: Uuid,
    /// Their name.
    pub name: String,
    /// The day they left.
    pub left_on: Option<NaiveDate>,
    /// Their open cases, as stored.
    pub cases: Vec<records::StoredRecord>,
}

/// Every member who has left the group while still owning open cases, with
/// those cases: the list of decisions the office has to make.
pub async fn awaiting_handover(scope: &Scope<'_>) -> Result<Vec<AwaitingHandover>, ApiError> {
    let open: Vec<&str> = CaseStatus::OPEN.into_iter().map(CaseStatus::as_str).collect();
    let mut waiting = Vec::new();
    for (member_id, member, _) in references::all::<Member>(scope).await? {
        if member.status != MemberStatus::Left {
            continue;
        }
        let query = records::RecordQuery::new(scope.group_id, Case::TYPE, &Classification::ALL).filtered(
            records::RecordFilter { statuses: &open, member_id: Some(member_id), ..Default::default() },
        );
        let cases = records::list_all(scope.db, &query).await?;
        if !cases.is_empty() {
            let name = member.name.map(|n| n.to_string()).unwrap_or_default();
            waiting.push(AwaitingHandover { member_id, name, left_on: member.left_on, cases });
        }
    }
    Ok(waiting)
}

/// A file to attach to a case, as uploaded.
#[derive(Debug)]
pub struct Attachment<'a> {
    /// Its file name.
    pub name: Title,
    /// Its media type and bytes.
    pub upload: &'a Upload,
}

/// Attaches `file` to case `id` (at `version`, if given): its bytes are
/// sealed under the case's key and stored, its name sealed in the event.
pub async fn attach_file(
    scope: &Scope<'_>,
    desk: Desk<'_>,
    context: &CommandContext,
    (id, version): (Uuid, Option<u64>),
    file: Attachment<'_>,
) -> Result<(), ApiError> {
    visible_case(scope, &context.actor, &context.roles, id).await?;
    let sha256 = hex::encode(Sha256::digest(&file.upload.content));
    let case_key = id.to_string();
    let sealed = desk.personal.seal_bytes(&case_key, &sha256, &file.upload.content).await?;
    let size = u64::try_from(file.upload.content.len()).map_err(ApiError::internal)?;
    let stored = NewCaseFile {
        group_id: scope.group_id,
        case_id: &case_key,
        sha256: &sha256,
        size,
        sealed: &sealed,
        uploaded_by: &context.actor,
    };
    case_files::put(scope.db, stored, &crate::store::projector::now()).await?;
    let media_type = Title::parse(&file.upload.media_type)
        .map_err(|e| ApiError::invalid_field("/media_type", e.to_string()))?;
    let file = CaseFile {
        sha256,
        name: seal(desk.personal, id, "name", file.name.as_str()).await?,
        media_type,
        size,
        on: desk.today,
    };
    run::<Case>(
        desk.bus,
        context,
        id,
        CaseCommand::AttachCaseFile { file },
        Expectation::Existing(version),
        "case",
    )
    .await
}

/// The open cases whose open referral to `organisation_id` is past due on
/// `today`.
async fn overdue_with(
    scope: &Scope<'_>,
    organisation_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<(Uuid, Case)>, StoreError> {
    let statuses: Vec<&str> = CaseStatus::OPEN.iter().map(|s| s.as_str()).collect();
    let filter = records::RecordFilter {
        statuses: &statuses,
        body_id: Some(organisation_id),
        due_on_or_before: today.pred_opt(),
        ..records::RecordFilter::default()
    };
    let query = records::RecordQuery::new(scope.group_id, Case::TYPE, &Classification::ALL).filtered(filter);
    let mut cases = Vec::new();
    for stored in records::list_all(scope.db, &query).await? {
        let (id, case): (Uuid, Case) = references::parsed(&stored)?;
        if case.is_overdue(today)
            && case.open_referral().is_some_and(|r| r.organisation_id == organisation_id)
        {
            cases.push((id, case));
        }
    }
    Ok(cases)
}

/// What the casework report of `period`, read on `today`, is built from: the
/// facts the group's cases state, counted by the store.
pub async fn report_facts(
    scope: &Scope<'_>,
    period: Period,
    today: NaiveDate,
) -> Result<CaseworkFacts, StoreError> {
    let facts = Facts { group_id: scope.group_id, record_type: Case::TYPE };
    let counted = [
        case_facts::OPENED_CATEGORY,
        case_facts::OPENED_WARD,
        case_facts::CLOSED_CATEGORY,
        case_facts::CLOSED_OUTCOME,
    ];
    let day = |text: Option<&str>| text.and_then(|d| d.parse::<NaiveDate>().ok());
    let mut answers = Vec::new();
    for answer in facts.between(scope.db, case_facts::ANSWERED, period.from, period.to).await? {
        let parsed =
            (Uuid::parse_str(&answer.value).ok(), day(answer.since.as_deref()), day(answer.day.as_deref()));
        if let (Some(organisation), Some(referred), Some(answered)) = parsed {
            answers.push((organisation, referred, answered));
        }
    }
    let mut longest_overdue = Vec::new();
    for due in facts.earliest_before(scope.db, case_facts::OPEN, today, LONGEST_OVERDUE as u32).await? {
        let (Ok(case_id), Ok(organisation_id), Some(due_on)) =
            (Uuid::parse_str(&due.record_id), Uuid::parse_str(&due.value), day(due.day.as_deref()))
        else {
            continue;
        };
        let Some(case) = find_any::<Case>(scope, case_id).await? else { continue };
        longest_overdue.push(Overdue {
            case_id,
            category: case.category.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            ward: case.ward.map(|w| w.to_string()).unwrap_or_default(),
            organisation_id,
            due_on,
        });
    }
    let organisation_names = references::all::<Organisation>(scope)
        .await?
        .into_iter()
        .filter_map(|(id, organisation, _)| organisation.name.map(|name| (id, name.to_string())))
        .collect();
    Ok(CaseworkFacts {
        counted: facts.count_between(scope.db, &counted, period.from, period.to).await?,
        waiting: facts.count_due(scope.db, case_facts::OPEN, today).await?,
        answers,
        longest_overdue,
        organisation_names,
    })
}

/// A council question to draft from overdue casework, as asked for.
#[derive(Debug, Clone)]
pub struct QuestionAsked {
    /// The organisation the cases wait on.
    pub organisation_id: Uuid,
    /// The council meeting it is for.
    pub meeting_id: Uuid,
    /// The group's member who asks it.
    pub proposer_id: Uuid,
    /// Who it is put to.
    pub directed_to: Title,
    /// The cases named, if any (default: every overdue one the actor may read).
    pub case_ids: Option<Vec<Uuid>>,
}

/// Drafts, as motion `id`, a council question to the Cabinet Member about
/// the cases overdue with one organisation: repeated failures are a political
/// matter for the group. The question counts and dates them and names no
/// resident; the motion keeps the cases' ids.
pub async fn draft_council_question(
    scope: &Scope<'_>,
    desk: Desk<'_>,
    context: &CommandContext,
    id: Uuid,
    asked: QuestionAsked,
) -> Result<(), ApiError> {
    let mut fields = Fields::new();
    let organisation = find_any::<Organisation>(scope, asked.organisation_id)
        .await?
        .and_then(|o| Some((o.name?, o.targets)))
        .ok_or(ApiError::NotFound("organisation"))?;
    let (name, targets) = organisation;
    super::motions::council_meeting(scope, asked.meeting_id, &mut fields).await?;
    references::check_current_member(scope, asked.proposer_id, "/proposer_id", &mut fields).await?;
    if !is_office(context) && context.actor != asked.proposer_id.to_string() {
        fields.reject("/proposer_id", "a councillor asks a question only as themselves");
    }
    let overdue: Vec<(Uuid, Case)> = overdue_with(scope, asked.organisation_id, desk.today)
        .await?
        .into_iter()
        .filter(|(_, case)| case.readable_by(&context.actor, &context.roles))
        .collect();
    let chosen: Vec<&(Uuid, Case)> = match &asked.case_ids {
        None => overdue.iter().collect(),
        Some(ids) => {
            for (i, wanted) in ids.iter().enumerate() {
                if !overdue.iter().any(|(id, _)| id == wanted) {
                    fields.reject(
                        &format!("/case_ids/{i}"),
                        format!("not a case overdue with {name} that you may read"),
                    );
                }
            }
            overdue.iter().filter(|(id, _)| ids.contains(id)).collect()
        }
    };
    fields.finish(|| Some(()))?;
    if chosen.is_empty() {
        return Err(ApiError::Conflict(format!(
            "no case is overdue with {name}: there is nothing to ask about"
        )));
    }
    let referred: Vec<NaiveDate> =
        chosen.iter().filter_map(|(_, c)| c.open_referral().map(|r| r.referred_on)).collect();
    let (first, last) = (referred.iter().min().copied(), referred.iter().max().copied());
    let longest = chosen
        .iter()
        .filter_map(|(_, c)| c.next_due_on().map(|due| desk.calendar.working_days_between(due, desk.today)))
        .max()
        .unwrap_or(0);
    let count = chosen.len();
    let enquiries = if count == 1 { "enquiry".to_owned() } else { format!("{count} enquiries") };
    let span = match (first, last) {
        (Some(first), Some(last)) if first != last => format!("between {first} and {last}"),
        (Some(first), _) => format!("on {first}"),
        _ => String::new(),
    };
    let text = format!(
        "Will the {directed_to} explain why residents' {enquiries}, referred by councillors to {name} {span}, \
         are still without the answer its own target promises within {reply} working days, the longest now \
         {longest} working days overdue, and say what will be done to answer them and to meet that target in \
         future?",
        directed_to = asked.directed_to,
        reply = targets.reply,
    );
    let title = Title::parse(&format!("Unanswered residents' enquiries: {name}"))
        .or_else(|_| Title::parse("Unanswered residents' enquiries"))
        .map_err(ApiError::internal)?;
    let draft = MotionDraft {
        group_id: context.group_id.clone(),
        kind: MotionKind::Question,
        title,
        text: LongText::parse(&text).map_err(ApiError::internal)?,
        origin: MotionOrigin::Group { proposer_id: asked.proposer_id, seconder_id: None },
        meeting_id: asked.meeting_id,
        directed_to: Some(asked.directed_to),
        classification: Classification::Group,
        case_ids: chosen.iter().map(|(id, _)| *id).collect(),
    };
    let command = MotionCommand::RecordMotion(Box::new(draft));
    run::<Motion>(desk.bus, context, id, command, Expectation::New, "question").await
}

/// The actor the website's enquiries are recorded as.
pub const WEBSITE_FORM: &str = "website-form";

/// Opens, as case `id` of `group`, a resident's enquiry from the website:
/// owned by a councillor of their ward (the first by name) and shared with
/// the ward's others; `received`, in the category asked for or `other`.
pub async fn receive_enquiry(
    db: &crate::store::Database,
    desk: Desk<'_>,
    group: &crate::domain::GroupId,
    id: Uuid,
    enquiry: Enquiry,
) -> Result<(), ApiError> {
    let scope = Scope::new(db, group, &[Role::Assistant]);
    let ward = crate::domain::tag("ward", enquiry.ward.as_str());
    let mut councillors: Vec<(String, Uuid)> = references::all::<Member>(&scope)
        .await?
        .into_iter()
        .filter(|(_, m, _)| m.status == MemberStatus::Member)
        .filter(|(_, m, _)| m.ward.as_ref().is_some_and(|w| crate::domain::tag("ward", w.as_str()) == ward))
        .map(|(member, m, _)| (m.name.map(|n| n.to_string()).unwrap_or_default(), member))
        .collect();
    councillors.sort();
    let Some(((_, owner), others)) = councillors.split_first() else {
        return Err(Invalid::field("/ward", "no councillor of the group represents this ward").into());
    };
    let other = Slug::parse("other").ok().filter(|other| desk.categories.contains(other));
    let category = match enquiry.category {
        Some(category) if desk.categories.contains(&category) => category,
        _ => other.or_else(|| desk.categories.first().cloned()).ok_or(ApiError::NotFound("category"))?,
    };
    let opening = CaseOpening {
        resident: CaseResident::New(Box::new(enquiry.resident)),
        ward: enquiry.ward,
        category,
        channel: crate::domain::case::Channel::WebForm,
        summary: enquiry.problem,
        special_category: None,
        owner_id: *owner,
        shared_with: others.iter().map(|(_, member)| *member).collect(),
        received_on: None,
    };
    let context = CommandContext {
        actor: WEBSITE_FORM.to_owned(),
        roles: Vec::new(),
        group_id: group.clone(),
        request_id: format!("enquiry-{id}"),
        idempotency_key: None,
    };
    open_case(&scope, desk, &context, id, opening).await
}

/// Every case of resident `id` in the scope's group, as stored, whatever the
/// actor may read: for the resident's own export and erasure.
pub async fn cases_of_resident(
    scope: &Scope<'_>,
    id: Uuid,
) -> Result<Vec<records::StoredRecord>, StoreError> {
    let query = records::RecordQuery::new(scope.group_id, Case::TYPE, &Classification::ALL)
        .filtered(records::RecordFilter { subject_id: Some(id), ..Default::default() });
    records::list_all(scope.db, &query).await
}
