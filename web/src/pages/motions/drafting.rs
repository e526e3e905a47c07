//! Drafting a motion or question: the form, its meeting among the council's
//! coming ones, and the draft sent to the api.

use super::*;

/// The draft-a-motion form as typed.
#[derive(Debug, Default)]
struct NewMotion {
    kind: String,
    title: String,
    text: String,
    meeting: String,
    directed_to: String,
    /// Whose it is: `group` (ours, drafted) or `other` (another group's, tabled).
    origin: String,
    proposer: String,
    /// Another group's mover, by name.
    mover: String,
    seconder: String,
    classification: String,
}

/// The origins the office chooses between: (word, label, hint).
const ORIGINS: &[(&str, &str, &str)] = &[
    ("group", "The group's own", "Saved as a draft, to submit before the deadline"),
    ("other", "Another group's", "Recorded as tabled, for the group to set its whip"),
];

/// The council's meetings still to come (a motion goes to one), soonest
/// first, each with the api's deadline for motions to it.
fn council_meetings(meetings: &HashMap<Uuid, MeetingView>) -> Vec<(&MeetingView, DateTime<Utc>)> {
    let now = Utc::now();
    let mut coming: Vec<(&MeetingView, DateTime<Utc>)> = meetings
        .values()
        .filter(|m| {
            matches!(m.status, MeetingStatus::Tentative | MeetingStatus::Confirmed) && m.starts_at > now
        })
        .filter_map(|m| Some((m, m.motions_due_by?)))
        .collect();
    coming.sort_by_key(|(m, _)| m.starts_at);
    coming
}

fn render_new(
    state: &State,
    session: &Session,
    person: &Person,
    (meetings, members): (&HashMap<Uuid, MeetingView>, &[MemberView]),
    (form, errors, key): (&NewMotion, FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let office = holds_any(person, OFFICE);
    let meeting_items: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose a meeting"}))
        .chain(council_meetings(meetings).into_iter().map(|(m, due_by)| {
            json!({
                "value": m.id,
                "text": format!("{} (submit by {})", meeting_words(m), london_time(due_by)),
                "selected": form.meeting == m.id.to_string(),
            })
        }))
        .collect();
    let current = voters(members);
    let member_items = |chosen: &str, first: &str| -> Vec<Value> {
        std::iter::once(json!({"value": "", "text": first}))
            .chain(
                current
                    .iter()
                    .map(|m| json!({"value": m.id, "text": m.name, "selected": chosen == m.id.to_string()})),
            )
            .collect()
    };
    let kinds: Vec<Value> = MotionKind::ALL
        .iter()
        .map(|k| json!({"value": wire_word(*k), "text": words(*k), "checked": wire_word(*k) == form.kind}))
        .collect();
    let me = member_id(person).map(|id| name_of(&names(members), id));
    let frame = state.frame(session, Some(person), Section::Motions, "Draft a motion or question")?;
    let status = errors.status();
    state.page_with(
        status,
        &frame,
        "motion-form.html",
        json!({
            "key": key,
            "error_summary": errors.summary(),
            "kind": {
                "name": "kind", "idPrefix": "kind",
                "classes": "govuk-radios--inline",
                "fieldset": {"legend": {"text": "Motion or question", "classes": "govuk-fieldset__legend--s"}},
                "items": kinds,
                "errorMessage": errors.message("kind"),
            },
            "title": {
                "name": "title", "id": "title",
                "label": {"text": "Title", "classes": "govuk-label--s"},
                "value": form.title,
                "errorMessage": errors.message("title"),
            },
            "text": {
                "name": "text", "id": "text", "rows": 8,
                "label": {"text": "Text", "classes": "govuk-label--s"},
                "hint": {"text": "As it will be put to the council"},
                "value": form.text,
                "errorMessage": errors.message("text"),
            },
            "meeting": {
                "name": "meeting", "id": "meeting",
                "label": {"text": "The council meeting it is for", "classes": "govuk-label--s"},
                "items": meeting_items,
                "errorMessage": errors.message("meeting"),
            },
            "directed_to": {
                "name": "directed_to", "id": "directed-to",
                "label": {"text": "Who a question is put to", "classes": "govuk-label--s"},
                "hint": {"text": "For a question only. For example, Cabinet Member for Housing"},
                "value": form.directed_to,
                "errorMessage": errors.message("directed-to"),
            },
            // The office names the mover, the group's or another group's; a
            // councillor drafts only their own.
            "office": office,
            "me": me,
            "origin": {
                "name": "origin", "idPrefix": "origin",
                "fieldset": {"legend": {"text": "Whose motion or question", "classes": "govuk-fieldset__legend--s"}},
                "items": ORIGINS.iter().map(|(word, text, hint)| json!({
                    "value": word, "text": text, "hint": {"text": hint}, "checked": form.origin == *word,
                })).collect::<Vec<Value>>(),
                "errorMessage": errors.message("origin"),
            },
            "mover": {
                "name": "mover", "id": "mover",
                "label": {"text": "Or, for another group's, moved by", "classes": "govuk-label--s"},
                "hint": {"text": "The councillor and their group, for example Cllr Jane Doe (Green)"},
                "value": form.mover,
                "errorMessage": errors.message("mover"),
            },
            "proposer": {
                "name": "proposer", "id": "proposer",
                "label": {"text": "Moved by", "classes": "govuk-label--s"},
                "hint": {"text": "For the group's own"},
                "items": member_items(&form.proposer, "Choose a member"),
                "errorMessage": errors.message("proposer"),
            },
            "seconder": {
                "name": "seconder", "id": "seconder",
                "label": {"text": "Seconded by (optional)", "classes": "govuk-label--s"},
                "hint": office.then(|| json!({"text": "For the group's own"})),
                "items": member_items(&form.seconder, "No seconder yet"),
                "errorMessage": errors.message("seconder"),
            },
            "classification": classification_radios(&form.classification, &errors),
        }),
    )
}

async fn load_for_new(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
) -> Result<(HashMap<Uuid, MeetingView>, Vec<MemberView>), PageError> {
    let today = crate::present::london_day(Utc::now());
    let coming = choices::meetings_from(state, (session, person, request), today).await?;
    let coming = coming.into_iter().map(|m| (m.id, m)).collect();
    Ok((coming, members(state, session, person, request).await?))
}

#[get("/motions/new")]
pub(in crate::pages) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    refuse_unless(&state, &session, &person, DRAFTERS)?;
    let (meetings, members) = load_for_new(&state, &session, &person, &request).await?;
    let form = NewMotion {
        kind: wire_word(MotionKind::Motion),
        origin: "group".to_owned(),
        classification: wire_word(ChosenClassification::Group),
        ..NewMotion::default()
    };
    let page = (&form, FieldErrors::default(), session::random_hex());
    render_new(&state, &session, &person, (&meetings, &members), page)
}

