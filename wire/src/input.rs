//! A request's fields as a client sends them, each documented by the rule
//! the api checks it by: the schema is made from the domain type the field
//! becomes (its bounds, its pattern), so the document and the check cannot
//! disagree. A field stays unchecked until [`crate::Fields::check`] turns it
//! into that type, so one request can name every invalid field at once.

use std::borrow::Cow;

use caucus_domain::{BoundedText, TEXT_PATTERN, TextError};
use serde::{Deserialize, Serialize};
use utoipa::{
    PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};

/// A field checked by a domain rule.
pub trait Input {
    /// What it becomes once checked.
    type Value;
    /// Why it can be refused.
    type Error: std::fmt::Display;
    /// Checks it.
    fn parse(&self) -> Result<Self::Value, Self::Error>;
}

/// The schema of [`BoundedText::<MAX>`]: at most `MAX` characters, not blank,
/// no control characters but tabs and line breaks.
fn text_schema(max: usize, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(format!(
            "{description}: at most {max} characters, not blank, no control characters but tabs \
             and line breaks; surrounding white space is trimmed."
        )))
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(TEXT_PATTERN))
        .into()
}

/// Declares an unchecked text field that becomes a [`BoundedText`].
macro_rules! text_input {
    ($(#[$meta:meta])* $name:ident => $max:literal, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl<T: Into<String>> From<T> for $name {
            fn from(text: T) -> Self {
                Self(text.into())
            }
        }

        impl Input for $name {
            type Value = BoundedText<$max>;
            type Error = TextError;
            fn parse(&self) -> Result<Self::Value, TextError> {
                BoundedText::parse(&self.0)
            }
        }

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                text_schema(BoundedText::<$max>::MAX, $what)
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

text_input!(
    /// A title or name, one line (becomes a [`caucus_domain::Title`]).
    TitleText => 200, "A title or name"
);
text_input!(
    /// A short note or reason (becomes a [`caucus_domain::Note`]).
    NoteText => 2_000, "A note or reason"
);
text_input!(
    /// A document's text: a decision, a biography, a body (becomes a
    /// [`caucus_domain::LongText`]).
    DocumentText => 50_000, "A document's text"
);
text_input!(
    /// A publication's summary (becomes a `publication::Summary`).
    SummaryText => 500, "A summary"
);
text_input!(
    /// A tag (becomes a `publication::Tag`).
    TagText => 50, "A tag"
);
text_input!(
    /// What an image shows, for screen readers.
    AltText => 300, "An image's alternative text"
);
text_input!(
    /// A social post's text for one network (its length is checked against
    /// the network's own limit at submission).
    SocialText => 100_000, "A social post's text"
);

/// A publication's tags: at most [`caucus_domain::publication::MAX_TAGS`],
/// each a tag; repeats are dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tags(pub Vec<TagText>);

impl Input for Tags {
    type Value = Vec<String>;
    type Error = caucus_domain::publication::ContentError;
    fn parse(&self) -> Result<Vec<String>, Self::Error> {
        let raw: Vec<String> = self.0.iter().map(|t| t.0.clone()).collect();
        caucus_domain::publication::parse_tags(&raw)
    }
}

impl PartialSchema for Tags {
    fn schema() -> RefOr<Schema> {
        utoipa::openapi::schema::ArrayBuilder::new()
            .items(TagText::schema())
            .max_items(Some(caucus_domain::publication::MAX_TAGS))
            .description(Some(format!(
                "At most {} tags; repeats are dropped.",
                caucus_domain::publication::MAX_TAGS
            )))
            .into()
    }
}

impl ToSchema for Tags {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Tags")
    }
}

/// An image's address as a client sends it: checked with its alternative
/// text by `publication::ImageRef::parse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImageUrlText(pub String);

impl PartialSchema for ImageUrlText {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!(
                "An absolute http(s) URL, or a path on the site (`/images/library.jpg`): at most {} characters, no white space.",
                caucus_domain::publication::IMAGE_URL_MAX
            )))
            .max_length(Some(caucus_domain::publication::IMAGE_URL_MAX))
            .pattern(Some(caucus_domain::publication::IMAGE_URL_PATTERN))
            .into()
    }
}

