//! `/files`: files stored with Caucus for papers, named by the SHA-256 of
//! their bytes.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::common::{ChosenClassification, Classification};
use crate::input::FileNameText;

/// How to store an upload.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadParams {
    /// The file name, e.g. `budget-briefing.pdf`.
    #[param(inline)]
    pub name: FileNameText,
    /// Who may read it (default `group`). A paper may use it only if everyone
    /// who can read the paper can read the file.
    pub classification: Option<ChosenClassification>,
}

/// A stored file.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FileView {
    /// The SHA-256 of its content: its id.
    pub id: String,
    /// Its file name.
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// Who may read it.
    pub classification: Classification,
    /// Where to download it.
    pub url: String,
}
