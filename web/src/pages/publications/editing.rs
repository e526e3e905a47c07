//! A publication's content form: drafting one, and editing one with
//! `If-Match`, a 409 shown as what changed beside the person's own text.

use super::*;

/// A publication's content as its form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ContentForm {
    /// The kind (`press_release`, ...), chosen when drafting.
    kind: String,
    /// The byline, given when drafting.
    author_name: String,
    title: String,
    summary: String,
    body_markdown: String,
    slug: String,
    /// Separated by commas.
    tags: String,
    /// The networks ticked.
    networks: BTreeSet<Network>,
    /// The text typed for each network (ticked or not, so none is lost on a
    /// re-render).
    texts: BTreeMap<Network, String>,
    /// What the form does not show, carried so an edit keeps it.
    image_url: String,
    image_alt: String,
    publish_at: String,
}

impl ContentForm {
    /// The form of `publication` as it stands.
    pub(super) fn of(publication: &PublicationView) -> Self {
        Self {
            kind: wire_word(publication.kind),
            author_name: publication.author.name.clone(),
            title: publication.title.clone(),
            summary: publication.summary.clone().unwrap_or_default(),
            body_markdown: publication.body_markdown.clone().unwrap_or_default(),
            slug: publication.slug.clone(),
            tags: publication.tags.join(", "),
            networks: publication.social_text.keys().copied().collect(),
            texts: publication.social_text.clone(),
            image_url: publication.image.as_ref().map(|i| i.url.0.clone()).unwrap_or_default(),
            image_alt: publication.image.as_ref().map(|i| i.alt.0.clone()).unwrap_or_default(),
            publish_at: publication.publish_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        }
    }

    /// This form with what it does not show taken from `publication`.
    fn keeping_hidden_of(self, publication: &PublicationView) -> Self {
        let now = Self::of(publication);
        Self { image_url: now.image_url, image_alt: now.image_alt, publish_at: now.publish_at, ..self }
    }

    /// The form as sent: its fields by name (a ticked network's name is sent
    /// once for each box).
    fn sent(fields: &SentForm) -> Self {
        let mut form = Self::default();
        for (name, value) in &fields.0 {
            let value = value.replace("\r\n", "\n");
            match name.as_str() {
                "kind" => form.kind = value,
                "author_name" => form.author_name = value,
                "title" => form.title = value,
                "summary" => form.summary = value,
                "body_markdown" => form.body_markdown = value,
                "slug" => form.slug = value,
                "tags" => form.tags = value,
                "image_url" => form.image_url = value,
                "image_alt" => form.image_alt = value,
                "publish_at" => form.publish_at = value,
                "networks" => {
                    if let Some(network) = parse_network(&value) {
                        form.networks.insert(network);
                    }
                }
                other => {
                    if let Some(network) = other.strip_prefix("social_text_").and_then(parse_network) {
                        form.texts.insert(network, value);
                    }
                }
            }
        }
        form
    }

    /// The content the api is sent: blank optional fields left out, the
    /// ticked networks' texts only.
    fn request(&self) -> PublicationContentRequest {
        let given = |text: &str| (!text.trim().is_empty()).then(|| text.to_owned());
        PublicationContentRequest {
            title: TitleText(self.title.clone()),
            summary: given(&self.summary).map(SummaryText),
            body_markdown: given(&self.body_markdown).map(DocumentText),
            slug: given(&self.slug).map(SlugText),
            tags: Tags(
                self.tags.split(',').map(str::trim).filter(|t| !t.is_empty()).map(TagText::from).collect(),
            ),
            image: given(&self.image_url)
                .map(|url| Image { url: ImageUrlText(url), alt: AltText(self.image_alt.clone()) }),
            social_text: self
                .networks
                .iter()
                .map(|n| (*n, SocialText(self.texts.get(n).cloned().unwrap_or_default())))
                .collect(),
            publish_at: DateTime::parse_from_rfc3339(&self.publish_at).ok().map(|t| t.with_timezone(&Utc)),
        }
    }
}

fn parse_network(raw: &str) -> Option<Network> {
    serde_json::from_value(Value::String(raw.to_owned())).ok()
}

