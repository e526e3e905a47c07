//! `/members`: the group's members (Popolo persons and their membership).
//! Email and phone are personal data: they are sealed under the member's key
//! (`crate::personal`) before they go into a command, and reads open them only
//! for roles that `auth::policy::reads_personal_data` allows. Erasing a member's
//! personal data destroys that key.

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    AppState,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::auth::{Caller, Operation, policy::reads_personal_data};
use crate::domain::{
    Classification, Sealed, Title,
    member::{Email, Member, MemberCommand, MemberProfile, MemberStatus, PhotoUrl, ProfileChanges},
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, ReadErrors,
};
use crate::personal::{
    member::{EMAIL, PHONE, seal_contact},
    subjects_in_json,
};
use crate::store::{
    command_bus::Expectation,
    history, projector,
    records::{self, RecordFilter, RecordQuery, StoredRecord},
};

pub fn configure(config: &mut Routes) {
    config
        .service(add_member)
        .service(list_members)
        .service(get_member)
        .service(update_member_profile)
        .service(remove_member)
        .service(erase_member_personal_data)
        .service(get_member_subject_access);
}

/// Where a member stands with the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatusDto {
    /// A member of the group.
    Member,
    /// Has left the group.
    Left,
}

impl MemberStatusDto {
    fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Left => "left",
        }
    }
}

/// Add a councillor to the group.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMemberRequest {
    /// Their name as it should be shown, up to 200 characters.
    pub name: String,
    /// The ward they represent, up to 200 characters.
    pub ward: String,
    /// Their email address, up to 254 characters (personal data).
    #[serde(default)]
    pub email: Option<String>,
    /// Their telephone number, up to 200 characters (personal data).
    #[serde(default)]
    pub phone: Option<String>,
    /// An `https://` URL of a photo of them, up to 2,000 characters.
    #[serde(default)]
    pub photo_url: Option<String>,
    /// A short biography, up to 50,000 characters.
    #[serde(default)]
    pub biography: Option<String>,
}

/// A member's contact details, checked but not yet sealed.
struct Contact {
    email: Option<Email>,
    phone: Option<Title>,
}

impl AddMemberRequest {
    fn parse(&self) -> Result<(MemberProfile, Contact), ApiError> {
        let mut fields = Fields::new();
        let name = fields.text("/name", &self.name);
        let ward = fields.text("/ward", &self.ward);
        let email = fields.optional_parsed("/email", self.email.as_deref(), Email::parse);
        let phone = fields.optional_text("/phone", self.phone.as_deref());
        let photo_url = fields.optional_parsed("/photo_url", self.photo_url.as_deref(), PhotoUrl::parse);
        let biography = fields.optional_text("/biography", self.biography.as_deref());
        Ok(fields.finish(|| {
            let profile = MemberProfile {
                name: name?,
                ward: ward?,
                email: None,
                phone: None,
                photo_url: photo_url?,
                biography: biography?,
            };
            Some((profile, Contact { email: email?, phone: phone? }))
        })?)
    }
}

/// Change parts of a member's profile: absent fields stay as they are, and
/// an update that changes nothing is refused.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberProfileRequest {
    /// A new name, up to 200 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// A new ward, up to 200 characters.
    #[serde(default)]
    pub ward: Option<String>,
    /// A new email address, up to 254 characters.
    #[serde(default)]
    pub email: Option<String>,
    /// A new telephone number, up to 200 characters.
    #[serde(default)]
    pub phone: Option<String>,
    /// A new `https://` photo URL, up to 2,000 characters.
    #[serde(default)]
    pub photo_url: Option<String>,
    /// A new biography, up to 50,000 characters.
    #[serde(default)]
    pub biography: Option<String>,
}

impl UpdateMemberProfileRequest {
    fn parse(&self) -> Result<(ProfileChanges, Contact), ApiError> {
        let mut fields = Fields::new();
        let name = fields.optional_text("/name", self.name.as_deref());
        let ward = fields.optional_text("/ward", self.ward.as_deref());
        let email = fields.optional_parsed("/email", self.email.as_deref(), Email::parse);
        let phone = fields.optional_text("/phone", self.phone.as_deref());
        let photo_url = fields.optional_parsed("/photo_url", self.photo_url.as_deref(), PhotoUrl::parse);
        let biography = fields.optional_text("/biography", self.biography.as_deref());
        Ok(fields.finish(|| {
            let changes = ProfileChanges {
                name: name?,
                ward: ward?,
                email: None,
                phone: None,
                photo_url: photo_url?,
                biography: biography?,
            };
            Some((changes, Contact { email: email?, phone: phone? }))
        })?)
    }
}

