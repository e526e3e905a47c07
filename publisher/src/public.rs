//! What is public: the one place that decides which of a group's records, and
//! which of their fields, may reach the website. Everything the renderer sees
//! comes through here as a view built field by field, never a domain record,
//! so a field added to a record later (a contact detail, a note) stays private
//! until someone adds it here on purpose.
//!
//! - Decisions classified `public`, whatever their status (a rescinded
//!   decision is still part of the public record).
//! - Bodies classified `public` and active, with their current holders:
//!   appointments classified `public`, confirmed and not ended, of members
//!   still in the group.
//! - Members still in the group: name, ward, photo, biography and their public
//!   appointments. Never email or phone: the member record is `group` because
//!   of them, so the profile is derived explicitly.
//! - Publications only while live at the build time.
//! - Meetings classified `public` and in the diary (tentative, confirmed,
//!   cancelled or held), with only their listed agenda items classified
//!   `public`, and of those only the papers classified `public`. Attendance,
//!   minutes, despatches and presenters are never read here.
//! - The group's own events (seminars, away days, ...) classified `public`
//!   and in the diary (planned, cancelled or held): what, when, where and
//!   who hosts them. Who registered, waits, was offered a place or came,
//!   the organiser and the hospitality's value are never read here.

use std::{
    collections::BTreeMap,
    sync::{Arc, OnceLock},
};

use caucus_api::{
    domain::{
        Classification, Record,
        appointment::{Appointment, AppointmentStatus},
        body::{Body, BodyKind, BodyStatus},
        decision::{Decision, DecisionStatus, TakenBy},
        group_event::{EventKind, GroupEvent, GroupEventStatus},
        meeting::{ItemStatus, Meeting, MeetingKind, MeetingStatus},
        member::{Member, MemberStatus},
        publication::{Publication, PublicationKind, WEBSITE},
    },
    store::replay::{GroupRecords, Replayed},
};
use chrono::{DateTime, NaiveDate, Utc};
use foldhash::{HashMap, HashMapExt as _};
use rayon::prelude::*;
use serde::Serialize;
use uuid::Uuid;

use crate::{
    markdown::to_safe_html,
    slug::{Slugs, slugify},
};

/// The site's own sections: no content page may take their paths.
pub const RESERVED_SLUGS: &[&str] = &[
    "news",
    "press-releases",
    "councillors",
    "committees",
    "decisions",
    "meetings",
    "events",
    "transparency",
];

/// Everything the site may show.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PublicSite {
    /// Public decisions, newest first.
    pub decisions: Vec<PublicDecision>,
    /// Public, active bodies, by kind then name.
    pub bodies: Vec<PublicBody>,
    /// Members in the group, by name.
    pub councillors: Vec<Councillor>,
    /// Live publications, newest first.
    pub articles: Vec<Arc<Article>>,
    /// Public meetings, soonest first.
    pub meetings: Vec<PublicMeeting>,
    /// Public group events (seminars, away days, ...), soonest first.
    pub events: Vec<PublicEvent>,
}

