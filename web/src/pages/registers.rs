//! Probity (issue 18): members' registers of interests. Every current
//! member's register with its counts (for those who read them all), and a
//! member's register as it stands: its entries by category, "nothing to
//! declare", the 28-day clocks, removed entries, the last confirmation and
//! the review items dismissed on it, with the forms that keep it (a
//! councillor their own, the office anyone's, as the api allows):
//! registering an interest or nothing to declare in a category, and
//! confirming it unchanged. An entry's page, changing and removing it, is in
//! `registers/entry.rs`; the year-on-year changes in `registers/changes.rs`;
//! the office's review of likely omissions in `registers/review.rs`.

mod changes;
mod entry;
mod review;

pub(super) use changes::changes_page;
pub(super) use entry::{change_entry, entry_page, remove_entry};
pub(super) use review::{dismiss, review_markdown, review_page};

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::Mirror as _;
use caucus_wire::bodies::{BodyStatus, BodyView};
use caucus_wire::interests::{
    ClockCauseKind, Declaration, GiftRequest, InterestCategory, InterestEntryRequest, InterestEntryView,
    InterestHolder, RegisterClockView, RegisterListView, RegisterView,
};
use caucus_wire::members::MemberView;
use caucus_wire::{EmptyRequest, NoteText, Pence, TitleText};
use serde_json::{Value, json};
use uuid::Uuid;

use super::query::DoneQuery;
use super::record::RecordForms;
use super::{DateParts, FieldErrors, OFFICE, Page, PageError, Posted, SentForm, State, see_other, signed_in};
use crate::api::ApiFailure;
use crate::present::{long_date, status_tag, tag_html, wire_word};
use crate::render::{Section, holds_any};
use crate::session::{self, Person};

/// A category as a register names it, and what the form's hint says it covers.
fn category_words(category: InterestCategory) -> (&'static str, &'static str) {
    match category {
        InterestCategory::EmploymentOfficeTradeProfession => {
            ("Employment, office, trade, profession or vocation", "Any carried on for profit or gain")
        }
        InterestCategory::Sponsorship => (
            "Sponsorship",
            "Any payment or financial benefit towards expenses as a member or at an election, other than from the council",
        ),
        InterestCategory::Contracts => (
            "Contracts with the council",
            "A contract for goods, services or works with the council not yet fully carried out",
        ),
        InterestCategory::Land => {
            ("Land in the area", "Any beneficial interest in land in the council's area, a home included")
        }
        InterestCategory::Licences => {
            ("Licences to occupy land", "A licence to occupy land in the area for a month or longer")
        }
        InterestCategory::CorporateTenancies => (
            "Corporate tenancies",
            "A tenancy where the council is the landlord and the tenant a body with a beneficial interest",
        ),
        InterestCategory::Securities => (
            "Securities",
            "Shares in a body with a place of business or land in the area, over £25,000 or a hundredth of its shares",
        ),
        InterestCategory::AppointedBody => (
            "A body appointed to by the council",
            "An outside body or partnership the council appointed or nominated the member to",
        ),
        InterestCategory::PublicFunctionBody => (
            "A body exercising functions of a public nature",
            "For example, a health and wellbeing board, a school's governing body or a housing association",
        ),
        InterestCategory::Charity => ("A charity", "A charity the member is a trustee or manager of"),
        InterestCategory::OpinionBody => (
            "A body influencing opinion or policy",
            "A political party, a trade union, or a body whose main purpose is to influence opinion or policy",
        ),
        InterestCategory::GiftsHospitality => (
            "Gifts and hospitality",
            "A gift or hospitality worth £50 or more received as a member: give its value, who gave it and when",
        ),
    }
}

/// The part of the register a category is in.
fn part_of(category: InterestCategory) -> &'static str {
    match category {
        InterestCategory::AppointedBody
        | InterestCategory::PublicFunctionBody
        | InterestCategory::Charity
        | InterestCategory::OpinionBody => "Other registrable interests",
        InterestCategory::GiftsHospitality => "Gifts and hospitality",
        _ => "Disclosable pecuniary interests",
    }
}

/// Whose interest an entry records, as its table says.
fn whose_words(whose: InterestHolder) -> &'static str {
    match whose {
        InterestHolder::Member => "The member",
        InterestHolder::Partner => "Their partner",
    }
}

