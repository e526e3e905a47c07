use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::{Aggregate, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::commands::{MeetingCommand, Venue};
use super::events::{Attendance, ItemStatus, MeetingEvent, MeetingKind, RecordLink};
use crate::{
    Classification, DomainError, GroupId, LongText, Note, Record, RecordIndex, Refusal, StoredFile, Title,
    WorkingDays,
};

/// Where a meeting stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MeetingStatus {
    /// Not yet scheduled.
    #[default]
    Unscheduled,
    /// In the diary, not yet confirmed.
    Tentative,
    /// Confirmed.
    Confirmed,
    /// Cancelled.
    Cancelled,
    /// It took place.
    Held,
}

impl MeetingStatus {
    /// The stable word for it (its serde name too: both are the variant's name
    /// in snake case).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A paper attached to an agenda item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paper {
    /// Its id within the meeting.
    pub id: Uuid,
    /// Its title.
    pub title: Title,
    /// Where it can be read, unless it is a stored file.
    #[serde(default)]
    pub link: Option<Note>,
    /// The stored file it is.
    #[serde(default)]
    pub file: Option<StoredFile>,
    /// Who may read it.
    pub classification: Classification,
    /// When it was despatched.
    pub despatched_at: Option<DateTime<Utc>>,
}

/// One correction of approved minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinutesCorrection {
    /// The text before the correction.
    pub previous_text: LongText,
    /// Why it was corrected.
    pub reason: Note,
}

/// An item on the agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// Its id within the meeting.
    pub id: Uuid,
    /// Its title.
    pub title: Title,
    /// What it is about (Markdown).
    pub description: Option<LongText>,
    /// The member presenting it.
    pub presenter_id: Option<Uuid>,
    /// Who may read it.
    pub classification: Classification,
    /// Records it concerns, or that were recorded from it.
    pub links: Vec<RecordLink>,
    /// Listed or withdrawn.
    pub status: ItemStatus,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<Note>,
    /// Its papers.
    pub papers: Vec<Paper>,
    /// Its minutes or action notes.
    pub minutes: Option<LongText>,
    /// Corrections made after approval, oldest first.
    pub corrections: Vec<MinutesCorrection>,
    /// For a report-back item, the period its digest covers.
    pub report_back: Option<(NaiveDate, NaiveDate)>,
}

/// One despatch of papers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Despatch {
    /// When.
    pub at: DateTime<Utc>,
    /// To whom.
    pub to: Vec<Title>,
    /// The papers sent.
    pub paper_ids: Vec<Uuid>,
}

/// Where and when a meeting's minutes were approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesApproval {
    /// The approving meeting.
    pub meeting_id: Uuid,
    /// Its item.
    pub item_id: Option<Uuid>,
    /// The day.
    pub on: NaiveDate,
}

/// A move of the meeting: where it was before, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rescheduling {
    /// When it was to start before.
    pub previous_starts_at: DateTime<Utc>,
    /// Why it moved.
    pub reason: Option<Note>,
}

/// A meeting, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: MeetingStatus,
    /// What kind of meeting.
    pub kind: Option<MeetingKind>,
    /// Its title.
    pub title: Option<Title>,
    /// When it starts.
    pub starts_at: Option<DateTime<Utc>>,
    /// When it is expected to end.
    pub ends_at: Option<DateTime<Utc>>,
    /// Where it is held.
    pub place: Option<Title>,
    /// The link to join online.
    pub online_link: Option<Note>,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// How many members present make it quorate.
    pub quorum: Option<u32>,
    /// Clear working days before the meeting by which papers are despatched.
    pub papers_clear_days: u8,
    /// Earlier times it was moved from.
    pub reschedulings: Vec<Rescheduling>,
    /// Why it was cancelled.
    pub cancellation_reason: Option<Note>,
    /// The agenda, in order (withdrawn items included).
    pub items: Vec<AgendaItem>,
    /// Despatches of papers, oldest first.
    pub despatches: Vec<Despatch>,
    /// Attendance by member.
    pub attendance: BTreeMap<Uuid, Attendance>,
    /// Where the minutes were approved.
    pub minutes_approved: Option<MinutesApproval>,
}

