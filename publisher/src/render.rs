//! The site's plan: every output file, as a template with its context or as
//! bytes, in one linear pass over the public material (Zola's `Site::build`
//! in miniature). Nothing is rendered here: the writer renders only what it
//! must, so an incremental build can skip a page whose inputs did not change.

use std::{borrow::Cow, path::Path, sync::OnceLock};

use anyhow::{Context, bail};
use chrono::{DateTime, SecondsFormat, Utc};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    config::SiteConfig,
    feeds,
    key::{Digest32, Key},
    markdown::{paragraphs, to_safe_html},
    public::{Article, ArticleKind, PublicEvent, PublicMeeting, PublicSite},
    transparency::Transparency,
};

/// How many articles the home page lists.
const HOME_LATEST: usize = 5;

/// How many upcoming meetings the home page lists.
const HOME_MEETINGS: usize = 5;

/// How many upcoming events the home page lists.
const HOME_EVENTS: usize = 5;

/// One output file.
pub struct Job<'a> {
    /// Its path under the site root, with `/` separators and no leading slash.
    pub path: String,
    /// What its content is made from (see [`crate::key`]).
    pub key: Digest32,
    /// When the one record this page shows last changed (the sitemap's
    /// `lastmod`); `None` for lists and other files.
    pub changed: Option<DateTime<Utc>>,
    /// How to make it.
    pub content: Content<'a>,
}

/// Makes a page's context or a file's bytes, only when the file is written.
pub type Make<'a, T> = Box<dyn Fn() -> anyhow::Result<T> + Send + Sync + 'a>;

/// How an output file is made.
#[allow(missing_debug_implementations)] // closures; `Job` shows which kind
pub enum Content<'a> {
    /// A template rendered with a page context (merged over the site globals).
    Template {
        /// The template's name.
        name: &'static str,
        /// The page's own variables.
        context: Make<'a, Value>,
    },
    /// Bytes written as they are.
    Bytes(Make<'a, Vec<u8>>),
}

impl std::fmt::Debug for Job<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.content {
            Content::Template { name, .. } => *name,
            Content::Bytes(_) => "bytes",
        };
        f.debug_struct("Job").field("path", &self.path).field("made_with", &kind).finish_non_exhaustive()
    }
}

impl<'a> Job<'a> {
    /// A file of fixed bytes.
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        let key = Key::new("bytes").bytes(&bytes).finish();
        Self {
            path: path.into(),
            key,
            changed: None,
            content: Content::Bytes(Box::new(move || Ok(bytes.clone()))),
        }
    }

    /// A file whose bytes `make` builds from inputs that `key` names.
    pub fn made(
        path: impl Into<String>,
        key: Key,
        make: impl Fn() -> anyhow::Result<Vec<u8>> + Send + Sync + 'a,
    ) -> Self {
        Self { path: path.into(), key: key.finish(), changed: None, content: Content::Bytes(Box::new(make)) }
    }

    /// A template rendered with the context `make` builds from inputs that
    /// `key` names.
    pub fn template(
        path: impl Into<String>,
        name: &'static str,
        key: Key,
        make: impl Fn() -> anyhow::Result<Value> + Send + Sync + 'a,
    ) -> Self {
        let key = key.text(name).finish();
        Self {
            path: path.into(),
            key,
            changed: None,
            content: Content::Template { name, context: Box::new(make) },
        }
    }

    /// Marks the page as showing one record, last changed `at`.
    pub fn showing_one_record(mut self, changed_at: DateTime<Utc>) -> Self {
        self.changed = Some(changed_at);
        self
    }
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
    /// When it starts and is expected to end.
    #[serde(flatten)]
    pub when: When,
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
    /// Last change.
    #[serde(skip)]
    pub updated_at: DateTime<Utc>,
}

/// When a meeting or event starts and ends, as templates see it: in the
/// council's time zone, with its abbreviation (GMT or BST).
#[derive(Debug, Clone, Serialize)]
pub struct When {
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
}