/// Record that a member left the group.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveMemberRequest {
    /// The day they left.
    pub on: NaiveDate,
    /// Why, up to 2,000 characters.
    pub reason: String,
}

/// A member of the group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    /// The member's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where they stand with the group.
    pub status: MemberStatusDto,
    /// Their name as it should be shown.
    pub name: String,
    /// The ward they represent.
    pub ward: String,
    /// Their email address; `null` if none was given, if the caller's roles may
    /// not see personal data (councillors and the publisher), or once erased.
    pub email: Option<String>,
    /// Their telephone number; `null` if none was given, if the caller's roles
    /// may not see personal data (councillors and the publisher), or once erased.
    pub phone: Option<String>,
    /// Whether their personal data was erased: their key is destroyed, and their
    /// contact details are unreadable everywhere.
    pub personal_data_erased: bool,
    /// An `https://` URL of a photo of them.
    pub photo_url: Option<String>,
    /// A short biography.
    pub biography: Option<String>,
    /// The day they left the group.
    pub left_on: Option<NaiveDate>,
    /// Why they left.
    pub left_reason: Option<String>,
    /// When they were added (RFC 3339, UTC).
    pub recorded_at: String,
    /// When the record last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl RecordView for MemberView {
    type Record = Member;
    const NAME: &'static str = "member";
    const COLLECTION: &'static str = "/members";

    fn from_stored(id: Uuid, m: Member, stored: &StoredRecord) -> Result<Self, ApiError> {
        let unjoined = || ApiError::internal(anyhow::anyhow!("member {id} in the read model never joined"));
        let status = match m.status {
            MemberStatus::NotJoined => return Err(unjoined()),
            MemberStatus::Member => MemberStatusDto::Member,
            MemberStatus::Left => MemberStatusDto::Left,
        };
        Ok(Self {
            id,
            version: stored.version as u64,
            status,
            name: m.name.ok_or_else(unjoined)?.to_string(),
            ward: m.ward.ok_or_else(unjoined)?.to_string(),
            // Still sealed: `reveal` opens or redacts them.
            email: m.email.map(|e| e.as_str().to_owned()),
            phone: m.phone.map(|p| p.as_str().to_owned()),
            personal_data_erased: m.personal_data_erased,
            photo_url: m.photo_url.map(|u| u.to_string()),
            biography: m.biography.map(|b| b.to_string()),
            left_on: m.left_on,
            left_reason: m.left_reason.map(|r| r.to_string()),
            recorded_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
        })
    }

    async fn reveal(self, state: &AppState, caller: &Caller) -> Result<Self, ApiError> {
        if !reads_personal_data(&caller.roles) || self.personal_data_erased {
            return Ok(Self { email: None, phone: None, ..self });
        }
        let opener = state.personal.opener([self.id.to_string().as_str()]).await?;
        let open = |field: &str, value: Option<String>| {
            value.and_then(|stored| opener.open(field, &Sealed::from_stored(stored)).readable())
        };
        let (email, phone) = (open(EMAIL, self.email.clone()), open(PHONE, self.phone.clone()));
        Ok(Self { email, phone, ..self })
    }
}

/// A page of the members list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberPage {
    /// The members, oldest first.
    pub items: Vec<MemberView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the members list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MemberFilters {
    /// Only members in this status.
    pub status: Option<MemberStatusDto>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<caucus_wire::Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<caucus_wire::PageLimit>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}

/// Add a member.
#[utoipa::path(
    tag = "members",
    operation_id = "add_member",
    summary = "Add a councillor to the group, with their profile",
    request_body = AddMemberRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Added", body = MemberView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/members")]
async fn add_member(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<AddMemberRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::AddMember)?;
    let (mut profile, contact) = body.value.parse()?;
    let id = command::new_record_id(&caller, &key, &request);
    (profile.email, profile.phone) =
        seal_contact(&state.personal, id, contact.email.as_ref(), contact.phone.as_ref()).await?;
    let command = MemberCommand::JoinGroup { group_id: caller.group_id.clone(), profile: Box::new(profile) };
    let write = Write { id, ..Write::create(&state, &caller, &request, &key, &body.raw, command) };
    command::execute::<MemberView>(write).await
}