/// A public group event, as the site shows it: never who registered,
/// waits or came, nor the hospitality's value.
#[derive(Debug, Clone, Serialize)]
pub struct PublicEvent {
    /// Its URL slug under `/events/`: its day and title.
    pub slug: String,
    /// Title.
    pub title: String,
    /// What kind of event, in words.
    pub kind: &'static str,
    /// What it is for, Markdown (rendered and sanitised by the renderer).
    pub description_markdown: Option<String>,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: Option<DateTime<Utc>>,
    /// Where it is held.
    pub place: Option<String>,
    /// The link to join online (http or https only).
    pub online_link: Option<String>,
    /// The outside organisation hosting or sponsoring it, by name.
    pub host: Option<String>,
    /// Status in words: `Planned`, `Cancelled` or `Held`.
    pub status: &'static str,
    /// Why it was cancelled.
    pub cancellation_reason: Option<String>,
    /// Whether it starts at or after the build time and is not yet held.
    pub upcoming: bool,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A public meeting, as the site shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicMeeting {
    /// Its URL slug under `/meetings/`: its day and title.
    pub slug: String,
    /// Title.
    pub title: String,
    /// What kind of meeting, in words.
    pub kind: &'static str,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it is expected to end.
    pub ends_at: Option<DateTime<Utc>>,
    /// Where it is held.
    pub place: Option<String>,
    /// The link to join or watch online (http or https only).
    pub online_link: Option<String>,
    /// Status in words: `Tentative`, `Confirmed`, `Cancelled` or `Held`.
    pub status: &'static str,
    /// Why it was cancelled.
    pub cancellation_reason: Option<String>,
    /// Whether it starts at or after the build time and is not yet held.
    pub upcoming: bool,
    /// The public agenda items still listed, in agenda order.
    pub items: Vec<PublicItem>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A public agenda item of a public meeting.
#[derive(Debug, Clone, Serialize)]
pub struct PublicItem {
    /// Title.
    pub title: String,
    /// What it is about, Markdown (rendered and sanitised by the renderer).
    pub description_markdown: Option<String>,
    /// Its public papers.
    pub papers: Vec<PublicPaper>,
}

/// A public paper of a public agenda item.
#[derive(Debug, Clone, Serialize)]
pub struct PublicPaper {
    /// Title.
    pub title: String,
    /// Where it can be read (http or https only).
    pub link: Option<String>,
    /// The stored file it is, if any: copied to the site only if the store
    /// classifies the file itself `public` (see `papers.rs`).
    #[serde(skip)]
    pub file_sha256: Option<String>,
}

/// A public decision.
#[derive(Debug, Clone, Serialize)]
pub struct PublicDecision {
    /// Its URL slug under `/decisions/`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Text (plain text, as recorded).
    pub text: String,
    /// The day it was taken.
    pub decided_on: Option<NaiveDate>,
    /// Where it was taken, in words.
    pub taken_by: String,
    /// Status in words.
    pub status: &'static str,
    /// Votes for, against, abstaining, if recorded.
    pub votes: Option<[u32; 3]>,
    /// The day it was implemented.
    pub implemented_on: Option<NaiveDate>,
    /// Progress notes, oldest first: `(day, note, percent complete)`.
    pub progress: Vec<(NaiveDate, String, u8)>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A public body and who represents the group on it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicBody {
    /// Its URL slug under `/committees/`.
    pub slug: String,
    /// Name.
    pub name: String,
    /// What kind of body, in words.
    pub kind: &'static str,
    /// What it does.
    pub description: Option<String>,
    /// Seats the group fills.
    pub seats: u16,
    /// Current holders, by member name.
    pub holders: Vec<Holder>,
    /// When it or its holders last changed.
    pub updated_at: DateTime<Utc>,
}

/// One current public appointment, seen from the body.
#[derive(Debug, Clone, Serialize)]
pub struct Holder {
    /// The councillor's slug under `/councillors/`.
    pub councillor_slug: String,
    /// The councillor's name.
    pub councillor_name: String,
    /// The post held, e.g. `Chair`.
    pub role_title: Option<String>,
    /// The last day of the term.
    pub term_ends_on: Option<NaiveDate>,
}

/// A councillor's public profile.
#[derive(Debug, Clone, Serialize)]
pub struct Councillor {
    /// Their URL slug under `/councillors/`.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Ward.
    pub ward: String,
    /// Photo URL.
    pub photo_url: Option<String>,
    /// Biography (plain text).
    pub biography: Option<String>,
    /// Their current public appointments, by body name.
    pub roles: Vec<Role>,
    /// When their profile or roles last changed.
    pub updated_at: DateTime<Utc>,
}

/// One current public appointment, seen from the councillor.
#[derive(Debug, Clone, Serialize)]
pub struct Role {
    /// The body's slug under `/committees/`.
    pub body_slug: String,
    /// The body's name.
    pub body_name: String,
    /// The post held.
    pub role_title: Option<String>,
    /// The last day of the term.
    pub term_ends_on: Option<NaiveDate>,
}

/// Which section a publication appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleKind {
    /// A news article, under `/news/`.
    News,
    /// A press release, under `/press-releases/`.
    PressRelease,
    /// A content page at the site's root (about, contact, ...).
    Page,
}

impl ArticleKind {
    /// Its name in the site's data (the search index, templates): as serialised.
    pub fn as_str(self) -> &'static str {
        // Kept equal to the serde names by the test `article_kind_names_are_the_serialised_ones`.
        match self {
            Self::News => "news",
            Self::PressRelease => "press_release",
            Self::Page => "page",
        }
    }
}

/// A live publication, as the site shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// The publication's id (for its receipt; templates never see it).
    pub id: Uuid,
    /// The publication's version: everything below is made from the record
    /// at this version and the section and slug it was given (see `key.rs`).
    #[serde(skip)]
    pub version: i64,
    /// Its section.
    pub kind: ArticleKind,
    /// Its URL slug within its section (set with [`Article::set_slug`]).
    pub slug: String,
    /// Its folder under the site root, e.g. `news/library/`: its section's
    /// and its slug.
    pub path: String,
    /// Title.
    pub title: String,
    /// Summary (plain text).
    pub summary: String,
    /// Body, Markdown (rendered and sanitised by the renderer).
    pub body_markdown: String,
    /// Tags, sorted.
    pub tags: Vec<String>,
    /// Image URL and alternative text.
    pub image: Option<(String, String)>,
    /// Author's name.
    pub author: String,
    /// When it went live.
    pub published_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The URLs it is already recorded as out at on the website (its
    /// receipts; templates never see them).
    #[serde(skip)]
    pub website_receipts: Vec<String>,
    /// What the site derives from the record at this version alone, made on
    /// first use and kept with the article.
    #[serde(skip)]
    pub derived: Derived,
}

/// What the site derives from an article's record at one version, whatever
/// its slug. A running publisher keeps articles from one rebuild to the next
/// (see [`ArticleCache`]), so the feeds' bodies and the search index's
/// entries are made once per version, not at every rebuild.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// The body as safe HTML (see [`to_safe_html`]).
    body_html: OnceLock<String>,
    /// The article's search index entry after its URL (see `feeds.rs`).
    pub(crate) search_entry: OnceLock<Vec<u8>>,
}

impl Article {
    /// Gives the article its slug, and so its path.
    pub fn set_slug(&mut self, slug: String) {
        self.path = match self.kind {
            ArticleKind::News => format!("news/{slug}/"),
            ArticleKind::PressRelease => format!("press-releases/{slug}/"),
            ArticleKind::Page => format!("{slug}/"),
        };
        self.slug = slug;
    }

    /// The body as safe HTML (see [`to_safe_html`]).
    pub fn body_html(&self) -> &str {
        self.derived.body_html.get_or_init(|| to_safe_html(&self.body_markdown))
    }
}

/// Selects what is public in `records` at `now`.
pub fn select(records: &GroupRecords, now: DateTime<Utc>) -> PublicSite {
    select_with(records, now, &mut ArticleCache::default())
}

/// [`select`], reusing the articles of the previous selection in `cache`.
pub fn select_with(records: &GroupRecords, now: DateTime<Utc>, cache: &mut ArticleCache) -> PublicSite {
    let councillors_by_id = councillor_slugs(records);
    let bodies_by_id = body_slugs(records);
    let holdings = current_public_appointments(records, &councillors_by_id, &bodies_by_id);
    PublicSite {
        decisions: decisions(records),
        bodies: bodies(&bodies_by_id, &councillors_by_id, &holdings),
        councillors: councillors(&bodies_by_id, &councillors_by_id, &holdings),
        articles: articles(records, now, cache),
        meetings: meetings(records, now),
        events: events(records, now),
    }
}

/// A link the site may make clickable: only http(s), so no `javascript:` or
/// `data:` URL typed into a meeting or event reaches a page, whatever the api checked.
fn web_link(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| text.trim().to_owned())
}