/// The category named by its wire word, if it is one.
fn category_of(word: &str) -> Option<InterestCategory> {
    serde_json::from_value(Value::String(word.to_owned())).ok()
}

/// Whether `person` may keep `member`'s register: the office anyone's, a
/// councillor their own (the api's rule; it checks again).
fn may_keep(person: &Person, member: Uuid) -> bool {
    holds_any(person, OFFICE) || person.subject == member.to_string()
}

/// What an entry says, as HTML for a table cell: the interest (or nothing to
/// declare), the gift, and whether it is withheld from publication.
fn entry_html(entry: &InterestEntryView) -> String {
    let mut html = match (entry.declaration, &entry.description) {
        (Declaration::NothingToDeclare, _) => "Nothing to declare".to_owned(),
        (Declaration::Interest, Some(text)) => tera::escape_html(text),
        (Declaration::Interest, None) => "Not said".to_owned(),
    };
    if let Some(gift) = &entry.gift {
        let event = gift.event_id.map_or_else(String::new, |id| {
            format!(", at <a class=\"govuk-link\" href=\"/group-events/{id}\">a group event</a>")
        });
        html.push_str(&format!(
            "<br>{} from {}, received on {}{event}",
            Pence::unsigned(gift.value_pence),
            tera::escape_html(&gift.giver),
            long_date(gift.received_on)
        ));
    }
    if let Some(agreement) = entry.monitoring_officer_agreement.as_deref().filter(|_| entry.sensitive) {
        html.push_str(&format!(
            "<br>{} Withheld from publication with the Monitoring Officer's agreement: {}",
            tag_html("Sensitive", "govuk-tag--purple"),
            tera::escape_html(agreement)
        ));
    }
    html
}

/// Why a removed entry came off the register, in words.
fn removal_words(entry: &InterestEntryView) -> String {
    match (&entry.removal_reason, entry.superseded_by) {
        (Some(reason), _) => reason.clone(),
        (None, Some(_)) => "An interest was registered in its category".to_owned(),
        (None, None) => "Not said".to_owned(),
    }
}

/// A removed entry as a table row: its category, what it said, when and
/// why it came off.
fn removed_row(entry: &InterestEntryView) -> Value {
    json!([
        {"text": category_words(entry.category).0},
        {"html": entry_html(entry)},
        {"text": entry.removed_on.map_or_else(String::new, long_date)},
        {"text": removal_words(entry)},
    ])
}

/// Where a 28-day clock stands.
#[derive(Debug, Clone, Copy)]
enum ClockStanding {
    Met,
    Due,
    Overdue,
}

/// How a clock's standing reads, and the colour of its tag.
fn clock_words(standing: ClockStanding) -> (&'static str, &'static str) {
    match standing {
        ClockStanding::Met => ("Registered", "govuk-tag--green"),
        ClockStanding::Due => ("Due", "govuk-tag--blue"),
        ClockStanding::Overdue => ("Overdue", "govuk-tag--red"),
    }
}

/// A body's name, if the group has it.
fn body_name(bodies: &[BodyView], id: Uuid) -> Option<&str> {
    bodies.iter().find(|b| b.id == id).map(|b| b.name.as_str())
}

/// A 28-day clock as a table row: what started it, when, the day to
/// register by, and where it stands.
fn clock_row(clock: &RegisterClockView, bodies: &[BodyView]) -> Value {
    let started = match clock.cause {
        ClockCauseKind::Joined => "Joining the group".to_owned(),
        ClockCauseKind::Appointment => {
            let body = clock.body_id.and_then(|id| body_name(bodies, id)).unwrap_or("an outside body");
            format!(
                "<a class=\"govuk-link\" href=\"/appointments/{}\">A seat on {}</a>",
                clock.record_id,
                tera::escape_html(body)
            )
        }
        ClockCauseKind::Hospitality => format!(
            "<a class=\"govuk-link\" href=\"/group-events/{}\">Hospitality at a group event</a>",
            clock.record_id
        ),
    };
    let standing = match (clock.met, clock.overdue) {
        (true, _) => ClockStanding::Met,
        (false, true) => ClockStanding::Overdue,
        (false, false) => ClockStanding::Due,
    };
    json!([
        {"html": started},
        {"text": long_date(clock.starts_on)},
        {"text": long_date(clock.due_on)},
        {"html": status_tag(standing, clock_words)},
    ])
}

