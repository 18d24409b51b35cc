//! Watching the workshop with notify: events are gathered until the disk is
//! quiet for a moment (editors' atomic saves and `git checkout` come as
//! bursts), then classified into what must be rebuilt.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::site::preview::Changes;
use crate::workshop::config::CONFIG_FILE;
use crate::workshop::discover::{is_markdown, SKIPPED_DIRS};

/// The disk must be quiet this long before a batch is handled.
pub const QUIET: Duration = Duration::from_millis(8);
/// A batch is handled after this long even if events keep coming.
pub const MAX_WAIT: Duration = Duration::from_millis(150);

/// Starts watching what a workshop is made of: the content folder, `themes/`,
/// `validators/` and `workshop.yaml` (the root itself, not recursively, when the
/// content is elsewhere, so that `target/` or `public/` are not watched).
pub fn start(
    root: &Path,
    content: &Path,
) -> notify::Result<(RecommendedWatcher, Receiver<notify::Result<Event>>)> {
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    if content == root {
        watcher.watch(root, RecursiveMode::Recursive)?;
    } else {
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        watcher.watch(content, RecursiveMode::Recursive)?;
        for dir in ["themes", "validators"] {
            let d = root.join(dir);
            if d.is_dir() {
                watcher.watch(&d, RecursiveMode::Recursive)?;
            }
        }
    }
    Ok((watcher, rx))
}

/// Waits for the next burst of file changes; `None` when the watcher is gone.
pub fn next_batch(rx: &Receiver<notify::Result<Event>>) -> Option<Vec<PathBuf>> {
    let mut paths = Vec::new();
    let first = rx.recv().ok()?;
    collect(first, &mut paths);
    let started = Instant::now();
    loop {
        let left = MAX_WAIT.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        match rx.recv_timeout(QUIET.min(left)) {
            Ok(ev) => collect(ev, &mut paths),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    paths.sort();
    paths.dedup();
    Some(paths)
}

fn collect(ev: notify::Result<Event>, paths: &mut Vec<PathBuf>) {
    let Ok(ev) = ev else { return };
    let relevant = match ev.kind {
        // Reads (ours included, while rebuilding) are not changes.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    };
    if relevant {
        paths.extend(ev.paths);
    }
}

/// What the changed `paths` mean. `known_file` says whether a content file (relative to
/// the content folder) is part of the current site.
pub fn classify(
    paths: &[PathBuf],
    root: &Path,
    content: &Path,
    output: &Path,
    known_file: &dyn Fn(&Path) -> bool,
) -> Changes {
    let mut changes = Changes::default();
    let mut theme_files = Vec::new();
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        if path.starts_with(output) || ignored(rel) {
            continue;
        }
        if rel == Path::new(CONFIG_FILE) || rel.starts_with("validators") {
            changes.full = true;
        } else if rel.starts_with("themes") {
            theme_files.push(path);
        } else if let Ok(in_content) = path.strip_prefix(content) {
            if in_content.as_os_str().is_empty() {
                continue;
            }
            let exists = path.exists();
            if is_markdown(path) {
                if path.is_file() {
                    changes.pages.push(path.clone());
                } else {
                    changes.full = true;
                }
            } else if known_file(in_content) {
                if exists {
                    changes.assets = true;
                } else {
                    changes.full = true;
                }
            } else if path.is_file() {
                changes.full = true;
            }
        }
    }
    if !theme_files.is_empty() {
        changes.theme = true;
        changes.css_only = theme_files
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"));
    }
    changes
}

/// Hidden files and folders (`.git`, editors' swap files), backups, and the folders
/// discovery skips (`target/`, `node_modules/`).
fn ignored(rel: &Path) -> bool {
    rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.')
            || name.starts_with('#')
            || name.ends_with('~')
            || SKIPPED_DIRS.contains(&name.as_ref())
    }) || rel.file_name().is_some_and(|n| n == "4913")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn changes_are_classified() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let content = root.join("content");
        for f in [
            "content/c1/README.md",
            "content/c1/a.png",
            "themes/default/static/style.css",
            "themes/default/templates/page.html",
        ] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "x").unwrap();
        }
        let out = root.join("public");
        let known = |p: &Path| p == Path::new("c1/a.png");
        let c = |paths: &[&str]| {
            let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
            classify(&paths, root, &content, &out, &known)
        };
        let page = c(&["content/c1/README.md"]);
        assert_eq!(page.pages, vec![root.join("content/c1/README.md")]);
        assert!(!page.full && !page.theme);
        assert!(
            c(&["content/c1/gone.md"]).full,
            "a removed page rebuilds all"
        );
        assert!(c(&["content/c1/a.png"]).assets && !c(&["content/c1/a.png"]).full);
        assert!(c(&["workshop.yaml"]).full);
        assert!(c(&["validators/x.sh"]).full);
        let css = c(&["themes/default/static/style.css"]);
        assert!(css.theme && css.css_only);
        let tpl = c(&[
            "themes/default/static/style.css",
            "themes/default/templates/page.html",
        ]);
        assert!(tpl.theme && !tpl.css_only);
        for ignored in [
            "public/index.html",
            ".git/index",
            "content/c1/.README.md.swp",
            "content/c1/README.md~",
            "content/c1/4913",
        ] {
            assert_eq!(c(&[ignored]), Changes::default(), "{ignored}");
        }
    }
}
