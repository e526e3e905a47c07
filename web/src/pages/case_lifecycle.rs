//! The steps a case takes, as casework's forms know them: the path of each
//! (the api's and this site's alike), its words, which the case's status
//! allows (the domain's rules in `domain/src/case/aggregate.rs`: a closed case
//! is only reopened, noted, told, filed, shared, handed over or flagged; a
//! referral is acknowledged, chased and answered only while it is open, and
//! a new one made only when none is), and the api request its form sends.

use caucus_wire::casework::{
    CaseDayRequest, CaseNoteRequest, CaseReaderRequest, CaseStatus, CaseView, ChaseReferralRequest,
    ClassifyCaseRequest, CloseCaseRequest, HandOverCaseRequest, KeepCaseLongerRequest, LawfulCondition,
    RecordResponseRequest, ReferCaseRequest, ReferralAcknowledgedRequest, ReopenCaseRequest, RetentionMonths,
    SpecialCategory, SpecialCategoryKind, TellResidentRequest,
};
use caucus_wire::{DocumentText, NoteText, TitleText};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::{FieldErrors, SentForm};

/// A step taken on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Note,
    Acknowledge,
    Refer,
    ReferralAcknowledged,
    Chase,
    Response,
    TellResident,
    AttachFile,
    Share,
    Unshare,
    HandOver,
    SpecialCategory,
    Close,
    Reopen,
    KeepLonger,
}

/// Where the api's refusal of a step falls on its form: `(JSON pointer,
/// field id, what the field is called)`, the first being where an error on
/// no field is linked.
pub(super) type Fields = &'static [(&'static str, &'static str, &'static str)];

impl Step {
    /// Every step, in the order the page offers them.
    pub(super) const ALL: [Self; 15] = [
        Self::Note,
        Self::Acknowledge,
        Self::Refer,
        Self::ReferralAcknowledged,
        Self::Chase,
        Self::Response,
        Self::TellResident,
        Self::AttachFile,
        Self::Share,
        Self::Unshare,
        Self::HandOver,
        Self::SpecialCategory,
        Self::Close,
        Self::Reopen,
        Self::KeepLonger,
    ];

