use chrono::NaiveDate;
use cqrs_es::{Aggregate, DomainEvent, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entry::{Category, Detail, Entry, EntryDraft, Removal, RemovalReason, Whose};
use crate::{Classification, DomainError, GroupId, Note, Record, RecordIndex, Refusal, Role, tag};

/// The id of `member_id`'s register of interests: one per member, found without a lookup.
pub fn register_id(member_id: Uuid) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("caucus/register-of-interests/{member_id}").as_bytes())
}

/// A review item dismissed: not an omission, for the reason given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dismissal {
    /// The review item's stable id.
    pub item_id: Uuid,
    /// The day.
    pub on: NaiveDate,
    /// Why it is not an omission.
    pub reason: Note,
    /// Who dismissed it (their sign-in subject).
    pub by: String,
}

/// What a caller can ask of a member's register (opening it on the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterCommand {
    /// The group.
    pub group_id: GroupId,
    /// The member whose register it is.
    pub member_id: Uuid,
    /// The day it is done, in the group's time zone.
    pub on: NaiveDate,
    /// What is done.
    pub change: RegisterChange,
}

/// The changes a register takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterChange {
    /// Register an entry (an interest, or nothing to declare in a category).
    RegisterEntry {
        /// The new entry's id.
        entry_id: Uuid,
        /// What it says.
        draft: EntryDraft,
    },
    /// Change what an entry says.
    UpdateEntry {
        /// The entry.
        entry_id: Uuid,
        /// What it now says.
        draft: EntryDraft,
    },
    /// Take an entry off the register.
    RemoveEntry {
        /// The entry.
        entry_id: Uuid,
        /// Why.
        reason: Note,
    },
    /// The member confirms the register unchanged.
    Confirm,
    /// Dismiss an item of the review as no omission.
    DismissReviewItem {
        /// The item.
        item_id: Uuid,
        /// Why.
        reason: Note,
        /// Who (their sign-in subject).
        by: String,
    },
}

/// Everything that can happen to a register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegisterEvent {
    /// The member's register was opened.
    RegisterOpened {
        /// The group.
        group_id: GroupId,
        /// The member.
        member_id: Uuid,
    },
    /// An entry was registered.
    EntryRegistered {
        /// The entry.
        entry: Entry,
    },
    /// An entry was changed.
    EntryUpdated {
        /// The entry.
        entry_id: Uuid,
        /// What it now says.
        draft: EntryDraft,
        /// The day.
        on: NaiveDate,
    },
    /// An entry was taken off the register.
    EntryRemoved {
        /// The entry.
        entry_id: Uuid,
        /// When and why.
        removal: Removal,
    },
    /// The member confirmed the register unchanged.
    RegisterConfirmed {
        /// The day.
        on: NaiveDate,
    },
    /// A review item was dismissed.
    ReviewItemDismissed {
        /// The item, when and why.
        dismissal: Dismissal,
    },
}

impl DomainEvent for RegisterEvent {
    fn event_type(&self) -> String {
        match self {
            Self::RegisterOpened { .. } => "RegisterOpened",
            Self::EntryRegistered { .. } => "EntryRegistered",
            Self::EntryUpdated { .. } => "EntryUpdated",
            Self::EntryRemoved { .. } => "EntryRemoved",
            Self::RegisterConfirmed { .. } => "RegisterConfirmed",
            Self::ReviewItemDismissed { .. } => "ReviewItemDismissed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}

/// A member's register of interests, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// The member.
    pub member_id: Option<Uuid>,
    /// Every entry, on the register or removed, in the order registered.
    pub entries: Vec<Entry>,
    /// The last day the member confirmed it unchanged.
    pub confirmed_on: Option<NaiveDate>,
    /// The review items dismissed.
    pub dismissals: Vec<Dismissal>,
}

/// Why a register command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    /// A register for another member under this member's id.
    #[error("this register is another member's")]
    OtherMember,
    /// An entry id used already.
    #[error("an entry with this id is registered already")]
    EntryRegisteredAlready,
    /// No such entry.
    #[error("no such entry on this register")]
    NoSuchEntry,
    /// A removed entry changed or removed again.
    #[error("this entry has been removed from the register")]
    EntryRemoved,
    /// "Nothing to declare" where an interest of the category is registered.
    #[error("an interest is registered in this category: remove it before declaring nothing")]
    InterestRegistered,
    /// "Nothing to declare" twice.
    #[error("nothing to declare is registered in this category already")]
    NothingDeclaredAlready,
    /// A partner's interest outside the disclosable pecuniary interests.
    #[error(
        "a spouse's, civil partner's or cohabitee's interest is registered only in the pecuniary categories"
    )]
    PartnerOutsidePecuniary,
    /// A gift's details outside gifts and hospitality, or gifts and hospitality without them.
    #[error(
        "an interest in gifts and hospitality gives the gift (value, giver, day received), and only it does"
    )]
    GiftMismatch,
    /// A body named for a category that is no body's.
    #[error("a body of the group is named only for appointed, public-function, charity and opinion bodies")]
    BodyNotInCategory,
    /// A gift received after the day it is registered.
    #[error("a gift cannot be received after the day it is registered")]
    GiftInTheFuture,
    /// A confirmation of an empty register.
    #[error("an empty register cannot be confirmed: register an entry, or nothing to declare")]
    NothingToConfirm,
    /// A review item dismissed twice.
    #[error("this review item has been dismissed already")]
    DismissedAlready,
}

