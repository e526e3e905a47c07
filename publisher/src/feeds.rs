//! Feeds and indexes: Atom (RFC 4287), JSON Feed 1.1, an ActivityStreams 2.0
//! outbox of the news stream, `sitemap.xml`, `robots.txt` and a JSON search
//! index. The feeds carry the newest [`FEED_LENGTH`] articles; the sitemap
//! and the search index carry every page.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use rayon::slice::ParallelSliceMut as _;
use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    config::SiteConfig,
    key::Key,
    markdown::escape,
    public::{Article, PublicSite},
    render::{ArticleSource, ArticleView, EventView, Job, MeetingView, iso},
};

/// How many articles a feed carries.
pub const FEED_LENGTH: usize = 50;

/// One `<url>` of the sitemap.
#[derive(Debug, Clone)]
pub struct SitemapEntry {
    /// The page's folder under the site root, e.g. `news/library/`.
    pub folder: String,
    /// When the page's content last changed, if it is one record's page.
    pub lastmod: Option<DateTime<Utc>>,
}

/// The feeds' `updated`: the newest article's last change or, with no
/// articles, the last change of anything public; never the build's clock.
fn last_change(site: &PublicSite, stream: &[&ArticleSource<'_>]) -> String {
    if let Some(newest) = stream.iter().map(|a| a.article.updated_at).max() {
        return iso(newest);
    }
    let times = site
        .decisions
        .iter()
        .map(|d| d.updated_at)
        .chain(site.councillors.iter().map(|c| c.updated_at))
        .chain(site.bodies.iter().map(|b| b.updated_at));
    iso(times.max().unwrap_or(DateTime::UNIX_EPOCH))
}

/// Every HTML page but the 404, by address, with the last change of those
/// that show one record.
pub fn sitemap_entries(jobs: &[Job<'_>]) -> Vec<SitemapEntry> {
    let mut entries: Vec<SitemapEntry> = jobs
        .iter()
        .filter_map(|job| {
            let folder = job.path.strip_suffix("index.html")?;
            Some(SitemapEntry { folder: folder.to_owned(), lastmod: job.changed })
        })
        .collect();
    // Every address is the base URL and the folder, so by folder is by URL.
    entries.par_sort_unstable_by(|a, b| a.folder.cmp(&b.folder));
    entries
}

/// The sitemap's key: each entry's folder and last change, read in place
/// (the sitemap of a large site is the biggest input of any file).
fn sitemap_key(entries: &[SitemapEntry]) -> Key {
    entries.iter().fold(Key::new("sitemap"), |key, entry| {
        let lastmod = entry.lastmod.map_or(i64::MIN, |at| at.timestamp_micros());
        key.text(&entry.folder).bytes(&lastmod.to_le_bytes())
    })
}

/// The feed and index files. `stream` is the news and press releases, newest first.
pub fn jobs<'a>(
    config: &'a SiteConfig,
    site: &'a PublicSite,
    stream: &[&'a ArticleSource<'a>],
    (meetings, events): (&'a [MeetingView], &'a [EventView]),
    sitemap: Vec<SitemapEntry>,
) -> Vec<Job<'a>> {
    let newest: Vec<&'a ArticleSource<'a>> = stream.iter().copied().take(FEED_LENGTH).collect();
    let updated = last_change(site, stream);
    let feed_key =
        |name: &str| newest.iter().fold(Key::new(name), |key, a| key.article(a.article)).text(&updated);
    let (atom_key, json_key, outbox_key) = (feed_key("atom"), feed_key("json feed"), feed_key("outbox"));
    let search_key = site
        .articles
        .iter()
        .fold(Key::new("search index"), |key, a| key.article(a))
        .json(&site.councillors)
        .json(&site.bodies)
        .json(&site.decisions)
        .json(meetings)
        .json(events);
    let sitemap_key = sitemap_key(&sitemap);
    let (json_newest, outbox_newest) = (newest.clone(), newest.clone());
    vec![
        Job::template("atom.xml", "atom.xml", atom_key, move || {
            let articles: Vec<&ArticleView> = newest.iter().map(|a| a.view()).collect();
            Ok(json!({ "articles": articles, "updated": updated }))
        }),
        Job::made("feed.json", json_key, move || {
            let articles: Vec<&ArticleView> = json_newest.iter().map(|a| a.view()).collect();
            pretty(&json_feed(config, &articles))
        }),
        Job::made("outbox.json", outbox_key, move || {
            let articles: Vec<&ArticleView> = outbox_newest.iter().map(|a| a.view()).collect();
            pretty(&outbox(config, &articles))
        }),
        Job::made("sitemap.xml", sitemap_key, move || Ok(sitemap_xml(config, &sitemap))),
        Job::bytes(
            "robots.txt",
            format!("User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n", config.base()).into(),
        ),
        // Compact: it lists every page, and is read by scripts, not people.
        Job::made("search_index.json", search_key, move || search_index(config, site, meetings, events)),
    ]
}

