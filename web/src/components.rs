//! GOV.UK Frontend's components ported from Nunjucks to Tera, one macro file
//! per component under `templates/govuk/`, embedded in the binary.
//!
//! Each macro takes the same `params` object as its Nunjucks macro, so the
//! Design System's documentation and examples apply unchanged:
//!
//! ```tera
//! {% import "govuk/button.html" as govuk_button %}
//! {{ govuk_button::button(params=button) }}
//! ```
//!
//! Tera differs from Nunjucks in ways the ports work around:
//! - no object literals, so a component that passes options to another builds
//!   them with the `dict(key=value, ...)` function and the
//!   `merge(key=value, ...)` filter registered here;
//! - no `caller()`, so the fieldset, which wraps other fields, also comes as
//!   `fieldset_start(params)` and `fieldset_end()` to put around them;
//! - a `{% set %}` renders macros without escaping, so the ports print nested
//!   components directly; the one that must capture (the character count's
//!   message) escapes what goes into it first;
//! - the summary card likewise comes as `card_start(params)`/`card_end()` in
//!   `govuk/summary-list.html`.
//!
//! One Tera behaviour to know when rendering a page: a name a macro lacks is
//! looked up in the page's context, so `params.text` missing from a
//! component's params would be read from a page variable called `params`.
//! Pages should pass their data under other names than the macros' object
//! arguments (`params`, `item`, `action`, `link`, `cell`, `affix`,
//! `card_title`, `day`, `month`, `year`), for example all under `page`.

use std::collections::HashMap;

use tera::{Tera, Value};

/// The components, by template name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("govuk/back-link.html", include_str!("../templates/govuk/back-link.html")),
    ("govuk/button.html", include_str!("../templates/govuk/button.html")),
    ("govuk/character-count.html", include_str!("../templates/govuk/character-count.html")),
    ("govuk/checkboxes.html", include_str!("../templates/govuk/checkboxes.html")),
    ("govuk/date-input.html", include_str!("../templates/govuk/date-input.html")),
    ("govuk/details.html", include_str!("../templates/govuk/details.html")),
    ("govuk/error-message.html", include_str!("../templates/govuk/error-message.html")),
    ("govuk/error-summary.html", include_str!("../templates/govuk/error-summary.html")),
    ("govuk/fieldset.html", include_str!("../templates/govuk/fieldset.html")),
    ("govuk/file-upload.html", include_str!("../templates/govuk/file-upload.html")),
    ("govuk/footer.html", include_str!("../templates/govuk/footer.html")),
    ("govuk/generic-header.html", include_str!("../templates/govuk/generic-header.html")),
    ("govuk/header.html", include_str!("../templates/govuk/header.html")),
    ("govuk/hint.html", include_str!("../templates/govuk/hint.html")),
    ("govuk/input.html", include_str!("../templates/govuk/input.html")),
    ("govuk/inset-text.html", include_str!("../templates/govuk/inset-text.html")),
    ("govuk/label.html", include_str!("../templates/govuk/label.html")),
    ("govuk/notification-banner.html", include_str!("../templates/govuk/notification-banner.html")),
    ("govuk/pagination.html", include_str!("../templates/govuk/pagination.html")),
    ("govuk/panel.html", include_str!("../templates/govuk/panel.html")),
    ("govuk/radios.html", include_str!("../templates/govuk/radios.html")),
    ("govuk/select.html", include_str!("../templates/govuk/select.html")),
    ("govuk/service-navigation.html", include_str!("../templates/govuk/service-navigation.html")),
    ("govuk/skip-link.html", include_str!("../templates/govuk/skip-link.html")),
    ("govuk/summary-list.html", include_str!("../templates/govuk/summary-list.html")),
    ("govuk/table.html", include_str!("../templates/govuk/table.html")),
    ("govuk/tag.html", include_str!("../templates/govuk/tag.html")),
    ("govuk/task-list.html", include_str!("../templates/govuk/task-list.html")),
    ("govuk/textarea.html", include_str!("../templates/govuk/textarea.html")),
    ("govuk/warning-text.html", include_str!("../templates/govuk/warning-text.html")),
];

/// A Tera instance with every component registered, autoescaping `.html`
/// templates, to which the application adds its page templates.
pub fn templates() -> tera::Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape);
    tera.register_function("dict", dict);
    tera.register_filter("merge", merge);
    tera.register_filter("govuk_attributes", Attributes);
    tera.register_function("govuk_attribute", Attribute);
    tera.register_function("govuk_i18n_attributes", I18nAttributes);
    tera.add_raw_templates(TEMPLATES.iter().copied())?;
    Ok(tera)
}

