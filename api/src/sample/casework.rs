//! The sample group's casework: the organisations its cases go to, and a
//! dozen residents' enquiries across wards, some answered, some overdue, one
//! holding special category data, one closed long enough ago for its
//! personal data to be due for erasure. Names, addresses and numbers are
//! invented (Ofcom's drama numbers, reserved example addresses).

use uuid::Uuid;

use crate::app::casework::{self, Desk, Referring};
use crate::domain::{
    Sealed, WorkingDays,
    case::{
        Case, CaseCategories, CaseCommand, Channel, LawfulCondition, Outcome, ResidentUpdate,
        SpecialCategory, SpecialCategoryKind,
    },
    member::Email,
    organisation::{
        Organisation, OrganisationCommand, OrganisationDetails, OrganisationKind, ResponseTargets,
    },
    publication::Slug,
    resident::ContactMethod,
};
use crate::store::StoreError;
use caucus_wire::casework::{CaseOpening, CaseResident, ResidentContact};

use super::{Loader, long_text, note, sample_member_id, title};

/// An organisation: name, kind, contact, targets (acknowledge, reply, chase).
type SampleOrganisation = (&'static str, OrganisationKind, &'static str, (u16, u16, u16));

const ORGANISATIONS: &[SampleOrganisation] = &[
    (
        "Housing Repairs (Newham Council)",
        OrganisationKind::CouncilService,
        "Members' enquiries team, housing.members@newham.example",
        (1, 10, 5),
    ),
    (
        "Highways and Traffic (Newham Council)",
        OrganisationKind::CouncilService,
        "highways.members@newham.example",
        (2, 15, 5),
    ),
    (
        "Waste and Recycling (Newham Council)",
        OrganisationKind::CouncilService,
        "waste.members@newham.example",
        (1, 5, 3),
    ),
    (
        "Council Tax and Benefits (Newham Council)",
        OrganisationKind::CouncilService,
        "revenues.members@newham.example",
        (1, 10, 5),
    ),
    (
        "Clarion Housing Group",
        OrganisationKind::OutsideBody,
        "MP and councillor enquiries line, 020 7946 0500",
        (2, 20, 10),
    ),
    (
        "Metropolitan Police, Newham",
        OrganisationKind::OutsideBody,
        "Safer Neighbourhoods team inbox",
        (2, 20, 10),
    ),
];