/// A public group event as templates see it: as a meeting, with a
/// description and a host instead of an agenda.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// Title.
    pub title: String,
    /// What kind of event, in words.
    pub kind: &'static str,
    /// Absolute URL.
    pub url: String,
    /// Path under the site root, e.g. `events/2026-03-10-housing-away-day/`.
    pub path: String,
    /// When it starts and ends.
    #[serde(flatten)]
    pub when: When,
    /// Where it is held.
    pub place: Option<String>,
    /// The link to join online.
    pub online_link: Option<String>,
    /// The outside organisation hosting or sponsoring it.
    pub host: Option<String>,
    /// What it is for, rendered and sanitised.
    pub description_html: String,
    /// Status in words.
    pub status: &'static str,
    /// Whether it is cancelled.
    pub cancelled: bool,
    /// Why it was cancelled.
    pub cancellation_reason: Option<String>,
    /// Whether it is still to come at the build time.
    pub upcoming: bool,
    /// Last change, RFC 3339.
    pub updated_iso: String,
    /// Last change.
    #[serde(skip)]
    pub updated_at: DateTime<Utc>,
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
            {"path": "/events/", "title": "Events"},
        ],
    })
}

/// RFC 3339 with seconds, in UTC.
pub fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn when(config: &SiteConfig, starts_at: DateTime<Utc>, ends_at: Option<DateTime<Utc>>) -> When {
    // Times are shown as residents read them, in the council's time zone with
    // its abbreviation (GMT or BST); `check` has already accepted the zone.
    let zone = config.zone().unwrap_or(chrono_tz::UTC);
    let clock = |at: DateTime<Utc>| at.with_timezone(&zone).format("%H:%M %Z").to_string();
    When {
        on: starts_at.format("%Y-%m-%d").to_string(),
        starts_iso: iso(starts_at),
        starts: format!("{}, {}", starts_at.with_timezone(&zone).format("%A %-d %B %Y"), clock(starts_at)),
        ends_iso: ends_at.map(iso),
        ends: ends_at.map(clock),
    }
}

fn event_view(config: &SiteConfig, event: &PublicEvent) -> EventView {
    let path = format!("events/{}/", event.slug);
    EventView {
        title: event.title.clone(),
        kind: event.kind,
        url: format!("{}/{path}", config.base()),
        path,
        when: when(config, event.starts_at, event.ends_at),
        place: event.place.clone(),
        online_link: event.online_link.clone(),
        host: event.host.clone(),
        description_html: event.description_markdown.as_deref().map(to_safe_html).unwrap_or_default(),
        status: event.status,
        cancelled: event.status == "Cancelled",
        cancellation_reason: event.cancellation_reason.clone(),
        upcoming: event.upcoming,
        updated_iso: iso(event.updated_at),
        updated_at: event.updated_at,
    }
}

fn meeting_view(config: &SiteConfig, meeting: &PublicMeeting) -> MeetingView {
    let path = format!("meetings/{}/", meeting.slug);
    MeetingView {
        title: meeting.title.clone(),
        kind: meeting.kind,
        url: format!("{}/{path}", config.base()),
        path,
        when: when(config, meeting.starts_at, meeting.ends_at),
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
        updated_at: meeting.updated_at,
    }
}

fn article_view(config: &SiteConfig, article: &Article) -> ArticleView {
    let path = article.path.clone();
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
        body_html: article.body_html().to_owned(),
    }
}

/// An article and its view, made on first use: a body's Markdown is rendered
/// only if a page or feed that shows it is written.
#[derive(Debug)]
pub struct ArticleSource<'a> {
    /// The article.
    pub article: &'a Article,
    config: &'a SiteConfig,
    view: OnceLock<ArticleView>,
}

impl ArticleSource<'_> {
    /// The article as templates and feeds see it.
    pub fn view(&self) -> &ArticleView {
        self.view.get_or_init(|| article_view(self.config, self.article))
    }
}

/// The views of `articles`, made now (a page being written needs them).
fn views<'s>(articles: &[&'s ArticleSource<'_>]) -> Vec<&'s ArticleView> {
    articles.iter().map(|a| a.view()).collect()
}