/// Why a meeting command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeetingError {
    /// The meeting exists already.
    #[error("this meeting has already been scheduled")]
    AlreadyScheduled,
    /// The meeting does not exist.
    #[error("no such meeting")]
    NotScheduled,
    /// The meeting is cancelled or held, and the change needs it open.
    #[error("this meeting is {0}")]
    Closed(&'static str),
    /// Minutes before the meeting took place.
    #[error("minutes are recorded once the meeting has been held")]
    NotHeld,
    /// An end before the start.
    #[error("the meeting must not end before it starts")]
    EndsBeforeStart,
    /// Neither a place nor an online link.
    #[error("a meeting needs a place or an online link")]
    NowhereToMeet,
    /// An unknown agenda item.
    #[error("no agenda item {0} on this meeting")]
    NoSuchItem(Uuid),
    /// An item or paper id used twice.
    #[error("the id {0} is already used on this meeting")]
    DuplicateId(Uuid),
    /// A withdrawn item.
    #[error("agenda item {0} has been withdrawn")]
    ItemWithdrawn(Uuid),
    /// A new order that is not a permutation of the listed items.
    #[error("the new order must list every item on the agenda exactly once")]
    BadOrder,
    /// Nothing to despatch.
    #[error("every paper has already been despatched")]
    NothingToDespatch,
    /// A despatch to nobody.
    #[error("a despatch must say to whom")]
    NoRecipients,
    /// No attendance entries.
    #[error("attendance needs at least one member")]
    NoAttendance,
    /// Approved minutes cannot be redrafted.
    #[error("the minutes were approved and never change: record a correction instead")]
    MinutesApproved,
    /// Approving minutes that were never written.
    #[error("no minutes have been recorded to approve")]
    NoMinutes,
    /// A correction before approval.
    #[error("only approved minutes are corrected; redraft them instead")]
    MinutesNotApproved,
    /// A correction that changes nothing.
    #[error("the corrected minutes are the same as the current minutes")]
    CorrectionChangesNothing,
    /// A paper is a link or a stored file: exactly one.
    #[error("a paper is either a link or a stored file: give exactly one")]
    PaperLinkOrFile,
}

impl DomainError for MeetingError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotScheduled => Refusal::NotFound,
            Self::AlreadyScheduled
            | Self::Closed(_)
            | Self::NotHeld
            | Self::ItemWithdrawn(_)
            | Self::NothingToDespatch
            | Self::MinutesApproved
            | Self::NoMinutes
            | Self::MinutesNotApproved => Refusal::Conflict,
            Self::EndsBeforeStart
            | Self::NowhereToMeet
            | Self::NoSuchItem(_)
            | Self::DuplicateId(_)
            | Self::BadOrder
            | Self::NoRecipients
            | Self::NoAttendance
            | Self::CorrectionChangesNothing
            | Self::PaperLinkOrFile => Refusal::Invalid,
        }
    }
}

fn check_venue(venue: &Venue) -> Result<(), MeetingError> {
    if venue.ends_at.is_some_and(|end| end < venue.starts_at) {
        return Err(MeetingError::EndsBeforeStart);
    }
    if venue.place.is_none() && venue.online_link.is_none() {
        return Err(MeetingError::NowhereToMeet);
    }
    Ok(())
}

impl Meeting {
    /// The last day its papers can be despatched under its rule, counted in
    /// `calendar`'s working days.
    pub fn despatch_by(&self, calendar: &WorkingDays) -> Option<NaiveDate> {
        self.starts_at.map(|at| calendar.last_day_before(at.date_naive(), self.papers_clear_days))
    }

    /// Whether `paper` is late: despatched after the rule's day, or not yet
    /// despatched when `today` is past it.
    pub fn is_late(&self, paper: &Paper, today: NaiveDate, calendar: &WorkingDays) -> bool {
        let Some(by) = self.despatch_by(calendar) else { return false };
        match paper.despatched_at {
            Some(at) => at.date_naive() > by,
            None => today > by,
        }
    }

    /// How many members were recorded present.
    pub fn present(&self) -> u32 {
        self.attendance.values().filter(|a| **a == Attendance::Present).count() as u32
    }