/// Public meetings in the diary, soonest first; `now` only decides which are
/// upcoming.
fn meetings(records: &GroupRecords, now: DateTime<Utc>) -> Vec<PublicMeeting> {
    let mut public: Vec<(&Replayed<Meeting>, DateTime<Utc>)> = records
        .meetings
        .values()
        .filter(|m| is_public(m.record.classification()) && m.record.status != MeetingStatus::Unscheduled)
        .filter_map(|m| Some((m, m.record.starts_at?)))
        .collect();
    // Oldest first for slugs, so a new meeting never takes an older one's URL.
    public.sort_by_key(|(m, _)| (m.created_at, m.id));
    let mut slugs = Slugs::default();
    let mut meetings: Vec<PublicMeeting> = public
        .into_iter()
        .map(|(m, starts_at)| {
            let r = &m.record;
            let title = text(r.title.as_ref());
            // Field by field: attendance, minutes, despatches and presenters
            // are never read.
            let items = r
                .items
                .iter()
                .filter(|i| i.status == ItemStatus::Listed && is_public(i.classification))
                .map(|i| PublicItem {
                    title: i.title.to_string(),
                    description_markdown: i.description.as_ref().map(ToString::to_string),
                    papers: i
                        .papers
                        .iter()
                        .filter(|p| is_public(p.classification))
                        .map(|p| PublicPaper {
                            title: p.title.to_string(),
                            link: p.link.as_ref().and_then(|l| web_link(l.as_str())),
                            file_sha256: p.file.as_ref().map(|f| f.sha256.clone()),
                        })
                        .collect(),
                })
                .collect();
            // The day it was first put in the diary: a meeting that moves
            // keeps its URL, so links already shared still work.
            let first_day = r.reschedulings.first().map_or(starts_at, |m| m.previous_starts_at);
            PublicMeeting {
                slug: slugs.claim(&format!("{} {title}", first_day.format("%Y-%m-%d"))),
                title,
                kind: meeting_kind(r.kind),
                starts_at,
                ends_at: r.ends_at,
                place: r.place.as_ref().map(ToString::to_string),
                online_link: r.online_link.as_ref().and_then(|l| web_link(l.as_str())),
                status: meeting_status(r.status),
                cancellation_reason: (r.status == MeetingStatus::Cancelled)
                    .then(|| r.cancellation_reason.as_ref().map(ToString::to_string))
                    .flatten(),
                upcoming: starts_at >= now && r.status != MeetingStatus::Held,
                items,
                updated_at: m.updated_at,
            }
        })
        .collect();
    meetings.sort_by(|a, b| (a.starts_at, &a.slug).cmp(&(b.starts_at, &b.slug)));
    meetings
}

fn meeting_status(status: MeetingStatus) -> &'static str {
    match status {
        MeetingStatus::Unscheduled | MeetingStatus::Tentative => "Tentative",
        MeetingStatus::Confirmed => "Confirmed",
        MeetingStatus::Cancelled => "Cancelled",
        MeetingStatus::Held => "Held",
    }
}

fn meeting_kind(kind: Option<MeetingKind>) -> &'static str {
    match kind {
        Some(MeetingKind::GroupMeeting) | None => "Group meeting",
        Some(MeetingKind::Agm) => "Annual general meeting",
        Some(MeetingKind::GroupOfficers) => "Group Officers",
        Some(MeetingKind::SubordinateBody) => "Group committee",
        Some(MeetingKind::FullCouncil) => "Full Council",
        Some(MeetingKind::Cabinet) => "Cabinet",
        Some(MeetingKind::Scrutiny) => "Scrutiny",
        Some(MeetingKind::Committee) => "Council committee",
    }
}

/// Public group events in the diary, soonest first; `now` only decides which
/// are upcoming.
fn events(records: &GroupRecords, now: DateTime<Utc>) -> Vec<PublicEvent> {
    let mut public: Vec<(&Replayed<GroupEvent>, DateTime<Utc>)> = records
        .group_events
        .values()
        .filter(|e| is_public(e.record.classification()) && e.record.status != GroupEventStatus::Unplanned)
        .filter_map(|e| Some((e, e.record.starts_at?)))
        .collect();
    // Oldest first for slugs, so a new event never takes an older one's URL;
    // an event cannot be moved, so its day and title never change.
    public.sort_by_key(|(e, _)| (e.created_at, e.id));
    let mut slugs = Slugs::default();
    let mut events: Vec<PublicEvent> = public
        .into_iter()
        .map(|(e, starts_at)| {
            let r = &e.record;
            let title = text(r.title.as_ref());
            // Field by field: places, the waiting list, offers, the register,
            // the organiser and the hospitality's value are never read.
            PublicEvent {
                slug: slugs.claim(&format!("{} {title}", starts_at.format("%Y-%m-%d"))),
                title,
                kind: event_kind(r.kind),
                description_markdown: r.description.as_ref().map(ToString::to_string),
                starts_at,
                ends_at: r.ends_at,
                place: r.place.as_ref().map(ToString::to_string),
                online_link: r.online_link.as_ref().and_then(|l| web_link(l.as_str())),
                host: r.host.as_ref().map(|h| h.name.to_string()),
                status: event_status(r.status),
                cancellation_reason: (r.status == GroupEventStatus::Cancelled)
                    .then(|| r.cancellation_reason.as_ref().map(ToString::to_string))
                    .flatten(),
                upcoming: starts_at >= now && r.status != GroupEventStatus::Held,
                updated_at: e.updated_at,
            }
        })
        .collect();
    events.sort_by(|a, b| (a.starts_at, &a.slug).cmp(&(b.starts_at, &b.slug)));
    events
}

fn event_status(status: GroupEventStatus) -> &'static str {
    match status {
        GroupEventStatus::Unplanned | GroupEventStatus::Planned => "Planned",
        GroupEventStatus::Cancelled => "Cancelled",
        GroupEventStatus::Held => "Held",
    }
}

fn event_kind(kind: Option<EventKind>) -> &'static str {
    match kind {
        Some(EventKind::Seminar) | None => "Seminar",
        Some(EventKind::AwayDay) => "Away day",
        Some(EventKind::Training) => "Training session",
        Some(EventKind::Conference) => "Conference",
        Some(EventKind::Social) => "Social",
    }
}

/// The articles of earlier selections, by publication, each with the slug
/// it asked for: a running publisher (`watch`) makes an article again only
/// when its publication has changed, not all of them at every rebuild.
#[derive(Debug, Default)]
pub struct ArticleCache {
    known: HashMap<Uuid, (Arc<Article>, Arc<str>)>,
}

impl ArticleCache {
    /// The articles of the last selection, in no order.
    pub fn articles(&self) -> impl Iterator<Item = &Arc<Article>> {
        self.known.values().map(|(article, _)| article)
    }
}

