//! Members: the group's directory filtered by status, and a member's page:
//! their profile, their contact details where the person's role may see
//! them, their sign-in link, and the office's forms to link or unlink it,
//! to download everything held about them and to erase their personal data.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::TitleText;
use caucus_wire::members::{
    EraseMemberPersonalDataRequest, LinkMemberSignInRequest, MemberStatus, MemberView,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::query::{DoneQuery, ListQuery};
use super::record::RecordForms;
use super::{FieldErrors, Page, PageError, Posted, State, answered, see_other, signed_in};
use crate::api::ApiFailure;
use crate::present::{long_date, tag_html, wire_word};
use crate::render::{PERSONAL_DATA_READERS, Section, holds_any};
use crate::session::{self, Person};

/// Who the api lets link and unlink a member's sign-in identity: the office.
const SIGN_IN_LINKERS: &[&str] = &["assistant"];
/// Who the api lets erase a member's personal data.
const ERASERS: &[&str] = &["assistant", "leader"];
/// Who the api lets answer a subject access request.
const SUBJECT_ACCESS: &[&str] = &["assistant", "leader", "auditor"];

/// The statuses the directory filters by, as the page names them, and the
/// colour of each one's tag.
const STATUSES: &[(MemberStatus, &str, &str, &str)] = &[
    (MemberStatus::Member, "Current members", "Current member", "govuk-tag--green"),
    (MemberStatus::Left, "Former members", "Left the group", "govuk-tag--grey"),
];

fn status_tag(status: MemberStatus) -> String {
    let (_, _, text, colour) =
        STATUSES.iter().find(|(s, ..)| *s == status).copied().unwrap_or((status, "", "", ""));
    tag_html(text, colour)
}

#[get("/members")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let wanted = query.status::<MemberStatus>();
    // The directory is the group's members, a register a group keeps small:
    // all of them, by name.
    let path = match wanted {
        Some(status) => format!("/members?limit=200&status={}", wire_word(status)),
        None => "/members?limit=200".to_owned(),
    };
    let mut members: Vec<MemberView> = state.read_all(&session, &person, &request, &path).await?;
    // Current members first, each group by name.
    members.sort_by(|a, b| {
        (a.status != MemberStatus::Member, &a.name).cmp(&(b.status != MemberStatus::Member, &b.name))
    });
    let rows: Vec<Value> = members
        .iter()
        .map(|m| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/members/{}\">{}</a>",
                m.id,
                tera::escape_html(&m.name)
            );
            json!([{"html": link}, {"text": m.ward}, {"html": status_tag(m.status)}])
        })
        .collect();
    let mut options = vec![json!({"value": "", "text": "All", "selected": wanted.is_none()})];
    options.extend(STATUSES.iter().map(|(status, plural, ..)| {
        json!({"value": wire_word(*status), "text": plural, "selected": wanted == Some(*status)})
    }));
    let count = members.len();
    let showing = match (wanted.and_then(|w| STATUSES.iter().find(|(s, ..)| *s == w)), count) {
        (None, 1) => "1 member.".to_owned(),
        (None, n) => format!("{n} members."),
        (Some((_, plural, ..)), n) => format!("{plural}: {n}."),
    };
    let frame = state.frame(&session, Some(&person), Section::Members, "Members")?;
    state.page(
        &frame,
        "members.html",
        json!({
            "filter": {"name": "status", "id": "status", "label": {"text": "Show"}, "items": options},
            "table": {
                "caption": "Members",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Name"}, {"text": "Ward"}, {"text": "Status"}],
                "rows": rows,
            },
            "count": count,
            "showing": showing,
        }),
    )
}

/// The forms of a member's page as they are to be shown: empty with a new
/// key each, or one of them as it was sent and refused, with its key.
#[derive(Debug)]
struct MemberForms {
    errors: FieldErrors,
    /// The link form: the issuer and subject typed, and its key.
    link: (Option<String>, String, String),
    unlink_key: String,
    erase_key: String,
}

