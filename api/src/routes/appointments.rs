//! `/appointments`: who the group has nominated or appointed to which body's
//! seats, for which term.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::ReadOn;
use caucus_wire::{
    Input, ParseRequest,
    appointments::{
        AppointmentFilters, AppointmentPage, AppointmentStatus as WireStatus, AppointmentView,
        ConfirmAppointmentRequest, EndAppointmentRequest, NominateAppointmentRequest,
        WithdrawAppointmentRequest,
    },
    training::TrainingGapView,
};
use chrono::Days;
use uuid::Uuid;

use super::{
    AppState, Routes,
    command::{self, RecordView, Write, record_command},
    listing::{self, PageParams},
};
use crate::app::{seats, training};
use crate::auth::{Caller, Operation};
use crate::domain::appointment::{Appointment, AppointmentCommand, AppointmentStatus};
use crate::http::{
    ApiError, CommandErrors, Fields, IdempotencyKey, IfMatch, JsonBody, ListErrors, Query, ReadErrors,
};
use crate::store::records::{RecordFilter, StoredRecord};

impl RecordView for AppointmentView {
    type Record = Appointment;
    const NAME: &'static str = "appointment";
    const COLLECTION: &'static str = "/appointments";

    fn from_stored(
        id: Uuid,
        record: Appointment,
        stored: &StoredRecord,
        _on: ReadOn<'_>,
    ) -> Result<Self, ApiError> {
        AppointmentView::new(id, record, command::stored(stored)).map_err(ApiError::internal)
    }

    async fn reveal(self, state: &AppState, caller: &Caller) -> Result<Self, ApiError> {
        let mut revealed = Self::reveal_all(vec![self], state, caller).await?;
        revealed
            .pop()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("an appointment revealed to nothing")))
    }

    /// Each nomination's and held seat's training gaps, read together.
    async fn reveal_all(
        mut views: Vec<Self>,
        state: &AppState,
        caller: &Caller,
    ) -> Result<Vec<Self>, ApiError> {
        let seated = |v: &Self| matches!(v.status, WireStatus::Nominated | WireStatus::Current);
        let seats: Vec<(Uuid, Uuid)> =
            views.iter().filter(|v| seated(v)).map(|v| (v.member_id, v.body_id)).collect();
        let scope = command::scope(state, caller);
        let mut gaps = training::gaps(&scope, &seats, state.read_on().today).await?.into_iter();
        for view in views.iter_mut().filter(|v| seated(v)) {
            view.training_gaps = gaps
                .next()
                .unwrap_or_default()
                .into_iter()
                .map(|gap| TrainingGapView {
                    course_id: gap.course_id,
                    course_title: gap.title,
                    lapsed_on: gap.lapsed_on,
                })
                .collect();
        }
        Ok(views)
    }
}

pub fn configure(config: &mut Routes) {
    config
        .service(nominate_appointment)
        .service(list_appointments)
        .service(get_appointment)
        .service(confirm_appointment)
        .service(end_appointment)
        .service(withdraw_appointment);
}

/// Nominate a member to a body.
#[utoipa::path(
    tag = "appointments",
    operation_id = "nominate_appointment",
    summary = "Nominate a member to a seat on a body of the group that has a seat free",
    request_body = NominateAppointmentRequest,
    params(("Idempotency-Key" = inline(Option<caucus_wire::IdempotencyKeyValue>), Header, description = "Retry safely: a repeat with the same key records nothing new")),
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
    let write = Write::create(&state, &caller, &request, &key, &body.raw, ());
    let id = write.id;
    command::execute_operation::<AppointmentView>(write, async |context| {
        let scope = command::scope(&state, &caller);
        seats::nominate(&scope, &state.bus, context, (id, state.read_on().today), nomination).await
    })
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
    filters: Query<AppointmentFilters>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Operation::ListAppointments)?;
    let paging = PageParams {
        cursor: filters.cursor.clone(),
        limit: filters.limit,
        as_of: filters.as_of,
        newest_first: false,
    };
    let mut statuses: Vec<&str> =
        filters.status.iter().map(|s| AppointmentStatus::from(*s).as_str()).collect();
    let (mut due_on_or_after, mut due_on_or_before) = (None, None);
    if let Some(days) = filters.ending_within_days {
        let days = days.parse().map_err(|e| ApiError::BadRequest(format!("ending_within_days {e}")))?;
        let today = state.read_on().today;
        due_on_or_after = Some(today);
        due_on_or_before = today.checked_add_days(Days::new(u64::from(days)));
        if statuses.is_empty() {
            statuses.extend_from_slice(&seats::holding_words());
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
    at: Query<command::AsOf>,
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
    |caller, state, value, id| {
        seats::check_confirmation(&command::scope(&state, &caller), id, value.on).await?;
        Ok::<_, ApiError>(AppointmentCommand::ConfirmAppointment { on: value.on })
    }
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
        let note = fields.check_optional("/note", value.note.as_ref());
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
        let reason = fields.check("/reason", &value.reason);
        fields.finish(|| Some(AppointmentCommand::WithdrawNomination { reason: reason? }))
    }
);
