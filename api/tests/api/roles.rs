//! The role matrix, enforced: every operation in the OpenAPI document is called
//! with a token of every role, and answers 403 exactly when the matrix says so.

use caucus_api::{auth::Operation, domain::Role, startup::openapi_document};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::appointments::nominate;
use crate::bodies::{body, establish};
use crate::decisions::{decision, record};
use crate::helpers::{TestApp, json};
use crate::on_both_stores;
use crate::publications::{content_of, draft, press_release};

/// The records the matrix test calls operations on.
struct Targets {
    /// A decision, for `/decisions/{id}` paths.
    decision: String,
    /// Another decision, to supersede the first with.
    other_decision: String,
    /// A body, for `/bodies/{id}` paths and nominations.
    body: String,
    /// An appointment, for `/appointments/{id}` paths.
    appointment: String,
    /// An action owned by `member`, for `/actions/{id}` paths.
    action: String,
    /// A member, for `/members/{id}` paths; the councillor's token is theirs.
    member: String,
    /// A publication drafted by `member`, for `/publications/{id}` paths.
    publication: String,
    /// A meeting, for `/meetings/{id}` paths.
    meeting: String,
    /// An agenda item of `meeting`.
    meeting_item: String,
    /// An election, for `/elections/{id}` paths.
    election: String,
    /// A group post, to call elections to.
    post: String,
    /// A group event, for `/group-events/{id}` paths.
    group_event: String,
    /// A course, for `/courses/{id}` paths and completions.
    course: String,
    /// A forward plan item, for `/forward-plan-items/{id}` paths.
    forward_plan_item: String,
    /// A Full Council meeting, for motions.
    council_meeting: String,
    /// A motion brought by `member`, for `/motions/{id}` paths.
    motion: String,
    /// A briefing on `motion`, for `/briefings/{id}` paths.
    briefing: String,
    /// A stored file, for `/files/{id}` paths.
    file: String,
    /// An organisation, for `/organisations/{id}` paths and referrals.
    organisation: String,
    /// A case owned by `member`, for `/cases/{id}` paths.
    case: String,
    /// The case's resident, for `/residents/{id}` paths.
    resident: String,
    /// The group's budget (issue 18): a council budget with a line `it` and
    /// spending number 1, for `/budgets/{id}` paths.
    budget: String,
    /// Probity (issue 18): a donation, for `/donations/{id}` paths.
    donation: String,
}

impl Targets {
    /// The id of the record an `{id}` path is about, chosen by its prefix.
    fn id_for(&self, path: &str) -> &str {
        if path.starts_with("/api/v1/bodies/") {
            &self.body
        } else if path.starts_with("/api/v1/appointments/") {
            &self.appointment
        } else if path.starts_with("/api/v1/actions/") {
            &self.action
        } else if path.starts_with("/api/v1/members/") {
            &self.member
        } else if path.starts_with("/api/v1/publications/") {
            &self.publication
        } else if path.starts_with("/api/v1/meetings/") {
            &self.meeting
        } else if path.starts_with("/api/v1/elections/") {
            &self.election
        } else if path.starts_with("/api/v1/group-events/") {
            &self.group_event
        } else if path.starts_with("/api/v1/courses/") {
            &self.course
        } else if path.starts_with("/api/v1/forward-plan-items/") {
            &self.forward_plan_item
        } else if path.starts_with("/api/v1/motions/") {
            &self.motion
        } else if path.starts_with("/api/v1/briefings/") {
            &self.briefing
        } else if path.starts_with("/api/v1/files/") {
            &self.file
        } else if path.starts_with("/api/v1/organisations/") {
            &self.organisation
        } else if path.starts_with("/api/v1/cases/") {
            &self.case
        } else if path.starts_with("/api/v1/residents/") {
            &self.resident
        } else if path.starts_with("/api/v1/budgets/") {
            &self.budget
        } else if path.starts_with("/api/v1/donations/") {
            &self.donation
        } else {
            // A record's history is asked for by type and id: the decision's.
            let decision =
                path.starts_with("/api/v1/decisions/") || path.starts_with("/api/v1/history/decision/");
            assert!(decision, "no target record for {path}");
            &self.decision
        }
    }
}