    /// The listed items with the ids of this meeting, in agenda order.
    pub fn listed_items(&self) -> impl Iterator<Item = &AgendaItem> {
        self.items.iter().filter(|item| item.status == ItemStatus::Listed)
    }

    fn require_scheduled(&self) -> Result<(), MeetingError> {
        match self.status {
            MeetingStatus::Unscheduled => Err(MeetingError::NotScheduled),
            _ => Ok(()),
        }
    }

    /// Refuses changes to a meeting that is cancelled or has been held.
    fn require_open(&self) -> Result<(), MeetingError> {
        self.require_scheduled()?;
        match self.status {
            MeetingStatus::Cancelled | MeetingStatus::Held => Err(MeetingError::Closed(self.status.as_str())),
            _ => Ok(()),
        }
    }

    /// Refuses changes to a cancelled meeting.
    fn require_not_cancelled(&self) -> Result<(), MeetingError> {
        self.require_scheduled()?;
        if self.status == MeetingStatus::Cancelled {
            return Err(MeetingError::Closed("cancelled"));
        }
        Ok(())
    }

    fn require_held(&self) -> Result<(), MeetingError> {
        self.require_not_cancelled()?;
        if self.status != MeetingStatus::Held {
            return Err(MeetingError::NotHeld);
        }
        Ok(())
    }

    fn item(&self, item_id: Uuid) -> Result<&AgendaItem, MeetingError> {
        self.items.iter().find(|item| item.id == item_id).ok_or(MeetingError::NoSuchItem(item_id))
    }

    fn listed_item(&self, item_id: Uuid) -> Result<&AgendaItem, MeetingError> {
        let item = self.item(item_id)?;
        if item.status == ItemStatus::Withdrawn {
            return Err(MeetingError::ItemWithdrawn(item_id));
        }
        Ok(item)
    }

    fn id_in_use(&self, id: Uuid) -> bool {
        self.items.iter().any(|item| item.id == id || item.papers.iter().any(|p| p.id == id))
    }

    fn item_mut(&mut self, item_id: Uuid) -> Option<&mut AgendaItem> {
        self.items.iter_mut().find(|item| item.id == item_id)
    }

