//! Adding a course to the catalogue (the office): its name, what it
//! covers, how long a completion stays valid, and the bodies whose members
//! must hold it.

use super::*;

/// The add-a-course form as typed.
#[derive(Debug, Default)]
struct NewCourse {
    title: String,
    description: String,
    /// `months` or `for_good`.
    validity: String,
    months: String,
    required_for: Vec<String>,
}

/// How long a completion stays valid, as the form offers it.
const VALIDITY: &[(&str, &str)] = &[("months", "For a number of months"), ("for_good", "For good")];

fn render_new(
    state: &State,
    session: &Session,
    person: &Person,
    (form, bodies, errors, key): (&NewCourse, &[BodyView], FieldErrors, String),
) -> Result<HttpResponse, PageError> {
    let active = bodies.iter().filter(|b| b.status == BodyStatus::Active);
    let body_items: Vec<Value> = active
        .map(|b| {
            let value = b.id.to_string();
            json!({"value": value, "text": b.name, "checked": form.required_for.contains(&value)})
        })
        .collect();
    let frame = state.frame(session, Some(person), Section::Training, "Add a course")?;
    state.page_with(
        errors.status(),
        &frame,
        "course-form.html",
        json!({
            "key": key,
            "error_summary": errors.summary(),
            "title": {
                "name": "title", "id": "title",
                "label": {"text": "Name", "classes": "govuk-label--s"},
                "hint": {"text": "For example, Planning: probity and the planning code"},
                "value": form.title,
                "errorMessage": errors.message("title"),
            },
            "description": {
                "name": "description", "id": "description", "rows": 4,
                "label": {"text": "What it covers (optional)", "classes": "govuk-label--s"},
                "value": form.description,
                "errorMessage": errors.message("description"),
            },
            "validity": {
                "name": "validity", "idPrefix": "validity",
                "fieldset": {"legend": {"text": "How long a completion stays valid", "classes": "govuk-fieldset__legend--s"}},
                "items": VALIDITY.iter().map(|(value, text)| json!({
                    "value": value, "text": text, "checked": form.validity == *value,
                })).collect::<Vec<_>>(),
                "errorMessage": errors.message("validity"),
            },
            "months": {
                "name": "valid_for_months", "id": "valid-for-months",
                "label": {"text": "Number of months", "classes": "govuk-label--s"},
                "hint": {"text": "If it is valid for a number of months: from 1 to 120"},
                "classes": "govuk-input--width-3",
                "inputmode": "numeric",
                "spellcheck": false,
                "value": form.months,
                "errorMessage": errors.message("valid-for-months"),
            },
            "required_for": {
                "name": "required_for", "idPrefix": "required-for",
                "fieldset": {"legend": {"text": "Required for (optional)", "classes": "govuk-fieldset__legend--s"}},
                "hint": {"text": "Members of these bodies must hold it."},
                "items": body_items,
                "errorMessage": errors.message("required-for"),
            },
        }),
    )
}

#[get("/courses/new")]
pub(in crate::pages) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let bodies: Vec<BodyView> = state.read_all(&session, &person, &request, "/bodies?limit=200").await?;
    let form = NewCourse { validity: "months".to_owned(), ..NewCourse::default() };
    render_new(&state, &session, &person, (&form, &bodies, FieldErrors::default(), session::random_hex()))
}

#[post("/courses")]
pub(in crate::pages) async fn add(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form: sent, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let form = NewCourse {
        title: sent.text("title"),
        description: sent.text("description"),
        validity: sent.text("validity"),
        months: sent.text("valid_for_months").trim().to_owned(),
        required_for: sent.0.iter().filter(|(n, _)| n == "required_for").map(|(_, v)| v.clone()).collect(),
    };
    let bodies: Vec<BodyView> = state.read_all(&session, &person, &request, "/bodies?limit=200").await?;
    let months = match form.validity.as_str() {
        "for_good" => Ok(None),
        "months" => form.months.parse::<u16>().map(Some).map_err(|_| {
            let message = if form.months.is_empty() {
                "Enter the number of months, from 1 to 120"
            } else {
                "The number of months must be a whole number from 1 to 120"
            };
            ("valid-for-months", message)
        }),
        _ => Err(("validity", "Select how long a completion stays valid")),
    };
    let required: Option<Vec<Uuid>> = form.required_for.iter().map(|id| id.parse().ok()).collect();
    let (Ok(valid_for_months), Some(required_for)) = (months, required) else {
        let errors = match months {
            Err((field, message)) => vec![(field.to_owned(), message.to_owned())],
            Ok(_) => vec![("required-for".to_owned(), "Select bodies from the list".to_owned())],
        };
        return render_new(&state, &session, &person, (&form, &bodies, FieldErrors { errors }, key));
    };
    let body = AddCourseRequest {
        title: TitleText(form.title.clone()),
        description: given(&form.description).map(NoteText),
        valid_for_months,
        required_for,
    };
    let fields = [
        ("/title", "title", "The name"),
        ("/description", "description", "What it covers"),
        ("/valid_for_months", "valid-for-months", "The number of months"),
        ("/required_for", "required-for", "Required for"),
    ];
    let to = |made: CourseView| format!("/courses/{}?done=added", made.id);
    let again = async |errors: FieldErrors| {
        render_new(&state, &session, &person, (&form, &bodies, errors, key.clone()))
    };
    let page = (&**state, &session, &request);
    send(page, &person, ("/courses", &body, &key), to, (&fields, again)).await
}
