//! `/appointments`: who the group has nominated or appointed to which body's
//! seats, for which term.

use super::Routes;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Days, Local, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    AppState,
    bodies::{self, BodyStatusDto, BodyView},
    classification::ClassificationDto,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::references;
use crate::auth::{Caller, Operation};
use crate::domain::appointment::{Appointment, AppointmentCommand, AppointmentStatus, EndReason, Nomination};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, ReadErrors,
};
use crate::store::{
    command_bus::Expectation,
    records::{RecordFilter, StoredRecord},
};

/// The statuses of an appointment that take a seat: held or nominated to.
pub(crate) const HOLDING: &[&str] = &["nominated", "current"];

/// The furthest ahead `ending_within_days` looks: ten years.
const MAX_ENDING_WITHIN_DAYS: u32 = 3_660;

pub fn configure(config: &mut Routes) {
    config
        .service(nominate_appointment)
        .service(list_appointments)
        .service(get_appointment)
        .service(confirm_appointment)
        .service(end_appointment)
        .service(withdraw_appointment);
}

/// Where an appointment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatusDto {
    /// Nominated, awaiting confirmation.
    Nominated,
    /// Confirmed and held.
    Current,
    /// Held, and now ended.
    Ended,
    /// Withdrawn before it was confirmed.
    Withdrawn,
}

impl AppointmentStatusDto {
    fn as_str(self) -> &'static str {
        match self {
            Self::Nominated => "nominated",
            Self::Current => "current",
            Self::Ended => "ended",
            Self::Withdrawn => "withdrawn",
        }
    }
}

/// Why an appointment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndReasonDto {
    /// The member resigned the seat.
    Resigned,
    /// The group put another member in the seat.
    Replaced,
    /// The term ran out.
    TermExpired,
    /// The member was removed.
    Removed,
    /// The member died.
    Died,
}

impl From<EndReasonDto> for EndReason {
    fn from(dto: EndReasonDto) -> Self {
        match dto {
            EndReasonDto::Resigned => Self::Resigned,
            EndReasonDto::Replaced => Self::Replaced,
            EndReasonDto::TermExpired => Self::TermExpired,
            EndReasonDto::Removed => Self::Removed,
            EndReasonDto::Died => Self::Died,
        }
    }
}

impl From<EndReason> for EndReasonDto {
    fn from(reason: EndReason) -> Self {
        match reason {
            EndReason::Resigned => Self::Resigned,
            EndReason::Replaced => Self::Replaced,
            EndReason::TermExpired => Self::TermExpired,
            EndReason::Removed => Self::Removed,
            EndReason::Died => Self::Died,
        }
    }
}

/// Nominate a member to a seat on a body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NominateAppointmentRequest {
    /// The body, in the caller's group.
    pub body_id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// The post held on the body, e.g. `Chair` or `Vice-Chair`; up to 200 characters.
    #[serde(default)]
    pub role_title: Option<String>,
    /// The first day of the term.
    pub term_starts_on: NaiveDate,
    /// The last day of the term, if it has one; not before its first day.
    #[serde(default)]
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: ClassificationDto,
}

impl NominateAppointmentRequest {
    fn parse(&self) -> Result<Nomination, ApiError> {
        let mut fields = Fields::new();
        let role_title = fields.optional_text("/role_title", self.role_title.as_deref());
        if let Some(term_ends_on) = self.term_ends_on {
            fields.not_before("/term_ends_on", term_ends_on, self.term_starts_on, "term_starts_on");
        }
        Ok(fields.finish(|| {
            Some(Nomination {
                body_id: self.body_id,
                member_id: self.member_id,
                role_title: role_title?,
                term_starts_on: self.term_starts_on,
                term_ends_on: self.term_ends_on,
                classification: self.classification.into(),
            })
        })?)
    }
}

/// Confirm a nomination.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmAppointmentRequest {
    /// The day it was confirmed (e.g. the day of Annual Council).
    pub on: NaiveDate,
}

/// End a current appointment.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndAppointmentRequest {
    /// The last day it was held; not before the term starts.
    pub on: NaiveDate,
    /// Why it ended.
    pub reason: EndReasonDto,
    /// Anything more to say, up to 2,000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// Withdraw a nomination.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawAppointmentRequest {
    /// Why, up to 2,000 characters.
    pub reason: String,
}