    fn decide(&self, command: MeetingCommand) -> Result<Option<MeetingEvent>, MeetingError> {
        let event = match command {
            MeetingCommand::ScheduleMeeting { group_id, draft } => {
                if self.status != MeetingStatus::Unscheduled {
                    return Err(MeetingError::AlreadyScheduled);
                }
                check_venue(&draft.venue)?;
                MeetingEvent::MeetingScheduled {
                    group_id,
                    kind: draft.kind,
                    title: draft.title,
                    starts_at: draft.venue.starts_at,
                    ends_at: draft.venue.ends_at,
                    place: draft.venue.place,
                    online_link: draft.venue.online_link,
                    classification: draft.classification,
                    quorum: draft.quorum,
                    papers_clear_days: draft.papers_clear_days,
                }
            }
            MeetingCommand::RescheduleMeeting { venue, reason } => {
                self.require_open()?;
                check_venue(&venue)?;
                MeetingEvent::MeetingRescheduled {
                    starts_at: venue.starts_at,
                    ends_at: venue.ends_at,
                    place: venue.place,
                    online_link: venue.online_link,
                    reason,
                }
            }
            MeetingCommand::ConfirmMeeting => {
                self.require_open()?;
                if self.status == MeetingStatus::Confirmed {
                    return Ok(None);
                }
                MeetingEvent::MeetingConfirmed
            }
            MeetingCommand::CancelMeeting { reason } => {
                self.require_open()?;
                MeetingEvent::MeetingCancelled { reason }
            }
            MeetingCommand::MarkMeetingHeld => {
                self.require_open()?;
                MeetingEvent::MeetingHeld
            }
            MeetingCommand::AddAgendaItem { item_id, item } => {
                self.require_open()?;
                if self.id_in_use(item_id) {
                    return Err(MeetingError::DuplicateId(item_id));
                }
                MeetingEvent::AgendaItemAdded {
                    item_id,
                    title: item.title,
                    description: item.description,
                    presenter_id: item.presenter_id,
                    classification: item.classification,
                    links: item.links,
                    report_back: item.report_back,
                }
            }
            MeetingCommand::ReorderAgenda { order } => {
                self.require_open()?;
                let mut listed: Vec<Uuid> = self.listed_items().map(|item| item.id).collect();
                let mut given = order.clone();
                listed.sort();
                given.sort();
                if listed != given {
                    return Err(MeetingError::BadOrder);
                }
                MeetingEvent::AgendaReordered { order }
            }
            MeetingCommand::WithdrawAgendaItem { item_id, reason } => {
                self.require_open()?;
                self.listed_item(item_id)?;
                MeetingEvent::AgendaItemWithdrawn { item_id, reason }
            }
            MeetingCommand::LinkRecord { item_id, link } => {
                self.require_not_cancelled()?;
                if self.item(item_id)?.links.contains(&link) {
                    return Ok(None);
                }
                MeetingEvent::AgendaItemLinked { item_id, link }
            }
            MeetingCommand::AttachPaper { item_id, paper_id, paper } => {
                self.require_open()?;
                self.listed_item(item_id)?;
                if self.id_in_use(paper_id) {
                    return Err(MeetingError::DuplicateId(paper_id));
                }
                if paper.link.is_some() == paper.file.is_some() {
                    return Err(MeetingError::PaperLinkOrFile);
                }
                MeetingEvent::PaperAttached {
                    item_id,
                    paper_id,
                    title: paper.title,
                    link: paper.link,
                    file: paper.file,
                    classification: paper.classification,
                }
            }
            MeetingCommand::DespatchPapers { at, to } => {
                self.require_open()?;
                if to.is_empty() {
                    return Err(MeetingError::NoRecipients);
                }
                let paper_ids: Vec<Uuid> = self
                    .listed_items()
                    .flat_map(|item| item.papers.iter())
                    .filter(|paper| paper.despatched_at.is_none())
                    .map(|paper| paper.id)
                    .collect();
                if paper_ids.is_empty() {
                    return Err(MeetingError::NothingToDespatch);
                }
                MeetingEvent::PapersDespatched { at, to, paper_ids }
            }
            MeetingCommand::RecordAttendance { entries } => {
                self.require_not_cancelled()?;
                if entries.is_empty() {
                    return Err(MeetingError::NoAttendance);
                }
                MeetingEvent::AttendanceRecorded { entries }
            }
            MeetingCommand::RecordMinutes { item_id, text } => {
                self.require_held()?;
                if self.minutes_approved.is_some() {
                    return Err(MeetingError::MinutesApproved);
                }
                self.item(item_id)?;
                MeetingEvent::MinutesRecorded { item_id, text }
            }
            MeetingCommand::ApproveMinutes { meeting_id, item_id, on } => {
                self.require_held()?;
                if self.minutes_approved.is_some() {
                    return Err(MeetingError::MinutesApproved);
                }
                if !self.items.iter().any(|item| item.minutes.is_some()) {
                    return Err(MeetingError::NoMinutes);
                }
                MeetingEvent::MinutesApproved { meeting_id, item_id, on }
            }
            MeetingCommand::CorrectMinutes { item_id, text, reason } => {
                self.require_held()?;
                if self.minutes_approved.is_none() {
                    return Err(MeetingError::MinutesNotApproved);
                }
                if self.item(item_id)?.minutes.as_ref() == Some(&text) {
                    return Err(MeetingError::CorrectionChangesNothing);
                }
                MeetingEvent::MinutesCorrected { item_id, text, reason }
            }
        };
        Ok(Some(event))
    }
}

