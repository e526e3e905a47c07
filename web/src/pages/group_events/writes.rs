//! The writes of an event's page: a member's own buttons and the office's
//! registering or withdrawing a named member (one route each, the member in
//! the form), the
//! capacity, the cancellation and the register of attendance.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, post, web};
use caucus_wire::NoteText;
use caucus_wire::group_events::{
    CancelGroupEventRequest, EventCapacityRequest, EventMemberRequest, RecordEventAttendanceRequest,
};
use caucus_wire::meetings::AttendanceEntry;
use serde_json::Value;
use uuid::Uuid;

use super::event::{EventForms, OWN, first_on_register};
use crate::pages::record::RecordForms;
use crate::pages::{FieldErrors, Page, PageError, Posted, State, TextForm};

/// A member registered, withdrawn or given an offered place (`own`, one of
/// [`OWN`], and what `?done=` says): by the member's own button, or the
/// office's form naming them.
async fn member_step(
    (state, session, request): Page<'_>,
    id: Uuid,
    Posted { person, form, key }: Posted,
    (own, done): (usize, &str),
) -> Result<HttpResponse, PageError> {
    let by_office = form.text("from") == "office";
    let member = form.text("member_id").parse::<Uuid>().ok();
    let field = match (by_office, own) {
        (true, 0) => "register-member",
        (true, _) => "withdraw-member",
        (false, _) => OWN[own].1,
    };
    let refused = |errors: FieldErrors| {
        let mut forms = EventForms { errors, ..EventForms::fresh() };
        match (by_office, own) {
            (true, 0) => forms.register = (member, key.clone()),
            (true, _) => forms.withdraw = (member, key.clone()),
            (false, _) => forms.own[own] = key.clone(),
        }
        forms
    };
    let page = (state, session, request);
    let Some(member_id) = member else {
        let errors = FieldErrors { errors: vec![(field.to_owned(), "Choose a member".to_owned())] };
        return refused(errors).refused(page, &person, id).await;
    };
    let body = EventMemberRequest { member_id };
    let fields = [("/member_id", field, if own == 0 { "Not registered:" } else { "Not withdrawn:" })];
    EventForms::send(page, &person, (id, OWN[own].0, done), (&body, &key), (&fields, refused)).await
}

#[post("/group-events/{id}/registrations")]
pub(in crate::pages) async fn register(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    member_step((&**state, &session, &request), *id, posted, (0, "registered")).await
}

#[post("/group-events/{id}/withdrawals")]
pub(in crate::pages) async fn withdraw(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    member_step((&**state, &session, &request), *id, posted, (1, "withdrawn")).await
}

#[post("/group-events/{id}/acceptances")]
pub(in crate::pages) async fn accept(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    posted: Posted,
) -> Result<HttpResponse, PageError> {
    member_step((&**state, &session, &request), *id, posted, (2, "accepted")).await
}

#[post("/group-events/{id}/capacity")]
pub(in crate::pages) async fn change_capacity(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let typed = form.text("capacity").trim().to_owned();
    let refused = |errors: FieldErrors| EventForms {
        errors,
        capacity: TextForm { text: typed.clone(), key: key.clone() },
        ..EventForms::fresh()
    };
    let page = (&**state, &session, &request);
    let capacity = match typed.as_str() {
        "" => None,
        number => match number.parse::<u32>() {
            Ok(capacity) => Some(capacity),
            Err(_) => {
                let message = "How many may come must be a whole number, or blank for no limit";
                let errors = FieldErrors { errors: vec![("capacity".to_owned(), message.to_owned())] };
                return refused(errors).refused(page, &person, *id).await;
            }
        },
    };
    let body = EventCapacityRequest { capacity };
    let fields = [("/capacity", "capacity", "How many may come")];
    EventForms::send(page, &person, (*id, "capacity", "capacity"), (&body, &key), (&fields, refused)).await
}

#[post("/group-events/{id}/cancellation")]
pub(in crate::pages) async fn cancel(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let reason = form.text("reason");
    let refused = |errors: FieldErrors| EventForms {
        errors,
        cancel: TextForm { text: reason.clone(), key: key.clone() },
        ..EventForms::fresh()
    };
    let body = CancelGroupEventRequest { reason: NoteText(reason.clone()) };
    let fields = [("/reason", "cancel-reason", "The reason")];
    let page = (&**state, &session, &request);
    EventForms::send(page, &person, (*id, "cancellation", "cancelled"), (&body, &key), (&fields, refused))
        .await
}

#[post("/group-events/{id}/attendance")]
pub(in crate::pages) async fn record_attendance(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let chosen: HashMap<Uuid, String> = form
        .0
        .iter()
        .filter_map(|(name, value)| Some((name.strip_prefix("attendance-")?.parse().ok()?, value.clone())))
        .collect();
    let refused = |errors: FieldErrors| EventForms {
        errors,
        attendance: (chosen.clone(), key.clone()),
        ..EventForms::fresh()
    };
    let page = (&**state, &session, &request);
    let entries: Option<Vec<AttendanceEntry>> = chosen
        .iter()
        .map(|(member_id, word)| {
            let attendance = serde_json::from_value(Value::String(word.clone())).ok()?;
            Some(AttendanceEntry { member_id: *member_id, attendance })
        })
        .collect();
    let entries = entries.filter(|e| !e.is_empty());
    let Some(entries) = entries else {
        let event = EventForms::load(page, &person, *id).await?.0;
        let message = "Choose the attendance of at least one member";
        let errors = FieldErrors { errors: vec![(first_on_register(&event), message.to_owned())] };
        return refused(errors).refused(page, &person, *id).await;
    };
    let first = entries.first().map(|e| format!("attendance-{}", e.member_id)).unwrap_or_default();
    let body = RecordEventAttendanceRequest { entries };
    let fields = [("/entries", first.as_str(), "Attendance:")];
    EventForms::send(page, &person, (*id, "attendance", "attendance"), (&body, &key), (&fields, refused))
        .await
}