/// An appointment of a member to a body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppointmentView {
    /// The appointment's id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: AppointmentStatusDto,
    /// The body.
    pub body_id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// The post held on the body, e.g. `Chair`.
    pub role_title: Option<String>,
    /// The first day of the term.
    pub term_starts_on: NaiveDate,
    /// The last day of the term, if it has one.
    pub term_ends_on: Option<NaiveDate>,
    /// Who may read it.
    pub classification: ClassificationDto,
    /// The day it was confirmed.
    pub confirmed_on: Option<NaiveDate>,
    /// The last day it was held.
    pub ended_on: Option<NaiveDate>,
    /// Why it ended.
    pub end_reason: Option<EndReasonDto>,
    /// Anything more said when it ended.
    pub end_note: Option<String>,
    /// Why the nomination was withdrawn.
    pub withdrawal_reason: Option<String>,
    /// When it was nominated (RFC 3339, UTC).
    pub recorded_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl RecordView for AppointmentView {
    type Record = Appointment;
    const NAME: &'static str = "appointment";
    const COLLECTION: &'static str = "/appointments";

    fn from_stored(id: Uuid, a: Appointment, stored: &StoredRecord) -> Result<Self, ApiError> {
        let unnominated =
            || ApiError::internal(anyhow::anyhow!("appointment {id} in the read model is unnominated"));
        let status = match a.status {
            AppointmentStatus::Unnominated => return Err(unnominated()),
            AppointmentStatus::Nominated => AppointmentStatusDto::Nominated,
            AppointmentStatus::Current => AppointmentStatusDto::Current,
            AppointmentStatus::Ended => AppointmentStatusDto::Ended,
            AppointmentStatus::Withdrawn => AppointmentStatusDto::Withdrawn,
        };
        Ok(Self {
            id,
            version: stored.version as u64,
            status,
            body_id: a.body_id.ok_or_else(unnominated)?,
            member_id: a.member_id.ok_or_else(unnominated)?,
            role_title: a.role_title.map(|t| t.to_string()),
            term_starts_on: a.term_starts_on.ok_or_else(unnominated)?,
            term_ends_on: a.term_ends_on,
            classification: a.classification.ok_or_else(unnominated)?.into(),
            confirmed_on: a.confirmed_on,
            ended_on: a.ended_on,
            end_reason: a.end_reason.map(Into::into),
            end_note: a.end_note.map(|n| n.to_string()),
            withdrawal_reason: a.withdrawal_reason.map(|r| r.to_string()),
            recorded_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
        })
    }
}

/// A page of the appointments register.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppointmentPage {
    /// The appointments, oldest first.
    pub items: Vec<AppointmentView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the appointments register.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AppointmentFilters {
    /// Only appointments to this body.
    pub body_id: Option<Uuid>,
    /// Only appointments of this member.
    pub member_id: Option<Uuid>,
    /// Only appointments in this status.
    pub status: Option<AppointmentStatusDto>,
    /// Only appointments whose term ends between today and this many days from
    /// today (0 to 3,660); unless `status` is given, only nominated and current ones.
    pub ending_within_days: Option<u32>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<caucus_wire::Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<caucus_wire::PageLimit>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}

/// Checks the body a nomination names: it must be in the caller's group (else
/// 422 naming `/body_id`), active, and have a seat free (else 409).
async fn check_body_has_a_free_seat(
    state: &AppState,
    caller: &Caller,
    body_id: Uuid,
) -> Result<(), ApiError> {
    let body = match command::find::<BodyView>(state, caller, body_id).await {
        Ok((body, _)) => body,
        Err(ApiError::NotFound(_)) => {
            return Err(ApiError::invalid_field("/body_id", "no such body in this group"));
        }
        Err(other) => return Err(other),
    };
    if body.status != BodyStatusDto::Active {
        return Err(ApiError::Conflict("this body is dissolved and takes no nominations".into()));
    }
    let filled =
        bodies::filled_seats(state, caller, Some(body_id)).await?.get(&body_id).copied().unwrap_or(0);
    if filled >= body.seats {
        return Err(ApiError::Conflict(format!(
            "every one of this body's {} seats is held or has a nomination",
            body.seats
        )));
    }
    Ok(())
}

