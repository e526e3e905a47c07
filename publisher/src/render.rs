//! The site's plan: every output file, as a template with its context or as
//! bytes, in one linear pass over the public material (Zola's `Site::build`
//! in miniature). Nothing is rendered here: the writer renders only what it
//! must, so an incremental build can skip a page whose inputs did not change.

use std::path::Path;

use anyhow::{Context, bail};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    config::SiteConfig,
    feeds,
    markdown::{paragraphs, to_safe_html},
    public::{Article, ArticleKind, PublicMeeting, PublicSite},
    transparency::Transparency,
};

/// How many articles the home page lists.
const HOME_LATEST: usize = 5;

/// How many upcoming meetings the home page lists.
const HOME_MEETINGS: usize = 5;

/// One output file.
#[derive(Debug, Clone)]
pub struct Job {
    /// Its path under the site root, with `/` separators and no leading slash.
    pub path: String,
    /// What to put in it.
    pub content: Content,
}

/// How an output file is made.
#[derive(Debug, Clone)]
pub enum Content {
    /// A template rendered with a page context (merged over the site globals).
    Template {
        /// The template's name.
        name: &'static str,
        /// The page's own variables.
        context: Value,
    },
    /// Bytes written as they are.
    Bytes(Vec<u8>),
}

/// An article as templates and feeds see it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    /// Which section: `news`, `press_release` or `page`.
    pub kind: ArticleKind,
    /// The section's word for it.
    pub kind_label: &'static str,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Absolute URL.
    pub url: String,
    /// Path under the site root, e.g. `news/library/`.
    pub path: String,
    /// Publication day, for people.
    pub published: String,
    /// Publication time, RFC 3339.
    pub published_iso: String,
    /// Last change, RFC 3339.
    pub updated_iso: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Image.
    pub image: Option<ImageView>,
    /// Author.
    pub author: String,
    /// The body, rendered and sanitised.
    pub body_html: String,
}

/// An image and its alternative text.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// URL.
    pub url: String,
    /// Alternative text.
    pub alt: String,
}

/// A public meeting as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    /// Title.
    pub title: String,
    /// What kind of meeting, in words.
    pub kind: &'static str,
    /// Absolute URL.
    pub url: String,
    /// Path under the site root, e.g. `meetings/2026-03-10-full-council/`.
    pub path: String,
    /// The day it starts, `YYYY-MM-DD` (templates show it with `human_date`).
    pub on: String,
    /// When it starts, RFC 3339.
    pub starts_iso: String,
    /// When it starts, for people, in the council's time zone, e.g. `Tuesday 10 March 2026, 19:00 GMT`.
    pub starts: String,
    /// When it is expected to end, RFC 3339.
    pub ends_iso: Option<String>,
    /// When it is expected to end, for people, e.g. `21:00 GMT`.
    pub ends: Option<String>,
    /// Where it is held.
    pub place: Option<String>,
    /// The link to join or watch online.
    pub online_link: Option<String>,
    /// Status in words.
    pub status: &'static str,
    /// Whether it is cancelled.
    pub cancelled: bool,
    /// Why it was cancelled.
    pub cancellation_reason: Option<String>,
    /// Whether it is still to come at the build time.
    pub upcoming: bool,
    /// The public agenda, in order.
    pub items: Vec<ItemView>,
    /// Last change, RFC 3339.
    pub updated_iso: String,
}

/// A public agenda item as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    /// Its number on the public agenda, from 1.
    pub number: usize,
    /// Title.
    pub title: String,
    /// What it is about, rendered and sanitised.
    pub description_html: String,
    /// Its public papers: title and link.
    pub papers: Vec<crate::public::PublicPaper>,
}

/// The site's global template variables.
pub fn globals(config: &SiteConfig) -> Value {
    json!({
        "config": config,
        "base": config.base(),
        "nav": [
            {"path": "/news/", "title": "News"},
            {"path": "/press-releases/", "title": "Press releases"},
            {"path": "/councillors/", "title": "Councillors"},
            {"path": "/committees/", "title": "Committees and outside bodies"},
            {"path": "/decisions/", "title": "Decisions"},
            {"path": "/meetings/", "title": "Meetings"},
        ],
    })
}