/// The form field an api pointer into a publication's content names.
pub(super) fn content_field(pointer: &str) -> String {
    match pointer {
        "/kind" => "kind".to_owned(),
        "/author_name" => "author_name".to_owned(),
        "/summary" => "summary".to_owned(),
        "/body_markdown" => "body_markdown".to_owned(),
        "/slug" => "slug".to_owned(),
        "/tags" => "tags".to_owned(),
        "/social_text" => "networks".to_owned(),
        other => match other.strip_prefix("/social_text/").and_then(parse_network) {
            Some(network) => text_field(network),
            None => "title".to_owned(),
        },
    }
}

/// A content form's refusal, by field: `(api pointer, field id, what it is
/// called)` in the form's order, so an error on no field is linked to the
/// first.
fn content_errors(problem: &caucus_wire::Problem, drafting: bool) -> FieldErrors {
    let drafting_only = [("/kind", "kind", "The kind"), ("/author_name", "author_name", "The byline")];
    let content = [
        ("/title", "title", "The title"),
        ("/summary", "summary", "The summary"),
        ("/body_markdown", "body_markdown", "The text"),
        ("/slug", "slug", "The web address name"),
        ("/tags", "tags", "The tags"),
        ("/social_text", "networks", "The networks"),
    ];
    let mut owned: Vec<(String, String, String)> = drafting_only
        .iter()
        .filter(|_| drafting)
        .chain(content.iter())
        .map(|(p, i, n)| ((*p).to_owned(), (*i).to_owned(), (*n).to_owned()))
        .collect();
    for network in Network::ALL {
        owned.push((
            format!("/social_text/{}", wire_word(*network)),
            text_field(*network),
            format!("The {} text", network_name(*network)),
        ));
    }
    let fields: Vec<(&str, &str, &str)> =
        owned.iter().map(|(p, i, n)| (p.as_str(), i.as_str(), n.as_str())).collect();
    FieldErrors::from_problem(problem, &fields)
}

/// Which form: a new draft, or an edit of a publication at a version.
#[derive(Debug, Clone, Copy)]
pub(super) enum Mode {
    Draft,
    Edit { id: Uuid, version: u64 },
}

/// Someone else's change since the form was shown: what the publication
/// says now, beside what the person sent.
#[derive(Debug)]
pub(super) struct Conflict {
    now: ContentForm,
}

/// A content form being filled in.
#[derive(Debug)]
pub(super) struct Editing {
    pub(super) mode: Mode,
    pub(super) form: ContentForm,
    pub(super) errors: FieldErrors,
    pub(super) idempotency_key: String,
    pub(super) conflict: Option<Conflict>,
}