impl Aggregate for Meeting {
    const TYPE: &'static str = "Meeting";
    type Command = MeetingCommand;
    type Event = MeetingEvent;
    type Error = MeetingError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        if let Some(event) = self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            MeetingEvent::MeetingScheduled {
                group_id,
                kind,
                title,
                starts_at,
                ends_at,
                place,
                online_link,
                classification,
                quorum,
                papers_clear_days,
            } => {
                self.group_id = Some(group_id);
                self.status = MeetingStatus::Tentative;
                self.kind = Some(kind);
                self.title = Some(title);
                self.starts_at = Some(starts_at);
                self.ends_at = ends_at;
                self.place = place;
                self.online_link = online_link;
                self.classification = Some(classification);
                self.quorum = quorum;
                self.papers_clear_days = papers_clear_days;
            }
            MeetingEvent::MeetingRescheduled { starts_at, ends_at, place, online_link, reason } => {
                if let Some(previous_starts_at) = self.starts_at.replace(starts_at) {
                    self.reschedulings.push(Rescheduling { previous_starts_at, reason });
                }
                self.ends_at = ends_at;
                self.place = place;
                self.online_link = online_link;
            }
            MeetingEvent::MeetingConfirmed => self.status = MeetingStatus::Confirmed,
            MeetingEvent::MeetingCancelled { reason } => {
                self.status = MeetingStatus::Cancelled;
                self.cancellation_reason = Some(reason);
            }
            MeetingEvent::MeetingHeld => self.status = MeetingStatus::Held,
            MeetingEvent::AgendaItemAdded {
                item_id,
                title,
                description,
                presenter_id,
                classification,
                links,
                report_back,
            } => self.items.push(AgendaItem {
                id: item_id,
                title,
                description,
                presenter_id,
                classification,
                links,
                status: ItemStatus::Listed,
                withdrawal_reason: None,
                papers: Vec::new(),
                minutes: None,
                corrections: Vec::new(),
                report_back,
            }),
            MeetingEvent::AgendaReordered { order } => {
                // Listed items take the new order; withdrawn ones follow, as they were.
                let mut items = std::mem::take(&mut self.items);
                let mut reordered = Vec::with_capacity(items.len());
                for id in order {
                    if let Some(at) = items.iter().position(|item| item.id == id) {
                        reordered.push(items.remove(at));
                    }
                }
                reordered.append(&mut items);
                self.items = reordered;
            }
            MeetingEvent::AgendaItemWithdrawn { item_id, reason } => {
                if let Some(item) = self.item_mut(item_id) {
                    item.status = ItemStatus::Withdrawn;
                    item.withdrawal_reason = Some(reason);
                }
            }
            MeetingEvent::AgendaItemLinked { item_id, link } => {
                if let Some(item) = self.item_mut(item_id) {
                    item.links.push(link);
                }
            }
            MeetingEvent::PaperAttached { item_id, paper_id, title, link, file, classification } => {
                if let Some(item) = self.item_mut(item_id) {
                    item.papers.push(Paper {
                        id: paper_id,
                        title,
                        link,
                        file,
                        classification,
                        despatched_at: None,
                    });
                }
            }
            MeetingEvent::PapersDespatched { at, to, paper_ids } => {
                for paper in self.items.iter_mut().flat_map(|item| item.papers.iter_mut()) {
                    if paper_ids.contains(&paper.id) {
                        paper.despatched_at = Some(at);
                    }
                }
                self.despatches.push(Despatch { at, to, paper_ids });
            }
            MeetingEvent::AttendanceRecorded { entries } => self.attendance.extend(entries),
            MeetingEvent::MinutesRecorded { item_id, text } => {
                if let Some(item) = self.item_mut(item_id) {
                    item.minutes = Some(text);
                }
            }
            MeetingEvent::MinutesApproved { meeting_id, item_id, on } => {
                self.minutes_approved = Some(MinutesApproval { meeting_id, item_id, on });
            }
            MeetingEvent::MinutesCorrected { item_id, text, reason } => {
                if let Some(item) = self.item_mut(item_id)
                    && let Some(previous_text) = item.minutes.replace(text)
                {
                    item.corrections.push(MinutesCorrection { previous_text, reason });
                }
            }
        }
    }
}

impl Record for Meeting {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    fn classification(&self) -> Classification {
        self.classification.unwrap_or(Classification::Confidential)
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }

