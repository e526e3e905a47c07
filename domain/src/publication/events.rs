use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::aggregate::{Author, Network, PublicationContent, PublicationKind};
use crate::{GroupId, Note};

/// Everything that can happen to a publication. Every event carries the time
/// it happened (`at`, from the request), because the aggregate cannot see the
/// metadata's `recorded_at` and the state needs those times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PublicationEvent {
    /// A draft was started.
    PublicationDrafted {
        /// The group it belongs to.
        group_id: GroupId,
        /// What kind of publication it is.
        kind: PublicationKind,
        /// Its content.
        content: PublicationContent,
        /// Who wrote it.
        author: Author,
        /// When.
        at: DateTime<Utc>,
    },
    /// The content was replaced (a draft, or a rejected item going back to draft).
    PublicationEdited {
        /// The new content.
        content: PublicationContent,
        /// When.
        at: DateTime<Utc>,
    },
    /// The author (or the office) asked for approval.
    PublicationSubmitted {
        /// The token subject who submitted it.
        by: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The Leader or a Group Officer approved it.
    PublicationApproved {
        /// The approver's token subject.
        by: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// It was sent back, with a note saying why.
    PublicationRejected {
        /// Who rejected it.
        by: String,
        /// Why.
        note: Note,
        /// When.
        at: DateTime<Utc>,
    },
    /// It was scheduled to go out at `publish_at`.
    PublicationScheduled {
        /// Who scheduled it.
        by: String,
        /// When it goes public.
        publish_at: DateTime<Utc>,
        /// When it was scheduled.
        at: DateTime<Utc>,
    },
    /// The website published it (its first website receipt).
    PublicationPublished {
        /// When the page went up.
        at: DateTime<Utc>,
    },
    /// It was taken down (or stopped before going out); the page comes down.
    PublicationWithdrawn {
        /// Who withdrew it.
        by: String,
        /// Why.
        reason: Note,
        /// When.
        at: DateTime<Utc>,
    },
    /// Something made it public somewhere: a website page or a social post.
    ReceiptRecorded {
        /// `website` or a network's name.
        channel: String,
        /// Where it can be seen.
        url: String,
        /// When it went out.
        at: DateTime<Utc>,
    },
    /// A publisher process claimed the delivery to one network.
    DeliveryClaimed {
        /// The network.
        network: Network,
        /// Which attempt this is, from 1.
        attempt: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// The network accepted the post.
    DeliverySucceeded {
        /// The network.
        network: Network,
        /// The attempt that succeeded.
        attempt: u32,
        /// The network's id for the post.
        external_id: String,
        /// The post's URL.
        url: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The delivery failed; it may be claimed again from `retry_at`.
    DeliveryFailed {
        /// The network.
        network: Network,
        /// The attempt that failed.
        attempt: u32,
        /// What went wrong.
        error: String,
        /// When to try again.
        retry_at: DateTime<Utc>,
        /// When.
        at: DateTime<Utc>,
    },
}

impl DomainEvent for PublicationEvent {
    fn event_type(&self) -> String {
        match self {
            Self::PublicationDrafted { .. } => "PublicationDrafted",
            Self::PublicationEdited { .. } => "PublicationEdited",
            Self::PublicationSubmitted { .. } => "PublicationSubmitted",
            Self::PublicationApproved { .. } => "PublicationApproved",
            Self::PublicationRejected { .. } => "PublicationRejected",
            Self::PublicationScheduled { .. } => "PublicationScheduled",
            Self::PublicationPublished { .. } => "PublicationPublished",
            Self::PublicationWithdrawn { .. } => "PublicationWithdrawn",
            Self::ReceiptRecorded { .. } => "ReceiptRecorded",
            Self::DeliveryClaimed { .. } => "DeliveryClaimed",
            Self::DeliverySucceeded { .. } => "DeliverySucceeded",
            Self::DeliveryFailed { .. } => "DeliveryFailed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}