/// HTML escaping of the five special characters. Tera's default also escapes
/// `/`, which is safe but makes every URL unreadable in the source.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// `dict(a=1, b="x")` is `{"a": 1, "b": "x"}`: the object literal Tera lacks,
/// for the options one component passes to another.
fn dict(args: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::Object(args.iter().map(|(key, value)| (key.clone(), value.clone())).collect()))
}

/// `options | merge(id="x")` is `options` with `id` set: a component passing
/// its own options on to another adds what it works out (an id, a `for`).
/// Anything but an object merges as an empty one.
fn merge(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let mut object = value.as_object().cloned().unwrap_or_default();
    object.extend(args.iter().map(|(key, value)| (key.clone(), value.clone())));
    Ok(Value::Object(object))
}

/// GOV.UK Frontend's `govukAttributes` macro as a filter: a component's
/// `attributes` param as HTML attributes, each with a leading space.
///
/// A string passes through as it is (the caller wrote HTML). An object maps
/// names to values, or to `{value, optional}`: a plain value always renders
/// (`null` as `name=""`); an optional one renders `name` alone when `true`
/// and nothing when `null` or `false`.
#[derive(Debug)]
struct Attributes;

impl tera::Filter for Attributes {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        let html = match value {
            Value::String(html) => html.clone(),
            Value::Object(attributes) => {
                let mut html = String::new();
                for (name, item) in attributes {
                    let (value, optional) = match item {
                        Value::Object(options) => (
                            options.get("value").unwrap_or(&Value::Null),
                            options.get("optional").is_some_and(|o| *o == Value::Bool(true)),
                        ),
                        value => (value, false),
                    };
                    push_attribute(&mut html, name, value, optional);
                }
                html
            }
            _ => String::new(),
        };
        Ok(Value::String(html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// One attribute as the `govuk_attributes` filter renders it, for a name
/// Tera cannot write as a `dict` key (`data-maxlength`):
/// `govuk_attribute(name="data-maxlength", value=n, optional=true)`.
#[derive(Debug)]
struct Attribute;

impl tera::Function for Attribute {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let name = args.get("name").and_then(Value::as_str).ok_or("govuk_attribute needs a name")?;
        let optional = args.get("optional").is_some_and(|o| *o == Value::Bool(true));
        let mut html = String::new();
        push_attribute(&mut html, name, args.get("value").unwrap_or(&Value::Null), optional);
        Ok(Value::String(html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

fn push_attribute(html: &mut String, name: &str, value: &Value, optional: bool) {
    match (value, optional) {
        (Value::Bool(true), true) => {
            html.push(' ');
            html.push_str(&escape(name));
        }
        (Value::Null | Value::Bool(false), true) => {}
        (value, _) => {
            html.push(' ');
            html.push_str(&escape(name));
            html.push_str("=\"");
            html.push_str(&escape(&text(value)));
            html.push('"');
        }
    }
}

/// GOV.UK Frontend's `govukI18nAttributes` macro as a function: the
/// translations a component's script reads, as `data-i18n.<key>` attributes.
/// `govuk_i18n_attributes(key="...", message=text)` for one message, or
/// `messages={"one": ..., "other": ...}` for one per plural rule.
#[derive(Debug)]
struct I18nAttributes;

impl tera::Function for I18nAttributes {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = args.get("key").and_then(Value::as_str).ok_or("govuk_i18n_attributes needs a key")?;
        let mut html = String::new();
        match (args.get("messages"), args.get("message")) {
            (Some(Value::Object(messages)), _) => {
                for (rule, message) in messages {
                    html.push_str(&format!(" data-i18n.{key}.{rule}=\"{}\"", escape(&text(message))));
                }
            }
            (_, Some(message)) if truthy(message) => {
                html.push_str(&format!(" data-i18n.{key}=\"{}\"", escape(&text(message))));
            }
            _ => {}
        }
        Ok(Value::String(html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Whether JavaScript counts the value as true, as Nunjucks' `if` does.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        _ => true,
    }
}

/// A value as JavaScript's `String()` writes it, which is what Nunjucks
/// prints.
fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Value::Object(_) => "[object Object]".to_owned(),
        other => other.to_string(),
    }
}
