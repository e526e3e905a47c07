//! Writing the site atomically. Every build writes a new version folder beside
//! the target, `.<out>.versions/build-XXXX/`, then points `<out>` (a symlink)
//! at it with one rename(2): a reader sees the old site or the new one, never
//! a mix, and a build that fails or is killed leaves the previous site whole.
//!
//! Each version has a manifest (`.<out>.versions/build-XXXX.manifest.json`,
//! outside the served folder) of every file's input hash: the template
//! sources, the site globals, the template's name and the page's context, or
//! the bytes themselves. An incremental build renders only the files whose
//! hash changed and hard-links the rest from the previous version.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{
    render::{Content, Job},
    theme::Theme,
};

/// File path to input hash (hex).
type Manifest = BTreeMap<String, String>;

/// What a write did.
#[derive(Debug, Clone)]
pub struct Written {
    /// The version folder `out` now points at.
    pub version: PathBuf,
    /// How many files the site has.
    pub files: usize,
    /// The files rendered or copied anew, sorted; the others were linked
    /// unchanged from the previous version.
    pub rendered: Vec<String>,
}

/// Whether to reuse the previous version's unchanged files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Render every file.
    Full,
    /// Render only files whose inputs changed.
    Incremental,
}

/// Writes `jobs` as a new version of the site at `out` and swaps it in.
pub fn publish(
    out: &Path,
    jobs: &[Job],
    theme: &Theme,
    globals: &Value,
    mode: Mode,
) -> anyhow::Result<Written> {
    let (parent, name) = split(out)?;
    let versions = parent.join(format!(".{name}.versions"));
    fs::create_dir_all(&versions).with_context(|| format!("cannot create {}", versions.display()))?;
    let previous = previous_version(out, &parent)?;
    let previous_manifest = match (&previous, mode) {
        (Some(dir), Mode::Incremental) => read_manifest(&manifest_path(dir)),
        _ => Manifest::new(),
    };

    // Dropped (and so deleted) on any error below: a failed build leaves nothing.
    let staging = tempfile::Builder::new()
        .prefix("build-")
        .tempdir_in(&versions)
        .with_context(|| format!("cannot create a build folder in {}", versions.display()))?;
    let globals_bytes = serde_json::to_vec(globals)?;
    let mut manifest = Manifest::new();
    let mut rendered = Vec::new();
    for job in jobs {
        let hash = input_hash(theme, &globals_bytes, job)?;
        let target = staging.path().join(&job.path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        let reusable = previous
            .as_ref()
            .filter(|_| previous_manifest.get(&job.path) == Some(&hash))
            .map(|dir| dir.join(&job.path))
            .filter(|old| old.is_file());
        match reusable {
            Some(old) => {
                if fs::hard_link(&old, &target).is_err() {
                    fs::copy(&old, &target)?;
                }
            }
            None => {
                let bytes = render(theme, globals, job)?;
                fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))?;
                rendered.push(job.path.clone());
            }
        }
        manifest.insert(job.path.clone(), hash);
    }

    let version = staging.keep();
    fs::write(manifest_path(&version), serde_json::to_vec_pretty(&manifest)?)?;
    swap(out, &parent, &name, &version)?;
    remove_old_versions(&versions, &version, previous.as_deref());
    rendered.sort();
    Ok(Written { version, files: jobs.len(), rendered })
}

/// Renders one file.
pub fn render(theme: &Theme, globals: &Value, job: &Job) -> anyhow::Result<Vec<u8>> {
    match &job.content {
        Content::Bytes(bytes) => Ok(bytes.clone()),
        Content::Template { name, context } => {
            let mut merged = globals.clone();
            if let (Value::Object(into), Value::Object(page)) = (&mut merged, context) {
                into.extend(page.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            let context = tera::Context::from_value(merged)?;
            let html = theme.tera.render(name, &context).map_err(|error| {
                // Tera's own message is terse; its source says which line failed.
                let mut message = format!("cannot render {} with {name}: {error}", job.path);
                let mut source = std::error::Error::source(&error);
                while let Some(cause) = source {
                    message.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                anyhow::anyhow!(message)
            })?;
            Ok(html.into_bytes())
        }
    }
}

fn input_hash(theme: &Theme, globals: &[u8], job: &Job) -> anyhow::Result<String> {
    let mut hasher = Sha256::new();
    hasher.update(job.path.as_bytes());
    hasher.update([0]);
    match &job.content {
        Content::Bytes(bytes) => {
            hasher.update(b"bytes\0");
            hasher.update(bytes);
        }
        Content::Template { name, context } => {
            hasher.update(b"template\0");
            hasher.update(theme.fingerprint);
            hasher.update(globals);
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(serde_json::to_vec(context)?);
        }
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn split(out: &Path) -> anyhow::Result<(PathBuf, String)> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("{} has no folder name", out.display()))?
        .to_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// The version folder `out` points at now, if any. An empty real folder (made
/// by hand) is removed so the symlink can take its place; anything else there
/// is refused rather than deleted.
fn previous_version(out: &Path, parent: &Path) -> anyhow::Result<Option<PathBuf>> {
    match fs::symlink_metadata(out) {
        Err(_) => Ok(None),
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = fs::read_link(out)?;
            let dir = if target.is_absolute() { target } else { parent.join(target) };
            Ok(dir.is_dir().then_some(dir))
        }
        Ok(meta) if meta.is_dir() && fs::read_dir(out)?.next().is_none() => {
            fs::remove_dir(out)?;
            Ok(None)
        }
        Ok(_) => bail!(
            "{} exists and was not made by the publisher (it should be a symlink to a built version); \
             move it away or choose another --out",
            out.display()
        ),
    }
}

fn manifest_path(version: &Path) -> PathBuf {
    version.with_extension("manifest.json")
}

fn read_manifest(path: &Path) -> Manifest {
    fs::read(path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
}

/// Points `out` at `version` with one rename(2) of a fresh symlink over it.
fn swap(out: &Path, parent: &Path, name: &str, version: &Path) -> anyhow::Result<()> {
    let version_name = version.file_name().context("version folder name")?;
    let relative = PathBuf::from(format!(".{name}.versions")).join(version_name);
    let link = parent.join(format!(".{name}.{}.link", version_name.to_string_lossy()));
    symlink(&relative, &link).with_context(|| format!("cannot create {}", link.display()))?;
    fs::rename(&link, out).with_context(|| format!("cannot swap {} into place", out.display()))?;
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("the publisher swaps sites with symlinks, which need a Unix system"))
}

/// Removes versions other than the current and the previous one (which a
/// reader may still be in the middle of), with their manifests: leftovers of
/// killed builds go too. Failures only leave disk space used.
fn remove_old_versions(versions: &Path, current: &Path, previous: Option<&Path>) {
    let keep: Vec<PathBuf> = [Some(current), previous]
        .into_iter()
        .flatten()
        .flat_map(|v| [v.to_path_buf(), manifest_path(v)])
        .collect();
    let Ok(entries) = fs::read_dir(versions) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if keep.iter().any(|k| k.file_name() == path.file_name()) {
            continue;
        }
        let removed = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        if let Err(error) = removed {
            eprintln!("warning: cannot remove the old build {}: {error}", path.display());
        }
    }
}
