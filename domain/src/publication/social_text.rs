//! How long a social post's text is, counted the way each network counts it,
//! and whether it fits. Pure functions: no I/O, no clock.
//!
//! - X: twitter-text's configuration v3 weighting. The text is NFC-normalised;
//!   code points in the ranges twitter-text weights 1 (Latin, Greek, Cyrillic,
//!   Hebrew, Arabic, ... up to U+10FF, and some punctuation) count 1, every
//!   other code point 2; an emoji (one grapheme cluster, however many code
//!   points: skin tones, ZWJ families, flags, keycaps) counts 2; every URL,
//!   with or without a scheme, counts 23 (t.co's length). Limit 280. URLs are
//!   found by linkify, which accepts any alphabetic top-level domain where
//!   twitter-text checks its list of real ones: a run-on sentence like
//!   `end.Next` may count as a URL here and not there (23 either way errs long).
//! - Bluesky: grapheme clusters of the text as written, links included. 300.
//! - Mastodon: grapheme clusters, with each `http(s)://` URL counting 23 and a
//!   remote mention `@user@example.social` counting as `@user` (what the
//!   server's `StatusLengthValidator` does). 500 by default; instances raise it,
//!   so the limit is configuration ([`SocialLimits`]).
//! - LinkedIn (3,000) and Facebook (63,206): Unicode characters.

use linkify::{LinkFinder, LinkKind};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::aggregate::Network;

/// What every URL counts as on X and Mastodon (the length of a t.co link).
pub const URL_LENGTH: usize = 23;
/// X's limit in weighted characters.
pub const X_MAX: usize = 280;
/// Bluesky's limit in graphemes.
pub const BLUESKY_MAX: usize = 300;
/// Mastodon's default limit (an instance may configure another).
pub const MASTODON_DEFAULT_MAX: usize = 500;
/// LinkedIn's limit for a post's commentary.
pub const LINKEDIN_MAX: usize = 3_000;
/// Facebook's limit for a post.
pub const FACEBOOK_MAX: usize = 63_206;

/// The code point ranges twitter-text's configuration v3 weights 1; every
/// other code point weighs 2.
const X_LIGHT_RANGES: [(u32, u32); 4] = [(0, 4351), (8192, 8205), (8208, 8223), (8242, 8247)];

/// The limits that vary by deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocialLimits {
    /// The Mastodon instance's maximum status length.
    pub mastodon_max_chars: usize,
}

impl Default for SocialLimits {
    fn default() -> Self {
        Self { mastodon_max_chars: MASTODON_DEFAULT_MAX }
    }
}

impl SocialLimits {
    /// The most `network` accepts, in its own units.
    pub fn max(&self, network: Network) -> usize {
        match network {
            Network::X => X_MAX,
            Network::Bluesky => BLUESKY_MAX,
            Network::Mastodon => self.mastodon_max_chars,
            Network::Linkedin => LINKEDIN_MAX,
            Network::Facebook => FACEBOOK_MAX,
        }
    }
}

/// A text longer than its network allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverLimit {
    /// The network.
    pub network: Network,
    /// The text's length as the network counts it.
    pub length: usize,
    /// The network's limit.
    pub max: usize,
}

impl OverLimit {
    /// By how much the text is over.
    pub fn over(&self) -> usize {
        self.length - self.max
    }
}

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} text is {} {} over the limit of {} ({} counted)",
            self.network.as_str(),
            self.over(),
            unit(self.network, self.over()),
            self.max,
            self.length
        )
    }
}

fn unit(network: Network, n: usize) -> &'static str {
    match (network, n) {
        (Network::X, 1) => "weighted character",
        (Network::X, _) => "weighted characters",
        (Network::Bluesky, 1) => "grapheme",
        (Network::Bluesky, _) => "graphemes",
        (_, 1) => "character",
        (_, _) => "characters",
    }
}

