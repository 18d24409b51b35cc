//! Finding a workshop's files with walkdir: which are pages, which are copied as they are,
//! and which are skipped (hidden folders, `node_modules`, `target/`, the output folder).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{display_path, Diagnostic};

/// What a walk of the content folder found, paths relative to it, sorted.
#[derive(Debug, Default)]
pub struct Found {
    pub markdown: Vec<PathBuf>,
    pub files: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

/// Folder names never part of a site, at any depth.
pub const SKIPPED_DIRS: &[&str] = &["node_modules", "target"];

/// Whether a file name is a Markdown page.
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Walks `content_dir`; `skip` are absolute paths left out (the output folder, and when
/// the content is the workshop root itself, `themes/`, `validators/` and `workshop.yaml`).
/// `report_base` is what diagnostics' paths are made relative to (the workshop root).
pub fn walk(content_dir: &Path, skip: &[PathBuf], report_base: &Path) -> Result<Found, Diagnostic> {
    let mut found = Found::default();
    let canonical_content = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_path_buf());
    let rel_report = |p: &Path| p.strip_prefix(report_base).unwrap_or(p).to_path_buf();
    let walker = WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if name.starts_with('.') {
                return false;
            }
            if e.file_type().is_dir() && SKIPPED_DIRS.contains(&name.as_ref()) {
                return false;
            }
            !skip.iter().any(|s| s == e.path())
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map(&rel_report).unwrap_or_default();
                return Err(
                    Diagnostic::error(path, format!("cannot read: {}", io_reason(&e)))
                        .with_hint("check the permissions of this file or folder"),
                );
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(content_dir)
            .expect("walkdir yields paths under its root")
            .to_path_buf();
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            match symlink_target(entry.path(), &canonical_content) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(reason) => {
                    found.warnings.push(
                        Diagnostic::warning(rel_report(entry.path()), format!("symbolic link not followed: {reason}"))
                            .with_hint("copy the file into the workshop, or point the link at a file inside it"),
                    );
                    continue;
                }
            }
        } else if !file_type.is_file() {
            continue;
        }
        if is_markdown(&rel) {
            found.markdown.push(rel);
        } else {
            found.files.push(rel);
        }
    }
    Ok(found)
}

/// `Ok(true)` for a link to a file inside the content folder, `Ok(false)` for a link to a
/// folder inside it (skipped without a word: following folders could loop), or why not.
fn symlink_target(link: &Path, content: &Path) -> Result<bool, String> {
    let target = link
        .canonicalize()
        .map_err(|e| format!("its target cannot be read ({e})"))?;
    if !target.starts_with(content) {
        return Err(format!(
            "it points outside the workshop, to {}",
            display_path(&target)
        ));
    }
    Ok(target.is_file())
}

fn io_reason(e: &walkdir::Error) -> String {
    match e.io_error() {
        Some(io) => io.to_string(),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn pages_files_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "README.md",
            "chapter-1/Readme.md",
            "chapter-1/images/a.png",
            "chapter-1/notes.MARKDOWN",
            ".git/config",
            "node_modules/x/README.md",
            "public/index.html",
        ] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "x").unwrap();
        }
        let found = walk(root, &[root.join("public")], root).unwrap();
        let names: Vec<String> = found.markdown.iter().map(|p| display_path(p)).collect();
        assert_eq!(
            names,
            vec![
                "README.md",
                "chapter-1/Readme.md",
                "chapter-1/notes.MARKDOWN"
            ]
        );
        assert_eq!(found.files, vec![PathBuf::from("chapter-1/images/a.png")]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_workshop_are_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.md"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.md"), root.join("leak.md")).unwrap();
        std::os::unix::fs::symlink(root.join("a.md"), root.join("alias.md")).unwrap();
        std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
        let found = walk(root, &[], root).unwrap();
        assert_eq!(
            found.markdown,
            vec![PathBuf::from("a.md"), PathBuf::from("alias.md")]
        );
        assert_eq!(found.warnings.len(), 1);
        assert!(found.warnings[0].message.contains("outside the workshop"));
    }
}
