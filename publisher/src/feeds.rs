//! Feeds and indexes: Atom (RFC 4287), JSON Feed 1.1, an ActivityStreams 2.0
//! outbox of the news stream, `sitemap.xml`, `robots.txt` and a JSON search
//! index. The feeds carry the newest [`FEED_LENGTH`] articles; the sitemap
//! and the search index carry every page.

use std::collections::BTreeMap;

use chrono::DateTime;
use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    config::SiteConfig,
    key::Key,
    markdown::escape,
    public::PublicSite,
    render::{ArticleSource, ArticleView, Job, MeetingView, article_path, iso},
};

/// How many articles a feed carries.
pub const FEED_LENGTH: usize = 50;

/// One `<url>` of the sitemap.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapEntry {
    /// Absolute URL.
    pub url: String,
    /// When the page's content last changed, if it is one record's page.
    pub lastmod: Option<String>,
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

/// Every HTML page but the 404, with the last change of those that show one record.
pub fn sitemap_entries(
    config: &SiteConfig,
    jobs: &[Job<'_>],
    site: &PublicSite,
    meetings: &[MeetingView],
) -> Vec<SitemapEntry> {
    let mut lastmod: BTreeMap<String, String> = BTreeMap::new();
    for m in meetings {
        lastmod.insert(m.path.clone(), m.updated_iso.clone());
    }
    for article in &site.articles {
        lastmod.insert(article_path(article), iso(article.updated_at));
    }
    for c in &site.councillors {
        lastmod.insert(format!("councillors/{}/", c.slug), iso(c.updated_at));
    }
    for b in &site.bodies {
        lastmod.insert(format!("committees/{}/", b.slug), iso(b.updated_at));
    }
    for d in &site.decisions {
        lastmod.insert(format!("decisions/{}/", d.slug), iso(d.updated_at));
    }
    let mut entries: Vec<SitemapEntry> = jobs
        .iter()
        .filter_map(|job| job.path.strip_suffix("index.html"))
        .map(|folder| SitemapEntry {
            url: format!("{}/{folder}", config.base()),
            lastmod: lastmod.get(folder).cloned(),
        })
        .collect();
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    entries
}

/// The feed and index files. `stream` is the news and press releases, newest first.
pub fn jobs<'a>(
    config: &'a SiteConfig,
    site: &'a PublicSite,
    stream: &[&'a ArticleSource<'a>],
    meetings: &'a [MeetingView],
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
        .json(meetings);
    let sitemap_key = Key::new("sitemap").json(&sitemap);
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
        Job::made("sitemap.xml", sitemap_key, move || Ok(sitemap_xml(&sitemap))),
        Job::bytes(
            "robots.txt",
            format!("User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n", config.base()).into(),
        ),
        Job::made("search_index.json", search_key, move || pretty(&search_index(config, site, meetings))),
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
        for &byte in bytes {
            match byte {
                b'<' => self.0.extend_from_slice(b"\\u003c"),
                b'>' => self.0.extend_from_slice(b"\\u003e"),
                b'&' => self.0.extend_from_slice(b"\\u0026"),
                other => self.0.push(other),
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The sitemap (<https://www.sitemaps.org/protocol.html>), written directly
/// rather than through a template: it lists every page, so on a large site
/// it is the biggest file an incremental build rewrites.
fn sitemap_xml(entries: &[SitemapEntry]) -> Vec<u8> {
    let mut xml = String::with_capacity(entries.len() * 120 + 128);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for entry in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape(&entry.url));
        xml.push_str("</loc>\n");
        if let Some(lastmod) = &entry.lastmod {
            xml.push_str("    <lastmod>");
            xml.push_str(&escape(lastmod));
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

/// One entry of the search index.
#[derive(Serialize)]
struct SearchEntry<'a> {
    url: String,
    title: &'a str,
    kind: &'static str,
    text: String,
}

/// Every public page's URL, title, kind and text, for a client-side search,
/// by URL.
fn search_index<'a>(
    config: &SiteConfig,
    site: &'a PublicSite,
    meetings: &'a [MeetingView],
) -> Vec<SearchEntry<'a>> {
    let base = config.base();
    let mut entries: Vec<SearchEntry<'a>> = Vec::new();
    for a in &site.articles {
        entries.push(SearchEntry {
            url: format!("{base}/{}", article_path(a)),
            title: &a.title,
            kind: a.kind.as_str(),
            text: format!("{} {}", a.summary, a.tags.join(" ")).trim().to_owned(),
        });
    }
    for c in &site.councillors {
        entries.push(SearchEntry {
            url: format!("{base}/councillors/{}/", c.slug),
            title: &c.name,
            kind: "councillor",
            text: c.ward.clone(),
        });
    }
    for b in &site.bodies {
        entries.push(SearchEntry {
            url: format!("{base}/committees/{}/", b.slug),
            title: &b.name,
            kind: "body",
            text: b.description.clone().unwrap_or_default(),
        });
    }
    for d in &site.decisions {
        entries.push(SearchEntry {
            url: format!("{base}/decisions/{}/", d.slug),
            title: &d.title,
            kind: "decision",
            text: d.text.clone(),
        });
    }
    for m in meetings {
        let agenda: Vec<&str> = m.items.iter().map(|i| i.title.as_str()).collect();
        entries.push(SearchEntry {
            url: m.url.clone(),
            title: &m.title,
            kind: "meeting",
            text: format!("{} {} {}", m.starts, m.place.as_deref().unwrap_or(""), agenda.join(" "))
                .trim()
                .to_owned(),
        });
    }
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    entries
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
}