/// The length of `text` as `network` counts it.
pub fn length(network: Network, text: &str) -> usize {
    match network {
        Network::X => x_length(text),
        Network::Bluesky => text.graphemes(true).count(),
        Network::Mastodon => mastodon_length(text),
        Network::Linkedin | Network::Facebook => text.chars().count(),
    }
}

/// Whether `text` fits `network` under `limits`.
pub fn check(network: Network, text: &str, limits: &SocialLimits) -> Result<(), OverLimit> {
    let length = length(network, text);
    let max = limits.max(network);
    if length > max { Err(OverLimit { network, length, max }) } else { Ok(()) }
}

/// twitter-text v3's weighted length, in characters (weights 1 and 2).
fn x_length(text: &str) -> usize {
    let text: String = text.nfc().collect();
    let finder = url_finder(false);
    finder
        .spans(&text)
        .map(|span| match span.kind() {
            Some(LinkKind::Url) => URL_LENGTH,
            _ => span.as_str().graphemes(true).map(x_grapheme_weight).sum(),
        })
        .sum()
}

fn x_grapheme_weight(grapheme: &str) -> usize {
    // A multi-code-point emoji (ZWJ sequence, skin tone, flag, keycap) is one
    // emoji to twitter-text; a single code point falls through to its weight.
    if grapheme.chars().nth(1).is_some() && emojis::get(grapheme).is_some() {
        return 2;
    }
    grapheme.chars().map(x_char_weight).sum()
}

fn x_char_weight(c: char) -> usize {
    let code = u32::from(c);
    if X_LIGHT_RANGES.iter().any(|&(start, end)| (start..=end).contains(&code)) { 1 } else { 2 }
}

/// Mastodon's length: graphemes, URLs with a scheme as 23, remote mentions as
/// their local part.
fn mastodon_length(text: &str) -> usize {
    url_finder(true)
        .spans(text)
        .map(|span| match span.kind() {
            Some(LinkKind::Url) => URL_LENGTH,
            _ => without_mention_domains(span.as_str()).graphemes(true).count(),
        })
        .sum()
}

fn url_finder(must_have_scheme: bool) -> LinkFinder {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]).url_must_have_scheme(must_have_scheme);
    finder
}

