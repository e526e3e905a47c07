//! An event's page: everything the api holds of it, who has places and who
//! waits, its invitation to download; the signed-in member's own buttons
//! (register, withdraw, take up an offered place); and the office's forms
//! (register a member, change the capacity, cancel, keep the register),
//! whose writes are in `writes`.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, web};
use caucus_wire::Mirror as _;
use caucus_wire::Pence;
use caucus_wire::bodies::BodyView;
use caucus_wire::group_events::{GroupEventStatus, GroupEventView, Invited};
use caucus_wire::meetings::Attendance;
use caucus_wire::members::{MemberStatus, MemberView};
use caucus_wire::training::CourseView;
use chrono::Utc;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{kind_words, places_words, status_words, when};
use crate::pages::names::MemberNames;
use crate::pages::query::DoneQuery;
use crate::pages::record::RecordForms;
use crate::pages::{FieldErrors, OFFICE, Page, PageError, State, TextForm, signed_in};
use crate::present::{london_time, long_date, paragraphs, status_tag, wire_word, words};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// What the page reads: the event, the members (to name them), and the
/// bodies and courses it names, if it names any.
pub(super) type Loaded = (GroupEventView, Vec<MemberView>, Vec<BodyView>, Vec<CourseView>);

/// The member's own three buttons, each with its key.
pub(super) const OWN: &[(&str, &str)] =
    &[("registrations", "own-register"), ("withdrawals", "own-withdraw"), ("acceptances", "own-accept")];

/// The forms of an event's page as they are to be shown: empty with a new
/// key each, or one of them as it was sent and refused, with its key.
#[derive(Debug)]
pub(super) struct EventForms {
    pub(super) errors: FieldErrors,
    /// The keys of the member's own buttons, in [`OWN`]'s order.
    pub(super) own: [String; 3],
    /// The office's registration: the member chosen, and the key.
    pub(super) register: (Option<Uuid>, String),
    /// The office's withdrawal of a member: the member chosen, and the key.
    pub(super) withdraw: (Option<Uuid>, String),
    pub(super) capacity: TextForm,
    pub(super) cancel: TextForm,
    /// The register: each member's attendance as chosen, and the key.
    pub(super) attendance: (HashMap<Uuid, String>, String),
}

impl EventForms {
    pub(super) fn fresh() -> Self {
        Self {
            errors: FieldErrors::default(),
            own: [session::random_hex(), session::random_hex(), session::random_hex()],
            register: (None, session::random_hex()),
            withdraw: (None, session::random_hex()),
            capacity: TextForm::fresh(),
            cancel: TextForm::fresh(),
            attendance: (HashMap::new(), session::random_hex()),
        }
    }
}

/// Where a member stands at the event, in words for them.
fn own_standing(event: &GroupEventView, me: Uuid) -> Option<String> {
    if event.registered.iter().any(|p| p.member_id == me) {
        return Some("You have a place.".to_owned());
    }
    if let Some(offer) = event.offers.iter().find(|o| o.member_id == me) {
        return Some(format!("A place is offered to you until {}.", london_time(offer.until)));
    }
    event
        .waiting
        .iter()
        .position(|p| p.member_id == me)
        .map(|at| format!("You are number {} of {} on the waiting list.", at + 1, event.waiting.len()))
}

/// Who is invited, in words.
fn invited_words(event: &GroupEventView, names: &MemberNames, bodies: &[BodyView]) -> String {
    match event.invited {
        Invited::AllMembers => "All members of the group".to_owned(),
        Invited::Bodies => {
            let named: Vec<String> = event
                .invited_ids
                .iter()
                .map(|id| bodies.iter().find(|b| b.id == *id).map_or("A body no longer listed", |b| &b.name))
                .map(str::to_owned)
                .collect();
            format!("The members holding a seat on the {}", named.join(", the "))
        }
        Invited::Members => {
            event.invited_ids.iter().map(|id| names.of_id(*id)).collect::<Vec<_>>().join(", ")
        }
    }
}

