//! The office's review of the registers of interests: per member the likely
//! omissions the api finds from Caucus's own records, each with its
//! evidence, a link making the entry on the member's register, and a form
//! dismissing it with a reason; and the review as Markdown.

use caucus_wire::interests::{DismissReviewItemRequest, InterestsReviewView, ReviewItemKind, ReviewItemView};
use chrono::Utc;

use super::*;
use crate::pages::made;
use crate::present::london_day;

/// What the review found, in words.
fn kind_words(kind: ReviewItemKind) -> &'static str {
    match kind {
        ReviewItemKind::RegisterNotMade => "No register made within 28 days of joining",
        ReviewItemKind::OutsideBodyNotRegistered => "A seat on an outside body not registered",
        ReviewItemKind::GroupPostNotRegistered => "A group post held with no entry for the party",
        ReviewItemKind::HospitalityNotRegistered => "Hospitality at a sponsored event not registered",
        ReviewItemKind::EntryUnchanged => "An entry unchanged for more than a year",
    }
}

/// The page of the record an item's evidence is, if the web client has one.
fn evidence_href(item: &ReviewItemView) -> Option<String> {
    let id = item.evidence.record_id;
    match item.evidence.record.as_str() {
        "appointment" => Some(format!("/appointments/{id}")),
        "group_event" => Some(format!("/group-events/{id}")),
        "induction" => Some(format!("/inductions/{id}")),
        "entry" => Some(format!("/registers/{}/entries/{id}", item.member_id)),
        _ => None,
    }
}

/// Where the entry an item asks for is made: the member's register form,
/// filled in with its category and the record that asks for it.
fn make_href(item: &ReviewItemView) -> String {
    let mut query: Vec<(&str, String)> = Vec::new();
    query.extend(item.expected.map(|c| ("category", wire_word(c))));
    query.push(("record", item.evidence.record_id.to_string()));
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    format!("/registers/{}?{query}#register-entry", item.member_id)
}

/// The id of item `id`'s dismissal reason, where its error shows.
fn reason_id(id: Uuid) -> String {
    format!("reason-{id}")
}

/// The dismissal form sent and refused: its item, the reason typed, its key.
struct Refused {
    item: Uuid,
    reason: String,
    key: String,
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[("dismissed", "The item was dismissed: it no longer shows")];

/// The review's page, with the dismissal `refused` (if one was) shown as sent.
async fn render(
    (state, session, request): Page<'_>,
    person: &Person,
    (errors, refused): (&FieldErrors, Option<Refused>),
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let review: InterestsReviewView = state.read(session, person, request, "/interests-review").await?;
    let dismissing = holds_any(person, OFFICE);
    let mut members: Vec<(Uuid, &str, Vec<Value>)> = Vec::new();
    for item in &review.items {
        if members.last().is_none_or(|(id, ..)| *id != item.member_id) {
            members.push((item.member_id, &item.member_name, Vec::new()));
        }
        let evidence = match evidence_href(item) {
            Some(href) => format!(
                "<a class=\"govuk-link\" href=\"{href}\">{}</a>",
                tera::escape_html(&item.evidence.summary)
            ),
            None => tera::escape_html(&item.evidence.summary),
        };
        let standing = if item.overdue {
            format!("{} {}", long_date(item.due_on), tag_html("Overdue", "govuk-tag--red"))
        } else {
            long_date(item.due_on)
        };
        let expected = item.expected.map_or("The whole register", |c| category_words(c).0);
        let (reason, key) = match &refused {
            Some(r) if r.item == item.id => (r.reason.clone(), r.key.clone()),
            _ => (String::new(), session::random_hex()),
        };
        let id = reason_id(item.id);
        if let Some((.., items)) = members.last_mut() {
            items.push(json!({
                "id": item.id,
                "kind": kind_words(item.kind),
                "summary": {"rows": [
                    {"key": {"text": "Entry asked for"}, "value": {"text": expected}},
                    {"key": {"text": "Evidence"}, "value": {"html": evidence}},
                    {"key": {"text": "Since"}, "value": {"text": long_date(item.evidence.on)}},
                    {"key": {"text": "Register by"}, "value": {"html": standing}},
                ]},
                "make": make_href(item),
                "dismiss": format!(
                    "Dismiss<span class=\"govuk-visually-hidden\">: {}, {}</span>",
                    kind_words(item.kind),
                    tera::escape_html(&item.member_name)
                ),
                "key": key,
                "reason": {
                    "name": "reason", "id": id,
                    "label": {"text": "Why it is no omission", "classes": "govuk-label--s"},
                    "value": reason,
                    "rows": 2,
                    "errorMessage": errors.message(&id),
                },
            }));
        }
    }
    let members: Vec<Value> = members
        .into_iter()
        .map(|(id, name, items)| json!({"id": id, "name": name, "items": items}))
        .collect();
    let found = match review.items.len() {
        1 => "1 likely omission".to_owned(),
        n => format!("{n} likely omissions"),
    };
    let dismissed = match review.dismissed {
        0 => String::new(),
        1 => " (1 more was dismissed with a reason)".to_owned(),
        n => format!(" ({n} more were dismissed with a reason)"),
    };
    let said = format!(
        "Made on {} from Caucus's own records: {} members reviewed, {found}{dismissed}.",
        long_date(review.today),
        review.members
    );
    let frame =
        state.frame(session, Some(person), Section::Interests, "Review of the registers of interests")?;
    state.page_with(
        errors.status(),
        &frame,
        "interests-review.html",
        json!({
            "said": said,
            "members": members,
            "dismissing": dismissing,
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
        }),
    )
}

#[get("/interests-review")]
pub(in crate::pages) async fn review_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    render(page, &person, (&FieldErrors::default(), None), query.banner(DONE)).await
}

/// A review item dismissed with the reason given.
#[post("/interests-review/{item_id}/dismissal")]
pub(in crate::pages) async fn dismiss(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    item: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (item, page) = (*item, (&**state, &session, &request));
    let reason = form.text("reason").trim().to_owned();
    let id = reason_id(item);
    let who = &person;
    let refused = |errors: FieldErrors| {
        let sent = Refused { item, reason: reason.clone(), key: key.clone() };
        async move { render(page, who, (&errors, Some(sent)), None).await }
    };
    if reason.is_empty() {
        let errors = vec![(id, "Enter why it is no omission".to_owned())];
        return refused(FieldErrors { errors }).await;
    }
    let body = DismissReviewItemRequest { reason: NoteText(reason.clone()) };
    let sent: Result<RegisterView, ApiFailure> =
        state.api.post(&person.token, &format!("/interests-review/{item}/dismissal"), &body, &key).await;
    match made(page, &person, sent, &[("/reason", id.as_str(), "Why:")])? {
        Ok(_) => Ok(see_other("/interests-review?done=dismissed")),
        Err(errors) => refused(errors).await,
    }
}

/// The review as the api writes it in Markdown, saved under today's day.
#[get("/interests-review.md")]
pub(in crate::pages) async fn review_markdown(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let name = format!("interests-review-{}.md", london_day(Utc::now()));
    state.download_as(&session, &person, &request, "/interests-review?format=markdown", &name).await
}
