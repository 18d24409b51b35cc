//! The repository a workshop lives in, read from its git metadata when
//! `workshop.yaml` names none: the `origin` remote as an https URL, the current
//! branch, and where the workshop root sits in the repository. "Edit this page"
//! and "view on GitHub" then work with no configuration.
//!
//! Read-only and bounded: two small files are read (`config`, `HEAD`), at most
//! [`MAX_FILE`] bytes each, from the nearest `.git` at or above the workshop root.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Repository, RepositoryDetails};
use crate::diag::display_path;

/// More than any real `.git/config` or `HEAD`: larger ones are not read.
pub const MAX_FILE: u64 = 1024 * 1024;
/// How many folders above the workshop root are searched for `.git`.
const MAX_DEPTH: usize = 64;

/// The repository holding `root` (an absolute, canonical path), if its git
/// metadata names an `origin` remote that is a web repository.
pub fn detect(root: &Path) -> Option<Repository> {
    let (top, git_dir) = find_git_dir(root)?;
    let common = common_dir(&git_dir);
    let config = read_small(&common.join("config"))?;
    let url = https_url(&origin_url(&config)?)?;
    let branch = read_small(&git_dir.join("HEAD")).and_then(|h| current_branch(&h));
    let path = root
        .strip_prefix(&top)
        .ok()
        .map(display_path)
        .filter(|p| !p.is_empty());
    Some(Repository::Detailed(RepositoryDetails {
        url,
        branch,
        path,
    }))
}

/// The folder holding `.git` at or above `root`, and the git folder itself
/// (`.git`, or where a `.git` file of a worktree or submodule points).
fn find_git_dir(root: &Path) -> Option<(PathBuf, PathBuf)> {
    for dir in root.ancestors().take(MAX_DEPTH) {
        let dot_git = dir.join(".git");
        let Ok(meta) = dot_git.symlink_metadata() else {
            continue;
        };
        if meta.is_dir() {
            return Some((dir.to_path_buf(), dot_git));
        }
        if meta.is_file() {
            let text = read_small(&dot_git)?;
            let target = text.trim().strip_prefix("gitdir:")?.trim();
            return Some((dir.to_path_buf(), dir.join(target)));
        }
    }
    None
}

/// A worktree's git folder names the repository's shared one in `commondir`.
fn common_dir(git_dir: &Path) -> PathBuf {
    match read_small(&git_dir.join("commondir")) {
        Some(rel) => git_dir.join(rel.trim()),
        None => git_dir.to_path_buf(),
    }
}

fn read_small(path: &Path) -> Option<String> {
    let file = File::open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    file.take(MAX_FILE).read_to_string(&mut text).ok()?;
    Some(text)
}

/// `url` of `[remote "origin"]` in a git config file.
fn origin_url(config: &str) -> Option<String> {
    let mut in_origin = false;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            let section: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            in_origin = section == "[remote\"origin\"]";
            continue;
        }
        if !in_origin {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            if key.trim().eq_ignore_ascii_case("url") {
                return Some(value.trim().trim_matches('"').to_string());
            }
        }
    }
    None
}

/// A remote URL as the https address of the repository's web page: credentials
/// and `.git` dropped; `git@host:owner/repo` and `ssh://` forms turned into
/// https. Local paths and other schemes give `None`.
pub fn https_url(remote: &str) -> Option<String> {
    let rest = if let Some(rest) = remote
        .strip_prefix("https://")
        .or_else(|| remote.strip_prefix("http://"))
    {
        rest.to_string()
    } else if let Some(rest) = remote.strip_prefix("ssh://") {
        // ssh://git@host[:port]/owner/repo
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?;
        let host = host.split(':').next()?;
        format!("{host}/{path}")
    } else if let Some((user_host, path)) = remote.split_once(':') {
        // git@host:owner/repo (scp-like); a Windows drive `C:\…` is not one.
        if !user_host.contains('@') || path.starts_with('/') || path.starts_with('\\') {
            return None;
        }
        let host = user_host.rsplit('@').next()?;
        format!("{host}/{path}")
    } else {
        return None;
    };
    let (authority, path) = rest.split_once('/')?;
    let host = authority.rsplit('@').next()?; // credentials are never kept
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c));
    if !host_ok || path.is_empty() || path.contains(['?', '#', ' ']) {
        return None;
    }
    Some(format!("https://{host}/{path}"))
}

