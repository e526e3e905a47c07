//! The courses members hold that have lapsed or lapse within a number of
//! days, lapsed first, then soonest: for the office to book the training
//! again before a member must stand down from a body.

use caucus_wire::members::MemberView;
use caucus_wire::training::ExpiriesView;

use super::*;
use crate::pages::MemberNames;

/// The list's query: how many days ahead to look, as typed.
#[derive(Debug, serde::Deserialize)]
pub(in crate::pages) struct ExpiryQuery {
    within_days: Option<String>,
}

/// The most days ahead the api looks (its `DaysAhead`: ten years).
const MAX_DAYS: u16 = 3_660;

#[get("/training-expiries")]
pub(in crate::pages) async fn expiries_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    query: web::Query<ExpiryQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let typed = query.within_days.as_deref().map(str::trim).unwrap_or_default().to_owned();
    // A number we cannot ask the api for is said at the field, and the
    // default shown meanwhile.
    let within = match typed.parse::<u16>() {
        Ok(days) if days <= MAX_DAYS => Ok(days),
        _ if typed.is_empty() => Ok(LAPSING_DAYS),
        _ => Err(format!("The number of days must be a whole number from 0 to {MAX_DAYS}")),
    };
    let days = within.as_ref().copied().unwrap_or(LAPSING_DAYS);
    let path = format!("/training-expiries?within_days={days}");
    let expiries: ExpiriesView = state.read(&session, &person, &request, &path).await?;
    let members: Vec<MemberView> = state.read_all(&session, &person, &request, "/members?limit=200").await?;
    let courses: Vec<CourseView> = state.read_all(&session, &person, &request, "/courses?limit=200").await?;
    let names = MemberNames::of(&members);
    let rows: Vec<Value> = expiries
        .items
        .iter()
        .map(|e| {
            let standing = if e.expired { Standing::Lapsed } else { Standing::Lapsing };
            let member = format!(
                "<a class=\"govuk-link\" href=\"/members/{}/training\">{}</a>",
                e.member_id,
                tera::escape_html(&names.of_id(e.member_id))
            );
            json!([
                {"html": member},
                {"html": course_named(&courses, e.course_id)},
                {"text": long_date(e.valid_until)},
                {"html": status_tag(standing, standing_words)},
            ])
        })
        .collect();
    let lapsed = expiries.items.iter().filter(|e| e.expired).count();
    let showing = format!(
        "{lapsed} lapsed, {} lapsing within {days} {} of {}.",
        expiries.items.len() - lapsed,
        if days == 1 { "day" } else { "days" },
        long_date(expiries.today),
    );
    let errors =
        FieldErrors { errors: within.err().map(|m| ("within-days".to_owned(), m)).into_iter().collect() };
    let frame = state.frame(&session, Some(&person), Section::Training, "Lapsed and lapsing training")?;
    state.page_with(
        errors.status(),
        &frame,
        "training-expiries.html",
        json!({
            "error_summary": errors.summary(),
            "within": {
                "name": "within_days", "id": "within-days",
                "label": {"text": "Lapsing within how many days", "classes": "govuk-label--s"},
                "classes": "govuk-input--width-4",
                "inputmode": "numeric",
                "spellcheck": false,
                "suffix": {"text": "days"},
                "value": if errors.errors.is_empty() { days.to_string() } else { typed },
                "errorMessage": errors.message("within-days"),
            },
            "showing": showing,
            "table": {
                "caption": "Lapsed and lapsing courses",
                "captionClasses": "govuk-visually-hidden",
                "head": [{"text": "Member"}, {"text": "Course"}, {"text": "Valid until"}, {"text": "Standing"}],
                "rows": rows,
            },
            "count": expiries.items.len(),
        }),
    )
}