    /// Its path under the case, the api's and this site's alike.
    pub(super) fn path(self) -> &'static str {
        match self {
            Self::Note => "notes",
            Self::Acknowledge => "acknowledgement",
            Self::Refer => "referrals",
            Self::ReferralAcknowledged => "referral-acknowledgement",
            Self::Chase => "chases",
            Self::Response => "response",
            Self::TellResident => "resident-updates",
            Self::AttachFile => "files",
            Self::Share => "sharing",
            Self::Unshare => "unsharing",
            Self::HandOver => "handover",
            Self::SpecialCategory => "special-category",
            Self::Close => "closure",
            Self::Reopen => "reopening",
            Self::KeepLonger => "retention",
        }
    }

    /// The step at `path`, if there is one.
    pub(super) fn of_path(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.path() == path)
    }

    /// What its form is called, and its button.
    pub(super) fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::Note => ("Add a note", "Add note"),
            Self::Acknowledge => ("Record that the resident was told it is being dealt with", "Record it"),
            Self::Refer => ("Refer it to an organisation", "Refer case"),
            Self::ReferralAcknowledged => ("Record that the organisation acknowledged it", "Record it"),
            Self::Chase => ("Record a chase of the organisation", "Record chase"),
            Self::Response => ("Record the organisation's answer", "Record answer"),
            Self::TellResident => ("Record what the resident was told", "Record update"),
            Self::AttachFile => ("Attach a file", "Attach file"),
            Self::Share => ("Share it with a councillor", "Share case"),
            Self::Unshare => ("Stop sharing it with a councillor", "Stop sharing"),
            Self::HandOver => ("Hand it to another councillor", "Hand over"),
            Self::SpecialCategory => ("Record special category data", "Save"),
            Self::Close => ("Close the case", "Close case"),
            Self::Reopen => ("Reopen the case", "Reopen case"),
            Self::KeepLonger => ("Keep its personal data longer after it closes", "Keep longer"),
        }
    }

    /// The banner once it is done.
    pub(super) fn done(self) -> &'static str {
        match self {
            Self::Note => "Your note was added",
            Self::Acknowledge => "The acknowledgement was recorded",
            Self::Refer => "The case was referred",
            Self::ReferralAcknowledged => "The organisation's acknowledgement was recorded",
            Self::Chase => "The chase was recorded",
            Self::Response => "The organisation's answer was recorded",
            Self::TellResident => "What the resident was told was recorded",
            Self::AttachFile => "The file was attached",
            Self::Share => "The case was shared",
            Self::Unshare => "The case is no longer shared with them",
            Self::HandOver => "The case was handed over",
            Self::SpecialCategory => "Its special category data was recorded",
            Self::Close => "The case was closed",
            Self::Reopen => "The case was reopened",
            Self::KeepLonger => "Its personal data will be kept longer",
        }
    }

    /// The id of its form's section on the page.
    pub(super) fn anchor(self) -> &'static str {
        match self {
            Self::Note => "text",
            other => other.path(),
        }
    }

    pub(super) fn fields(self) -> Fields {
        match self {
            Self::Note => &[("/text", "text", "The note")],
            Self::Acknowledge => &[("/on", "acknowledgement-on-day", "The day")],
            Self::Refer => &[
                ("/organisation_id", "refer-organisation", "The organisation"),
                ("/their_reference", "refer-reference", "Their reference"),
                ("/share_details", "refer-share", "Sharing the details"),
                ("/on", "refer-on-day", "The day"),
            ],
            Self::ReferralAcknowledged => &[
                ("/their_reference", "acknowledged-reference", "Their reference"),
                ("/on", "acknowledged-on-day", "The day"),
            ],
            Self::Chase => &[("/note", "chase-note", "What was said"), ("/on", "chase-on-day", "The day")],
            Self::Response => {
                &[("/summary", "response-summary", "What they said"), ("/on", "response-on-day", "The day")]
            }
            Self::TellResident => &[
                ("/note", "tell-note", "What they were told"),
                ("/how", "tell-how", "How"),
                ("/on", "tell-on-day", "The day"),
            ],
            Self::AttachFile => &[("/name", "file", "The file's name")],
            Self::Share => &[("/member_id", "share-member", "The councillor")],
            Self::Unshare => &[("/member_id", "unshare-member", "The councillor")],
            Self::HandOver => &[("/to", "handover-to", "The new owner"), ("/note", "handover-note", "Why")],
            Self::SpecialCategory => &[
                ("/special_category/kinds", "special-kinds", "What it holds"),
                ("/special_category/condition", "special-condition", "The condition"),
            ],
            Self::Close => &[
                ("/outcome", "close-outcome", "How it ended"),
                ("/note", "close-note", "The note"),
                ("/on", "close-on-day", "The day"),
            ],
            Self::Reopen => &[("/reason", "reopen-reason", "Why"), ("/on", "reopen-on-day", "The day")],
            Self::KeepLonger => {
                &[("/months", "retention-months", "The months"), ("/reason", "retention-reason", "Why")]
            }
        }
    }

    /// The id of its form's day (a GOV.UK date input, blank for today), if
    /// it records one: the organisation's answer may have come yesterday.
    pub(super) fn day_field(self) -> Option<&'static str> {
        Some(match self {
            Self::Acknowledge => "acknowledgement-on",
            Self::Refer => "refer-on",
            Self::ReferralAcknowledged => "acknowledged-on",
            Self::Chase => "chase-on",
            Self::Response => "response-on",
            Self::TellResident => "tell-on",
            Self::Close => "close-on",
            Self::Reopen => "reopen-on",
            // A note's day is the day it is written.
            Self::Note
            | Self::AttachFile
            | Self::Share
            | Self::Unshare
            | Self::HandOver
            | Self::SpecialCategory
            | Self::KeepLonger => return None,
        })
    }

    /// Whether the case's status allows it: a closed case is only reopened,
    /// noted, told, filed, shared, handed over or flagged; a referral is
    /// acknowledged, chased and answered only while it is open, and a new
    /// one made only when none is.
    pub(super) fn allowed(self, case: &CaseView) -> bool {
        let open = case.status != CaseStatus::Closed;
        let referral_open = matches!(case.status, CaseStatus::Referred | CaseStatus::AwaitingResponse);
        match self {
            Self::Acknowledge => open && case.acknowledged_on.is_none(),
            Self::Refer => open && !referral_open,
            Self::ReferralAcknowledged => case.status == CaseStatus::Referred,
            Self::Chase | Self::Response => referral_open,
            Self::Close => open,
            Self::Reopen => !open,
            Self::Unshare => !case.shared_with.is_empty(),
            Self::Note
            | Self::TellResident
            | Self::AttachFile
            | Self::Share
            | Self::HandOver
            | Self::SpecialCategory
            | Self::KeepLonger => true,
        }
    }

    /// The api's request for the form as sent, or what is wrong with it
    /// that only a choice left unmade explains.
    pub(super) fn body(self, form: &SentForm) -> Result<Value, FieldErrors> {
        let optional = |name: &str| Some(form.text(name)).filter(|t| !t.trim().is_empty());
        let missing =
            |id: &str, message: &str| FieldErrors { errors: vec![(id.to_owned(), message.to_owned())] };
        let member = |name: &str, id: &str, message: &str| {
            form.text(name).parse::<Uuid>().map_err(|_| missing(id, message))
        };
        let on = match (self.day_field(), form.date("on")) {
            (Some(id), day) if !day.is_blank() => {
                Some(day.parse("The day").map_err(|message| missing(&format!("{id}-day"), &message))?)
            }
            _ => None,
        };
        Ok(match self {
            Self::Note => to_json(CaseNoteRequest { on: None, text: DocumentText(form.text("text")) }),
            Self::Acknowledge => to_json(CaseDayRequest { on }),
            Self::Refer => to_json(ReferCaseRequest {
                organisation_id: member("organisation_id", "refer-organisation", "Select the organisation")?,
                share_details: form.text("share_details") == "yes",
                their_reference: optional("their_reference").map(TitleText),
                on,
            }),
            Self::ReferralAcknowledged => to_json(ReferralAcknowledgedRequest {
                on,
                their_reference: optional("their_reference").map(TitleText),
            }),
            Self::Chase => to_json(ChaseReferralRequest { on, note: optional("note").map(NoteText) }),
            Self::Response => {
                to_json(RecordResponseRequest { on, summary: DocumentText(form.text("summary")) })
            }
            Self::TellResident => to_json(TellResidentRequest {
                on,
                how: word(&form.text("how"))
                    .ok_or_else(|| missing("tell-how", "Select how they were told"))?,
                note: DocumentText(form.text("note")),
            }),
            Self::AttachFile => return Err(missing("file", "Select a file")),
            Self::Share => to_json(CaseReaderRequest {
                member_id: member("member_id", "share-member", "Select the councillor to share it with")?,
            }),
            Self::Unshare => to_json(CaseReaderRequest {
                member_id: member("member_id", "unshare-member", "Select the councillor")?,
            }),
            Self::HandOver => to_json(HandOverCaseRequest {
                to: member("to", "handover-to", "Select the councillor to hand it to")?,
                note: optional("note").map(NoteText),
            }),
            Self::SpecialCategory => {
                let kinds: Vec<SpecialCategoryKind> =
                    form.0.iter().filter(|(n, _)| n == "kinds").filter_map(|(_, v)| word(v)).collect();
                let condition = word::<LawfulCondition>(&form.text("condition"));
                let special_category = match (kinds.is_empty(), condition) {
                    // Nothing ticked: the case holds none (any earlier flag is
                    // cleared), whatever condition is still chosen.
                    (true, _) => None,
                    (false, Some(condition)) => Some(SpecialCategory { kinds, condition }),
                    (false, None) => {
                        return Err(missing("special-condition", "Select the condition relied on"));
                    }
                };
                to_json(ClassifyCaseRequest { special_category })
            }
            Self::Close => to_json(CloseCaseRequest {
                on,
                outcome: word(&form.text("outcome"))
                    .ok_or_else(|| missing("close-outcome", "Select how the case ended"))?,
                note: optional("note").map(NoteText),
            }),
            Self::Reopen => to_json(ReopenCaseRequest { on, reason: NoteText(form.text("reason")) }),
            Self::KeepLonger => to_json(KeepCaseLongerRequest {
                months: RetentionMonths(form.text("months").trim().parse().map_err(|_| {
                    missing("retention-months", "Enter the months as a whole number, such as 72")
                })?),
                reason: NoteText(form.text("reason")),
            }),
        })
    }
}

/// A request as JSON (ours always serialise).
fn to_json(request: impl Serialize) -> Value {
    serde_json::to_value(request).unwrap_or(Value::Null)
}

/// The wire enum spelled `text` (`not_resolved`), if it is one.
pub(super) fn word<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(Value::String(text.to_owned())).ok()
}