/// Rewrites `@user@example.social` to `@user`, as Mastodon does before counting.
fn without_mention_domains(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let (before, from_at) = rest.split_at(at);
        out.push_str(before);
        let starts_word = before.chars().next_back().is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let user_len = from_at[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(from_at.len() - 1);
        let after_user = &from_at[1 + user_len..];
        let domain_len = after_user
            .strip_prefix('@')
            .map(|d| {
                d.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')).unwrap_or(d.len())
            })
            .unwrap_or(0);
        let domain = after_user.get(1..1 + domain_len).unwrap_or("").trim_end_matches('.');
        if starts_word && user_len > 0 && domain.contains('.') {
            out.push_str(&from_at[..1 + user_len]);
            rest = &after_user[1 + domain.len()..];
        } else {
            out.push('@');
            rest = &from_at[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_counts_one_per_character_on_x() {
        assert_eq!(length(Network::X, "Library saved!"), 14);
    }

    #[test]
    fn cjk_counts_two_per_character_on_x() {
        // Each CJK ideograph and kana is outside the weight-1 ranges.
        assert_eq!(length(Network::X, "図書館"), 6);
        assert_eq!(length(Network::X, "こんにちは"), 10);
        assert_eq!(length(Network::X, &"字".repeat(140)), 280);
        assert!(check(Network::X, &"字".repeat(141), &SocialLimits::default()).is_err());
    }

    #[test]
    fn every_emoji_counts_two_on_x_however_many_code_points() {
        assert_eq!(length(Network::X, "😀"), 2);
        assert_eq!(length(Network::X, "👍🏽"), 2, "skin tone");
        assert_eq!(length(Network::X, "👨\u{200D}👩\u{200D}👧"), 2, "ZWJ family");
        assert_eq!(length(Network::X, "🇬🇧"), 2, "flag");
        assert_eq!(length(Network::X, "❤\u{FE0F}"), 2, "variation selector");
        assert_eq!(length(Network::X, "1\u{FE0F}\u{20E3}"), 2, "keycap");
    }

    #[test]
    fn hashtags_and_digits_count_one_on_x() {
        assert_eq!(length(Network::X, "#Newham 2026"), 12);
    }

    #[test]
    fn every_url_counts_twenty_three_on_x_with_or_without_a_scheme() {
        let long = "https://www.newham.gov.uk/council-meetings/full-council-2026-03-02/agenda";
        assert_eq!(length(Network::X, long), 23);
        assert_eq!(length(Network::X, "see newhamlabour.org.uk"), 4 + 23);
        assert_eq!(length(Network::X, "a https://x.co b"), 2 + 23 + 2);
    }

    #[test]
    fn x_normalises_to_nfc_before_counting() {
        // e + combining acute is one NFC character.
        assert_eq!(length(Network::X, "cafe\u{0301}"), 4);
    }

    #[test]
    fn x_limit_is_exact_at_280() {
        let limits = SocialLimits::default();
        assert!(check(Network::X, &"a".repeat(280), &limits).is_ok());
        let over = check(Network::X, &"a".repeat(283), &limits).expect_err("over");
        assert_eq!((over.length, over.max, over.over()), (283, 280, 3));
        assert_eq!(
            over.to_string(),
            "the x text is 3 weighted characters over the limit of 280 (283 counted)"
        );
    }

    #[test]
    fn bluesky_counts_graphemes_and_links_as_written() {
        assert_eq!(length(Network::Bluesky, "👨\u{200D}👩\u{200D}👧 図書館"), 5);
        let url = "https://newhamlabour.org.uk/news/2026/library";
        assert_eq!(length(Network::Bluesky, url), url.len());
        assert!(check(Network::Bluesky, &"😀".repeat(300), &SocialLimits::default()).is_ok());
        let over = check(Network::Bluesky, &"😀".repeat(301), &SocialLimits::default()).expect_err("over");
        assert_eq!(over.over(), 1);
        assert_eq!(over.to_string(), "the bluesky text is 1 grapheme over the limit of 300 (301 counted)");
    }

    #[test]
    fn mastodon_counts_urls_as_twenty_three_and_mentions_without_their_domain() {
        let text = "Thanks @alice@mastodon.social! https://newhamlabour.org.uk/news/2026/03/library-saved";
        assert_eq!(length(Network::Mastodon, text), "Thanks @alice! ".len() + 23);
        // Without a scheme it is text to Mastodon.
        assert_eq!(length(Network::Mastodon, "newham.gov.uk"), 13);
        // A local mention and an email address are left as written.
        assert_eq!(length(Network::Mastodon, "@bob hi"), 7);
        assert_eq!(length(Network::Mastodon, "mail a@b.org"), 12);
    }

    #[test]
    fn mastodon_limit_is_configurable() {
        let text = "a".repeat(600);
        assert!(check(Network::Mastodon, &text, &SocialLimits::default()).is_err());
        assert!(check(Network::Mastodon, &text, &SocialLimits { mastodon_max_chars: 1_000 }).is_ok());
    }

    #[test]
    fn linkedin_and_facebook_count_characters() {
        let limits = SocialLimits::default();
        assert!(check(Network::Linkedin, &"é".repeat(3_000), &limits).is_ok());
        assert_eq!(check(Network::Linkedin, &"é".repeat(3_001), &limits).map_err(|o| o.over()), Err(1));
        assert!(check(Network::Facebook, &"a".repeat(63_206), &limits).is_ok());
        assert_eq!(check(Network::Facebook, &"a".repeat(63_210), &limits).map_err(|o| o.over()), Err(4));
    }
}