/// The summary of an event: everything the api holds of it but its places.
fn summary(
    event: &GroupEventView,
    names: &MemberNames,
    (bodies, courses): (&[BodyView], &[CourseView]),
) -> Value {
    let text = |key: &str, value: String| json!({"key": {"text": key}, "value": {"text": value}});
    let mut status = status_tag(event.status, status_words);
    if let Some(reason) = &event.cancellation_reason {
        status = format!("{status} {}", tera::escape_html(reason));
    }
    let mut rows = vec![
        json!({"key": {"text": "Status"}, "value": {"html": status}}),
        text("Kind", kind_words(event.kind).to_owned()),
        text("When", when(event)),
    ];
    let mut place = Vec::new();
    if let Some(name) = &event.place {
        place.push(tera::escape_html(name));
    }
    if let Some(link) = &event.online_link {
        place.push(format!("<a class=\"govuk-link\" href=\"{}\">Join online</a>", tera::escape_html(link)));
    }
    rows.push(json!({"key": {"text": "Where"}, "value": {"html": place.join("<br>")}}));
    if let Some(organiser) = event.organiser_id {
        rows.push(text("Organiser", names.of_id(organiser)));
    }
    let mut places = places_words(event);
    if let Some(left) = event.places_left.filter(|left| *left > 0) {
        places.push_str(&format!(", {left} free"));
    }
    rows.push(text("Places", places));
    rows.push(text("Who is invited", invited_words(event, names, bodies)));
    if let Some(host) = &event.host {
        rows.push(text(
            "Hosted or sponsored by",
            format!("{}, hospitality worth {} a head", host.name, Pence::unsigned(host.value_per_head_pence)),
        ));
    }
    if !event.course_ids.is_empty() {
        let taught: Vec<String> = event
            .course_ids
            .iter()
            .map(|id| courses.iter().find(|c| c.id == *id).map_or("A course no longer listed", |c| &c.title))
            .map(|title| format!("<li>{}</li>", tera::escape_html(title)))
            .collect();
        rows.push(json!({
            "key": {"text": "Courses taught"},
            "value": {"html": format!("<ul class=\"govuk-list\">{}</ul>", taught.concat())},
        }));
    }
    rows.push(text("A freed place is held for", format!("{} hours", event.offer_hours)));
    rows.push(text("Who can read it", words(event.classification)));
    json!({"rows": rows})
}

/// The register as recorded: who was present, sent apologies, was absent.
fn register_rows(event: &GroupEventView, names: &MemberNames) -> Vec<Value> {
    Attendance::ALL
        .iter()
        .filter_map(|kind| {
            let mut who: Vec<String> = event
                .attendance
                .iter()
                .filter(|a| a.attendance == *kind)
                .map(|a| names.of_id(a.member_id))
                .collect();
            who.sort_unstable();
            (!who.is_empty()).then(|| {
                json!({"key": {"text": format!("{} ({})", words(*kind), who.len())}, "value": {"text": who.join(", ")}})
            })
        })
        .collect()
}

/// The members on the register form: those with places, then any already
/// on the register without one.
fn on_register(event: &GroupEventView) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = event.registered.iter().map(|p| p.member_id).collect();
    for entry in &event.attendance {
        if !ids.contains(&entry.member_id) {
            ids.push(entry.member_id);
        }
    }
    ids
}

/// The id of the register form's first field, where its errors link.
pub(super) fn first_on_register(event: &GroupEventView) -> String {
    on_register(event).first().map(|id| format!("attendance-{id}")).unwrap_or_default()
}

/// One of the office's forms naming a member (its field `id`, the member
/// chosen and the key), offering `members` by name.
fn member_form(
    (id, (chosen, key)): (&str, &(Option<Uuid>, String)),
    members: &[(Uuid, String)],
    errors: &FieldErrors,
) -> Value {
    let items = std::iter::once(json!({"value": "", "text": "Choose a member"})).chain(
        members.iter().map(|(m, name)| json!({"value": m, "text": name, "selected": *chosen == Some(*m)})),
    );
    json!({
        "member": {
            "name": "member_id", "id": id,
            "label": {"text": "Member", "classes": "govuk-label--s"},
            "items": items.collect::<Vec<_>>(),
            "errorMessage": errors.message(id),
        },
        "key": key,
    })
}