/// An entry form as typed: the category and whose (wire words), the body
/// (an id or empty), the gift's value in pounds, giver and day, the group
/// event it names (from a clock or the review), and the Monitoring
/// Officer's agreement.
#[derive(Debug, Default, Clone)]
struct EntryForm {
    category: String,
    whose: String,
    description: String,
    body: String,
    gift_value: String,
    gift_giver: String,
    gift_on: DateParts,
    event: String,
    agreement: String,
}

/// The entry form's fields, as the api points at them.
const ENTRY_FIELDS: &[(&str, &str, &str)] = &[
    ("/category", "category", "The category:"),
    ("/description", "description", "What the interest is:"),
    ("/whose", "whose", "Whose interest:"),
    ("/body_id", "body-id", "The body:"),
    ("/gift", "gift-value", "The gift:"),
    ("/gift/value_pence", "gift-value", "What it was worth:"),
    ("/gift/giver", "gift-giver", "Who gave it:"),
    ("/gift/received_on", "gift-received-on-day", "The day it was received:"),
    ("/gift/event_id", "gift-value", "The group event:"),
    ("/monitoring_officer_agreement", "agreement", "The Monitoring Officer's agreement:"),
];

/// The nothing-to-declare form's field, as the api points at it.
const NOTHING_FIELDS: &[(&str, &str, &str)] = &[("/category", "nothing-category", "The category:")];

/// The gift's date input: (field name, id).
const GIFT_ON: (&str, &str) = ("gift_received_on", "gift-received-on");

impl EntryForm {
    /// The form showing `entry` as it stands.
    fn of(entry: &InterestEntryView) -> Self {
        let gift = entry.gift.as_ref();
        Self {
            category: wire_word(entry.category),
            whose: wire_word(entry.whose),
            description: entry.description.clone().unwrap_or_default(),
            body: entry.body_id.map(|id| id.to_string()).unwrap_or_default(),
            gift_value: gift.map(|g| Pence::unsigned(g.value_pence).to_string()).unwrap_or_default(),
            gift_giver: gift.map(|g| g.giver.clone()).unwrap_or_default(),
            gift_on: gift.map(|g| DateParts::of(g.received_on)).unwrap_or_default(),
            event: gift.and_then(|g| g.event_id).map(|id| id.to_string()).unwrap_or_default(),
            agreement: entry.monitoring_officer_agreement.clone().unwrap_or_default(),
        }
    }

    fn sent(form: &SentForm) -> Self {
        Self {
            category: form.text("category"),
            whose: form.text("whose"),
            description: form.text("description").trim().to_owned(),
            body: form.text("body_id"),
            gift_value: form.text("gift_value").trim().to_owned(),
            gift_giver: form.text("gift_giver").trim().to_owned(),
            gift_on: form.date(GIFT_ON.0),
            event: form.text("event_id"),
            agreement: form.text("monitoring_officer_agreement").trim().to_owned(),
        }
    }