/// A valid body for each operation that takes one; `None` for reads.
fn sample_body(operation: Operation, targets: &Targets) -> Option<Value> {
    use Operation::*;
    Some(match operation {
        RecordDecision => decision("Role matrix", "group"),
        AmendDecision => json!({"text": format!("Amended {}", uuid::Uuid::new_v4()), "reason": "matrix"}),
        ReportDecisionProgress => {
            json!({"on": "2026-03-10", "note": "progress", "status": "on_track", "percent_complete": 10})
        }
        MarkDecisionImplemented => json!({"on": "2026-04-01"}),
        RescindDecision => json!({"reason": "matrix"}),
        SupersedeDecision => json!({"by": targets.other_decision, "reason": "matrix"}),
        EstablishBody => body("Role matrix committee", 3),
        UpdateBody => json!({"name": format!("Renamed {}", uuid::Uuid::new_v4())}),
        DissolveBody => json!({"on": "2026-05-20", "reason": "matrix"}),
        NominateAppointment => json!({
            "body_id": targets.body,
            "member_id": targets.member,
            "term_starts_on": "2026-05-20",
            "classification": "group"
        }),
        ConfirmAppointment => json!({"on": "2026-05-20"}),
        EndAppointment => json!({"on": "2026-09-01", "reason": "resigned"}),
        WithdrawAppointment => json!({"reason": "matrix"}),
        CreateAction => json!({
            "title": "Matrix action", "owner_id": targets.member, "due_on": "2026-05-01", "classification": "group"
        }),
        ReassignAction => json!({"owner_id": uuid::Uuid::new_v4()}),
        RescheduleAction => json!({"due_on": format!("2027-01-{:02}", rand_day()), "reason": "matrix"}),
        ReportActionProgress => json!({"on": "2026-03-10", "note": "progress"}),
        CompleteAction => json!({"on": "2026-03-12"}),
        CancelAction => json!({"reason": "matrix"}),
        AddMember => json!({"name": "Cllr Matrix", "ward": "Stratford"}),
        UpdateMemberProfile => json!({"ward": format!("Ward {}", uuid::Uuid::new_v4())}),
        RemoveMember => json!({"on": "2026-05-01", "reason": "matrix"}),
        EraseMemberPersonalData => json!({}),
        LinkMemberSignIn => json!({"issuer": "https://login.example.org", "subject": uuid::Uuid::new_v4()}),
        DraftPublication => press_release("Role matrix"),
        EditPublication => content_of(&format!("Edited {}", uuid::Uuid::new_v4())),
        SubmitPublication | ApprovePublication | ClaimPublicationDelivery => json!({}),
        RejectPublication => json!({"note": "matrix"}),
        SchedulePublication => json!({"publish_at": "2026-03-02T09:00:00Z"}),
        WithdrawPublication => json!({"reason": "matrix"}),
        RecordPublicationReceipt => {
            json!({"channel": "website", "url": "https://newhamlabour.org.uk/p/", "at": "2026-03-02T09:00:00Z"})
        }
        RecordPublicationDeliveryOutcome => json!({"error": "matrix", "retry_at": "2026-03-02T09:00:00Z"}),
        ScheduleMeeting => {
            crate::meetings::meeting("Matrix meeting", "group_meeting", "2026-03-11T18:30:00Z", "group")
        }
        RescheduleMeeting => json!({"starts_at": "2026-03-12T18:30:00Z", "place": "Room 2"}),
        ConfirmMeeting | MarkMeetingHeld => json!({}),
        CancelMeeting => json!({"reason": "matrix"}),
        AddAgendaItem => json!({"title": "Matrix item", "classification": "group"}),
        AddReportBackItem => json!({}),
        ReorderAgenda => json!({"order": [targets.meeting_item]}),
        WithdrawAgendaItem => json!({"item_id": uuid::Uuid::new_v4(), "reason": "matrix"}),
        LinkAgendaItem => {
            json!({"item_id": targets.meeting_item, "link": {"kind": "decision", "id": targets.decision}})
        }
        AttachPaper => {
            json!({"item_id": targets.meeting_item, "title": "Paper", "link": "https://docs.example/p.pdf", "classification": "group"})
        }
        DespatchPapers => json!({"to": ["All group members"]}),
        RecordAttendance => json!({"entries": [{"member_id": targets.member, "attendance": "present"}]}),
        RecordMinutes => json!({"item_id": targets.meeting_item, "text": "Agreed."}),
        ApproveMinutes => json!({"meeting_id": uuid::Uuid::new_v4(), "on": "2026-04-08"}),
        CorrectMinutes => json!({"item_id": targets.meeting_item, "text": "Agreed.", "reason": "matrix"}),
        RecordMeetingDecision => {
            json!({"item_id": targets.meeting_item, "title": "Matrix", "text": "Matrix", "classification": "group"})
        }
        CreateMeetingAction => json!({"item_id": targets.meeting_item, "action": {
            "title": "Matrix action", "owner_id": targets.member, "due_on": "2026-05-01", "classification": "group"
        }}),
        OpenElection => {
            json!({"body_id": targets.post, "title": "Matrix election", "term_starts_on": "2026-05-20", "classification": "group"})
        }
        NominateCandidate | WithdrawCandidate => json!({"member_id": targets.member}),
        CountElectionRound => json!({"votes": [{"member_id": targets.member, "votes": 3}]}),
        DeclareElectionResult => json!({"on": "2026-05-12"}),
        CancelElection | CancelGroupEvent | RetireCourse => json!({"reason": "matrix"}),
        AddCourse => json!({"title": "Matrix course", "valid_for_months": 12}),
        RecordTrainingCompletion => {
            json!({"course_id": targets.course, "completed_on": "2026-05-01", "certificate_file_id": targets.file})
        }
        RecordTrainingNeed => {
            json!({"course_id": targets.course, "priority": "medium", "reason": "own_request"})
        }
        WithdrawTrainingNeed => json!({"reason": "matrix"}),
        AddInductionStep | ChangeInductionStep => {
            json!({"title": "Matrix step", "due_after_days": 7, "owner": {"kind": "new_member"}})
        }
        RetireInductionStep | TickInductionStep => json!({}),
        StartInduction => json!({"joined_on": "2026-05-01"}),
        PlanGroupEvent => crate::group_events::seminar("Matrix seminar", Some(20)),
        ChangeGroupEventCapacity => json!({"capacity": 25}),
        RegisterForGroupEvent | WithdrawFromGroupEvent | AcceptGroupEventPlace => {
            json!({"member_id": targets.member})
        }
        RecordGroupEventAttendance => {
            json!({"entries": [{"member_id": targets.member, "attendance": "present"}]})
        }
        EnterForwardPlanItem => {
            json!({"entry": crate::forward_plan::entry("Matrix item"), "classification": "public"})
        }
        ImportForwardPlan => json!({}),
        UpdateForwardPlanItem => crate::forward_plan::entry(&format!("Matrix {}", uuid::Uuid::new_v4())),
        AgreeGroupPosition => json!({"position": "Support"}),
        LinkBriefingAction => json!({"action_id": targets.action}),
        RecordMotion => {
            crate::motions::own_motion(&targets.council_meeting, &targets.member, "Matrix motion")
        }
        ReviseMotion => {
            json!({"title": "Matrix motion", "text": format!("Revised {}", uuid::Uuid::new_v4())})
        }
        SubmitMotion | TableMotion => json!({}),
        SetWhip => json!({"position": "for"}),
        RecordMotionOutcome => json!({"outcome": "withdrawn"}),
        WriteBriefing => {
            json!({"kind": "briefing", "subject": {"motion_id": targets.motion}, "title": "Matrix",
            "body": "Text.", "classification": "group"})
        }
        ReviseBriefing => json!({"title": "Matrix", "body": format!("Version {}", uuid::Uuid::new_v4())}),
        WithdrawBriefing => json!({"reason": "matrix"}),
        // The body is the file itself: any bytes do.
        UploadFile | AttachCaseFile => json!({"any": "bytes"}),
        RegisterOrganisation => {
            json!({"name": format!("Matrix {}", uuid::Uuid::new_v4()), "kind": "outside_body"})
        }
        UpdateOrganisation => {
            json!({"name": format!("Renamed {}", uuid::Uuid::new_v4()), "kind": "council_service"})
        }
        RetireOrganisation => json!({"reason": "matrix"}),
        OpenCase => crate::casework::new_case(&targets.member, "Matrix case"),
        AcknowledgeCase => json!({}),
        ReferCase => json!({"organisation_id": targets.organisation}),
        RecordReferralAcknowledged => json!({"their_reference": "M/1"}),
        ChaseReferral => json!({"note": "matrix"}),
        RecordReferralResponse => json!({"summary": "matrix"}),
        AddCaseNote => json!({"text": "matrix"}),
        TellResident => json!({"how": "phone", "note": "matrix"}),
        ShareCase | UnshareCase => json!({"member_id": uuid::Uuid::new_v4()}),
        HandOverCase => json!({"to": uuid::Uuid::new_v4()}),
        ClassifyCase => json!({"special_category": null}),
        CloseCase => json!({"outcome": "withdrawn"}),
        ReopenCase => json!({"reason": "matrix"}),
        KeepCaseLonger => json!({"months": 60, "reason": "matrix"}),
        EraseResidentPersonalData => json!({}),
        // The group's budget (issue 18).
        OpenBudget => json!({"ledger": "group", "year": 2030}),
        AddBudgetLine => {
            json!({"code": format!("m{}", rand_day()), "name": "Matrix", "category": "other", "allocation_pence": 100})
        }
        AllocateBudgetLine => json!({"code": "it", "allocation_pence": 100_000, "reason": "matrix"}),
        MoveBudgetMoney => {
            json!({"from_line": "it", "to_line": "print", "amount_pence": 1, "reason": "matrix"})
        }
        ProposeSpending => json!({"line": "it", "amount_pence": 100, "payee": "Matrix", "purpose": "matrix"}),
        ApproveSpending => json!({}),
        RejectSpending => json!({"reason": "matrix"}),
        RecordSpendingPayment => json!({"receipt_file_id": targets.file}),
        ListBudgets | GetBudget | GetBudgetStatement => return None,
        ChangeResidentDetails => json!({"name": "Matrix Resident", "phone": "07700 900999"}),
        ChangeResidentConsent => json!({"consent_to_share": true}),
        DraftCouncilQuestion => json!({
            "meeting_id": targets.council_meeting, "proposer_id": targets.member, "directed_to": "Cabinet Member"
        }),
        // Probity: donations (issue 18).
        RecordDonation => {
            crate::donations::donation("Matrix Donor", 75_000, "2026-01-05".parse().expect("day"))
        }
        CorrectDonation => {
            let mut corrected =
                crate::donations::donation("Matrix Donor", 80_000, "2026-01-05".parse().expect("day"));
            corrected["reason"] = json!("matrix");
            corrected
        }
        RecordDonationPermissibility => json!({"outcome": "permissible", "checked_on": "2026-01-06"}),
        ListDonations | GetDonation | GetDonationsRegister => return None,
        ListOrganisations
        | GetOrganisation
        | ListCaseCategories
        | ListCases
        | GetCase
        | GetResident
        | GetResidentSubjectAccess
        | ListCaseHandovers
        | GetCaseworkReport => {
            return None;
        }
        // The register of interests (issue 18): its writes, then its reads.
        RegisterInterestEntry | UpdateInterestEntry => {
            json!({"category": "charity", "declaration": "interest", "description": format!("Trustee {}", uuid::Uuid::new_v4())})
        }
        RemoveInterestEntry | DismissInterestsReviewItem => json!({"reason": "matrix"}),
        ConfirmRegister => json!({}),
        ListRegisters | GetRegister | GetRegisterChanges | GetInterestsReview => return None,
        GetFile
        | GetCaseFile
        | ListMotions
        | GetMotion
        | GetWhipReport
        | ListBriefings
        | GetBriefing
        | ListPublications
        | GetPublication
        | ListSocialQueue
        | ListForwardPlanItems
        | GetForwardPlanItem
        | GetCalendar
        | ListElections
        | GetElection
        | ListGroupEvents
        | GetGroupEvent
        | GetGroupEventInvitation
        | ListCourses
        | GetCourse
        | GetTrainingRecord
        | ListTrainingExpiries
        | GetTrainingPlan
        | GetInductionSteps
        | ListInductions
        | GetInduction
        | ListMeetings
        | GetMeeting
        | ListLatePapers
        | ListDecisions
        | GetDecision
        | ListBodies
        | GetBody
        | ListBodyHolders
        | ListVacancies
        | ListAppointments
        | GetAppointment
        | ListActions
        | GetAction
        | GetReportBack
        | ListMembers
        | GetMember
        | GetMemberSubjectAccess
        | GetRecordHistory
        | ListAuditLog
        | ExportAuditLog
        | VerifyAuditLog
        | VerifyAuditLogInBackground
        | GetAuditVerification
        | GetAuditCheckpoint
        | GetMyWork
        | GetMe
        | UnlinkMemberSignIn => return None,
    })
}