/// Pretty JSON with `<`, `>` and `&` written as `\u` escapes: the same data
/// to any JSON parser, but a page that pastes it into HTML cannot be made to
/// run a script by a title like `</script>`.
fn pretty(value: &impl Serialize) -> anyhow::Result<Vec<u8>> {
    let mut out = EscapeMarkup(Vec::new());
    serde_json::to_writer_pretty(&mut out, value)?;
    out.0.push(b'\n');
    Ok(out.0)
}

/// Writes JSON through, with `<`, `>` and `&` as `\u` escapes: in JSON text
/// these three only ever occur inside strings, where the escape means the same.
struct EscapeMarkup(Vec<u8>);

impl std::io::Write for EscapeMarkup {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        // Runs without markup are copied whole: the index of a large site is
        // megabytes, nearly all of it plain text.
        let mut rest = bytes;
        while let Some(at) = rest.iter().position(|b| matches!(b, b'<' | b'>' | b'&')) {
            self.0.extend_from_slice(&rest[..at]);
            self.0.extend_from_slice(match rest[at] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            });
            rest = &rest[at + 1..];
        }
        self.0.extend_from_slice(rest);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The sitemap (<https://www.sitemaps.org/protocol.html>), written directly
/// rather than through a template: it lists every page, so on a large site
/// it is the biggest file an incremental build rewrites.
fn sitemap_xml(config: &SiteConfig, entries: &[SitemapEntry]) -> Vec<u8> {
    let base = format!("{}/", config.base());
    let base = escape(&base);
    let mut xml = String::with_capacity(entries.len() * 120 + 128);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for entry in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&base);
        xml.push_str(&escape(&entry.folder));
        xml.push_str("</loc>\n");
        if let Some(lastmod) = entry.lastmod {
            xml.push_str("    <lastmod>");
            xml.push_str(&iso(lastmod));
            xml.push_str("</lastmod>\n");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>).
fn json_feed(config: &SiteConfig, articles: &[&ArticleView]) -> Value {
    let items: Vec<Value> = articles
        .iter()
        .map(|a| {
            let mut item = json!({
                "id": a.url,
                "url": a.url,
                "title": a.title,
                "content_html": a.body_html,
                "date_published": a.published_iso,
                "date_modified": a.updated_iso,
                "authors": [{ "name": a.author }],
                "tags": a.tags,
            });
            if !a.summary.is_empty() {
                item["summary"] = a.summary.clone().into();
            }
            if let Some(image) = &a.image {
                item["image"] = image.url.clone().into();
            }
            item
        })
        .collect();
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": format!("{}/", config.base()),
        "feed_url": format!("{}/feed.json", config.base()),
        "description": config.description,
        "language": config.language,
        "authors": [{ "name": config.group.name }],
        "items": items,
    })
}

/// An ActivityStreams 2.0 `OrderedCollection` of `Create` activities, one
/// per article, newest first: what a fediverse bridge would follow.
fn outbox(config: &SiteConfig, articles: &[&ArticleView]) -> Value {
    let actor = format!("{}/", config.base());
    let items: Vec<Value> = articles
        .iter()
        .map(|a| {
            json!({
                "id": format!("{}#create", a.url),
                "type": "Create",
                "actor": actor,
                "published": a.published_iso,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "object": {
                    "id": a.url,
                    "type": "Article",
                    "name": a.title,
                    "summary": a.summary,
                    "content": a.body_html,
                    "url": a.url,
                    "published": a.published_iso,
                    "updated": a.updated_iso,
                    "attributedTo": actor,
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                },
            })
        })
        .collect();
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/outbox.json", config.base()),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })
}

/// One entry of the search index: the page's folder under the site root
/// (its URL is the base and this) and the rest of its entry, as written.
struct SearchEntry<'a> {
    folder: Cow<'a, str>,
    rest: Cow<'a, [u8]>,
}

/// Text made of parts joined by spaces when written, empty parts left out.
struct Words<'a>(Vec<&'a str>);

impl std::fmt::Display for Words<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = self.0.iter().map(|part| part.trim()).filter(|part| !part.is_empty());
        if let Some(first) = parts.next() {
            f.write_str(first)?;
            for part in parts {
                f.write_str(" ")?;
                f.write_str(part)?;
            }
        }
        Ok(())
    }
}

/// A search index entry after its URL: `{"title":...,"kind":...,"text":...}`
/// in JSON with markup escaped (see [`EscapeMarkup`]). An article's is kept
/// with the article, so the index of a large site is mostly copied, not
/// written again, at each rebuild.
fn entry_rest(title: &str, kind: &str, text: &Words<'_>) -> Vec<u8> {
    #[derive(Serialize)]
    struct Rest<'r> {
        title: &'r str,
        kind: &'r str,
        text: std::fmt::Arguments<'r>,
    }
    let mut out = EscapeMarkup(Vec::new());
    // Plain strings into memory: serialising cannot fail.
    let _ = serde_json::to_writer(&mut out, &Rest { title, kind, text: format_args!("{text}") });
    out.0
}

/// Makes the parts of `article` that the index keeps with it (see
/// [`Article::derived`]) ahead of the build that needs them: a running
/// publisher does this while idle.
pub fn prepare(article: &Article) {
    article_entry_rest(article);
}