/// RFC 3339 with seconds, in UTC.
pub fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn meeting_view(config: &SiteConfig, meeting: &PublicMeeting) -> MeetingView {
    let path = format!("meetings/{}/", meeting.slug);
    // Times are shown as residents read them, in the council's time zone with
    // its abbreviation (GMT or BST); `check` has already accepted the zone.
    let zone = config.zone().unwrap_or(chrono_tz::UTC);
    let clock = |at: DateTime<Utc>| at.with_timezone(&zone).format("%H:%M %Z").to_string();
    MeetingView {
        title: meeting.title.clone(),
        kind: meeting.kind,
        url: format!("{}/{path}", config.base()),
        path,
        on: meeting.starts_at.format("%Y-%m-%d").to_string(),
        starts_iso: iso(meeting.starts_at),
        starts: format!(
            "{}, {}",
            meeting.starts_at.with_timezone(&zone).format("%A %-d %B %Y"),
            clock(meeting.starts_at)
        ),
        ends_iso: meeting.ends_at.map(iso),
        ends: meeting.ends_at.map(clock),
        place: meeting.place.clone(),
        online_link: meeting.online_link.clone(),
        status: meeting.status,
        cancelled: meeting.status == "Cancelled",
        cancellation_reason: meeting.cancellation_reason.clone(),
        upcoming: meeting.upcoming,
        items: meeting
            .items
            .iter()
            .enumerate()
            .map(|(n, item)| ItemView {
                number: n + 1,
                title: item.title.clone(),
                description_html: item.description_markdown.as_deref().map(to_safe_html).unwrap_or_default(),
                papers: item.papers.clone(),
            })
            .collect(),
        updated_iso: iso(meeting.updated_at),
    }
}

/// An article's folder under the site root, e.g. `news/library/`.
pub fn article_path(article: &Article) -> String {
    match article.kind {
        ArticleKind::News => format!("news/{}/", article.slug),
        ArticleKind::PressRelease => format!("press-releases/{}/", article.slug),
        ArticleKind::Page => format!("{}/", article.slug),
    }
}

fn article_view(config: &SiteConfig, article: &Article) -> ArticleView {
    let path = article_path(article);
    let kind_label = match article.kind {
        ArticleKind::News => "News",
        ArticleKind::PressRelease => "Press release",
        ArticleKind::Page => "Page",
    };
    ArticleView {
        kind: article.kind,
        kind_label,
        title: article.title.clone(),
        summary: article.summary.clone(),
        url: format!("{}/{path}", config.base()),
        path,
        published: article.published_at.format("%-d %B %Y").to_string(),
        published_iso: iso(article.published_at),
        updated_iso: iso(article.updated_at),
        tags: article.tags.clone(),
        image: article.image.as_ref().map(|(url, alt)| ImageView {
            // A path on the site becomes absolute: feeds and cards need it so.
            url: if url.starts_with('/') { format!("{}{url}", config.base()) } else { url.clone() },
            alt: alt.clone(),
        }),
        author: article.author.clone(),
        body_html: to_safe_html(&article.body_markdown),
    }
}

/// The head's meta tags for one page.
fn meta(config: &SiteConfig, path: &str, title: &str, description: &str) -> Value {
    let description = if description.is_empty() { config.description.as_str() } else { description };
    json!({
        "title": title,
        "description": description,
        "canonical": format!("{}/{path}", config.base()),
        "og_type": "website",
        "image": null,
    })
}

/// A page: `path` is the page's folder (`news/` or empty for the root).
fn page(path: &str, name: &'static str, section_path: &str, meta: Value, mut context: Value) -> Job {
    if let Value::Object(map) = &mut context {
        map.insert("meta".into(), meta);
        map.insert("section_path".into(), section_path.into());
        map.insert("page_path".into(), format!("/{path}").into());
    }
    Job { path: format!("{path}index.html"), content: Content::Template { name, context } }
}

