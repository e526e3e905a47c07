//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitises. Whatever
//! a press release's author typed, no script, event handler or `javascript:`
//! URL reaches the site. Headings are moved one level down, because the page
//! title is the page's only `h1`.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// `markdown` rendered and sanitised.
pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: demote(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    ammonia::Builder::default().url_schemes(["http", "https", "mailto"].into()).clean(&html).to_string()
}

/// Plain text in paragraphs, as HTML: for records stored as plain text.
pub fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect()
}

/// `text` with HTML's five special characters escaped (also right for XML).
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
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
    escaped
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
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
