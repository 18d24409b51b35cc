//! Loading a workshop: the first stage of the pipeline (load → render → write).
//!
//! A workshop is a folder: `workshop.yaml` (optional), `content/` or the root
//! itself holding the pages, `themes/` and `validators/`. Loading finds every
//! page and file, reads front matter, leaves drafts out, and puts the pages in
//! reading order in a section tree. Nothing here renders Markdown.

pub mod config;
pub mod discover;
pub mod order;
pub mod source;
pub mod verify_block;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{display_path, Diagnostic, Errors};
pub use config::Config;
use order::{entry_matches, Node, SortKey};
pub use source::FrontMatter;

/// The folder that holds the chapters, when there is one.
pub const CONTENT_DIR: &str = "content";
/// Default output folder, relative to the workshop root.
pub const DEFAULT_OUTPUT: &str = "public";

/// A loaded workshop, pages in reading order.
#[derive(Debug)]
pub struct Workshop {
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub config: Config,
    /// Where the site is written (absolute).
    pub output_dir: PathBuf,
    pub pages: Vec<Page>,
    /// Non-Markdown files, relative to the content folder: copied as they are.
    pub files: Vec<PathBuf>,
    /// The section tree; `tree.page` is the landing page.
    pub tree: Node,
    /// How many chapters `Page::chapter` counts in.
    pub chapter_count: usize,
    pub warnings: Vec<Diagnostic>,
}

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
    /// 0-based chapter this page belongs to, for "chapter N of M".
    pub chapter: Option<usize>,
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

/// Options of loading that come from the command line.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include pages with `draft: true`.
    pub drafts: bool,
    /// Output folder from the command line (overrides `workshop.yaml`).
    pub output: Option<PathBuf>,
    /// Leave code blocks unhighlighted: for front ends that never show the HTML (`check`, `verify`).
    pub plain_code: bool,
}

