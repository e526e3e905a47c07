//! Personal data, sealed per data subject (crypto-shredding).
//!
//! Each subject (a member now; a resident in casework later) has one data key
//! in `subject_keys`, kept out of the events, and wrapped under the master key
//! when one is configured (`CAUCUS_MASTER_KEY_FILE`), so a database dump alone
//! reveals nothing. Routes check a value with the domain's types, then seal it
//! here before it goes into a command; views open it on the way out. Erasing a
//! subject destroys the key: every sealed copy (events, read model, history,
//! audit log, exports) becomes unreadable, while the stored payloads, and the
//! audit chain's hashes over them, stay exactly as they were.

pub mod cipher;
pub mod member;

use std::{collections::HashMap, fmt, sync::Arc};

use serde_json::Value;

use cipher::KeyError;
pub use cipher::SecretKey;

use crate::domain::{SEALED_PREFIX, Sealed};
use crate::http::ApiError;
use crate::store::{
    Database, StoreError,
    subject_keys::{self, StoredKey},
};

/// Why personal data could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum PersonalDataError {
    /// The subject was erased: nothing is sealed for them again.
    #[error("this person's personal data was erased: no new personal data can be recorded for them")]
    Erased,
    /// A stored key cannot be read with the configured master key.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<PersonalDataError> for ApiError {
    fn from(error: PersonalDataError) -> Self {
        match error {
            PersonalDataError::Erased => ApiError::Conflict(PersonalDataError::Erased.to_string()),
            PersonalDataError::Store(store) => store.into(),
            PersonalDataError::Key(key) => ApiError::internal(key),
        }
    }
}

/// Seals and opens personal data with the subjects' keys in the store.
#[derive(Clone)]
pub struct PersonalData {
    db: Database,
    master: Option<Arc<SecretKey>>,
}

impl fmt::Debug for PersonalData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonalData").field("wrapped", &self.master.is_some()).finish_non_exhaustive()
    }
}

impl PersonalData {
    /// Keys in `db`, new ones wrapped under `master` if given.
    pub fn new(db: Database, master: Option<SecretKey>) -> Self {
        Self { db, master: master.map(Arc::new) }
    }

    /// Seals `plaintext`, field `field` of `subject`, creating the subject's key
    /// on first use.
    pub async fn seal(
        &self,
        subject: &str,
        field: &str,
        plaintext: &str,
    ) -> Result<Sealed, PersonalDataError> {
        let master = self.master.as_deref();
        let fresh = cipher::store_key(master, subject, &SecretKey::generate());
        match subject_keys::get_or_insert(&self.db, subject, &fresh).await? {
            StoredKey::Present(stored) => {
                Ok(cipher::seal(&cipher::load_key(master, subject, &stored)?, subject, field, plaintext))
            }
            StoredKey::Erased => Err(PersonalDataError::Erased),
        }
    }

    /// Seals the bytes of `subject`'s file `name`, creating the subject's key
    /// on first use.
    pub async fn seal_bytes(
        &self,
        subject: &str,
        name: &str,
        content: &[u8],
    ) -> Result<Vec<u8>, PersonalDataError> {
        let master = self.master.as_deref();
        let fresh = cipher::store_key(master, subject, &SecretKey::generate());
        match subject_keys::get_or_insert(&self.db, subject, &fresh).await? {
            StoredKey::Present(stored) => {
                Ok(cipher::seal_bytes(&cipher::load_key(master, subject, &stored)?, subject, name, content))
            }
            StoredKey::Erased => Err(PersonalDataError::Erased),
        }
    }

    /// Opens what [`Self::seal_bytes`] sealed: `Erased` once the subject's
    /// key is destroyed, `Unreadable` if no key of theirs opens it.
    pub async fn open_bytes(
        &self,
        subject: &str,
        name: &str,
        sealed: &[u8],
    ) -> Result<OpenedBytes, PersonalDataError> {
        let stored = subject_keys::fetch(&self.db, &[subject]).await?.into_iter().next();
        Ok(match stored {
            Some((_, StoredKey::Present(stored))) => {
                let key = cipher::load_key(self.master.as_deref(), subject, &stored)?;
                cipher::open_bytes(&key, subject, name, sealed)
                    .map_or(OpenedBytes::Unreadable, OpenedBytes::Readable)
            }
            Some((_, StoredKey::Erased)) => OpenedBytes::Erased,
            None => OpenedBytes::Unreadable,
        })
    }

