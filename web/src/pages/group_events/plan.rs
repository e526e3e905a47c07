//! The office's form to plan an event: what and when (London time), where,
//! how many, who is invited, an outside host and the value of its
//! hospitality, the courses it teaches, and who can read it.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::bodies::{BodyStatus, BodyView};
use caucus_wire::group_events::{EventKind, GroupEventView, HostRequest, Invited, PlanGroupEventRequest};
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::training::{CourseStatus, CourseView};
use caucus_wire::{ChosenClassification, Mirror as _, NoteText, TitleText};
use chrono::{DateTime, TimeZone as _, Utc};
use chrono_tz::Europe::London;
use serde_json::{Value, json};
use uuid::Uuid;

use super::kind_words;
use crate::pages::social::time_of_day;
use crate::pages::{
    DateParts, FieldErrors, OFFICE, PageError, Posted, SentForm, State, classification_radios, send,
    signed_in,
};
use crate::present::wire_word;
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// The form as typed.
#[derive(Debug, Default)]
struct PlanForm {
    kind: String,
    title: String,
    description: String,
    starts_on: DateParts,
    starts_time: String,
    ends_on: DateParts,
    ends_time: String,
    place: String,
    online_link: String,
    organiser: String,
    capacity: String,
    /// `all_members`, `bodies` or `members`.
    invited: String,
    bodies: Vec<String>,
    members: Vec<String>,
    host: String,
    /// The value of the hospitality per head, in pounds as typed.
    value: String,
    courses: Vec<String>,
    classification: String,
}

/// Who may be invited, as the form offers it.
const INVITED: &[(&str, &str)] = &[
    ("all_members", "All members of the group"),
    ("bodies", "The members holding a seat on the bodies chosen below"),
    ("members", "The members chosen below"),
];

/// What the form offers to choose from: the current members, the active
/// bodies, the courses offered.
type Choices = (Vec<MemberView>, Vec<BodyView>, Vec<CourseView>);

async fn choices(
    state: &State,
    session: &Session,
    person: &Person,
    request: &HttpRequest,
) -> Result<Choices, PageError> {
    let mut members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
    members.retain(|m| m.status == MemberStatus::Member);
    members.sort_by(|a, b| a.name.cmp(&b.name));
    let mut bodies: Vec<BodyView> = state.read_all(session, person, request, "/bodies?limit=200").await?;
    bodies.retain(|b| b.status == BodyStatus::Active);
    bodies.sort_by(|a, b| a.name.cmp(&b.name));
    let courses: Vec<CourseView> = state.read_all(session, person, request, "/courses?limit=200").await?;
    let courses = courses.into_iter().filter(|c| c.status == CourseStatus::Offered).collect();
    Ok((members, bodies, courses))
}

/// Checkboxes named `name` of `(value, text)` choices, those in `chosen` ticked.
fn checkboxes(
    name: &str,
    id: &str,
    legend: &str,
    options: Vec<(String, String)>,
    chosen: &[String],
    errors: &FieldErrors,
) -> Value {
    json!({
        "name": name,
        "idPrefix": id,
        "classes": "govuk-checkboxes--small",
        "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
        "items": options.into_iter().map(|(value, text)| {
            let checked = chosen.contains(&value);
            json!({"value": value, "text": text, "checked": checked})
        }).collect::<Vec<_>>(),
        "errorMessage": errors.message(id),
    })
}

