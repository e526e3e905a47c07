//! The role-by-operation matrix: the one place that says which roles may call
//! which operation. Handlers ask it; the OpenAPI document and ARCHITECTURE.md are
//! generated from or checked against it.

use crate::domain::Role::{self, *};

/// Roles that run the group's business and may change its records.
const WRITERS: &[Role] = &[Assistant, Leader, Officer];
/// Every role that may read the group's records (classification still applies).
const READERS: &[Role] = &[Assistant, Leader, Officer, Councillor, Auditor, Publisher];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auditors_change_nothing() {
        for op in Operation::ALL {
            if op.permits(&[Auditor]) {
                assert!(op.id().starts_with("get_") || op.id().starts_with("list_"), "{op:?}");
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