/// An article's entry after its URL.
fn article_entry_rest(article: &Article) -> &[u8] {
    article.derived.search_entry.get_or_init(|| {
        let mut words = vec![article.summary.as_str()];
        words.extend(article.tags.iter().map(String::as_str));
        entry_rest(&article.title, article.kind.as_str(), &Words(words))
    })
}

/// Whether `text` goes into a JSON string through [`EscapeMarkup`] unchanged:
/// no quote, backslash, control character or markup character.
fn is_plain(text: &str) -> bool {
    !text.bytes().any(|b| b < 0x20 || matches!(b, b'"' | b'\\' | b'<' | b'>' | b'&'))
}

/// Every public page's URL, title, kind and text, for a client-side search,
/// by URL: a compact JSON array of `{"url", "title", "kind", "text"}`.
fn search_index(
    config: &SiteConfig,
    site: &PublicSite,
    meetings: &[MeetingView],
    events: &[EventView],
) -> anyhow::Result<Vec<u8>> {
    let others =
        site.councillors.len() + site.bodies.len() + site.decisions.len() + meetings.len() + events.len();
    let mut entries: Vec<SearchEntry<'_>> = Vec::with_capacity(site.articles.len() + others);
    for a in &site.articles {
        entries
            .push(SearchEntry { folder: Cow::Borrowed(&a.path), rest: Cow::Borrowed(article_entry_rest(a)) });
    }
    // The other pages' entries are few (a group's members, bodies,
    // decisions, meetings and events) and made afresh.
    let mut owned: Vec<(String, Vec<u8>)> = Vec::with_capacity(others);
    for c in &site.councillors {
        let rest = entry_rest(&c.name, "councillor", &Words(vec![&c.ward]));
        owned.push((format!("councillors/{}/", c.slug), rest));
    }
    for b in &site.bodies {
        let rest = entry_rest(&b.name, "body", &Words(vec![b.description.as_deref().unwrap_or("")]));
        owned.push((format!("committees/{}/", b.slug), rest));
    }
    for d in &site.decisions {
        owned.push((
            format!("decisions/{}/", d.slug),
            entry_rest(&d.title, "decision", &Words(vec![&d.text])),
        ));
    }
    for m in meetings {
        let mut words = vec![m.when.starts.as_str(), m.place.as_deref().unwrap_or("")];
        words.extend(m.items.iter().map(|i| i.title.as_str()));
        owned.push((m.path.clone(), entry_rest(&m.title, "meeting", &Words(words))));
    }
    for e in events {
        let words =
            [e.kind, &e.when.starts, e.place.as_deref().unwrap_or(""), e.host.as_deref().unwrap_or("")];
        owned.push((e.path.clone(), entry_rest(&e.title, "event", &Words(words.to_vec()))));
    }
    entries.extend(owned.iter().map(|(folder, rest)| SearchEntry {
        folder: Cow::Borrowed(folder.as_str()),
        rest: Cow::Borrowed(rest.as_slice()),
    }));
    // Every URL is the base and the folder, so by folder is by URL.
    entries.par_sort_unstable_by(|a, b| a.folder.cmp(&b.folder));

    let base = config.base();
    let size = entries.iter().map(|e| base.len() + e.folder.len() + e.rest.len() + 12).sum::<usize>();
    let mut out = EscapeMarkup(Vec::with_capacity(size + 3));
    out.0.push(b'[');
    let plain_base = is_plain(base);
    for (n, entry) in entries.iter().enumerate() {
        out.0.extend_from_slice(if n == 0 { b"{\"url\":" } else { b",{\"url\":" });
        if plain_base && is_plain(&entry.folder) {
            // A URL of slugs, as nearly all are: the string as it stands.
            for part in ["\"", base, "/", &entry.folder, "\""] {
                out.0.extend_from_slice(part.as_bytes());
            }
        } else {
            serde_json::to_writer(&mut out, &format_args!("{base}/{}", entry.folder))?;
        }
        // `rest` is an object: its opening brace gives way to a comma.
        out.0.push(b',');
        out.0.extend_from_slice(entry.rest.get(1..).unwrap_or_default());
    }
    out.0.extend_from_slice(b"]\n");
    Ok(out.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_output_escapes_markup_characters_and_still_parses_to_the_same_data() {
        let value = json!({ "title": "</script><b>A & B</b>" });
        let bytes = pretty(&value).expect("json");
        let text = String::from_utf8(bytes.clone()).expect("utf-8");
        assert!(!text.contains('<') && !text.contains('&'), "{text}");
        assert_eq!(serde_json::from_slice::<Value>(&bytes).expect("parses"), value);
    }

    #[test]
    fn only_text_that_needs_no_escape_is_written_into_the_index_as_it_stands() {
        assert!(is_plain("https://labour.example/news/a-b-2/"));
        for text in ["a\"b", "a\\b", "a<b", "a>b", "a&b", "a\nb"] {
            assert!(!is_plain(text), "{text:?}");
        }
    }
}