fn render_event(
    state: &State,
    session: &Session,
    person: &Person,
    (event, members, bodies, courses): &Loaded,
    forms: EventForms,
    banner: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let errors = &forms.errors;
    let names = MemberNames::of(members);
    let now = Utc::now();
    let planned = event.status == GroupEventStatus::Planned;
    let office = holds_any(person, OFFICE);
    let me: Option<Uuid> = person.subject.parse().ok();
    let place = |id: Uuid, at| json!({"name": names.of_id(id), "since": london_time(at)});
    let registered: Vec<Value> = event.registered.iter().map(|p| place(p.member_id, p.since)).collect();
    let waiting: Vec<Value> = event.waiting.iter().map(|p| place(p.member_id, p.since)).collect();
    let offers: Vec<Value> = event
        .offers
        .iter()
        .map(|o| json!({"name": names.of_id(o.member_id), "until": london_time(o.until)}))
        .collect();
    // The member's own buttons, while the event is to come.
    let own = me.filter(|_| planned && event.starts_at > now).map(|me| {
        let holds = event.registered.iter().any(|p| p.member_id == me);
        let waits = event.waiting.iter().any(|p| p.member_id == me);
        let offered = event.offers.iter().any(|o| o.member_id == me);
        let full = event.places_left == Some(0);
        let register_text = if full { "Join the waiting list" } else { "Register" };
        let withdraw_text = match (holds, waits, offered) {
            (true, _, _) => Some("Give up my place"),
            (_, true, _) => Some("Leave the waiting list"),
            (_, _, true) => Some("Decline the place"),
            _ => None,
        };
        let button = |(step, id): (&str, &str), key: &str, text: &str, classes: &str| {
            json!({"action": format!("/group-events/{}/{step}", event.id), "id": id, "key": key, "text": text, "classes": classes, "error": errors.message(id)})
        };
        let mut buttons = Vec::new();
        if offered {
            buttons.push(button(OWN[2], &forms.own[2], "Accept the place", ""));
        }
        if let Some(text) = withdraw_text {
            buttons.push(button(OWN[1], &forms.own[1], text, "govuk-button--secondary"));
        } else {
            buttons.push(button(OWN[0], &forms.own[0], register_text, ""));
        }
        json!({"member": me, "standing": own_standing(event, me), "buttons": buttons, "full": full && withdraw_text.is_none()})
    });
    let taken: Vec<Uuid> = event
        .registered
        .iter()
        .chain(&event.waiting)
        .map(|p| p.member_id)
        .chain(event.offers.iter().map(|o| o.member_id))
        .collect();
    let mut others: Vec<&MemberView> =
        members.iter().filter(|m| m.status == MemberStatus::Member && !taken.contains(&m.id)).collect();
    others.sort_by(|a, b| a.name.cmp(&b.name));
    let others: Vec<(Uuid, String)> = others.iter().map(|m| (m.id, m.name.clone())).collect();
    let register_form = member_form(("register-member", &forms.register), &others, errors);
    let mut holders: Vec<(Uuid, String)> = taken.iter().map(|&id| (id, names.of_id(id))).collect();
    holders.sort_by(|a, b| a.1.cmp(&b.1));
    let withdraw_form = member_form(("withdraw-member", &forms.withdraw), &holders, errors);
    // The capacity as it stands, unless a refused change is shown again.
    let capacity_typed = if forms.capacity.text.is_empty() {
        event.capacity.map(|c| c.to_string()).unwrap_or_default()
    } else {
        forms.capacity.text.clone()
    };
    let capacity_form = json!({
        "input": {
            "name": "capacity", "id": "capacity",
            "label": {"text": "How many may come", "classes": "govuk-label--s"},
            "hint": {"text": "A whole number; leave it blank for no limit. Fewer than have places moves the last to register to the waiting list."},
            "classes": "govuk-input--width-4",
            "inputmode": "numeric",
            "spellcheck": false,
            "value": capacity_typed,
            "errorMessage": errors.message("capacity"),
        },
        "key": forms.capacity.key,
    });
    let cancel_form = json!({
        "reason": {
            "name": "reason", "id": "cancel-reason", "rows": 3,
            "label": {"text": "Why it is called off", "classes": "govuk-label--s"},
            "value": forms.cancel.text,
            "errorMessage": errors.message("cancel-reason"),
        },
        "key": forms.cancel.key,
    });
    let recorded: HashMap<Uuid, String> =
        event.attendance.iter().map(|a| (a.member_id, wire_word(a.attendance))).collect();
    let attendance_radios: Vec<Value> = on_register(event)
        .into_iter()
        .map(|id| {
            let name = format!("attendance-{id}");
            let value = forms.attendance.0.get(&id).or_else(|| recorded.get(&id));
            json!({
                "name": name,
                "idPrefix": name,
                "classes": "govuk-radios--inline govuk-radios--small",
                "fieldset": {"legend": {"text": names.of_id(id), "classes": "govuk-fieldset__legend--s"}},
                "items": Attendance::ALL.iter().map(|a| {
                    let word = wire_word(*a);
                    json!({"value": word, "text": words(*a), "checked": value == Some(&word)})
                }).collect::<Vec<_>>(),
                "errorMessage": errors.message(&name),
            })
        })
        .collect();
    let hospitality = event.hospitality.as_ref().filter(|_| office).map(|h| {
        let mut who: Vec<String> = h.member_ids.iter().map(|id| names.of_id(*id)).collect();
        who.sort_unstable();
        json!({"who": who, "by": long_date(h.register_by)})
    });
    let frame = state.frame(session, Some(person), Section::Events, event.title.clone())?;
    state.page_with(
        errors.status(),
        &frame,
        "group-event.html",
        json!({
            "id": event.id,
            "kind": kind_words(event.kind),
            "summary": summary(event, &names, (bodies, courses)),
            "description": event.description.as_deref().map(paragraphs),
            "registered": registered,
            "waiting": waiting,
            "offers": offers,
            "register": register_rows(event, &names),
            "hospitality": hospitality,
            "own": own,
            "office": office && planned,
            "may_register_others": office && planned && !others.is_empty(),
            "may_keep_register": office && event.status != GroupEventStatus::Cancelled && event.starts_at <= now && !attendance_radios.is_empty(),
            "register_form": register_form,
            "may_withdraw_others": office && planned && !holders.is_empty(),
            "withdraw_form": withdraw_form,
            "capacity_form": capacity_form,
            "cancel_form": cancel_form,
            "attendance_form": {"radios": attendance_radios, "key": forms.attendance.1},
            "error_summary": errors.summary(),
            "banner": banner.map(|text| json!({"type": "success", "text": text})),
        }),
    )
}