    /// The interest the form registers, or the fields it cannot make one of.
    /// The gift's fields count only for gifts and hospitality.
    fn request(&self) -> Result<InterestEntryRequest, FieldErrors> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut error = |id: &str, message: &str| errors.push((id.to_owned(), message.to_owned()));
        let category = category_of(&self.category);
        if category.is_none() {
            error("category", "Select the category");
        }
        let whose = match self.whose.as_str() {
            "" => None,
            word => serde_json::from_value::<InterestHolder>(Value::String(word.to_owned())).ok(),
        };
        let body_id = match self.body.as_str() {
            "" => None,
            id => {
                let parsed = id.parse::<Uuid>().ok();
                if parsed.is_none() {
                    error("body-id", "Select a body from the list");
                }
                parsed
            }
        };
        let gift = if category == Some(InterestCategory::GiftsHospitality) {
            let value = match self.gift_value.parse::<Pence>().ok().map(|p| u64::try_from(p.get())) {
                Some(Ok(pence)) if pence > 0 => Some(pence),
                _ if self.gift_value.is_empty() => {
                    error("gift-value", "Enter what it was worth");
                    None
                }
                _ => {
                    error("gift-value", "Enter what it was worth in pounds, like 85 or 85.50");
                    None
                }
            };
            if self.gift_giver.is_empty() {
                error("gift-giver", "Enter who gave it");
            }
            let on = self.gift_on.parse("The day it was received");
            if let Err(message) = &on {
                error("gift-received-on-day", message);
            }
            match (value, on) {
                (Some(value_pence), Ok(received_on)) => Some(GiftRequest {
                    value_pence,
                    giver: TitleText(self.gift_giver.clone()),
                    received_on,
                    event_id: self.event.parse().ok(),
                }),
                _ => None,
            }
        } else {
            None
        };
        let text = |typed: &str| (!typed.is_empty()).then(|| NoteText(typed.to_owned()));
        match category {
            Some(category) if errors.is_empty() => Ok(InterestEntryRequest {
                category,
                whose,
                declaration: Declaration::Interest,
                description: text(&self.description),
                body_id,
                organisation_id: None,
                gift,
                monitoring_officer_agreement: text(&self.agreement),
            }),
            _ => Err(FieldErrors { errors }),
        }
    }

    /// The form's fields as the template's components take them.
    fn fields(&self, bodies: &[BodyView], errors: &FieldErrors) -> Value {
        let categories: Vec<Value> = InterestCategory::ALL
            .iter()
            .map(|c| {
                let (text, hint) = category_words(*c);
                let value = wire_word(*c);
                json!({"value": value, "text": text, "hint": {"text": hint}, "checked": value == self.category})
            })
            .collect();
        let whose = if self.whose.is_empty() { "member" } else { self.whose.as_str() };
        let mut active: Vec<&BodyView> = bodies.iter().filter(|b| b.status == BodyStatus::Active).collect();
        active.sort_by(|a, b| a.name.cmp(&b.name));
        let body_items: Vec<Value> =
            std::iter::once(json!({"value": "", "text": "None of the group's bodies"}))
                .chain(active.iter().map(
                    |b| json!({"value": b.id, "text": b.name, "selected": self.body == b.id.to_string()}),
                ))
                .collect();
        json!({
            "category": {
                "name": "category", "idPrefix": "category",
                "fieldset": {"legend": {"text": "Category", "classes": "govuk-fieldset__legend--s"}},
                "items": categories,
                "errorMessage": errors.message("category"),
            },
            "description": {
                "name": "description", "id": "description",
                "label": {"text": "What the interest is", "classes": "govuk-label--s"},
                "hint": {"text": "For example, the employer and the job, the land's address, the body and the position held"},
                "value": self.description,
                "errorMessage": errors.message("description"),
            },
            "whose": {
                "name": "whose", "idPrefix": "whose",
                "fieldset": {"legend": {"text": "Whose interest it is", "classes": "govuk-fieldset__legend--s"}},
                "items": [
                    {"value": "member", "text": "The member's own", "checked": whose == "member"},
                    {
                        "value": "partner",
                        "text": "Their spouse's, civil partner's or cohabitee's",
                        "hint": {"text": "Disclosable pecuniary interests only"},
                        "checked": whose == "partner",
                    },
                ],
                "errorMessage": errors.message("whose"),
            },
            "body": {
                "name": "body_id", "id": "body-id",
                "label": {"text": "The group's body it is (optional)", "classes": "govuk-label--s"},
                "hint": {"text": "For a seat on an outside body or a group post: naming the body meets its 28-day clock"},
                "items": body_items,
                "errorMessage": errors.message("body-id"),
            },
            "gift_value": {
                "name": "gift_value", "id": "gift-value",
                "label": {"text": "What it was worth", "classes": "govuk-label--s"},
                "prefix": {"text": "£"},
                "classes": "govuk-input--width-5",
                "inputmode": "decimal",
                "spellcheck": false,
                "value": self.gift_value,
                "errorMessage": errors.message("gift-value"),
            },
            "gift_giver": {
                "name": "gift_giver", "id": "gift-giver",
                "label": {"text": "Who gave it", "classes": "govuk-label--s"},
                "value": self.gift_giver,
                "errorMessage": errors.message("gift-giver"),
            },
            "gift_on": self.gift_on.input(GIFT_ON, "The day it was received", Some("For example, 27 11 2026"), errors),
            "event": (!self.event.is_empty()).then_some(&self.event),
            "agreement": {
                "name": "monitoring_officer_agreement", "id": "agreement",
                "label": {"text": "The Monitoring Officer's agreement to withhold it (optional)", "classes": "govuk-label--s"},
                "hint": {"text": "Only for a sensitive interest, whose disclosure could lead to violence or intimidation (Localism Act 2011 s.32): say what the Monitoring Officer agreed. It is then withheld from publication."},
                "value": self.agreement,
                "rows": 3,
                "errorMessage": errors.message("agreement"),
            },
        })
    }
}

