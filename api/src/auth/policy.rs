//! The role-by-operation matrix: the one place that says which roles may call
//! which operation. Handlers ask it; the OpenAPI document and ARCHITECTURE.md are
//! generated from or checked against it.

use crate::domain::Role::{self, *};

/// Roles that run the group's business and may change its records.
const WRITERS: &[Role] = &[Assistant, Leader, Officer];
/// Writers, and councillors on the records they own (the handler checks ownership).
const WRITERS_AND_OWNERS: &[Role] = &[Assistant, Leader, Officer, Councillor];
/// The group's own people and its auditors: everyone but the publisher service.
const MEMBERS_AND_AUDITORS: &[Role] = &[Assistant, Leader, Officer, Councillor, Auditor];
/// Every role that may read the group's records (classification still applies).
const READERS: &[Role] = &[Assistant, Leader, Officer, Councillor, Auditor, Publisher];
/// Those who audit the group's whole log: its auditors and the assistant who
/// answers to them.
const AUDITORS: &[Role] = &[Assistant, Auditor];
/// Who writes publications: the office, and councillors (their own only; the
/// handler checks authorship).
const DRAFTERS: &[Role] = &[Assistant, Leader, Officer, Councillor];
/// Who approves what goes out in the group's name: the Leader and Group Officers.
const APPROVERS: &[Role] = &[Leader, Officer];
/// The publisher service, recording what it made public.
const PUBLISHER: &[Role] = &[Publisher];
/// Who watches the social queue: the office, auditors and the publisher.
const QUEUE_READERS: &[Role] = &[Assistant, Leader, Officer, Auditor, Publisher];
/// Roles that may see members' personal data (email and phone): those who run
/// the group's business, and auditors. Councillors and the publisher may not.
const PERSONAL_DATA_READERS: &[Role] = &[Assistant, Leader, Officer, Auditor];
/// Who may erase a person's personal data: the assistant and the Leader.
const ERASERS: &[Role] = &[Assistant, Leader];
/// Who answers a subject access request: the assistant, the Leader and auditors.
const SUBJECT_ACCESS: &[Role] = &[Assistant, Leader, Auditor];
/// Who works cases: the assistant on any, and councillors (the Leader and
/// officers among them) on those they own or that are shared with them (the
/// case checks it: to anyone else it does not exist).
const CASEWORKERS: &[Role] = &[Assistant, Leader, Officer, Councillor];
/// Who reads cases: caseworkers as above, and auditors their metadata only.
const CASE_READERS: &[Role] = &[Assistant, Leader, Officer, Councillor, Auditor];
/// The office alone: residents' records are reached through their cases, or
/// by the assistant who keeps them.
const OFFICE: &[Role] = &[Assistant];
/// Who may see how each member voted against the whip: the office and auditors.
const WHIP_READERS: &[Role] = &[Assistant, Leader, Officer, Auditor];
/// Who reads the group's budgets with their payees: the office, Group Officers
/// and auditors (councillors read the statement only, without payees).
const BUDGET_READERS: &[Role] = &[Assistant, Leader, Officer, Auditor];
/// Probity (issue 18): who reads donations to the group's funds and their
/// donors: those who keep the funds and auditors. Councillors see nothing of
/// donors (not even totals, which would name them), the publisher nothing.
const FUNDS_READERS: &[Role] = &[Assistant, Leader, Officer, Auditor];

macro_rules! operations {
    ($($variant:ident => $id:literal, $roles:expr;)+) => {
        /// Every operation of the API that a token can call.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation {
            $(
                #[doc = concat!("`", $id, "`")]
                $variant,
            )+
        }

        impl Operation {
            /// Every operation.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The OpenAPI `operationId`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Self::$variant => $id,)+
                }
            }

            /// The roles allowed to call it.
            pub fn roles(self) -> &'static [Role] {
                match self {
                    $(Self::$variant => $roles,)+
                }
            }
        }
    };
}

