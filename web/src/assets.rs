//! The compiled GOV.UK Frontend files, vendored by `assets/refresh.sh` and
//! embedded so the binary needs nothing beside it.

/// The pinned GOV.UK Frontend version the assets and templates come from.
pub const GOVUK_FRONTEND_VERSION: &str = include_str!("../assets/govuk-frontend/VERSION").trim_ascii();

/// GOV.UK Frontend's stylesheet, compiled with a system font stack and no
/// image URLs.
pub const GOVUK_FRONTEND_CSS: &str = include_str!("../assets/govuk-frontend/govuk-frontend.min.css");

/// GOV.UK Frontend's script, an ES module: a page loads it with
/// `<script type="module">` and calls its `initAll()`.
pub const GOVUK_FRONTEND_JS: &str = include_str!("../assets/govuk-frontend/govuk-frontend.min.js");

/// GOV.UK Frontend's MIT licence, to serve beside the files it covers.
pub const GOVUK_FRONTEND_LICENCE: &str = include_str!("../assets/govuk-frontend/LICENCE.txt");
