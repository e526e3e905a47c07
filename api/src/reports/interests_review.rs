//! The review of the registers of interests: for each member, the likely
//! omissions Caucus finds from its own records. An outside body they were
//! appointed to with no entry naming it; a group post they hold with no
//! opinion body entry (the party), which the code asks of a party post; the
//! hospitality of a sponsored event they came to (at or over the threshold)
//! with no entry naming the event; a register not made 28 days after they
//! joined; an entry not changed or confirmed for more than a year. Each item
//! carries its evidence and an id stable while that evidence stands; an item
//! goes when the entry is made, or when it is dismissed on the register.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::domain::Pence;
use caucus_wire::interests::{
    InterestCategory, InterestsReviewView, ReviewEvidenceView, ReviewItemKind, ReviewItemView,
};
use chrono::{Days, NaiveDate};
use uuid::Uuid;

use crate::domain::{
    body::BodyKind,
    interests::{Category, Clock, ClockCause, ClockSources, Register, clocks},
};

/// A seat a member holds on one of the group's bodies.
#[derive(Debug, Clone)]
pub struct Seat {
    /// The appointment.
    pub appointment_id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// The body.
    pub body_id: Uuid,
    /// Its name.
    pub body_name: String,
    /// What kind of body.
    pub kind: BodyKind,
    /// The first day held (confirmed, or the term's start).
    pub starts_on: NaiveDate,
}

/// A held event whose host's hospitality is to be registered by those who came.
#[derive(Debug, Clone)]
pub struct Hospitality {
    /// The event.
    pub event_id: Uuid,
    /// Its title.
    pub title: String,
    /// Its host.
    pub host: String,
    /// The value a head, in pence.
    pub value_per_head_pence: u64,
    /// Its last day.
    pub held_on: NaiveDate,
    /// The members who came.
    pub came: Vec<Uuid>,
}

/// What the review (and the clocks on My work) are made from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The members reviewed, with their names, in name order.
    pub members: Vec<(Uuid, String)>,
    /// Their registers, by member.
    pub registers: HashMap<Uuid, Register>,
    /// The day each joined, where Caucus saw it (their induction).
    pub joined: HashMap<Uuid, NaiveDate>,
    /// The seats held on outside bodies and group posts.
    pub seats: Vec<Seat>,
    /// The hospitality to register.
    pub hospitality: Vec<Hospitality>,
}

/// The days an entry stands before the member is asked to confirm it.
pub const UNCHANGED_DAYS: u64 = 365;

/// The stable id of the review item of `kind` for `member` on the evidence `record_id` dated `on`.
pub fn item_id(kind: ReviewItemKind, member: Uuid, record_id: Uuid, on: NaiveDate) -> Uuid {
    let kind =
        serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("caucus/interests-review/{kind}/{member}/{record_id}/{on}").as_bytes(),
    )
}

impl Sources {
    /// `member`'s 28-day clocks.
    pub fn clocks(&self, member: Uuid) -> Vec<Clock> {
        let appointments: Vec<(Uuid, Uuid, NaiveDate)> = self
            .seats
            .iter()
            .filter(|s| s.member_id == member && s.kind == BodyKind::OutsideBody)
            .map(|s| (s.appointment_id, s.body_id, s.starts_on))
            .collect();
        let hospitality: Vec<(Uuid, NaiveDate)> = self
            .hospitality
            .iter()
            .filter(|h| h.came.contains(&member))
            .map(|h| (h.event_id, h.held_on))
            .collect();
        clocks(&ClockSources {
            register: self.registers.get(&member),
            joined_on: self.joined.get(&member).copied(),
            appointments: &appointments,
            hospitality: &hospitality,
        })
    }
}