/// What a register's pages read: the member, their register, the group's
/// bodies (a clock's or an entry's).
struct Loaded {
    member: MemberView,
    register: RegisterView,
    bodies: Vec<BodyView>,
}

/// The member `id`, their register and the bodies, read as `person`.
async fn load((state, session, request): Page<'_>, person: &Person, id: Uuid) -> Result<Loaded, PageError> {
    let member: MemberView = state.read(session, person, request, &format!("/members/{id}")).await?;
    let register: RegisterView = state.read(session, person, request, &format!("/registers/{id}")).await?;
    let bodies: Vec<BodyView> = state.read_all(session, person, request, "/bodies?limit=200").await?;
    Ok(Loaded { member, register, bodies })
}

/// The forms of a register's page: registering an interest (empty, as
/// prefilled from a clock or the review, or as sent and refused), nothing
/// to declare in a category, confirming it unchanged; each with its key.
#[derive(Debug)]
struct Forms {
    errors: FieldErrors,
    entry: EntryForm,
    entry_key: String,
    nothing: String,
    nothing_key: String,
    confirm_key: String,
}

impl Forms {
    fn fresh(entry: EntryForm) -> Self {
        Self {
            errors: FieldErrors::default(),
            entry,
            entry_key: session::random_hex(),
            nothing: String::new(),
            nothing_key: session::random_hex(),
            confirm_key: session::random_hex(),
        }
    }
}

/// A table of `rows` under a heading saying what it is, captioned
/// `caption` for screen readers, with `head` (an empty heading is the links'
/// column, also named for screen readers only).
fn table(caption: &str, head: &[&str], rows: Vec<Value>) -> Value {
    let head: Vec<Value> = head
        .iter()
        .map(|text| match *text {
            "" => json!({"html": "<span class=\"govuk-visually-hidden\">Actions</span>"}),
            text => json!({"text": text}),
        })
        .collect();
    json!({
        "caption": caption,
        "captionClasses": "govuk-visually-hidden",
        "head": head,
        "rows": rows,
    })
}

/// The register's live entries as its parts, each with a table per
/// category that has entries; each entry linked to its page if `keeping`.
fn parts(register: &RegisterView, keeping: bool) -> Vec<Value> {
    let mut parts: Vec<(&str, Vec<Value>)> = Vec::new();
    for category in InterestCategory::ALL {
        let entries: Vec<&InterestEntryView> =
            register.entries.iter().filter(|e| e.category == *category).collect();
        let part = part_of(*category);
        if parts.last().is_none_or(|(name, _)| *name != part) {
            parts.push((part, Vec::new()));
        }
        if entries.is_empty() {
            continue;
        }
        let rows: Vec<Value> = entries
            .iter()
            .map(|e| {
                let mut row = vec![
                    json!({"html": entry_html(e)}),
                    json!({"text": whose_words(e.whose)}),
                    json!({"text": long_date(e.registered_on)}),
                    json!({"text": long_date(e.updated_on)}),
                ];
                if keeping {
                    row.push(json!({"html": format!(
                        "<a class=\"govuk-link\" href=\"/registers/{}/entries/{}\">Change or remove<span class=\"govuk-visually-hidden\"> this entry in {}</span></a>",
                        register.member_id, e.id, category_words(*category).0.to_lowercase()
                    )}));
                }
                Value::Array(row)
            })
            .collect();
        let mut head = vec!["Entry", "Whose", "Registered", "Updated"];
        if keeping {
            head.push("");
        }
        // Each category's table is captioned where all can see it: its part has the heading.
        let mut category_table = table(category_words(*category).0, &head, rows);
        category_table["captionClasses"] = json!("govuk-table__caption--s");
        if let Some((_, tables)) = parts.last_mut() {
            tables.push(category_table);
        }
    }
    parts.into_iter().map(|(name, tables)| json!({"name": name, "tables": tables})).collect()
}

impl RecordForms for Forms {
    const PATH: &'static str = "/registers";
    type Loaded = Loaded;

