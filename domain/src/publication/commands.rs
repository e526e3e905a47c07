use chrono::{DateTime, Utc};

use super::aggregate::{Author, Network, PublicationContent, PublicationKind};
use super::social_text::SocialLimits;
use crate::{GroupId, Note};

/// What a publisher process reports after trying to post to a network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The network accepted the post.
    Delivered {
        /// The network's id for the post.
        external_id: String,
        /// The post's URL.
        url: String,
    },
    /// It failed; try again from `retry_at`.
    Failed {
        /// What went wrong.
        error: String,
        /// When it may be claimed again.
        retry_at: DateTime<Utc>,
    },
}

/// What a caller can ask of a publication. `at` is the request's time and
/// `by` the caller's token subject, both filled in by the route.
#[derive(Debug, Clone, PartialEq)]
pub enum PublicationCommand {
    /// Start a draft.
    DraftPublication {
        /// The group it belongs to.
        group_id: GroupId,
        /// What kind of publication.
        kind: PublicationKind,
        /// Its content, already checked.
        content: Box<PublicationContent>,
        /// Who writes it.
        author: Author,
        /// When.
        at: DateTime<Utc>,
    },
    /// Replace the content of a draft or a rejected item.
    EditPublication {
        /// The new content.
        content: Box<PublicationContent>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Ask for approval; social texts are checked against each network's limit.
    SubmitPublication {
        /// Who submits.
        by: String,
        /// The per-deployment limits (Mastodon's is the instance's).
        limits: SocialLimits,
        /// When.
        at: DateTime<Utc>,
    },
    /// Approve it (never by its author).
    ApprovePublication {
        /// Who approves.
        by: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// Send it back with a note.
    RejectPublication {
        /// Who rejects.
        by: String,
        /// Why.
        note: Note,
        /// When.
        at: DateTime<Utc>,
    },
    /// Set when it goes out.
    SchedulePublication {
        /// Who schedules.
        by: String,
        /// When it goes public.
        publish_at: DateTime<Utc>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Take it down, or stop it before it goes out.
    WithdrawPublication {
        /// Who withdraws.
        by: String,
        /// Why.
        reason: Note,
        /// When.
        at: DateTime<Utc>,
    },
    /// Record that it went out somewhere; repeats of a (channel, url) change nothing.
    RecordReceipt {
        /// `website` or a network name.
        channel: String,
        /// Where it can be seen (an absolute http(s) URL).
        url: String,
        /// When it went out.
        at: DateTime<Utc>,
    },
    /// Claim the delivery to one network, so no other process delivers it.
    ClaimDelivery {
        /// The network.
        network: Network,
        /// When.
        at: DateTime<Utc>,
    },
    /// Report how a claimed delivery went.
    RecordDeliveryOutcome {
        /// The network.
        network: Network,
        /// The attempt being reported, if the caller wants it checked.
        attempt: Option<u32>,
        /// How it went.
        outcome: DeliveryOutcome,
        /// When.
        at: DateTime<Utc>,
    },
}