/// The review as on `today`.
pub fn build(sources: &Sources, today: NaiveDate) -> InterestsReviewView {
    let mut items = Vec::new();
    let mut dismissed = 0;
    for (member, name) in &sources.members {
        let register = sources.registers.get(member);
        let mut found = Vec::new();
        for clock in sources.clocks(*member).into_iter().filter(|c| !c.met) {
            let (kind, expected, evidence) = match clock.cause {
                // A register not made is an omission once its clock runs out.
                ClockCause::Joined if clock.run_out_on(today) => (
                    ReviewItemKind::RegisterNotMade,
                    None,
                    ReviewEvidenceView {
                        record: "induction".into(),
                        record_id: *member,
                        summary: format!("Joined the group on {}", clock.starts_on),
                        on: clock.starts_on,
                    },
                ),
                ClockCause::Joined => continue,
                ClockCause::Appointment { appointment_id, .. } => {
                    let Some(seat) = sources.seats.iter().find(|s| s.appointment_id == appointment_id) else {
                        continue;
                    };
                    (
                        ReviewItemKind::OutsideBodyNotRegistered,
                        Some(InterestCategory::AppointedBody),
                        ReviewEvidenceView {
                            record: "appointment".into(),
                            record_id: appointment_id,
                            summary: format!("Appointed to {} from {}", seat.body_name, seat.starts_on),
                            on: seat.starts_on,
                        },
                    )
                }
                ClockCause::Hospitality { event_id } => {
                    let Some(event) = sources.hospitality.iter().find(|h| h.event_id == event_id) else {
                        continue;
                    };
                    (
                        ReviewItemKind::HospitalityNotRegistered,
                        Some(InterestCategory::GiftsHospitality),
                        ReviewEvidenceView {
                            record: "group_event".into(),
                            record_id: event_id,
                            summary: format!(
                                "Came to {} on {}, hosted by {} ({} a head)",
                                event.title,
                                event.held_on,
                                event.host,
                                Pence::unsigned(event.value_per_head_pence)
                            ),
                            on: event.held_on,
                        },
                    )
                }
            };
            found.push((kind, expected, evidence, clock.due_on));
        }
        let party = register.is_some_and(|r| r.interests_in(Category::OpinionBody).next().is_some());
        for seat in sources.seats.iter().filter(|s| s.member_id == *member && s.kind == BodyKind::GroupPost) {
            if party {
                continue;
            }
            let evidence = ReviewEvidenceView {
                record: "appointment".into(),
                record_id: seat.appointment_id,
                summary: format!("Holds the group post {} from {}", seat.body_name, seat.starts_on),
                on: seat.starts_on,
            };
            let due = seat.starts_on.checked_add_days(Days::new(crate::domain::interests::REGISTRATION_DAYS));
            found.push((
                ReviewItemKind::GroupPostNotRegistered,
                Some(InterestCategory::OpinionBody),
                evidence,
                due.unwrap_or(NaiveDate::MAX),
            ));
        }
        for entry in register.into_iter().flat_map(|r| r.live().map(move |e| (r, e))) {
            let (register, entry) = entry;
            let stood_by = register.stood_by_on(entry);
            let due = stood_by.checked_add_days(Days::new(UNCHANGED_DAYS)).unwrap_or(NaiveDate::MAX);
            if due >= today {
                continue;
            }
            let category: InterestCategory = entry.draft.category.into();
            let evidence = ReviewEvidenceView {
                record: "entry".into(),
                record_id: entry.id,
                summary: format!("{} entry unchanged since {stood_by}", category_words(category)),
                on: stood_by,
            };
            found.push((ReviewItemKind::EntryUnchanged, Some(category), evidence, due));
        }
        for (kind, expected, evidence, due_on) in found {
            let id = item_id(kind, *member, evidence.record_id, evidence.on);
            if register.is_some_and(|r| r.dismissed(id)) {
                dismissed += 1;
                continue;
            }
            items.push(ReviewItemView {
                id,
                member_id: *member,
                member_name: name.clone(),
                kind,
                expected,
                evidence,
                due_on,
                overdue: due_on < today,
            });
        }
    }
    items.sort_by(|a, b| (&a.member_name, a.due_on, a.kind).cmp(&(&b.member_name, b.due_on, b.kind)));
    InterestsReviewView { today, members: sources.members.len() as u32, items, dismissed }
}

fn category_words(category: InterestCategory) -> &'static str {
    match category {
        InterestCategory::EmploymentOfficeTradeProfession => "Employment, office, trade or profession",
        InterestCategory::Sponsorship => "Sponsorship",
        InterestCategory::Contracts => "Contracts",
        InterestCategory::Land => "Land",
        InterestCategory::Licences => "Licences",
        InterestCategory::CorporateTenancies => "Corporate tenancies",
        InterestCategory::Securities => "Securities",
        InterestCategory::AppointedBody => "Appointed body",
        InterestCategory::PublicFunctionBody => "Public function body",
        InterestCategory::Charity => "Charity",
        InterestCategory::OpinionBody => "Opinion body",
        InterestCategory::GiftsHospitality => "Gifts and hospitality",
    }
}

fn kind_words(kind: ReviewItemKind) -> &'static str {
    match kind {
        ReviewItemKind::RegisterNotMade => "Register not made within 28 days of joining",
        ReviewItemKind::OutsideBodyNotRegistered => "Outside body not on the register",
        ReviewItemKind::GroupPostNotRegistered => "Group post held, party not on the register",
        ReviewItemKind::HospitalityNotRegistered => "Hospitality not on the register",
        ReviewItemKind::EntryUnchanged => "Entry unchanged for more than a year: confirm it",
    }
}