impl DomainError for RegisterError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NoSuchEntry => Refusal::NotFound,
            Self::PartnerOutsidePecuniary
            | Self::GiftMismatch
            | Self::BodyNotInCategory
            | Self::GiftInTheFuture => Refusal::Invalid,
            Self::OtherMember
            | Self::EntryRegisteredAlready
            | Self::EntryRemoved
            | Self::InterestRegistered
            | Self::NothingDeclaredAlready
            | Self::NothingToConfirm
            | Self::DismissedAlready => Refusal::Conflict,
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        let pointer = match self {
            Self::PartnerOutsidePecuniary => "/whose",
            Self::GiftMismatch => "/gift",
            Self::BodyNotInCategory => "/body_id",
            Self::GiftInTheFuture => "/gift/received_on",
            _ => return Vec::new(),
        };
        vec![(pointer.to_owned(), self.to_string())]
    }
}

/// What changed on a register between two readings of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterChanges {
    /// Entries on the later register that were not on the earlier one.
    pub added: Vec<Entry>,
    /// Entries on both whose content differs: (earlier, later).
    pub changed: Vec<(Entry, Entry)>,
    /// Entries on the earlier register that are not on the later one (as the later one has them).
    pub removed: Vec<Entry>,
}

impl Register {
    /// The entries on the register.
    pub fn live(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.is_live())
    }

    /// The live interests in `category`.
    pub fn interests_in(&self, category: Category) -> impl Iterator<Item = &Entry> {
        self.live().filter(move |e| e.draft.category == category && e.draft.is_interest())
    }

    /// Whether a live entry names the body `body_id` in one of `categories`.
    pub fn names_body(&self, body_id: Uuid, categories: &[Category]) -> bool {
        self.live().any(|e| categories.contains(&e.draft.category) && e.draft.body_id() == Some(body_id))
    }

    /// Whether a gifts and hospitality entry (live or removed: registered is
    /// registered) names the group event `event_id`.
    pub fn names_event(&self, event_id: Uuid) -> bool {
        self.entries.iter().any(|e| e.draft.gift().and_then(|g| g.event_id) == Some(event_id))
    }

    /// The first day anything was registered or confirmed, if ever.
    pub fn first_registered_on(&self) -> Option<NaiveDate> {
        self.entries.iter().map(|e| e.registered_on).chain(self.confirmed_on).min()
    }

    /// The last day the member stood by `entry`: its last change or the
    /// register's confirmation, whichever is later.
    pub fn stood_by_on(&self, entry: &Entry) -> NaiveDate {
        self.confirmed_on.map_or(entry.updated_on, |confirmed| confirmed.max(entry.updated_on))
    }

    /// Whether the review item `item_id` was dismissed.
    pub fn dismissed(&self, item_id: Uuid) -> bool {
        self.dismissals.iter().any(|d| d.item_id == item_id)
    }

    /// What changed from `earlier` (this register as it stood before) to this one.
    pub fn changes_from(&self, earlier: &Register) -> RegisterChanges {
        let mut changes = RegisterChanges::default();
        for entry in self.live() {
            match earlier.live().find(|e| e.id == entry.id) {
                None => changes.added.push(entry.clone()),
                Some(before) if before.draft != entry.draft => {
                    changes.changed.push((before.clone(), entry.clone()));
                }
                Some(_) => {}
            }
        }
        for before in earlier.live() {
            if !self.live().any(|e| e.id == before.id) {
                let now = self.entries.iter().find(|e| e.id == before.id).unwrap_or(before);
                changes.removed.push(now.clone());
            }
        }
        changes
    }

    /// Opens the register for `member_id` if it is not yet open.
    async fn open(
        &mut self,
        (group_id, member_id): (GroupId, Uuid),
        sink: &EventSink<Self>,
    ) -> Result<(), RegisterError> {
        match self.member_id {
            None => sink.write(RegisterEvent::RegisterOpened { group_id, member_id }, self).await,
            Some(owner) if owner != member_id => return Err(RegisterError::OtherMember),
            Some(_) => {}
        }
        Ok(())
    }

    /// Checks `draft` as the entry `entry_id` would say it on `on`.
    fn check(&self, entry_id: Uuid, draft: &EntryDraft, on: NaiveDate) -> Result<(), RegisterError> {
        let category = draft.category;
        if draft.whose == Whose::Partner && !category.is_pecuniary() {
            return Err(RegisterError::PartnerOutsidePecuniary);
        }
        if let Detail::Interest { gift, body_id, .. } = &draft.detail {
            if gift.is_some() != (category == Category::GiftsHospitality) {
                return Err(RegisterError::GiftMismatch);
            }
            if gift.as_ref().is_some_and(|g| g.received_on > on) {
                return Err(RegisterError::GiftInTheFuture);
            }
            if body_id.is_some() && !category.names_a_body() {
                return Err(RegisterError::BodyNotInCategory);
            }
        }
        let mut others = self
            .live()
            .filter(|e| e.id != entry_id && e.draft.category == category && e.draft.whose == draft.whose);
        match others.next() {
            Some(other) if draft.detail == Detail::NothingToDeclare => Err(if other.draft.is_interest() {
                RegisterError::InterestRegistered
            } else {
                RegisterError::NothingDeclaredAlready
            }),
            _ => Ok(()),
        }
    }

    /// Removes the "nothing to declare" entries `entry_id`'s interest makes untrue.
    async fn supersede(&mut self, entry_id: Uuid, draft: &EntryDraft, on: NaiveDate, sink: &EventSink<Self>) {
        if !draft.is_interest() {
            return;
        }
        let untrue: Vec<Uuid> = self
            .live()
            .filter(|e| {
                e.id != entry_id && e.draft.category == draft.category && e.draft.whose == draft.whose
            })
            .filter(|e| !e.draft.is_interest())
            .map(|e| e.id)
            .collect();
        for id in untrue {
            let removal = Removal { on, reason: RemovalReason::Superseded { by: entry_id } };
            sink.write(RegisterEvent::EntryRemoved { entry_id: id, removal }, self).await;
        }
    }

    fn entry(&self, entry_id: Uuid) -> Result<&Entry, RegisterError> {
        let entry = self.entries.iter().find(|e| e.id == entry_id).ok_or(RegisterError::NoSuchEntry)?;
        if entry.is_live() { Ok(entry) } else { Err(RegisterError::EntryRemoved) }
    }
}

