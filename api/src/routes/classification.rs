//! The classification as the API shows it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Classification;

/// Who may read a record: `public` (may be published), `group` (all members),
/// `officers` (Group Officers and the assistant), `confidential` (the
/// assistant, the Leader and auditors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClassificationDto {
    /// May be published once approved.
    Public,
    /// Every member of the group.
    Group,
    /// Group Officers and the assistant.
    Officers,
    /// The assistant, the Leader and auditors.
    Confidential,
}

impl From<ClassificationDto> for Classification {
    fn from(dto: ClassificationDto) -> Self {
        match dto {
            ClassificationDto::Public => Self::Public,
            ClassificationDto::Group => Self::Group,
            ClassificationDto::Officers => Self::Officers,
            ClassificationDto::Confidential => Self::Confidential,
        }
    }
}

impl From<Classification> for ClassificationDto {
    fn from(c: Classification) -> Self {
        match c {
            Classification::Public => Self::Public,
            Classification::Group => Self::Group,
            Classification::Officers => Self::Officers,
            Classification::Confidential => Self::Confidential,
        }
    }
}
