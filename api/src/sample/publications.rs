//! The sample group's publications: press releases and news that went out on
//! the website (with their receipts), the About page, a social post scheduled
//! for tomorrow, a draft and a rejected press release, so the workflow and the
//! publisher have something of each kind to show (and to leave out).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::app::publications;
use crate::domain::{
    LongText,
    publication::{
        Author, ImageRef, Network, Publication, PublicationCommand, PublicationContent, PublicationKind,
        Slug, SocialLimits, Summary, WEBSITE,
    },
};
use crate::store::{StoreError, command_bus::Expectation};

use super::{Loader, note, sample_member_id, title};

/// The sample website's address, for the receipts of what it published.
pub const SITE: &str = "https://newhamlabour.example.org";

/// The token subject the sample's approvals are recorded under: not the
/// loader's, since an author may never approve their own publication.
const SAMPLE_LEADER: &str = "sample-leader";

/// How far a sample publication got.
enum Stage {
    /// Still being written.
    Draft,
    /// Sent back with this note.
    Rejected(&'static str),
    /// Approved and scheduled `hours` from now (negative: in the past, so live).
    Scheduled { hours: i64 },
    /// Scheduled `days_ago` days ago and on the website since.
    Published { days_ago: i64 },
}

struct SamplePublication {
    kind: PublicationKind,
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    tags: &'static [&'static str],
    image: Option<(&'static str, &'static str)>,
    social: &'static [(Network, &'static str)],
    /// The member it is by (1-based, see `sample_member_id`), else the group.
    by_member: Option<(usize, &'static str)>,
    stage: Stage,
}

const PUBLICATIONS: &[SamplePublication] = &[
    SamplePublication {
        kind: PublicationKind::PressRelease,
        title: "Canning Town library saved after Labour group campaign",
        summary: "The Cabinet has dropped plans to close Canning Town library after 4,000 residents signed the group's petition.",
        body: "Newham Labour Group welcomes the Cabinet's decision to keep **Canning Town library** open.\n\n\
               Over 4,000 residents signed the group's petition, and councillors raised the closure at Full Council in March.\n\n\
               > \"The library is where our children learn to read and where older residents get online. We listened, and it stays open.\"\n\
               > Cllr Amina Begum\n\n\
               The group will now work with the Friends of Canning Town Library on community events.",
        tags: &["libraries", "Canning Town"],
        image: Some(("/images/canning-town-library.jpg", "Canning Town library's entrance on Barking Road")),
        social: &[
            (
                Network::Mastodon,
                "Canning Town library stays open! Thank you to the 4,000 residents who signed. https://newhamlabour.example.org/news/canning-town-library-saved-after-labour-group-campaign/",
            ),
            (
                Network::Bluesky,
                "Canning Town library stays open! Thank you to the 4,000 residents who signed the petition. 📚",
            ),
        ],
        by_member: None,
        stage: Stage::Published { days_ago: 30 },
    },
    SamplePublication {
        kind: PublicationKind::NewsArticle,
        title: "Drop-in sessions on 20 mph limits in nine wards",
        summary: "Ward councillors have held drop-in sessions on the 20 mph consultation; here is what residents told us.",
        body: "Over the last month ward councillors held drop-in sessions in nine wards on the council's consultation on a 20 mph default speed limit.\n\n\
               ## What residents said\n\n\
               - Most supported lower limits near schools.\n\
               - Several asked for more crossings on main roads.\n\
               - Bus users asked that journey times be protected.\n\n\
               The consultation closes at the end of next month. Sessions in the remaining wards will be announced here.",
        tags: &["transport", "consultation"],
        image: None,
        social: &[],
        by_member: Some((2, "Cllr James Okafor")),
        stage: Stage::Published { days_ago: 12 },
    },
    SamplePublication {
        kind: PublicationKind::PressRelease,
        title: "Group backs youth services in budget response",
        summary: "The Labour group will support the draft budget only if youth services funding is protected.",
        body: "The Labour group's response to the draft budget calls for youth services to be funded at current levels, \
               and for the proposed rise in parking charges to be reviewed before it is agreed.",
        tags: &["budget", "young people"],
        image: None,
        social: &[(
            Network::X,
            "We'll back the budget only if youth services are protected. Our response: https://newhamlabour.example.org/news/group-backs-youth-services-in-budget-response/",
        )],
        by_member: None,
        stage: Stage::Published { days_ago: 3 },
    },
    SamplePublication {
        kind: PublicationKind::WebPage,
        title: "About the group",
        summary: "Who we are: the Labour councillors on Newham Council, and how to contact us.",
        body: "The Newham Labour Group is the Labour councillors elected to Newham Council.\n\n\
               ## Contact us\n\n\
               Write to the Labour Group Office, Newham Town Hall, Barking Road, East Ham, London E6 2RP.\n\n\
               Your ward councillors hold surgeries every month: see the councillors' pages for times.",
        tags: &[],
        image: None,
        social: &[],
        by_member: None,
        stage: Stage::Published { days_ago: 90 },
    },
    SamplePublication {
        kind: PublicationKind::SocialPost,
        title: "Reminder: Full Council this Thursday",
        summary: "",
        body: "",
        tags: &[],
        image: None,
        social: &[
            (
                Network::Mastodon,
                "Full Council meets this Thursday at 7pm at East Ham Town Hall. Questions from residents are welcome: https://www.newham.gov.uk/council-meetings",
            ),
            (Network::Bluesky, "Full Council meets this Thursday at 7pm at East Ham Town Hall. Come along!"),
            (
                Network::X,
                "Full Council meets this Thursday at 7pm at East Ham Town Hall. Come along! https://www.newham.gov.uk/council-meetings",
            ),
        ],
        by_member: None,
        stage: Stage::Scheduled { hours: 20 },
    },
    SamplePublication {
        kind: PublicationKind::Newsletter,
        title: "Spring newsletter (draft)",
        summary: "Libraries, the budget and the 20 mph consultation.",
        body: "Dear resident,\n\nThis spring the group has ...",
        tags: &["newsletter"],
        image: None,
        social: &[],
        by_member: None,
        stage: Stage::Draft,
    },
    SamplePublication {
        kind: PublicationKind::PressRelease,
        title: "Statement on the planning committee decision",
        summary: "The group's statement on the Stratford tower application.",
        body: "The group notes the planning committee's decision on the Stratford tower application.",
        tags: &["planning"],
        image: None,
        social: &[],
        by_member: Some((5, "Cllr Sarah O'Connell")),
        stage: Stage::Rejected(
            "Planning matters are quasi-judicial: members of the committee must not comment while an appeal is possible. Hold until the appeal window closes.",
        ),
    },
];