/// Adds each article's identity to `key`.
fn with_articles(key: Key, articles: &[&ArticleSource<'_>]) -> Key {
    articles.iter().fold(key, |key, a| key.article(a.article))
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

/// A page: `path` is the page's folder (`news/` or empty for the root);
/// `section_path` is its section's address, for the navigation; `make`
/// returns its meta tags and its own variables from inputs `key` names.
fn page<'a>(
    path: impl Into<Cow<'a, str>>,
    name: &'static str,
    section_path: &'static str,
    key: Key,
    make: impl Fn() -> anyhow::Result<(Value, Value)> + Send + Sync + 'a,
) -> Job<'a> {
    let path = path.into();
    let key = key.text(&path).text(section_path);
    let file = format!("{path}index.html");
    Job::template(file, name, key, move || {
        let (meta, mut context) = make()?;
        if let Value::Object(map) = &mut context {
            map.insert("meta".into(), meta);
            map.insert("section_path".into(), section_path.into());
            map.insert("page_path".into(), format!("/{path}").into());
        }
        Ok(context)
    })
}

/// Everything one build shows, ready to be turned into output files.
#[derive(Debug)]
pub struct Plan<'a> {
    config: &'a SiteConfig,
    site: &'a PublicSite,
    transparency: &'a Transparency,
    /// The site's articles, newest first.
    articles: Vec<ArticleSource<'a>>,
    /// The site's meetings, soonest first.
    meetings: Vec<MeetingView>,
    /// The site's events, soonest first.
    events: Vec<EventView>,
}

impl<'a> Plan<'a> {
    /// Prepares `site` for planning; renders nothing yet.
    pub fn new(config: &'a SiteConfig, site: &'a PublicSite, transparency: &'a Transparency) -> Self {
        Self {
            config,
            site,
            transparency,
            articles: site
                .articles
                .iter()
                .map(|article| ArticleSource { article, config, view: OnceLock::new() })
                .collect(),
            meetings: site.meetings.iter().map(|m| meeting_view(config, m)).collect(),
            events: site.events.iter().map(|e| event_view(config, e)).collect(),
        }
    }

