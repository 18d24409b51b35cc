//! A workshop loaded and rendered: every page parsed once, with the resolver
//! that judged its links. Everything above this floor (site, check, verify)
//! reads it; none of them parses Markdown again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diag::Errors;
use crate::markdown::links::{Resolver, Target};
use crate::markdown::{self, fragments, highlight, Document, Highlighter};
use crate::timings;
use crate::workshop::{LoadOptions, Workshop};

/// The file caching highlighted code for the workshop at `root`, in the user's cache
/// folder (`LABSITE_CACHE_DIR`, else `$XDG_CACHE_HOME/labsite`, else `~/.cache/labsite`),
/// never in the workshop itself.
fn cache_file(root: &Path) -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = var("LABSITE_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("labsite")))
        .or_else(|| var("HOME").map(|h| h.join(".cache/labsite")))?;
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    root.hash(&mut h);
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    Some(dir.join(format!(
        "highlight-{}-{}-{safe}-{:016x}.bin",
        env!("CARGO_PKG_VERSION"),
        highlight::FORMAT,
        h.finish()
    )))
}

/// Folders and files the pages link to that the workshop's walk did not list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkedExtras {
    /// Folders without a page, relative to the content folder.
    pub folders: BTreeSet<PathBuf>,
    /// Files outside the walk (hidden folders), relative to the content folder.
    pub files: BTreeSet<PathBuf>,
}

/// A workshop loaded and rendered, not yet laid out or written.
pub struct Rendered {
    pub workshop: Workshop,
    pub resolver: Resolver,
    /// One per page, in page order.
    pub documents: Vec<Document>,
    /// The highlighter that coloured the code, with the blocks it remembers
    /// (`None` when code is left plain: `check`, `verify`). Rendering a page again
    /// (the preview after a save) goes through it.
    pub highlighter: Option<Highlighter>,
}

impl Rendered {
    /// The first two stages of the pipeline: load and render every page. The code
    /// highlighted is kept for the next run by [`Rendered::save_highlight_cache`],
    /// which a build calls while it lays pages out.
    pub fn load(root: &Path, opts: &LoadOptions) -> Result<Rendered, Errors> {
        let workshop = Workshop::load(root, opts)?;
        timings::mark("load workshop");
        let resolver = Resolver::new(&workshop);
        let highlighter = (!opts.plain_code).then(|| {
            let h = match cache_file(&workshop.root) {
                Some(file) => Highlighter::with_cache(file),
                None => Highlighter::new(),
            };
            timings::mark("load highlight cache");
            h
        });
        let documents = markdown::render_workshop(&workshop, &resolver, highlighter.as_ref());
        timings::mark("render pages");
        Ok(Rendered {
            workshop,
            resolver,
            documents,
            highlighter,
        })
    }

    /// Saves the code highlighted so far for the next run. Only a cache: without
    /// a writable cache folder the next run is the same, just slower.
    pub fn save_highlight_cache(&self) {
        if let Some(h) = &self.highlighter {
            let _ = h.save();
            timings::mark("save highlight cache");
        }
    }

    /// Frees the highlighted blocks remembered for rendering again: the pages hold
    /// their code, and a build renders nothing twice.
    pub fn forget_highlighted(&self) {
        if let Some(h) = &self.highlighter {
            h.forget();
        }
    }

    /// What the pages link to beyond the workshop's pages and files: folders
    /// without a page of their own (the site lists them) and files the walk left
    /// out (the site copies them). Sorted, each once.
    pub fn linked_extras(&self) -> LinkedExtras {
        let mut extras = LinkedExtras::default();
        for link in self.documents.iter().flat_map(|d| &d.links) {
            match &link.resolved.target {
                Target::Folder(p) => {
                    extras.folders.insert(p.clone());
                }
                Target::Unlisted(p) => {
                    extras.files.insert(p.clone());
                }
                _ => {}
            }
        }
        extras
    }

    /// Puts page `i` rendered again (the preview's incremental build) in place of
    /// its old document, with its fragment links matched with the ids of the pages
    /// they point at, as [`markdown::render_workshop`] matches them. When the page's
    /// own ids changed, the links of other pages into it are matched again too;
    /// returns those pages whose HTML changed.
    pub fn replace_document(&mut self, i: usize, doc: Document) -> Vec<usize> {
        let ids_changed = self.documents[i].anchors != doc.anchors;
        self.documents[i] = doc;
        self.relink(i);
        if !ids_changed {
            return Vec::new();
        }
        (0..self.documents.len())
            .filter(|&j| j != i && fragments::links_into(&self.documents, j, i) && self.relink(j))
            .collect()
    }

    /// Rewrites page `i`'s fragment links to the ids their pages have now; whether
    /// its HTML changed.
    fn relink(&mut self, i: usize) -> bool {
        let fixes = fragments::fixes(&self.documents, i);
        let edits = fixes
            .iter()
            .map(|(at, id)| (at.clone(), id.as_str()))
            .collect::<Vec<_>>();
        let changed = !edits.is_empty();
        markdown::splice(&mut self.documents[i], edits);
        changed
    }

    /// Final page titles: front matter, else the first H1, else the file or folder name.
    pub fn titles(&self) -> Vec<String> {
        self.workshop
            .pages
            .iter()
            .zip(&self.documents)
            .map(|(p, d)| {
                p.front
                    .title
                    .clone()
                    .or_else(|| d.title.clone())
                    .unwrap_or_else(|| p.fallback_title())
            })
            .collect()
    }
}
