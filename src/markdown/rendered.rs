//! A workshop loaded and rendered: every page parsed once, with the resolver
//! that judged its links. Everything above this floor (site, check, verify)
//! reads it; none of them parses Markdown again.

use std::path::{Path, PathBuf};

use crate::diag::Errors;
use crate::markdown::links::Resolver;
use crate::markdown::{self, fragments, highlight, Document};
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

/// A workshop loaded and rendered, not yet laid out or written.
pub struct Rendered {
    pub workshop: Workshop,
    pub resolver: Resolver,
    /// One per page, in page order.
    pub documents: Vec<Document>,
    /// The file keeping highlighted code between runs, when code is highlighted
    /// and there is a cache folder: see [`Rendered::save_highlight_cache`].
    highlight_cache: Option<PathBuf>,
}

impl Rendered {
    /// The first two stages of the pipeline: load and render every page. The code
    /// highlighted is kept for the next run by [`Rendered::save_highlight_cache`],
    /// which a build calls while it lays pages out.
    pub fn load(root: &Path, opts: &LoadOptions) -> Result<Rendered, Errors> {
        let workshop = Workshop::load(root, opts)?;
        timings::mark("load workshop");
        let resolver = Resolver::new(&workshop);
        let highlight = !opts.plain_code;
        let cache = highlight.then(|| cache_file(&workshop.root)).flatten();
        if let Some(file) = &cache {
            markdown::highlight::load_cache(file);
            timings::mark("load highlight cache");
        }
        let documents = markdown::render_workshop(&workshop, &resolver, highlight);
        timings::mark("render pages");
        Ok(Rendered {
            workshop,
            resolver,
            documents,
            highlight_cache: cache,
        })
    }

    /// Saves the code highlighted so far for the next run. Only a cache: without
    /// a writable cache folder the next run is the same, just slower.
    pub fn save_highlight_cache(&self) {
        if let Some(file) = &self.highlight_cache {
            let _ = markdown::highlight::save_cache(file);
            timings::mark("save highlight cache");
        }
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