    fn index(&self) -> RecordIndex {
        RecordIndex { due_on: self.starts_at.map(|at| at.date_naive()), ..RecordIndex::default() }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;
    use crate::meeting::{AgendaItemDraft, MeetingDraft};

    type MeetingTest = TestFramework<Meeting>;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    fn title(s: &str) -> Title {
        Title::parse(s).expect("title")
    }

    fn note(s: &str) -> Note {
        Note::parse(s).expect("note")
    }

    fn venue() -> Venue {
        Venue {
            starts_at: at("2026-03-11T18:30:00Z"),
            ends_at: Some(at("2026-03-11T20:30:00Z")),
            place: Some(title("Committee Room 1, Newham Town Hall")),
            online_link: None,
        }
    }

    fn scheduled() -> MeetingEvent {
        MeetingEvent::MeetingScheduled {
            group_id: GroupId::parse("newham-labour").expect("group"),
            kind: MeetingKind::GroupMeeting,
            title: title("Group meeting"),
            starts_at: venue().starts_at,
            ends_at: venue().ends_at,
            place: venue().place,
            online_link: None,
            classification: Classification::Group,
            quorum: Some(15),
            papers_clear_days: 5,
        }
    }

    fn item_added(id: Uuid, name: &str) -> MeetingEvent {
        MeetingEvent::AgendaItemAdded {
            item_id: id,
            title: title(name),
            description: None,
            presenter_id: None,
            classification: Classification::Group,
            links: Vec::new(),
            report_back: None,
        }
    }

    fn minutes(text: &str) -> LongText {
        LongText::parse(text).expect("minutes")
    }

    #[test]
    fn scheduling_a_meeting_emits_meeting_scheduled() {
        MeetingTest::with(())
            .given_no_previous_events()
            .when(MeetingCommand::ScheduleMeeting {
                group_id: GroupId::parse("newham-labour").expect("group"),
                draft: Box::new(MeetingDraft {
                    kind: MeetingKind::GroupMeeting,
                    title: title("Group meeting"),
                    venue: venue(),
                    classification: Classification::Group,
                    quorum: Some(15),
                    papers_clear_days: 5,
                }),
            })
            .then_expect_events(vec![scheduled()]);
    }

    #[test]
    fn a_meeting_needs_a_place_or_a_link() {
        MeetingTest::with(())
            .given(vec![scheduled()])
            .when(MeetingCommand::RescheduleMeeting {
                venue: Venue { place: None, online_link: None, ..venue() },
                reason: None,
            })
            .then_expect_error(MeetingError::NowhereToMeet);
    }

    #[test]
    fn a_cancelled_meeting_takes_no_agenda_items() {
        MeetingTest::with(())
            .given(vec![
                scheduled(),
                MeetingEvent::MeetingCancelled { reason: note("Clash with Full Council") },
            ])
            .when(MeetingCommand::AddAgendaItem {
                item_id: Uuid::from_u128(1),
                item: Box::new(AgendaItemDraft {
                    title: title("Budget"),
                    description: None,
                    presenter_id: None,
                    classification: Classification::Group,
                    links: Vec::new(),
                    report_back: None,
                }),
            })
            .then_expect_error(MeetingError::Closed("cancelled"));
    }

    #[test]
    fn reordering_must_name_every_listed_item_once() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        MeetingTest::with(())
            .given(vec![scheduled(), item_added(a, "A"), item_added(b, "B")])
            .when(MeetingCommand::ReorderAgenda { order: vec![b] })
            .then_expect_error(MeetingError::BadOrder);
        let mut meeting = Meeting::default();
        for event in [scheduled(), item_added(a, "A"), item_added(b, "B")] {
            meeting.apply(event);
        }
        meeting.apply(MeetingEvent::AgendaReordered { order: vec![b, a] });
        assert_eq!(meeting.items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![b, a]);
    }

