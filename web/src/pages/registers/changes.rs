//! The year-on-year changes of a member's register: the entries added,
//! changed (before and after) and removed between the end of one day and
//! the end of a later one, with a small form choosing the two days among
//! today and its anniversaries.

use caucus_wire::interests::RegisterChangesView;
use chrono::{Months, NaiveDate, Utc};

use super::*;
use crate::present::london_day;

/// How many years back the form offers.
const YEARS_BACK: u32 = 6;

/// The changes' query: the two days, as the form or a link gives them.
#[derive(Debug, serde::Deserialize)]
pub(in crate::pages) struct ChangesQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The api's path of `member`'s changes between `from` and `to` (each the
/// api's default if absent).
fn changes_path(member: Uuid, from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    let mut query: Vec<(&str, String)> = Vec::new();
    query.extend(from.map(|d| ("from", d.to_string())));
    query.extend(to.map(|d| ("to", d.to_string())));
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    if query.is_empty() {
        format!("/registers/{member}/changes")
    } else {
        format!("/registers/{member}/changes?{query}")
    }
}

/// A select of `today` and its anniversaries `years` back, `chosen` selected
/// (added if it is none of them).
fn day_select(
    (name, label): (&str, &str),
    years: std::ops::RangeInclusive<u32>,
    today: NaiveDate,
    chosen: NaiveDate,
    errors: &FieldErrors,
) -> Value {
    let mut days: Vec<NaiveDate> =
        years.filter_map(|n| today.checked_sub_months(Months::new(12 * n))).collect();
    if !days.contains(&chosen) {
        days.push(chosen);
        days.sort_by(|a, b| b.cmp(a));
    }
    let items: Vec<Value> = days
        .iter()
        .map(|d| json!({"value": d.to_string(), "text": long_date(*d), "selected": *d == chosen}))
        .collect();
    json!({
        "name": name, "id": name,
        "label": {"text": label, "classes": "govuk-label--s"},
        "items": items,
        "errorMessage": errors.message(name),
    })
}

#[get("/registers/{member_id}/changes")]
pub(in crate::pages) async fn changes_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<ChangesQuery>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let id = *id;
    let day = |typed: &Option<String>| typed.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
    let (from, to) = (day(&query.from), day(&query.to));
    let mut errors = FieldErrors::default();
    // Days the api refuses (the later before the earlier) are said at the
    // form, and the default year shown meanwhile.
    let asked: Result<RegisterChangesView, ApiFailure> =
        state.api.get(&person.token, &changes_path(id, from, to)).await;
    let changes = match asked {
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            let said = problem.errors.first().map_or(&problem.detail, |e| &e.detail);
            errors.errors.push(("to".to_owned(), format!("The later day {said}")));
            state.read(&session, &person, &request, &changes_path(id, None, None)).await?
        }
        asked => asked.map_err(|failure| state.refusal(&session, &person, &request, &failure))?,
    };
    let member: MemberView = state.read(&session, &person, &request, &format!("/members/{id}")).await?;
    let added: Vec<Value> = changes
        .added
        .iter()
        .map(|e| {
            json!([
                {"text": category_words(e.category).0},
                {"html": entry_html(e)},
                {"text": whose_words(e.whose)},
                {"text": long_date(e.registered_on)},
            ])
        })
        .collect();
    let changed: Vec<Value> = changes
        .changed
        .iter()
        .map(|c| {
            json!([
                {"text": category_words(c.after.category).0},
                {"html": entry_html(&c.before)},
                {"html": entry_html(&c.after)},
                {"text": long_date(c.after.updated_on)},
            ])
        })
        .collect();
    let removed: Vec<Value> = changes.removed.iter().map(removed_row).collect();
    let today = london_day(Utc::now());
    let title = format!("{}: changes to the register", member.name);
    let frame = state.frame(&session, Some(&person), Section::Interests, title)?;
    state.page_with(
        errors.status(),
        &frame,
        "register-changes.html",
        json!({
            "member_id": id,
            "member_name": member.name,
            "error_summary": errors.summary(),
            "period": format!("from the end of {} to the end of {}", long_date(changes.from), long_date(changes.to)),
            "from": day_select(("from", "The earlier day"), 1..=YEARS_BACK, today, changes.from, &errors),
            "to": day_select(("to", "The later day"), 0..=YEARS_BACK - 1, today, changes.to, &errors),
            "added": (!added.is_empty()).then(|| table("Added", &["Category", "Entry", "Whose", "Registered"], added)),
            "changed": (!changed.is_empty()).then(|| table("Changed", &["Category", "Before", "After", "Updated"], changed)),
            "removed": (!removed.is_empty()).then(|| table("Removed", &["Category", "Entry", "Removed", "Why"], removed)),
        }),
    )
}
