//! The compiled GOV.UK Frontend files, vendored by `assets/refresh.sh` and
//! embedded so the binary needs nothing beside it, served under names that
//! carry a hash of their content, so they can be cached for a year.

use sha2::{Digest as _, Sha256};

/// The pinned GOV.UK Frontend version the assets and templates come from.
pub const GOVUK_FRONTEND_VERSION: &str = include_str!("../assets/govuk-frontend/VERSION").trim_ascii();

/// GOV.UK Frontend's stylesheet, compiled with a system font stack and no
/// image URLs.
pub const GOVUK_FRONTEND_CSS: &str = include_str!("../assets/govuk-frontend/govuk-frontend.min.css");

/// GOV.UK Frontend's script, an ES module: a page loads it with
/// `<script type="module">` and calls its `initAll()`.
pub const GOVUK_FRONTEND_JS: &str = include_str!("../assets/govuk-frontend/govuk-frontend.min.js");

/// Caucus's own few styles beside GOV.UK Frontend's.
pub const CAUCUS_CSS: &str = include_str!("../assets/caucus.css");

/// GOV.UK Frontend's MIT licence, to serve beside the files it covers.
pub const GOVUK_FRONTEND_LICENCE: &str = include_str!("../assets/govuk-frontend/LICENCE.txt");

/// The assets under their hashed names.
#[derive(Debug, Clone)]
pub struct Assets {
    /// The stylesheet's name.
    pub css_name: String,
    /// Caucus's own stylesheet's name.
    pub caucus_css_name: String,
    /// GOV.UK Frontend's script's name.
    pub js_name: String,
    /// The name of the module that starts it.
    pub init_name: String,
    /// GOV.UK Frontend's licence's name.
    pub licence_name: String,
    /// That module: GOV.UK Frontend's `initAll` (a file, not an inline
    /// script, so the content security policy can forbid inline scripts).
    pub init_js: String,
}

impl Default for Assets {
    fn default() -> Self {
        let css_name = hashed("govuk-frontend", GOVUK_FRONTEND_CSS, "min.css");
        let caucus_css_name = hashed("caucus", CAUCUS_CSS, "css");
        let js_name = hashed("govuk-frontend", GOVUK_FRONTEND_JS, "min.js");
        let init_js = format!(
            "document.body.classList.add('js-enabled', 'govuk-frontend-supported');\n\
             import {{ initAll }} from './{js_name}';\ninitAll();\n"
        );
        let init_name = hashed("init", &init_js, "js");
        let licence_name = hashed("govuk-frontend-licence", GOVUK_FRONTEND_LICENCE, "txt");
        Self { css_name, caucus_css_name, js_name, init_name, init_js, licence_name }
    }
}

impl Assets {
    /// The asset named `name`, with its media type.
    pub fn named(&self, name: &str) -> Option<(&'static str, String)> {
        if name == self.css_name {
            Some(("text/css; charset=utf-8", GOVUK_FRONTEND_CSS.to_owned()))
        } else if name == self.caucus_css_name {
            Some(("text/css; charset=utf-8", CAUCUS_CSS.to_owned()))
        } else if name == self.js_name {
            Some(("text/javascript; charset=utf-8", GOVUK_FRONTEND_JS.to_owned()))
        } else if name == self.init_name {
            Some(("text/javascript; charset=utf-8", self.init_js.clone()))
        } else if name == self.licence_name {
            Some(("text/plain; charset=utf-8", GOVUK_FRONTEND_LICENCE.to_owned()))
        } else {
            None
        }
    }
}

/// `stem-<first 12 hex digits of the SHA-256 of content>.extension`.
fn hashed(stem: &str, content: &str, extension: &str) -> String {
    let digest = hex::encode(Sha256::digest(content.as_bytes()));
    format!("{stem}-{}.{extension}", &digest[..12])
}