/// Plans the whole site: pages, feeds, indexes and the `static/` files.
pub fn plan(
    config: &SiteConfig,
    site: &PublicSite,
    transparency: &Transparency,
    static_dir: &Path,
) -> anyhow::Result<Vec<Job>> {
    let articles: Vec<ArticleView> = site.articles.iter().map(|a| article_view(config, a)).collect();
    let stream: Vec<&ArticleView> = articles.iter().filter(|a| a.kind != ArticleKind::Page).collect();
    let meetings: Vec<MeetingView> = site.meetings.iter().map(|m| meeting_view(config, m)).collect();
    let upcoming: Vec<&MeetingView> = meetings.iter().filter(|m| m.upcoming).collect();
    let mut jobs = Vec::new();

    jobs.push(page(
        "",
        "index.html",
        "/",
        meta(config, "", &config.title, &config.description),
        json!({
            "latest": stream.iter().take(HOME_LATEST).collect::<Vec<_>>(),
            "meetings": upcoming.iter().take(HOME_MEETINGS).collect::<Vec<_>>(),
            "councillor_count": site.councillors.len(),
        }),
    ));
    for (kind, section, title) in [
        (ArticleKind::News, "news/", "News"),
        (ArticleKind::PressRelease, "press-releases/", "Press releases"),
    ] {
        let in_section: Vec<&ArticleView> = stream.iter().copied().filter(|a| a.kind == kind).collect();
        section_pages(config, &mut jobs, section, title, &in_section);
    }
    for article in &articles {
        let section_path = match article.kind {
            ArticleKind::News => "/news/",
            ArticleKind::PressRelease => "/press-releases/",
            ArticleKind::Page => "",
        };
        let mut meta = meta(config, &article.path, &article.title, &article.summary);
        meta["og_type"] = "article".into();
        meta["image"] = serde_json::to_value(&article.image)?;
        jobs.push(page(&article.path, "page.html", section_path, meta, json!({ "article": article })));
    }

    jobs.push(page(
        "councillors/",
        "councillors.html",
        "/councillors/",
        meta(config, "councillors/", "Our councillors", ""),
        json!({ "councillors": site.councillors }),
    ));
    for councillor in &site.councillors {
        let path = format!("councillors/{}/", councillor.slug);
        let description = format!("{}, councillor for {}", councillor.name, councillor.ward);
        let mut context = json!({ "councillor": councillor });
        context["councillor"]["biography_html"] =
            paragraphs(councillor.biography.as_deref().unwrap_or("")).into();
        jobs.push(page(
            &path,
            "councillor.html",
            "/councillors/",
            meta(config, &path, &councillor.name, &description),
            context,
        ));
    }

    let mut groups: Vec<Value> = Vec::new();
    for (kind, heading) in [
        ("Council committee", "Council committees"),
        ("Outside body", "Outside bodies"),
        ("Group post", "Group posts"),
    ] {
        let bodies: Vec<_> = site.bodies.iter().filter(|b| b.kind == kind).collect();
        if !bodies.is_empty() {
            groups.push(json!({ "kind": kind, "heading": heading, "bodies": bodies }));
        }
    }
    jobs.push(page(
        "committees/",
        "bodies.html",
        "/committees/",
        meta(config, "committees/", "Committees and outside bodies", "Who represents the group where."),
        json!({ "groups": groups }),
    ));
    for body in &site.bodies {
        let path = format!("committees/{}/", body.slug);
        let description =
            body.description.clone().unwrap_or_else(|| format!("{}: who represents the group", body.name));
        jobs.push(page(
            &path,
            "body.html",
            "/committees/",
            meta(config, &path, &body.name, &description),
            json!({ "body": body }),
        ));
    }

    jobs.push(page(
        "decisions/",
        "decisions.html",
        "/decisions/",
        meta(config, "decisions/", "Decisions register", "The group's public decisions."),
        json!({ "decisions": site.decisions }),
    ));
    for decision in &site.decisions {
        let path = format!("decisions/{}/", decision.slug);
        let mut context = json!({ "decision": decision });
        context["decision"]["text_html"] = paragraphs(&decision.text).into();
        jobs.push(page(
            &path,
            "decision.html",
            "/decisions/",
            meta(config, &path, &decision.title, ""),
            context,
        ));
    }

    meeting_pages(config, &mut jobs, &meetings);
    jobs.push(page(
        "transparency/",
        "transparency.html",
        "",
        meta(
            config,
            "transparency/",
            "Transparency: our signed record",
            "How anyone can check that the group's record of its decisions has not been altered.",
        ),
        json!({ "transparency": transparency, "group_id": config.group.id }),
    ));
    if let Transparency::Published(checkpoint) = transparency {
        jobs.push(Job {
            path: "checkpoint.txt".into(),
            content: Content::Bytes(checkpoint.note.clone().into()),
        });
    }

    let mut not_found = page("", "404.html", "", meta(config, "404.html", "Page not found", ""), json!({}));
    not_found.path = "404.html".into();
    jobs.push(not_found);
    jobs.push(Job {
        path: "style.css".into(),
        content: Content::Template { name: "style.css", context: json!({}) },
    });

    let sitemap = feeds::sitemap_entries(config, &jobs, site, &articles, &meetings);
    jobs.extend(feeds::jobs(config, site, &articles, &stream, &meetings, &sitemap)?);
    jobs.extend(static_files(static_dir, &jobs)?);
    jobs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(jobs)
}