/// A different day each call, so a reschedule is never a no-op.
fn rand_day() -> u32 {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 28 + 1
}

async fn call(app: &TestApp, method: &str, path: &str, token: &str, body: Option<Value>) -> StatusCode {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("send").status()
}

on_both_stores! {
    async fn every_operation_answers_403_exactly_to_the_roles_the_matrix_excludes(app: backend) {
        // The councillor is a member who owns the target action, so may update it.
        let member = json!({"name": "Cllr Target", "ward": "Beckton"});
        let member = json(app.post("/members", &app.token("assistant"), &member).await, StatusCode::CREATED).await;
        let member = member["id"].as_str().expect("id").to_owned();
        let action = json!({"title": "Target action", "owner_id": member, "due_on": "2026-05-01", "classification": "group"});
        let action = json(app.post("/actions", &app.token("assistant"), &action).await, StatusCode::CREATED).await;
        let body = establish(&app, "Target committee", 100).await;
        let appointment = json(nominate(&app, &body, "2026-05-20", None).await, StatusCode::CREATED).await;
        let meeting = crate::meetings::schedule(&app, "Target meeting", "group_meeting", "2026-03-11T18:30:00Z").await;
        let meeting = meeting["id"].as_str().expect("id").to_owned();
        let meeting_item = crate::meetings::add_item(&app, &meeting, "Target item", "group").await;
        let post = crate::elections::establish_post(&app, "Target post").await;
        let election = json!({"body_id": post, "title": "Target election", "term_starts_on": "2026-05-20", "classification": "group"});
        let election = json(app.post("/elections", &app.token("assistant"), &election).await, StatusCode::CREATED).await;
        let council_meeting = crate::motions::council_meeting(&app, 60).await;
        let motion = crate::motions::record(&app, &crate::motions::own_motion(&council_meeting, &member, "Target motion")).await;
        let motion = motion["id"].as_str().expect("id").to_owned();
        let briefing = json!({"kind": "briefing", "subject": {"motion_id": motion}, "title": "Target", "body": "Text.", "classification": "group"});
        let briefing = json(app.post("/briefings", &app.token("assistant"), &briefing).await, StatusCode::CREATED).await;
        let file = crate::files::upload(&app, "target.pdf", b"%PDF-1.4 target", "group").await;
        let organisation = crate::casework::register(&app, "Target service").await;
        let case = crate::casework::open(&app, &app.token("assistant"), &crate::casework::new_case(&member, "Target case")).await;
        let budget = crate::budget::target(&app).await;
        let targets = Targets {
            organisation,
            resident: case["resident_id"].as_str().expect("resident").to_owned(),
            budget,
            case: case["id"].as_str().expect("id").to_owned(),
            file: file["id"].as_str().expect("id").to_owned(),
            council_meeting,
            motion,
            briefing: briefing["id"].as_str().expect("id").to_owned(),
            decision: record(&app, "Target", "group").await["id"].as_str().expect("id").to_owned(),
            other_decision: record(&app, "Replacement", "group").await["id"].as_str().expect("id").to_owned(),
            body,
            appointment: appointment["id"].as_str().expect("id").to_owned(),
            action: action["id"].as_str().expect("id").to_owned(),
            publication: draft(&app, &app.token_as(&member, "councillor"), &press_release("Target")).await,
            member,
            meeting,
            meeting_item,
            election: election["id"].as_str().expect("id").to_owned(),
            forward_plan_item: crate::forward_plan::enter(&app, "Target item").await,
            post,
            course: crate::training::add(&app, "Target course", Some(12), &[]).await,
            group_event: crate::group_events::plan(&app, &crate::group_events::seminar("Target seminar", Some(20))).await,
            donation: crate::donations::record(&app, &crate::donations::donation("Target Donor", 75_000, "2026-01-05".parse().expect("day"))).await["id"].as_str().expect("id").to_owned(),
        };
        let doc: Value = serde_json::from_str(&openapi_document().to_json().expect("json")).expect("parse");
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().expect("paths") {
            if !path.starts_with("/api/") {
                continue;
            }
            for (method, spec) in item.as_object().expect("item") {
                let id = spec["operationId"].as_str().expect("operationId");
                let operation = Operation::by_id(id).expect("in matrix");
                let path = path.replace("{record_type}", "decision");
                let path = if path.contains("{id}") { path.replace("{id}", targets.id_for(&path)) } else { path };
                let path = path.replace("{network}", "x").replace("{member_id}", &targets.member).replace("{number}", "1");
                // No need has this id: a role allowed to withdraw one is answered 404.
                let path = path.replace("{need_id}", &uuid::Uuid::nil().to_string());
                let path = path.replace("{verification_id}", &uuid::Uuid::nil().to_string());
                // No register entry or review item has this id either (issue 18).
                let path = path.replace("{entry_id}", &uuid::Uuid::nil().to_string()).replace("{item_id}", &uuid::Uuid::nil().to_string());
                for role in Role::ALL {
                    let token = if role == Role::Councillor {
                        app.token_as(&targets.member, role.as_str())
                    } else {
                        app.token(role.as_str())
                    };
                    let status = call(&app, method, &path, &token, sample_body(operation, &targets)).await;
                    let allowed = operation.permits(&[role]);
                    if allowed {
                        assert!(
                            status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                            "{id} as {role:?} should be allowed, got {status}"
                        );
                    } else {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{id} as {role:?} should be forbidden");
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, Operation::ALL.len() * Role::ALL.len());
    }
}