impl RecordForms for EventForms {
    const PATH: &'static str = "/group-events";
    type Loaded = Loaded;

    async fn load(
        (state, session, request): Page<'_>,
        person: &Person,
        id: Uuid,
    ) -> Result<Loaded, PageError> {
        let event: GroupEventView =
            state.read(session, person, request, &format!("/group-events/{id}")).await?;
        let members: Vec<MemberView> = state.read_all(session, person, request, "/members?limit=200").await?;
        let bodies = if event.invited == Invited::Bodies {
            state.read_all(session, person, request, "/bodies?limit=200").await?
        } else {
            Vec::new()
        };
        let courses = if event.course_ids.is_empty() {
            Vec::new()
        } else {
            state.read_all(session, person, request, "/courses?limit=200").await?
        };
        Ok((event, members, bodies, courses))
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        loaded: &Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        render_event(state, session, person, loaded, self, banner)
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("planned", "The event was planned"),
    ("registered", "The registration was recorded"),
    ("withdrawn", "The place was given up"),
    ("accepted", "The place was taken up"),
    ("capacity", "The capacity was changed"),
    ("cancelled", "The event was cancelled"),
    ("attendance", "The register was recorded"),
];

#[get("/group-events/{id}")]
pub(in crate::pages) async fn event_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    EventForms::fresh().shown(page, &person, *id, query.banner(DONE)).await
}

#[get("/group-events/{id}/invitation.ics")]
pub(in crate::pages) async fn invitation(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    state.download(&session, &person, &request, &format!("/group-events/{id}/invitation.ics")).await
}
