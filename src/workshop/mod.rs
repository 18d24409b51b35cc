//! Loading a workshop: the first stage of the pipeline (load → render → write).
//!
//! A workshop is a folder: `workshop.yaml` (optional), `content/` or the root
//! itself holding the pages, `themes/` and `validators/`. Loading finds every
//! page and file, reads front matter, leaves drafts out, and puts the pages in
//! reading order in a section tree. Nothing here renders Markdown.

mod arrange;
pub mod config;
pub mod discover;
pub mod navlinks;
pub mod order;
mod page;
pub mod reading;
pub mod source;
pub mod verify_block;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Errors};
pub use config::Config;
use order::Node;
use page::read_page;
pub use page::{is_index_name, output_path, Page};
use source::BadFrontMatter;
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
    /// The reading order: the author's chains, each page's neighbours and progress.
    pub reading: reading::ReadingOrder,
    pub warnings: Vec<Diagnostic>,
    /// What the load did with unreadable front matter, for pages read again.
    bad_front_matter: BadFrontMatter,
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
    /// Front matter that cannot be read fails the load (`--strict`), instead of a
    /// warning and a page built without it.
    pub strict: bool,
}

impl LoadOptions {
    fn bad_front_matter(&self) -> BadFrontMatter {
        if self.strict {
            BadFrontMatter::Fail
        } else {
            BadFrontMatter::Warn
        }
    }
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
        let mut config = Config::load(&root)?;
        if config.repository.is_none() {
            // Edit links with no configuration: the repository git says this is.
            config.repository = config::git::detect(&root);
        }
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
            .map(|rel| {
                read_page(
                    &content_dir,
                    &content_prefix.join(rel),
                    rel,
                    opts.bad_front_matter(),
                )
            })
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
        let mut links = navlinks::scan(&pages);
        let mut chains = reading::chains(&pages, &links);
        let linked = reading::ranks(pages.len(), &chains);
        let (pages, tree, new_index) = arrange::arrange(
            pages,
            &config.chapters,
            &linked,
            &content_prefix,
            &mut warnings,
        );
        reading::remap(&mut links, &mut chains, &new_index);
        let reading = reading::ReadingOrder::new(&pages, &tree, links, chains);
        Ok(Workshop {
            root,
            content_dir,
            config,
            output_dir,
            pages,
            files,
            tree,
            reading,
            warnings,
            bad_front_matter: opts.bad_front_matter(),
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
        let (fresh, warnings) = read_page(
            &self.content_dir,
            &content_prefix.join(&source),
            &source,
            self.bad_front_matter,
        )?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::display_path;
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
        let progress = |i: usize| {
            ws.reading.progress[i]
                .as_ref()
                .map(|p| (p.noun.as_str(), p.index, p.count))
        };
        assert_eq!(progress(2), Some(("Chapter", 1, 2)));
        assert_eq!(progress(3), Some(("Chapter", 2, 2)));
        assert_eq!(progress(0), None);
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
        let counts: Vec<Option<(usize, usize)>> = ws
            .reading
            .progress
            .iter()
            .map(|p| p.as_ref().map(|p| (p.index, p.count)))
            .collect();
        assert_eq!(counts, vec![None, Some((1, 3)), Some((2, 3)), Some((3, 3))]);
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
    fn bad_front_matter_is_a_warning_and_strict_makes_it_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("README.md"),
            "---\ntitle: [x\n---\n# Home\n",
        )
        .unwrap();
        let ws = Workshop::load(dir.path(), &LoadOptions::default()).unwrap();
        assert_eq!(ws.pages[0].body, "# Home\n");
        assert_eq!(ws.warnings[0].file, PathBuf::from("README.md"));
        let strict = LoadOptions {
            strict: true,
            ..LoadOptions::default()
        };
        let err = Workshop::load(dir.path(), &strict).unwrap_err();
        assert_eq!(err.0[0].file, PathBuf::from("README.md"));
    }
}
