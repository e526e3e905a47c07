//! How values read on a page: wire enums in words, days as GOV.UK writes
//! them, statuses as GOV.UK tags.

use serde::Serialize;

/// A wire enum's value as a person reads it: `awaiting_response` is
/// "Awaiting response".
pub fn words(value: impl Serialize) -> String {
    let text =
        serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let text = text.replace('_', " ");
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A day as GOV.UK writes dates: "6 December 2026".
pub fn long_date(day: chrono::NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

/// A GOV.UK tag reading `text` in `colour` (a `govuk-tag--*` class), as
/// HTML for a table cell.
pub fn tag_html(text: &str, colour: &str) -> String {
    format!("<strong class=\"govuk-tag {colour}\">{}</strong>", tera::escape_html(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wire_value_reads_as_words_with_a_capital() {
        assert_eq!(words("awaiting_response"), "Awaiting response");
        assert_eq!(words(""), "");
        assert_eq!(long_date(chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("day")), "6 December 2026");
        assert_eq!(
            tag_html("<b>", "govuk-tag--red"),
            "<strong class=\"govuk-tag govuk-tag--red\">&lt;b&gt;</strong>"
        );
    }
}
