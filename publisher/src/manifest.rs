//! A version's manifest: the input hash of every file in it, as the build
//! that wrote the version computed them. Stored beside the version as JSON
//! (path to hex digest, sorted by path), outside the served folder.
//!
//! [`Manifests`] keeps the manifests a process has read or written, so a
//! running publisher (`watch`) does not read and parse one entry per file of
//! the site at every rebuild. A kept manifest is trusted only while the file
//! on disk is still the one it came from: every manifest is written as a new
//! file renamed into place, so another build's manifest has another inode.

use std::{fs, path::Path, path::PathBuf, sync::Arc};

use serde::Serializer as _;

use foldhash::{HashMap, HashMapExt as _};

use crate::key::Digest32;

/// The digest of everything one file is made from (see `output::input_hash`).
pub type InputHash = Digest32;

/// Every file of one version and its input hash.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    files: HashMap<String, InputHash>,
}

impl Manifest {
    /// A manifest of `files`.
    pub fn new(files: impl IntoIterator<Item = (String, InputHash)>) -> Self {
        Self { files: files.into_iter().collect() }
    }

    /// The input hash of the file at `path`, if the version has it.
    pub fn get(&self, path: &str) -> Option<&InputHash> {
        self.files.get(path)
    }

    /// How many files the version has.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the version has no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The paths of the version's files, in no order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The file's bytes (see [`to_json`]).
    pub fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        to_json(self.files.iter().map(|(path, hash)| (path.as_str(), hash)))
    }

    /// Reads the file's bytes; `None` unless every entry is well formed.
    pub fn from_json(bytes: &[u8]) -> Option<Self> {
        let entries: HashMap<String, String> = serde_json::from_slice(bytes).ok()?;
        let mut files = HashMap::with_capacity(entries.len());
        for (path, hex) in entries {
            let mut hash = InputHash::default();
            hex::decode_to_slice(hex, &mut hash).ok()?;
            files.insert(path, hash);
        }
        Some(Self { files })
    }
}

/// A manifest file's bytes: a JSON object from path to hex digest, by path,
/// so the same files always give the same bytes. A build writes it straight
/// from its plan, whose files are (nearly) in order already.
pub fn to_json<'a>(files: impl IntoIterator<Item = (&'a str, &'a InputHash)>) -> serde_json::Result<Vec<u8>> {
    let mut files: Vec<(&str, &InputHash)> = files.into_iter().collect();
    files.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = Vec::with_capacity(files.len() * 128);
    let mut writer = serde_json::Serializer::new(&mut out);
    writer.collect_map(files.into_iter().map(|(path, hash)| (path, Hex(hash))))?;
    Ok(out)
}

/// A digest written as hex, without a `String` per digest.
struct Hex<'a>(&'a InputHash);

impl serde::Serialize for Hex<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut hex = [0u8; 64];
        hex::encode_to_slice(self.0, &mut hex).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(std::str::from_utf8(&hex).map_err(serde::ser::Error::custom)?)
    }
}

/// Which file a manifest was read from: a rewritten manifest is a new file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl Stamp {
    fn of(path: &Path) -> Option<Self> {
        let meta = fs::metadata(path).ok()?;
        Some(Self {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt as _;
                (meta.dev(), meta.ino())
            },
        })
    }
}

/// The manifests read or written so far, by file.
#[derive(Debug, Default)]
pub struct Manifests {
    known: HashMap<PathBuf, (Stamp, Arc<Manifest>)>,
}

impl Manifests {
    /// The manifest at `path`; `None` if it is missing or unreadable.
    pub fn read(&mut self, path: &Path) -> Option<Arc<Manifest>> {
        let Some(stamp) = Stamp::of(path) else {
            self.known.remove(path);
            return None;
        };
        if let Some((known, manifest)) = self.known.get(path)
            && *known == stamp
        {
            return Some(manifest.clone());
        }
        let manifest = Arc::new(Manifest::from_json(&fs::read(path).ok()?)?);
        // Stamped before reading: a file replaced meanwhile is read again next time.
        self.known.insert(path.to_path_buf(), (stamp, manifest.clone()));
        Some(manifest)
    }

    /// Remembers `manifest` as the one just written at `path`.
    pub fn wrote(&mut self, path: &Path, manifest: Arc<Manifest>) {
        match Stamp::of(path) {
            Some(stamp) => self.known.insert(path.to_path_buf(), (stamp, manifest)),
            None => self.known.remove(path),
        };
    }

    /// Forgets every manifest but those at `keep`.
    pub fn retain(&mut self, keep: &[PathBuf]) {
        self.known.retain(|path, _| keep.contains(path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(hash: u8) -> Manifest {
        Manifest::new([("a.txt".to_owned(), [hash; 32]), ("b/c.txt".to_owned(), [7; 32])])
    }

    #[test]
    fn a_manifest_reads_back_as_written_and_a_torn_one_not_at_all() {
        let written = manifest(1);
        let bytes = written.to_json().expect("json");
        assert_eq!(Manifest::from_json(&bytes), Some(written));
        assert_eq!(Manifest::from_json(&bytes[..bytes.len() - 2]), None);
        assert_eq!(Manifest::from_json(br#"{"a.txt": "not hex"}"#), None);
    }

    #[test]
    fn a_kept_manifest_is_used_only_while_its_file_is_the_same() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("build-1.manifest.json");
        let mut manifests = Manifests::default();
        let first = Arc::new(manifest(1));
        fs::write(&path, first.to_json().expect("json")).expect("write");
        manifests.wrote(&path, first.clone());
        assert!(Arc::ptr_eq(&manifests.read(&path).expect("kept"), &first), "read again from disk");

        // Another build replaces the file (a new file renamed over it).
        let staged = dir.path().join("staged");
        fs::write(&staged, manifest(2).to_json().expect("json")).expect("write");
        fs::rename(&staged, &path).expect("rename");
        assert_eq!(*manifests.read(&path).expect("read"), manifest(2));

        fs::remove_file(&path).expect("remove");
        assert_eq!(manifests.read(&path), None);
    }
}