fn render_form(
    state: &State,
    session: &Session,
    person: &Person,
    (members, bodies, courses): &Choices,
    (form, errors, key): (&PlanForm, FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let input = |name: &str, id: &str, label: &str, value: &str, hint: Option<&str>| {
        json!({
            "name": name, "id": id,
            "label": {"text": label, "classes": "govuk-label--s"},
            "hint": hint.map(|text| json!({"text": text})),
            "value": value,
            "errorMessage": errors.message(id),
        })
    };
    let time = |name: &str, id: &str, label: &str, value: &str| {
        let mut time = input(name, id, label, value, Some("London time, for example 6pm or 18:00"));
        time["classes"] = json!("govuk-input--width-5");
        time["spellcheck"] = json!(false);
        time
    };
    let hint = Some("For example, 27 3 2027");
    let mut capacity = input(
        "capacity",
        "capacity",
        "How many may come (optional)",
        &form.capacity,
        Some("A whole number; leave it blank for no limit. When it is full, members join a waiting list."),
    );
    capacity["classes"] = json!("govuk-input--width-4");
    capacity["inputmode"] = json!("numeric");
    let mut value = input(
        "value",
        "host-value",
        "Value of the hospitality per head (optional)",
        &form.value,
        Some(
            "In pounds, for example 45.50. Members who come must register it if it is at or over the group's threshold.",
        ),
    );
    value["classes"] = json!("govuk-input--width-5");
    value["prefix"] = json!({"text": "£"});
    value["inputmode"] = json!("decimal");
    let frame = state.frame(session, Some(person), Section::Events, "Plan an event")?;
    state.page_with(
        errors.status(),
        &frame,
        "group-event-form.html",
        json!({
            "key": key,
            "error_summary": errors.summary(),
            "kind": {
                "name": "kind", "idPrefix": "kind",
                "fieldset": {"legend": {"text": "What kind of event", "classes": "govuk-fieldset__legend--s"}},
                "items": EventKind::ALL.iter().map(|k| {
                    let word = wire_word(*k);
                    json!({"value": word, "text": kind_words(*k), "checked": word == form.kind})
                }).collect::<Vec<_>>(),
                "errorMessage": errors.message("kind"),
            },
            "title": input("title", "title", "Title", &form.title, None),
            "description": {
                "name": "description", "id": "description", "rows": 5,
                "label": {"text": "What it is for (optional)", "classes": "govuk-label--s"},
                "hint": {"text": "The programme, who speaks, what to bring"},
                "value": form.description,
                "errorMessage": errors.message("description"),
            },
            "starts_on": form.starts_on.input(("starts", "starts"), "Date it starts", hint, &errors),
            "starts_time": time("starts-time", "starts-time", "Time it starts", &form.starts_time),
            "ends_on": form.ends_on.input(("ends", "ends"), "Date it ends (optional)", Some("Leave it blank if it ends the day it starts"), &errors),
            "ends_time": time("ends-time", "ends-time", "Time it ends (optional)", &form.ends_time),
            "place": input("place", "place", "Where", &form.place, Some("The room and building; leave it blank if it is online only")),
            "online_link": input("online_link", "online-link", "Link to join online (optional)", &form.online_link, Some("The full address, starting https://")),
            "organiser": {
                "name": "organiser", "id": "organiser",
                "label": {"text": "Organiser (optional)", "classes": "govuk-label--s"},
                "items": std::iter::once(json!({"value": "", "text": "No one named"}))
                    .chain(members.iter().map(|m| json!({"value": m.id, "text": m.name, "selected": m.id.to_string() == form.organiser})))
                    .collect::<Vec<_>>(),
                "errorMessage": errors.message("organiser"),
            },
            "capacity": capacity,
            "invited": {
                "name": "invited", "idPrefix": "invited",
                "fieldset": {"legend": {"text": "Who is invited", "classes": "govuk-fieldset__legend--s"}},
                "items": INVITED.iter().map(|(value, text)| json!({"value": value, "text": text, "checked": form.invited == *value})).collect::<Vec<_>>(),
                "errorMessage": errors.message("invited"),
            },
            "bodies": checkboxes("body", "invited-bodies", "Bodies whose seat holders are invited", bodies.iter().map(|b| (b.id.to_string(), b.name.clone())).collect(), &form.bodies, &errors),
            "members": checkboxes("member", "invited-members", "Members invited by name", members.iter().map(|m| (m.id.to_string(), m.name.clone())).collect(), &form.members, &errors),
            "host": input("host", "host-name", "Outside host or sponsor (optional)", &form.host, Some("The organisation hosting or paying for it, if not the group")),
            "value": value,
            "courses": checkboxes("course", "courses", "Courses it teaches (optional)", courses.iter().map(|c| (c.id.to_string(), c.title.clone())).collect(), &form.courses, &errors),
            "classification": classification_radios(&form.classification, &errors),
        }),
    )
}

#[get("/group-events/new")]
pub(in crate::pages) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    if !holds_any(&person, OFFICE) {
        let advice = "Only the office plans events: ask the Political Assistant.";
        let status = actix_web::http::StatusCode::FORBIDDEN;
        return Err(state.message_page(&session, Some(&person), status, "You cannot do that", advice));
    }
    let choices = choices(&state, &session, &person, &request).await?;
    let form = PlanForm {
        invited: "all_members".to_owned(),
        classification: wire_word(ChosenClassification::Group),
        ..PlanForm::default()
    };
    render_form(&state, &session, &person, &choices, (&form, FieldErrors::default(), session::random_hex()))
}