#[post("/motions")]
pub(in crate::pages) async fn draft(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let office = holds_any(&person, OFFICE);
    let form = NewMotion {
        kind: sent.text("kind"),
        title: sent.text("title"),
        text: sent.text("text"),
        meeting: sent.text("meeting"),
        directed_to: sent.text("directed_to"),
        // A councillor moves what they draft; only the office records another group's.
        origin: if office { sent.text("origin") } else { "group".to_owned() },
        proposer: if office { sent.text("proposer") } else { person.subject.clone() },
        mover: sent.text("mover").trim().to_owned(),
        seconder: sent.text("seconder"),
        classification: sent.text("classification"),
    };
    let (meetings, members) = load_for_new(&state, &session, &person, &request).await?;
    let mut errors = Vec::new();
    let kind = serde_json::from_value::<MotionKind>(Value::String(form.kind.clone())).ok();
    if kind.is_none() {
        errors.push(("kind".to_owned(), "Select motion or question".to_owned()));
    }
    let meeting_id = form.meeting.parse::<Uuid>().ok();
    if meeting_id.is_none() {
        errors.push(("meeting".to_owned(), "Select the council meeting it is for".to_owned()));
    }
    let origin = match form.origin.as_str() {
        "group" => {
            let proposer_id = form.proposer.parse::<Uuid>().ok();
            if proposer_id.is_none() {
                errors.push(("proposer".to_owned(), "Select who moves it".to_owned()));
            }
            Origin { proposer_id, seconder_id: form.seconder.parse().ok(), mover: None }
        }
        "other" => {
            if form.mover.is_empty() {
                errors.push(("mover".to_owned(), "Enter who moves it, and their group".to_owned()));
            }
            Origin { proposer_id: None, seconder_id: None, mover: Some(TitleText(form.mover.clone())) }
        }
        _ => {
            errors.push(("origin".to_owned(), "Select whose motion or question it is".to_owned()));
            Origin { proposer_id: None, seconder_id: None, mover: None }
        }
    };
    let classification =
        serde_json::from_value::<ChosenClassification>(Value::String(form.classification.clone())).ok();
    if classification.is_none() {
        errors.push(("classification".to_owned(), "Select who can read it".to_owned()));
    }
    let (Some(kind), Some(meeting_id), Some(classification), true) =
        (kind, meeting_id, classification, errors.is_empty())
    else {
        let page = (&form, FieldErrors { errors }, key);
        return render_new(&state, &session, &person, (&meetings, &members), page);
    };
    let body = RecordMotionRequest {
        kind,
        title: TitleText(form.title.clone()),
        text: DocumentText(form.text.clone()),
        origin,
        meeting_id,
        directed_to: Some(TitleText(form.directed_to.clone())).filter(|t| !t.0.trim().is_empty()),
        classification,
    };
    let fields = [
        ("/title", "title", "The title"),
        ("/text", "text", "The text"),
        ("/meeting_id", "meeting", "The meeting"),
        ("/directed_to", "directed-to", "Who it is put to"),
        ("/origin", "proposer", "Who moves it"),
        ("/origin/proposer_id", "proposer", "Who moves it"),
        ("/origin/seconder_id", "seconder", "The seconder"),
        ("/origin/mover", "mover", "Who moves it"),
        ("/classification", "classification", "Who can read it"),
        ("/kind", "kind", "Motion or question"),
    ];
    let done = if form.origin == "other" { "tabled" } else { "drafted" };
    let to = |made: MotionView| format!("/motions/{}?done={done}", made.id);
    let again = async |errors: FieldErrors| {
        render_new(&state, &session, &person, (&meetings, &members), (&form, errors, key.clone()))
    };
    let page = (&**state, &session, &request);
    send(page, &person, ("/motions", &body, &key), to, (&fields, again)).await
}