impl ToSchema for ImageUrlText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ImageUrlText")
    }
}

/// Declares an unchecked text field that becomes a domain value by its own
/// parser, documented by the domain's pattern and length.
macro_rules! pattern_input {
    ($(#[$meta:meta])* $name:ident => $domain:ty, $error:ty, $max:expr, $pattern:expr, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl<T: Into<String>> From<T> for $name {
            fn from(text: T) -> Self {
                Self(text.into())
            }
        }

        impl Input for $name {
            type Value = $domain;
            type Error = $error;
            fn parse(&self) -> Result<$domain, $error> {
                <$domain>::parse(&self.0)
            }
        }

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some(format!("{}: at most {} characters.", $what, $max)))
                    .max_length(Some($max))
                    .pattern(Some($pattern))
                    .into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

pattern_input!(
    /// An email address (becomes a `member::Email`; personal data).
    EmailText => caucus_domain::member::Email, caucus_domain::member::EmailError,
    caucus_domain::member::EMAIL_MAX, caucus_domain::member::EMAIL_PATTERN,
    "An email address: one @ with text either side, no white space"
);
pattern_input!(
    /// A stored file's name (becomes a `FileName`).
    FileNameText => caucus_domain::FileName, caucus_domain::FileNameError,
    caucus_domain::Title::MAX, caucus_domain::FILE_NAME_PATTERN,
    "A file name, without folders"
);
pattern_input!(
    /// A publication's page name (becomes a `publication::Slug`).
    SlugText => caucus_domain::publication::Slug, caucus_domain::publication::ContentError,
    caucus_domain::publication::SLUG_MAX, caucus_domain::publication::SLUG_PATTERN,
    "A page's URL name: lowercase letters and digits in groups joined by single hyphens"
);
pattern_input!(
    /// An `https://` URL of a photo (becomes a `member::PhotoUrl`).
    PhotoUrlText => caucus_domain::member::PhotoUrl, caucus_domain::member::PhotoUrlError,
    caucus_domain::member::PHOTO_URL_MAX, caucus_domain::member::PHOTO_URL_PATTERN,
    "An https:// URL, no white space"
);

/// A number outside the range a field allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    /// The least allowed.
    pub min: i64,
    /// The most allowed.
    pub max: i64,
}

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "must be between {} and {}", self.min, self.max)
    }
}