/// The sample publication number `n`'s id (UUID v5, stable across loads).
fn publication_id(n: usize) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("newham-labour/publication/{n}").as_bytes())
}

fn content(p: &SamplePublication) -> Result<PublicationContent, StoreError> {
    let invalid =
        |what: &str, e: &dyn std::fmt::Display| StoreError::Inconsistent(format!("sample {what}: {e}"));
    Ok(PublicationContent {
        title: title(p.title),
        summary: (!p.summary.is_empty())
            .then(|| Summary::parse(p.summary))
            .transpose()
            .map_err(|e| invalid("summary", &e))?,
        body_markdown: (!p.body.is_empty())
            .then(|| LongText::parse(p.body))
            .transpose()
            .map_err(|e| invalid("body", &e))?,
        slug: Slug::from_title(p.title).ok_or_else(|| invalid("slug", &p.title))?,
        tags: p.tags.iter().map(|t| (*t).to_owned()).collect(),
        image: p
            .image
            .map(|(url, alt)| ImageRef::parse(url, alt))
            .transpose()
            .map_err(|e| invalid("image", &e))?,
        social_text: p.social.iter().map(|(n, t)| (*n, (*t).to_owned())).collect::<BTreeMap<_, _>>(),
        publish_at: None,
    })
}

fn commands(
    loader: &Loader<'_>,
    p: &SamplePublication,
    now: DateTime<Utc>,
) -> Result<Vec<PublicationCommand>, StoreError> {
    let content = content(p)?;
    let slug = content.slug.as_str().to_owned();
    // The story starts a day before it went out (or an hour ago for what is pending).
    let start = match p.stage {
        Stage::Published { days_ago } => now - Duration::days(days_ago + 1),
        _ => now - Duration::hours(2),
    };
    let author = Author {
        subject: loader.context.actor.clone(),
        name: title(p.by_member.map_or(super::GROUP_NAME, |(_, name)| name)),
        member_id: p.by_member.map(|(n, _)| sample_member_id(n)),
    };
    let mut commands = vec![PublicationCommand::DraftPublication {
        group_id: loader.context.group_id.clone(),
        kind: p.kind,
        content: Box::new(content),
        author,
        at: start,
    }];
    if matches!(p.stage, Stage::Draft) {
        return Ok(commands);
    }
    commands.push(PublicationCommand::SubmitPublication {
        by: loader.context.actor.clone(),
        limits: SocialLimits::default(),
        at: start + Duration::minutes(10),
    });
    if let Stage::Rejected(why) = p.stage {
        commands.push(PublicationCommand::RejectPublication {
            by: SAMPLE_LEADER.into(),
            note: note(why),
            at: start + Duration::minutes(40),
        });
        return Ok(commands);
    }
    commands.push(PublicationCommand::ApprovePublication {
        by: SAMPLE_LEADER.into(),
        at: start + Duration::minutes(30),
    });
    let publish_at = match p.stage {
        Stage::Scheduled { hours } => now + Duration::hours(hours),
        _ => start + Duration::days(1),
    };
    commands.push(PublicationCommand::SchedulePublication {
        by: loader.context.actor.clone(),
        publish_at,
        at: start + Duration::minutes(45),
    });
    if matches!(p.stage, Stage::Published { .. }) {
        let section = if p.kind == PublicationKind::WebPage { "" } else { "news/" };
        commands.push(PublicationCommand::RecordReceipt {
            channel: WEBSITE.into(),
            url: format!("{SITE}/{section}{slug}/"),
            at: publish_at + Duration::minutes(1),
        });
    }
    Ok(commands)
}

/// Loads the sample publications.
pub(super) async fn load(loader: &Loader<'_>) -> Result<(), StoreError> {
    let now = Utc::now();
    for (n, p) in PUBLICATIONS.iter().enumerate() {
        let id = publication_id(n + 1);
        for (step, command) in commands(loader, p, now)?.into_iter().enumerate() {
            let expectation = if step == 0 { Expectation::New } else { Expectation::Existing(None) };
            if matches!(command, PublicationCommand::SchedulePublication { .. }) {
                // Through the slug check every scheduling passes.
                publications::schedule(
                    &loader.scope(),
                    loader.bus,
                    &loader.context,
                    id,
                    command,
                    expectation,
                )
                .await
                .map_err(Loader::failed(p.title))?;
            } else {
                loader.step::<Publication>(id, command, expectation, p.title).await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_publication_has_valid_content() {
        for p in PUBLICATIONS {
            let content = content(p).unwrap_or_else(|e| panic!("{}: {e}", p.title));
            for (network, text) in &content.social_text {
                assert!(
                    crate::domain::publication::social_text::check(*network, text, &SocialLimits::default())
                        .is_ok(),
                    "{} on {network:?}",
                    p.title
                );
            }
        }
    }
}