/// An amount of money in pounds as people type it ("45.50", "£1,200",
/// "45.5") in pence, exactly: never through a float.
fn pence(typed: &str) -> Option<u64> {
    let text = typed.trim().trim_start_matches('£').replace(',', "");
    let (pounds, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if (pounds.is_empty() && fraction.is_empty())
        || !digits(pounds)
        || !digits(fraction)
        || fraction.len() > 2
    {
        return None;
    }
    let whole: u64 = if pounds.is_empty() { 0 } else { pounds.parse().ok()? };
    let part: u64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<u64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(part)
}

/// The instant a day and a time of day name in London; else what is wrong,
/// at the date's field (`{id}-day`) or the time's (`{id}-time`).
fn instant(
    on: &DateParts,
    time: &str,
    (id, called): (&str, &str),
) -> Result<DateTime<Utc>, Vec<(String, String)>> {
    let day = on.parse(&format!("The date it {called}"));
    let time = match time.trim() {
        "" => Err(format!("Enter the time it {called}")),
        typed => {
            time_of_day(typed).ok_or_else(|| "The time must be a real time, like 6pm or 18:00".to_owned())
        }
    };
    let (day, time) = match (day, time) {
        (Ok(day), Ok(time)) => (day, time),
        (day, time) => {
            let day = day.err().map(|m| (format!("{id}-day"), m));
            let time = time.err().map(|m| (format!("{id}-time"), m));
            return Err(day.into_iter().chain(time).collect());
        }
    };
    // When the clocks go back an hour repeats: the first is meant.
    London
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|local| local.with_timezone(&Utc))
        .ok_or_else(|| {
            vec![(
                format!("{id}-time"),
                "The clocks go forward then, so that time does not happen: choose another".to_owned(),
            )]
        })
}

/// Every value sent for the field `name` (ticked checkboxes).
fn all_of(sent: &SentForm, name: &str) -> Vec<String> {
    sent.0.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect()
}

/// Ids as typed: those that are ids (a tampered form's others dropped).
fn ids(typed: &[String]) -> Vec<Uuid> {
    typed.iter().filter_map(|id| id.parse().ok()).collect()
}

/// The request the form makes, or what is wrong with it, by field.
fn request_of(form: &PlanForm) -> Result<PlanGroupEventRequest, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let kind = serde_json::from_value::<EventKind>(Value::String(form.kind.clone())).ok();
    if kind.is_none() {
        errors.push(("kind".to_owned(), "Select what kind of event it is".to_owned()));
    }
    let starts_at =
        instant(&form.starts_on, &form.starts_time, ("starts", "starts")).map_err(|e| errors.extend(e)).ok();
    let ends_at = match (form.ends_on.is_blank(), form.ends_time.trim().is_empty()) {
        (true, true) => Some(None),
        // Ending the day it starts: the end's date is the start's.
        (true, false) => instant(&form.starts_on, &form.ends_time, ("ends", "ends"))
            .map(Some)
            .map_err(|e| errors.extend(e))
            .ok(),
        (false, _) => instant(&form.ends_on, &form.ends_time, ("ends", "ends"))
            .map(Some)
            .map_err(|e| errors.extend(e))
            .ok(),
    };
    let capacity = match form.capacity.trim() {
        "" => Some(None),
        typed => typed.parse::<u32>().ok().map(Some),
    };
    if capacity.is_none() {
        errors.push((
            "capacity".to_owned(),
            "How many may come must be a whole number, or blank for no limit".to_owned(),
        ));
    }
    let (invited, invited_ids) = match form.invited.as_str() {
        "all_members" => (Some(Invited::AllMembers), Vec::new()),
        "bodies" => (Some(Invited::Bodies), ids(&form.bodies)),
        "members" => (Some(Invited::Members), ids(&form.members)),
        _ => (None, Vec::new()),
    };
    if invited.is_none() {
        errors.push(("invited".to_owned(), "Select who is invited".to_owned()));
    }
    let host = match (form.host.trim(), form.value.trim()) {
        ("", "") => Some(None),
        ("", _) => {
            errors.push((
                "host-name".to_owned(),
                "Enter the name of the host or sponsor the hospitality is from".to_owned(),
            ));
            None
        }
        (name, "") => Some(Some(HostRequest { name: TitleText(name.to_owned()), value_per_head_pence: 0 })),
        (name, value) => match pence(value) {
            Some(value_per_head_pence) => {
                Some(Some(HostRequest { name: TitleText(name.to_owned()), value_per_head_pence }))
            }
            None => {
                errors.push((
                    "host-value".to_owned(),
                    "The value per head must be an amount in pounds, like 45.50".to_owned(),
                ));
                None
            }
        },
    };
    let classification =
        serde_json::from_value::<ChosenClassification>(Value::String(form.classification.clone())).ok();
    if classification.is_none() {
        errors.push(("classification".to_owned(), "Select who can read it".to_owned()));
    }
    let (
        Some(kind),
        Some(starts_at),
        Some(ends_at),
        Some(capacity),
        Some(invited),
        Some(host),
        Some(classification),
        true,
    ) = (kind, starts_at, ends_at, capacity, invited, host, classification, errors.is_empty())
    else {
        return Err(errors);
    };
    let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    Ok(PlanGroupEventRequest {
        kind,
        title: TitleText(form.title.clone()),
        description: optional(&form.description).map(NoteText),
        starts_at,
        ends_at,
        place: optional(&form.place).map(TitleText),
        online_link: optional(&form.online_link),
        organiser_id: form.organiser.parse().ok(),
        capacity,
        invited,
        invited_ids,
        host,
        course_ids: ids(&form.courses),
        offer_hours: None,
        classification,
    })
}