    async fn load(page: Page<'_>, person: &Person, id: Uuid) -> Result<Loaded, PageError> {
        load(page, person, id).await
    }

    fn render(
        self,
        (state, session, _): Page<'_>,
        person: &Person,
        Loaded { member, register, bodies }: &Loaded,
        banner: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        let errors = &self.errors;
        let keeping = may_keep(person, member.id);
        let clocks: Vec<Value> = register.clocks.iter().map(|c| clock_row(c, bodies)).collect();
        let removed: Vec<Value> = register.removed.iter().map(removed_row).collect();
        let dismissals: Vec<Value> = register
            .dismissals
            .iter()
            .map(|d| json!([{"text": long_date(d.on)}, {"text": d.reason}]))
            .collect();
        let nothing_items: Vec<Value> = std::iter::once(json!({"value": "", "text": "Choose a category"}))
            .chain(InterestCategory::ALL.iter().filter(|c| **c != InterestCategory::GiftsHospitality).map(
                |c| {
                    let value = wire_word(*c);
                    json!({"value": value, "text": category_words(*c).0, "selected": value == self.nothing})
                },
            ))
            .collect();
        let back = if holds_any(person, crate::render::REGISTER_READERS) {
            json!({"href": "/registers", "text": "Registers of interests"})
        } else {
            json!({"href": format!("/members/{}", member.id), "text": member.name})
        };
        let frame = state.frame(session, Some(person), Section::Interests, member.name.clone())?;
        state.page_with(
            errors.status(),
            &frame,
            "register.html",
            json!({
                "member_id": member.id,
                "back": back,
                "banner": banner.map(|text| json!({"type": "success", "text": text})),
                "error_summary": errors.summary(),
                "confirmed": register.confirmed_on.map(long_date),
                "clocks": (!clocks.is_empty()).then(|| table(
                    "28-day clocks",
                    &["Started by", "Started", "Register by", "Standing"],
                    clocks,
                )),
                "parts": parts(register, keeping),
                "removed": (!removed.is_empty()).then(|| table(
                    "Removed entries",
                    &["Category", "Entry", "Removed", "Why"],
                    removed,
                )),
                "dismissals": (!dismissals.is_empty()).then(|| table(
                    "Review items dismissed",
                    &["Dismissed", "Why it is no omission"],
                    dismissals,
                )),
                "keeping": keeping,
                "version": register.version,
                "entry": self.entry.fields(bodies, errors),
                "entry_key": self.entry_key,
                "nothing": {
                    "name": "category", "id": "nothing-category",
                    "label": {"text": "Category", "classes": "govuk-label--s"},
                    "items": nothing_items,
                    "errorMessage": errors.message("nothing-category"),
                },
                "nothing_key": self.nothing_key,
                "confirm_key": self.confirm_key,
                "may_confirm": !register.entries.is_empty(),
            }),
        )
    }

    fn errors(&self) -> &FieldErrors {
        &self.errors
    }
}

/// What `?done=` says was just done, word by word.
const DONE: &[(&str, &str)] = &[
    ("registered", "The interest was registered"),
    ("nothing", "Nothing to declare was registered in the category"),
    ("changed", "The entry was changed"),
    ("removed", "The entry was removed"),
    ("confirmed", "The register was confirmed unchanged"),
];

#[get("/registers")]
pub(super) async fn list(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let registers: RegisterListView = state.read(&session, &person, &request, "/registers").await?;
    let never = || "Never".to_owned();
    let rows: Vec<Value> = registers
        .items
        .iter()
        .map(|r| {
            let link = format!(
                "<a class=\"govuk-link\" href=\"/registers/{}\">{}</a>",
                r.member_id,
                tera::escape_html(&r.member_name)
            );
            json!([
                {"html": link},
                {"text": r.entries.to_string(), "format": "numeric"},
                {"text": r.interests.to_string(), "format": "numeric"},
                {"text": r.sensitive.to_string(), "format": "numeric"},
                {"text": r.last_changed_on.map_or_else(never, long_date)},
                {"text": r.confirmed_on.map_or_else(never, long_date)},
            ])
        })
        .collect();
    let frame = state.frame(&session, Some(&person), Section::Interests, "Registers of interests")?;
    state.page(
        &frame,
        "registers.html",
        json!({
            "count": rows.len(),
            "table": {
                "caption": "Each current member's register",
                "captionClasses": "govuk-visually-hidden",
                "head": [
                    {"text": "Member"}, {"text": "Entries", "format": "numeric"},
                    {"text": "Interests", "format": "numeric"}, {"text": "Sensitive", "format": "numeric"},
                    {"text": "Last changed"}, {"text": "Confirmed unchanged"},
                ],
                "rows": rows,
            },
        }),
    )
}

