//! Every Tera port of a GOV.UK Frontend component renders each example in the
//! fixtures GOV.UK Frontend ships for it (`tests/fixtures/govuk/`, vendored by
//! `assets/refresh.sh`) to the same HTML tree as the Nunjucks original: all
//! 620 of them, the 359 GOV.UK marks `hidden` (kept out of its review app, not
//! out of its tests) included. The header and footer are compared with
//! GOV.UK's brand taken out of the expected HTML (`without_govuk_brand`).

mod dom;

use std::path::Path;

use dom::Node;
use serde::Deserialize;

/// Examples not rendered, as (component, example, why). None today: the
/// fixtures pass options only, so none needs `caller()`, and the parts of a
/// component Nunjucks fills with `caller()` (the fieldset's fields, the
/// summary card's list) come as start and end macros instead.
const SKIPPED: &[(&str, &str, &str)] = &[];

/// Examples rendered differently from GOV.UK Frontend, as (component,
/// example, why). None today; kept short: a port that can match, does. An
/// entry that starts matching fails the test, so the list stays true.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[];

#[derive(Debug, Deserialize)]
struct Fixtures {
    fixtures: Vec<Fixture>,
}

#[derive(Debug, Deserialize)]
struct Fixture {
    name: String,
    options: serde_json::Value,
    html: String,
}

/// Renders every example of `component` and fails listing each mismatch with
/// its name, the expected and the rendered HTML.
fn check(component: &str) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/govuk/{component}/fixtures.json"));
    let json = std::fs::read_to_string(&path).expect("the fixtures are vendored");
    let Fixtures { fixtures } = serde_json::from_str(&json).expect("fixtures parse");
    let macro_name = component.replace('-', "_");
    let mut tera = caucus_web::components::templates().expect("the components compile");
    // Under a name no macro takes as an argument: Tera looks a name a macro
    // lacks up in the render context, which would hide a port's missing
    // default behind the fixture's own option.
    let page =
        format!("{{% import \"govuk/{component}.html\" as c %}}{{{{ c::{macro_name}(params=fixture) }}}}");
    tera.add_raw_template("page.html", &page).expect("the page compiles");

    let mut failures = Vec::new();
    let mut rendered_count = 0;
    for fixture in &fixtures {
        let listed =
            |list: &[(&str, &str, &str)]| list.iter().any(|(c, n, _)| *c == component && *n == fixture.name);
        if listed(SKIPPED) {
            continue;
        }
        let mut context = tera::Context::new();
        context.insert("fixture", &fixture.options);
        let rendered = match tera.render("page.html", &context) {
            Ok(html) => html,
            Err(error) => {
                failures.push(format!("{component} / {}: does not render: {}", fixture.name, chain(&error)));
                continue;
            }
        };
        rendered_count += 1;
        let expected = without_govuk_brand(component, &fixture.options, dom::parse(&fixture.html));
        let actual = dom::parse(&rendered);
        let difference = dom::first_difference(&expected, &actual);
        let known = listed(KNOWN_DIFFERENCES);
        match (difference, known) {
            (Some(difference), false) => failures.push(format!(
                "{component} / {}: {difference}\n--- expected\n{}\n--- rendered\n{}\n",
                fixture.name,
                fixture.html,
                rendered.trim()
            )),
            (None, true) => failures.push(format!(
                "{component} / {}: listed as a known difference but now matches; remove it from the list",
                fixture.name
            )),
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples differ:\n\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
    assert!(rendered_count > 0, "{component}: no example rendered");
}

fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// GOV.UK's own brand taken out of an expected tree, as the ports leave it
/// out: the crown and the GOV.UK logotype, the home link to gov.uk, and the
/// Open Government Licence and Crown copyright a footer shows by default. They
/// are GOV.UK's marks and licences, for GOV.UK services only.
fn without_govuk_brand(component: &str, options: &serde_json::Value, nodes: Vec<Node>) -> Vec<Node> {
    let default_licence = !options.get("contentLicence").is_some_and(|licence| {
        licence.is_null()
            || licence.get("html").is_some_and(truthy)
            || licence.get("text").is_some_and(truthy)
    });
    let default_copyright = !options
        .get("copyright")
        .is_some_and(|c| c.get("html").is_some_and(truthy) || c.get("text").is_some_and(truthy));
    match component {
        "header" | "footer" => rebrand(nodes, default_licence, default_copyright),
        _ => nodes,
    }
}

fn truthy(value: &serde_json::Value) -> bool {
    !matches!(value, serde_json::Value::Null | serde_json::Value::Bool(false))
        && value.as_str().is_none_or(|s| !s.is_empty())
}

fn rebrand(nodes: Vec<Node>, default_licence: bool, default_copyright: bool) -> Vec<Node> {
    let mut out = Vec::new();
    for node in nodes {
        let Node::Element { name, mut attributes, children } = node else {
            out.push(node);
            continue;
        };
        let has_class = |class: &str| matches!(attributes.get("class"), Some(dom::Attribute::Classes(classes)) if classes.contains(class));
        if has_class("govuk-header__logotype")
            || has_class("govuk-footer__crown")
            || has_class("govuk-footer__licence-logo")
        {
            continue;
        }
        if has_class("govuk-footer__licence-description") && default_licence {
            continue;
        }
        if has_class("govuk-footer__copyright-logo") {
            // The copyright notice stays, without the link to Crown copyright.
            if !default_copyright {
                out.extend(rebrand(children, default_licence, default_copyright));
            }
            continue;
        }
        if attributes.get("href") == Some(&dom::Attribute::Value("//gov.uk".to_owned())) {
            attributes.insert("href".to_owned(), dom::Attribute::Value("/".to_owned()));
        }
        let children = rebrand(children, default_licence, default_copyright);
        out.push(Node::Element { name, attributes, children });
    }
    out
}

macro_rules! components {
    ($($test:ident => $component:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                check($component);
            }
        )*
    };
}

