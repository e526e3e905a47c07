//! Public papers stored as files: copied into the site under
//! `papers/<sha256>/<name>`, and the paper linked to the copy. Only a file the
//! store itself classifies `public` is copied; any other stays a title.

use caucus_api::{
    domain::{Classification, GroupId},
    store::{Database, files},
};

use crate::{config::SiteConfig, public::PublicSite, render::Job, slug::slugify};

/// Reads each public paper's stored file, links the paper to its copy on the
/// site, and returns the copies to write.
pub async fn copy(
    db: &Database,
    group: &GroupId,
    config: &SiteConfig,
    site: &mut PublicSite,
) -> anyhow::Result<Vec<Job<'static>>> {
    let mut jobs: Vec<Job<'static>> = Vec::new();
    let papers = site.meetings.iter_mut().flat_map(|m| m.items.iter_mut()).flat_map(|i| i.papers.iter_mut());
    for paper in papers {
        let Some(sha256) = paper.file_sha256.clone() else { continue };
        let Some(meta) = files::meta(db, group, &sha256).await? else { continue };
        if Classification::parse(&meta.classification) != Some(Classification::Public) {
            continue;
        }
        let path = format!("papers/{sha256}/{}", file_name(&meta.name));
        if !jobs.iter().any(|job| job.path == path) {
            let Some(content) = files::content(db, group, &sha256).await? else { continue };
            jobs.push(Job::bytes(path.clone(), content));
        }
        paper.link = Some(format!("{}/{path}", config.base()));
    }
    Ok(jobs)
}

/// A file name safe in a URL path: the stem slugified, the extension kept if
/// it is plain letters and digits.
fn file_name(name: &str) -> String {
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
            (stem, Some(ext.to_ascii_lowercase()))
        }
        _ => (name, None),
    };
    // `slugify` never returns an empty slug.
    let stem = slugify(stem);
    match extension {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem,
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_are_safe_in_a_url_and_keep_their_extension() {
        assert_eq!(file_name("Budget Briefing 2027.PDF"), "budget-briefing-2027.pdf");
        assert_eq!(file_name("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_name("???.pdf"), "item.pdf");
        assert_eq!(file_name("notes"), "notes");
    }
}