impl Aggregate for Register {
    const TYPE: &'static str = "Register";
    type Command = RegisterCommand;
    type Event = RegisterEvent;
    type Error = RegisterError;
    type Services = ();

    async fn handle(
        &mut self,
        command: RegisterCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), RegisterError> {
        let RegisterCommand { group_id, member_id, on, change } = command;
        if self.member_id.is_some_and(|owner| owner != member_id) {
            return Err(RegisterError::OtherMember);
        }
        // Checked before the register is opened, so a refusal writes nothing.
        match &change {
            RegisterChange::RegisterEntry { entry_id, draft } => {
                if self.entries.iter().any(|e| e.id == *entry_id) {
                    return Err(RegisterError::EntryRegisteredAlready);
                }
                self.check(*entry_id, draft, on)?;
            }
            RegisterChange::UpdateEntry { entry_id, draft } => {
                self.entry(*entry_id)?;
                self.check(*entry_id, draft, on)?;
            }
            RegisterChange::RemoveEntry { entry_id, .. } => {
                self.entry(*entry_id)?;
            }
            RegisterChange::Confirm => {
                if self.live().next().is_none() {
                    return Err(RegisterError::NothingToConfirm);
                }
            }
            RegisterChange::DismissReviewItem { item_id, .. } => {
                if self.dismissed(*item_id) {
                    return Err(RegisterError::DismissedAlready);
                }
            }
        }
        self.open((group_id, member_id), sink).await?;
        match change {
            RegisterChange::RegisterEntry { entry_id, draft } => {
                self.supersede(entry_id, &draft, on, sink).await;
                let entry = Entry { id: entry_id, draft, registered_on: on, updated_on: on, removed: None };
                sink.write(RegisterEvent::EntryRegistered { entry }, self).await;
            }
            RegisterChange::UpdateEntry { entry_id, draft } => {
                // Saying the same again changes nothing (a retried form).
                if self.entry(entry_id)?.draft == draft {
                    return Ok(());
                }
                self.supersede(entry_id, &draft, on, sink).await;
                sink.write(RegisterEvent::EntryUpdated { entry_id, draft, on }, self).await;
            }
            RegisterChange::RemoveEntry { entry_id, reason } => {
                let removal = Removal { on, reason: RemovalReason::Given { note: reason } };
                sink.write(RegisterEvent::EntryRemoved { entry_id, removal }, self).await;
            }
            RegisterChange::Confirm => sink.write(RegisterEvent::RegisterConfirmed { on }, self).await,
            RegisterChange::DismissReviewItem { item_id, reason, by } => {
                let dismissal = Dismissal { item_id, on, reason, by };
                sink.write(RegisterEvent::ReviewItemDismissed { dismissal }, self).await;
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: RegisterEvent) {
        match event {
            RegisterEvent::RegisterOpened { group_id, member_id } => {
                self.group_id = Some(group_id);
                self.member_id = Some(member_id);
            }
            RegisterEvent::EntryRegistered { entry } => self.entries.push(entry),
            RegisterEvent::EntryUpdated { entry_id, draft, on } => {
                if let Some(entry) = self.entries.iter_mut().find(|e| e.id == entry_id) {
                    entry.draft = draft;
                    entry.updated_on = on;
                }
            }
            RegisterEvent::EntryRemoved { entry_id, removal } => {
                if let Some(entry) = self.entries.iter_mut().find(|e| e.id == entry_id) {
                    entry.removed = Some(removal);
                }
            }
            RegisterEvent::RegisterConfirmed { on } => self.confirmed_on = Some(on),
            RegisterEvent::ReviewItemDismissed { dismissal } => self.dismissals.push(dismissal),
        }
    }
}

impl Record for Register {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// The Group Officers and the office keep the registers; the council publishes them, not the group.
    fn classification(&self) -> Classification {
        Classification::Officers
    }

    /// A councillor keeps their own register, though they read no `officers` record of anyone else's.
    const WRITER_CLASSIFIES: bool = false;

    /// Its member reads it too: it is theirs to keep.
    fn readable_by(&self, subject: &str, roles: &[Role]) -> bool {
        self.classification().readable_by(roles)
            || self.member_id.is_some_and(|member| member.to_string() == subject)
    }

    fn status(&self) -> &'static str {
        if self.live().next().is_some() { "kept" } else { "empty" }
    }

    /// Its member, and a tag for each body and event its live entries name.
    fn index(&self) -> RecordIndex {
        let bodies = self.live().filter_map(|e| e.draft.body_id()).map(|b| tag("body", b));
        let events = self.entries.iter().filter_map(|e| e.draft.gift()?.event_id).map(|e| tag("event", e));
        RecordIndex {
            member_id: self.member_id,
            tags: bodies.chain(events).collect(),
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Title;
    use crate::interests::{ClockCause, ClockSources, Gift, clocks};

    const MEMBER: Uuid = Uuid::from_u128(1);
    const BODY: Uuid = Uuid::from_u128(20);
    const EVENT: Uuid = Uuid::from_u128(30);

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("day")
    }

    fn run(
        register: &mut Register,
        on: &str,
        change: RegisterChange,
    ) -> Result<Vec<RegisterEvent>, RegisterError> {
        let command = RegisterCommand {
            group_id: GroupId::parse("newham-labour").expect("group"),
            member_id: MEMBER,
            on: day(on),
            change,
        };
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        runtime.block_on(async {
            let sink = EventSink::default();
            register.handle(command, &(), &sink).await?;
            Ok(sink.collect().await)
        })
    }

    fn interest(category: Category, body_id: Option<Uuid>, gift: Option<Gift>) -> EntryDraft {
        EntryDraft {
            category,
            whose: Whose::Member,
            detail: Detail::Interest {
                description: Note::parse("Trustee").expect("note"),
                body_id,
                organisation_id: None,
                gift,
            },
            sensitive: None,
        }
    }

    fn nothing(category: Category) -> EntryDraft {
        EntryDraft { category, whose: Whose::Member, detail: Detail::NothingToDeclare, sensitive: None }
    }

    fn register(id: u128, draft: EntryDraft) -> RegisterChange {
        RegisterChange::RegisterEntry { entry_id: Uuid::from_u128(id), draft }
    }

    #[test]
    fn an_interest_supersedes_nothing_to_declare_and_nothing_is_refused_beside_an_interest() {
        let mut r = Register::default();
        assert_eq!(run(&mut r, "2026-05-01", register(1, nothing(Category::Land))).expect("ok").len(), 2);
        assert_eq!(
            run(&mut r, "2026-05-02", register(2, nothing(Category::Land))),
            Err(RegisterError::NothingDeclaredAlready)
        );
        let events =
            run(&mut r, "2026-05-03", register(3, interest(Category::Land, None, None))).expect("ok");
        assert!(matches!(&events[0], RegisterEvent::EntryRemoved { removal, .. }
            if removal.reason == RemovalReason::Superseded { by: Uuid::from_u128(3) }));
        assert_eq!(r.live().map(|e| e.id).collect::<Vec<_>>(), [Uuid::from_u128(3)]);
        assert_eq!(
            run(&mut r, "2026-05-04", register(4, nothing(Category::Land))),
            Err(RegisterError::InterestRegistered)
        );
    }

    #[test]
    fn a_gift_belongs_to_gifts_and_hospitality_and_a_partner_to_the_pecuniary_categories() {
        let mut r = Register::default();
        let gift = Gift {
            value_pence: 8_500,
            giver: Title::parse("Forum").expect("title"),
            received_on: day("2026-05-01"),
            event_id: Some(EVENT),
        };
        let refused =
            run(&mut r, "2026-05-02", register(1, interest(Category::Charity, None, Some(gift.clone()))));
        assert_eq!(refused, Err(RegisterError::GiftMismatch));
        let early = run(
            &mut r,
            "2026-04-30",
            register(1, interest(Category::GiftsHospitality, None, Some(gift.clone()))),
        );
        assert_eq!(early, Err(RegisterError::GiftInTheFuture));
        let mut partner = interest(Category::Charity, None, None);
        partner.whose = Whose::Partner;
        assert_eq!(
            run(&mut r, "2026-05-02", register(1, partner)),
            Err(RegisterError::PartnerOutsidePecuniary)
        );
        assert_eq!(
            run(&mut r, "2026-05-02", register(1, interest(Category::Land, Some(BODY), None))),
            Err(RegisterError::BodyNotInCategory)
        );
        assert!(r.member_id.is_none(), "a refusal opens nothing");
        run(&mut r, "2026-05-02", register(1, interest(Category::GiftsHospitality, None, Some(gift))))
            .expect("ok");
        assert!(r.names_event(EVENT));
    }

    #[test]
    fn entries_are_updated_removed_once_and_an_empty_register_is_not_confirmed() {
        let mut r = Register::default();
        assert_eq!(run(&mut r, "2026-05-01", RegisterChange::Confirm), Err(RegisterError::NothingToConfirm));
        run(&mut r, "2026-05-01", register(1, interest(Category::Charity, None, None))).expect("ok");
        let update = RegisterChange::UpdateEntry {
            entry_id: Uuid::from_u128(1),
            draft: interest(Category::AppointedBody, Some(BODY), None),
        };
        run(&mut r, "2026-06-01", update.clone()).expect("updated");
        assert!(
            run(&mut r, "2026-06-02", update).expect("same").is_empty(),
            "saying it again changes nothing"
        );
        assert_eq!(r.entries[0].updated_on, day("2026-06-01"));
        let remove = RegisterChange::RemoveEntry {
            entry_id: Uuid::from_u128(1),
            reason: Note::parse("Stood down").expect("note"),
        };
        run(&mut r, "2026-07-01", remove.clone()).expect("removed");
        assert_eq!(run(&mut r, "2026-07-02", remove), Err(RegisterError::EntryRemoved));
        let missing = RegisterChange::RemoveEntry {
            entry_id: Uuid::from_u128(9),
            reason: Note::parse("x").expect("n"),
        };
        assert_eq!(run(&mut r, "2026-07-02", missing), Err(RegisterError::NoSuchEntry));
    }

    #[test]
    fn changes_between_two_readings_are_added_changed_and_removed() {
        let mut r = Register::default();
        run(&mut r, "2025-05-01", register(1, interest(Category::Charity, None, None))).expect("ok");
        run(&mut r, "2025-05-01", register(2, nothing(Category::Land))).expect("ok");
        let earlier = r.clone();
        run(&mut r, "2026-05-01", register(3, interest(Category::Land, None, None))).expect("supersedes 2");
        let update = RegisterChange::UpdateEntry {
            entry_id: Uuid::from_u128(1),
            draft: interest(Category::Charity, None, None).clone(),
        };
        run(&mut r, "2026-05-02", update).expect("same");
        let mut changed = interest(Category::Charity, None, None);
        changed.sensitive = Some(Note::parse("Agreed by the Monitoring Officer").expect("note"));
        run(
            &mut r,
            "2026-05-03",
            RegisterChange::UpdateEntry { entry_id: Uuid::from_u128(1), draft: changed },
        )
        .expect("ok");
        let changes = r.changes_from(&earlier);
        assert_eq!(changes.added.iter().map(|e| e.id).collect::<Vec<_>>(), [Uuid::from_u128(3)]);
        assert_eq!(changes.changed.len(), 1);
        assert_eq!(changes.removed.iter().map(|e| e.id).collect::<Vec<_>>(), [Uuid::from_u128(2)]);
        assert!(changes.removed[0].removed.is_some(), "shown as removed");
    }

    #[test]
    fn clocks_run_28_days_and_stop_when_the_register_has_what_they_ask_for() {
        let appointment = Uuid::from_u128(40);
        let appointments = [(appointment, BODY, day("2026-05-10"))];
        let hospitality = [(EVENT, day("2026-05-20"))];
        let mut r = Register::default();
        fn sources<'a>(
            r: &'a Register,
            appointments: &'a [(Uuid, Uuid, NaiveDate)],
            hospitality: &'a [(Uuid, NaiveDate)],
        ) -> ClockSources<'a> {
            ClockSources { register: Some(r), joined_on: Some(day("2026-05-01")), appointments, hospitality }
        }
        let all = clocks(&sources(&r, &appointments, &hospitality));
        assert_eq!(
            all.iter().map(|c| (c.due_on, c.met)).collect::<Vec<_>>(),
            [(day("2026-05-29"), false), (day("2026-06-07"), false), (day("2026-06-17"), false)]
        );
        assert!(all[0].run_out_on(day("2026-05-30")) && !all[0].run_out_on(day("2026-05-29")));
        run(&mut r, "2026-05-02", register(1, nothing(Category::Land))).expect("ok");
        run(&mut r, "2026-05-11", register(2, interest(Category::AppointedBody, Some(BODY), None)))
            .expect("ok");
        let all = clocks(&sources(&r, &appointments, &hospitality));
        assert!(all[0].met && all[1].met && !all[2].met);
        assert_eq!(all[1].cause, ClockCause::Appointment { appointment_id: appointment, body_id: BODY });
    }
}
