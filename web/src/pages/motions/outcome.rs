//! A motion's outcome on a page of its own: the outcome and counts, and
//! each member's vote, recorded by the office.

use super::*;

/// The outcome form as typed.
#[derive(Debug, Default)]
struct OutcomeForm {
    outcome: String,
    amended_text: String,
    answer: String,
    /// For, against, abstained, absent.
    counts: [String; 4],
    /// Each member's vote chosen, by member.
    votes: HashMap<Uuid, String>,
}

/// The outcomes that fit a motion as it stands: a draft never reached the
/// meeting, so it can only be withdrawn.
fn fitting_outcomes(motion: &MotionView) -> Vec<Outcome> {
    if motion.status == MotionStatus::Drafted {
        return vec![Outcome::Withdrawn];
    }
    match motion.kind {
        MotionKind::Motion => vec![Outcome::Carried, Outcome::Amended, Outcome::Lost, Outcome::Withdrawn],
        MotionKind::Question => vec![Outcome::Answered, Outcome::NotReached, Outcome::Withdrawn],
    }
}

/// The counts' fields: name, id and label.
const COUNTS: [(&str, &str, &str); 4] = [
    ("counts_yes", "counts-yes", "For"),
    ("counts_no", "counts-no", "Against"),
    ("counts_abstain", "counts-abstain", "Abstained"),
    ("counts_absent", "counts-absent", "Absent"),
];

/// Where the error summary sends a refusal of the members' votes: the first
/// member's first radio.
fn votes_field(members: &[MemberView]) -> String {
    voters(members).first().map_or_else(|| "outcome".to_owned(), |m| format!("vote-{}", m.id))
}

fn render_outcome(
    state: &State,
    session: &Session,
    person: &Person,
    (motion, members): (&MotionView, &[MemberView]),
    (form, errors, key): (&OutcomeForm, FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let is_motion = motion.kind == MotionKind::Motion && motion.status != MotionStatus::Drafted;
    let outcomes: Vec<Value> = fitting_outcomes(motion)
        .into_iter()
        .map(|o| json!({"value": wire_word(o), "text": outcome_words(o), "checked": wire_word(o) == form.outcome}))
        .collect();
    let counts: Vec<Value> = COUNTS
        .iter()
        .zip(&form.counts)
        .map(|((name, id, label), value)| {
            json!({
                "name": name, "id": id,
                "label": {"text": label},
                "classes": "govuk-input--width-3",
                "inputmode": "numeric",
                "spellcheck": false,
                "value": value,
            })
        })
        .collect();
    let votes: Vec<Value> = voters(members)
        .into_iter()
        .map(|m| {
            let chosen = form.votes.get(&m.id).map_or("", String::as_str);
            let mut items: Vec<Value> = VoteOption::ALL
                .iter()
                .map(|o| json!({"value": wire_word(*o), "text": vote_words(*o), "checked": wire_word(*o) == chosen}))
                .collect();
            items.push(json!({"value": "", "text": "Not recorded", "checked": chosen.is_empty()}));
            json!({
                "name": format!("vote-{}", m.id), "idPrefix": format!("vote-{}", m.id),
                "classes": "govuk-radios--inline govuk-radios--small",
                "fieldset": {"legend": {"text": m.name, "classes": "govuk-fieldset__legend--s"}},
                "items": items,
                "errorMessage": errors.message(&format!("vote-{}", m.id)),
            })
        })
        .collect();
    let textarea = |name: &str, id: &str, label: &str, hint: &str, value: &str| {
        json!({
            "name": name, "id": id, "rows": 6,
            "label": {"text": label, "classes": "govuk-label--s"},
            "hint": {"text": hint},
            "value": value,
            "errorMessage": errors.message(id),
        })
    };
    let frame = state.frame(
        session,
        Some(person),
        Section::Motions,
        format!("Record the outcome: {}", motion.title),
    )?;
    let status = errors.status();
    state.page_with(
        status,
        &frame,
        "motion-outcome.html",
        json!({
            "id": motion.id,
            "key": key,
            "is_motion": is_motion,
            "is_question": motion.kind == MotionKind::Question && motion.status != MotionStatus::Drafted,
            "error_summary": errors.summary(),
            "outcome": {
                "name": "outcome", "idPrefix": "outcome",
                "fieldset": {"legend": {"text": "How it ended", "classes": "govuk-fieldset__legend--s"}},
                "items": outcomes,
                "errorMessage": errors.message("outcome"),
            },
            "amended_text": textarea(
                "amended_text", "amended-text", "The text as carried (optional)",
                "If it was carried as amended", &form.amended_text,
            ),
            "answer": textarea(
                "answer", "answer", "The answer (optional)", "If it was answered in writing", &form.answer,
            ),
            "counts_error": errors.message("counts-yes"),
            "counts": counts,
            "votes": votes,
        }),
    )
}

/// The motion and the group's members, for the outcome form.
async fn load_for_outcome(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
    id: Uuid,
) -> Result<(MotionView, Vec<MemberView>), PageError> {
    let motion: MotionView = state.read(session, person, request, &format!("/motions/{id}")).await?;
    let members = members(state, session, person, request).await?;
    Ok((motion, members))
}

#[get("/motions/{id}/outcome")]
pub(in crate::pages) async fn outcome_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    refuse_unless(&state, &session, &person, OFFICE)?;
    let (motion, members) = load_for_outcome(&state, &session, &person, &request, *id).await?;
    let form = OutcomeForm::default();
    let page = (&form, FieldErrors::default(), session::random_hex());
    render_outcome(&state, &session, &person, (&motion, &members), page)
}

