//! `/organisations`: the council services and outside bodies cases are
//! referred to, with their response targets in working days.

use caucus_domain::organisation::{
    MAX_TARGET_DAYS, Organisation, OrganisationDetails, ResponseTargets as DomainTargets,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use utoipa::{
    IntoParams, PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};
use uuid::Uuid;

use crate::common::{Cursor, PageLimit, Stored, Unrecorded};
use crate::input::{Input, NoteText, OutOfRange, TitleText, number_input};
use crate::mirror::mirror;
use crate::{Fields, ParseRequest};

mirror! {
    /// Whether an organisation is part of the council or outside it.
    pub enum OrganisationKind = caucus_domain::organisation::OrganisationKind {
        /// A department or service of the council.
        CouncilService,
        /// Anyone else: a housing association, the police, a utility.
        OutsideBody,
    }
}

mirror! {
    /// Where an organisation stands.
    pub enum OrganisationStatus = caucus_domain::organisation::OrganisationStatus {
        /// Cases may be referred to it.
        Active,
        /// No longer referred to.
        Retired,
    }
    internal { Unregistered }
}

number_input!(
    /// A response target: 1 to 130 working days.
    TargetDays => u16, 1u16, MAX_TARGET_DAYS
);

/// How quickly an organisation should answer, in working days.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseTargetsRequest {
    /// Working days from referral to its acknowledgement (not more than `reply`).
    pub acknowledge: TargetDays,
    /// Working days from referral to its reply.
    pub reply: TargetDays,
    /// Working days from one chase (or the missed reply) to the next.
    pub chase_every: TargetDays,
}

/// How quickly an organisation should answer, in working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ResponseTargets {
    /// Working days from referral to its acknowledgement.
    pub acknowledge: u16,
    /// Working days from referral to its reply.
    pub reply: u16,
    /// Working days from one chase (or the missed reply) to the next.
    pub chase_every: u16,
}

impl From<DomainTargets> for ResponseTargets {
    fn from(t: DomainTargets) -> Self {
        Self { acknowledge: t.acknowledge, reply: t.reply, chase_every: t.chase_every }
    }
}

/// Register an organisation, or replace its details.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationRequest {
    /// Its name, e.g. "Housing Repairs (Newham Council)".
    pub name: TitleText,
    /// A council service or an outside body.
    pub kind: OrganisationKind,
    /// How to reach it: a team mailbox or enquiry line, never a person's own details.
    #[serde(default)]
    pub contact: Option<NoteText>,
    /// Its response targets (default: acknowledge in 1 working day, reply in 10, chase every 5).
    #[serde(default)]
    pub targets: Option<ResponseTargetsRequest>,
}

impl ParseRequest for OrganisationRequest {
    type Parsed = OrganisationDetails;

    fn parse_fields(&self, fields: &mut Fields) -> Option<OrganisationDetails> {
        let name = fields.check("/name", &self.name);
        let contact = fields.check_optional("/contact", self.contact.as_ref());
        let targets = match &self.targets {
            None => Some(DomainTargets::default()),
            Some(t) => {
                let acknowledge = fields.check("/targets/acknowledge", &t.acknowledge);
                let reply = fields.check("/targets/reply", &t.reply);
                let chase_every = fields.check("/targets/chase_every", &t.chase_every);
                let (acknowledge, reply, chase_every) = (acknowledge?, reply?, chase_every?);
                match DomainTargets::new(acknowledge, reply, chase_every) {
                    Ok(targets) => Some(targets),
                    Err(error) => {
                        fields.reject("/targets/acknowledge", error.to_string());
                        None
                    }
                }
            }
        };
        Some(OrganisationDetails {
            name: name?,
            kind: self.kind.into(),
            contact: contact?,
            targets: targets?,
        })
    }
}

/// Stop referring cases to an organisation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireOrganisationRequest {
    /// Why (a service merged or closed).
    pub reason: NoteText,
}

/// An organisation cases are referred to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrganisationView {
    /// Its id.
    pub id: Uuid,
    /// Its version; also its ETag.
    pub version: u64,
    /// Where it stands.
    pub status: OrganisationStatus,
    /// Its name.
    pub name: String,
    /// A council service or an outside body.
    pub kind: OrganisationKind,
    /// How to reach it.
    pub contact: Option<String>,
    /// Its response targets in working days.
    pub targets: ResponseTargets,
    /// Why it was retired.
    pub retired_because: Option<String>,
    /// When it was registered (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl OrganisationView {
    /// The organisation as the contract shows it.
    pub fn new(id: Uuid, o: Organisation, stored: Stored<'_>) -> Result<Self, Unrecorded> {
        let unregistered = || Unrecorded { record: "organisation", id };
        Ok(Self {
            id,
            version: stored.version,
            status: o.status.try_into().map_err(|_| unregistered())?,
            name: o.name.ok_or_else(unregistered)?.to_string(),
            kind: o.kind.ok_or_else(unregistered)?.into(),
            contact: o.contact.map(|c| c.to_string()),
            targets: o.targets.into(),
            retired_because: o.retired_because.map(|r| r.to_string()),
            created_at: stored.created_at.to_owned(),
            updated_at: stored.updated_at.to_owned(),
        })
    }
}

/// A page of organisations.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrganisationPage {
    /// The organisations, oldest first.
    pub items: Vec<OrganisationView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters for the organisations list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrganisationFilters {
    /// Only organisations in this status.
    #[param(inline)]
    pub status: Option<OrganisationStatus>,
    /// Continue from the `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
    /// Page size, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The register as it stood at this instant, rebuilt from the events recorded by then.
    pub as_of: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(acknowledge: i64, reply: i64) -> OrganisationRequest {
        OrganisationRequest {
            name: "Housing Repairs".into(),
            kind: OrganisationKind::CouncilService,
            contact: None,
            targets: Some(ResponseTargetsRequest {
                acknowledge: TargetDays(acknowledge),
                reply: TargetDays(reply),
                chase_every: TargetDays(5),
            }),
        }
    }

    #[test]
    fn targets_out_of_range_or_out_of_order_name_their_field() {
        let invalid = request(0, 10).parse().expect_err("0 days");
        assert_eq!(invalid.errors[0].pointer, "/targets/acknowledge");
        let invalid = request(12, 10).parse().expect_err("acknowledge after reply");
        assert!(invalid.errors[0].detail.contains("not be longer than the reply"), "{invalid:?}");
        assert_eq!(request(2, 15).parse().expect("valid").targets.reply, 15);
    }
}
