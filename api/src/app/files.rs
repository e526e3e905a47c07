//! Stored files as records refer to them: a paper names a file of the group
//! that everyone who may read the paper may read.

use super::Scope;
use crate::domain::{Classification, Role, StoredFile, Title};
use crate::http::{ApiError, Fields};
use crate::store::files::{self, FileMeta};

/// A stored file's classification.
pub fn classification_of(meta: &FileMeta) -> Result<Classification, ApiError> {
    Classification::parse(&meta.classification).ok_or_else(|| {
        ApiError::internal(anyhow::anyhow!(
            "file {} has classification {:?}",
            meta.sha256,
            meta.classification
        ))
    })
}

/// The stored file `id` of the scope's group as a record refers to it, if
/// the actor may read it; `None` if there is no such file for them.
pub async fn referable(
    scope: &Scope<'_>,
    id: &str,
) -> Result<Option<(StoredFile, Classification)>, ApiError> {
    if !StoredFile::is_id(id) {
        return Ok(None);
    }
    let Some(meta) = files::meta(scope.db, scope.group_id, id).await? else { return Ok(None) };
    let classification = classification_of(&meta)?;
    if !scope.readable.contains(&classification) {
        return Ok(None);
    }
    let title = |s: &str| Title::parse(s).map_err(ApiError::internal);
    let file = StoredFile {
        sha256: meta.sha256.clone(),
        name: title(&meta.name)?,
        media_type: title(&meta.media_type)?,
        size: u64::try_from(meta.size).map_err(ApiError::internal)?,
    };
    Ok(Some((file, classification)))
}

/// The file `file_id` a paper of `classification` names, recording a field
/// error at `pointer` if it is not the group's or someone who may read the
/// paper could not open it.
pub async fn paper_file(
    scope: &Scope<'_>,
    file_id: &str,
    classification: Classification,
    pointer: &str,
    fields: &mut Fields,
) -> Result<Option<StoredFile>, ApiError> {
    let Some((file, file_classification)) = referable(scope, file_id).await? else {
        fields.reject(pointer, "no such file in this group");
        return Ok(None);
    };
    let shut_out = Role::ALL
        .iter()
        .any(|role| classification.readable_by(&[*role]) && !file_classification.readable_by(&[*role]));
    if shut_out {
        fields.reject(
            pointer,
            format!(
                "the file is classified {}: some who may read this {} paper could not open it",
                file_classification.as_str(),
                classification.as_str()
            ),
        );
    }
    Ok(Some(file))
}
