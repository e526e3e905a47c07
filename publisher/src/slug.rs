//! URL slugs: lowercase ASCII words joined by hyphens, made unique within a
//! section in a fixed order so the same records always get the same URLs.

/// `text` as a slug: ASCII letters and digits, lowercased, other runs as one
/// hyphen; `item` if nothing is left.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(slug.trim_end_matches('-').len());
    if slug.is_empty() { "item".to_owned() } else { slug }
}

/// Hands out unique slugs within one section: a repeat gets `-2`, `-3`, ...
#[derive(Debug, Default)]
pub struct Slugs {
    // Hashed, not ordered: a site has thousands of slugs sharing long prefixes.
    taken: foldhash::HashSet<String>,
}

impl Slugs {
    /// A set that already holds `reserved` (e.g. the site's section names).
    pub fn reserving(reserved: &[&str]) -> Self {
        Self { taken: reserved.iter().map(|s| (*s).to_owned()).collect() }
    }

    /// A unique slug for `wanted` (already slug-shaped or not).
    pub fn claim(&mut self, wanted: &str) -> String {
        self.claim_slug(&slugify(wanted))
    }

    /// A unique slug for `base`, which [`slugify`] made.
    pub fn claim_slug(&mut self, base: &str) -> String {
        let mut slug = base.to_owned();
        let mut n = 2;
        while self.taken.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(slug.clone());
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert_eq!(slugify("Oppose the Library Closure!"), "oppose-the-library-closure");
        assert_eq!(slugify("  Cllr. Rokhsana Fiaz OBE "), "cllr-rokhsana-fiaz-obe");
        assert_eq!(slugify("???"), "item");
    }

    #[test]
    fn a_repeated_slug_gets_a_number_and_reserved_ones_are_never_given() {
        let mut slugs = Slugs::reserving(&["news"]);
        assert_eq!(slugs.claim("News"), "news-2");
        assert_eq!(slugs.claim("About us"), "about-us");
        assert_eq!(slugs.claim("About us"), "about-us-2");
    }
}
