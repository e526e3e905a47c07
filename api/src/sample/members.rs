//! The sample group's councillors.

use crate::domain::{
    LongText,
    member::{Email, Member, MemberCommand, MemberProfile, PhotoUrl},
};
use crate::personal::member::seal_contact;
use crate::store::StoreError;

use super::{Loader, note, sample_member_id, title};

/// The sample members: invented councillors in real Newham wards. Contact
/// details use reserved example addresses and Ofcom's drama numbers.
struct SampleMember {
    name: &'static str,
    ward: &'static str,
    biography: Option<&'static str>,
    /// Days ago and why, for a member who has left the group.
    left: Option<(i64, &'static str)>,
}

const MEMBERS: &[SampleMember] = &[
    SampleMember {
        name: "Amina Begum",
        ward: "Canning Town North",
        biography: Some("Group Leader. A former housing officer, first elected in 2018."),
        left: None,
    },
    SampleMember {
        name: "James Okafor",
        ward: "Stratford",
        biography: Some("Deputy Leader and Cabinet Member for Regeneration."),
        left: None,
    },
    SampleMember {
        name: "Priya Sharma",
        ward: "Forest Gate North",
        biography: Some("Chief Whip. A primary school governor and trade union rep."),
        left: None,
    },
    SampleMember { name: "Mohammed Rahman", ward: "East Ham", biography: None, left: None },
    SampleMember {
        name: "Sarah O'Connell",
        ward: "Plaistow South",
        biography: Some("Group Secretary. Works in the NHS as a community nurse."),
        left: None,
    },
    SampleMember { name: "Tunde Adeyemi", ward: "Beckton", biography: None, left: None },
    SampleMember {
        name: "Fatima Hussain",
        ward: "Custom House",
        biography: Some("Cabinet Member for Children and Young People."),
        left: None,
    },
    SampleMember { name: "Imran Chowdhury", ward: "Green Street East", biography: None, left: None },
    SampleMember {
        name: "Helen Whitmore",
        ward: "Manor Park",
        biography: Some("Group Treasurer. Chairs the Audit Committee."),
        left: None,
    },
    SampleMember { name: "Rajesh Patel", ward: "Little Ilford", biography: None, left: None },
    SampleMember { name: "Grace Mensah", ward: "West Ham", biography: None, left: None },
    SampleMember { name: "Daniel Kowalski", ward: "Boleyn", biography: None, left: None },
    SampleMember { name: "Shabana Akhtar", ward: "Wall End", biography: None, left: None },
    SampleMember { name: "Michael Brennan", ward: "Royal Albert", biography: None, left: None },
    SampleMember { name: "Nadia Islam", ward: "Maryland", biography: None, left: None },
    SampleMember { name: "Oliver Thompson", ward: "Stratford Olympic Park", biography: None, left: None },
    SampleMember { name: "Joyce Nwosu", ward: "Plaistow North", biography: None, left: None },
    SampleMember { name: "Harjit Singh Gill", ward: "East Ham South", biography: None, left: None },
    SampleMember { name: "Lucy Adebayo", ward: "Forest Gate South", biography: None, left: None },
    SampleMember {
        name: "Kamal Uddin",
        ward: "Canning Town South",
        biography: None,
        left: Some((50, "Resigned the Labour whip to sit as an independent councillor")),
    },
];

/// Loads the members; member `n` (1-based) gets [`sample_member_id`]`(n)`.
pub(super) async fn load(loader: &Loader<'_>) -> Result<(), StoreError> {
    for (index, sample) in MEMBERS.iter().enumerate() {
        let handle: String = sample
            .name
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('.'),
                c if c.is_ascii_alphabetic() => Some(c),
                _ => None,
            })
            .collect();
        let id = sample_member_id(index + 1);
        let email = Email::parse(&format!("cllr.{handle}@example.org"))
            .unwrap_or_else(|e| panic!("sample email: {e}"));
        let phone = title(&format!("020 7946 0{:03}", index + 100));
        let (email, phone) = seal_contact(loader.personal, id, Some(&email), Some(&phone))
            .await
            .map_err(|e| StoreError::Inconsistent(format!("sample {}: {e}", sample.name)))?;
        let profile = MemberProfile {
            name: title(sample.name),
            ward: title(sample.ward),
            email,
            phone,
            photo_url: Some(
                PhotoUrl::parse(&format!("https://example.org/members/{handle}.jpg"))
                    .unwrap_or_else(|e| panic!("sample photo: {e}")),
            ),
            biography: sample
                .biography
                .map(|b| LongText::parse(b).unwrap_or_else(|e| panic!("sample biography: {e}"))),
        };
        let mut commands = vec![MemberCommand::JoinGroup {
            group_id: loader.context.group_id.clone(),
            profile: Box::new(profile),
        }];
        if let Some((days_ago, reason)) = sample.left {
            commands.push(MemberCommand::LeaveGroup { on: loader.day(days_ago), reason: note(reason) });
        }
        // The new councillor joins as the route adds a member, starting their induction.
        if index + 1 == super::induction::NEW_MEMBER {
            let joined_on = loader.day(super::induction::JOINED_DAYS_AGO);
            let join = commands.remove(0);
            crate::app::members::join(&loader.scope(), loader.bus, &loader.context, id, join, joined_on)
                .await
                .map_err(Loader::failed(sample.name))?;
            loader.run_on::<Member>(id, commands, sample.name).await?;
            continue;
        }
        loader.run::<Member>(id, commands, sample.name).await?;
    }
    Ok(())
}
