//! How values read on a page: wire enums in words, days and times as GOV.UK
//! writes them (times in London), statuses as GOV.UK tags.

use serde::Serialize;

/// A wire enum's value as a person reads it: `awaiting_response` is
/// "Awaiting response".
pub fn words(value: impl Serialize) -> String {
    sentence(&wire_word(value).replace('_', " "))
}

/// A wire enum's value as the api spells it (`awaiting_response`), for a
/// query string or a form field's value.
pub fn wire_word(value: impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// `text` with a capital letter: an api message (lower case, as its errors
/// are) made a sentence on a page.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A day as GOV.UK writes dates: "6 December 2026".
pub fn long_date(day: chrono::NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

/// A time of day as GOV.UK writes times: "9am", "6:30pm", "midday",
/// "midnight".
pub fn time_of_day(time: chrono::NaiveTime) -> String {
    use chrono::Timelike as _;
    match (time.hour(), time.minute()) {
        (0, 0) => "midnight".into(),
        (12, 0) => "midday".into(),
        (hour, minute) => {
            let suffix = if hour < 12 { "am" } else { "pm" };
            let hour = match hour % 12 {
                0 => 12,
                h => h,
            };
            if minute == 0 { format!("{hour}{suffix}") } else { format!("{hour}:{minute:02}{suffix}") }
        }
    }
}

/// An instant as it reads in the office, in London's time (GMT or BST):
/// "Tuesday 8 December 2026 at 6:30pm".
pub fn london_time(at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::London);
    format!("{} {} at {}", local.format("%A"), long_date(local.date_naive()), time_of_day(local.time()))
}

/// When something runs, in London's time: its start, then its end (only the
/// time of day when it ends the same day).
pub fn london_span(
    starts: chrono::DateTime<chrono::Utc>,
    ends: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    let from = london_time(starts);
    match ends {
        Some(end) if london_day(end) == london_day(starts) => {
            format!("{from} to {}", time_of_day(end.with_timezone(&chrono_tz::Europe::London).time()))
        }
        Some(end) => format!("{from} to {}", london_time(end)),
        None => from,
    }
}

/// The day an instant falls on in London.
pub fn london_day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    at.with_timezone(&chrono_tz::Europe::London).date_naive()
}

/// The last instant of a day in London: the day "as it stood on" it ends.
pub fn london_day_end(day: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone as _;
    let next = day.succ_opt().unwrap_or(day).and_time(chrono::NaiveTime::MIN);
    // Midnight is never skipped or repeated in London: clocks change at 1am and 2am.
    let start = chrono_tz::Europe::London
        .from_local_datetime(&next)
        .earliest()
        .map_or_else(|| next.and_utc(), |at| at.with_timezone(&chrono::Utc));
    start - chrono::Duration::microseconds(1)
}

/// A name in camel case as words: `MemberProfileUpdated` is "Member profile
/// updated".
pub fn camel_words(name: &str) -> String {
    let mut spaced = String::with_capacity(name.len() + 8);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            spaced.push(' ');
        }
        spaced.extend(c.to_lowercase());
    }
    sentence(&spaced)
}

/// A text as paragraphs (split at blank lines), each a list of lines.
pub fn paragraphs(text: &str) -> Vec<Vec<String>> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.lines().map(str::to_owned).collect::<Vec<_>>())
        .filter(|p| p.iter().any(|l| !l.trim().is_empty()))
        .collect()
}

/// A GOV.UK tag reading `text` in `colour` (a `govuk-tag--*` class), as
/// HTML for a table cell.
pub fn tag_html(text: &str, colour: &str) -> String {
    format!("<strong class=\"govuk-tag {colour}\">{}</strong>", tera::escape_html(text))
}

/// A status as a GOV.UK tag, as HTML, in the words and colour its enum's
/// `words` function spells it (each enum's words are in one place).
pub fn status_tag<S>(status: S, words: fn(S) -> (&'static str, &'static str)) -> String {
    let (text, colour) = words(status);
    tag_html(text, colour)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wire_value_reads_as_words_with_a_capital() {
        assert_eq!(words("awaiting_response"), "Awaiting response");
        assert_eq!(words(""), "");
        assert_eq!(long_date(chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("day")), "6 December 2026");
        assert_eq!(wire_word("press_release"), "press_release");
        assert_eq!(sentence("the x text is over"), "The x text is over");
        assert_eq!(camel_words("MemberProfileUpdated"), "Member profile updated");
        assert_eq!(
            tag_html("<b>", "govuk-tag--red"),
            "<strong class=\"govuk-tag govuk-tag--red\">&lt;b&gt;</strong>"
        );
    }

    #[test]
    fn a_time_reads_in_london_as_govuk_writes_it() {
        let at = |text: &str| chrono::DateTime::parse_from_rfc3339(text).expect("time").to_utc();
        // British Summer Time: an hour ahead of UTC.
        assert_eq!(london_time(at("2026-06-09T17:30:00Z")), "Tuesday 9 June 2026 at 6:30pm");
        // Greenwich Mean Time in winter.
        assert_eq!(london_time(at("2026-12-08T19:00:00Z")), "Tuesday 8 December 2026 at 7pm");
        assert_eq!(london_time(at("2026-12-08T12:00:00Z")), "Tuesday 8 December 2026 at midday");
        assert_eq!(london_time(at("2026-06-09T23:00:00Z")), "Wednesday 10 June 2026 at midnight");
        assert_eq!(london_day(at("2026-06-09T23:30:00Z")).to_string(), "2026-06-10");
        assert_eq!(time_of_day(chrono::NaiveTime::from_hms_opt(9, 5, 0).expect("time")), "9:05am");
        let day = |text: &str| text.parse::<chrono::NaiveDate>().expect("day");
        assert_eq!(london_day_end(day("2026-06-09")).to_rfc3339(), "2026-06-09T22:59:59.999999+00:00");
        assert_eq!(london_day_end(day("2026-12-08")).to_rfc3339(), "2026-12-08T23:59:59.999999+00:00");
    }
}
