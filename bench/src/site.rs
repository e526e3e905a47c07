//! `caucus-bench site-seed` and `site-markdown`: the same numbered news
//! articles, once as approved, published publications in a Caucus store (for
//! `caucus-publisher build`) and once as Markdown files with front matter (for
//! Hugo), so `bench/site.sh` can time both building the same site.

use std::{fmt::Write as _, path::Path};

use anyhow::Context as _;
use caucus_api::{
    domain::{
        GroupId, LongText, Role, Title,
        publication::{
            Author, Publication, PublicationCommand, PublicationContent, PublicationKind, Slug, SocialLimits,
            Summary, WEBSITE,
        },
    },
    sample,
    store::{
        Database, StoreConfig,
        command_bus::{CommandBus, CommandContext, Expectation},
    },
};
use chrono::{DateTime, Duration, Utc};
use futures::{StreamExt as _, TryStreamExt as _};
use uuid::Uuid;

/// The site's address in the receipts (the sample site's `base_url`).
const SITE: &str = "http://127.0.0.1:8000";
/// The subject the approvals are recorded under: never the author's.
const LEADER: &str = "bench-leader";
/// Articles seeded at once (the store serialises the writes anyway; a few in
/// flight keep it busy while the others fold and encode).
const IN_FLIGHT: usize = 8;

/// One generated article: number `n` of the run.
struct Article {
    n: u64,
    title: String,
    summary: String,
    body: String,
    tags: [&'static str; 2],
    published: DateTime<Utc>,
}

const WARDS: &[&str] = &[
    "Canning Town North",
    "Custom House",
    "East Ham",
    "Forest Gate North",
    "Little Ilford",
    "Manor Park",
    "Plaistow South",
    "Stratford",
];
const TOPICS: &[&str] = &["housing", "libraries", "transport", "budget", "schools", "parks", "planning"];

/// Article `n`: later numbers are newer (one hour apart, the newest an hour
/// before 2026-11-01), so article `n + 1` goes to the top of the news list.
fn article(n: u64) -> Article {
    let ward = WARDS[(n % WARDS.len() as u64) as usize];
    let topic = TOPICS[(n % TOPICS.len() as u64) as usize];
    let base: DateTime<Utc> = "2026-11-01T00:00:00Z".parse().expect("a valid time");
    let mut body = String::new();
    let _ = write!(
        body,
        "Ward councillors in **{ward}** met residents about {topic} this week (report {n}).\n\n\
         ## What residents told us\n\n\
         - The council should publish its plans for {ward} before the next budget.\n\
         - Residents want a say in how {topic} money is spent.\n\
         - Several asked for a monthly surgery in the ward.\n\n\
         ## What happens next\n\n\
         The group will raise these points at the next Cabinet meeting and report back here. \
         You can read the council's papers on [the council's website](https://www.newham.gov.uk/).\n\n\
         > \"We go where residents are, and we tell them what we did with what they said.\"\n"
    );
    Article {
        n,
        title: format!("{ward}: residents on {topic}, report {n}"),
        summary: format!(
            "What residents in {ward} told their councillors about {topic}, and what happens next."
        ),
        body,
        tags: [topic, "ward reports"],
        published: base - Duration::hours(1_000_000 - n as i64),
    }
}

/// Seeds `count` articles numbered from `first` into the store: each drafted,
/// submitted, approved by someone else, scheduled and published on the
/// website (its receipt recorded), through the command bus. Returns how many
/// commands ran.
pub async fn seed(store: &StoreConfig, first: u64, count: u64) -> anyhow::Result<u64> {
    let db = Database::connect(store).await?;
    db.migrate().await?;
    let bus = CommandBus::new(db.clone());
    let context = CommandContext {
        actor: "bench-assistant".into(),
        roles: vec![Role::Assistant],
        group_id: GroupId::parse(sample::GROUP)?,
        request_id: "bench".into(),
        idempotency_key: None,
    };
    let commands = futures::stream::iter(first..first + count)
        .map(|n| publish(&bus, &context, article(n)))
        .buffer_unordered(IN_FLIGHT)
        .try_fold(0, |total, ran| async move { Ok::<_, anyhow::Error>(total + ran) })
        .await?;
    db.close().await;
    Ok(commands)
}

async fn publish(bus: &CommandBus, context: &CommandContext, a: Article) -> anyhow::Result<u64> {
    let id = Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("caucus-bench/article/{}", a.n).as_bytes());
    let slug = Slug::from_title(&a.title).context("a slug")?;
    let url = format!("{SITE}/news/{}/", slug.as_str());
    let start = a.published - Duration::days(1);
    let content = PublicationContent {
        title: Title::parse(&a.title)?,
        summary: Some(Summary::parse(&a.summary)?),
        body_markdown: Some(LongText::parse(&a.body)?),
        slug,
        tags: a.tags.iter().map(|t| (*t).to_owned()).collect(),
        image: None,
        social_text: Default::default(),
        publish_at: None,
    };
    let commands = [
        PublicationCommand::DraftPublication {
            group_id: context.group_id.clone(),
            kind: PublicationKind::NewsArticle,
            content: Box::new(content),
            author: Author {
                subject: context.actor.clone(),
                name: Title::parse(sample::GROUP_NAME)?,
                member_id: None,
            },
            at: start,
        },
        PublicationCommand::SubmitPublication {
            by: context.actor.clone(),
            limits: SocialLimits::default(),
            at: start + Duration::minutes(10),
        },
        PublicationCommand::ApprovePublication { by: LEADER.into(), at: start + Duration::minutes(30) },
        PublicationCommand::SchedulePublication {
            by: context.actor.clone(),
            publish_at: a.published,
            at: start + Duration::minutes(45),
        },
        PublicationCommand::RecordReceipt { channel: WEBSITE.into(), url, at: a.published },
    ];
    let ran = commands.len() as u64;
    for (i, command) in commands.into_iter().enumerate() {
        let expectation = if i == 0 { Expectation::New } else { Expectation::Existing(None) };
        bus.execute::<Publication>(&id.to_string(), command, context, expectation)
            .await
            .map_err(|e| anyhow::anyhow!("article {}: {e}", a.n))?;
    }
    Ok(ran)
}

/// Writes articles `1..=count` as Hugo content files in `content/news/`
/// under `site` (front matter in TOML: title, date, summary, tags, slug).
pub fn markdown(site: &Path, count: u64) -> anyhow::Result<()> {
    let dir = site.join("content").join("news");
    std::fs::create_dir_all(&dir)?;
    for n in 1..=count {
        let a = article(n);
        let slug = Slug::from_title(&a.title).context("a slug")?;
        let file = format!(
            "+++\ntitle = {title:?}\ndate = {date:?}\nsummary = {summary:?}\ntags = [{t0:?}, {t1:?}]\n\
             slug = {slug:?}\n+++\n\n{body}",
            title = a.title,
            date = a.published.to_rfc3339(),
            summary = a.summary,
            t0 = a.tags[0],
            t1 = a.tags[1],
            slug = slug.as_str(),
            body = a.body,
        );
        std::fs::write(dir.join(format!("{}.md", slug.as_str())), file)?;
    }
    Ok(())
}