    /// Every output file of the site: pages, feeds, indexes and the
    /// `static/` files, sorted by path. Each is made only when written.
    pub fn jobs(&'a self, static_dir: &Path) -> anyhow::Result<Vec<Job<'a>>> {
        // Room for every file from the start: a large site's plan is a
        // megabyte, which growing by doubling would copy again and again.
        let site = self.site;
        let records = site.councillors.len()
            + site.bodies.len()
            + site.decisions.len()
            + site.meetings.len()
            + site.events.len();
        let archive_pages = site.articles.len() / self.config.per_page.max(1) + 2;
        let mut jobs = Vec::with_capacity(site.articles.len() + archive_pages + records + 64);
        self.home(&mut jobs);
        for (kind, section, title) in [
            (ArticleKind::News, "/news/", "News"),
            (ArticleKind::PressRelease, "/press-releases/", "Press releases"),
        ] {
            let in_section: Vec<&ArticleSource<'a>> =
                self.articles.iter().filter(|a| a.article.kind == kind).collect();
            section_pages(self.config, &mut jobs, section, title, &in_section);
        }
        // One page per article, the bulk of a large site: keyed on any core.
        jobs.par_extend(self.articles.par_iter().map(|article| article_page(self.config, article)));
        self.register_pages(&mut jobs);
        diary_pages(self.config, &mut jobs, &MEETINGS, &self.meetings);
        diary_pages(self.config, &mut jobs, &EVENTS, &self.events);
        self.transparency_pages(&mut jobs);
        let config = self.config;
        let mut not_found = page("", "404.html", "", Key::new("404"), move || {
            Ok((meta(config, "404.html", "Page not found", ""), json!({})))
        });
        not_found.path = "404.html".into();
        jobs.push(not_found);
        jobs.push(Job::template("style.css", "style.css", Key::new("style"), || Ok(json!({}))));

        let stream: Vec<&ArticleSource<'a>> =
            self.articles.iter().filter(|a| a.article.kind != ArticleKind::Page).collect();
        let sitemap = feeds::sitemap_entries(&jobs);
        jobs.extend(feeds::jobs(self.config, self.site, &stream, (&self.meetings, &self.events), sitemap));
        jobs.extend(static_files(static_dir, &jobs)?);
        // Paths are unique (a static file may not take a page's).
        jobs.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
        Ok(jobs)
    }

    fn home(&'a self, jobs: &mut Vec<Job<'a>>) {
        let (config, site) = (self.config, self.site);
        let latest: Vec<&ArticleSource<'a>> =
            self.articles.iter().filter(|a| a.article.kind != ArticleKind::Page).take(HOME_LATEST).collect();
        let upcoming: Vec<&MeetingView> =
            self.meetings.iter().filter(|m| m.upcoming).take(HOME_MEETINGS).collect();
        let events: Vec<&EventView> = self.events.iter().filter(|e| e.upcoming).take(HOME_EVENTS).collect();
        let key = with_articles(Key::new("home"), &latest)
            .json(&upcoming)
            .json(&events)
            .json(&site.councillors.len());
        jobs.push(page("", "index.html", "/", key, move || {
            Ok((
                meta(config, "", &config.title, &config.description),
                json!({
                    "latest": views(&latest),
                    "meetings": upcoming,
                    "events": events,
                    "councillor_count": site.councillors.len(),
                }),
            ))
        }));
    }

    /// The councillors, committees and decisions: an index and a page each.
    fn register_pages(&'a self, jobs: &mut Vec<Job<'a>>) {
        let (config, site) = (self.config, self.site);
        jobs.push(page(
            "councillors/",
            "councillors.html",
            "/councillors/",
            Key::new("councillors").json(&site.councillors),
            move || {
                Ok((
                    meta(config, "councillors/", "Our councillors", ""),
                    json!({ "councillors": site.councillors }),
                ))
            },
        ));
        for councillor in &site.councillors {
            let path = format!("councillors/{}/", councillor.slug);
            let meta_path = path.clone();
            jobs.push(
                page(
                    path,
                    "councillor.html",
                    "/councillors/",
                    Key::new("councillor").json(councillor),
                    move || {
                        let description = format!("{}, councillor for {}", councillor.name, councillor.ward);
                        let mut context = json!({ "councillor": councillor });
                        context["councillor"]["biography_html"] =
                            paragraphs(councillor.biography.as_deref().unwrap_or("")).into();
                        Ok((meta(config, &meta_path, &councillor.name, &description), context))
                    },
                )
                .showing_one_record(councillor.updated_at),
            );
        }

        jobs.push(page(
            "committees/",
            "bodies.html",
            "/committees/",
            Key::new("bodies").json(&site.bodies),
            move || {
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
                Ok((
                    meta(
                        config,
                        "committees/",
                        "Committees and outside bodies",
                        "Who represents the group where.",
                    ),
                    json!({ "groups": groups }),
                ))
            },
        ));
        for body in &site.bodies {
            let path = format!("committees/{}/", body.slug);
            let meta_path = path.clone();
            jobs.push(
                page(path, "body.html", "/committees/", Key::new("body").json(body), move || {
                    let description = body
                        .description
                        .clone()
                        .unwrap_or_else(|| format!("{}: who represents the group", body.name));
                    Ok((meta(config, &meta_path, &body.name, &description), json!({ "body": body })))
                })
                .showing_one_record(body.updated_at),
            );
        }

        jobs.push(page(
            "decisions/",
            "decisions.html",
            "/decisions/",
            Key::new("decisions").json(&site.decisions),
            move || {
                Ok((
                    meta(config, "decisions/", "Decisions register", "The group's public decisions."),
                    json!({ "decisions": site.decisions }),
                ))
            },
        ));
        for decision in &site.decisions {
            let path = format!("decisions/{}/", decision.slug);
            let meta_path = path.clone();
            jobs.push(
                page(path, "decision.html", "/decisions/", Key::new("decision").json(decision), move || {
                    let mut context = json!({ "decision": decision });
                    context["decision"]["text_html"] = paragraphs(&decision.text).into();
                    Ok((meta(config, &meta_path, &decision.title, ""), context))
                })
                .showing_one_record(decision.updated_at),
            );
        }
    }

    /// The transparency page and, once there is one, the checkpoint it shows.
    fn transparency_pages(&'a self, jobs: &mut Vec<Job<'a>>) {
        let (config, transparency) = (self.config, self.transparency);
        let key = Key::new("transparency").json(transparency).text(&config.group.id);
        jobs.push(page("transparency/", "transparency.html", "", key, move || {
            Ok((
                meta(
                    config,
                    "transparency/",
                    "Transparency: our signed record",
                    "How anyone can check that the group's record of its decisions has not been altered.",
                ),
                json!({ "transparency": transparency, "group_id": config.group.id }),
            ))
        }));
        if let Transparency::Published(checkpoint) = transparency {
            jobs.push(Job::bytes("checkpoint.txt", checkpoint.note.clone().into()));
        }
    }
}

/// One article's page.
fn article_page<'a>(config: &'a SiteConfig, article: &'a ArticleSource<'a>) -> Job<'a> {
    let section_path = match article.article.kind {
        ArticleKind::News => "/news/",
        ArticleKind::PressRelease => "/press-releases/",
        ArticleKind::Page => "",
    };
    let path = &article.article.path;
    page(path.as_str(), "page.html", section_path, Key::new("article").article(article.article), move || {
        let view = article.view();
        let mut meta = meta(config, &view.path, &view.title, &view.summary);
        meta["og_type"] = "article".into();
        meta["image"] = serde_json::to_value(&view.image)?;
        Ok((meta, json!({ "article": view })))
    })
    .showing_one_record(article.article.updated_at)
}

