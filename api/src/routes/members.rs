//! `/members`: the group's members (Popolo persons and their membership).
//! Email and phone are personal data: they are sealed under the member's key
//! (`crate::personal`) before they go into a command, and reads open them only
//! for roles that `auth::policy::reads_personal_data` allows. Erasing a member's
//! personal data destroys that key.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use caucus_wire::me::MeView;
use caucus_wire::{IdList, ReadOn};
use caucus_wire::{
    ParseRequest,
    members::{
        AddMemberRequest, EraseMemberPersonalDataRequest, LinkMemberSignInRequest, MemberFilters, MemberPage,
        MemberView, ReferringRecordView, RemoveMemberRequest, SubjectAccessView, SubjectEventView,
        UpdateMemberProfileRequest,
    },
};
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app;
use crate::auth::{Caller, Operation, policy::reads_personal_data};
use crate::domain::{
    Classification, Sealed,
    member::{Member, MemberCommand, MemberStatus},
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::personal::{
    Opener,
    member::{EMAIL, PHONE, seal_contact},
    subjects_in_json,
};
use crate::store::{
    history, projector,
    records::{self, RecordFilter, RecordQuery, StoredRecord},
};

impl RecordView for MemberView {
    type Record = Member;
    const NAME: &'static str = "member";
    const COLLECTION: &'static str = "/members";

    fn from_stored(
        id: Uuid,
        record: Member,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        // Still sealed: `reveal` opens or withholds them.
        MemberView::sealed(id, record, command::stored(stored)).map_err(ApiError::internal)
    }

    async fn reveal(self, state: &AppState, caller: &Caller) -> Result<Self, ApiError> {
        let mut revealed = Self::reveal_all(vec![self], state, caller).await?;
        revealed.pop().ok_or_else(|| ApiError::internal(anyhow::anyhow!("a member revealed to nothing")))
    }

    /// Opens a page of members' contact details with one read of their keys.
    async fn reveal_all(views: Vec<Self>, state: &AppState, caller: &Caller) -> Result<Vec<Self>, ApiError> {
        if !reads_personal_data(&caller.roles) {
            return Ok(views.into_iter().map(|view| Self { email: None, phone: None, ..view }).collect());
        }
        let subjects: Vec<String> =
            views.iter().filter(|v| !v.personal_data_erased).map(|v| v.id.to_string()).collect();
        let opener = state.personal.opener(subjects.iter().map(String::as_str)).await?;
        let open = |field: &str, value: Option<String>| {
            value.and_then(|stored| opener.open(field, &Sealed::from_stored(stored)).readable())
        };
        Ok(views
            .into_iter()
            .map(|view| match view.personal_data_erased {
                true => Self { email: None, phone: None, ..view },
                false => Self {
                    email: open(EMAIL, view.email.clone()),
                    phone: open(PHONE, view.phone.clone()),
                    ..view
                },
            })
            .collect())
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(add_member)
        .service(list_members)
        .service(get_member)
        .service(update_member_profile)
        .service(remove_member)
        .service(erase_member_personal_data)
        .service(link_member_sign_in)
        .service(unlink_member_sign_in)
        .service(get_me)
        .service(get_member_subject_access);
}

/// Add a member.
#[utoipa::path(
    tag = "members",
    operation_id = "add_member",
    summary = "Add a councillor to the group, with their profile; their induction starts, from the group's induction steps, due counted from today",
    request_body = AddMemberRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
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
    // Joining starts the member's induction, from the group's steps as they stand today.
    let write = Write { id, ..Write::create(&state, &caller, &request, &key, &body.raw, ()) };
    let (scope, joined_on) = (command::scope(&state, &caller), state.read_on().today);
    command::execute_operation::<MemberView>(write, async |context| {
        app::members::join(&scope, &state.bus, context, id, command, joined_on).await
    })
    .await
}

/// List members.
#[utoipa::path(
    tag = "members",
    operation_id = "list_members",
    summary = "The group's members, oldest first, filtered by status or named by id; email and phone only for roles that may see personal data",
    params(MemberFilters),
    responses((status = 200, description = "A page of members", body = MemberPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/members")]
async fn list_members(
    state: web::Data<AppState>,
    caller: Caller,
    filters: Query<MemberFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListMembers)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: filters.as_of,
        newest_first: false,
    };
    let statuses: Vec<&str> = filters.status.iter().map(|s| MemberStatus::from(*s).as_str()).collect();
    let statuses: &[&str] = &statuses;
    let record_ids = IdList::record_ids(filters.ids.as_ref());
    let (items, next_cursor) = listing::page_of::<MemberView>(
        &state,
        &caller,
        &paging,
        RecordFilter { statuses, record_ids: &record_ids, ..RecordFilter::default() },
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
    at: Query<command::AsOf>,
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
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
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
    command::execute::<MemberView>(
        Write::create(
            &state,
            &caller,
            &request,
            &key,
            &body.raw,
            MemberCommand::UpdateMemberProfile(Box::new(changes)),
        )
        .on_existing(id, if_match.0),
    )
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
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(MemberCommand::LeaveGroup { on: value.on, reason: reason? }))
    }
);