/// The rows comparing what the publication says now with the person's
/// change: the title and text always, anything else that differs.
fn comparison(now: &ContentForm, theirs: &ContentForm) -> Value {
    let cell = |text: &str| if text.is_empty() { json!({"text": "(none)"}) } else { json!({"text": text}) };
    let mut rows = Vec::new();
    let mut compare = |name: &str, a: &str, b: &str, always: bool| {
        if always || a != b {
            rows.push(json!([{"text": name}, cell(a), cell(b)]));
        }
    };
    compare("Title", &now.title, &theirs.title, true);
    compare("Summary", &now.summary, &theirs.summary, false);
    compare("Text", &now.body_markdown, &theirs.body_markdown, true);
    compare("Web address name", &now.slug, &theirs.slug, false);
    compare("Tags", &now.tags, &theirs.tags, false);
    for network in Network::ALL {
        let text = |form: &ContentForm| {
            if form.networks.contains(network) {
                form.texts.get(network).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        compare(&format!("{} text", network_name(*network)), &text(now), &text(theirs), false);
    }
    json!({
        "caption": "What changed",
        "captionClasses": "govuk-table__caption--m",
        "firstCellIsHeader": true,
        "head": [{"text": "Field"}, {"text": "What it says now"}, {"text": "Your change"}],
        "rows": rows,
    })
}

pub(super) fn render_form(
    state: &State,
    session: &Session,
    person: &Person,
    editing: Editing,
) -> Result<HttpResponse, PageError> {
    let Editing { mode, form, errors, idempotency_key, conflict } = editing;
    let kinds: Vec<Value> =
        PublicationKind::ALL.iter().map(|k| json!({"value": wire_word(*k), "text": words(*k)})).collect();
    let networks: Vec<Value> = Network::ALL
        .iter()
        .map(|n| {
            json!({
                "value": wire_word(*n),
                "text": network_name(*n),
                "checked": form.networks.contains(n),
                "textarea": {
                    "name": text_field(*n),
                    "id": text_field(*n),
                    "rows": 4,
                    "label": {"text": format!("What to post on {}", network_name(*n))},
                    "value": form.texts.get(n).cloned().unwrap_or_default(),
                    "errorMessage": errors.message(&text_field(*n)),
                },
            })
        })
        .collect();
    let (action, title, button) = match mode {
        Mode::Draft => ("/publications".to_owned(), "Draft a publication".to_owned(), "Save draft"),
        Mode::Edit { id, .. } => {
            (format!("/publications/{id}/edit"), "Edit the publication".to_owned(), "Save changes")
        }
    };
    let title = match &conflict {
        Some(conflict) => format!("Someone else changed “{}”", conflict.now.title),
        None => title,
    };
    let frame = state.frame(session, Some(person), Section::Publications, title)?;
    let back = match mode {
        Mode::Draft => "/publications".to_owned(),
        Mode::Edit { id, .. } => format!("/publications/{id}"),
    };
    let page = json!({
        "action": action,
        "back": back,
        "drafting": matches!(mode, Mode::Draft),
        "version": match mode { Mode::Edit { version, .. } => Some(version), Mode::Draft => None },
        "button": button,
        "idempotency_key": idempotency_key,
        "error_summary": errors.summary(),
        "conflict": conflict.as_ref().map(|c| comparison(&c.now, &form)),
        "kind": {
            "name": "kind",
            "idPrefix": "kind",
            "fieldset": {"legend": {"text": "What kind of publication is it?", "classes": "govuk-fieldset__legend--m"}},
            "items": kinds,
            "value": form.kind,
            "errorMessage": errors.message("kind"),
        },
        "author_name": {
            "name": "author_name",
            "id": "author_name",
            "label": {"text": "Byline", "classes": "govuk-label--s"},
            "hint": {"text": "Who it is from, as readers see it"},
            "value": form.author_name,
            "errorMessage": errors.message("author_name"),
        },
        "title": {
            "name": "title",
            "id": "title",
            "label": {"text": "Title", "classes": "govuk-label--s"},
            "value": form.title,
            "errorMessage": errors.message("title"),
        },
        "summary": {
            "name": "summary",
            "id": "summary",
            "maxlength": 500,
            "rows": 3,
            "label": {"text": "Summary (optional)", "classes": "govuk-label--s"},
            "hint": {"text": "One or two sentences: search results and previews show it"},
            "value": form.summary,
            "errorMessage": errors.message("summary"),
        },
        "body_markdown": {
            "name": "body_markdown",
            "id": "body_markdown",
            "rows": 12,
            "label": {"text": "Text", "classes": "govuk-label--s"},
            "hint": {"text": "Leave a blank line between paragraphs. Every kind but a social post needs text before it is sent for approval."},
            "value": form.body_markdown,
            "errorMessage": errors.message("body_markdown"),
        },
        "slug": {
            "name": "slug",
            "id": "slug",
            "spellcheck": false,
            "label": {"text": "Web address name (optional)", "classes": "govuk-label--s"},
            "hint": {"text": "Lower-case words joined by hyphens; leave blank to make it from the title"},
            "value": form.slug,
            "errorMessage": errors.message("slug"),
        },
        "tags": {
            "name": "tags",
            "id": "tags",
            "label": {"text": "Tags (optional)", "classes": "govuk-label--s"},
            "hint": {"text": "Separate tags with commas"},
            "value": form.tags,
            "errorMessage": errors.message("tags"),
        },
        "networks": {
            "name": "networks",
            "idPrefix": "networks",
            "fieldset": {"legend": {"text": "Post it on social networks (optional)", "classes": "govuk-fieldset__legend--s"}},
            "hint": {"text": "Caucus checks each text against its network's limit when it is sent for approval."},
            "items": networks,
            "errorMessage": errors.message("networks"),
        },
        "hidden": {
            "image_url": form.image_url,
            "image_alt": form.image_alt,
            "publish_at": form.publish_at,
        },
    });
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else if errors.summary().is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    state.page_with(status, &frame, "publication-form.html", page)
}

#[get("/publications/new")]
pub(in crate::pages) async fn new_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let author_name = if has_role(&person, OFFICE) { state.group_name.clone() } else { person.name.clone() };
    let editing = Editing {
        mode: Mode::Draft,
        form: ContentForm { author_name, ..ContentForm::default() },
        errors: FieldErrors::default(),
        idempotency_key: session::random_hex(),
        conflict: None,
    };
    render_form(&state, &session, &person, editing)
}

#[post("/publications")]
pub(in crate::pages) async fn draft(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let sent = ContentForm::sent(&form);
    let refused = |errors: FieldErrors| Editing {
        mode: Mode::Draft,
        form: sent.clone(),
        errors,
        // The same key: the refused submission recorded nothing.
        idempotency_key: key.clone(),
        conflict: None,
    };
    let Some(kind) = serde_json::from_value::<PublicationKind>(Value::String(sent.kind.clone())).ok() else {
        let errors = FieldErrors {
            errors: vec![("kind".to_owned(), "Choose what kind of publication it is".to_owned())],
        };
        return render_form(&state, &session, &person, refused(errors));
    };
    let body = DraftPublicationRequest {
        kind,
        author_name: TitleText(sent.author_name.clone()),
        author_member_id: None,
        content: sent.request(),
    };
    let made: Result<PublicationView, ApiFailure> =
        state.api.post(&person.token, "/publications", &body, &key).await;
    match made {
        Ok(publication) => Ok(see_other(&format!("/publications/{}?done=drafted", publication.id))),
        Err(ApiFailure::Refused(problem)) if problem.status == 422 => {
            render_form(&state, &session, &person, refused(content_errors(&problem, true)))
        }
        Err(failure) => Err(state.refusal(&session, &person, &request, &failure)),
    }
}

#[get("/publications/{id}/edit")]
pub(in crate::pages) async fn edit_page(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let person = signed_in(&session, &request)?;
    let found: PublicationView =
        state.read(&session, &person, &request, &format!("/publications/{id}")).await?;
    let editing = Editing {
        mode: Mode::Edit { id: found.id, version: found.version },
        form: ContentForm::of(&found),
        errors: FieldErrors::default(),
        idempotency_key: session::random_hex(),
        conflict: None,
    };
    render_form(&state, &session, &person, editing)
}

#[post("/publications/{id}/edit")]
pub(in crate::pages) async fn save_edit(
    state: web::Data<State>,
    session: Session,
    request: HttpRequest,
    id: web::Path<Uuid>,
    Posted { person, form, key }: Posted,
) -> Result<HttpResponse, PageError> {
    let sent = ContentForm::sent(&form);
    let version = form.version()?;
    let id = *id;
    let path = format!("/publications/{id}/content");
    let saved: Result<PublicationView, ApiFailure> =
        state.api.put(&person.token, &path, &sent.request(), Some(version), &key).await;
    let problem = match saved {
        Ok(_) => return Ok(see_other(&format!("/publications/{id}?done=edited"))),
        Err(ApiFailure::Refused(problem)) if matches!(problem.status, 409 | 422) => problem,
        Err(failure) => return Err(state.refusal(&session, &person, &request, &failure)),
    };
    // The same key either way: the refused submission recorded nothing.
    if problem.status == 422 {
        let editing = Editing {
            mode: Mode::Edit { id, version },
            form: sent,
            errors: content_errors(&problem, false),
            idempotency_key: key,
            conflict: None,
        };
        return render_form(&state, &session, &person, editing);
    }
    let now: PublicationView =
        state.read(&session, &person, &request, &format!("/publications/{id}")).await?;
    let editable = matches!(now.status, PublicationStatus::Draft | PublicationStatus::Rejected);
    if now.version == version || !editable {
        // Not a change made since, or nothing to apply it to any more.
        return Err(state.refusal(&session, &person, &request, &ApiFailure::Refused(problem)));
    }
    let editing = Editing {
        mode: Mode::Edit { id, version: now.version },
        form: sent.keeping_hidden_of(&now),
        errors: FieldErrors::default(),
        idempotency_key: key,
        conflict: Some(Conflict { now: ContentForm::of(&now) }),
    };
    render_form(&state, &session, &person, editing)
}