/// A section of dated records, meetings or events: a list, upcoming soonest
/// first and past newest first, and a page per record.
struct Diary {
    /// The section's folder, e.g. `meetings/`.
    folder: &'static str,
    /// Its address, for the navigation, e.g. `/meetings/`.
    section: &'static str,
    /// The list's template, title and description.
    list: (&'static str, &'static str, &'static str),
    /// The record page's template, and the name its record has in it.
    page: (&'static str, &'static str),
}

const MEETINGS: Diary = Diary {
    folder: "meetings/",
    section: "/meetings/",
    list: ("meetings.html", "Public meetings", "The group's public meetings: when, where and the agenda."),
    page: ("meeting.html", "meeting"),
};

const EVENTS: Diary = Diary {
    folder: "events/",
    section: "/events/",
    list: (
        "events.html",
        "Public events",
        "The group's public events: seminars, away days, conferences and more.",
    ),
    page: ("event.html", "event"),
};

/// What a diary's pages need of a record's view.
trait Dated: Serialize + Sync {
    fn upcoming(&self) -> bool;
    fn path(&self) -> &str;
    fn title(&self) -> &str;
    /// Its description in the head: title, time and status.
    fn summary(&self) -> String;
    fn updated_at(&self) -> DateTime<Utc>;
}

// Meetings' and events' views name these fields alike.
macro_rules! dated {
    ($($view:ty),*) => {$(
        impl Dated for $view {
            fn upcoming(&self) -> bool {
                self.upcoming
            }
            fn path(&self) -> &str {
                &self.path
            }
            fn title(&self) -> &str {
                &self.title
            }
            fn summary(&self) -> String {
                format!("{}, {}: {}", self.title, self.when.starts, self.status)
            }
            fn updated_at(&self) -> DateTime<Utc> {
                self.updated_at
            }
        }
    )*};
}
dated!(MeetingView, EventView);

/// A diary's list and its records' pages.
fn diary_pages<'a, V: Dated>(
    config: &'a SiteConfig,
    jobs: &mut Vec<Job<'a>>,
    diary: &'static Diary,
    records: &'a [V],
) {
    let upcoming: Vec<&V> = records.iter().filter(|r| r.upcoming()).collect();
    let past: Vec<&V> = records.iter().rev().filter(|r| !r.upcoming()).collect();
    let (list_template, title, description) = diary.list;
    let key = Key::new(diary.folder).json(&upcoming).json(&past);
    jobs.push(page(diary.folder, list_template, diary.section, key, move || {
        Ok((meta(config, diary.folder, title, description), json!({ "upcoming": upcoming, "past": past })))
    }));
    let (page_template, name) = diary.page;
    for record in records {
        jobs.push(
            page(record.path(), page_template, diary.section, Key::new(name).json(record), move || {
                let meta = meta(config, record.path(), record.title(), &record.summary());
                Ok((meta, json!({ name: record })))
            })
            .showing_one_record(record.updated_at()),
        );
    }
}

