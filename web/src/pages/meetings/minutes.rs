//! A meeting's minutes on a page of their own: each item's minutes, and
//! the later meeting that approved them.

use super::*;

/// The minutes page's forms as they are to be shown: each item's minutes
/// as recorded with a new key, or one item's as sent and refused, with its
/// key; and the approval form.
#[derive(Debug)]
struct MinutesForms {
    errors: FieldErrors,
    /// The refused item's id, text and key.
    item: Option<(Uuid, String, String)>,
    /// The approval form: the meeting chosen, and its key.
    approval: (Option<Uuid>, String),
}

impl MinutesForms {
    fn fresh() -> Self {
        Self { errors: FieldErrors::default(), item: None, approval: (None, session::random_hex()) }
    }
}

fn render_minutes(
    state: &State,
    session: &Session,
    person: &Person,
    meeting: &MeetingView,
    later: &[MeetingView],
    forms: MinutesForms,
) -> Result<HttpResponse, PageError> {
    let errors = &forms.errors;
    let items: Vec<Value> = meeting
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Listed)
        .map(|item| {
            let id = format!("minutes-{}", item.id);
            let heading = item_view(meeting, item)["heading"].clone();
            let (text, key) = match &forms.item {
                Some((refused, text, key)) if *refused == item.id => (text.clone(), key.clone()),
                _ => (item.minutes.clone().unwrap_or_default(), session::random_hex()),
            };
            json!({
                "id": item.id,
                "heading": heading,
                "key": key,
                "textarea": {
                    "name": "text", "id": id,
                    "label": {"text": format!("Minutes of {}", heading.as_str().unwrap_or_default())},
                    "value": text,
                    "errorMessage": errors.message(&id),
                },
            })
        })
        .collect();
    let approving = json!({
        "name": "meeting_id", "id": "approving-meeting",
        "label": {"text": "The meeting that approved them"},
        "items": std::iter::once(json!({"value": "", "text": "Choose a meeting"}))
            .chain(later.iter().map(|m| json!({
                "value": m.id,
                "text": format!("{}, {}", m.title, long_date(london_day(m.starts_at))),
                "selected": forms.approval.0 == Some(m.id),
            })))
            .collect::<Vec<_>>(),
        "errorMessage": errors.message("approving-meeting"),
    });
    let title = format!("Minutes: {}", meeting.title);
    let frame = state.frame(session, Some(person), Section::Meetings, title)?;
    let status = errors.status();
    let mut response = state.page(
        &frame,
        "meeting-minutes.html",
        json!({
            "id": meeting.id,
            "when": when(meeting),
            "status": minutes_status(meeting),
            "approved": meeting.minutes_approved.is_some(),
            "held": meeting.status == MeetingStatus::Held,
            "items": items,
            "may_write": may_write(person),
            "error_summary": errors.summary(),
            "approval": {"select": approving, "key": forms.approval.1, "any": !later.is_empty()},
        }),
    )?;
    *response.status_mut() = status;
    Ok(response)
}

impl RecordForms for MinutesForms {
    const PATH: &'static str = "/meetings";
    type Loaded = (MeetingView, Vec<MeetingView>);

    /// The meeting, and the later meetings that could approve its minutes.
    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Self::Loaded, PageError> {
        let meeting: MeetingView = state.read(session, person, request, &format!("/meetings/{id}")).await?;
        let mut later = if meeting.status == MeetingStatus::Held && meeting.minutes_approved.is_none() {
            let from = crate::present::london_day(meeting.starts_at);
            let coming = choices::meetings_from(state, (session, person, request), from).await?;
            coming
                .into_iter()
                .filter(|m| {
                    m.starts_at > meeting.starts_at
                        && m.status != MeetingStatus::Cancelled
                        && groups_own(m.kind)
                })
                .collect()
        } else {
            Vec::new()
        };
        later.sort_by_key(|m| m.starts_at);
        Ok((meeting, later))
    }

    /// The minutes page (it has no banner: a write goes back to the meeting).
    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        (meeting, later): &Self::Loaded,
        _: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_minutes(state, session, person, meeting, later, self)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

#[get("/meetings/{id}/minutes")]
pub(in crate::pages) async fn minutes_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (meeting, later) = MinutesForms::load((&state, &session, &request), &person, *id).await?;
    render_minutes(&state, &session, &person, &meeting, &later, MinutesForms::fresh())
}

#[post("/meetings/{id}/minutes")]
pub(in crate::pages) async fn record_minutes(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    // The form names its item in a hidden field: one that is not an id was not sent from our page.
    let item_id = form.text("item_id").parse::<Uuid>().map_err(|_| PageError::Forgery)?;
    let text = form.text("text");
    let body = json!({"item_id": item_id, "text": text});
    let field = format!("minutes-{item_id}");
    let fields = [("/text", field.as_str(), "The minutes")];
    let refused = |errors| MinutesForms {
        errors,
        item: Some((item_id, text.clone(), key.clone())),
        ..MinutesForms::fresh()
    };
    let page = (&**state, &session, &request);
    MinutesForms::send(page, &person, (*id, "minutes", "minutes"), (&body, &key), (&fields, refused)).await
}

#[post("/meetings/{id}/minutes-approval")]
pub(in crate::pages) async fn approve_minutes(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let chosen = form.text("meeting_id").parse::<Uuid>().ok();
    let refused = |errors: FieldErrors| MinutesForms {
        errors,
        approval: (chosen, key.clone()),
        ..MinutesForms::fresh()
    };
    let page = (&**state, &session, &request);
    let Some(approving) = chosen else {
        let errors = FieldErrors {
            errors: vec![("approving-meeting".into(), "Select the meeting that approved the minutes".into())],
        };
        return refused(errors).refused(page, &person, *id).await;
    };
    let at: MeetingView = state.read(&session, &person, &request, &format!("/meetings/{approving}")).await?;
    // Minutes are approved at the approving meeting, on its day.
    let body = json!({"meeting_id": approving, "on": london_day(at.starts_at)});
    let fields =
        [("/meeting_id", "approving-meeting", "The meeting"), ("/on", "approving-meeting", "The day")];
    MinutesForms::send(
        page,
        &person,
        (*id, "minutes-approval", "approval"),
        (&body, &key),
        (&fields, refused),
    )
    .await
}