components! {
    back_link_matches_govuk_frontend => "back-link",
    button_matches_govuk_frontend => "button",
    character_count_matches_govuk_frontend => "character-count",
    checkboxes_match_govuk_frontend => "checkboxes",
    date_input_matches_govuk_frontend => "date-input",
    details_match_govuk_frontend => "details",
    error_message_matches_govuk_frontend => "error-message",
    error_summary_matches_govuk_frontend => "error-summary",
    fieldset_matches_govuk_frontend => "fieldset",
    file_upload_matches_govuk_frontend => "file-upload",
    footer_matches_govuk_frontend_without_its_brand => "footer",
    generic_header_matches_govuk_frontend => "generic-header",
    header_matches_govuk_frontend_without_its_brand => "header",
    hint_matches_govuk_frontend => "hint",
    input_matches_govuk_frontend => "input",
    inset_text_matches_govuk_frontend => "inset-text",
    label_matches_govuk_frontend => "label",
    notification_banner_matches_govuk_frontend => "notification-banner",
    pagination_matches_govuk_frontend => "pagination",
    panel_matches_govuk_frontend => "panel",
    radios_match_govuk_frontend => "radios",
    select_matches_govuk_frontend => "select",
    service_navigation_matches_govuk_frontend => "service-navigation",
    skip_link_matches_govuk_frontend => "skip-link",
    summary_list_matches_govuk_frontend => "summary-list",
    table_matches_govuk_frontend => "table",
    tag_matches_govuk_frontend => "tag",
    task_list_matches_govuk_frontend => "task-list",
    textarea_matches_govuk_frontend => "textarea",
    warning_text_matches_govuk_frontend => "warning-text",
}

/// Renders `source` (which may import the components) with `page` in its
/// context.
fn render(source: &str, page: serde_json::Value) -> String {
    let mut tera = caucus_web::components::templates().expect("the components compile");
    tera.add_raw_template("page.html", source).expect("the page compiles");
    let mut context = tera::Context::new();
    context.insert("page", &page);
    tera.render("page.html", &context).expect("the page renders")
}

#[test]
fn fieldset_start_and_end_wrap_fields_as_the_fieldset_does() {
    let legend = serde_json::json!({"legend": {"text": "What is your address?"}, "describedBy": "hint"});
    let wrapped = render(
        r#"{% import "govuk/fieldset.html" as f %}{% import "govuk/input.html" as i %}
        {{ f::fieldset_start(params=page.fieldset) }}{{ i::input(params=page.input) }}{{ f::fieldset_end() }}"#,
        serde_json::json!({"fieldset": legend, "input": {"name": "town", "label": {"text": "Town"}}}),
    );
    let input = render(
        r#"{% import "govuk/input.html" as i %}{{ i::input(params=page) }}"#,
        serde_json::json!({"name": "town", "label": {"text": "Town"}}),
    );
    let mut params = legend.clone();
    params["html"] = input.into();
    let whole = render(r#"{% import "govuk/fieldset.html" as f %}{{ f::fieldset(params=page) }}"#, params);
    assert_eq!(dom::first_difference(&dom::parse(&whole), &dom::parse(&wrapped)), None, "{wrapped}");
}

#[test]
fn character_count_escapes_the_message_it_captures() {
    let html = render(
        r#"{% import "govuk/character-count.html" as c %}{{ c::character_count(params=page) }}"#,
        serde_json::json!({
            "name": "summary",
            "maxlength": 10,
            "textareaDescriptionText": "<script>alert(1)</script> up to %{count}",
            "countMessage": {"classes": "\"><script>alert(2)</script>"},
            "formGroup": {"afterInput": {"text": "<script>alert(3)</script>"}},
        }),
    );
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)"), "{html}");
    assert!(html.contains(" up to 10"), "{html}");
}

#[test]
fn text_options_are_escaped_and_html_options_are_not() {
    let html = render(
        r#"{% import "govuk/tag.html" as t %}{{ t::tag(params=page.text) }}{{ t::tag(params=page.html) }}"#,
        serde_json::json!({"text": {"text": "<b>A & B</b>"}, "html": {"html": "<b>A &amp; B</b>"}}),
    );
    assert!(html.contains("&lt;b&gt;A &amp; B&lt;/b&gt;"), "{html}");
    assert!(html.contains("<b>A &amp; B</b>"), "{html}");
}
