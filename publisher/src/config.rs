//! The site folder's `config.toml`: what the site owner sets, checked before
//! anything is built (a base URL that parses, colours readable against each
//! other at WCAG 2.2 AA's 4.5:1).

use std::path::Path;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

/// The minimum contrast ratio for normal text (WCAG 2.2 SC 1.4.3, level AA).
pub const MINIMUM_CONTRAST: f64 = 4.5;

/// A site's configuration.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's title.
    pub title: String,
    /// Where the site is served, e.g. `https://example.org` (no trailing slash needed).
    pub base_url: String,
    /// One sentence about the group, for the home page and feeds.
    #[serde(default)]
    pub description: String,
    /// The content's language as a BCP 47 tag.
    #[serde(default = "default_language")]
    pub language: String,
    /// The group the site is for.
    pub group: GroupConfig,
    /// The theme's colours.
    #[serde(default)]
    pub colours: Colours,
    /// Links to the group's social accounts, in the order shown.
    #[serde(default)]
    pub social: Vec<SocialLink>,
    /// Articles per page of a news or press list.
    #[serde(default = "default_per_page")]
    pub per_page: usize,
    /// The transparency page's settings.
    #[serde(default)]
    pub transparency: Transparency,
    /// The council's time zone (an IANA name): meeting times are shown in it.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// The api's enquiry form endpoint (`https://<api>/forms/<group>/enquiries`):
    /// when set, each councillor's page carries a plain HTML form residents
    /// can ask their ward's councillors for help with.
    #[serde(default)]
    pub enquiry_form: Option<String>,
}

/// How the site's signed checkpoint is checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Transparency {
    /// The group's public verifier key (`name+id+key`, what `caucus audit-key`
    /// prints): the checkpoint is published only if signed by it.
    /// `--verifier-key` overrides it.
    pub verifier_key: Option<String>,
}

/// The group the site is for.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    /// The group's id in the store.
    pub id: String,
    /// The group's name as shown.
    pub name: String,
}

/// Colours as `#rrggbb`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    /// Body text.
    pub text: String,
    /// Page background.
    pub background: String,
    /// Links and the header band.
    pub accent: String,
    /// Text on the header band.
    pub on_accent: String,
}

impl Default for Colours {
    fn default() -> Self {
        Self {
            text: "#1b1b1b".into(),
            background: "#ffffff".into(),
            accent: "#a3002b".into(),
            on_accent: "#ffffff".into(),
        }
    }
}

/// A link to one of the group's social accounts.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SocialLink {
    /// The network's name, e.g. `Mastodon`.
    pub name: String,
    /// The account's URL.
    pub url: String,
}

fn default_language() -> String {
    "en-GB".into()
}

pub(crate) fn default_time_zone() -> String {
    "Europe/London".to_owned()
}

fn default_per_page() -> usize {
    10
}

impl SiteConfig {
    /// Reads and checks `<site>/config.toml`.
    pub fn load(site: &Path) -> anyhow::Result<Self> {
        let path = site.join("config.toml");
        let raw =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let config: Self =
            toml::from_str(&raw).with_context(|| format!("{} is not valid", path.display()))?;
        config.check()?;
        Ok(config)
    }

    /// The council's time zone.
    pub fn zone(&self) -> anyhow::Result<chrono_tz::Tz> {
        self.time_zone
            .parse()
            .map_err(|_| anyhow::anyhow!("time_zone {:?} is not an IANA time zone name", self.time_zone))
    }

    /// Refuses a configuration the site could not be built from, or one whose
    /// colours are too faint to read.
    pub fn check(&self) -> anyhow::Result<()> {
        self.zone()?;
        if !(self.base_url.starts_with("https://") || self.base_url.starts_with("http://")) {
            bail!("base_url must be an http(s) URL, not {:?}", self.base_url);
        }
        if let Some(form) = &self.enquiry_form
            && !(form.starts_with("https://") || form.starts_with("http://"))
        {
            bail!("enquiry_form must be an http(s) URL, not {form:?}");
        }
        if self.per_page == 0 {
            bail!("per_page must be at least 1");
        }
        let c = &self.colours;
        for (what, fore, back) in [
            ("text on background", &c.text, &c.background),
            ("links (accent) on background", &c.accent, &c.background),
            ("on_accent on accent", &c.on_accent, &c.accent),
        ] {
            let ratio = contrast(parse_colour(fore)?, parse_colour(back)?);
            if ratio < MINIMUM_CONTRAST {
                bail!(
                    "colours: {what} ({fore} on {back}) has a contrast of {ratio:.2}:1, \
                     below WCAG AA's {MINIMUM_CONTRAST}:1"
                );
            }
        }
        Ok(())
    }

    /// The base URL without a trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

/// `#rrggbb` as red, green, blue.
fn parse_colour(hex: &str) -> anyhow::Result<[u8; 3]> {
    let digits = hex.strip_prefix('#').filter(|d| d.len() == 6 && d.chars().all(|c| c.is_ascii_hexdigit()));
    let Some(digits) = digits else { bail!("colour {hex:?} is not of the form #rrggbb") };
    let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).context("hex digits");
    Ok([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG 2.2's relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG 2.2's contrast ratio, 1 to 21.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(colours: Colours) -> SiteConfig {
        SiteConfig {
            title: "T".into(),
            base_url: "https://example.org/".into(),
            description: String::new(),
            language: default_language(),
            group: GroupConfig { id: "g".into(), name: "G".into() },
            colours,
            social: Vec::new(),
            per_page: 10,
            transparency: Transparency::default(),
            time_zone: default_time_zone(),
            enquiry_form: None,
        }
    }

    #[test]
    fn an_unknown_time_zone_is_refused_by_name() {
        let mut bad = config(Colours::default());
        bad.time_zone = "Europe/Newham".into();
        let error = bad.check().expect_err("refused").to_string();
        assert!(error.contains("Europe/Newham"), "{error}");
    }

    #[test]
    fn contrast_matches_the_wcag_reference_values() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast([0x77, 0x77, 0x77], [255, 255, 255]) - 4.48).abs() < 0.01);
    }

    #[test]
    fn the_default_colours_pass_and_faint_ones_are_refused() {
        assert!(config(Colours::default()).check().is_ok());
        let faint = Colours { accent: "#ff8080".into(), ..Colours::default() };
        let error = config(faint).check().expect_err("faint links refused").to_string();
        assert!(error.contains("links (accent) on background"), "{error}");
    }

    #[test]
    fn a_malformed_colour_is_refused() {
        let bad = Colours { text: "black".into(), ..Colours::default() };
        assert!(config(bad).check().is_err());
    }

    #[test]
    fn an_enquiry_form_must_be_an_http_url() {
        let mut site = config(Colours::default());
        site.enquiry_form = Some("javascript:alert(1)".into());
        assert!(site.check().expect_err("refused").to_string().contains("enquiry_form"));
        site.enquiry_form = Some("https://api.example/forms/g/enquiries".into());
        assert!(site.check().is_ok());
    }
}