/// A section's list pages; `section` is its address, `/news/` say. `news/` shows the newest `per_page` articles; the
/// archive pages `news/page/1/`, `news/page/2/`, ... hold every article in
/// chunks of `per_page` counted from the oldest, so a page keeps its articles
/// (and its address) as new ones are published: a new article changes the
/// section page and the newest archive page only, not every page.
fn section_pages<'a>(
    config: &'a SiteConfig,
    jobs: &mut Vec<Job<'a>>,
    section: &'static str,
    title: &'static str,
    articles: &[&'a ArticleSource<'a>],
) {
    let (count, per_page) = (articles.len(), config.per_page);
    let archive_pages = if count > per_page { count.div_ceil(per_page) } else { 0 };
    let folder = section.trim_start_matches('/');
    let url = move |page: Option<usize>| match page {
        None => format!("{}{section}", config.base()),
        Some(n) => format!("{}{section}page/{n}/", config.base()),
    };
    // The archive page that holds the newest article not on the section page.
    let older_than_latest = (count > per_page).then(|| (count - 1 - per_page) / per_page + 1);
    let latest: Vec<&'a ArticleSource<'a>> = articles.iter().copied().take(per_page).collect();
    let mut lists = Vec::with_capacity(archive_pages + 1);
    lists.push((None, latest, None, older_than_latest));
    for n in 1..=archive_pages {
        // Oldest-first chunk n, shown newest first.
        let (first, last) = (count - (n * per_page).min(count), count - (n - 1) * per_page);
        let newer = if n < archive_pages { Some(Some(n + 1)) } else { Some(None) };
        lists.push((Some(n), articles[first..last].to_vec(), newer, (n > 1).then(|| n - 1)));
    }
    for (number, on_page, newer, older) in lists {
        let path = match number {
            None => folder.to_owned(),
            Some(n) => format!("{folder}page/{n}/"),
        };
        // The paginator is made from these numbers and the base URL, which
        // every file's hash already takes in (see `output::shared_inputs`).
        let key = with_articles(Key::new("section").json(&(number, newer, older)), &on_page);
        let meta_path = path.clone();
        jobs.push(page(path, "section.html", section, key, move || {
            let paginator = json!({
                "current": number,
                "previous": newer.map(url),
                "next": older.map(|n| url(Some(n))),
            });
            let heading = match number {
                None => title.to_owned(),
                Some(n) => format!("{title}: archive page {n}"),
            };
            Ok((
                meta(config, &meta_path, &heading, ""),
                json!({
                    "section": { "title": title, "path": section },
                    "articles": views(&on_page),
                    "paginator": paginator,
                }),
            ))
        }));
    }
}

