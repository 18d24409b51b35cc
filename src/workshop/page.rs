//! One Markdown page as loaded: where it comes from, where it is written, its
//! key, front matter and body.

use std::path::{Path, PathBuf};

use super::source::{self, BadFrontMatter};
use super::FrontMatter;
use crate::diag::{display_path, Diagnostic};

/// One Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the content folder, as on disk.
    pub source: PathBuf,
    /// Path of the built HTML file relative to the output folder.
    pub output: PathBuf,
    /// The page's name in commands and APIs: `chapter-3` for `chapter-3/README.md`,
    /// `challenges/challenge-01` for `challenges/challenge-01.md`, `index` for the landing page.
    pub key: String,
    /// Whether this is a folder's README/index page.
    pub is_index: bool,
    pub front: FrontMatter,
    pub body: String,
    /// Lines before the body in the file (front matter), added to body line numbers.
    pub body_line_offset: usize,
}

impl Page {
    /// The title to use when neither front matter nor a first heading gives one.
    pub fn fallback_title(&self) -> String {
        let name = if self.is_index {
            self.source.parent().and_then(|p| p.file_name())
        } else {
            self.source.file_stem()
        };
        name.map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Home".to_string())
    }
}

/// Reads the page at `rel` (relative to the content folder); `shown` is its path
/// as users see it, for messages.
pub(super) fn read_page(
    content_dir: &Path,
    shown: &Path,
    rel: &Path,
    bad_front_matter: BadFrontMatter,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    let bytes = std::fs::read(content_dir.join(rel)).map_err(|e| {
        Diagnostic::error(shown, format!("cannot read: {e}"))
            .with_hint("check the file's permissions")
    })?;
    let mut warnings = Vec::new();
    let (text, w) = source::decode(&bytes, shown);
    warnings.extend(w);
    let (src, w) = source::split_front_matter(&text, shown, bad_front_matter)?;
    warnings.extend(w);
    let is_index = is_index_name(rel);
    let output = output_path(rel);
    Ok((
        Page {
            key: page_key(rel, is_index),
            source: rel.to_path_buf(),
            output,
            is_index,
            front: src.front,
            body: src.body,
            body_line_offset: src.body_line_offset,
        },
        warnings,
    ))
}

/// `README.md` in any letter case, and `index.md`, are a folder's page.
pub fn is_index_name(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.eq_ignore_ascii_case("readme") || s.eq_ignore_ascii_case("index"))
}

/// Where a page is written: `dir/README.md` → `dir/index.html`, `a/b.md` → `a/b.html`.
pub fn output_path(source: &Path) -> PathBuf {
    if is_index_name(source) {
        source.with_file_name("index.html")
    } else {
        source.with_extension("html")
    }
}

fn page_key(rel: &Path, is_index: bool) -> String {
    let key = if is_index {
        rel.parent().map(display_path).unwrap_or_default()
    } else {
        display_path(&rel.with_extension(""))
    };
    if key.is_empty() {
        "index".to_string()
    } else {
        key
    }
}
