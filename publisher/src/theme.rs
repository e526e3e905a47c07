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
    ("404.html", include_str!("../theme/404.html")),
    ("atom.xml", include_str!("../theme/atom.xml")),
    ("sitemap.xml", include_str!("../theme/sitemap.xml")),
    ("style.css", include_str!("../theme/style.css")),
];

/// Files in `templates/` with these extensions are templates; others (a
/// README) are ignored.
const TEMPLATE_EXTENSIONS: &[&str] = &["html", "xml", "css", "txt"];

/// HTML and XML escaping of the five special characters. Tera's default also
/// escapes `/`, which is safe but makes every URL unreadable in the source.
fn escape(text: &str) -> String {
    crate::markdown::escape(text)
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
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .context("the site's templates do not compile")?;
        Ok(Self { tera, fingerprint: hasher.finalize().into() })
    }
}