/// `/meetings/`, upcoming soonest first and past newest first, and a page
/// per meeting.
fn meeting_pages(config: &SiteConfig, jobs: &mut Vec<Job>, meetings: &[MeetingView]) {
    let upcoming: Vec<&MeetingView> = meetings.iter().filter(|m| m.upcoming).collect();
    let past: Vec<&MeetingView> = meetings.iter().rev().filter(|m| !m.upcoming).collect();
    jobs.push(page(
        "meetings/",
        "meetings.html",
        "/meetings/",
        meta(
            config,
            "meetings/",
            "Public meetings",
            "The group's public meetings: when, where and the agenda.",
        ),
        json!({ "upcoming": upcoming, "past": past }),
    ));
    for meeting in meetings {
        let description = format!("{}, {}: {}", meeting.title, meeting.starts, meeting.status);
        jobs.push(page(
            &meeting.path,
            "meeting.html",
            "/meetings/",
            meta(config, &meeting.path, &meeting.title, &description),
            json!({ "meeting": meeting }),
        ));
    }
}

/// One list page per `per_page` articles: `news/`, `news/page/2/`, ...
fn section_pages(
    config: &SiteConfig,
    jobs: &mut Vec<Job>,
    section: &str,
    title: &str,
    articles: &[&ArticleView],
) {
    let chunks: Vec<&[&ArticleView]> =
        if articles.is_empty() { vec![&[]] } else { articles.chunks(config.per_page).collect() };
    let total = chunks.len();
    let page_path = |n: usize| if n == 1 { section.to_owned() } else { format!("{section}page/{n}/") };
    let url = |n: usize| format!("{}/{}", config.base(), page_path(n));
    for (i, chunk) in chunks.into_iter().enumerate() {
        let n = i + 1;
        let path = page_path(n);
        let context = json!({
            "section": { "title": title, "path": format!("/{section}") },
            "articles": chunk,
            "paginator": {
                "current": n,
                "total": total,
                "previous": (n > 1).then(|| url(n - 1)),
                "next": (n < total).then(|| url(n + 1)),
            },
        });
        let heading = if n == 1 { title.to_owned() } else { format!("{title}, page {n}") };
        jobs.push(page(
            &path,
            "section.html",
            &format!("/{section}"),
            meta(config, &path, &heading, ""),
            context,
        ));
    }
}