/// A count as typed: blank is none.
fn count(typed: &str) -> Result<u32, ()> {
    if typed.is_empty() { Ok(0) } else { typed.parse().map_err(|_| ()) }
}

#[post("/motions/{id}/outcome")]
pub(in crate::pages) async fn record_outcome(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (motion, members) = load_for_outcome(&state, &session, &person, &request, *id).await?;
    let form = OutcomeForm {
        outcome: sent.text("outcome"),
        amended_text: sent.text("amended_text"),
        answer: sent.text("answer"),
        counts: COUNTS.map(|(name, _, _)| sent.text(name).trim().to_owned()),
        votes: voters(&members)
            .iter()
            .map(|m| (m.id, sent.text(&format!("vote-{}", m.id))))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
    };
    let mut errors = Vec::new();
    let outcome = serde_json::from_value::<Outcome>(Value::String(form.outcome.clone())).ok();
    if outcome.is_none() {
        errors.push(("outcome".to_owned(), "Select how it ended".to_owned()));
    }
    let counts = if form.counts.iter().all(String::is_empty) {
        None
    } else {
        match form.counts.each_ref().map(|c| count(c)) {
            [Ok(yes), Ok(no), Ok(abstain), Ok(absent)] => Some(VoteCounts { yes, no, abstain, absent }),
            _ => {
                errors.push(("counts-yes".to_owned(), "Counts must be whole numbers".to_owned()));
                None
            }
        }
    };
    let votes: Vec<RecordedVote> = voters(&members)
        .iter()
        .filter_map(|m| {
            let chosen = form.votes.get(&m.id)?;
            let option = serde_json::from_value::<VoteOption>(Value::String(chosen.clone())).ok()?;
            Some(RecordedVote { member_id: m.id, option })
        })
        .collect();
    let (Some(outcome), true) = (outcome, errors.is_empty()) else {
        let page = (&form, FieldErrors { errors }, key);
        return render_outcome(&state, &session, &person, (&motion, &members), page);
    };
    let text = |typed: &str| Some(DocumentText(typed.to_owned())).filter(|t| !t.0.trim().is_empty());
    let body = RecordOutcomeRequest {
        outcome,
        // The text as carried goes with an amendment (the api asks for it);
        // the answer with an answered question, if it was given.
        amended_text: (outcome == Outcome::Amended).then(|| DocumentText(form.amended_text.clone())),
        answer: if outcome == Outcome::Answered { text(&form.answer) } else { None },
        counts,
        votes,
    };
    match Step::Outcome.send(&state, &person, *id, (&body, &key)).await {
        Ok(_) => Ok(see_other(&format!("/motions/{id}?done=outcome"))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            let votes_field = votes_field(&members);
            let fields = [
                ("/outcome", "outcome", "How it ended"),
                ("/amended_text", "amended-text", "The text as carried"),
                ("/answer", "answer", "The answer"),
                ("/counts", "counts-yes", "The council's counts"),
                ("/votes", votes_field.as_str(), "The members' votes"),
            ];
            let errors = FieldErrors::from_problem(&problem, &fields);
            render_outcome(&state, &session, &person, (&motion, &members), (&form, errors, key))
        }
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}
