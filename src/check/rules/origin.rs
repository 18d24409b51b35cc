//! Where a link copied from another documentation site really lives.
//!
//! Authors copy lists from documentation sites whose sources link their sibling
//! articles relatively (`[MARS agent](backup-azure-manage-mars.md)`); in the
//! workshop such a link points at nothing. The same page usually links that site
//! already (`https://learn.microsoft.com/en-us/azure/backup/backup-overview`),
//! and the missing file's name is the site's article name. So a candidate is the
//! folder of such a link with the missing name in place of its article:
//! `https://learn.microsoft.com/azure/backup/backup-azure-manage-mars`.
//!
//! Sites are recognised by the shape of their URLs, not by a list: an https URL
//! whose last path segment names an article (a slug, or a slug ending in `.html`
//! or `.md`) below at least one folder. A locale segment (`en-us`) is left out,
//! as the sites redirect to the reader's language. No evidence, no candidate.

use std::collections::BTreeMap;

/// A URL the missing link may have meant, with how much supports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub url: String,
    /// The site's host, to name it in a hint (`learn.microsoft.com`).
    pub host: String,
    /// How many of the links looked at share the candidate's folder.
    pub evidence: usize,
}

/// The article folder of a documentation URL, and how its articles are named.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Folder {
    /// `https`, or `http` when that is how the page links the site.
    scheme: &'static str,
    host: String,
    /// Path segments of the folder, locale left out.
    segments: Vec<String>,
    /// The extension the site's article URLs carry (`""`, `.html`, `.md`).
    extension: String,
}

/// The candidates for a broken relative link `dest` (as written, e.g.
/// `backup-azure-vms-introduction.md` or `../storage/blob.md`), from the
/// external links of its page, else of its workshop; best first.
pub fn candidates<'a>(
    dest: &str,
    page_links: impl IntoIterator<Item = &'a str>,
    workshop_links: impl IntoIterator<Item = &'a str>,
) -> Vec<Candidate> {
    let Some((climb, rest, name)) = article_path(dest) else {
        return Vec::new();
    };
    let from_page = ranked(page_links, climb, &rest, &name);
    if !from_page.is_empty() {
        return from_page;
    }
    ranked(workshop_links, climb, &rest, &name)
}

/// The best candidate, if any.
pub fn best<'a>(
    dest: &str,
    page_links: impl IntoIterator<Item = &'a str>,
    workshop_links: impl IntoIterator<Item = &'a str>,
) -> Option<Candidate> {
    candidates(dest, page_links, workshop_links)
        .into_iter()
        .next()
}

/// A relative link as (folders to climb, folders to enter, article name):
/// `../storage/blob.md` → (1, ["storage"], "blob"). `None` for what cannot be
/// an article link (a URL with a scheme, a rooted path, no name).
fn article_path(dest: &str) -> Option<(usize, Vec<String>, String)> {
    let path = dest.split(['#', '?']).next()?.trim();
    if path.is_empty() || path.starts_with('/') || path.contains(':') {
        return None;
    }
    let mut climb = 0;
    let mut enter = Vec::new();
    let mut parts: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let last = parts.pop()?;
    for part in parts {
        if part == ".." {
            if enter.pop().is_none() {
                climb += 1;
            }
        } else {
            enter.push(part.to_string());
        }
    }
    let name = last.strip_suffix(".md").unwrap_or(last);
    is_slug(name).then(|| (climb, enter, name.to_string()))
}

/// A name an article URL can end in: letters, digits, `-`, `_`, `.`.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && s.chars().any(char::is_alphabetic)
}

/// `en-us`, `de-de`, `en`, `ja-jp`, `zh-hans`: a locale segment.
fn is_locale(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let mut parts = lower.split('-');
    let lang = parts.next().unwrap_or("");
    let region = parts.next();
    parts.next().is_none()
        && lang.len() == 2
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && region.map_or(true, |r| {
            (2..=4).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric())
        })
        && (region.is_some()
            || matches!(
                lang,
                "en" | "de" | "fr" | "es" | "ja" | "ko" | "zh" | "pt" | "it" | "ru"
            ))
}