/// List members.
#[utoipa::path(
    tag = "members",
    operation_id = "list_members",
    summary = "The group's members, oldest first, filtered by status; email and phone only for roles that may see personal data",
    params(MemberFilters),
    responses((status = 200, description = "A page of members", body = MemberPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/members")]
async fn list_members(
    state: web::Data<AppState>,
    caller: Caller,
    filters: web::Query<MemberFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListMembers)?;
    let paging = PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: filters.as_of };
    let statuses: Vec<&str> = filters.status.iter().map(|s| s.as_str()).collect();
    let statuses: &[&str] = &statuses;
    let (items, next_cursor) = listing::page_of::<MemberView>(
        &state,
        &caller,
        &paging,
        RecordFilter { statuses, ..RecordFilter::default() },
    )
    .await?;
    Ok(HttpResponse::Ok().json(MemberPage { items, next_cursor }))
}

/// Read one member.
#[utoipa::path(
    tag = "members",
    operation_id = "get_member",
    summary = "One member; email and phone only for roles that may see personal data; the ETag is its version",
    params(("id" = Uuid, Path, description = "The member's id"), command::AsOf),
    responses((status = 200, description = "The member", body = MemberView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/members/{id}")]
async fn get_member(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: web::Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetMember)?;
    command::read_one::<MemberView>(&state, &caller, *id, &at).await
}

/// Change parts of a member's profile.
#[utoipa::path(
    tag = "members",
    operation_id = "update_member_profile",
    summary = "Change parts of a member's profile; absent fields stay as they are",
    request_body = UpdateMemberProfileRequest,
    params(
        ("id" = Uuid, Path, description = "The record's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The record as it now stands", body = MemberView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/members/{id}/profile")]
async fn update_member_profile(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    id: web::Path<Uuid>,
    body: JsonBody<UpdateMemberProfileRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::UpdateMemberProfile)?;
    let id = *id;
    let (mut changes, contact) = body.value.parse()?;
    // Sealing draws a fresh nonce, so the aggregate cannot tell an unchanged
    // email or phone from a new one: leave out those equal to the current ones
    // here (every role that may update a member may read their contact details).
    let (current, _) = command::find::<MemberView>(&state, &caller, id).await?;
    let email = contact.email.filter(|email| current.email.as_deref() != Some(email.as_str()));
    let phone = contact.phone.filter(|phone| current.phone.as_deref() != Some(phone.as_str()));
    (changes.email, changes.phone) =
        seal_contact(&state.personal, id, email.as_ref(), phone.as_ref()).await?;
    command::execute::<MemberView>(Write {
        state: &state,
        caller: &caller,
        request: &request,
        body: &body.raw,
        key: &key,
        id,
        command: MemberCommand::UpdateMemberProfile(Box::new(changes)),
        expectation: Expectation::Existing(if_match.0),
    })
    .await
}

record_command!(
    MemberView,
    MemberCommand,
    "members",
    remove_member,
    RemoveMember,
    post,
    "/members/{id}/departure",
    "Record that a member left the group, giving a reason",
    RemoveMemberRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| Some(MemberCommand::LeaveGroup { on: value.on, reason: reason? }))
    }
);

/// Erase a member's personal data: no body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseMemberPersonalDataRequest {}

/// Erase a member's personal data.
#[utoipa::path(
    tag = "members",
    operation_id = "erase_member_personal_data",
    summary = "Erase a member's personal data (crypto-shredding): records the erasure, then destroys the member's key, so their contact details are unreadable in every event, view, history, audit log and export; the public profile and the audit chain stay",
    request_body = EraseMemberPersonalDataRequest,
    params(
        ("id" = Uuid, Path, description = "The member's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The member as they now stand", body = MemberView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/members/{id}/erasure")]
async fn erase_member_personal_data(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    id: web::Path<Uuid>,
    body: JsonBody<EraseMemberPersonalDataRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::EraseMemberPersonalData)?;
    let id = *id;
    let answer = command::execute::<MemberView>(Write {
        state: &state,
        caller: &caller,
        request: &request,
        body: &body.raw,
        key: &key,
        id,
        command: MemberCommand::ErasePersonalData,
        expectation: Expectation::Existing(if_match.0),
    })
    .await;
    // The event is recorded first, so an erasure is never without its record;
    // the key goes right after. Whenever the record says erased, the key is
    // destroyed (idempotently), so a retry after a crash in between (answered
    // 409: erased already) still completes the erasure.
    match command::find::<MemberView>(&state, &caller, id).await {
        Ok((member, _)) if member.personal_data_erased => state.personal.erase(&id.to_string()).await?,
        Ok(_) | Err(ApiError::NotFound(_)) => {}
        Err(other) => return Err(other),
    }
    answer
}

/// A record that refers to the member (an action they own, an appointment they hold).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferringRecordView {
    /// The record's type (`Action`, `Appointment`).
    pub record_type: String,
    /// Its id.
    pub record_id: String,
    /// Its status word.
    pub status: String,
    /// Its version.
    pub version: i64,
    /// The record as the read model holds it, personal data opened.
    pub state: Value,
}