/// The review as Markdown, for the assistant's notes to the Group Officers.
pub fn to_markdown(review: &InterestsReviewView, group_name: &str) -> String {
    let day = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    let mut md = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(md, "# Register of interests review: {group_name}\n");
    let _ = writeln!(
        md,
        "Made on {}: {} likely omissions across {} members ({} dismissed with a reason).\n",
        day(review.today),
        review.items.len(),
        review.members,
        review.dismissed
    );
    if review.items.is_empty() {
        md.push_str("Nothing found: every register matches Caucus's records.\n");
        return md;
    }
    md.push_str("| Member | Likely omission | Evidence | Entry expected | Due | Item |\n");
    md.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for item in &review.items {
        let due = if item.overdue { format!("{} (overdue)", day(item.due_on)) } else { day(item.due_on) };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {due} | `{}` |",
            item.member_name.replace('|', "\\|"),
            kind_words(item.kind),
            item.evidence.summary.replace('|', "\\|"),
            item.expected.map_or("the register", category_words),
            item.id
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outside_body_without_an_entry_is_an_item_until_dismissed() {
        let member = Uuid::from_u128(1);
        let appointment = Uuid::from_u128(2);
        let today: NaiveDate = "2026-06-30".parse().expect("day");
        let starts_on: NaiveDate = "2026-05-01".parse().expect("day");
        let mut sources = Sources {
            members: vec![(member, "Cllr A".into())],
            seats: vec![Seat {
                appointment_id: appointment,
                member_id: member,
                body_id: Uuid::from_u128(3),
                body_name: "Lee Valley".into(),
                kind: BodyKind::OutsideBody,
                starts_on,
            }],
            ..Sources::default()
        };
        let review = build(&sources, today);
        assert_eq!(review.items.len(), 1);
        let item = &review.items[0];
        assert_eq!(
            (item.kind, item.evidence.record_id, item.overdue),
            (ReviewItemKind::OutsideBodyNotRegistered, appointment, true)
        );
        assert_eq!(
            item.id,
            item_id(ReviewItemKind::OutsideBodyNotRegistered, member, appointment, starts_on)
        );
        let mut register = Register::default();
        register.dismissals.push(crate::domain::interests::Dismissal {
            item_id: item.id,
            on: today,
            reason: crate::domain::Note::parse("Ex officio").expect("note"),
            by: "office".into(),
        });
        sources.registers.insert(member, register);
        let review = build(&sources, today);
        assert_eq!((review.items.len(), review.dismissed), (0, 1));
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    fn entry(category: Category, on: &str) -> crate::domain::interests::Entry {
        crate::domain::interests::Entry {
            id: Uuid::from_u128(9),
            draft: crate::domain::interests::EntryDraft {
                category,
                whose: crate::domain::interests::Whose::Member,
                detail: crate::domain::interests::Detail::NothingToDeclare,
                sensitive: None,
            },
            registered_on: day(on),
            updated_on: day(on),
            removed: None,
        }
    }

    #[test]
    fn a_register_not_made_counts_once_its_clock_runs_out_and_a_year_old_entry_until_confirmed() {
        let member = Uuid::from_u128(1);
        let mut sources = Sources {
            members: vec![(member, "Cllr A".into())],
            joined: [(member, day("2026-05-01"))].into(),
            ..Sources::default()
        };
        assert!(build(&sources, day("2026-05-29")).items.is_empty(), "due that day, not run out");
        let late = build(&sources, day("2026-05-30"));
        assert_eq!(
            late.items.iter().map(|i| (i.kind, i.expected)).collect::<Vec<_>>(),
            [(ReviewItemKind::RegisterNotMade, None)]
        );

        let mut register = Register::default();
        register.entries.push(entry(Category::Land, "2025-05-01"));
        sources.registers.insert(member, register.clone());
        let stale = build(&sources, day("2026-05-30"));
        assert_eq!(stale.items.iter().map(|i| i.kind).collect::<Vec<_>>(), [ReviewItemKind::EntryUnchanged]);
        assert_eq!(stale.items[0].due_on, day("2026-05-01"));
        register.confirmed_on = Some(day("2026-05-02"));
        sources.registers.insert(member, register);
        assert!(build(&sources, day("2026-05-30")).items.is_empty(), "confirmed: stood by again");
    }

    #[test]
    fn a_group_post_asks_for_the_party_among_opinion_bodies() {
        let member = Uuid::from_u128(1);
        let seat = Seat {
            appointment_id: Uuid::from_u128(2),
            member_id: member,
            body_id: Uuid::from_u128(3),
            body_name: "Chief Whip".into(),
            kind: BodyKind::GroupPost,
            starts_on: day("2026-05-01"),
        };
        let mut sources =
            Sources { members: vec![(member, "Cllr A".into())], seats: vec![seat], ..Sources::default() };
        let review = build(&sources, day("2026-05-10"));
        assert_eq!(
            review.items.iter().map(|i| (i.kind, i.overdue)).collect::<Vec<_>>(),
            [(ReviewItemKind::GroupPostNotRegistered, false)]
        );
        let mut register = Register::default();
        let mut party = entry(Category::OpinionBody, "2026-05-02");
        party.draft.detail = crate::domain::interests::Detail::Interest {
            description: crate::domain::Note::parse("Labour Party").expect("note"),
            body_id: None,
            organisation_id: None,
            gift: None,
        };
        register.entries.push(party);
        sources.registers.insert(member, register);
        assert!(build(&sources, day("2026-05-10")).items.is_empty());
        let markdown = to_markdown(&build(&Sources::default(), day("2026-05-10")), "newham-labour");
        assert!(markdown.contains("Nothing found"), "{markdown}");
    }
}