/// Nominate a member to a body.
#[utoipa::path(
    tag = "appointments",
    operation_id = "nominate_appointment",
    summary = "Nominate a member to a seat on a body of the group that has a seat free",
    request_body = NominateAppointmentRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: a repeat with the same key records nothing new")),
    responses((status = 201, description = "Nominated", body = AppointmentView), CommandErrors),
    security(("bearer" = []))
)]
#[post("/appointments")]
async fn nominate_appointment(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    key: IdempotencyKey,
    body: JsonBody<NominateAppointmentRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::NominateAppointment)?;
    let nomination = body.value.parse()?;
    let (body_id, member_id) = (nomination.body_id, nomination.member_id);
    // Checked inside the idempotency claim, like the seat: a retry replays.
    let checks = async {
        let mut fields = Fields::new();
        references::check_current_member(
            &command::scope(&state, &caller),
            member_id,
            "/member_id",
            &mut fields,
        )
        .await?;
        fields.finish(|| Some(()))?;
        check_body_has_a_free_seat(&state, &caller, body_id).await
    };
    let command = AppointmentCommand::NominateMember {
        group_id: caller.group_id.clone(),
        nomination: Box::new(nomination),
    };
    command::execute_checked::<AppointmentView>(
        Write::create(&state, &caller, &request, &key, &body.raw, command),
        Some(&format!("body-seats:{body_id}")),
        checks,
    )
    .await
}

/// List appointments.
#[utoipa::path(
    tag = "appointments",
    operation_id = "list_appointments",
    summary = "The appointments register, oldest first, filtered by body, member, status or the end of the term",
    params(AppointmentFilters),
    responses((status = 200, description = "A page of appointments", body = AppointmentPage), ListErrors),
    security(("bearer" = []))
)]
#[get("/appointments")]
async fn list_appointments(
    state: web::Data<AppState>,
    caller: Caller,
    filters: web::Query<AppointmentFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListAppointments)?;
    let paging = PageParams { cursor: filters.cursor.clone(), limit: filters.limit, as_of: filters.as_of };
    let mut statuses: Vec<&str> = filters.status.iter().map(|s| s.as_str()).collect();
    let (mut due_on_or_after, mut due_on_or_before) = (None, None);
    if let Some(days) = filters.ending_within_days {
        if days > MAX_ENDING_WITHIN_DAYS {
            return Err(ApiError::BadRequest(format!(
                "ending_within_days must be between 0 and {MAX_ENDING_WITHIN_DAYS}"
            )));
        }
        let today = Local::now().date_naive();
        due_on_or_after = Some(today);
        due_on_or_before = today.checked_add_days(Days::new(u64::from(days)));
        if statuses.is_empty() {
            statuses.extend_from_slice(HOLDING);
        }
    }
    let (items, next_cursor) = listing::page_of::<AppointmentView>(
        &state,
        &caller,
        &paging,
        RecordFilter {
            statuses: &statuses,
            member_id: filters.member_id,
            body_id: filters.body_id,
            due_on_or_before,
            due_on_or_after,
            ..RecordFilter::default()
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(AppointmentPage { items, next_cursor }))
}

/// Read one appointment.
#[utoipa::path(
    tag = "appointments",
    operation_id = "get_appointment",
    summary = "One appointment; the ETag is its version",
    params(("id" = Uuid, Path, description = "The appointment's id"), command::AsOf),
    responses((status = 200, description = "The appointment", body = AppointmentView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/appointments/{id}")]
async fn get_appointment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    at: web::Query<command::AsOf>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::GetAppointment)?;
    command::read_one::<AppointmentView>(&state, &caller, *id, &at).await
}

record_command!(
    AppointmentView,
    AppointmentCommand,
    "appointments",
    confirm_appointment,
    ConfirmAppointment,
    post,
    "/appointments/{id}/confirmation",
    "Confirm a nomination, e.g. at Annual Council",
    ConfirmAppointmentRequest,
    |caller, state, value, id| Ok::<_, ApiError>(AppointmentCommand::ConfirmAppointment { on: value.on })
);

record_command!(
    AppointmentView,
    AppointmentCommand,
    "appointments",
    end_appointment,
    EndAppointment,
    post,
    "/appointments/{id}/end",
    "End a current appointment, giving the reason",
    EndAppointmentRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let note = fields.optional_text("/note", value.note.as_deref());
        fields.finish(|| {
            Some(AppointmentCommand::EndAppointment {
                on: value.on,
                reason: value.reason.into(),
                note: note?,
            })
        })
    }
);

record_command!(
    AppointmentView,
    AppointmentCommand,
    "appointments",
    withdraw_appointment,
    WithdrawAppointment,
    post,
    "/appointments/{id}/withdrawal",
    "Withdraw a nomination that has not been confirmed",
    WithdrawAppointmentRequest,
    |caller, state, value, id| {
        let mut fields = Fields::new();
        let reason = fields.text("/reason", &value.reason);
        fields.finish(|| Some(AppointmentCommand::WithdrawNomination { reason: reason? }))
    }
);