/// Publications live at `now` that the website shows (news, press releases
/// and content pages; social posts and newsletters go out elsewhere), newest
/// first. `cache` holds the articles of the previous selection and is left
/// holding these.
fn articles(records: &GroupRecords, now: DateTime<Utc>, cache: &mut ArticleCache) -> Vec<Arc<Article>> {
    let mut live: Vec<(ArticleKind, &Replayed<Publication>)> = records
        .publications
        .values()
        .filter(|p| p.record.is_live_at(now))
        .filter_map(|p| {
            let kind = match p.record.kind()? {
                PublicationKind::NewsArticle => ArticleKind::News,
                PublicationKind::PressRelease => ArticleKind::PressRelease,
                PublicationKind::WebPage => ArticleKind::Page,
                PublicationKind::SocialPost | PublicationKind::Newsletter => return None,
            };
            Some((kind, p))
        })
        .collect();
    // Oldest first for slugs, so a new article never takes an older one's URL.
    live.par_sort_unstable_by_key(|(kind, p)| (*kind, p.created_at, p.id));
    // An article is made from its record at one version, so one made before
    // at the same version is the same; the others are made on any core.
    let made: Vec<(Arc<Article>, Arc<str>)> = live
        .into_par_iter()
        .map(|(kind, p)| match cache.known.get(&p.id) {
            Some((article, wanted)) if article.version == p.version => (article.clone(), wanted.clone()),
            _ => (Arc::new(article(kind, p)), slugify(p.record.slug()).into()),
        })
        .collect();
    let mut news_slugs = Slugs::default();
    let mut press_slugs = Slugs::default();
    let mut page_slugs = Slugs::reserving(RESERVED_SLUGS);
    let mut known = HashMap::with_capacity(made.len());
    let mut articles = Vec::with_capacity(made.len());
    for (mut article, wanted) in made {
        let slugs = match article.kind {
            ArticleKind::News => &mut news_slugs,
            ArticleKind::PressRelease => &mut press_slugs,
            ArticleKind::Page => &mut page_slugs,
        };
        let slug = slugs.claim_slug(&wanted);
        if article.slug != slug {
            Arc::make_mut(&mut article).set_slug(slug);
        }
        known.insert(article.id, (article.clone(), wanted));
        articles.push(article);
    }
    cache.known = known;
    articles.sort_by(|a, b| {
        b.published_at.cmp(&a.published_at).then_with(|| (a.kind, &a.slug).cmp(&(b.kind, &b.slug)))
    });
    articles
}

/// The article of `p`, a live publication shown in section `kind`, before
/// its slug is given.
fn article(kind: ArticleKind, p: &Replayed<Publication>) -> Article {
    let r = &p.record;
    let updated_at = r.updated_at().unwrap_or(p.updated_at);
    let mut tags = r.tags().to_vec();
    tags.sort();
    tags.dedup();
    Article {
        id: p.id,
        version: p.version,
        kind,
        slug: String::new(),
        path: String::new(),
        title: r.title().to_owned(),
        summary: r.summary().to_owned(),
        body_markdown: r.body_markdown().to_owned(),
        tags,
        image: r.image().map(|i| (i.url.clone(), i.alt.clone())),
        author: r.author_name().to_owned(),
        // The scheduled time, which the events fix, rather than the moment
        // some build first noticed it.
        published_at: r.publish_at().or(r.published_at()).unwrap_or(updated_at),
        updated_at,
        website_receipts: r
            .receipts()
            .iter()
            .filter(|receipt| receipt.channel == WEBSITE)
            .map(|receipt| receipt.url.clone())
            .collect(),
        derived: Derived::default(),
    }
}

fn is_public(classification: Classification) -> bool {
    classification == Classification::Public
}

fn decisions(records: &GroupRecords) -> Vec<PublicDecision> {
    let mut public: Vec<&Replayed<Decision>> = records
        .decisions
        .values()
        .filter(|d| d.record.status != DecisionStatus::Unrecorded && is_public(d.record.classification()))
        .collect();
    // Oldest first for slugs, so a new decision never renames an older one.
    public.sort_by_key(|d| (d.created_at, d.id));
    let mut slugs = Slugs::default();
    let mut decisions: Vec<PublicDecision> = public
        .into_iter()
        .map(|d| {
            let r = &d.record;
            let title = text(r.title.as_ref());
            PublicDecision {
                slug: slugs.claim(&title),
                title,
                text: text(r.text.as_ref()),
                decided_on: r.decided_on,
                taken_by: match &r.taken_by {
                    Some(TakenBy::GroupMeeting { meeting, .. }) => meeting.to_string(),
                    Some(TakenBy::GroupOfficers) | None => "Group Officers".to_owned(),
                },
                status: decision_status(r.status),
                votes: r.votes.map(|v| [v.r#for, v.against, v.abstain]),
                implemented_on: r.implemented_on,
                progress: r.progress.iter().map(|p| (p.on, p.note.to_string(), p.percent_complete)).collect(),
                updated_at: d.updated_at,
            }
        })
        .collect();
    decisions.sort_by(|a, b| b.decided_on.cmp(&a.decided_on).then_with(|| a.slug.cmp(&b.slug)));
    decisions
}

fn decision_status(status: DecisionStatus) -> &'static str {
    match status {
        DecisionStatus::Unrecorded | DecisionStatus::InForce => "In force",
        DecisionStatus::Implemented => "Implemented",
        DecisionStatus::Rescinded => "Rescinded",
        DecisionStatus::Superseded => "Superseded",
    }
}

fn is_public_body(body: &Body) -> bool {
    body.status == BodyStatus::Active && is_public(body.classification())
}

fn is_current_member(member: &Member) -> bool {
    member.status == MemberStatus::Member
}

/// Slugs of the members shown, by id: oldest first, so a new member never
/// renames an existing one.
fn councillor_slugs(records: &GroupRecords) -> BTreeMap<Uuid, (String, &Replayed<Member>)> {
    let mut members: Vec<&Replayed<Member>> =
        records.members.values().filter(|m| is_current_member(&m.record)).collect();
    members.sort_by_key(|m| (m.created_at, m.id));
    let mut slugs = Slugs::default();
    members
        .into_iter()
        .map(|m| {
            let name = text(m.record.name.as_ref());
            (m.id, (slugs.claim(&name), m))
        })
        .collect()
}

fn body_slugs(records: &GroupRecords) -> BTreeMap<Uuid, (String, &Replayed<Body>)> {
    let mut bodies: Vec<&Replayed<Body>> =
        records.bodies.values().filter(|b| is_public_body(&b.record)).collect();
    bodies.sort_by_key(|b| (b.created_at, b.id));
    let mut slugs = Slugs::default();
    bodies
        .into_iter()
        .map(|b| {
            let name = text(b.record.name.as_ref());
            (b.id, (slugs.claim(&name), b))
        })
        .collect()
}

/// A current public appointment of a shown member on a shown body.
struct Holding<'a> {
    member_id: Uuid,
    body_id: Uuid,
    appointment: &'a Replayed<Appointment>,
}