/// The site folder's `static/` files, copied as they are.
fn static_files(static_dir: &Path, generated: &[Job]) -> anyhow::Result<Vec<Job>> {
    if !static_dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut jobs = Vec::new();
    for file in crate::files::walk(static_dir)? {
        let path = file.strip_prefix(static_dir).context("static file")?.to_string_lossy().replace('\\', "/");
        if generated.iter().any(|job| job.path == path) {
            bail!("static/{path} has the same path as a page the publisher makes");
        }
        let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        jobs.push(Job { path, content: Content::Bytes(bytes) });
    }
    Ok(jobs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        config::{Colours, GroupConfig},
        public::Article,
    };

    fn config() -> SiteConfig {
        SiteConfig {
            title: "Group".into(),
            base_url: "https://example.org/".into(),
            description: "About.".into(),
            language: "en-GB".into(),
            group: GroupConfig { id: "g".into(), name: "G".into() },
            colours: Colours::default(),
            social: Vec::new(),
            per_page: 10,
            transparency: crate::config::Transparency::default(),
            time_zone: crate::config::default_time_zone(),
        }
    }

    #[test]
    fn meeting_times_are_shown_in_the_councils_time_zone() {
        let at = |s: &str| -> DateTime<Utc> { s.parse().expect("time") };
        let meeting = crate::public::PublicMeeting {
            slug: "2026-07-15-full-council".into(),
            title: "Full Council".into(),
            kind: "Full Council",
            starts_at: at("2026-07-15T18:00:00Z"),
            ends_at: Some(at("2026-07-15T20:30:00Z")),
            place: None,
            online_link: None,
            status: "Confirmed",
            cancellation_reason: None,
            upcoming: true,
            items: Vec::new(),
            updated_at: at("2026-07-01T09:00:00Z"),
        };
        let view = meeting_view(&config(), &meeting);
        assert_eq!(view.starts, "Wednesday 15 July 2026, 19:00 BST");
        assert_eq!(view.ends.as_deref(), Some("21:30 BST"));
        let winter = crate::public::PublicMeeting { starts_at: at("2026-11-23T23:30:00Z"), ..meeting };
        assert_eq!(meeting_view(&config(), &winter).starts, "Monday 23 November 2026, 23:30 GMT");
    }

    fn article(n: u32) -> Article {
        let at: DateTime<Utc> = format!("2026-03-{n:02}T09:00:00Z").parse().expect("time");
        Article {
            id: uuid::Uuid::from_u128(u128::from(n)),
            kind: ArticleKind::News,
            slug: format!("story-{n}"),
            title: format!("Story {n}"),
            summary: String::new(),
            body_markdown: "Text.".into(),
            tags: Vec::new(),
            image: Some(("/images/a.jpg".into(), "A street".into())),
            author: "Press Office".into(),
            published_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn news_is_paginated_ten_to_a_page_with_links_both_ways() {
        let site = PublicSite { articles: (1..=12).rev().map(article).collect(), ..PublicSite::default() };
        let jobs = plan(&config(), &site, &Transparency::NoKey, Path::new("/nonexistent")).expect("plan");
        let context = |path: &str| match &jobs.iter().find(|j| j.path == path).expect(path).content {
            Content::Template { context, .. } => context.clone(),
            Content::Bytes(_) => panic!("{path} is a page"),
        };
        let first = context("news/index.html");
        assert_eq!(first["articles"].as_array().expect("list").len(), 10);
        assert_eq!(first["paginator"]["next"], "https://example.org/news/page/2/");
        let second = context("news/page/2/index.html");
        assert_eq!(second["articles"][1]["title"], "Story 1");
        assert_eq!(second["paginator"]["previous"], "https://example.org/news/");
        assert!(second["paginator"]["next"].is_null());
        let story = context("news/story-12/index.html");
        assert_eq!(story["meta"]["canonical"], "https://example.org/news/story-12/");
        assert_eq!(story["meta"]["image"]["url"], "https://example.org/images/a.jpg", "image made absolute");
        assert!(!jobs.iter().any(|j| j.path == "news/page/3/index.html"));
    }
}