/// The branch `HEAD` names (`ref: refs/heads/main`); `None` when detached.
fn current_branch(head: &str) -> Option<String> {
    let branch = head.trim().strip_prefix("ref:")?.trim();
    let branch = branch.strip_prefix("refs/heads/")?;
    (!branch.is_empty()).then(|| branch.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_become_web_addresses() {
        for (remote, want) in [
            (
                "https://github.com/pulumi/workshops.git",
                Some("https://github.com/pulumi/workshops"),
            ),
            (
                "git@github.com:Azure/MicroHack.git",
                Some("https://github.com/Azure/MicroHack"),
            ),
            (
                "ssh://git@github.com:22/owner/repo.git",
                Some("https://github.com/owner/repo"),
            ),
            (
                "https://user:secret-token@github.com/owner/repo",
                Some("https://github.com/owner/repo"),
            ),
            (
                "https://dev.azure.com/org/project/_git/repo",
                Some("https://dev.azure.com/org/project/_git/repo"),
            ),
            ("/srv/git/repo.git", None),
            ("C:\\repos\\lab", None),
            ("file:///srv/git/repo", None),
            ("../other", None),
        ] {
            assert_eq!(https_url(remote).as_deref(), want, "{remote}");
        }
    }

    #[test]
    fn origin_is_found_among_remotes() {
        let config = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://github.com/up/x\n\
                      [remote \"origin\"]\n\turl = git@github.com:me/x.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n";
        assert_eq!(
            origin_url(config).as_deref(),
            Some("git@github.com:me/x.git")
        );
        assert_eq!(origin_url("[core]\n"), None);
    }

    #[test]
    fn a_workshop_below_the_repository_root_knows_its_path_and_branch() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(top.join(".git")).unwrap();
        std::fs::create_dir_all(top.join("labs/day 1")).unwrap();
        std::fs::write(
            top.join(".git/config"),
            "[remote \"origin\"]\n\turl = https://github.com/o/r.git\n",
        )
        .unwrap();
        std::fs::write(top.join(".git/HEAD"), "ref: refs/heads/release\n").unwrap();
        let repo = detect(&top.join("labs/day 1")).unwrap();
        assert_eq!(repo.url(), "https://github.com/o/r");
        assert_eq!(repo.branch(), "release");
        assert_eq!(repo.path(), "labs/day 1");
        assert_eq!(
            repo.edit_url("content/README.md"),
            "https://github.com/o/r/edit/release/labs/day%201/content/README.md"
        );
        // Detached HEAD: the default branch name.
        std::fs::write(top.join(".git/HEAD"), "3f2a9c\n").unwrap();
        assert_eq!(detect(&top).unwrap().branch(), "main");
    }

    #[test]
    fn a_worktree_file_points_at_the_shared_config() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        let main_git = top.join("main/.git");
        std::fs::create_dir_all(main_git.join("worktrees/wt")).unwrap();
        std::fs::write(
            main_git.join("config"),
            "[remote \"origin\"]\n\turl = git@github.com:o/r.git\n",
        )
        .unwrap();
        std::fs::write(
            main_git.join("worktrees/wt/HEAD"),
            "ref: refs/heads/feature\n",
        )
        .unwrap();
        std::fs::write(main_git.join("worktrees/wt/commondir"), "../..\n").unwrap();
        std::fs::create_dir_all(top.join("wt")).unwrap();
        std::fs::write(
            top.join("wt/.git"),
            format!("gitdir: {}\n", main_git.join("worktrees/wt").display()),
        )
        .unwrap();
        let repo = detect(&top.join("wt")).unwrap();
        assert_eq!(repo.url(), "https://github.com/o/r");
        assert_eq!(repo.branch(), "feature");
        assert_eq!(repo.path(), "");
    }
}
