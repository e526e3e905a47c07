//! The HTTP contract of the Caucus API: the request and answer types, their
//! OpenAPI schemas, and the checks a request's fields pass on their way into
//! the domain. Nothing here knows about actix, SQL or the store, so a client
//! (the staff web client, a test) can depend on it and fail to compile when
//! the contract changes under it.

mod common;
mod fields;
mod headers;
mod input;
mod mirror;
mod problem;

pub mod actions;
pub mod appointments;
pub mod audit;
pub mod bodies;
pub mod briefings;
pub mod budget;
pub mod casework;
pub mod decisions;
pub mod elections;
pub mod files;
pub mod forward_plan;
pub mod group_events;
pub mod health;
pub mod induction;
pub mod me;
pub mod meetings;
pub mod members;
pub mod motions;
pub mod my_work;
pub mod organisations;
pub mod publications;
pub mod report_back;
pub mod training;
pub mod training_plan;
// The register of interests (issue 18, probity).
pub mod interests;
// Probity: donations to the group's funds (issue 18).
pub mod donations;

pub use caucus_domain::{FinancialYear, Pence, PoundsError, thousands};
pub use common::{
    API_PREFIX, AsOf, ChosenClassification, Classification, Cursor, EmptyRequest, IdList, ListOrder,
    PageLimit, ReadOn, Stored, Unrecorded,
};
pub use fields::{Fields, Invalid, ParseRequest};
pub use headers::{IdempotencyKeyValue, IfMatchValue};
pub use input::{
    AltText, DocumentText, EmailText, FileNameText, ImageUrlText, Input, NoteText, OutOfRange,
    PercentComplete, PhotoUrlText, Seats, SlugText, SocialText, SummaryText, TagText, Tags, TitleText,
};
pub use mirror::{Mirror, NotOnTheWire};
pub use problem::{FieldError, Problem};

#[cfg(test)]
mod tests {
    use crate::mirror::assert_same_words;

    #[test]
    fn every_mirrored_value_is_spelled_as_the_domain_spells_it() {
        assert_same_words::<crate::Classification>();
        assert_same_words::<crate::ChosenClassification>();
        assert_same_words::<crate::actions::ActionStatus>();
        assert_same_words::<crate::appointments::AppointmentStatus>();
        assert_same_words::<crate::appointments::EndReason>();
        assert_same_words::<crate::bodies::BodyKind>();
        assert_same_words::<crate::bodies::BodyStatus>();
        assert_same_words::<crate::briefings::BriefingKind>();
        assert_same_words::<crate::briefings::BriefingStatus>();
        assert_same_words::<crate::casework::CaseStatus>();
        assert_same_words::<crate::casework::Channel>();
        assert_same_words::<crate::casework::ContactMethod>();
        assert_same_words::<crate::casework::LawfulCondition>();
        assert_same_words::<crate::casework::CaseOutcome>();
        assert_same_words::<crate::casework::ResidentStatus>();
        assert_same_words::<crate::casework::SpecialCategoryKind>();
        assert_same_words::<crate::decisions::DecisionStatus>();
        assert_same_words::<crate::decisions::ProgressStatus>();
        assert_same_words::<crate::elections::ElectionStatus>();
        assert_same_words::<crate::forward_plan::ForwardPlanStatus>();
        assert_same_words::<crate::meetings::Attendance>();
        assert_same_words::<crate::meetings::ItemStatus>();
        assert_same_words::<crate::meetings::LinkKind>();
        assert_same_words::<crate::meetings::MeetingKind>();
        assert_same_words::<crate::meetings::MeetingStatus>();
        assert_same_words::<crate::members::MemberStatus>();
        assert_same_words::<crate::motions::MotionKind>();
        assert_same_words::<crate::motions::MotionStatus>();
        assert_same_words::<crate::motions::Outcome>();
        assert_same_words::<crate::motions::VoteOption>();
        assert_same_words::<crate::motions::WhipPosition>();
        assert_same_words::<crate::organisations::OrganisationKind>();
        assert_same_words::<crate::organisations::OrganisationStatus>();
        assert_same_words::<crate::publications::DeliveryState>();
        assert_same_words::<crate::publications::Network>();
        assert_same_words::<crate::publications::PublicationKind>();
        assert_same_words::<crate::publications::PublicationStatus>();
        // The group's budget (issue 18).
        assert_same_words::<crate::budget::Ledger>();
        assert_same_words::<crate::budget::BudgetCategory>();
        assert_same_words::<crate::budget::SpendingStatus>();
        assert_same_words::<crate::budget::LineUseLevel>();
        // The register of interests.
        assert_same_words::<crate::interests::InterestCategory>();
        assert_same_words::<crate::interests::InterestHolder>();
        // Probity: donations (issue 18).
        assert_same_words::<crate::donations::DonorKind>();
        assert_same_words::<crate::donations::DonationKind>();
        assert_same_words::<crate::donations::DonationStatus>();
        assert_same_words::<crate::donations::ReportingStandingWord>();
    }
}
