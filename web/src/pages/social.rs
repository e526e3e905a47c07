//! The social queue: each scheduled or published publication's post on each
//! network not yet delivered, when it goes, where it stands and why it last
//! failed; and scheduling an approved publication for a day and time in
//! London, the form on the publication's page.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use caucus_wire::publications::{DeliveryState, PublicationView, SchedulePublicationRequest, SocialQueue};
use chrono::{DateTime, NaiveTime, TimeZone as _, Utc};
use chrono_tz::Europe::London;
use serde_json::{Value, json};
use uuid::Uuid;

use super::publications::{network_name, refused_schedule};
use super::{DateParts, FieldErrors, PageError, Posted, State, see_other, signed_in};
use crate::api::ApiFailure;
use crate::present::{london_time, tag_html, time_of_day as time_of_day_words};
use crate::render::Section;
use crate::session::{self, Person};

/// Who may watch the social queue (the api's `list_social_queue`): the
/// office and auditors.
pub(super) const QUEUE_READERS: &[&str] = &["assistant", "leader", "officer", "auditor"];

/// How many publications' posts the queue's page lists, soonest first.
const QUEUE_HEAD: u32 = 100;

/// How a delivery's state reads, and the colour of its tag.
fn state_words(state: DeliveryState) -> (&'static str, &'static str) {
    match state {
        DeliveryState::Pending => ("Waiting", "govuk-tag--grey"),
        DeliveryState::InFlight => ("Posting", "govuk-tag--blue"),
        DeliveryState::Delivered => ("Posted", "govuk-tag--green"),
        DeliveryState::Failed => ("Failed", "govuk-tag--red"),
    }
}

#[get("/social-queue")]
pub(super) async fn queue(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    // The head of the queue: what goes out next is what the office acts on,
    // and a backlog (a network down for a week) stays one page.
    let head = format!("/social-queue?limit={QUEUE_HEAD}");
    let queue: SocialQueue = state.read(&session, &person, &request, &head).await?;
    let rows: Vec<Value> = queue
        .items
        .iter()
        .map(|item| {
            let delivery = &item.delivery;
            let link = format!(
                "<a class=\"govuk-link\" href=\"/publications/{}\">{}</a>",
                item.publication_id,
                tera::escape_html(&item.title)
            );
            let when = match (item.due, delivery.state, delivery.retry_at, item.publish_at) {
                (true, _, _, _) => "Due now".to_owned(),
                (false, DeliveryState::Failed, Some(retry), _) => format!("Tries again {}", london_time(retry)),
                (false, _, _, Some(at)) => london_time(at),
                (false, _, _, None) => "Not scheduled".to_owned(),
            };
            let (text, colour) = state_words(delivery.state);
            let mut attempts = delivery.attempts.to_string();
            if let Some(error) = &delivery.last_error {
                attempts.push_str(&format!(
                    "<span class=\"govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0\">{}</span>",
                    tera::escape_html(error)
                ));
            }
            json!([
                {"html": link},
                {"text": network_name(item.network)},
                {"text": when},
                {"html": tag_html(text, colour)},
                {"html": attempts},
            ])
        })
        .collect();
    let frame = state.frame(&session, Some(&person), Section::Publications, "Social queue")?;
    state.page(
        &frame,
        "social-queue.html",
        json!({
            "count": rows.len(),
            "more": queue.more,
            "head": QUEUE_HEAD,
            "table": {
                "caption": "Posts waiting to go out",
                "captionClasses": "govuk-visually-hidden",
                "head": [
                    {"text": "Publication"}, {"text": "Network"}, {"text": "When"}, {"text": "State"},
                    {"text": "Attempts"},
                ],
                "rows": rows,
            },
        }),
    )
}

/// The scheduling form as typed: a day and a time of day in London.
#[derive(Debug, Clone)]
pub(super) struct ScheduleForm {
    on: DateParts,
    time: String,
    key: String,
}

impl ScheduleForm {
    /// Empty, or the time the publication already goes out at.
    pub(super) fn fresh(publication: &PublicationView) -> Self {
        let (on, time) = match publication.publish_at {
            Some(at) => {
                let local = at.with_timezone(&London);
                (DateParts::of(local.date_naive()), time_of_day_words(local.time()))
            }
            None => (DateParts::default(), String::new()),
        };
        Self { on, time, key: session::random_hex() }
    }

    /// The form's parameters: its date input, its time input and its key.
    pub(super) fn params(&self, errors: &FieldErrors) -> Value {
        json!({
            "key": self.key,
            "on": self.on.input(("publish_at", "schedule-on"), "Date", Some("For example, 27 3 2026"), errors),
            "time": {
                "name": "publish_at-time", "id": "schedule-time",
                "label": {"text": "Time", "classes": "govuk-label--s"},
                "hint": {"text": "London time, for example 9:30am or 14:30"},
                "classes": "govuk-input--width-5",
                "spellcheck": false,
                "value": self.time,
                "errorMessage": errors.message("schedule-time"),
            },
        })
    }

