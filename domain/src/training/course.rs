use cqrs_es::{Aggregate, DomainEvent, event_sink::EventSink};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Classification, DomainError, GroupId, Note, Record, RecordIndex, Refusal, Title, tag};

/// The longest a completion may stay valid: ten years.
pub const MAX_VALID_MONTHS: u16 = 120;

/// Where a course stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CourseStatus {
    /// Not yet in the catalogue.
    #[default]
    Unlisted,
    /// In the catalogue.
    Offered,
    /// No longer offered; completions stand.
    Retired,
}

impl CourseStatus {
    /// The stable word for it (its serde name too).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A new course, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseDraft {
    /// Its title, e.g. `Planning: probity and the planning code`.
    pub title: Title,
    /// What it covers.
    pub description: Option<Note>,
    /// How many months a completion stays valid; `None`: for good.
    pub valid_for_months: Option<u16>,
    /// The bodies whose members must hold it (councils require planning and
    /// licensing training before members take decisions).
    pub required_for: Vec<Uuid>,
}

/// What a caller can ask of a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourseCommand {
    /// Add a course to the catalogue.
    AddCourse {
        /// The group.
        group_id: GroupId,
        /// Its content.
        draft: Box<CourseDraft>,
    },
    /// Take it out of the catalogue.
    RetireCourse {
        /// Why.
        reason: Note,
    },
}

/// Everything that can happen to a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseEvent {
    /// The course was added to the catalogue.
    CourseAdded {
        /// The group.
        group_id: GroupId,
        /// Its title.
        title: Title,
        /// What it covers.
        description: Option<Note>,
        /// Months a completion stays valid.
        valid_for_months: Option<u16>,
        /// The bodies whose members must hold it.
        required_for: Vec<Uuid>,
    },
    /// The course was retired.
    CourseRetired {
        /// Why.
        reason: Note,
    },
}

impl DomainEvent for CourseEvent {
    fn event_type(&self) -> String {
        match self {
            Self::CourseAdded { .. } => "CourseAdded",
            Self::CourseRetired { .. } => "CourseRetired",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}

/// A course, as its events have built it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    /// The owning group.
    pub group_id: Option<GroupId>,
    /// Where it stands.
    pub status: CourseStatus,
    /// Its title.
    pub title: Option<Title>,
    /// What it covers.
    pub description: Option<Note>,
    /// Months a completion stays valid; `None`: for good.
    pub valid_for_months: Option<u16>,
    /// The bodies whose members must hold it.
    pub required_for: Vec<Uuid>,
    /// Why it was retired.
    pub retirement_reason: Option<Note>,
}

/// Why a course command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CourseError {
    /// Added twice.
    #[error("this course is already in the catalogue")]
    AlreadyAdded,
    /// No such course.
    #[error("no such course")]
    NotAdded,
    /// Retired already.
    #[error("this course has already been retired")]
    Retired,
    /// A validity of nothing, or of more than ten years.
    #[error("a completion stays valid for 1 to {MAX_VALID_MONTHS} months (or for good)")]
    BadValidity,
}

impl DomainError for CourseError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotAdded => Refusal::NotFound,
            Self::AlreadyAdded | Self::Retired => Refusal::Conflict,
            Self::BadValidity => Refusal::Invalid,
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        match self {
            Self::BadValidity => vec![("/valid_for_months".to_owned(), self.to_string())],
            _ => Vec::new(),
        }
    }
}

impl Aggregate for Course {
    const TYPE: &'static str = "Course";
    type Command = CourseCommand;
    type Event = CourseEvent;
    type Error = CourseError;
    type Services = ();

    async fn handle(
        &mut self,
        command: CourseCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), CourseError> {
        let event = match command {
            CourseCommand::AddCourse { group_id, draft } => {
                if self.status != CourseStatus::Unlisted {
                    return Err(CourseError::AlreadyAdded);
                }
                if draft.valid_for_months.is_some_and(|m| m == 0 || m > MAX_VALID_MONTHS) {
                    return Err(CourseError::BadValidity);
                }
                let CourseDraft { title, description, valid_for_months, required_for } = *draft;
                CourseEvent::CourseAdded { group_id, title, description, valid_for_months, required_for }
            }
            CourseCommand::RetireCourse { reason } => match self.status {
                CourseStatus::Unlisted => return Err(CourseError::NotAdded),
                CourseStatus::Retired => return Err(CourseError::Retired),
                CourseStatus::Offered => CourseEvent::CourseRetired { reason },
            },
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: CourseEvent) {
        match event {
            CourseEvent::CourseAdded { group_id, title, description, valid_for_months, required_for } => {
                self.group_id = Some(group_id);
                self.status = CourseStatus::Offered;
                self.title = Some(title);
                self.description = description;
                self.valid_for_months = valid_for_months;
                self.required_for = required_for;
            }
            CourseEvent::CourseRetired { reason } => {
                self.status = CourseStatus::Retired;
                self.retirement_reason = Some(reason);
            }
        }
    }
}

impl Record for Course {
    fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// The catalogue is the whole group's.
    fn classification(&self) -> Classification {
        Classification::Group
    }

    fn status(&self) -> &'static str {
        self.status.as_str()
    }

    /// Tagged with each body that requires it.
    fn index(&self) -> RecordIndex {
        RecordIndex {
            tags: self.required_for.iter().map(|b| tag("body", b)).collect(),
            ..RecordIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use cqrs_es::test::TestFramework;

    use super::*;

    fn add(valid_for_months: Option<u16>) -> CourseCommand {
        CourseCommand::AddCourse {
            group_id: GroupId::parse("newham-labour").expect("group"),
            draft: Box::new(CourseDraft {
                title: Title::parse("Code of conduct").expect("title"),
                description: None,
                valid_for_months,
                required_for: Vec::new(),
            }),
        }
    }

    #[test]
    fn a_completion_is_valid_for_one_month_to_ten_years_or_for_good() {
        TestFramework::<Course>::with(())
            .given_no_previous_events()
            .when(add(Some(0)))
            .then_expect_error(CourseError::BadValidity);
        TestFramework::<Course>::with(())
            .given_no_previous_events()
            .when(add(Some(121)))
            .then_expect_error(CourseError::BadValidity);
        for valid in [None, Some(1), Some(120)] {
            let added = TestFramework::<Course>::with(())
                .given_no_previous_events()
                .when(add(valid))
                .inspect_result();
            assert!(added.is_ok(), "{valid:?}");
        }
    }
}
