//! `/members`: the group's members (Popolo persons and their membership).
//! Email and phone are personal data: reads show them only to roles that
//! `auth::policy::reads_personal_data` allows.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{
    AppState,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::auth::{Caller, Operation, policy::reads_personal_data};
use crate::domain::{
    Role,
    member::{Email, Member, MemberCommand, MemberProfile, MemberStatus, PhotoUrl, ProfileChanges},
};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, ReadErrors, with_etag,
};
use crate::store::{
    command_bus::Expectation,
    records::{RecordFilter, StoredRecord},
};

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(add_member)
        .service(list_members)
        .service(get_member)
        .service(update_member_profile)
        .service(remove_member);
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

impl AddMemberRequest {
    fn parse(&self) -> Result<MemberProfile, ApiError> {
        let mut fields = Fields::new();
        let name = fields.text("/name", &self.name);
        let ward = fields.text("/ward", &self.ward);
        let email = fields.optional_parsed("/email", self.email.as_deref(), Email::parse);
        let phone = fields.optional_text("/phone", self.phone.as_deref());
        let photo_url = fields.optional_parsed("/photo_url", self.photo_url.as_deref(), PhotoUrl::parse);
        let biography = fields.optional_text("/biography", self.biography.as_deref());
        fields.finish(|| {
            Some(MemberProfile {
                name: name?,
                ward: ward?,
                email: email?,
                phone: phone?,
                photo_url: photo_url?,
                biography: biography?,
            })
        })
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
    fn parse(&self) -> Result<ProfileChanges, ApiError> {
        let mut fields = Fields::new();
        let name = fields.optional_text("/name", self.name.as_deref());
        let ward = fields.optional_text("/ward", self.ward.as_deref());
        let email = fields.optional_parsed("/email", self.email.as_deref(), Email::parse);
        let phone = fields.optional_text("/phone", self.phone.as_deref());
        let photo_url = fields.optional_parsed("/photo_url", self.photo_url.as_deref(), PhotoUrl::parse);
        let biography = fields.optional_text("/biography", self.biography.as_deref());
        fields.finish(|| {
            Some(ProfileChanges {
                name: name?,
                ward: ward?,
                email: email?,
                phone: phone?,
                photo_url: photo_url?,
                biography: biography?,
            })
        })
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
    /// Their email address; `null` if none was given or the caller's roles may
    /// not see personal data (councillors and the publisher).
    pub email: Option<String>,
    /// Their telephone number; `null` if none was given or the caller's roles
    /// may not see personal data (councillors and the publisher).
    pub phone: Option<String>,
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

impl MemberView {
    /// The view as a caller holding `roles` may see it: personal data is
    /// removed unless their roles may read it.
    pub fn redact_for(self, roles: &[Role]) -> Self {
        if reads_personal_data(roles) { self } else { Self { email: None, phone: None, ..self } }
    }
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
            email: m.email.map(|e| e.to_string()),
            phone: m.phone.map(|p| p.to_string()),
            photo_url: m.photo_url.map(|u| u.to_string()),
            biography: m.biography.map(|b| b.to_string()),
            left_on: m.left_on,
            left_reason: m.left_reason.map(|r| r.to_string()),
            recorded_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
        })
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
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
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
    let profile = body.value.parse()?;
    let command = MemberCommand::JoinGroup { group_id: caller.group_id.clone(), profile: Box::new(profile) };
    // Every role that may add a member may see personal data, so the answer
    // needs no redaction (checked in `auth::policy`).
    command::execute::<MemberView>(Write::create(&state, &caller, &request, &key, &body.raw, command)).await
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
    let items = items.into_iter().map(|view: MemberView| view.redact_for(&caller.roles)).collect();
    Ok(HttpResponse::Ok().json(MemberPage { items, next_cursor }))
}

/// Read one member.
#[utoipa::path(
    tag = "members",
    operation_id = "get_member",
    summary = "One member; email and phone only for roles that may see personal data; the ETag is its version",
    params(("id" = Uuid, Path, description = "The member's id")),
    responses((status = 200, description = "The member", body = MemberView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/members/{id}")]
async fn get_member(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetMember)?;
    let (view, version) = command::find::<MemberView>(&state, &caller, *id).await?;
    Ok(with_etag(&mut HttpResponse::Ok(), version).json(view.redact_for(&caller.roles)))
}

record_command!(
    MemberView,
    MemberCommand,
    "members",
    update_member_profile,
    UpdateMemberProfile,
    post,
    "/members/{id}/profile",
    "Change parts of a member's profile; absent fields stay as they are",
    UpdateMemberProfileRequest,
    |caller, state, value, id| value
        .parse()
        .map(|changes| MemberCommand::UpdateMemberProfile(Box::new(changes)))
);

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