/// Erase a member's personal data.
#[utoipa::path(
    tag = "members",
    operation_id = "erase_member_personal_data",
    summary = "Erase a member's personal data (crypto-shredding): records the erasure, then destroys the member's key, so their contact details are unreadable in every event, view, history, audit log and export; the public profile and the audit chain stay",
    request_body = EraseMemberPersonalDataRequest,
    params(
        ("id" = Uuid, Path, description = "The member's id"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
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
    let answer = command::execute::<MemberView>(
        Write::create(&state, &caller, &request, &key, &body.raw, MemberCommand::ErasePersonalData)
            .on_existing(id, if_match.0),
    )
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

/// Link a member to the identity they sign in with.
#[utoipa::path(
    tag = "members",
    operation_id = "link_member_sign_in",
    summary = "Link a member to the identity they sign in with at the council's identity provider (its issuer and their subject there), replacing any earlier link: that provider's tokens for them act as this member, so their own actions, cases and drafts are theirs; an identity linked to another member is refused (409)",
    request_body = LinkMemberSignInRequest,
    params(
        ("id" = Uuid, Path, description = "The member's id"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The member as they now stand", body = MemberView), CommandErrors),
    security(("bearer" = []))
)]
#[put("/members/{id}/sign-in")]
async fn link_member_sign_in(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    id: web::Path<Uuid>,
    body: JsonBody<LinkMemberSignInRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::LinkMemberSignIn)?;
    let id = *id;
    let identity = body.value.parse()?;
    command::find::<MemberView>(&state, &caller, id).await?;
    let scope = command::scope(&state, &caller);
    let link =
        app::members::sign_in_link(&scope, &state.personal, id, &identity.issuer, &identity.subject).await?;
    command::execute::<MemberView>(
        Write::create(&state, &caller, &request, &key, &body.raw, MemberCommand::LinkSignIn(link))
            .on_existing(id, if_match.0),
    )
    .await
}

/// Unlink a member's sign-in identity.
#[utoipa::path(
    tag = "members",
    operation_id = "unlink_member_sign_in",
    summary = "Unlink a member's sign-in identity: the provider's tokens for it no longer act as this member",
    params(
        ("id" = Uuid, Path, description = "The member's id"),
        ("If-Match" = inline(Option<caucus_wire::IfMatchValue>), Header, description = "The ETag you last read; a stale one is refused with 409"),
        ("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")
    ),
    responses((status = 200, description = "The member as they now stand", body = MemberView), CommandErrors),
    security(("bearer" = []))
)]
#[delete("/members/{id}/sign-in")]
async fn unlink_member_sign_in(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    if_match: IfMatch,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::UnlinkMemberSignIn)?;
    command::execute::<MemberView>(
        Write::create(&state, &caller, &request, &key, &[], MemberCommand::UnlinkSignIn)
            .on_existing(*id, if_match.0),
    )
    .await
}

/// Who the api takes the caller to be.
#[utoipa::path(
    tag = "members",
    operation_id = "get_me",
    summary = "Who the api takes the caller to be: their group and roles as Caucus names them, and the member they act as (their token's subject, or the member linked to their sign-in identity)",
    responses((status = 200, description = "The caller", body = MeView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/me")]
async fn get_me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetMe)?;
    let member = match Uuid::parse_str(&caller.subject) {
        Ok(id) => match command::find::<MemberView>(&state, &caller, id).await {
            Ok((member, _)) => Some(member),
            Err(ApiError::NotFound(_)) => None,
            Err(other) => return Err(other),
        },
        Err(_) => None,
    };
    Ok(HttpResponse::Ok().json(MeView {
        subject: caller.subject.clone(),
        group: caller.group_id.to_string(),
        roles: caller.roles.iter().map(|role| role.as_str().to_owned()).collect(),
        member_id: member.as_ref().map(|m| m.id),
        name: member.map(|m| m.name),
    }))
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
    // A case names its councillor, but its texts and its resident are the
    // resident's personal data, not the member's: listed, never opened here.
    let mut withheld = Vec::new();
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
            let casework = stored.classification == Classification::Casework.as_str();
            let view = ReferringRecordView {
                record_type: record_type.to_owned(),
                record_id: stored.record_id,
                status: stored.status,
                version: stored.version,
                state: serde_json::from_str(&stored.state).map_err(ApiError::internal)?,
            };
            if casework { withheld.push(view) } else { referring.push(view) }
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
    withheld.iter_mut().for_each(|r| Opener::withholding().open_json(&mut r.state));
    referring.append(&mut withheld);
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