/// The article folder of an external link, when its URL has an article's shape.
fn folder_of(url: &str) -> Option<Folder> {
    let (scheme, rest) = match url.strip_prefix("https://") {
        Some(rest) => ("https", rest),
        None => ("http", url.strip_prefix("http://")?),
    };
    let rest = rest.split(['#', '?']).next()?;
    let (host, path) = rest.split_once('/')?;
    let host = host.to_ascii_lowercase();
    if host.is_empty() || host.contains('@') {
        return None;
    }
    let mut segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let article = segments.pop()?;
    let extension = [".html", ".md"]
        .into_iter()
        .find(|e| article.ends_with(e))
        .unwrap_or("");
    let stem = &article[..article.len() - extension.len()];
    if !is_slug(stem) || stem.contains('.') {
        return None; // a file (`logo.png`), not an article
    }
    if segments.first().is_some_and(|s| is_locale(s)) {
        segments.remove(0);
    }
    if segments.is_empty() {
        return None; // a site's home or a top-level page: no folder of articles
    }
    Some(Folder {
        scheme,
        host,
        segments,
        extension: extension.to_string(),
    })
}

fn ranked<'a>(
    links: impl IntoIterator<Item = &'a str>,
    climb: usize,
    enter: &[String],
    name: &str,
) -> Vec<Candidate> {
    let mut folders: BTreeMap<Folder, usize> = BTreeMap::new();
    let mut first_seen: Vec<Folder> = Vec::new();
    for link in links {
        if let Some(folder) = folder_of(link) {
            let count = folders.entry(folder.clone()).or_default();
            if *count == 0 {
                first_seen.push(folder);
            }
            *count += 1;
        }
    }
    let words: Vec<&str> = name.split(['-', '_']).filter(|w| w.len() > 2).collect();
    let mut out: Vec<(usize, usize, usize, Candidate)> = Vec::new();
    for (order, folder) in first_seen.iter().enumerate() {
        if folder.segments.len() < climb {
            continue;
        }
        let mut segments = folder.segments[..folder.segments.len() - climb].to_vec();
        segments.extend(enter.iter().cloned());
        if segments.is_empty() {
            continue;
        }
        // A folder named like the article ("backup" for backup-azure-vms-…) wins a tie.
        let shared = segments
            .last()
            .map_or(0, |f| words.iter().filter(|w| f.contains(*w)).count());
        let url = format!(
            "{}://{}/{}/{}{}",
            folder.scheme,
            folder.host,
            segments.join("/"),
            name,
            folder.extension
        );
        let evidence = folders[folder];
        out.push((
            evidence,
            shared,
            order,
            Candidate {
                url,
                host: folder.host.clone(),
                evidence,
            },
        ));
    }
    out.sort_by(|a, b| (b.0, b.1, a.2).cmp(&(a.0, a.1, b.2)));
    let mut seen = std::collections::BTreeSet::new();
    out.into_iter()
        .map(|(_, _, _, c)| c)
        .filter(|c| seen.insert(c.url.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_PAGE: &[&str] = &[
        "https://learn.microsoft.com/en-us/azure/backup/backup-overview",
        "https://azure.microsoft.com/en-us/products/backup/?msockid=2508",
        "https://learn.microsoft.com/en-us/azure/cosmos-db/online-backup-and-restore",
        "https://learn.microsoft.com/en-us/azure/cosmos-db/migrate-continuous-backup",
        "https://learn.microsoft.com/en-us/azure/backup/backup-azure-vms-introduction",
    ];

    fn best_url(dest: &str, page: &[&str], workshop: &[&str]) -> Option<String> {
        best(dest, page.iter().copied(), workshop.iter().copied()).map(|c| c.url)
    }

    #[test]
    fn microsoft_learn_articles_copied_as_sibling_files() {
        assert_eq!(
            best_url("backup-azure-manage-mars.md", SEED_PAGE, &[]).as_deref(),
            Some("https://learn.microsoft.com/azure/backup/backup-azure-manage-mars")
        );
        // Both folders have two links; the one named like the article wins.
        let all = candidates("blob-backup-overview.md", SEED_PAGE.iter().copied(), []);
        assert_eq!(
            all[0].url,
            "https://learn.microsoft.com/azure/backup/blob-backup-overview"
        );
        assert_eq!(all[0].host, "learn.microsoft.com");
        assert_eq!(all[0].evidence, 2);
        assert_eq!(
            all[1].url,
            "https://learn.microsoft.com/azure/cosmos-db/blob-backup-overview"
        );
    }

    #[test]
    fn other_sites_by_the_shape_of_their_urls() {
        // AWS: articles end in .html below a guide's folder.
        let aws = ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html"];
        assert_eq!(
            best_url("creating-buckets-s3.md", &aws, &[]).as_deref(),
            Some("https://docs.aws.amazon.com/AmazonS3/latest/userguide/creating-buckets-s3.html")
        );
        // Google Cloud and GitHub Docs: slugs, GitHub's with a locale.
        let gcp = ["https://cloud.google.com/run/docs/quickstarts"];
        assert_eq!(
            best_url("deploying.md", &gcp, &[]).as_deref(),
            Some("https://cloud.google.com/run/docs/deploying")
        );
        let gh = ["https://docs.github.com/en/actions/using-workflows/about-workflows"];
        assert_eq!(
            best_url("triggering-a-workflow.md", &gh, &[]).as_deref(),
            Some("https://docs.github.com/actions/using-workflows/triggering-a-workflow")
        );
        // A repository's Markdown on GitHub keeps its .md.
        let repo =
            ["https://github.com/Azure/azure-docs/blob/main/articles/backup/backup-overview.md"];
        assert_eq!(
            best_url("backup-afs.md", &repo, &[]).as_deref(),
            Some("https://github.com/Azure/azure-docs/blob/main/articles/backup/backup-afs.md")
        );
    }

    #[test]
    fn relative_folders_climb_the_sites_folders() {
        assert_eq!(
            best_url("../storage/blobs/storage-blobs-overview.md", SEED_PAGE, &[]).as_deref(),
            Some("https://learn.microsoft.com/azure/storage/blobs/storage-blobs-overview")
        );
    }

    #[test]
    fn the_page_first_then_the_workshop_and_never_without_evidence() {
        let workshop =
            ["https://learn.microsoft.com/en-us/azure/storage/common/storage-introduction"];
        assert_eq!(
            best_url("storage-account-overview.md", &[], &workshop).as_deref(),
            Some("https://learn.microsoft.com/azure/storage/common/storage-account-overview")
        );
        assert_eq!(
            best_url("backup-afs.md", SEED_PAGE, &workshop).as_deref(),
            Some("https://learn.microsoft.com/azure/backup/backup-afs"),
            "the page's own links come first"
        );
        assert_eq!(best_url("backup-afs.md", &[], &[]), None, "no evidence");
        // Links that are no articles are no evidence: a home page, an image, a
        // top-level page, a URL with credentials.
        let none = [
            "https://example.com/",
            "https://example.com/img/logo.png",
            "https://example.com/pricing",
            "https://user@example.com/docs/x",
        ];
        assert_eq!(best_url("backup-afs.md", &none, &[]), None);
        // What cannot be an article link.
        for dest in ["/abs/x.md", "mailto:a@b", "", "#only-a-fragment", "../.."] {
            assert!(
                candidates(dest, SEED_PAGE.iter().copied(), []).is_empty(),
                "{dest}"
            );
        }
    }

    #[test]
    fn locales() {
        for yes in ["en-us", "de-DE", "en", "zh-hans", "pt-br"] {
            assert!(is_locale(yes), "{yes}");
        }
        for no in ["azure", "docs", "v1", "us", "backup"] {
            assert!(!is_locale(no), "{no}");
        }
    }
}