fn current_public_appointments<'a>(
    records: &'a GroupRecords,
    councillors: &BTreeMap<Uuid, (String, &Replayed<Member>)>,
    bodies: &BTreeMap<Uuid, (String, &Replayed<Body>)>,
) -> Vec<Holding<'a>> {
    records
        .appointments
        .values()
        .filter(|a| a.record.status == AppointmentStatus::Current && is_public(a.record.classification()))
        .filter_map(|a| {
            let (member_id, body_id) = (a.record.member_id?, a.record.body_id?);
            (councillors.contains_key(&member_id) && bodies.contains_key(&body_id)).then_some(Holding {
                member_id,
                body_id,
                appointment: a,
            })
        })
        .collect()
}

fn bodies(
    by_id: &BTreeMap<Uuid, (String, &Replayed<Body>)>,
    councillors: &BTreeMap<Uuid, (String, &Replayed<Member>)>,
    holdings: &[Holding<'_>],
) -> Vec<PublicBody> {
    let mut bodies: Vec<PublicBody> = by_id
        .iter()
        .map(|(id, (slug, body))| {
            let mine: Vec<&Holding<'_>> = holdings.iter().filter(|h| h.body_id == *id).collect();
            let mut holders: Vec<Holder> = mine
                .iter()
                .filter_map(|h| {
                    let (councillor_slug, member) = councillors.get(&h.member_id)?;
                    Some(Holder {
                        councillor_slug: councillor_slug.clone(),
                        councillor_name: text(member.record.name.as_ref()),
                        role_title: h.appointment.record.role_title.as_ref().map(ToString::to_string),
                        term_ends_on: h.appointment.record.term_ends_on,
                    })
                })
                .collect();
            holders.sort_by(|a, b| {
                (&a.role_title, &a.councillor_name).cmp(&(&b.role_title, &b.councillor_name))
            });
            let updated_at = latest(body.updated_at, &mine);
            PublicBody {
                slug: slug.clone(),
                name: text(body.record.name.as_ref()),
                kind: body_kind(body.record.kind),
                description: body.record.description.as_ref().map(ToString::to_string),
                seats: body.record.seats,
                holders,
                updated_at,
            }
        })
        .collect();
    bodies.sort_by(|a, b| (a.kind, &a.name, &a.slug).cmp(&(b.kind, &b.name, &b.slug)));
    bodies
}

/// A record's text field, or empty if it has none yet.
fn text<T: ToString>(value: Option<&T>) -> String {
    value.map(ToString::to_string).unwrap_or_default()
}

/// The later of `own` and the holdings' last changes.
fn latest(own: DateTime<Utc>, holdings: &[&Holding<'_>]) -> DateTime<Utc> {
    holdings.iter().map(|h| h.appointment.updated_at).fold(own, DateTime::max)
}

fn body_kind(kind: Option<BodyKind>) -> &'static str {
    match kind {
        Some(BodyKind::GroupPost) => "Group post",
        Some(BodyKind::CouncilCommittee) | None => "Council committee",
        Some(BodyKind::OutsideBody) => "Outside body",
    }
}

fn councillors(
    bodies: &BTreeMap<Uuid, (String, &Replayed<Body>)>,
    by_id: &BTreeMap<Uuid, (String, &Replayed<Member>)>,
    holdings: &[Holding<'_>],
) -> Vec<Councillor> {
    let mut councillors: Vec<Councillor> = by_id
        .iter()
        .map(|(id, (slug, member))| {
            let mine: Vec<&Holding<'_>> = holdings.iter().filter(|h| h.member_id == *id).collect();
            let mut roles: Vec<Role> = mine
                .iter()
                .filter_map(|h| {
                    let (body_slug, body) = bodies.get(&h.body_id)?;
                    Some(Role {
                        body_slug: body_slug.clone(),
                        body_name: text(body.record.name.as_ref()),
                        role_title: h.appointment.record.role_title.as_ref().map(ToString::to_string),
                        term_ends_on: h.appointment.record.term_ends_on,
                    })
                })
                .collect();
            roles.sort_by(|a, b| (&a.body_name, &a.role_title).cmp(&(&b.body_name, &b.role_title)));
            let r = &member.record;
            // Field by field: email and phone are never read here.
            Councillor {
                slug: slug.clone(),
                name: text(r.name.as_ref()),
                ward: text(r.ward.as_ref()),
                photo_url: r.photo_url.as_ref().map(|p| p.as_str().to_owned()),
                biography: r.biography.as_ref().map(ToString::to_string),
                roles,
                updated_at: latest(member.updated_at, &mine),
            }
        })
        .collect();
    councillors.sort_by(|a, b| (&a.name, &a.slug).cmp(&(&b.name, &b.slug)));
    councillors
}

#[cfg(test)]
mod tests {
    use caucus_api::domain::{GroupId, LongText, Sealed, Title};

    use super::*;

    fn at(day: u32) -> DateTime<Utc> {
        format!("2026-03-{day:02}T10:00:00Z").parse().expect("time")
    }

    #[test]
    fn article_kind_names_are_the_serialised_ones() {
        for kind in [ArticleKind::News, ArticleKind::PressRelease, ArticleKind::Page] {
            assert_eq!(serde_json::to_value(kind).expect("serialises"), kind.as_str());
        }
    }

    fn title(s: &str) -> Title {
        Title::parse(s).expect("title")
    }

    fn group() -> Option<GroupId> {
        Some(GroupId::parse("newham-labour").expect("group"))
    }

    fn replayed<A>(n: u128, record: A, day: u32) -> (Uuid, Replayed<A>) {
        let id = Uuid::from_u128(n);
        (id, Replayed { id, record, version: 1, created_at: at(day), updated_at: at(day) })
    }

    fn decision(title_: &str, classification: Classification, status: DecisionStatus) -> Decision {
        Decision {
            group_id: group(),
            status,
            title: Some(title(title_)),
            text: Some(LongText::parse("The text.").expect("text")),
            decided_on: Some("2026-03-02".parse().expect("date")),
            classification: Some(classification),
            ..Decision::default()
        }
    }

    fn member(name: &str, status: MemberStatus) -> Member {
        Member {
            group_id: group(),
            status,
            name: Some(title(name)),
            ward: Some(title("Custom House")),
            email: Some(Sealed::from_stored(format!("{}@example.org", slug::slugify(name)))),
            phone: Some(Sealed::from_stored("020 7946 0999".to_owned())),
            biography: Some(LongText::parse("A biography.").expect("text")),
            ..Member::default()
        }
    }

    fn body(name: &str, classification: Classification) -> Body {
        Body {
            group_id: group(),
            status: BodyStatus::Active,
            name: Some(title(name)),
            kind: Some(BodyKind::CouncilCommittee),
            seats: 3,
            classification: Some(classification),
            ..Body::default()
        }
    }

    fn appointment(
        member: u128,
        body: u128,
        status: AppointmentStatus,
        classification: Classification,
    ) -> Appointment {
        Appointment {
            group_id: group(),
            status,
            member_id: Some(Uuid::from_u128(member)),
            body_id: Some(Uuid::from_u128(body)),
            role_title: Some(title("Chair")),
            classification: Some(classification),
            ..Appointment::default()
        }
    }

    use crate::slug;

    fn records() -> GroupRecords {
        GroupRecords {
            decisions: [
                replayed(
                    1,
                    decision("Oppose the library closure", Classification::Public, DecisionStatus::InForce),
                    1,
                ),
                replayed(2, decision("Whip arrangements", Classification::Group, DecisionStatus::InForce), 2),
                replayed(
                    3,
                    decision("Candidate shortlist", Classification::Confidential, DecisionStatus::InForce),
                    3,
                ),
                replayed(
                    4,
                    decision("Old budget line", Classification::Public, DecisionStatus::Rescinded),
                    4,
                ),
            ]
            .into(),
            members: [
                replayed(10, member("Rokhsana Fiaz", MemberStatus::Member), 1),
                replayed(11, member("Former Councillor", MemberStatus::Left), 1),
            ]
            .into(),
            bodies: [
                replayed(20, body("Cabinet", Classification::Public), 1),
                replayed(21, body("Selection Panel", Classification::Group), 1),
            ]
            .into(),
            appointments: [
                replayed(30, appointment(10, 20, AppointmentStatus::Current, Classification::Public), 2),
                replayed(31, appointment(10, 21, AppointmentStatus::Current, Classification::Public), 2),
                replayed(32, appointment(11, 20, AppointmentStatus::Current, Classification::Public), 2),
                replayed(33, appointment(10, 20, AppointmentStatus::Nominated, Classification::Public), 2),
                replayed(34, appointment(10, 20, AppointmentStatus::Ended, Classification::Public), 2),
                replayed(35, appointment(10, 20, AppointmentStatus::Current, Classification::Officers), 2),
            ]
            .into(),
            ..GroupRecords::default()
        }
    }

    #[test]
    fn only_public_decisions_are_selected_rescinded_ones_included() {
        let site = select(&records(), at(20));
        let titles: Vec<&str> = site.decisions.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(titles, ["Old budget line", "Oppose the library closure"]);
        assert_eq!(site.decisions[0].status, "Rescinded");
    }

    #[test]
    fn members_who_left_and_non_public_bodies_are_not_shown() {
        let site = select(&records(), at(20));
        let names: Vec<&str> = site.councillors.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Rokhsana Fiaz"]);
        let bodies: Vec<&str> = site.bodies.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(bodies, ["Cabinet"]);
    }

    #[test]
    fn holders_are_current_public_appointments_only() {
        let site = select(&records(), at(20));
        let holders: Vec<(&str, Option<&str>)> = site.bodies[0]
            .holders
            .iter()
            .map(|h| (h.councillor_name.as_str(), h.role_title.as_deref()))
            .collect();
        assert_eq!(holders, [("Rokhsana Fiaz", Some("Chair"))]);
        let roles: Vec<&str> = site.councillors[0].roles.iter().map(|r| r.body_name.as_str()).collect();
        assert_eq!(roles, ["Cabinet"]);
        assert_eq!(site.councillors[0].roles[0].body_slug, "cabinet");
        assert_eq!(site.bodies[0].holders[0].councillor_slug, "rokhsana-fiaz");
    }

    /// A publication of `kind` taken through the workflow as far as `steps`
    /// says: 0 drafted, 1 submitted, 2 approved, 3 scheduled for day 10,
    /// 4 withdrawn after that; `rejected` rejects it after submission.
    fn publication(kind: PublicationKind, title_: &str, steps: u8, rejected: bool) -> Publication {
        use caucus_api::domain::{
            Note,
            publication::{Author, PublicationContent, PublicationEvent, Slug},
        };
        let mut p = Publication::default();
        let content = PublicationContent {
            title: title(title_),
            summary: None,
            body_markdown: Some(LongText::parse("Body.").expect("body")),
            slug: Slug::from_title(title_).expect("slug"),
            tags: Vec::new(),
            image: None,
            social_text: BTreeMap::new(),
            publish_at: None,
        };
        let author = Author { subject: "author".into(), name: title("Press Office"), member_id: None };
        let by = || "leader".to_owned();
        let mut events = vec![PublicationEvent::PublicationDrafted {
            group_id: group().expect("group"),
            kind,
            content,
            author,
            at: at(1),
        }];
        if steps >= 1 {
            events.push(PublicationEvent::PublicationSubmitted { by: "author".into(), at: at(2) });
        }
        if rejected {
            events.push(PublicationEvent::PublicationRejected {
                by: by(),
                note: Note::parse("No").expect("note"),
                at: at(3),
            });
        }
        if steps >= 2 {
            events.push(PublicationEvent::PublicationApproved { by: by(), at: at(3) });
        }
        if steps >= 3 {
            events.push(PublicationEvent::PublicationScheduled { by: by(), publish_at: at(10), at: at(4) });
        }
        if steps >= 4 {
            events.push(PublicationEvent::PublicationWithdrawn {
                by: by(),
                reason: Note::parse("Wrong").expect("note"),
                at: at(12),
            });
        }
        for event in events {
            cqrs_es::Aggregate::apply(&mut p, event);
        }
        p
    }

    #[test]
    fn only_publications_live_at_the_build_time_are_shown_on_the_site() {
        let mut records = records();
        records.publications = [
            replayed(40, publication(PublicationKind::NewsArticle, "Live news", 3, false), 1),
            replayed(41, publication(PublicationKind::NewsArticle, "Draft news", 0, false), 1),
            replayed(42, publication(PublicationKind::NewsArticle, "Rejected news", 1, true), 1),
            replayed(43, publication(PublicationKind::PressRelease, "Approved only", 2, false), 1),
            replayed(44, publication(PublicationKind::PressRelease, "Withdrawn release", 4, false), 1),
            replayed(45, publication(PublicationKind::SocialPost, "A social post", 3, false), 1),
            replayed(46, publication(PublicationKind::WebPage, "News", 3, false), 1),
        ]
        .into();
        let titles = |now| -> Vec<(ArticleKind, String, String)> {
            select(&records, now).articles.iter().map(|a| (a.kind, a.title.clone(), a.slug.clone())).collect()
        };
        assert_eq!(titles(at(9)), [], "nothing is live before its scheduled time");
        assert_eq!(
            titles(at(11)),
            [
                (ArticleKind::News, "Live news".to_owned(), "live-news".to_owned()),
                // A page may not take a section's path.
                (ArticleKind::Page, "News".to_owned(), "news-2".to_owned()),
            ]
        );
    }

    #[test]
    fn a_later_selection_reuses_unchanged_articles_and_gives_the_same_site_as_a_fresh_one() {
        let news = |title_: &str, steps| publication(PublicationKind::NewsArticle, title_, steps, false);
        let version = |(id, mut r): (Uuid, Replayed<Publication>), v| {
            r.version = v;
            (id, r)
        };
        let mut records = records();
        records.publications = [
            replayed(50, news("Library", 3), 1),
            replayed(51, news("Library", 3), 2),
            replayed(52, news("Parks", 3), 3),
            replayed(53, news("Roads", 3), 4),
        ]
        .into();
        let mut cache = ArticleCache::default();
        let first = select_with(&records, at(11), &mut cache);
        let find = |site: &PublicSite, n: u128| -> Arc<Article> {
            site.articles.iter().find(|a| a.id == Uuid::from_u128(n)).expect("shown").clone()
        };
        assert_eq!(find(&first, 51).slug, "library-2");

        // The first "Library" is withdrawn and "Parks" renamed: new versions.
        records.publications.extend([version(replayed(50, news("Library", 4), 1), 2)]);
        records.publications.extend([version(replayed(52, news("Parks and gardens", 3), 3), 2)]);
        let second = select_with(&records, at(13), &mut cache);
        assert!(Arc::ptr_eq(&find(&first, 53), &find(&second, 53)), "an unchanged article is made again");
        assert_eq!(find(&second, 52).title, "Parks and gardens", "a changed article is not made again");
        assert_eq!(find(&second, 51).slug, "library", "the freed slug is not given to the kept article");
        assert_eq!(find(&second, 51).path, "news/library/", "the path does not follow the slug");
        assert_eq!(find(&first, 51).slug, "library-2", "the earlier site was changed");
        let shown = |site: &PublicSite| -> Vec<(Uuid, i64, String, String)> {
            site.articles.iter().map(|a| (a.id, a.version, a.slug.clone(), a.title.clone())).collect()
        };
        assert_eq!(shown(&second), shown(&select(&records, at(13))));
    }

    fn meeting(title_: &str, classification: Classification, status: MeetingStatus, day: u32) -> Meeting {
        use caucus_api::domain::{
            Note,
            meeting::{AgendaItem, Paper},
        };
        let paper = |name: &str, link: &str, classification| Paper {
            id: Uuid::new_v4(),
            title: title(name),
            link: Some(Note::parse(link).expect("link")),
            file: None,
            classification,
            despatched_at: None,
        };
        let item = |name: &str, classification, status, papers| AgendaItem {
            id: Uuid::new_v4(),
            title: title(name),
            description: Some(LongText::parse("**Why** it matters.").expect("text")),
            presenter_id: None,
            classification,
            links: Vec::new(),
            status,
            withdrawal_reason: None,
            papers,
            minutes: Some(LongText::parse("Secret minutes.").expect("text")),
            corrections: Vec::new(),
            report_back: None,
        };
        Meeting {
            group_id: group(),
            status,
            kind: Some(MeetingKind::FullCouncil),
            title: Some(title(title_)),
            starts_at: Some(at(day)),
            place: Some(title("Council Chamber")),
            online_link: Some(Note::parse("javascript:alert(1)").expect("link")),
            classification: Some(classification),
            cancellation_reason: (status == MeetingStatus::Cancelled)
                .then(|| Note::parse("The chamber is flooded.").expect("note")),
            items: vec![
                item(
                    "Budget",
                    Classification::Public,
                    ItemStatus::Listed,
                    vec![
                        paper("Budget report", "https://example.org/budget.pdf", Classification::Public),
                        paper("Whip's notes", "https://example.org/whip.pdf", Classification::Group),
                    ],
                ),
                item("Group tactics", Classification::Group, ItemStatus::Listed, Vec::new()),
                item("Dropped item", Classification::Public, ItemStatus::Withdrawn, Vec::new()),
            ],
            ..Meeting::default()
        }
    }

    #[test]
    fn only_public_meetings_with_their_public_items_and_papers_are_selected() {
        let mut records = records();
        records.meetings = [
            replayed(50, meeting("Full Council", Classification::Public, MeetingStatus::Confirmed, 15), 1),
            replayed(51, meeting("Group meeting", Classification::Group, MeetingStatus::Confirmed, 16), 1),
            replayed(52, meeting("Cabinet", Classification::Public, MeetingStatus::Cancelled, 17), 1),
            replayed(53, meeting("Last council", Classification::Public, MeetingStatus::Held, 5), 1),
        ]
        .into();
        if let Some(moved) = records.meetings.get_mut(&Uuid::from_u128(53)) {
            moved
                .record
                .reschedulings
                .push(caucus_api::domain::meeting::Rescheduling { previous_starts_at: at(4), reason: None });
        }
        let site = select(&records, at(10));
        let meetings: Vec<(&str, &str, bool)> =
            site.meetings.iter().map(|m| (m.slug.as_str(), m.status, m.upcoming)).collect();
        assert_eq!(
            meetings,
            [
                // Moved from the 4th to the 5th: its URL stays.
                ("2026-03-04-last-council", "Held", false),
                ("2026-03-15-full-council", "Confirmed", true),
                ("2026-03-17-cabinet", "Cancelled", true),
            ]
        );
        assert_eq!(site.meetings[2].cancellation_reason.as_deref(), Some("The chamber is flooded."));
        assert_eq!(site.meetings[1].cancellation_reason, None);
        let items: Vec<&str> = site.meetings[1].items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(items, ["Budget"], "only listed public items");
        let papers: Vec<&str> = site.meetings[1].items[0].papers.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(papers, ["Budget report"]);
        assert_eq!(site.meetings[1].online_link, None, "only http(s) links are kept");
        assert!(!select(&records, at(16)).meetings[1].upcoming, "upcoming is decided by the build time");
        let json = serde_json::to_string(&site).expect("json");
        for private in ["Group meeting", "Group tactics", "Whip's notes", "Secret minutes", "Dropped item"] {
            assert!(!json.contains(private), "{private} leaked: {json}");
        }
    }

    fn group_event(
        title_: &str,
        classification: Classification,
        status: GroupEventStatus,
        day: u32,
    ) -> GroupEvent {
        use caucus_api::domain::{
            Note,
            group_event::{Host, Invitees, Place},
            meeting::Attendance,
        };
        let place = |n: u128| Place { member_id: Uuid::from_u128(n), since: at(1) };
        GroupEvent {
            group_id: group(),
            status,
            kind: Some(EventKind::AwayDay),
            title: Some(title(title_)),
            description: Some(Note::parse("A day on **housing** policy.").expect("note")),
            starts_at: Some(at(day)),
            ends_at: Some(at(day) + chrono::Duration::hours(6)),
            place: Some(title("Stratford Circus")),
            online_link: Some(Note::parse("data:text/html,hi").expect("link")),
            organiser_id: Some(Uuid::from_u128(10)),
            capacity: Some(2),
            invitees: Some(Invitees::AllMembers),
            host: Some(Host { name: title("Housing Forum"), value_per_head_pence: 8_765 }),
            offer_hours: 48,
            classification: Some(classification),
            registered: vec![place(10), place(11)],
            waiting: vec![place(12)],
            attendance: vec![(Uuid::from_u128(10), Attendance::Present)],
            cancellation_reason: (status == GroupEventStatus::Cancelled)
                .then(|| Note::parse("The venue flooded.").expect("note")),
            ..GroupEvent::default()
        }
    }

    #[test]
    fn only_public_events_in_the_diary_are_selected_without_who_registered_or_came() {
        let mut records = records();
        records.group_events = [
            replayed(
                60,
                group_event("Housing away day", Classification::Public, GroupEventStatus::Planned, 15),
                1,
            ),
            replayed(
                61,
                group_event("Officers' retreat", Classification::Officers, GroupEventStatus::Planned, 16),
                1,
            ),
            replayed(
                62,
                group_event("Summer social", Classification::Public, GroupEventStatus::Cancelled, 17),
                1,
            ),
            replayed(63, group_event("Spring seminar", Classification::Public, GroupEventStatus::Held, 5), 1),
            replayed(
                64,
                group_event("Not yet planned", Classification::Public, GroupEventStatus::Unplanned, 18),
                1,
            ),
            replayed(
                65,
                group_event("Confidential dinner", Classification::Confidential, GroupEventStatus::Held, 4),
                1,
            ),
        ]
        .into();
        let site = select(&records, at(10));
        let events: Vec<(&str, &str, bool)> =
            site.events.iter().map(|e| (e.slug.as_str(), e.status, e.upcoming)).collect();
        assert_eq!(
            events,
            [
                ("2026-03-05-spring-seminar", "Held", false),
                ("2026-03-15-housing-away-day", "Planned", true),
                ("2026-03-17-summer-social", "Cancelled", true),
            ]
        );
        let away_day = &site.events[1];
        assert_eq!(away_day.kind, "Away day");
        assert_eq!(away_day.place.as_deref(), Some("Stratford Circus"));
        assert_eq!(away_day.host.as_deref(), Some("Housing Forum"));
        assert_eq!(away_day.description_markdown.as_deref(), Some("A day on **housing** policy."));
        assert_eq!(away_day.ends_at, Some(at(15) + chrono::Duration::hours(6)));
        assert_eq!(away_day.online_link, None, "only http(s) links are kept");
        assert_eq!(away_day.cancellation_reason, None);
        assert_eq!(site.events[2].cancellation_reason.as_deref(), Some("The venue flooded."));
        assert!(!select(&records, at(16)).events[1].upcoming, "upcoming is decided by the build time");
        let json = serde_json::to_string(&site.events).expect("json");
        let private = ["Officers' retreat", "Not yet planned", "Confidential dinner", "8765", "data:"];
        let ids = [10, 11, 12].map(|n| Uuid::from_u128(n).to_string());
        for private in private.iter().copied().chain(ids.iter().map(String::as_str)).chain(["Rokhsana"]) {
            assert!(!json.contains(private), "{private} leaked: {json}");
        }
    }

    #[test]
    fn no_email_or_phone_ever_reaches_the_public_selection() {
        let json = serde_json::to_string(&select(&records(), at(20))).expect("json");
        assert!(json.contains("Rokhsana Fiaz"), "{json}");
        for private in
            ["@example.org", "020 7946", "Whip arrangements", "Candidate shortlist", "Selection Panel"]
        {
            assert!(!json.contains(private), "{private} leaked: {json}");
        }
    }
}