impl MemberForms {
    fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            link: (None, String::new(), session::random_hex()),
            unlink_key: session::random_hex(),
            erase_key: session::random_hex(),
        }
    }
}

/// A contact detail as the page shows it: what the api sent, or why it
/// sent none.
fn contact(value: Option<&str>, member: &MemberView, person: &Person) -> String {
    match value {
        Some(value) => value.to_owned(),
        None if member.personal_data_erased => "Erased".to_owned(),
        None if !holds_any(person, PERSONAL_DATA_READERS) => "Not shown to your role".to_owned(),
        None => "Not given".to_owned(),
    }
}

/// The member's profile: name, ward, where they stand, photo, biography.
fn profile(member: &MemberView) -> Value {
    let text = |key: &str, value: &str| json!({"key": {"text": key}, "value": {"text": value}});
    let status = match (&member.left_on, &member.left_reason) {
        (Some(on), reason) => format!(
            "{} Left on {}{}",
            status_tag(member.status),
            long_date(*on),
            reason.as_deref().map(|r| format!(": {}", tera::escape_html(r))).unwrap_or_default()
        ),
        (None, _) => status_tag(member.status),
    };
    let photo = match &member.photo_url {
        Some(url) => json!({"html": format!(
            "<a class=\"govuk-link\" href=\"{0}\">{0}</a>",
            tera::escape_html(url)
        )}),
        None => json!({"text": "None"}),
    };
    json!({"rows": [
        text("Name", &member.name),
        text("Ward", &member.ward),
        {"key": {"text": "Status"}, "value": {"html": status}},
        {"key": {"text": "Photo"}, "value": photo},
        text("Biography", member.biography.as_deref().unwrap_or("None")),
    ]})
}

fn render_member(
    state: &State,
    session: &Session,
    person: &Person,
    member: &MemberView,
    forms: MemberForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let errors = &forms.errors;
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let contact_rows = json!({"rows": [
        text("Email", contact(member.email.as_deref(), member, person)),
        text("Telephone", contact(member.phone.as_deref(), member, person)),
    ]});
    let sign_in = match &member.sign_in_issuer {
        Some(issuer) => format!("Linked to an identity at {issuer}"),
        None => "Not linked: they cannot sign in as themselves".to_owned(),
    };
    let (issuer, subject, link_key) = &forms.link;
    let issuer = issuer.clone().or_else(|| member.sign_in_issuer.clone()).unwrap_or_default();
    let erased = member.personal_data_erased;
    let frame = state.frame(session, Some(person), Section::Members, member.name.clone())?;
    let status = errors.status();
    state.page_with(
        status,
        &frame,
        "member.html",
        json!({
            "id": member.id,
            "version": member.version,
            "ward": member.ward,
            "profile": profile(member),
            "contact": contact_rows,
            "sign_in": sign_in,
            "linked": member.sign_in_issuer.is_some(),
            "erased": erased,
            "may_link": holds_any(person, SIGN_IN_LINKERS) && !erased,
            "may_export": holds_any(person, SUBJECT_ACCESS),
            // Every register for those who read them all; a councillor their own.
            "reads_register": holds_any(person, crate::render::REGISTER_READERS)
                || person.subject == member.id.to_string(),
            "may_erase": holds_any(person, ERASERS) && !erased,
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
            "link_form": {
                "key": link_key,
                "button": if member.sign_in_issuer.is_some() { "Replace the link" } else { "Link their sign-in" },
                "issuer": {
                    "name": "issuer", "id": "issuer",
                    "label": {"text": "Identity provider", "classes": "govuk-label--s"},
                    "hint": {"text": "Its issuer, exactly as in its tokens: for example https://login.microsoftonline.com/your-tenant/v2.0"},
                    "spellcheck": false,
                    "value": issuer,
                    "errorMessage": errors.message("issuer"),
                },
                "subject": {
                    "name": "subject", "id": "subject",
                    "label": {"text": "Their identity there", "classes": "govuk-label--s"},
                    "hint": {"text": "Their subject, exactly as in the provider's tokens for them"},
                    "spellcheck": false,
                    "autocomplete": "off",
                    "value": subject,
                    "errorMessage": errors.message("subject"),
                },
            },
            "unlink_key": forms.unlink_key,
            "erase_form": {
                "key": forms.erase_key,
                "warning": {
                    "text": "Erasing destroys their key: their email address, telephone number and sign-in identity become unreadable in every record, history and export, for good. Their name, ward and profile stay, and so does the audit log. This cannot be undone.",
                    "iconFallbackText": "Warning",
                },
                "confirm": {
                    "name": "confirm",
                    "idPrefix": "confirm",
                    "items": [{"value": "yes", "text": format!("I understand that {}'s personal data will be erased for good", member.name)}],
                    "errorMessage": errors.message("confirm"),
                },
            },
        }),
    )
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("linked", "Their sign-in identity was linked"),
    ("unlinked", "Their sign-in identity was unlinked"),
    ("erased", "Their personal data was erased"),
];