#[post("/group-events")]
pub(in crate::pages) async fn plan_event(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let form = PlanForm {
        kind: sent.text("kind"),
        title: sent.text("title"),
        description: sent.text("description"),
        starts_on: sent.date("starts"),
        starts_time: sent.text("starts-time"),
        ends_on: sent.date("ends"),
        ends_time: sent.text("ends-time"),
        place: sent.text("place"),
        online_link: sent.text("online_link").trim().to_owned(),
        organiser: sent.text("organiser"),
        capacity: sent.text("capacity"),
        invited: sent.text("invited"),
        bodies: all_of(&sent, "body"),
        members: all_of(&sent, "member"),
        host: sent.text("host"),
        value: sent.text("value"),
        courses: all_of(&sent, "course"),
        classification: sent.text("classification"),
    };
    let body = match request_of(&form) {
        Ok(body) => body,
        Err(errors) => {
            let choices = choices(&state, &session, &person, &request).await?;
            return render_form(&state, &session, &person, &choices, (&form, FieldErrors { errors }, key));
        }
    };
    // The api names an invitee or course by its place in the list sent.
    let invitees = if body.invited == Invited::Bodies { "invited-bodies" } else { "invited-members" };
    let listed: Vec<(String, &str, &str)> = (0..body.invited_ids.len())
        .map(|i| (format!("/invited_ids/{i}"), invitees, "Who is invited:"))
        .chain((0..body.course_ids.len()).map(|i| (format!("/course_ids/{i}"), "courses", "The course:")))
        .collect();
    let mut fields: Vec<(&str, &str, &str)> = vec![
        ("/title", "title", "The title"),
        ("/kind", "kind", "The kind"),
        ("/description", "description", "What it is for"),
        ("/starts_at", "starts-day", "The start"),
        ("/ends_at", "ends-day", "The end"),
        ("/place", "place", "Where:"),
        ("/online_link", "online-link", "The link"),
        ("/organiser_id", "organiser", "The organiser:"),
        ("/capacity", "capacity", "How many may come"),
        ("/invited_ids", "invited", "Who is invited:"),
        ("/host/name", "host-name", "The host's name"),
        ("/classification", "classification", "Who can read it"),
    ];
    fields.extend(listed.iter().map(|(pointer, id, name)| (pointer.as_str(), *id, *name)));
    let to = |made: GroupEventView| format!("/group-events/{}?done=planned", made.id);
    let again = async |errors: FieldErrors| {
        let choices = choices(&state, &session, &person, &request).await?;
        render_form(&state, &session, &person, &choices, (&form, errors, key.clone()))
    };
    let page = (&**state, &session, &request);
    send(page, &person, ("/group-events", &body, &key), to, (fields.as_slice(), again)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_are_read_as_pence_exactly() {
        assert_eq!(pence("45.50"), Some(4550));
        assert_eq!(pence("45.5"), Some(4550));
        assert_eq!(pence("£1,200"), Some(120_000));
        assert_eq!(pence("0.07"), Some(7));
        assert_eq!(pence(".99"), Some(99));
        assert_eq!(pence("85"), Some(8500));
        // 0.1 + 0.2 in floating point is not 0.3: here it is 30p.
        assert_eq!(pence("0.30"), Some(30));
        for bad in ["", "£", "4.555", "-3", "abc", "1.2.3", "4 50"] {
            assert_eq!(pence(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_start_is_the_london_instant_it_names() {
        let on = DateParts { day: "9".into(), month: "6".into(), year: "2026".into() };
        assert_eq!(
            instant(&on, "6pm", ("starts", "starts")).expect("ok").to_rfc3339(),
            "2026-06-09T17:00:00+00:00"
        );
        let errors = instant(&DateParts::default(), "", ("starts", "starts")).expect_err("blank");
        let ids: Vec<&str> = errors.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["starts-day", "starts-time"]);
    }
}