/// The site folder's `static/` files, copied as they are.
fn static_files<'a>(static_dir: &Path, generated: &[Job<'a>]) -> anyhow::Result<Vec<Job<'a>>> {
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
        jobs.push(Job::bytes(path, bytes));
    }
    Ok(jobs)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

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
            enquiry_form: None,
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
        assert_eq!(view.when.starts, "Wednesday 15 July 2026, 19:00 BST");
        assert_eq!(view.when.ends.as_deref(), Some("21:30 BST"));
        let winter = crate::public::PublicMeeting { starts_at: at("2026-11-23T23:30:00Z"), ..meeting };
        assert_eq!(meeting_view(&config(), &winter).when.starts, "Monday 23 November 2026, 23:30 GMT");
    }

    #[test]
    fn events_are_listed_upcoming_then_past_with_a_page_each_in_london_time() {
        let at = |s: &str| -> DateTime<Utc> { s.parse().expect("time") };
        let event =
            |slug: &str, starts: &str, status: &'static str, upcoming: bool| crate::public::PublicEvent {
                slug: slug.into(),
                title: slug.into(),
                kind: "Away day",
                description_markdown: Some("A **busy** day.".into()),
                starts_at: at(starts),
                ends_at: None,
                place: Some("Stratford Circus".into()),
                online_link: None,
                host: Some("Housing Forum".into()),
                status,
                cancellation_reason: None,
                upcoming,
                updated_at: at("2026-07-01T09:00:00Z"),
            };
        let site = PublicSite {
            events: vec![
                event("spring", "2026-03-01T10:00:00Z", "Held", false),
                event("summer", "2026-07-15T09:00:00Z", "Cancelled", true),
            ],
            ..PublicSite::default()
        };
        with_jobs(&config(), &site, |_, jobs| {
            let list = context(jobs, "events/index.html");
            assert_eq!(list["upcoming"][0]["path"], "events/summer/");
            assert_eq!(list["past"][0]["path"], "events/spring/");
            assert_eq!(list["section_path"], "/events/");
            let page = context(jobs, "events/summer/index.html");
            assert_eq!(page["event"]["starts"], "Wednesday 15 July 2026, 10:00 BST");
            assert_eq!(page["event"]["cancelled"], true);
            assert_eq!(page["event"]["host"], "Housing Forum");
            assert_eq!(page["event"]["description_html"], "<p>A <strong>busy</strong> day.</p>\n");
            assert_eq!(context(jobs, "index.html")["events"][0]["title"], "summer", "on the home page");
            let sitemap = bytes(jobs, "sitemap.xml");
            assert!(sitemap.contains("<loc>https://example.org/events/spring/</loc>"), "{sitemap}");
            let index = bytes(jobs, "search_index.json");
            assert!(index.contains("\"url\":\"https://example.org/events/summer/\""), "{index}");
        });
        assert!(globals(&config())["nav"].as_array().expect("nav").iter().any(|n| n["path"] == "/events/"));
    }

    fn article(n: u32) -> Article {
        let start: DateTime<Utc> = "2026-03-01T09:00:00Z".parse().expect("time");
        let at = start + chrono::Duration::hours(i64::from(n));
        let mut article = Article {
            id: uuid::Uuid::from_u128(u128::from(n)),
            version: 5,
            kind: ArticleKind::News,
            slug: String::new(),
            path: String::new(),
            title: format!("Story {n}"),
            summary: String::new(),
            body_markdown: "Text.".into(),
            tags: Vec::new(),
            image: Some(("/images/a.jpg".into(), "A street".into())),
            author: "Press Office".into(),
            published_at: at,
            updated_at: at,
            website_receipts: Vec::new(),
            derived: Default::default(),
        };
        article.set_slug(format!("story-{n}"));
        article
    }

    fn context(jobs: &[Job<'_>], path: &str) -> Value {
        match &jobs.iter().find(|j| j.path == path).unwrap_or_else(|| panic!("no {path}")).content {
            Content::Template { context, .. } => context().expect("context"),
            Content::Bytes(_) => panic!("{path} is a page"),
        }
    }

    fn titles(context: &Value) -> Vec<String> {
        let list = context["articles"].as_array().expect("list");
        list.iter().map(|a| a["title"].as_str().expect("title").to_owned()).collect()
    }

    /// Hands `look` the plan of `site` and its jobs (which borrow the plan,
    /// so no helper can return both).
    fn with_jobs<T>(
        config: &SiteConfig,
        site: &PublicSite,
        look: impl FnOnce(&Plan<'_>, &[Job<'_>]) -> T,
    ) -> T {
        let plan = Plan::new(config, site, &Transparency::NoKey);
        let jobs = plan.jobs(Path::new("/nonexistent")).expect("plan");
        look(&plan, &jobs)
    }

    fn plan_of(count: u32) -> (SiteConfig, PublicSite) {
        (
            config(),
            PublicSite {
                articles: (1..=count).rev().map(|n| Arc::new(article(n))).collect(),
                ..PublicSite::default()
            },
        )
    }

    #[test]
    fn news_shows_the_newest_ten_and_archive_pages_count_from_the_oldest() {
        let (config, site) = plan_of(25);
        with_jobs(&config, &site, |_, jobs| {
            let first = context(jobs, "news/index.html");
            assert_eq!(titles(&first)[..2], ["Story 25", "Story 24"]);
            assert_eq!(titles(&first).len(), 10);
            // Stories 15 and older are not on news/: the archive page holding story 15 is page 2 (11 to 20).
            assert_eq!(first["paginator"]["next"], "https://example.org/news/page/2/");
            assert!(first["paginator"]["previous"].is_null());
            let oldest = context(jobs, "news/page/1/index.html");
            assert_eq!(titles(&oldest), (1..=10).rev().map(|n| format!("Story {n}")).collect::<Vec<_>>());
            assert_eq!(oldest["paginator"]["previous"], "https://example.org/news/page/2/");
            assert!(oldest["paginator"]["next"].is_null());
            let newest = context(jobs, "news/page/3/index.html");
            assert_eq!(titles(&newest), (21..=25).rev().map(|n| format!("Story {n}")).collect::<Vec<_>>());
            assert_eq!(
                newest["paginator"]["previous"], "https://example.org/news/",
                "the newest archive page leads back to news/"
            );
            assert!(!jobs.iter().any(|j| j.path == "news/page/4/index.html"));
            let story = context(jobs, "news/story-12/index.html");
            assert_eq!(story["meta"]["canonical"], "https://example.org/news/story-12/");
            assert_eq!(
                story["meta"]["image"]["url"], "https://example.org/images/a.jpg",
                "image made absolute"
            );
        });
    }

    #[test]
    fn a_new_article_changes_the_keys_of_only_the_pages_and_feeds_that_show_it() {
        let keys = |count: u32| {
            let (config, site) = plan_of(count);
            with_jobs(&config, &site, |_, jobs| {
                jobs.iter().map(|j| (j.path.clone(), j.key)).collect::<std::collections::BTreeMap<_, _>>()
            })
        };
        let (before, after) = (keys(34), keys(35));
        let changed: Vec<&str> = after
            .iter()
            .filter(|(path, key)| before.get(*path) != Some(key))
            .map(|(path, _)| path.as_str())
            .collect();
        assert_eq!(
            changed,
            [
                "atom.xml",
                "feed.json",
                "index.html",
                "news/index.html",
                "news/page/4/index.html",
                "news/story-35/index.html",
                "outbox.json",
                "search_index.json",
                "sitemap.xml",
            ]
        );
    }

    fn bytes(jobs: &[Job<'_>], path: &str) -> String {
        match &jobs.iter().find(|j| j.path == path).unwrap_or_else(|| panic!("no {path}")).content {
            Content::Bytes(make) => String::from_utf8(make().expect("made")).expect("utf-8"),
            Content::Template { .. } => panic!("{path} is a page"),
        }
    }

    #[test]
    fn the_sitemap_gives_the_last_change_of_each_page_that_shows_one_record() {
        let (config, site) = plan_of(12);
        with_jobs(&config, &site, |_, jobs| {
            let sitemap = bytes(jobs, "sitemap.xml");
            assert!(
                sitemap.contains(
                    "<loc>https://example.org/news/story-2/</loc>\n    <lastmod>2026-03-01T11:00:00Z</lastmod>\n"
                ),
                "{sitemap}"
            );
            assert!(
                sitemap.contains("<loc>https://example.org/news/</loc>\n  </url>"),
                "a list has no lastmod"
            );
            let pages = jobs.iter().filter(|j| j.path.ends_with("index.html")).count();
            assert_eq!(sitemap.matches("<loc>").count(), pages);
            let locs: Vec<&str> =
                sitemap.split("<loc>").skip(1).map(|s| &s[..s.find('<').expect("end")]).collect();
            assert!(locs.is_sorted(), "by URL");
        });
    }

    #[test]
    fn the_search_index_is_compact_json_with_markup_escaped_and_words_joined_once() {
        let (config, mut site) = plan_of(2);
        let first = Arc::make_mut(&mut site.articles[0]);
        first.title = "</script><b>A & B</b>".into();
        first.summary = "Plans. ".into();
        first.tags = vec!["housing".into(), "parks".into()];
        with_jobs(&config, &site, |_, jobs| {
            let index = bytes(jobs, "search_index.json");
            assert!(!index.contains('<') && !index.contains('&') && index.lines().count() == 1, "{index}");
            let entries: Value = serde_json::from_str(&index).expect("json");
            let story = entries
                .as_array()
                .expect("array")
                .iter()
                .find(|e| e["url"] == "https://example.org/news/story-2/");
            let story = story.expect("story 2 listed");
            assert_eq!(story["title"], "</script><b>A & B</b>");
            assert_eq!(story["text"], "Plans. housing parks");
            assert_eq!(entries[0]["url"], "https://example.org/news/story-1/", "by URL");
        });
    }

    #[test]
    fn only_a_page_that_is_written_renders_its_articles_markdown() {
        let (config, site) = plan_of(3);
        with_jobs(&config, &site, |plan, jobs| {
            assert!(plan.articles.iter().all(|a| a.view.get().is_none()), "planning renders nothing");
            context(jobs, "news/story-2/index.html");
            let rendered: Vec<bool> = plan.articles.iter().map(|a| a.view.get().is_some()).collect();
            assert_eq!(rendered, [false, true, false]);
        });
    }
}