/// Declares an unchecked whole number field that becomes a `$int` within
/// `$min..=$max`, the bounds being the domain's own constants.
macro_rules! number_input {
    ($(#[$meta:meta])* $name:ident => $int:ty, $min:expr, $max:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl Input for $name {
            type Value = $int;
            type Error = OutOfRange;
            fn parse(&self) -> Result<$int, OutOfRange> {
                let range = OutOfRange { min: ($min).into(), max: ($max).into() };
                if (range.min..=range.max).contains(&self.0) {
                    <$int>::try_from(self.0).map_err(|_| range)
                } else {
                    Err(range)
                }
            }
        }

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(i64::from($min)))
                    .maximum(Some(i64::from($max)))
                    .into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

pub(crate) use number_input;

number_input!(
    /// How much of a decision's implementation is done, in percent.
    PercentComplete => u8, 0u8, caucus_domain::decision::MAX_PERCENT_COMPLETE
);
number_input!(
    /// How many seats the group fills on a body.
    Seats => u16, 1u16, caucus_domain::body::MAX_SEATS
);

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;

    /// The pattern the schema states accepts exactly what the domain accepts
    /// (the length aside, which the schema states as `maxLength`).
    #[test]
    fn the_documented_pattern_is_the_domain_rule() {
        let pattern = Regex::new(TEXT_PATTERN).expect("a valid pattern");
        let samples = [
            "Budget",
            "  Budget  ",
            "line one\nline two",
            "tab\there",
            " ",
            "",
            "\n\t",
            "a\u{0007}b",
            "\u{0085}",
            "x\u{0085}",
            "\u{00A0}",
            "\u{3000}x",
            "\u{2028}",
            "é",
            "\u{FEFF}",
            "\u{200B}",
            "\r\n",
            "\u{009F}z",
            "z\u{007F}",
        ];
        for sample in samples {
            assert_eq!(
                pattern.is_match(sample),
                TitleText::from(sample).parse().is_ok(),
                "{sample:?}: the pattern and the domain disagree"
            );
        }
    }

    #[test]
    fn a_number_is_checked_against_the_bounds_it_documents() {
        assert_eq!(PercentComplete(100).parse(), Ok(100));
        assert_eq!(PercentComplete(101).parse(), Err(OutOfRange { min: 0, max: 100 }));
        assert_eq!(Seats(0).parse().map_err(|e| e.to_string()), Err("must be between 1 and 100".into()));
        let schema = serde_json::to_value(Seats::schema()).expect("json");
        assert_eq!((schema["minimum"].as_f64(), schema["maximum"].as_f64()), (Some(1.0), Some(100.0)));
    }

    #[test]
    fn the_documented_email_and_photo_patterns_are_the_domain_rules() {
        let email = Regex::new(caucus_domain::member::EMAIL_PATTERN).expect("pattern");
        for sample in
            ["a@b", " pat@example.org ", "a@b@c", "@b", "a@", "a b@c", "a\u{0007}@b", "a@\u{00A0}b", ""]
        {
            assert_eq!(email.is_match(sample), EmailText::from(sample).parse().is_ok(), "{sample:?}");
        }
        let photo = Regex::new(caucus_domain::member::PHOTO_URL_PATTERN).expect("pattern");
        for sample in
            ["https://x", " https://example.org/a.jpg\n", "https://", "http://x", "https://a b", "xhttps://a"]
        {
            assert_eq!(photo.is_match(sample), PhotoUrlText::from(sample).parse().is_ok(), "{sample:?}");
        }
    }

    #[test]
    fn the_documented_slug_and_image_patterns_are_the_domain_rules() {
        let file = Regex::new(caucus_domain::FILE_NAME_PATTERN).expect("pattern");
        for sample in ["budget.pdf", " budget.pdf ", "a/b.pdf", "a\\b", "", " ", "x\u{0007}"] {
            assert_eq!(file.is_match(sample), FileNameText::from(sample).parse().is_ok(), "{sample:?}");
        }
        let slug = Regex::new(caucus_domain::publication::SLUG_PATTERN).expect("pattern");
        for sample in ["library-saved", "a", "2026", "-a", "a-", "a--b", "A", "a b", "", "é"] {
            assert_eq!(slug.is_match(sample), SlugText::from(sample).parse().is_ok(), "{sample:?}");
        }
        let image = Regex::new(caucus_domain::publication::IMAGE_URL_PATTERN).expect("pattern");
        for sample in [
            "https://example.org/a.jpg",
            " /images/a.jpg ",
            "/",
            "//cdn.example/a.jpg",
            "http://",
            "https:///x",
            "ftp://x/y",
            "images/a.jpg",
            "/a b.jpg",
            "https://a\u{0007}b",
            "/a\u{0007}b",
            "https://é.example/x",
        ] {
            let parsed = caucus_domain::publication::ImageRef::parse(sample, "An image").is_ok();
            assert_eq!(image.is_match(sample), parsed, "{sample:?}");
        }
    }

    #[test]
    fn the_schema_states_the_bounds() {
        let schema = serde_json::to_value(TitleText::schema()).expect("json");
        assert_eq!(schema["maxLength"], 200);
        assert_eq!(schema["minLength"], 1);
        assert_eq!(schema["pattern"], TEXT_PATTERN);
    }
}