impl Workshop {
    /// Loads the workshop at `root`.
    pub fn load(root: &Path, opts: &LoadOptions) -> Result<Workshop, Errors> {
        let root = root.canonicalize().map_err(|e| {
            Diagnostic::error(root, format!("cannot open the workshop folder: {e}"))
                .with_hint("pass the folder that holds your workshop (its content/ or README.md)")
        })?;
        if !root.is_dir() {
            return Err(Diagnostic::error(&root, "not a folder")
                .with_hint("pass the folder that holds your workshop, not a file")
                .into());
        }
        let config = Config::load(&root)?;
        let content_dir = if root.join(CONTENT_DIR).is_dir() {
            root.join(CONTENT_DIR)
        } else {
            root.clone()
        };
        let output_dir = output_dir(&root, &config, opts.output.as_deref());
        let mut skip = vec![output_dir.clone()];
        if content_dir == root {
            for name in ["themes", "validators", config::CONFIG_FILE] {
                skip.push(root.join(name));
            }
        }
        let found = discover::walk(&content_dir, &skip, &root)?;
        let mut warnings = found.warnings;
        let content_prefix = content_dir
            .strip_prefix(&root)
            .unwrap_or(Path::new(""))
            .to_path_buf();

        let read: Vec<Result<(Page, Vec<Diagnostic>), Diagnostic>> = found
            .markdown
            .par_iter()
            .map(|rel| read_page(&content_dir, &content_prefix.join(rel), rel))
            .collect();
        let mut pages = Vec::new();
        let mut errors = Vec::new();
        for r in read {
            match r {
                Ok((page, w)) => {
                    warnings.extend(w);
                    if opts.drafts || !page.front.draft {
                        pages.push(page);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(Errors(errors));
        }

        let files = drop_shadowed_files(found.files, &pages, &content_prefix, &mut warnings);
        let (pages, tree, chapter_count) =
            arrange(pages, &config.chapters, &content_prefix, &mut warnings);
        Ok(Workshop {
            root,
            content_dir,
            config,
            output_dir,
            pages,
            files,
            tree,
            chapter_count,
            warnings,
        })
    }

    /// A path relative to the content folder, as shown to users (relative to the workshop root).
    pub fn display_source(&self, rel: &Path) -> PathBuf {
        self.content_dir
            .strip_prefix(&self.root)
            .unwrap_or(Path::new(""))
            .join(rel)
    }

    /// Re-reads page `i` from disk in place (after an edit), keeping its place in the
    /// order. Returns the read's warnings, or an error (unreadable, bad front matter).
    pub fn reload_page(&mut self, i: usize) -> Result<Vec<Diagnostic>, Diagnostic> {
        let content_prefix = self
            .content_dir
            .strip_prefix(&self.root)
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let source = self.pages[i].source.clone();
        let (fresh, warnings) =
            read_page(&self.content_dir, &content_prefix.join(&source), &source)?;
        let page = &mut self.pages[i];
        page.front = fresh.front;
        page.body = fresh.body;
        page.body_line_offset = fresh.body_line_offset;
        Ok(warnings)
    }

    /// The page whose source is `rel` (relative to the content folder), if any.
    pub fn page_by_source(&self, rel: &Path) -> Option<usize> {
        self.pages.iter().position(|p| p.source == rel)
    }

    /// The page with this key (`chapter-3`), if any.
    pub fn page_by_key(&self, key: &str) -> Option<usize> {
        let key = key.trim_matches('/');
        self.pages.iter().position(|p| p.key == key)
    }
}

/// The output folder: the command line's, else `workshop.yaml`'s, else `public/`.
fn output_dir(root: &Path, config: &Config, cli: Option<&Path>) -> PathBuf {
    let dir = match cli {
        Some(p) => std::env::current_dir()
            .map(|cwd| cwd.join(p))
            .unwrap_or_else(|_| p.to_path_buf()),
        None => root.join(
            config
                .output
                .as_deref()
                .unwrap_or(Path::new(DEFAULT_OUTPUT)),
        ),
    };
    normalize(&dir)
}

/// Removes `.` and `..` components without touching the file system (the folder may not exist yet).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn read_page(
    content_dir: &Path,
    shown: &Path,
    rel: &Path,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    let bytes = std::fs::read(content_dir.join(rel)).map_err(|e| {
        Diagnostic::error(shown, format!("cannot read: {e}"))
            .with_hint("check the file's permissions")
    })?;
    let mut warnings = Vec::new();
    let (text, w) = source::decode(&bytes, shown);
    warnings.extend(w);
    let (src, w) = source::split_front_matter(&text, shown)?;
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
            chapter: None,
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

/// Files whose path a page's output takes (`a.html` beside `a.md`) are not copied.
fn drop_shadowed_files(
    files: Vec<PathBuf>,
    pages: &[Page],
    content_prefix: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let outputs: BTreeSet<&Path> = pages.iter().map(|p| p.output.as_path()).collect();
    files
        .into_iter()
        .filter(|f| {
            let shadowed = outputs.contains(f.as_path());
            if shadowed {
                warnings.push(
                    Diagnostic::warning(
                        content_prefix.join(f),
                        "not copied: a page is built to the same path",
                    )
                    .with_hint("rename the file or the Markdown page beside it"),
                );
            }
            !shadowed
        })
        .collect()
}

/// Builds the section tree, puts pages in reading order, and numbers chapters.
fn arrange(
    pages: Vec<Page>,
    chapters: &[String],
    content_prefix: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Page>, Node, usize) {
    // Pick each folder's page; a second README/index in the same folder is left out.
    let mut index_of_dir: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut left_out = vec![false; pages.len()];
    let mut candidates: Vec<usize> = (0..pages.len()).filter(|&i| pages[i].is_index).collect();
    candidates.sort_by_key(|&i| index_preference(&pages[i].source));
    for i in candidates {
        let dir = parent_dir(&pages[i].source);
        if let Some(&kept) = index_of_dir.get(&dir) {
            left_out[i] = true;
            warnings.push(
                Diagnostic::warning(
                    content_prefix.join(&pages[i].source),
                    format!(
                        "left out: {} is already this folder's page",
                        display_path(&pages[kept].source)
                    ),
                )
                .with_hint("a folder has one README.md or index.md; rename or merge the other"),
            );
        } else {
            index_of_dir.insert(dir, i);
        }
    }

    // Every folder that holds a page, with its ancestors.
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for (i, p) in pages.iter().enumerate() {
        if left_out[i] {
            continue;
        }
        let mut d = parent_dir(&p.source);
        loop {
            let parent = d.parent().map(Path::to_path_buf);
            if !dirs.insert(d.clone()) {
                break;
            }
            match parent {
                Some(parent) => d = parent,
                None => break,
            }
        }
    }

    let mut used_entries = vec![false; chapters.len()];
    let ctx = TreeCtx::new(&pages, &left_out, &index_of_dir, &dirs, chapters);
    let mut tree = ctx.folder(Path::new(""), &mut used_entries);
    for (entry, used) in chapters.iter().zip(&used_entries) {
        if !used {
            warnings.push(
                Diagnostic::warning(
                    config::CONFIG_FILE,
                    format!("chapters: `{entry}` matches no page or folder"),
                )
                .with_hint("list paths relative to the content folder, such as `chapter-1`"),
            );
        }
    }

    // Reading order, then indices remapped into it.
    let mut order = Vec::new();
    tree.pages_in_order(&mut order);
    let mut new_index = vec![usize::MAX; pages.len()];
    for (pos, &old) in order.iter().enumerate() {
        new_index[old] = pos;
    }
    remap(&mut tree, &new_index);
    let mut slots: Vec<Option<Page>> = pages.into_iter().map(Some).collect();
    let mut ordered: Vec<Page> = order
        .iter()
        .map(|&i| slots[i].take().expect("each page once"))
        .collect();

    let units = chapter_units(&tree);
    for (n, unit) in units.iter().enumerate() {
        let mut in_unit = Vec::new();
        unit.pages_in_order(&mut in_unit);
        for i in in_unit {
            ordered[i].chapter = Some(n);
        }
    }
    let count = units.len();
    (ordered, tree, count)
}

fn index_preference(source: &Path) -> (u8, String) {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rank = match name.as_str() {
        "README.md" => 0,
        n if n.to_ascii_lowercase().starts_with("readme") => 1,
        _ => 2,
    };
    (rank, display_path(source))
}

fn parent_dir(p: &Path) -> PathBuf {
    p.parent().map(Path::to_path_buf).unwrap_or_default()
}

struct TreeCtx<'a> {
    pages: &'a [Page],
    index_of_dir: &'a BTreeMap<PathBuf, usize>,
    /// Non-index pages of each folder.
    pages_in: BTreeMap<PathBuf, Vec<usize>>,
    /// Sub-folders of each folder.
    subdirs: BTreeMap<PathBuf, Vec<PathBuf>>,
    chapters: &'a [String],
}

impl<'a> TreeCtx<'a> {
    fn new(
        pages: &'a [Page],
        left_out: &[bool],
        index_of_dir: &'a BTreeMap<PathBuf, usize>,
        dirs: &BTreeSet<PathBuf>,
        chapters: &'a [String],
    ) -> Self {
        let mut pages_in: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            if !left_out[i] && !p.is_index {
                pages_in.entry(parent_dir(&p.source)).or_default().push(i);
            }
        }
        let mut subdirs: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
        for d in dirs.iter().filter(|d| d.as_os_str() != "") {
            subdirs.entry(parent_dir(d)).or_default().push(d.clone());
        }
        TreeCtx {
            pages,
            index_of_dir,
            pages_in,
            subdirs,
            chapters,
        }
    }

    fn folder(&self, dir: &Path, used: &mut [bool]) -> Node {
        let page = self.index_of_dir.get(dir).copied();
        let mut children: Vec<(SortKey, Node)> = Vec::new();
        for &i in self
            .pages_in
            .get(dir)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let p = &self.pages[i];
            let node = Node {
                name: file_name(&p.source),
                path: p.source.clone(),
                page: Some(i),
                children: Vec::new(),
            };
            children.push((self.key(&node, used), node));
        }
        for sub in self.subdirs.get(dir).map(Vec::as_slice).unwrap_or_default() {
            let node = self.folder(sub, used);
            children.push((self.key(&node, used), node));
        }
        children.sort_by(|a, b| a.0.order(&b.0));
        Node {
            name: file_name(dir),
            path: dir.to_path_buf(),
            page,
            children: children.into_iter().map(|(_, n)| n).collect(),
        }
    }