impl RecordForms for MemberForms {
    const PATH: &'static str = "/members";
    type Loaded = MemberView;

    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<MemberView, PageError> {
        state.read(session, person, request, &format!("/members/{id}")).await
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        member: &MemberView,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_member(state, session, person, member, self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

#[get("/members/{id}")]
pub(super) async fn member_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    MemberForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

/// Everything the group holds about a member, as the api exports it, saved
/// as a JSON file.
#[get("/members/{id}/subject-access")]
pub(super) async fn subject_access(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let path = format!("/members/{id}/subject-access");
    state.download_as(&session, &person, &request, &path, &format!("subject-access-{id}.json")).await
}

#[post("/members/{id}/sign-in")]
pub(super) async fn link_sign_in(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let id = *id;
    let (issuer, subject) = (form.text("issuer"), form.text("subject"));
    let version = form.version()?;
    let body = LinkMemberSignInRequest {
        issuer: TitleText(issuer.trim().to_owned()),
        subject: TitleText(subject.trim().to_owned()),
    };
    let path = format!("/members/{id}/sign-in");
    let sent = state.api.put(&person.token, &path, &body, Some(version), &key).await;
    let fields = [("/issuer", "issuer", "The identity provider"), ("/subject", "subject", "Their identity")];
    // The same key: the refused submission recorded nothing.
    let refused =
        |errors| MemberForms { errors, link: (Some(issuer), subject, key.clone()), ..MemberForms::fresh() };
    let page = (&**state, &session, &request);
    let to = |_: MemberView| format!("/members/{id}?done=linked");
    answered(page, &person, sent, to, (&fields, |errors| refused(errors).refused(page, &person, id))).await
}

#[post("/members/{id}/sign-in/removal")]
pub(super) async fn unlink_sign_in(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let path = format!("/members/{id}/sign-in");
    let version = form.version()?;
    let sent: Result<MemberView, ApiFailure> =
        state.api.delete(&person.token, &path, Some(version), &key).await;
    match sent {
        Ok(_) => Ok(see_other(&format!("/members/{id}?done=unlinked"))),
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}

#[post("/members/{id}/erasure")]
pub(super) async fn erase(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    // The same key on a refusal: the refused submission recorded nothing.
    let refused =
        |errors: FieldErrors| MemberForms { errors, erase_key: key.clone(), ..MemberForms::fresh() };
    let page = (&**state, &session, &request);
    if form.text("confirm") != "yes" {
        let errors = FieldErrors {
            errors: vec![(
                "confirm".to_owned(),
                "Confirm that you understand their personal data will be erased for good".to_owned(),
            )],
        };
        return refused(errors).refused(page, &person, *id).await;
    }
    let fields = [("", "confirm", "The erasure")];
    let body = (&EraseMemberPersonalDataRequest {}, key.as_str());
    MemberForms::send(page, &person, (*id, "erasure", "erased"), body, (&fields, refused)).await
}