    #[test]
    fn despatch_sends_only_papers_not_yet_sent_and_flags_late_ones() {
        let item = Uuid::from_u128(1);
        let (early, late) = (Uuid::from_u128(10), Uuid::from_u128(11));
        let paper = |id, name: &str| MeetingEvent::PaperAttached {
            item_id: item,
            paper_id: id,
            title: title(name),
            link: Some(note("https://example.org/paper.pdf")),
            file: None,
            classification: Classification::Group,
        };
        let first = MeetingEvent::PapersDespatched {
            at: at("2026-03-03T09:00:00Z"),
            to: vec![title("All group members")],
            paper_ids: vec![early],
        };
        MeetingTest::with(())
            .given(vec![
                scheduled(),
                item_added(item, "Budget"),
                paper(early, "Report"),
                first.clone(),
                paper(late, "Late"),
            ])
            .when(MeetingCommand::DespatchPapers {
                at: at("2026-03-09T09:00:00Z"),
                to: vec![title("All group members")],
            })
            .then_expect_events(vec![MeetingEvent::PapersDespatched {
                at: at("2026-03-09T09:00:00Z"),
                to: vec![title("All group members")],
                paper_ids: vec![late],
            }]);
        let mut meeting = Meeting::default();
        for event in
            [scheduled(), item_added(item, "Budget"), paper(early, "Report"), first, paper(late, "Late")]
        {
            meeting.apply(event);
        }
        meeting.apply(MeetingEvent::PapersDespatched {
            at: at("2026-03-09T09:00:00Z"),
            to: vec![title("All group members")],
            paper_ids: vec![late],
        });
        let today: NaiveDate = "2026-03-10".parse().expect("date");
        let papers = &meeting.items[0].papers;
        let calendar = WorkingDays::default();
        assert!(!meeting.is_late(&papers[0], today, &calendar));
        assert!(meeting.is_late(&papers[1], today, &calendar));
    }

    #[test]
    fn approved_minutes_never_change_but_can_be_corrected_visibly() {
        let item = Uuid::from_u128(1);
        let approved = MeetingEvent::MinutesApproved {
            meeting_id: Uuid::from_u128(99),
            item_id: None,
            on: "2026-04-08".parse().expect("date"),
        };
        let history = vec![
            scheduled(),
            item_added(item, "Budget"),
            MeetingEvent::MeetingHeld,
            MeetingEvent::MinutesRecorded { item_id: item, text: minutes("Agreed.") },
            approved,
        ];
        MeetingTest::with(())
            .given(history.clone())
            .when(MeetingCommand::RecordMinutes { item_id: item, text: minutes("Agreed unanimously.") })
            .then_expect_error(MeetingError::MinutesApproved);
        MeetingTest::with(())
            .given(history)
            .when(MeetingCommand::CorrectMinutes {
                item_id: item,
                text: minutes("Agreed unanimously."),
                reason: note("The vote was unanimous"),
            })
            .then_expect_events(vec![MeetingEvent::MinutesCorrected {
                item_id: item,
                text: minutes("Agreed unanimously."),
                reason: note("The vote was unanimous"),
            }]);
    }

    #[test]
    fn minutes_wait_for_the_meeting_to_be_held() {
        let item = Uuid::from_u128(1);
        MeetingTest::with(())
            .given(vec![scheduled(), item_added(item, "Budget")])
            .when(MeetingCommand::RecordMinutes { item_id: item, text: minutes("Agreed.") })
            .then_expect_error(MeetingError::NotHeld);
    }

    #[test]
    fn linking_the_same_record_twice_records_nothing() {
        let item = Uuid::from_u128(1);
        let link = RecordLink { kind: super::super::LinkKind::Decision, id: Uuid::from_u128(5) };
        MeetingTest::with(())
            .given(vec![
                scheduled(),
                item_added(item, "Budget"),
                MeetingEvent::AgendaItemLinked { item_id: item, link },
            ])
            .when(MeetingCommand::LinkRecord { item_id: item, link })
            .then_expect_events(vec![]);
    }

    #[test]
    fn quorum_counts_members_present() {
        let mut meeting = Meeting::default();
        meeting.apply(scheduled());
        meeting.apply(MeetingEvent::AttendanceRecorded {
            entries: vec![
                (Uuid::from_u128(1), Attendance::Present),
                (Uuid::from_u128(2), Attendance::Apologies),
                (Uuid::from_u128(3), Attendance::Present),
            ],
        });
        meeting.apply(MeetingEvent::AttendanceRecorded {
            entries: vec![(Uuid::from_u128(3), Attendance::Absent)],
        });
        assert_eq!(meeting.present(), 1);
    }
}