/// One event of the member's record, personal data opened.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubjectEventView {
    /// Its sequence within the member's record.
    pub sequence: i64,
    /// The event's type.
    pub event_type: String,
    /// Who, when, in which roles, on which request.
    pub metadata: Value,
    /// The event, its sealed fields opened while the member's key exists
    /// (`null` once erased).
    pub payload: Value,
}

/// Everything the group holds about one member (a subject access export).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubjectAccessView {
    /// The member's id (the data subject).
    pub subject_id: Uuid,
    /// When this export was made (RFC 3339, UTC).
    pub generated_at: String,
    /// Whether their personal data was erased.
    pub personal_data_erased: bool,
    /// Their record.
    pub member: MemberView,
    /// The records that name them: actions they own, appointments they hold,
    /// meetings they attended or presented at, motions they moved, seconded or
    /// voted on, notes written for them, elections they stood in, ...
    pub referring_records: Vec<ReferringRecordView>,
    /// Every event of their record, oldest first.
    pub events: Vec<SubjectEventView>,
}

/// A subject access export of one member.
#[utoipa::path(
    tag = "members",
    operation_id = "get_member_subject_access",
    summary = "Everything held about one member: their record, every record that names them (actions, appointments, meetings, motions and votes, notes, elections, ...), and every event of their record, with their personal data opened while their key exists",
    params(("id" = Uuid, Path, description = "The member's id")),
    responses((status = 200, description = "The subject access export", body = SubjectAccessView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/members/{id}/subject-access")]
async fn get_member_subject_access(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetMemberSubjectAccess)?;
    let id = *id;
    let (member, _) = command::find::<MemberView>(&state, &caller, id).await?;
    let readable = Classification::readable_set(&caller.roles);
    let mut referring = Vec::new();
    // A member is named in many places besides the indexed owner column (a
    // vote, an attendance list, a candidacy): look through every record of
    // the group the caller may read for their id. Subject access is rare,
    // so a full read is the right price for not missing one.
    let named = id.to_string();
    let member_type = <Member as cqrs_es::Aggregate>::TYPE;
    for record_type in projector::record_types().filter(|t| *t != member_type) {
        let query = RecordQuery::new(&caller.group_id, record_type, &readable);
        for stored in records::list_all(&state.db, &query).await? {
            if !stored.state.contains(&named) {
                continue;
            }
            referring.push(ReferringRecordView {
                record_type: record_type.to_owned(),
                record_id: stored.record_id,
                status: stored.status,
                version: stored.version,
                state: serde_json::from_str(&stored.state).map_err(ApiError::internal)?,
            });
        }
    }
    let entries = history::history(&state.db, <Member as cqrs_es::Aggregate>::TYPE, &id.to_string()).await?;
    let mut events: Vec<SubjectEventView> = entries
        .into_iter()
        .map(|entry| SubjectEventView {
            sequence: entry.sequence,
            event_type: entry.event_type,
            metadata: entry.metadata,
            payload: entry.payload,
        })
        .collect();
    // Open every sealed value, whoever's it is (a record may hold another
    // member's sealed data), with all the keys fetched at once.
    let mut subjects = vec![id.to_string()];
    referring.iter().for_each(|r| subjects_in_json(&r.state, &mut subjects));
    events.iter().for_each(|e| subjects_in_json(&e.payload, &mut subjects));
    let opener = state.personal.opener(subjects.iter().map(String::as_str)).await?;
    referring.iter_mut().for_each(|r| opener.open_json(&mut r.state));
    events.iter_mut().for_each(|e| opener.open_json(&mut e.payload));
    let generated_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Ok(HttpResponse::Ok().json(SubjectAccessView {
        subject_id: id,
        generated_at,
        personal_data_erased: member.personal_data_erased,
        member,
        referring_records: referring,
        events,
    }))
}

/// Checks that `id` is a current member of the caller's group, recording a
/// field error at `pointer` if not (for commands that name an owner or holder).
pub async fn check_current_member(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    pointer: &str,
    fields: &mut Fields,
) -> Result<(), ApiError> {
    match command::find::<MemberView>(state, caller, id).await {
        Ok((member, _)) if member.status == MemberStatusDto::Member => Ok(()),
        Ok(_) => {
            fields.reject(pointer, "this member has left the group");
            Ok(())
        }
        Err(ApiError::NotFound(_)) => {
            fields.reject(pointer, "no such member in this group");
            Ok(())
        }
        Err(other) => Err(other),
    }
}