    /// An opener holding the keys of `subjects` (one query for all of them).
    pub async fn opener<'a>(
        &self,
        subjects: impl IntoIterator<Item = &'a str>,
    ) -> Result<Opener, PersonalDataError> {
        let mut subjects: Vec<&str> = subjects.into_iter().collect();
        subjects.sort_unstable();
        subjects.dedup();
        let mut keys = HashMap::new();
        for (subject, stored) in subject_keys::fetch(&self.db, &subjects).await? {
            let key = match stored {
                StoredKey::Present(stored) => {
                    Some(cipher::load_key(self.master.as_deref(), &subject, &stored)?)
                }
                StoredKey::Erased => None,
            };
            keys.insert(subject, key);
        }
        Ok(Opener { keys })
    }

    /// Destroys `subject`'s key: what was sealed under it can never be read
    /// again. Idempotent.
    pub async fn erase(&self, subject: &str) -> Result<(), PersonalDataError> {
        Ok(subject_keys::erase(&self.db, subject).await?)
    }
}

/// A sealed value, opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Readable: opened with the subject's key, or a plain value stored before sealing.
    Readable(String),
    /// The subject was erased.
    Erased,
    /// No key opens it (unknown subject, wrong field, tampered value).
    Unreadable,
}

impl Opened {
    /// The plaintext, if readable.
    pub fn readable(self) -> Option<String> {
        match self {
            Self::Readable(text) => Some(text),
            Self::Erased | Self::Unreadable => None,
        }
    }
}

/// Sealed bytes, opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenedBytes {
    /// Readable.
    Readable(Vec<u8>),
    /// The subject was erased.
    Erased,
    /// No key opens them.
    Unreadable,
}

/// The keys of some subjects, fetched together, for opening their values.
#[derive(Debug)]
pub struct Opener {
    /// `None` for an erased subject.
    keys: HashMap<String, Option<SecretKey>>,
}

impl Opener {
    /// An opener holding no key: every sealed value it opens is withheld
    /// (`open_json` makes each one `null`).
    pub fn withholding() -> Self {
        Self { keys: HashMap::new() }
    }

    /// Opens `value`, stored as field `field`.
    pub fn open(&self, field: &str, value: &Sealed) -> Opened {
        let Some(subject) = cipher::subject_of(value) else {
            return if value.is_sealed() {
                Opened::Unreadable
            } else {
                Opened::Readable(value.as_str().to_owned())
            };
        };
        match self.keys.get(subject) {
            Some(Some(key)) => cipher::open(key, field, value).map_or(Opened::Unreadable, Opened::Readable),
            Some(None) => Opened::Erased,
            None => Opened::Unreadable,
        }
    }

    /// `view` with every sealed string in it opened (`null` where it cannot
    /// be: withheld, erased), each under the name of the field holding it.
    pub fn open_view<T: serde::Serialize + serde::de::DeserializeOwned>(
        &self,
        view: T,
    ) -> Result<T, serde_json::Error> {
        let mut json = serde_json::to_value(view)?;
        self.open_json(&mut json);
        serde_json::from_value(json)
    }

    /// Opens every sealed string in `value` in place, each under the name of the
    /// object field holding it; one that cannot be opened becomes `null`.
    pub fn open_json(&self, value: &mut Value) {
        match value {
            Value::Array(items) => items.iter_mut().for_each(|item| self.open_json(item)),
            Value::Object(fields) => {
                for (name, field) in fields.iter_mut() {
                    match field {
                        Value::String(text) if text.starts_with(SEALED_PREFIX) => {
                            let sealed = Sealed::from_stored(std::mem::take(text));
                            *field = self.open(name, &sealed).readable().map_or(Value::Null, Value::String);
                        }
                        other => self.open_json(other),
                    }
                }
            }
            _ => {}
        }
    }
}

/// The subjects whose keys the sealed strings in `value` need.
pub fn subjects_in_json(value: &Value, subjects: &mut Vec<String>) {
    match value {
        Value::String(text) => {
            if let Some(subject) = cipher::subject_of(&Sealed::from_stored(text.clone())) {
                subjects.push(subject.to_owned());
            }
        }
        Value::Array(items) => items.iter().for_each(|item| subjects_in_json(item, subjects)),
        Value::Object(fields) => fields.values().for_each(|field| subjects_in_json(field, subjects)),
        _ => {}
    }
}