    fn key(&self, node: &Node, used: &mut [bool]) -> SortKey {
        let source = node.page.map(|i| self.pages[i].source.as_path());
        let explicit = self
            .chapters
            .iter()
            .position(|e| entry_matches(e, &node.path, source));
        if let Some(i) = explicit {
            used[i] = true;
        }
        SortKey {
            explicit,
            weight: node.page.and_then(|i| self.pages[i].front.weight),
            name: node.name.clone(),
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn remap(node: &mut Node, new_index: &[usize]) {
    if let Some(p) = node.page.as_mut() {
        *p = new_index[*p];
    }
    for c in &mut node.children {
        remap(c, new_index);
    }
}

/// The chapters: the root's children, where a folder with no page of its own
/// (`challenges/`) gives its children instead.
fn chapter_units(root: &Node) -> Vec<&Node> {
    fn collect<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
        for child in &node.children {
            if child.page.is_none() {
                collect(child, out);
            } else {
                out.push(child);
            }
        }
    }
    let mut out = Vec::new();
    collect(root, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn workshop(files: &[(&str, &str)]) -> (tempfile::TempDir, Workshop) {
        let dir = crate::testing::tree(files);
        let ws = Workshop::load(dir.path(), &LoadOptions::default()).unwrap();
        (dir, ws)
    }

    fn sources(ws: &Workshop) -> Vec<String> {
        ws.pages.iter().map(|p| display_path(&p.source)).collect()
    }

    #[test]
    fn chapter_layout_in_natural_order() {
        let (_d, ws) = workshop(&[
            ("content/README.md", "# Home"),
            ("content/chapter-10/README.md", "# Ten"),
            ("content/chapter-2/README.md", "# Two"),
            ("content/chapter-2/extra.md", "# Extra"),
            ("content/chapter-2/images/a.png", "png"),
        ]);
        assert_eq!(
            sources(&ws),
            vec![
                "README.md",
                "chapter-2/README.md",
                "chapter-2/extra.md",
                "chapter-10/README.md"
            ]
        );
        assert_eq!(ws.files, vec![PathBuf::from("chapter-2/images/a.png")]);
        assert_eq!(ws.chapter_count, 2);
        assert_eq!(ws.pages[2].chapter, Some(0));
        assert_eq!(ws.pages[3].chapter, Some(1));
        assert_eq!(ws.pages[0].chapter, None);
        assert_eq!(ws.pages[1].key, "chapter-2");
        assert_eq!(ws.pages[2].key, "chapter-2/extra");
        assert_eq!(ws.pages[0].key, "index");
    }

    #[test]
    fn microhack_layout_at_the_root() {
        let (_d, ws) = workshop(&[
            ("Readme.md", "# Hack"),
            ("challenges/challenge-02.md", "# C2"),
            ("challenges/challenge-01.md", "# C1"),
            ("walkthrough/challenge-01/solution-01.md", "# S1"),
            ("Images (old)/x.png", "png"),
            ("validators/check.sh", "#!/bin/sh"),
            ("workshop.yaml", "title: Hack\n"),
        ]);
        assert_eq!(
            sources(&ws),
            vec![
                "Readme.md",
                "challenges/challenge-01.md",
                "challenges/challenge-02.md",
                "walkthrough/challenge-01/solution-01.md"
            ]
        );
        assert_eq!(ws.pages[0].output, PathBuf::from("index.html"));
        assert_eq!(ws.files, vec![PathBuf::from("Images (old)/x.png")]);
        assert_eq!(ws.chapter_count, 3);
        assert_eq!(ws.config.title.as_deref(), Some("Hack"));
    }

    #[test]
    fn explicit_order_and_weights() {
        let (_d, ws) = workshop(&[
            (
                "workshop.yaml",
                "chapters: [zeta, alpha/README.md, nowhere]\n",
            ),
            ("content/README.md", "# Home"),
            ("content/alpha/README.md", "# A"),
            ("content/beta/README.md", "---\nweight: 1\n---\n# B"),
            ("content/zeta/README.md", "# Z"),
            ("content/gamma/README.md", "# G"),
        ]);
        assert_eq!(
            sources(&ws),
            vec![
                "README.md",
                "zeta/README.md",
                "alpha/README.md",
                "beta/README.md",
                "gamma/README.md"
            ]
        );
        assert!(ws.warnings.iter().any(|w| w.message.contains("`nowhere`")));
    }

    #[test]
    fn drafts_are_left_out_and_duplicate_index_pages_warned() {
        let (_d, ws) = workshop(&[
            ("README.md", "# Home"),
            ("a/README.md", "# A"),
            ("a/index.md", "# A again"),
            ("b.md", "---\ndraft: true\n---\n# B"),
        ]);
        assert_eq!(sources(&ws), vec!["README.md", "a/README.md"]);
        assert!(ws
            .warnings
            .iter()
            .any(|w| w.message.contains("already this folder's page")));
    }

    #[test]
    fn bad_front_matter_fails_the_load_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("README.md"), "---\ntitle: [x\n---\n").unwrap();
        let err = Workshop::load(dir.path(), &LoadOptions::default()).unwrap_err();
        assert_eq!(err.0[0].file, PathBuf::from("README.md"));
    }
}
