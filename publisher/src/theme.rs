//! Templates in Zola's manner: a built-in theme compiled into the binary, and
//! a site folder's `templates/` whose files override the built-ins by name (or
//! add new ones a built-in can include). Autoescaping is on for HTML and XML.

use std::{collections::BTreeMap, path::Path};

use anyhow::Context;
use sha2::{Digest, Sha256};
use tera::Tera;

/// The built-in theme, by template name.
const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../theme/base.html")),
    ("macros.html", include_str!("../theme/macros.html")),
    ("index.html", include_str!("../theme/index.html")),
    ("section.html", include_str!("../theme/section.html")),
    ("page.html", include_str!("../theme/page.html")),
    ("councillors.html", include_str!("../theme/councillors.html")),
    ("councillor.html", include_str!("../theme/councillor.html")),
    ("bodies.html", include_str!("../theme/bodies.html")),
    ("body.html", include_str!("../theme/body.html")),
    ("decisions.html", include_str!("../theme/decisions.html")),
    ("decision.html", include_str!("../theme/decision.html")),
    ("meetings.html", include_str!("../theme/meetings.html")),
    ("meeting.html", include_str!("../theme/meeting.html")),
    ("events.html", include_str!("../theme/events.html")),
    ("event.html", include_str!("../theme/event.html")),
    ("transparency.html", include_str!("../theme/transparency.html")),
    ("404.html", include_str!("../theme/404.html")),
    ("atom.xml", include_str!("../theme/atom.xml")),
    ("style.css", include_str!("../theme/style.css")),
];

/// Files in `templates/` with these extensions are templates; others (a
/// README) are ignored.
const TEMPLATE_EXTENSIONS: &[&str] = &["html", "xml", "css", "txt"];

/// HTML and XML escaping of the five special characters. Tera's default also
/// escapes `/`, which is safe but makes every URL unreadable in the source.
fn escape(text: &str) -> String {
    crate::markdown::escape(text).into_owned()
}

/// `2026-03-02` as `2 March 2026`, for people; other values pass unchanged.
fn human_date(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let day = value.as_str().and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    Ok(day.map_or_else(|| value.clone(), |d| d.format("%-d %B %Y").to_string().into()))
}

/// The templates a site is built with.
#[derive(Debug)]
pub struct Theme {
    /// The compiled templates.
    pub tera: Tera,
    /// A hash of every template's name and source: a change to any of them
    /// changes every page's input hash.
    pub fingerprint: [u8; 32],
}

impl Theme {
    /// The built-in theme with `<site>/templates/` laid over it.
    pub fn load(site: &Path) -> anyhow::Result<Self> {
        let mut sources: BTreeMap<String, String> =
            BUILT_IN.iter().map(|(name, source)| ((*name).to_owned(), (*source).to_owned())).collect();
        let overrides = site.join("templates");
        if overrides.is_dir() {
            let templates = crate::files::walk(&overrides)?.into_iter().filter(|path| {
                path.extension().and_then(|e| e.to_str()).is_some_and(|e| TEMPLATE_EXTENSIONS.contains(&e))
            });
            for path in templates {
                let name = path
                    .strip_prefix(&overrides)
                    .context("template under templates/")?
                    .to_string_lossy()
                    .replace('\\', "/");
                let source = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read template {}", path.display()))?;
                sources.insert(name, source);
            }
        }
        let mut hasher = Sha256::new();
        for (name, source) in &sources {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(source.as_bytes());
            hasher.update([0]);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape);
        tera.register_filter("human_date", human_date);
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .context("the site's templates do not compile")?;
        Ok(Self { tera, fingerprint: hasher.finalize().into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_template_overrides_the_built_in_one_and_dates_read_as_words() {
        let site = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(site.path().join("templates")).expect("mkdir");
        std::fs::write(site.path().join("templates/404.html"), "{{ day | human_date }} & {{ text }}")
            .expect("write");
        let theme = Theme::load(site.path()).expect("loads");
        let mut context = tera::Context::new();
        context.insert("day", "2026-03-02");
        context.insert("text", "<b>");
        let html = theme.tera.render("404.html", &context).expect("renders");
        assert_eq!(html, "2 March 2026 & &lt;b&gt;");
        assert!(theme.tera.get_template_names().any(|name| name == "base.html"), "built-ins stay");
    }
}