/// What happens to a sample case after it is opened.
enum Course {
    /// Nothing yet.
    Received,
    /// Acknowledged to the resident, not yet referred.
    Acknowledged,
    /// Referred `n` days ago to organisation `o`, and nothing since.
    Referred { days_ago: i64, organisation: usize },
    /// Referred, acknowledged with a reference, chased `chased` days ago.
    Chased { days_ago: i64, organisation: usize, reference: &'static str, chased: i64 },
    /// Referred and answered; closed with an outcome `closed` days ago if given.
    Answered { days_ago: i64, organisation: usize, answer: &'static str, closed: Option<(i64, Outcome)> },
}

struct SampleCase {
    resident: &'static str,
    address: &'static str,
    phone: Option<&'static str>,
    email: Option<&'static str>,
    consent: bool,
    owner: usize,
    shared_with: &'static [usize],
    ward: &'static str,
    category: &'static str,
    channel: Channel,
    summary: &'static str,
    special: Option<SpecialCategoryKind>,
    received_days_ago: i64,
    course: Course,
}

const CASES: &[SampleCase] = &[
    SampleCase {
        resident: "Blessing Adewale",
        address: "Flat 12, Rathbone Court, London E16 1AA",
        phone: Some("07700 900101"),
        email: None,
        consent: true,
        owner: 1,
        shared_with: &[],
        ward: "Canning Town North",
        category: "repairs",
        channel: Channel::Surgery,
        summary: "Damp and black mould in the children's bedroom since the autumn; two visits, no repair.",
        special: Some(SpecialCategoryKind::Health),
        received_days_ago: 40,
        course: Course::Referred { days_ago: 38, organisation: 0 },
    },
    SampleCase {
        resident: "George Whitfield",
        address: "44 Barking Road, London E6 1BB",
        phone: None,
        email: Some("george.whitfield@example.org"),
        consent: true,
        owner: 4,
        shared_with: &[18],
        ward: "East Ham",
        category: "highways",
        channel: Channel::Email,
        summary: "Deep pothole outside the school gates on Barking Road; a cyclist fell last week.",
        special: None,
        received_days_ago: 30,
        course: Course::Chased { days_ago: 29, organisation: 1, reference: "HW-88213", chased: 6 },
    },
    SampleCase {
        resident: "Marta Nowak",
        address: "3 Shrewsbury Road, London E7 8AA",
        phone: Some("07700 900102"),
        email: None,
        consent: true,
        owner: 3,
        shared_with: &[],
        ward: "Forest Gate North",
        category: "waste",
        channel: Channel::Phone,
        summary: "Recycling missed four weeks running on Shrewsbury Road.",
        special: None,
        received_days_ago: 21,
        course: Course::Answered {
            days_ago: 20,
            organisation: 2,
            answer: "The crew had the wrong round sheet; collections restored from next week.",
            closed: Some((12, Outcome::Resolved)),
        },
    },
    SampleCase {
        resident: "Kwame Boateng",
        address: "Flat 3, Brooks Court, London E13 0AA",
        phone: Some("07700 900103"),
        email: Some("kwame.b@example.org"),
        consent: true,
        owner: 5,
        shared_with: &[],
        ward: "Plaistow South",
        category: "council-tax-and-benefits",
        channel: Channel::Letter,
        summary: "Council tax reduction stopped after a change of job; arrears letter received.",
        special: None,
        received_days_ago: 18,
        course: Course::Referred { days_ago: 16, organisation: 3 },
    },
    SampleCase {
        resident: "Shirley Palmer",
        address: "Flat 21, Tollgate Road, London E6 5AA",
        phone: Some("07700 900104"),
        email: None,
        consent: false,
        owner: 6,
        shared_with: &[],
        ward: "Beckton",
        category: "housing",
        channel: Channel::InPerson,
        summary: "Overcrowded two-bedroom flat, family of six; wants to know her banding.",
        special: None,
        received_days_ago: 9,
        course: Course::Acknowledged,
    },
    SampleCase {
        resident: "Abdul Karim",
        address: "27 Prince Regent Lane, London E16 3AA",
        phone: Some("07700 900105"),
        email: None,
        consent: true,
        owner: 7,
        shared_with: &[],
        ward: "Custom House",
        category: "anti-social-behaviour",
        channel: Channel::Surgery,
        summary: "Drug dealing in the stairwell at night; residents afraid to use the lift lobby.",
        special: None,
        received_days_ago: 25,
        course: Course::Chased { days_ago: 24, organisation: 5, reference: "CAD 4471/2026", chased: 3 },
    },
    SampleCase {
        resident: "Eileen Doherty",
        address: "9 Romford Road, London E15 4AA",
        phone: Some("07700 900106"),
        email: None,
        consent: true,
        owner: 11,
        shared_with: &[],
        ward: "West Ham",
        category: "repairs",
        channel: Channel::Phone,
        summary: "Front door lock broken on the block, not secure since the weekend.",
        special: None,
        received_days_ago: 2,
        course: Course::Received,
    },
    SampleCase {
        resident: "Tariq Mahmood",
        address: "Flat 6, Harold Road, London E13 9AA",
        phone: None,
        email: Some("tariq.m@example.org"),
        consent: true,
        owner: 17,
        shared_with: &[],
        ward: "Plaistow North",
        category: "repairs",
        channel: Channel::WebForm,
        summary: "Leak from the flat above into the kitchen ceiling; housing association not answering.",
        special: None,
        received_days_ago: 45,
        course: Course::Referred { days_ago: 44, organisation: 4 },
    },
    SampleCase {
        resident: "Olu Bakare",
        address: "12 Jack Cornwell Street, London E12 6AA",
        phone: Some("07700 900107"),
        email: None,
        consent: true,
        owner: 9,
        shared_with: &[],
        ward: "Manor Park",
        category: "parking",
        channel: Channel::Email,
        summary: "Asks why his street is in the new controlled parking zone without consultation.",
        special: None,
        received_days_ago: 60,
        course: Course::Answered {
            days_ago: 58,
            organisation: 1,
            answer: "The zone was consulted on in 2025; the results are published on the council's site.",
            closed: Some((40, Outcome::NotResolved)),
        },
    },
    SampleCase {
        resident: "Rukhsana Begum",
        address: "5 Katherine Road, London E7 9AA",
        phone: Some("07700 900108"),
        email: None,
        consent: true,
        owner: 19,
        shared_with: &[3],
        ward: "Forest Gate South",
        category: "schools",
        channel: Channel::Surgery,
        summary: "No secondary school place offered within three miles for her son.",
        special: None,
        received_days_ago: 12,
        course: Course::Acknowledged,
    },
    SampleCase {
        resident: "Patrick Flynn",
        address: "31 Jenkins Road, London E13 8AA",
        phone: None,
        email: Some("p.flynn@example.org"),
        consent: true,
        owner: 2,
        shared_with: &[],
        ward: "Stratford",
        category: "environment",
        channel: Channel::Email,
        summary: "Fly-tipping behind the parade of shops, reported three times on the council's app.",
        special: None,
        received_days_ago: 15,
        course: Course::Answered {
            days_ago: 14,
            organisation: 2,
            answer: "Cleared on Tuesday; enforcement officers are reviewing the camera footage.",
            closed: None,
        },
    },
    SampleCase {
        resident: "Doreen Ashby",
        address: "2 Cumberland Road, London E13 8BB",
        phone: Some("07700 900109"),
        email: None,
        consent: true,
        owner: 5,
        shared_with: &[],
        ward: "Plaistow South",
        category: "housing",
        channel: Channel::Letter,
        summary: "Housing benefit overpayment dispute, settled after a review.",
        special: None,
        received_days_ago: 820,
        course: Course::Answered {
            days_ago: 815,
            organisation: 3,
            answer: "The overpayment was written off on review.",
            closed: Some((790, Outcome::Resolved)),
        },
    },
];

fn organisation_id(n: usize) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("newham-labour/organisation/{n}").as_bytes())
}

