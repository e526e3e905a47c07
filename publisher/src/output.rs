//! Writing the site atomically. Every build writes a new version folder beside
//! the target, `.<out>.versions/build-XXXX/`, then points `<out>` (a symlink)
//! at it with one rename(2): a reader sees the old site or the new one, never
//! a mix, and a build that fails or is killed leaves the previous site whole.
//!
//! Each version has a manifest (`.<out>.versions/build-XXXX.manifest.json`,
//! outside the served folder; see `manifest.rs`) of every file's input hash:
//! its path, its key (`key.rs`: what the file is made from) and what every
//! file shares (the templates, the site globals, the publisher binary). An
//! incremental build renders only the files whose hash changed, a batch at a
//! time on every core, and hard-links the rest from the previous version.
//!
//! Three versions are kept: the current one, the one before (a reader may
//! still be in the middle of it) and a spare. Once there is a spare, an
//! incremental build updates it in place rather than making a new folder:
//! it touches only the files that differ, each replaced by a rename, so a
//! build after one new article costs a handful of file operations instead of
//! one link per file of the site. A running publisher makes the spare while
//! idle if there is none yet ([`prepare_spare`]).

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
};

use anyhow::{Context, bail};
use rayon::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{
    manifest::{self, InputHash, Manifest, Manifests},
    render::{Content, Job},
    theme::Theme,
    timings::Timings,
};

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
/// `manifests` keeps the versions' manifests from one build to the next.
pub fn publish(
    out: &Path,
    jobs: &[Job<'_>],
    (theme, globals): (&Theme, &Value),
    mode: Mode,
    manifests: &mut Manifests,
    timings: &mut Timings,
) -> anyhow::Result<Written> {
    let (parent, name) = split(out)?;
    let versions = parent.join(format!(".{name}.versions"));
    let _lock = lock(&versions)?;
    let current = previous_version(out, &parent)?;
    let previous = previous_of(&versions, current.as_deref());
    let shared = shared_inputs(theme, globals)?;
    let planned: Vec<(&Job<'_>, InputHash)> =
        jobs.par_iter().map(|job| (job, input_hash(&shared, job))).collect();
    timings.lap("hash");
    let current_manifest = match (&current, mode) {
        (Some(dir), Mode::Incremental) => manifests.read(&manifest_path(dir)).unwrap_or_default(),
        _ => Arc::default(),
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
    let render_batch = |batch: &[&Job<'_>]| {
        let started = std::time::Instant::now();
        // Pages are independent: a batch is rendered on every core.
        let made = batch.par_iter().map(|job| render(theme, globals, job)).collect();
        rendering.set(rendering.get() + started.elapsed());
        made
    };
    let spare = match (mode, &current, &previous) {
        (Mode::Incremental, Some(current), Some(previous)) => {
            spare(&versions, &[current, previous], manifests)
        }
        _ => None,
    };
    let ((version, rendered), (json, manifest)) = std::thread::scope(|scope| {
        // The new version's manifest, as its file's bytes and as the map the
        // next build reads, is made on another core while files are written.
        let making_manifest = scope.spawn(|| {
            let json = manifest::to_json(planned.iter().map(|(job, hash)| (job.path.as_str(), hash)));
            (json, Manifest::new(planned.iter().map(|(job, hash)| (job.path.clone(), *hash))))
        });
        let written = match (mode, &current, spare) {
            (Mode::Incremental, Some(current), Some(spare)) => {
                recycle(spare, (current, &current_manifest), &planned, render_batch)
            }
            (Mode::Incremental, Some(current), None) => {
                fresh(&versions, Some((current, &current_manifest)), &planned, render_batch)
            }
            _ => fresh(&versions, None, &planned, render_batch),
        };
        let made = making_manifest.join().map_err(|_| anyhow::anyhow!("making the manifest failed"));
        anyhow::Ok((written?, made?))
    })?;
    timings.add("render", rendering.get());
    timings.lap("render and write");
    let manifest_file = manifest_path(&version);
    let json = json?;
    replace(&manifest_file, |path| write_new(path, &json))?;
    manifests.wrote(&manifest_file, Arc::new(manifest));
    swap(out, &parent, &name, &version)?;
    if let Some(current) = &current {
        // The version readers may still be in, which no build may change.
        let current_name = current.file_name().context("version folder name")?.to_string_lossy();
        replace(&versions.join(PREVIOUS_FILE), |path| write_new(path, current_name.as_bytes()))?;
    }
    timings.lap("write manifest and swap");
    // Kept: the new version, the one readers may still be in, and the one
    // before that, which the next incremental build brings up to date.
    let keep = [Some(version.as_path()), current.as_deref(), previous.as_deref()];
    remove_old_versions(&versions, &keep);
    manifests.retain(&keep.iter().flatten().map(|v| manifest_path(v)).collect::<Vec<_>>());
    Ok(Written { version, files: jobs.len(), rendered })
}

/// The lock file in the versions folder.
const LOCK_FILE: &str = "lock";

/// Takes the site's lock, creating its versions folder if need be: one build
/// of a site at a time, so a watcher and a build by hand never update the
/// same spare together. Released when the file is dropped.
fn lock(versions: &Path) -> anyhow::Result<fs::File> {
    fs::create_dir_all(versions).with_context(|| format!("cannot create {}", versions.display()))?;
    let lock = fs::File::create(versions.join(LOCK_FILE))?;
    lock.lock().with_context(|| format!("cannot lock {}", versions.display()))?;
    Ok(lock)
}

/// Makes sure the next incremental build of the site at `out` has a spare
/// to update in place: if it has none, a copy of the current version (its
/// files hard-linked, its manifest copied) becomes one. A running publisher
/// calls this while idle, so that its first rebuild after it starts costs
/// the files that changed rather than a link for every file of the site.
/// Returns whether it made one; with no current version, or none known
/// before it, there is nothing to prepare for.
pub fn prepare_spare(out: &Path, manifests: &mut Manifests) -> anyhow::Result<bool> {
    let (parent, name) = split(out)?;
    let versions = parent.join(format!(".{name}.versions"));
    let _lock = lock(&versions)?;
    let Some(current) = previous_version(out, &parent)? else { return Ok(false) };
    let Some(previous) = previous_of(&versions, Some(&current)) else { return Ok(false) };
    if spare(&versions, &[&current, &previous], manifests).is_some() {
        return Ok(false);
    }
    let Some(manifest) = manifests.read(&manifest_path(&current)) else { return Ok(false) };
    let staging = new_version_folder(&versions)?;
    for path in manifest.paths() {
        let target = staging.path().join(path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        link(&current.join(path), &target).with_context(|| format!("cannot link {}", target.display()))?;
    }
    let spare = staging.keep();
    let manifest_file = manifest_path(&spare);
    let json = manifest.to_json()?;
    replace(&manifest_file, |path| write_new(path, &json))?;
    manifests.wrote(&manifest_file, manifest);
    Ok(true)
}

/// The file naming the version that was current before the current one.
const PREVIOUS_FILE: &str = "previous";

/// The version that was current before `current`, as the last swap recorded
/// it; `None` if unknown, so that nothing is recycled on a guess.
fn previous_of(versions: &Path, current: Option<&Path>) -> Option<PathBuf> {
    let name = fs::read_to_string(versions.join(PREVIOUS_FILE)).ok()?;
    let previous = versions.join(name.trim());
    let is_current = current.is_some_and(|c| c.file_name() == previous.file_name());
    (!name.trim().is_empty() && !is_current && previous.is_dir()).then_some(previous)
}

/// A complete version other than `busy` (the current and previous ones) to
/// update in place, with its manifest; a folder whose manifest is missing or
/// unreadable is never trusted.
fn spare(versions: &Path, busy: &[&PathBuf], manifests: &mut Manifests) -> Option<(PathBuf, Arc<Manifest>)> {
    fs::read_dir(versions)
        .ok()?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| is_version(path) && path.is_dir())
        .filter(|path| !busy.iter().any(|b| b.file_name() == path.file_name()))
        .find_map(|path| manifests.read(&manifest_path(&path)).map(|manifest| (path, manifest)))
}

/// Whether a versions folder entry is a build (a version or its manifest).
fn is_version(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("build-"))
}

/// A new version folder: every file rendered, or with a `current` version,
/// linked from it where its input hash is unchanged. Returns the folder and
/// the files rendered, sorted.
fn fresh(
    versions: &Path,
    current: Option<(&Path, &Manifest)>,
    planned: &[(&Job<'_>, InputHash)],
    render: impl Fn(&[&Job<'_>]) -> Vec<anyhow::Result<Vec<u8>>>,
) -> anyhow::Result<(PathBuf, Vec<String>)> {
    let staging = new_version_folder(versions)?;
    let mut to_render = Vec::new();
    for (job, hash) in planned {
        let target = staging.path().join(&job.path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        let unchanged = current.filter(|(_, manifest)| manifest.get(&job.path) == Some(hash));
        if unchanged.is_none_or(|(dir, _)| link(&dir.join(&job.path), &target).is_err()) {
            to_render.push(*job);
        }
    }
    let rendered =
        render_into(&to_render, render, |job, bytes| write(&staging.path().join(&job.path), bytes))?;
    Ok((staging.keep(), rendered))
}

/// A new, empty version folder in `versions`. It is deleted when dropped,
/// so a build that fails before keeping it leaves nothing behind.
fn new_version_folder(versions: &Path) -> anyhow::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("build-")
        .tempdir_in(versions)
        .with_context(|| format!("cannot create a build folder in {}", versions.display()))
}

/// Brings `spare`, a version no reader is sent to any more, up to date in
/// place: only the files that differ from it are touched, each written beside
/// its target under a fresh name and renamed over it. A file unchanged since
/// `current` is linked from there; only a file whose input changed since
/// `current` is rendered. So an incremental build costs what changed, not the
/// site's size.
fn recycle(
    (spare, spare_manifest): (PathBuf, Arc<Manifest>),
    (current, current_manifest): (&Path, &Manifest),
    planned: &[(&Job<'_>, InputHash)],
    render: impl Fn(&[&Job<'_>]) -> Vec<anyhow::Result<Vec<u8>>>,
) -> anyhow::Result<(PathBuf, Vec<String>)> {
    // Without its manifest the folder is no longer a version: if this build
    // is killed half way, the next one removes it rather than trusting it.
    fs::remove_file(manifest_path(&spare))
        .with_context(|| format!("cannot take over the old build {}", spare.display()))?;
    let (mut to_render, mut kept_paths) = (Vec::new(), 0);
    for (job, hash) in planned {
        let had = spare_manifest.get(&job.path);
        kept_paths += usize::from(had.is_some());
        if had == Some(hash) {
            continue;
        }
        let target = spare.join(&job.path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        let from = current.join(&job.path);
        if current_manifest.get(&job.path) == Some(hash) && replace(&target, |path| link(&from, path)).is_ok()
        {
            continue;
        }
        to_render.push(*job);
    }
    let rendered = render_into(&to_render, render, |job, bytes| {
        replace(&spare.join(&job.path), |path| write_new(path, bytes))
    })?;
    // Paths are unique, so if every file the spare had is planned, none is
    // gone (the usual case: a site grows); otherwise the others go.
    if kept_paths < spare_manifest.len() {
        let wanted: foldhash::HashSet<&str> = planned.iter().map(|(job, _)| job.path.as_str()).collect();
        for gone in spare_manifest.paths().filter(|path| !wanted.contains(path)) {
            remove_with_empty_parents(&spare, gone)?;
        }
    }
    Ok((spare, rendered))
}

/// How many files are rendered at once: enough to keep every core busy,
/// few enough that a full build never holds much of the site in memory.
const RENDER_BATCH: usize = 64;

/// Renders `jobs` a batch at a time and hands each file's bytes to `put`, in
/// order. Returns their paths, sorted.
fn render_into(
    jobs: &[&Job<'_>],
    render: impl Fn(&[&Job<'_>]) -> Vec<anyhow::Result<Vec<u8>>>,
    mut put: impl FnMut(&Job<'_>, &[u8]) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<String>> {
    for batch in jobs.chunks(RENDER_BATCH) {
        for (job, bytes) in batch.iter().zip(render(batch)) {
            put(job, &bytes?)?;
        }
    }
    let mut rendered: Vec<String> = jobs.iter().map(|job| job.path.clone()).collect();
    rendered.sort();
    Ok(rendered)
}

/// Puts a file at `target` by making it beside it under a fresh name with
/// `make` and renaming it over `target`: whoever reads `target` meanwhile
/// sees the old file or the new one, and a file another version shares (a
/// hard link) is never written into.
fn replace(target: &Path, make: impl FnMut(&Path) -> std::io::Result<()>) -> anyhow::Result<()> {
    let dir = target.parent().with_context(|| format!("{} has no folder", target.display()))?;
    let staged = tempfile::Builder::new()
        .prefix(".caucus-")
        .make_in(dir, make)
        .with_context(|| format!("cannot write beside {}", target.display()))?;
    staged
        .persist(target)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", target.display()))?;
    Ok(())
}

/// Creates `path`, which must not exist, holding `bytes`.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(bytes)
}

/// Hard-links `from` (a file in another version, unchanged) at `to`, or
/// copies it where links are not possible; never over an existing file.
fn link(from: &Path, to: &Path) -> std::io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Err(error),
        Err(_) if from.is_file() => {
            let bytes = fs::read(from)?;
            write_new(to, &bytes)
        }
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

/// What every file is made with besides its own inputs: the templates, the
/// site globals and the publisher itself (a new build of it may render the
/// same inputs differently, a sanitiser fix say), hashed once per build.
fn shared_inputs(theme: &Theme, globals: &Value) -> anyhow::Result<[u8; 32]> {
    let mut hasher = Sha256::new();
    hasher.update(theme.fingerprint);
    hasher.update(serde_json::to_vec(globals)?);
    hasher.update(publisher_build());
    Ok(hasher.finalize().into())
}

/// Which build of the publisher this is: its executable's path, size and
/// modification time, or, if those cannot be read, something new each run
/// (so every file is rendered rather than trusted).
fn publisher_build() -> &'static str {
    static BUILD: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BUILD.get_or_init(|| {
        let exe = std::env::current_exe().ok();
        let meta = exe.as_deref().and_then(|exe| fs::metadata(exe).ok());
        match (exe, meta.and_then(|m| Some((m.len(), m.modified().ok()?)))) {
            (Some(exe), Some((len, modified))) => format!("{}:{len}:{modified:?}", exe.display()),
            _ => format!("unknown:{}", uuid::Uuid::new_v4()),
        }
    })
}

/// A file's input hash: its path, its key and the shared inputs (a feed
/// made in code reads the site config as a page does).
fn input_hash(shared: &[u8; 32], job: &Job<'_>) -> InputHash {
    let mut hasher = Sha256::new();
    hasher.update(job.path.as_bytes());
    hasher.update([0]);
    hasher.update(job.key);
    hasher.update(shared);
    hasher.finalize().into()
}

/// Whether `planned` is exactly the files of `manifest`, with the same hashes.
fn same_files(manifest: &Manifest, planned: &[(&Job<'_>, InputHash)]) -> bool {
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

/// Points `out` at `version` with one rename(2) of a fresh symlink over it.
fn swap(out: &Path, parent: &Path, name: &str, version: &Path) -> anyhow::Result<()> {
    let version_name = version.file_name().context("version folder name")?;
    let relative = PathBuf::from(format!(".{name}.versions")).join(version_name);
    let link = parent.join(format!(".{name}.{}.link", version_name.to_string_lossy()));
    // A build killed between making the link and renaming it leaves one behind.
    let _ = fs::remove_file(&link);
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
        if !is_version(&path) || keep.iter().any(|k| k.file_name() == path.file_name()) {
            continue;
        }
        let removed = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        if let Err(error) = removed {
            eprintln!("warning: cannot remove the old build {}: {error}", path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn jobs(n: u32) -> Vec<Job<'static>> {
        vec![Job::bytes("a.txt", format!("version {n}").into()), Job::bytes("b/c.txt", b"same".to_vec())]
    }

    fn build(out: &Path, theme: &Theme, manifests: &mut Manifests, n: u32) -> Written {
        publish(out, &jobs(n), (theme, &json!({})), Mode::Incremental, manifests, &mut Timings::default())
            .expect("builds")
    }

    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut found: Vec<(String, Vec<u8>)> = crate::files::walk(dir)
            .expect("walk")
            .into_iter()
            .map(|f| (f.strip_prefix(dir).expect("under").display().to_string(), fs::read(&f).expect("read")))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn the_version_readers_may_be_in_is_never_updated_in_place() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (out, theme) = (dir.path().join("site"), Theme::load(dir.path()).expect("theme"));
        build(&out, &theme, &mut Manifests::default(), 1);
        let second = build(&out, &theme, &mut Manifests::default(), 2);
        let third = build(&out, &theme, &mut Manifests::default(), 3);
        // A build killed after writing its manifest, before the swap: newer
        // than any version, never served.
        let leftover = dir.path().join(".site.versions/build-leftover");
        fs::create_dir_all(&leftover).expect("mkdir");
        fs::write(manifest_path(&leftover), "{}").expect("manifest");
        let previous = files(&second.version);

        let fourth = build(&out, &theme, &mut Manifests::default(), 4);
        assert_ne!(fourth.version, second.version, "the previous version was taken over");
        assert_ne!(fourth.version, third.version, "the served version was taken over");
        assert_eq!(files(&second.version), previous, "the previous version changed");
        assert_eq!(fs::read_to_string(out.join("a.txt")).expect("read"), "version 4");
        assert_eq!(files(&out).len(), 2);
    }

    #[test]
    fn a_recycled_spare_loses_the_files_no_longer_planned() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (out, theme) = (dir.path().join("site"), Theme::load(dir.path()).expect("theme"));
        let manifests = &mut Manifests::default();
        let with_withdrawn = |n| {
            let mut jobs = jobs(n);
            jobs.push(Job::bytes("news/withdrawn/index.html", b"withdrawn".to_vec()));
            jobs
        };
        let publish = |jobs: &[Job<'_>], manifests: &mut Manifests| {
            publish(&out, jobs, (&theme, &json!({})), Mode::Incremental, manifests, &mut Timings::default())
                .expect("builds")
        };
        let first = publish(&with_withdrawn(1), manifests);
        publish(&with_withdrawn(2), manifests);
        build(&out, &theme, manifests, 3);

        let fourth = build(&out, &theme, manifests, 4);
        assert_eq!(fourth.version, first.version, "the spare was updated in place");
        assert_eq!(files(&out).into_iter().map(|(path, _)| path).collect::<Vec<_>>(), ["a.txt", "b/c.txt"]);
        assert!(!out.join("news").exists(), "the folders left empty are removed");
    }

    #[test]
    fn a_spare_prepared_while_idle_is_what_the_next_build_updates() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (out, theme) = (dir.path().join("site"), Theme::load(dir.path()).expect("theme"));
        let manifests = &mut Manifests::default();
        build(&out, &theme, manifests, 1);
        assert!(
            !prepare_spare(&out, manifests).expect("prepares"),
            "no version known before the current one"
        );
        let second = build(&out, &theme, manifests, 2);
        let served = files(&second.version);

        let folders = || -> Vec<PathBuf> {
            let entries = fs::read_dir(dir.path().join(".site.versions")).expect("versions");
            entries.flatten().map(|e| e.path()).filter(|path| path.is_dir()).collect()
        };
        assert!(prepare_spare(&out, manifests).expect("prepares"), "a spare is made");
        assert!(!prepare_spare(&out, manifests).expect("prepares"), "one spare is enough");
        let prepared = folders();
        assert_eq!(prepared.len(), 3);
        let third = build(&out, &theme, manifests, 3);
        assert!(prepared.contains(&third.version), "the spare was updated, not a new version made");
        assert_eq!(files(&second.version), served, "the served version changed");
        assert_eq!(third.rendered, ["a.txt"], "only the changed file is written");
        assert_eq!(fs::read_to_string(out.join("a.txt")).expect("read"), "version 3");
        assert_eq!(files(&out).len(), 2);
    }

    #[test]
    fn a_spare_whose_manifest_cannot_be_read_is_not_trusted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (out, theme) = (dir.path().join("site"), Theme::load(dir.path()).expect("theme"));
        // One publisher doing every build, as `watch` does: it keeps the
        // manifests it wrote, and must still see that this one was torn.
        let manifests = &mut Manifests::default();
        let first = build(&out, &theme, manifests, 1);
        build(&out, &theme, manifests, 2);
        build(&out, &theme, manifests, 3);
        // The spare holds a file its (torn) manifest no longer lists.
        fs::write(first.version.join("withdrawn.html"), "gone").expect("write");
        fs::write(manifest_path(&first.version), "{\"a.txt\": ").expect("torn manifest");

        let fourth = build(&out, &theme, manifests, 4);
        assert_ne!(fourth.version, first.version, "an untrusted spare was updated");
        assert_eq!(files(&out).into_iter().map(|(path, _)| path).collect::<Vec<_>>(), ["a.txt", "b/c.txt"]);
        assert!(!first.version.exists(), "the untrusted folder is removed");
    }
}
