//! An entry's page on a member's register: what it says, the form saying
//! what it now says, and the form taking it off the register with a reason;
//! each sent with the register's version as read, so a change since is a
//! 409 in words.

use caucus_wire::interests::RemoveInterestEntryRequest;

use super::*;
use crate::pages::made;

/// The removal form's field, as the api points at it.
const REMOVAL_FIELDS: &[(&str, &str, &str)] = &[("/reason", "reason", "Why:")];

/// The forms of an entry's page: the change (as it stands, or as sent and
/// refused) and the removal, each with its key.
#[derive(Debug)]
struct EntryForms {
    errors: FieldErrors,
    entry: EntryForm,
    entry_key: String,
    reason: String,
    reason_key: String,
}

impl EntryForms {
    fn fresh(entry: EntryForm) -> Self {
        Self {
            errors: FieldErrors::default(),
            entry,
            entry_key: session::random_hex(),
            reason: String::new(),
            reason_key: session::random_hex(),
        }
    }
}

/// The entry `entry_id` on `loaded`'s register, or the page saying it has none.
fn entry_of<'l>(
    (state, session, _): Page<'_>,
    person: &Person,
    loaded: &'l Loaded,
    entry_id: Uuid,
) -> Result<&'l InterestEntryView, PageError> {
    loaded.register.entries.iter().find(|e| e.id == entry_id).ok_or_else(|| {
        state.message_page(
            session,
            Some(person),
            actix_web::http::StatusCode::NOT_FOUND,
            "Page not found",
            "The register has no such entry, or it was removed.",
        )
    })
}

/// The entry's page with `forms`, answered with their errors' status.
fn render(
    (state, session, _): Page<'_>,
    person: &Person,
    Loaded { member, register, bodies }: &Loaded,
    entry: &InterestEntryView,
    forms: EntryForms,
) -> Result<HttpResponse, PageError> {
    let errors = &forms.errors;
    let (category, _) = category_words(entry.category);
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let summary = json!({"rows": [
        text("Category", category.to_owned()),
        {"key": {"text": "Entry"}, "value": {"html": entry_html(entry)}},
        text("Whose", whose_words(entry.whose).to_owned()),
        text("Registered", long_date(entry.registered_on)),
        text("Updated", long_date(entry.updated_on)),
    ]});
    let frame =
        state.frame(session, Some(person), Section::Interests, format!("{}: {category}", member.name))?;
    state.page_with(
        errors.status(),
        &frame,
        "register-entry.html",
        json!({
            "member_id": member.id,
            "member_name": member.name,
            "entry_id": entry.id,
            "summary": summary,
            "error_summary": errors.summary(),
            "keeping": may_keep(person, member.id),
            "interest": entry.declaration == Declaration::Interest,
            "version": register.version,
            "entry": forms.entry.fields(bodies, errors),
            "entry_key": forms.entry_key,
            "reason": {
                "name": "reason", "id": "reason",
                "label": {"text": "Why it comes off the register", "classes": "govuk-label--s"},
                "hint": {"text": "For example, the interest ended on 30 November 2026, or it was entered in error"},
                "value": forms.reason,
                "rows": 3,
                "errorMessage": errors.message("reason"),
            },
            "reason_key": forms.reason_key,
        }),
    )
}

#[get("/registers/{member_id}/entries/{entry_id}")]
pub(in crate::pages) async fn entry_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let (member_id, entry_id) = path.into_inner();
    let page = (&**state, &session, &request);
    let loaded = load(page, &person, member_id).await?;
    let entry = entry_of(page, &person, &loaded, entry_id)?;
    render(page, &person, &loaded, entry, EntryForms::fresh(EntryForm::of(entry)))
}

/// The entry's page again with the forms `forms` makes of the entry as it
/// stands, one of them as it was sent and refused.
async fn refused(
    page: Page<'_>,
    person: &Person,
    (member_id, entry_id): (Uuid, Uuid),
    forms: impl FnOnce(&InterestEntryView) -> EntryForms,
) -> Result<HttpResponse, PageError> {
    let loaded = load(page, person, member_id).await?;
    let entry = entry_of(page, person, &loaded, entry_id)?;
    render(page, person, &loaded, entry, forms(entry))
}

/// What an entry now says, if the register is as the form was shown.
#[post("/registers/{member_id}/entries/{entry_id}")]
pub(in crate::pages) async fn change_entry(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (member_id, entry_id) = path.into_inner();
    let page = (&**state, &session, &request);
    let version = form.version()?;
    let typed = EntryForm::sent(&form);
    let (ids, typed_ref, key_ref) = ((member_id, entry_id), &typed, &key);
    let forms = |errors| {
        move |_: &InterestEntryView| EntryForms {
            errors,
            entry: typed_ref.clone(),
            entry_key: key_ref.clone(),
            ..EntryForms::fresh(EntryForm::default())
        }
    };
    let mut body = match typed.request() {
        Ok(body) => body,
        Err(errors) => return refused(page, &person, ids, forms(errors)).await,
    };
    // "Nothing to declare" says nothing more: its form offers only the category.
    if form.text("declaration") == "nothing_to_declare" {
        body = InterestEntryRequest {
            declaration: Declaration::NothingToDeclare,
            description: None,
            whose: None,
            body_id: None,
            gift: None,
            monitoring_officer_agreement: None,
            ..body
        };
    }
    let path = format!("/registers/{member_id}/entries/{entry_id}");
    let sent: Result<RegisterView, ApiFailure> =
        state.api.put(&person.token, &path, &body, known(version), &key).await;
    match made(page, &person, sent, ENTRY_FIELDS)? {
        Ok(_) => Ok(see_other(&format!("/registers/{member_id}?done=changed"))),
        Err(errors) => refused(page, &person, ids, forms(errors)).await,
    }
}

/// An entry taken off the register with the reason given, if the register
/// is as the form was shown.
#[post("/registers/{member_id}/entries/{entry_id}/removal")]
pub(in crate::pages) async fn remove_entry(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (member_id, entry_id) = path.into_inner();
    let page = (&**state, &session, &request);
    let version = form.version()?;
    let reason = form.text("reason").trim().to_owned();
    let (ids, reason_ref, key_ref) = ((member_id, entry_id), &reason, &key);
    // The change form shows the entry as it stands; the removal as it was sent.
    let forms = |errors| {
        move |entry: &InterestEntryView| EntryForms {
            errors,
            entry: EntryForm::of(entry),
            reason: reason_ref.clone(),
            reason_key: key_ref.clone(),
            ..EntryForms::fresh(EntryForm::default())
        }
    };
    if reason.is_empty() {
        let message = "Enter why it comes off the register".to_owned();
        return refused(
            page,
            &person,
            ids,
            forms(FieldErrors { errors: vec![("reason".to_owned(), message)] }),
        )
        .await;
    }
    let body = RemoveInterestEntryRequest { reason: NoteText(reason.clone()) };
    let path = format!("/registers/{member_id}/entries/{entry_id}/removal");
    let sent: Result<RegisterView, ApiFailure> =
        state.api.post_if_match(&person.token, &path, &body, known(version), &key).await;
    match made(page, &person, sent, REMOVAL_FIELDS)? {
        Ok(_) => Ok(see_other(&format!("/registers/{member_id}?done=removed"))),
        Err(errors) => refused(page, &person, ids, forms(errors)).await,
    }
}