fn case_id(n: usize) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("newham-labour/case/{n}").as_bytes())
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap_or_else(|e| panic!("sample slug {s:?}: {e}"))
}

pub(super) async fn load(loader: &Loader<'_>) -> Result<(), StoreError> {
    for (n, (name, kind, contact, (acknowledge, reply, chase_every))) in ORGANISATIONS.iter().enumerate() {
        let targets = ResponseTargets::new(*acknowledge, *reply, *chase_every)
            .map_err(|e| StoreError::Inconsistent(format!("sample {name}: {e}")))?;
        let details =
            OrganisationDetails { name: title(name), kind: *kind, contact: Some(note(contact)), targets };
        let command =
            OrganisationCommand::RegisterOrganisation { group_id: loader.context.group_id.clone(), details };
        loader.run::<Organisation>(organisation_id(n), vec![command], name).await?;
    }
    let calendar = WorkingDays::default();
    let categories = CaseCategories::default();
    for (n, sample) in CASES.iter().enumerate() {
        let id = case_id(n);
        let desk = |days_ago: i64| Desk {
            bus: loader.bus,
            personal: loader.personal,
            calendar: &calendar,
            today: loader.day(days_ago),
            categories: categories.as_slice(),
        };
        let preferred = if sample.phone.is_some() { ContactMethod::Phone } else { ContactMethod::Email };
        let contact = ResidentContact {
            name: title(sample.resident),
            address: Some(note(sample.address)),
            email: sample.email.map(|e| Email::parse(e).unwrap_or_else(|e| panic!("sample email: {e}"))),
            phone: sample.phone.map(title),
            preferred_contact: preferred,
            consent_to_share: sample.consent,
        };
        let opening = CaseOpening {
            resident: CaseResident::New(Box::new(contact)),
            ward: title(sample.ward),
            category: slug(sample.category),
            channel: sample.channel,
            summary: long_text(sample.summary),
            special_category: sample.special.map(|kind| SpecialCategory {
                kinds: vec![kind],
                condition: LawfulCondition::ElectedRepresentativeResponding,
            }),
            owner_id: sample_member_id(sample.owner),
            shared_with: sample.shared_with.iter().map(|m| sample_member_id(*m)).collect(),
            received_on: None,
        };
        let failed = Loader::failed(sample.summary);
        let scope = loader.scope();
        casework::open_case(&scope, desk(sample.received_days_ago), &loader.context, id, opening)
            .await
            .map_err(failed)?;
        if matches!(sample.course, Course::Received) {
            continue;
        }
        let acknowledged = CaseCommand::AcknowledgeCase { on: loader.day(sample.received_days_ago - 1) };
        loader.run_on::<Case>(id, vec![acknowledged], sample.summary).await?;
        let (days_ago, organisation) = match sample.course {
            Course::Received | Course::Acknowledged => continue,
            Course::Referred { days_ago, organisation }
            | Course::Chased { days_ago, organisation, .. }
            | Course::Answered { days_ago, organisation, .. } => (days_ago, organisation),
        };
        let referring = Referring {
            organisation_id: organisation_id(organisation),
            share_details: sample.consent,
            their_reference: None,
            on: None,
        };
        let actor = (loader.context.actor.as_str(), loader.context.roles.as_slice());
        let referred = casework::referral(&scope, desk(days_ago), actor, id, referring)
            .await
            .map_err(Loader::failed(sample.summary))?;
        loader.run_on::<Case>(id, vec![referred], sample.summary).await?;
        match sample.course {
            Course::Chased { days_ago, reference, chased, .. } => {
                let acknowledged = CaseCommand::RecordReferralAcknowledged {
                    on: loader.day(days_ago - 1),
                    their_reference: Some(title(reference)),
                };
                loader.run_on::<Case>(id, vec![acknowledged], sample.summary).await?;
                let step = (None, Some("Chased by email: no reply yet to the acknowledgement."));
                let chase = casework::chase(&scope, desk(chased), actor, id, step)
                    .await
                    .map_err(Loader::failed(sample.summary))?;
                loader.run_on::<Case>(id, vec![chase], sample.summary).await?;
            }
            Course::Answered { days_ago, answer, closed, .. } => {
                let summary = seal(loader, id, "summary", answer).await?;
                let answered = CaseCommand::RecordResponse { on: loader.day(days_ago - 5), summary };
                let update = ResidentUpdate {
                    on: loader.day(days_ago - 6),
                    how: preferred,
                    note: seal(loader, id, "note", &format!("Passed on the answer: {answer}")).await?,
                };
                let told = CaseCommand::TellResident { update };
                loader.run_on::<Case>(id, vec![answered, told], sample.summary).await?;
                if let Some((closed_days_ago, outcome)) = closed {
                    let closing =
                        CaseCommand::CloseCase { on: loader.day(closed_days_ago), outcome, note: None };
                    loader.run_on::<Case>(id, vec![closing], sample.summary).await?;
                }
            }
            Course::Received | Course::Acknowledged | Course::Referred { .. } => {}
        }
    }
    Ok(())
}

async fn seal(loader: &Loader<'_>, case: Uuid, field: &str, text: &str) -> Result<Sealed, StoreError> {
    casework::seal(loader.personal, case, field, text).await.map_err(Loader::failed(text))
}