/// A register page's query: what was just done, and the entry to prefill
/// (from the review's "make the entry" or a clock): its category, and the
/// record that asks for it (an appointment names its body, an event's
/// hospitality its event).
#[derive(Debug, serde::Deserialize)]
pub(super) struct Prefill {
    category: Option<String>,
    record: Option<Uuid>,
}

impl Prefill {
    /// The entry form as the query fills it in, from `register`'s clocks.
    fn form(&self, register: &RegisterView) -> EntryForm {
        let mut form =
            EntryForm { category: self.category.clone().unwrap_or_default(), ..EntryForm::default() };
        let clock = self.record.and_then(|id| register.clocks.iter().find(|c| c.record_id == id));
        match clock.map(|c| (c.cause, c.body_id)) {
            Some((ClockCauseKind::Appointment, Some(body))) => form.body = body.to_string(),
            Some((ClockCauseKind::Hospitality, _)) => {
                form.category = wire_word(InterestCategory::GiftsHospitality);
                form.event = self.record.map(|id| id.to_string()).unwrap_or_default();
            }
            _ => {}
        }
        form
    }
}

#[get("/registers/{member_id}")]
pub(super) async fn register_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    done: web::Query<DoneQuery>,
    prefill: web::Query<Prefill>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let page = (&**state, &session, &request);
    let loaded = load(page, &person, *id).await?;
    let forms = Forms::fresh(prefill.form(&loaded.register));
    forms.render(page, &person, &loaded, done.banner(DONE))
}

/// An entry sent from the register's page: an interest, or nothing to
/// declare in a category (its form says which).
#[post("/registers/{member_id}/entries")]
pub(super) async fn register_entry(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let (id, page) = (*id, (&**state, &session, &request));
    if form.text("declaration") == "nothing_to_declare" {
        let typed = form.text("category");
        let forms =
            Forms { nothing: typed.clone(), nothing_key: key.clone(), ..Forms::fresh(EntryForm::default()) };
        let Some(category) = category_of(&typed) else {
            let errors = FieldErrors {
                errors: vec![("nothing-category".to_owned(), "Select the category".to_owned())],
            };
            return Forms { errors, ..forms }.refused(page, &person, id).await;
        };
        let body = InterestEntryRequest {
            category,
            whose: None,
            declaration: Declaration::NothingToDeclare,
            description: None,
            body_id: None,
            organisation_id: None,
            gift: None,
            monitoring_officer_agreement: None,
        };
        let refused = |errors| Forms { errors, ..forms };
        return Forms::send(
            page,
            &person,
            (id, "entries", "nothing"),
            (&body, &key),
            (NOTHING_FIELDS, refused),
        )
        .await;
    }
    let typed = EntryForm::sent(&form);
    let forms = Forms { entry: typed.clone(), entry_key: key.clone(), ..Forms::fresh(EntryForm::default()) };
    let body = match typed.request() {
        Ok(body) => body,
        Err(errors) => return Forms { errors, ..forms }.refused(page, &person, id).await,
    };
    let refused = |errors| Forms { errors, ..forms };
    Forms::send(page, &person, (id, "entries", "registered"), (&body, &key), (ENTRY_FIELDS, refused)).await
}

/// The register confirmed unchanged, if it still stands as it was shown.
#[post("/registers/{member_id}/confirmation")]
pub(super) async fn confirm(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let version = form.version()?;
    let path = format!("/registers/{id}/confirmation");
    let sent: Result<RegisterView, ApiFailure> =
        state.api.post_if_match(&person.token, &path, &EmptyRequest {}, known(version), &key).await;
    match sent {
        Ok(_) => Ok(see_other(&format!("/registers/{id}?done=confirmed"))),
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}

/// The `If-Match` version of a register read at `version`: none before its
/// first entry (version 0, which has no ETag).
fn known(version: u64) -> Option<u64> {
    (version > 0).then_some(version)
}