operations! {
    RecordDecision => "record_decision", WRITERS;
    ListDecisions => "list_decisions", READERS;
    GetDecision => "get_decision", READERS;
    AmendDecision => "amend_decision", WRITERS;
    ReportDecisionProgress => "report_decision_progress", WRITERS;
    MarkDecisionImplemented => "mark_decision_implemented", WRITERS;
    RescindDecision => "rescind_decision", WRITERS;
    SupersedeDecision => "supersede_decision", WRITERS;
    CreateAction => "create_action", WRITERS;
    ListActions => "list_actions", READERS;
    GetAction => "get_action", READERS;
    ReassignAction => "reassign_action", WRITERS;
    RescheduleAction => "reschedule_action", WRITERS;
    ReportActionProgress => "report_action_progress", WRITERS_AND_OWNERS;
    CompleteAction => "complete_action", WRITERS_AND_OWNERS;
    CancelAction => "cancel_action", WRITERS;
    GetReportBack => "get_report_back", MEMBERS_AND_AUDITORS;
    AddMember => "add_member", WRITERS;
    ListMembers => "list_members", READERS;
    GetMember => "get_member", READERS;
    UpdateMemberProfile => "update_member_profile", WRITERS;
    RemoveMember => "remove_member", WRITERS;
    EraseMemberPersonalData => "erase_member_personal_data", ERASERS;
    GetMemberSubjectAccess => "get_member_subject_access", SUBJECT_ACCESS;
    LinkMemberSignIn => "link_member_sign_in", OFFICE;
    UnlinkMemberSignIn => "unlink_member_sign_in", OFFICE;
    GetMe => "get_me", READERS;
    EstablishBody => "establish_body", WRITERS;
    ListBodies => "list_bodies", READERS;
    GetBody => "get_body", READERS;
    UpdateBody => "update_body", WRITERS;
    DissolveBody => "dissolve_body", WRITERS;
    ListBodyHolders => "list_body_holders", READERS;
    ListVacancies => "list_vacancies", READERS;
    NominateAppointment => "nominate_appointment", WRITERS;
    ListAppointments => "list_appointments", READERS;
    GetAppointment => "get_appointment", READERS;
    ConfirmAppointment => "confirm_appointment", WRITERS;
    EndAppointment => "end_appointment", WRITERS;
    WithdrawAppointment => "withdraw_appointment", WRITERS;
    GetRecordHistory => "get_record_history", PERSONAL_DATA_READERS;
    ListAuditLog => "list_audit_log", AUDITORS;
    ExportAuditLog => "export_audit_log", AUDITORS;
    VerifyAuditLog => "verify_audit_log", AUDITORS;
    VerifyAuditLogInBackground => "verify_audit_log_in_background", AUDITORS;
    GetAuditVerification => "get_audit_verification", AUDITORS;
    GetAuditCheckpoint => "get_audit_checkpoint", READERS;
    DraftPublication => "draft_publication", DRAFTERS;
    ListPublications => "list_publications", READERS;
    GetPublication => "get_publication", READERS;
    EditPublication => "edit_publication", DRAFTERS;
    SubmitPublication => "submit_publication", DRAFTERS;
    ApprovePublication => "approve_publication", APPROVERS;
    RejectPublication => "reject_publication", APPROVERS;
    SchedulePublication => "schedule_publication", WRITERS;
    WithdrawPublication => "withdraw_publication", WRITERS;
    RecordPublicationReceipt => "record_publication_receipt", PUBLISHER;
    ClaimPublicationDelivery => "claim_publication_delivery", PUBLISHER;
    RecordPublicationDeliveryOutcome => "record_publication_delivery_outcome", PUBLISHER;
    ListSocialQueue => "list_social_queue", QUEUE_READERS;
    ScheduleMeeting => "schedule_meeting", WRITERS;
    ListMeetings => "list_meetings", READERS;
    GetMeeting => "get_meeting", READERS;
    ListLatePapers => "list_late_papers", MEMBERS_AND_AUDITORS;
    GetCalendar => "get_calendar", READERS;
    RescheduleMeeting => "reschedule_meeting", WRITERS;
    ConfirmMeeting => "confirm_meeting", WRITERS;
    CancelMeeting => "cancel_meeting", WRITERS;
    MarkMeetingHeld => "mark_meeting_held", WRITERS;
    AddAgendaItem => "add_agenda_item", WRITERS;
    AddReportBackItem => "add_report_back_item", WRITERS;
    ReorderAgenda => "reorder_agenda", WRITERS;
    WithdrawAgendaItem => "withdraw_agenda_item", WRITERS;
    LinkAgendaItem => "link_agenda_item", WRITERS;
    AttachPaper => "attach_paper", WRITERS;
    DespatchPapers => "despatch_papers", WRITERS;
    RecordAttendance => "record_attendance", WRITERS;
    RecordMinutes => "record_minutes", WRITERS;
    ApproveMinutes => "approve_minutes", WRITERS;
    CorrectMinutes => "correct_minutes", WRITERS;
    RecordMeetingDecision => "record_meeting_decision", WRITERS;
    CreateMeetingAction => "create_meeting_action", WRITERS;
    OpenElection => "open_election", WRITERS;
    ListElections => "list_elections", READERS;
    GetElection => "get_election", READERS;
    NominateCandidate => "nominate_candidate", WRITERS;
    WithdrawCandidate => "withdraw_candidate", WRITERS;
    CountElectionRound => "count_election_round", WRITERS;
    DeclareElectionResult => "declare_election_result", WRITERS;
    CancelElection => "cancel_election", WRITERS;
    PlanGroupEvent => "plan_group_event", WRITERS;
    ListGroupEvents => "list_group_events", READERS;
    GetGroupEvent => "get_group_event", READERS;
    GetGroupEventInvitation => "get_group_event_invitation", READERS;
    ChangeGroupEventCapacity => "change_group_event_capacity", WRITERS;
    RegisterForGroupEvent => "register_for_group_event", WRITERS_AND_OWNERS;
    WithdrawFromGroupEvent => "withdraw_from_group_event", WRITERS_AND_OWNERS;
    AcceptGroupEventPlace => "accept_group_event_place", WRITERS_AND_OWNERS;
    RecordGroupEventAttendance => "record_group_event_attendance", WRITERS;
    CancelGroupEvent => "cancel_group_event", WRITERS;
    AddCourse => "add_course", WRITERS;
    ListCourses => "list_courses", READERS;
    GetCourse => "get_course", READERS;
    RetireCourse => "retire_course", WRITERS;
    GetTrainingRecord => "get_training_record", READERS;
    RecordTrainingCompletion => "record_training_completion", WRITERS_AND_OWNERS;
    RecordTrainingNeed => "record_training_need", WRITERS_AND_OWNERS;
    WithdrawTrainingNeed => "withdraw_training_need", WRITERS_AND_OWNERS;
    ListTrainingExpiries => "list_training_expiries", READERS;
    GetTrainingPlan => "get_training_plan", READERS;
    GetInductionSteps => "get_induction_steps", READERS;
    AddInductionStep => "add_induction_step", WRITERS;
    ChangeInductionStep => "change_induction_step", WRITERS;
    RetireInductionStep => "retire_induction_step", WRITERS;
    ListInductions => "list_inductions", READERS;
    GetInduction => "get_induction", READERS;
    StartInduction => "start_induction", WRITERS;
    TickInductionStep => "tick_induction_step", WRITERS_AND_OWNERS;
    EnterForwardPlanItem => "enter_forward_plan_item", WRITERS;
    ImportForwardPlan => "import_forward_plan", WRITERS;
    ListForwardPlanItems => "list_forward_plan_items", READERS;
    GetForwardPlanItem => "get_forward_plan_item", READERS;
    UpdateForwardPlanItem => "update_forward_plan_item", WRITERS;
    AgreeGroupPosition => "agree_group_position", WRITERS;
    LinkBriefingAction => "link_briefing_action", WRITERS;
    RecordMotion => "record_motion", DRAFTERS;
    ListMotions => "list_motions", READERS;
    GetMotion => "get_motion", READERS;
    ReviseMotion => "revise_motion", DRAFTERS;
    SubmitMotion => "submit_motion", WRITERS;
    TableMotion => "table_motion", WRITERS;
    SetWhip => "set_whip", WRITERS;
    RecordMotionOutcome => "record_motion_outcome", WRITERS;
    GetWhipReport => "get_whip_report", WHIP_READERS;
    WriteBriefing => "write_briefing", DRAFTERS;
    ListBriefings => "list_briefings", READERS;
    GetBriefing => "get_briefing", READERS;
    ReviseBriefing => "revise_briefing", DRAFTERS;
    WithdrawBriefing => "withdraw_briefing", WRITERS;
    UploadFile => "upload_file", DRAFTERS;
    RegisterOrganisation => "register_organisation", WRITERS;
    ListOrganisations => "list_organisations", MEMBERS_AND_AUDITORS;
    GetOrganisation => "get_organisation", MEMBERS_AND_AUDITORS;
    UpdateOrganisation => "update_organisation", WRITERS;
    RetireOrganisation => "retire_organisation", WRITERS;
    ListCaseCategories => "list_case_categories", CASE_READERS;
    OpenCase => "open_case", CASEWORKERS;
    ListCases => "list_cases", CASE_READERS;
    GetCase => "get_case", CASE_READERS;
    GetMyWork => "get_my_work", READERS;
    AttachCaseFile => "attach_case_file", CASEWORKERS;
    GetCaseFile => "get_case_file", CASEWORKERS;
    AcknowledgeCase => "acknowledge_case", CASEWORKERS;
    ReferCase => "refer_case", CASEWORKERS;
    RecordReferralAcknowledged => "record_referral_acknowledged", CASEWORKERS;
    ChaseReferral => "chase_referral", CASEWORKERS;
    RecordReferralResponse => "record_referral_response", CASEWORKERS;
    AddCaseNote => "add_case_note", CASEWORKERS;
    TellResident => "tell_resident", CASEWORKERS;
    ShareCase => "share_case", CASEWORKERS;
    UnshareCase => "unshare_case", CASEWORKERS;
    HandOverCase => "hand_over_case", CASEWORKERS;
    ClassifyCase => "classify_case", CASEWORKERS;
    CloseCase => "close_case", CASEWORKERS;
    ReopenCase => "reopen_case", CASEWORKERS;
    KeepCaseLonger => "keep_case_longer", CASEWORKERS;
    ListCaseHandovers => "list_case_handovers", AUDITORS;
    GetCaseworkReport => "get_casework_report", MEMBERS_AND_AUDITORS;
    DraftCouncilQuestion => "draft_council_question", CASEWORKERS;
    GetResident => "get_resident", OFFICE;
    GetResidentSubjectAccess => "get_resident_subject_access", OFFICE;
    ChangeResidentDetails => "change_resident_details", OFFICE;
    ChangeResidentConsent => "change_resident_consent", OFFICE;
    EraseResidentPersonalData => "erase_resident_personal_data", OFFICE;
    GetFile => "get_file", READERS;
    // The group's budget (issue 18): the office and Group Officers manage it and
    // propose spending; only Group Officers approve or reject it.
    OpenBudget => "open_budget", WRITERS;
    ListBudgets => "list_budgets", BUDGET_READERS;
    GetBudget => "get_budget", BUDGET_READERS;
    AddBudgetLine => "add_budget_line", WRITERS;
    AllocateBudgetLine => "allocate_budget_line", WRITERS;
    MoveBudgetMoney => "move_budget_money", WRITERS;
    ProposeSpending => "propose_spending", WRITERS;
    ApproveSpending => "approve_spending", APPROVERS;
    RejectSpending => "reject_spending", APPROVERS;
    RecordSpendingPayment => "record_spending_payment", WRITERS;
    GetBudgetStatement => "get_budget_statement", MEMBERS_AND_AUDITORS;
    // The register of interests (issue 18): councillors keep and read their own
    // (the handlers check it); the office and Group Officers all; auditors read.
    ListRegisters => "list_registers", REGISTER_READERS;
    GetRegister => "get_register", MEMBERS_AND_AUDITORS;
    RegisterInterestEntry => "register_interest_entry", WRITERS_AND_OWNERS;
    UpdateInterestEntry => "update_interest_entry", WRITERS_AND_OWNERS;
    RemoveInterestEntry => "remove_interest_entry", WRITERS_AND_OWNERS;
    ConfirmRegister => "confirm_register", WRITERS_AND_OWNERS;
    GetRegisterChanges => "get_register_changes", MEMBERS_AND_AUDITORS;
    GetInterestsReview => "get_interests_review", REGISTER_READERS;
    DismissInterestsReviewItem => "dismiss_interests_review_item", WRITERS;
    // Probity: donations to the group's funds (issue 18).
    RecordDonation => "record_donation", WRITERS;
    ListDonations => "list_donations", FUNDS_READERS;
    GetDonation => "get_donation", FUNDS_READERS;
    CorrectDonation => "correct_donation", WRITERS;
    RecordDonationPermissibility => "record_donation_permissibility", WRITERS;
    GetDonationsRegister => "get_donations_register", FUNDS_READERS;
}