    /// The instant typed, if it is after `now`; else what is wrong, by field.
    fn instant(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, Vec<(String, String)>> {
        let day = self.on.parse("The date");
        let time = match self.time.trim() {
            "" => Err("Enter the time".to_owned()),
            typed => time_of_day(typed)
                .ok_or_else(|| "The time must be a real time, like 9:30am or 14:30".to_owned()),
        };
        let (day, time) = match (day, time) {
            (Ok(day), Ok(time)) => (day, time),
            (day, time) => {
                let day = day.err().map(|m| ("schedule-on-day".to_owned(), m));
                let time = time.err().map(|m| ("schedule-time".to_owned(), m));
                return Err(day.into_iter().chain(time).collect());
            }
        };
        // When the clocks go back an hour repeats: the first is meant.
        let Some(local) = London.from_local_datetime(&day.and_time(time)).earliest() else {
            let message = "The clocks go forward then, so that time does not happen: choose another";
            return Err(vec![("schedule-time".to_owned(), message.to_owned())]);
        };
        let at = local.with_timezone(&Utc);
        if at <= now {
            return Err(vec![(
                "schedule-on-day".to_owned(),
                "The date and time must be in the future".to_owned(),
            )]);
        }
        Ok(at)
    }
}

/// A time of day as people type it: "14:30", "9.05", "9am", "2:30pm",
/// "midday", "midnight".
pub(super) fn time_of_day(typed: &str) -> Option<NaiveTime> {
    let text = typed.to_lowercase().replace(' ', "");
    match text.as_str() {
        "midday" | "noon" => return NaiveTime::from_hms_opt(12, 0, 0),
        "midnight" => return NaiveTime::from_hms_opt(0, 0, 0),
        _ => {}
    }
    let (clock, afternoon) = match (text.strip_suffix("am"), text.strip_suffix("pm")) {
        (Some(clock), _) => (clock, Some(false)),
        (_, Some(clock)) => (clock, Some(true)),
        _ => (text.as_str(), None),
    };
    let (hour, minute) = match clock.split_once([':', '.']) {
        Some((hour, minute)) if minute.len() == 2 => (hour, minute.parse::<u32>().ok()?),
        Some(_) => return None,
        None => (clock, 0),
    };
    let hour = Some(hour).filter(|h| (1..=2).contains(&h.len()))?.parse::<u32>().ok()?;
    let hour = match afternoon {
        None => hour,
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(false) => hour % 12,
        Some(true) => hour % 12 + 12,
    };
    NaiveTime::from_hms_opt(hour, minute, 0)
}

#[post("/publications/{id}/schedule")]
pub(super) async fn schedule(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let id = *id;
    let typed = ScheduleForm {
        on: sent.date("publish_at"),
        time: sent.text("publish_at-time").trim().to_owned(),
        // The same key on a refusal: the refused submission recorded nothing.
        key: key.clone(),
    };
    let page = (&**state, &session, &request);
    let publish_at = match typed.instant(chrono::Utc::now()) {
        Ok(at) => at,
        Err(errors) => return refused_schedule(page, &person, id, typed, FieldErrors { errors }).await,
    };
    send(page, &person, id, typed, publish_at).await
}

/// The schedule sent to the api: back to the publication with a banner, or
/// its refusal at the form.
async fn send(
    (state, session, request): (&State, &Session, &HttpRequest),
    person: &Person,
    id: Uuid,
    typed: ScheduleForm,
    publish_at: DateTime<Utc>,
) -> Result<HttpResponse, PageError> {
    let body = SchedulePublicationRequest { publish_at };
    let path = format!("/publications/{id}/schedule");
    let sent: Result<PublicationView, ApiFailure> =
        state.api.post(&person.token, &path, &body, &typed.key).await;
    match sent {
        Ok(_) => Ok(see_other(&format!("/publications/{id}?done=scheduled"))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            let errors =
                FieldErrors::from_problem(&problem, &[("/publish_at", "schedule-on-day", "The time")]);
            refused_schedule((state, session, request), person, id, typed, errors).await
        }
        Err(failure) => Err(state.refusal(session, person, request, &failure)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_is_read_as_people_type_it() {
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(time_of_day("14:30"), at(14, 30));
        assert_eq!(time_of_day("9.05"), at(9, 5));
        assert_eq!(time_of_day("9am"), at(9, 0));
        assert_eq!(time_of_day("2:30 PM"), at(14, 30));
        assert_eq!(time_of_day("12am"), at(0, 0));
        assert_eq!(time_of_day("12pm"), at(12, 0));
        assert_eq!(time_of_day("midday"), at(12, 0));
        // As a page writes a time, so the form reads it back.
        for (h, m) in [(0, 0), (9, 5), (12, 0), (18, 46)] {
            assert_eq!(time_of_day(&time_of_day_words(at(h, m).expect("time"))), at(h, m));
        }
        for bad in ["", "25:00", "13pm", "9:5", "nine", "9:60", "123"] {
            assert_eq!(time_of_day(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_london_time_is_the_instant_it_names_and_must_be_to_come() {
        let form = |day: &str, time: &str| {
            let parts: Vec<&str> = day.split('-').collect();
            let on = DateParts { year: parts[0].into(), month: parts[1].into(), day: parts[2].into() };
            ScheduleForm { on, time: time.into(), key: String::new() }
        };
        let now = "2026-06-01T00:00:00Z".parse::<DateTime<Utc>>().expect("now");
        // British Summer Time: 9:30am in London is 8:30 UTC.
        assert_eq!(
            form("2026-06-09", "9:30am").instant(now).expect("ok").to_rfc3339(),
            "2026-06-09T08:30:00+00:00"
        );
        assert_eq!(
            form("2026-12-09", "09:30").instant(now).expect("ok").to_rfc3339(),
            "2026-12-09T09:30:00+00:00"
        );
        let past = form("2026-05-31", "23:00").instant(now).expect_err("past");
        assert_eq!(past[0].0, "schedule-on-day");
        let missing = form("2026-06-09", "").instant(now).expect_err("no time");
        assert_eq!(missing, vec![("schedule-time".to_owned(), "Enter the time".to_owned())]);
        // The hour the clocks skip in spring.
        let skipped = form("2027-03-28", "1:30am").instant(now).expect_err("skipped");
        assert_eq!(skipped[0].0, "schedule-time");
    }
}
