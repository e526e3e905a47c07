//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitises. Whatever
//! a press release's author typed, no script, event handler or `javascript:`
//! URL reaches the site. Headings are placed below the page title, the page's
//! only `h1`, and never skip a level (WCAG 1.3.1: the outline a screen reader
//! user navigates by), whichever levels the author typed. Footnotes keep their
//! links, under ids that cannot clash with the theme's.

use std::borrow::Cow;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// `markdown` rendered and sanitised.
pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let levels = outline(&events);
    let mut heading = levels.into_iter();
    let mut current = HeadingLevel::H2;
    let events = events.into_iter().map(|event| match event {
        Event::Start(Tag::Heading { id, classes, attrs, .. }) => {
            current = heading.next().unwrap_or(HeadingLevel::H2);
            Event::Start(Tag::Heading { level: current, id, classes, attrs })
        }
        Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Heading(current)),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        // Footnotes link to their definition by id. Ids the author wrote get a
        // prefix, and so do the links to them, so that none can take an id of
        // the theme's (`#content`, the skip link's target).
        .add_tag_attributes("div", ["id"])
        .id_prefix(Some(NOTE_PREFIX))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("a", "href") if value.starts_with('#') => Some(format!("#{NOTE_PREFIX}{}", &value[1..]).into()),
            _ => Some(value.into()),
        })
        .clean(&html)
        .to_string()
}

/// What every id in a Markdown body starts with.
const NOTE_PREFIX: &str = "note-";

/// Plain text in paragraphs, as HTML: for records stored as plain text.
pub fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect()
}

/// `text` with HTML's five special characters escaped (also right for XML);
/// borrowed when it has none, as a slug or a URL mostly has not.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// The level each heading in `events` is rendered at: the author's top level
/// becomes `h2`, the rest keep their depth below it, but none is more than one
/// level below the heading before it (`#`, `###` give `h2`, `h3`).
fn outline(events: &[Event]) -> Vec<HeadingLevel> {
    let typed: Vec<usize> = events
        .iter()
        .filter_map(|event| match event {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .collect();
    let top = typed.iter().copied().min().unwrap_or(1);
    let mut previous = 1;
    typed
        .into_iter()
        .map(|level| {
            previous = (level - top + 2).min(previous + 1).min(6);
            HeadingLevel::try_from(previous).expect("a level from 2 to 6")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html_with_headings_below_the_page_title() {
        let html = to_safe_html("# Library\n\nWe **oppose** the [closure](https://example.org/a).");
        assert!(html.contains("<h2>Library</h2>"), "{html}");
        assert!(html.contains("<strong>oppose</strong>"), "{html}");
        assert!(html.contains("href=\"https://example.org/a\""), "{html}");
    }

    #[test]
    fn headings_start_below_the_title_and_never_skip_a_level() {
        let levels = |markdown: &str| -> Vec<String> {
            let html = to_safe_html(markdown);
            html.match_indices("<h").map(|(i, _)| html[i + 1..i + 3].to_owned()).collect()
        };
        assert_eq!(levels("## What residents said\n\nText.\n\n### Stratford"), ["h2", "h3"]);
        assert_eq!(levels("# A\n\n#### B\n\n## C\n\n### D"), ["h2", "h3", "h3", "h4"]);
        assert_eq!(levels("### Only\n\n### Minor"), ["h2", "h2"]);
        assert_eq!(
            levels("# 1\n\n## 2\n\n### 3\n\n#### 4\n\n##### 5\n\n###### 6"),
            ["h2", "h3", "h4", "h5", "h6", "h6"]
        );
    }

    #[test]
    fn a_footnote_links_to_its_definition_and_no_id_can_be_the_themes() {
        let html = to_safe_html("Provisional[^1].\n\n[^1]: Until the budget is set.\n\n[skip](#content)");
        assert!(html.contains("<a href=\"#note-1\""), "{html}");
        assert!(html.contains("<div id=\"note-1\">"), "{html}");
        assert!(html.contains("href=\"#note-content\""), "{html}");
        let raw = to_safe_html("<div id=\"content\">Mine</div>");
        assert!(raw.contains("<div id=\"note-content\">"), "{raw}");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_never_survive() {
        let hostile = "Hello <script>alert('x')</script>\n\n\
            <img src=\"x.png\" onerror=\"alert(1)\" alt=\"a\">\n\n\
            [click](javascript:alert(2)) <a href=\"javascript:alert(3)\">me</a>\n\n\
            <iframe src=\"https://evil.example\"></iframe><style>body{}</style>";
        let html = to_safe_html(hostile).to_lowercase();
        for forbidden in ["<script", "alert(", "onerror", "javascript:", "<iframe", "<style"] {
            assert!(!html.contains(forbidden), "{forbidden} survived in {html}");
        }
        assert!(html.contains("<img src=\"x.png\""), "{html}");
    }

    #[test]
    fn plain_text_is_escaped_into_paragraphs() {
        assert_eq!(paragraphs("a <b>\n\nc"), "<p>a &lt;b&gt;</p>\n<p>c</p>\n");
    }
}