/// Who reads every member's register of interests and its review: the office,
/// the Group Officers and auditors (councillors read only their own).
const REGISTER_READERS: &[Role] = &[Assistant, Leader, Officer, Auditor];

/// Whether a caller holding `roles` may see members' personal data (email and
/// phone); reads by anyone else are redacted.
pub fn reads_personal_data(roles: &[Role]) -> bool {
    roles.iter().any(|role| PERSONAL_DATA_READERS.contains(role))
}

impl Operation {
    /// Finds an operation by its `operationId`.
    pub fn by_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|op| op.id() == id)
    }

    /// Whether a caller holding `roles` may call it.
    pub fn permits(self, roles: &[Role]) -> bool {
        roles.iter().any(|role| self.roles().contains(role))
    }
}

/// The role matrix as a Markdown table: one row per operation, a column per
/// role. Committed as `openapi/roles.md`; a test keeps it current.
pub fn matrix_markdown() -> String {
    let mut table = String::from(
        "# Who may call what\n\nGenerated from `api/src/auth/policy.rs` (the matrix the API enforces); \
         a test fails when this file drifts. Reads are further filtered by classification: councillors \
         see `public` and `group` records, officers also `officers`, the publisher only `public`. \
         Councillors update only the actions they own (their token's `sub` is their member id), and edit \
         and submit only the publications they drafted; nobody approves a publication they drafted. \
         A case is read and worked only by the assistant, its owner and the councillors it is shared \
         with (the Leader and officers included: to anyone else it does not exist); auditors read its \
         metadata, never the resident's details or the notes.\n\n",
    );
    table.push_str("| operation |");
    for role in Role::ALL {
        table.push_str(&format!(" {} |", role.as_str()));
    }
    table.push_str("\n| --- |");
    for _ in Role::ALL {
        table.push_str(" :---: |");
    }
    table.push('\n');
    for op in Operation::ALL {
        table.push_str(&format!("| `{}` |", op.id()));
        for role in Role::ALL {
            table.push_str(if op.permits(&[role]) { " yes |" } else { " |" });
        }
        table.push('\n');
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auditors_change_nothing() {
        for op in Operation::ALL {
            if op.permits(&[Auditor]) {
                let reads = ["get_", "list_", "export_", "verify_"];
                assert!(reads.iter().any(|read| op.id().starts_with(read)), "{op:?}");
            }
        }
    }

    #[test]
    fn councillors_and_the_publisher_never_see_personal_data() {
        for role in [Councillor, Publisher] {
            assert!(!reads_personal_data(&[role]), "{role:?}");
        }
        for role in [Assistant, Leader, Officer, Auditor] {
            assert!(reads_personal_data(&[role]), "{role:?}");
        }
    }

    #[test]
    fn every_role_that_changes_members_may_see_their_personal_data() {
        // Write routes answer with the unredacted record.
        for op in [
            Operation::AddMember,
            Operation::UpdateMemberProfile,
            Operation::RemoveMember,
            Operation::EraseMemberPersonalData,
        ] {
            for role in op.roles() {
                assert!(reads_personal_data(&[*role]), "{op:?} {role:?}");
            }
        }
    }

    #[test]
    fn operation_ids_are_unique_and_found_again() {
        for op in Operation::ALL {
            assert_eq!(Operation::by_id(op.id()), Some(*op));
        }
    }
}
