//! A meeting's attendance on a page of its own: each current member's
//! attendance, recorded by the office.

use super::*;

/// The attendance form: each current member's attendance as recorded or
/// chosen, with a key.
fn render_attendance(
    state: &State,
    session: &Session,
    person: &Person,
    (meeting, members): (&MeetingView, &[MemberView]),
    chosen: &HashMap<Uuid, String>,
    (errors, key): (FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let recorded: HashMap<Uuid, String> =
        meeting.attendance.iter().map(|a| (a.member_id, wire_word(a.attendance))).collect();
    let mut current: Vec<&MemberView> = members.iter().filter(|m| m.status == MemberStatus::Member).collect();
    current.sort_by(|a, b| a.name.cmp(&b.name));
    let first = current.first().map(|m| format!("attendance-{}", m.id)).unwrap_or_default();
    let radios: Vec<Value> = current
        .iter()
        .map(|member| {
            let name = format!("attendance-{}", member.id);
            let value = chosen.get(&member.id).or_else(|| recorded.get(&member.id));
            json!({
                "name": name,
                "idPrefix": name,
                "classes": "govuk-radios--inline govuk-radios--small",
                "fieldset": {"legend": {"text": member.name, "classes": "govuk-fieldset__legend--s"}},
                "items": ATTENDANCE.iter().map(|(v, label)| json!({
                    "value": v, "text": label, "checked": value.map(String::as_str) == Some(*v),
                })).collect::<Vec<_>>(),
                "errorMessage": errors.message(&name),
            })
        })
        .collect();
    let title = format!("Attendance: {}", meeting.title);
    let frame = state.frame(session, Some(person), Section::Meetings, title)?;
    let status = errors.status();
    let mut response = state.page(
        &frame,
        "meeting-attendance.html",
        json!({
            "id": meeting.id,
            "when": when(meeting),
            "radios": radios,
            "first": first,
            "may_write": may_write(person),
            "error_summary": errors.summary(),
            "key": key,
        }),
    )?;
    *response.status_mut() = status;
    Ok(response)
}

#[get("/meetings/{id}/attendance")]
pub(in crate::pages) async fn attendance_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (meeting, members) = MeetingForms::load((&state, &session, &request), &person, *id).await?;
    let fresh = (FieldErrors::default(), session::random_hex());
    render_attendance(&state, &session, &person, (&meeting, &members), &HashMap::new(), fresh)
}

#[post("/meetings/{id}/attendance")]
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
        .filter_map(|(name, value)| {
            let member = name.strip_prefix("attendance-")?.parse().ok()?;
            ATTENDANCE.iter().any(|(v, _)| v == value).then(|| (member, value.clone()))
        })
        .collect();
    let entries: Vec<Value> =
        chosen.iter().map(|(member, value)| json!({"member_id": member, "attendance": value})).collect();
    let body = json!({"entries": entries});
    let sent: Result<MeetingView, ApiFailure> =
        state.api.post(&person.token, &format!("/meetings/{id}/attendance"), &body, &key).await;
    match sent {
        Ok(_) => Ok(see_other(&format!("/meetings/{id}?done=attendance"))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            let (meeting, members) = MeetingForms::load((&state, &session, &request), &person, *id).await?;
            let mut current: Vec<&MemberView> =
                members.iter().filter(|m| m.status == MemberStatus::Member).collect();
            current.sort_by(|a, b| a.name.cmp(&b.name));
            let first = current.first().map(|m| format!("attendance-{}", m.id)).unwrap_or_default();
            let mut errors =
                FieldErrors::from_problem(&problem, &[("/entries", first.as_str(), "Attendance")]);
            if chosen.is_empty() {
                errors = FieldErrors {
                    errors: vec![(first, "Choose the attendance of at least one member".into())],
                };
            }
            render_attendance(&state, &session, &person, (&meeting, &members), &chosen, (errors, key))
        }
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}
