//! The sample group's registers of interests: real-looking entries for the
//! councillors with seats and posts, "nothing to declare" where they have
//! nothing, one entry withheld with the Monitoring Officer's agreement, and
//! the conference's hospitality registered by one who came. Two omissions
//! are left for the review to find from the sample's own records: Daniel
//! Kowalski's seat on the Lee Valley Regional Park Authority, and Priya
//! Sharma's hospitality at the London Housing Conference (the demo
//! councillor's: it stays on her My work).

use uuid::Uuid;

use crate::app::interests;
use crate::domain::interests::{Category, Detail, EntryDraft, Gift, RegisterChange, RegisterCommand, Whose};
use crate::store::StoreError;

use super::{Loader, note, sample_member_id, title};

/// What one sample entry says.
enum Said {
    /// An interest, in words, naming a body of the sample by name.
    Interest(Category, &'static str, Option<&'static str>),
    /// A spouse's or partner's pecuniary interest.
    Partners(Category, &'static str),
    /// Nothing to declare in the category.
    Nothing(Category),
    /// An interest withheld from publication.
    Sensitive(Category, &'static str, &'static str),
}

/// The entries of each sample member (by number), and how many days ago each was registered.
const REGISTERS: &[(usize, i64, &[Said])] = &[
    (
        1,
        300,
        &[
            Said::Interest(
                Category::EmploymentOfficeTradeProfession,
                "Housing consultant (self-employed), two days a week",
                None,
            ),
            Said::Interest(
                Category::OpinionBody,
                "Member of the Labour Party and of Unison",
                Some("Leader of the Group"),
            ),
            Said::Nothing(Category::Land),
            Said::Sensitive(
                Category::Land,
                "A flat in Canning Town (own home)",
                "Agreed by the Monitoring Officer on safety advice, address withheld",
            ),
        ],
    ),
    (
        2,
        280,
        &[
            Said::Interest(
                Category::OpinionBody,
                "Member of the Labour Party and the Co-operative Party",
                Some("Deputy Leader of the Group"),
            ),
            Said::Interest(Category::Land, "Own home in Stratford", None),
            Said::Partners(Category::EmploymentOfficeTradeProfession, "Teacher, Newham Sixth Form College"),
        ],
    ),
    (
        3,
        250,
        &[
            Said::Interest(
                Category::OpinionBody,
                "Member of the Labour Party and of the GMB",
                Some("Chief Whip"),
            ),
            Said::Interest(Category::Charity, "Governor, Godwin Primary School", None),
            Said::Nothing(Category::Securities),
        ],
    ),
    (
        4,
        240,
        &[
            Said::Interest(Category::OpinionBody, "Member of the Labour Party", Some("Group Secretary")),
            Said::Nothing(Category::EmploymentOfficeTradeProfession),
        ],
    ),
    (
        5,
        230,
        &[
            Said::Interest(
                Category::OpinionBody,
                "Member of the Labour Party and of the Royal College of Nursing",
                Some("Group Treasurer"),
            ),
            Said::Interest(
                Category::EmploymentOfficeTradeProfession,
                "Community nurse, East London NHS Foundation Trust",
                None,
            ),
        ],
    ),
    (
        6,
        200,
        &[
            Said::Interest(
                Category::PublicFunctionBody,
                "Member of the Newham Health and Wellbeing Board",
                Some("Newham Health and Wellbeing Board"),
            ),
            Said::Nothing(Category::Contracts),
        ],
    ),
    (
        7,
        190,
        &[
            Said::Interest(
                Category::AppointedBody,
                "The council's member of London Councils' Transport and Environment Committee",
                Some("London Councils Transport and Environment Committee"),
            ),
            Said::Nothing(Category::Sponsorship),
        ],
    ),
    (8, 180, &[Said::Nothing(Category::Land), Said::Nothing(Category::Securities)]),
    (
        9,
        170,
        &[
            Said::Interest(
                Category::EmploymentOfficeTradeProfession,
                "Chartered accountant, Whitmore & Co",
                None,
            ),
            Said::Interest(Category::Securities, "Shares over £25,000 in Whitmore & Co Ltd, East Ham", None),
        ],
    ),
    (10, 160, &[Said::Interest(Category::Charity, "Trustee, Little Ilford Community Association", None)]),
    (
        12,
        150,
        &[Said::Interest(
            Category::EmploymentOfficeTradeProfession,
            "Electrician, Kowalski Electrical Ltd",
            None,
        )],
    ),
    (
        13,
        140,
        &[Said::Interest(
            Category::PublicFunctionBody,
            "Member of the Newham Health and Wellbeing Board",
            Some("Newham Health and Wellbeing Board"),
        )],
    ),
    (18, 5, &[Said::Nothing(Category::EmploymentOfficeTradeProfession), Said::Nothing(Category::Land)]),
];

/// The conference whose hospitality the review checks (the sample's event 3).
const CONFERENCE: usize = 3;
/// Its day, in days ago (as `events` holds it).
const CONFERENCE_DAYS_AGO: i64 = 8;

/// Loads the registers: after the bodies and the events they name.
pub(super) async fn load(loader: &Loader<'_>, bodies: &[(&'static str, Uuid)]) -> Result<(), StoreError> {
    let body = |name: &str| {
        bodies
            .iter()
            .find(|(b, _)| *b == name)
            .map(|(_, id)| *id)
            .ok_or_else(|| StoreError::Inconsistent(format!("sample register: no body {name}")))
    };
    for (member, days_ago, entries) in REGISTERS {
        for (n, said) in entries.iter().enumerate() {
            let interest = |category, description: &str, body_id| EntryDraft {
                category,
                whose: Whose::Member,
                detail: Detail::Interest {
                    description: note(description),
                    body_id,
                    organisation_id: None,
                    gift: None,
                },
                sensitive: None,
            };
            let draft = match said {
                Said::Interest(category, description, named) => {
                    interest(*category, description, named.map(body).transpose()?)
                }
                Said::Partners(category, description) => {
                    EntryDraft { whose: Whose::Partner, ..interest(*category, description, None) }
                }
                Said::Nothing(category) => EntryDraft {
                    category: *category,
                    whose: Whose::Member,
                    detail: Detail::NothingToDeclare,
                    sensitive: None,
                },
                Said::Sensitive(category, description, agreement) => {
                    EntryDraft { sensitive: Some(note(agreement)), ..interest(*category, description, None) }
                }
            };
            let entry_id =
                Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("newham-labour/interest/{member}/{n}").as_bytes());
            let on = loader.day(days_ago - n as i64);
            change(loader, *member, on, RegisterChange::RegisterEntry { entry_id, draft }).await?;
        }
    }
    // Fatima Hussain came to the conference and registered its hospitality; Priya Sharma came and did not.
    let gift = EntryDraft {
        category: Category::GiftsHospitality,
        whose: Whose::Member,
        detail: Detail::Interest {
            description: note("Lunch and refreshments at the London Housing Conference"),
            body_id: None,
            organisation_id: None,
            gift: Some(Gift {
                value_pence: 8_500,
                giver: title("London Housing Associations Forum"),
                received_on: loader.day(CONFERENCE_DAYS_AGO),
                event_id: Some(super::events::event_id(CONFERENCE)),
            }),
        },
        sensitive: None,
    };
    let entry_id = Uuid::new_v5(&Uuid::NAMESPACE_OID, b"newham-labour/interest/7/conference");
    change(loader, 7, loader.day(2), RegisterChange::RegisterEntry { entry_id, draft: gift }).await?;
    // The Leader confirmed hers unchanged last month.
    change(loader, 1, loader.day(30), RegisterChange::Confirm).await
}

async fn change(
    loader: &Loader<'_>,
    member: usize,
    on: chrono::NaiveDate,
    change: RegisterChange,
) -> Result<(), StoreError> {
    let command = RegisterCommand {
        group_id: loader.context.group_id.clone(),
        member_id: sample_member_id(member),
        on,
        change,
    };
    interests::change(&loader.scope(), loader.bus, &loader.context, command, None)
        .await
        .map_err(Loader::failed("register of interests"))
}
