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
//!
//! Three versions are kept: the current one, the one before (a reader may
//! still be in the middle of it) and a spare. Once there is a spare, an
//! incremental build updates it in place rather than making a new folder:
//! it touches only the files that differ, each replaced by a rename, so a
//! build after one new article costs a handful of file operations instead of
//! one link per file of the site.

use std::{
    collections::{BTreeMap, HashSet},
    fs,
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{
    render::{Content, Job},
    theme::Theme,
    timings::Timings,
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
    jobs: &[Job<'_>],
    theme: &Theme,
    globals: &Value,
    mode: Mode,
    timings: &mut Timings,
) -> anyhow::Result<Written> {
    let (parent, name) = split(out)?;
    let versions = parent.join(format!(".{name}.versions"));
    fs::create_dir_all(&versions).with_context(|| format!("cannot create {}", versions.display()))?;
    let current = previous_version(out, &parent)?;
    let older = older_versions(&versions, current.as_deref());
    let shared = shared_inputs(theme, globals)?;
    let planned: Vec<(&Job<'_>, String)> = jobs.iter().map(|job| (job, input_hash(&shared, job))).collect();
    timings.lap("hash");
    let current_manifest = match (&current, mode) {
        (Some(dir), Mode::Incremental) => read_manifest(&manifest_path(dir)),
        _ => Manifest::new(),
    };
    timings.lap("read manifest");
    if let Some(current) = &current
        && mode == Mode::Incremental
        && same_files(&current_manifest, &planned)
    {
        // Nothing changed: the site stays as it is, no new version.
        return Ok(Written { version: current.clone(), files: jobs.len(), rendered: Vec::new() });
    }

    // How much of the writing is rendering pages (the rest is files).
    let rendering = std::cell::Cell::new(std::time::Duration::ZERO);
    let render_one = |job: &Job<'_>| {
        let started = std::time::Instant::now();
        let bytes = render(theme, globals, job);
        rendering.set(rendering.get() + started.elapsed());
        bytes
    };
    let (version, rendered) = match (mode, &current, older.get(1)) {
        (Mode::Incremental, Some(current), Some(spare)) => {
            recycle(spare, (current, &current_manifest), &planned, render_one)?
        }
        (Mode::Incremental, Some(current), None) => {
            fresh(&versions, Some((current, &current_manifest)), &planned, render_one)?
        }
        _ => fresh(&versions, None, &planned, render_one)?,
    };
    timings.add("render", rendering.get());
    timings.lap("render and write");
    let manifest: Manifest = planned.iter().map(|(job, hash)| (job.path.clone(), hash.clone())).collect();
    fs::write(manifest_path(&version), serde_json::to_vec_pretty(&manifest)?)?;
    swap(out, &parent, &name, &version)?;
    timings.lap("write manifest and swap");
    // Kept: the new version, the one readers may still be in, and the one
    // before that, which the next incremental build brings up to date.
    let keep = [Some(version.as_path()), current.as_deref(), older.first().map(PathBuf::as_path)];
    remove_old_versions(&versions, &keep);
    Ok(Written { version, files: jobs.len(), rendered })
}

/// A new version folder: every file rendered, or with a `current` version,
/// linked from it where its input hash is unchanged. Returns the folder and
/// the files rendered, sorted.
fn fresh(
    versions: &Path,
    current: Option<(&Path, &Manifest)>,
    planned: &[(&Job<'_>, String)],
    render: impl Fn(&Job<'_>) -> anyhow::Result<Vec<u8>>,
) -> anyhow::Result<(PathBuf, Vec<String>)> {
    // Dropped (and so deleted) on any error below: a failed build leaves nothing.
    let staging = tempfile::Builder::new()
        .prefix("build-")
        .tempdir_in(versions)
        .with_context(|| format!("cannot create a build folder in {}", versions.display()))?;
    let mut rendered = Vec::new();
    for (job, hash) in planned {
        let target = staging.path().join(&job.path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        let unchanged = current.filter(|(_, manifest)| manifest.get(&job.path) == Some(hash));
        if unchanged.is_none_or(|(dir, _)| link(&dir.join(&job.path), &target).is_err()) {
            write(&target, &render(job)?)?;
            rendered.push(job.path.clone());
        }
    }
    rendered.sort();
    Ok((staging.keep(), rendered))
}

/// Brings `spare`, a version two builds old that no reader is sent to any
/// more, up to date in place: only the files that differ from it are touched,
/// each replaced whole by a rename. A file unchanged since `current` is
/// linked from there; only a file whose input changed since `current` is
/// rendered. So an incremental build costs what changed, not the site's size.
fn recycle(
    spare: &Path,
    (current, current_manifest): (&Path, &Manifest),
    planned: &[(&Job<'_>, String)],
    render: impl Fn(&Job<'_>) -> anyhow::Result<Vec<u8>>,
) -> anyhow::Result<(PathBuf, Vec<String>)> {
    let spare_manifest = read_manifest(&manifest_path(spare));
    // Without its manifest the folder is no longer a version: if this build
    // is killed half way, the next one removes it rather than trusting it.
    fs::remove_file(manifest_path(spare))
        .with_context(|| format!("cannot take over the old build {}", spare.display()))?;
    let mut rendered = Vec::new();
    for (job, hash) in planned {
        if spare_manifest.get(&job.path) == Some(hash) {
            continue;
        }
        let target = spare.join(&job.path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        let staged = staged_name(&target);
        if current_manifest.get(&job.path) == Some(hash) && link(&current.join(&job.path), &staged).is_ok() {
            fs::rename(&staged, &target)?;
            continue;
        }
        write(&staged, &render(job)?)?;
        fs::rename(&staged, &target)?;
        rendered.push(job.path.clone());
    }
    let wanted: HashSet<&str> = planned.iter().map(|(job, _)| job.path.as_str()).collect();
    for gone in spare_manifest.keys().filter(|path| !wanted.contains(path.as_str())) {
        remove_with_empty_parents(spare, gone)?;
    }
    rendered.sort();
    Ok((spare.to_path_buf(), rendered))
}

/// Where a file is written before it is renamed over `target`.
fn staged_name(target: &Path) -> PathBuf {
    let mut name = target.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".caucus-new");
    target.with_file_name(name)
}

/// Hard-links `from` at `to` (a file in the previous version, unchanged), or
/// copies it where links are not possible.
fn link(from: &Path, to: &Path) -> std::io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(_) if from.is_file() => fs::copy(from, to).map(|_| ()),
        Err(error) => Err(error),
    }
}

fn write(target: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    fs::write(target, bytes).with_context(|| format!("cannot write {}", target.display()))
}

/// Removes `path` under `root` and the folders it leaves empty.
fn remove_with_empty_parents(root: &Path, path: &str) -> anyhow::Result<()> {
    let file = root.join(path);
    match fs::remove_file(&file) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(error).with_context(|| format!("cannot remove {}", file.display())),
    }
    let mut dir = file.parent();
    while let Some(folder) = dir.filter(|d| *d != root) {
        if fs::remove_dir(folder).is_err() {
            break; // not empty
        }
        dir = folder.parent();
    }
    Ok(())
}

/// The complete version folders other than `current`, newest first (by
/// their manifests' times); a folder without a manifest is a build that never
/// finished and is not listed.
fn older_versions(versions: &Path, current: Option<&Path>) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(versions) else { return Vec::new() };
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir() && current.is_none_or(|c| c.file_name() != path.file_name()))
        .filter_map(|path| {
            let modified = fs::metadata(manifest_path(&path)).and_then(|m| m.modified()).ok()?;
            Some((modified, path))
        })
        .collect();
    found.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    found.into_iter().map(|(_, path)| path).collect()
}

/// Renders one file.
pub fn render(theme: &Theme, globals: &Value, job: &Job<'_>) -> anyhow::Result<Vec<u8>> {
    match &job.content {
        Content::Bytes(make) => make(),
        Content::Template { name, context } => {
            let mut merged = globals.clone();
            if let (Value::Object(into), Value::Object(page)) = (&mut merged, context()?) {
                into.extend(page);
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

/// What every page reads besides its own inputs: the templates and the site
/// globals, hashed once per build.
fn shared_inputs(theme: &Theme, globals: &Value) -> anyhow::Result<[u8; 32]> {
    let mut hasher = Sha256::new();
    hasher.update(theme.fingerprint);
    hasher.update(serde_json::to_vec(globals)?);
    Ok(hasher.finalize().into())
}

/// A file's input hash: its path and key, and for a page the shared inputs.
fn input_hash(shared: &[u8; 32], job: &Job<'_>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(job.path.as_bytes());
    hasher.update([0]);
    hasher.update(job.key);
    if let Content::Template { .. } = job.content {
        hasher.update(shared);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Whether `planned` is exactly the files of `manifest`, with the same hashes.
fn same_files(manifest: &Manifest, planned: &[(&Job<'_>, String)]) -> bool {
    manifest.len() == planned.len() && planned.iter().all(|(job, hash)| manifest.get(&job.path) == Some(hash))
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

/// Removes every version but those in `keep`, with their manifests:
/// leftovers of killed builds go too. Failures only leave disk space used.
fn remove_old_versions(versions: &Path, keep: &[Option<&Path>]) {
    let keep: Vec<PathBuf> =
        keep.iter().flatten().flat_map(|v| [v.to_path_buf(), manifest_path(v)]).collect();
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
