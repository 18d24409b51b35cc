//! The built site: runs the pipeline (load → render → write) and lays pages out
//! with the theme. `serve` reuses [`render_site`] and keeps the files in memory;
//! `build` writes them with [`output::write_site`].

pub mod nav;
pub mod output;
pub mod theme;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{display_path, Diagnostic, Errors};
use crate::links::{relative_url, root_prefix, Resolver};
use crate::markdown::{self, highlight, Document};
use crate::workshop::{LoadOptions, Workshop};
use nav::{Navigation, PageNav};
use output::{Contents, OutputFile};
use theme::{Theme, STATIC_DIR};

/// Options of a build from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub load: LoadOptions,
    /// Overrides `base_url` in `workshop.yaml`.
    pub base_url: Option<String>,
}

/// A workshop loaded and rendered, not yet laid out or written.
pub struct Rendered {
    pub workshop: Workshop,
    pub resolver: Resolver,
    /// One per page, in page order.
    pub documents: Vec<Document>,
}

impl Rendered {
    /// The first two stages of the pipeline: load and render every page.
    pub fn load(root: &Path, opts: &LoadOptions) -> Result<Rendered, Errors> {
        let workshop = Workshop::load(root, opts)?;
        let resolver = Resolver::new(&workshop);
        let documents = markdown::render_workshop(&workshop, &resolver);
        Ok(Rendered {
            workshop,
            resolver,
            documents,
        })
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

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub copied: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Builds the workshop at `root` into its output folder.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Errors> {
    let started = Instant::now();
    let rendered = Rendered::load(root, &opts.load)?;
    let ws = &rendered.workshop;
    output::check_target(&ws.output_dir, &ws.root, &ws.content_dir)?;
    let theme = Theme::load(ws)?;
    let (files, warnings) = render_site(&rendered, &theme, opts)?;
    output::write_site(&ws.output_dir, &files)?;
    Ok(BuildReport {
        output: ws.output_dir.clone(),
        pages: ws.pages.len(),
        copied: ws.files.len(),
        warnings,
        elapsed: started.elapsed(),
    })
}

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: String,
}

#[derive(Serialize)]
struct ChapterContext {
    index: usize,
    count: usize,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    content: &'a str,
    description: String,
    is_landing: bool,
    edit_url: String,
    chapter: Option<ChapterContext>,
    toc: Vec<TocEntry<'a>>,
    /// Site-relative URL path of this page.
    url: String,
    key: &'a str,
}

#[derive(Serialize)]
struct TemplateContext<'a> {
    site: &'a SiteContext<'a>,
    root: String,
    home_url: String,
    page: PageContext<'a>,
    #[serde(flatten)]
    nav: PageNav,
}

/// Lays out every page with the theme; returns the site's files and the warnings of the build.
pub fn render_site(rendered: &Rendered, theme: &Theme, opts: &BuildOptions) -> Result<(Vec<OutputFile>, Vec<Diagnostic>), Errors> {
    let ws = &rendered.workshop;
    let titles = rendered.titles();
    let navigation = Navigation::new(ws);
    let landing = ws.tree.page;
    let site_title = ws
        .config
        .title
        .clone()
        .or_else(|| landing.map(|i| titles[i].clone()))
        .unwrap_or_else(|| display_path(Path::new(ws.root.file_name().unwrap_or_default())));
    let base_url = opts
        .base_url
        .clone()
        .or_else(|| ws.config.base_url.clone())
        .map(|u| format!("{}/", u.trim_end_matches('/')))
        .unwrap_or_default();
    let site = SiteContext {
        title: &site_title,
        description: ws.config.description.as_deref().unwrap_or(""),
        language: ws.config.language.as_deref().unwrap_or("en"),
        base_url,
    };

    let pages: Vec<Result<OutputFile, Diagnostic>> = (0..ws.pages.len())
        .into_par_iter()
        .map(|i| {
            let page = &ws.pages[i];
            let doc = &rendered.documents[i];
            let ctx = TemplateContext {
                site: &site,
                root: root_prefix(&page.output),
                home_url: landing.map_or_else(String::new, |l| relative_url(&page.output, &ws.pages[l].output)),
                page: PageContext {
                    title: &titles[i],
                    content: &doc.html,
                    description: page
                        .front
                        .description
                        .clone()
                        .or_else(|| doc.summary.clone())
                        .unwrap_or_default(),
                    is_landing: Some(i) == landing,
                    edit_url: ws
                        .config
                        .repository
                        .as_ref()
                        .map(|r| r.edit_url(&display_path(&ws.display_source(&page.source))))
                        .unwrap_or_default(),
                    chapter: page.chapter.map(|c| ChapterContext {
                        index: c + 1,
                        count: ws.chapter_count,
                    }),
                    toc: doc
                        .headings
                        .iter()
                        .filter(|h| (2..=3).contains(&h.level))
                        .map(|h| TocEntry {
                            level: h.level,
                            id: &h.id,
                            title: &h.text,
                        })
                        .collect(),
                    url: crate::links::site_path(&page.output),
                    key: &page.key,
                },
                nav: navigation.for_page(ws, &titles, i),
            };
            let context = tera::Context::from_serialize(&ctx)
                .map_err(|e| Diagnostic::error(ws.display_source(&page.source), format!("cannot prepare the page: {e}")))?;
            let html = theme.render("page.html", &context)?;
            Ok(OutputFile::bytes(page.output.clone(), html))
        })
        .collect();

    let mut files = Vec::with_capacity(pages.len() + ws.files.len() + 8);
    let mut errors = Vec::new();
    for r in pages {
        match r {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        // One template error shows on every page: report each distinct one once.
        errors.dedup_by(|a, b| a.message == b.message && a.file == b.file);
        return Err(Errors(errors));
    }

    let mut warnings = ws.warnings.clone();
    for rel in &ws.files {
        if rel.starts_with(STATIC_DIR) {
            warnings.push(
                Diagnostic::warning(ws.display_source(rel), format!("not copied: {STATIC_DIR}/ is reserved for the theme"))
                    .with_hint(format!("move the file out of a folder named {STATIC_DIR}")),
            );
            continue;
        }
        files.push(OutputFile {
            path: rel.clone(),
            contents: Contents::Copy(ws.content_dir.join(rel)),
        });
    }
    for (rel, bytes) in &theme.static_files {
        files.push(OutputFile::bytes(Path::new(STATIC_DIR).join(rel), bytes.clone()));
    }
    files.push(OutputFile::bytes(Path::new(STATIC_DIR).join("highlight.css"), highlight::stylesheet()));
    // GitHub Pages publishing from a branch runs Jekyll, which would drop `_labsite/`.
    files.push(OutputFile::bytes(".nojekyll", ""));
    let has_404_page = ws.pages.iter().any(|p| p.output == Path::new("404.html"));
    if theme.has_template("404.html") && !has_404_page {
        files.push(not_found_page(ws, &titles, &site, theme, &navigation)?);
    }
    Ok((files, warnings))
}

/// The path part of a base URL (`https://x.github.io/lab/` → `/lab/`), empty when there is none.
fn url_path(base_url: &str) -> String {
    if base_url.is_empty() {
        return String::new();
    }
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = match after_scheme.find('/') {
        Some(i) if base_url.contains("://") => &after_scheme[i..],
        None if base_url.contains("://") => "/",
        _ => after_scheme,
    };
    format!("/{}/", path.trim_matches('/')).replace("//", "/")
}

fn not_found_page(
    ws: &Workshop,
    titles: &[String],
    site: &SiteContext,
    theme: &Theme,
    navigation: &Navigation,
) -> Result<OutputFile, Diagnostic> {
    let landing = ws.tree.page;
    let mut nav = match landing {
        Some(l) => navigation.for_page(ws, titles, l),
        None => PageNav {
            nav: Vec::new(),
            nav_more_before: false,
            nav_more_after: false,
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
        },
    };
    let root = url_path(&site.base_url);
    for item in &mut nav.nav {
        item.current = false;
        if !item.url.is_empty() {
            item.url = format!("{root}{}", item.url);
        }
    }
    // Hosts serve 404.html at whatever path was missing, so relative URLs would break:
    // with a known base URL, the page links from the site's absolute path instead.
    nav.breadcrumbs.clear();
    nav.prev = None;
    nav.next = None;
    let ctx = TemplateContext {
        site,
        root,
        home_url: String::new(),
        page: PageContext {
            title: "Page not found",
            content: "",
            description: String::new(),
            is_landing: false,
            edit_url: String::new(),
            chapter: None,
            toc: Vec::new(),
            url: "404.html".into(),
            key: "404",
        },
        nav,
    };
    let context = tera::Context::from_serialize(&ctx).map_err(|e| Diagnostic::error("404.html", e.to_string()))?;
    Ok(OutputFile::bytes("404.html", theme.render("404.html", &context)?))
}

#[cfg(test)]
mod tests {
    use super::url_path;

    #[test]
    fn base_url_paths() {
        assert_eq!(url_path(""), "");
        assert_eq!(url_path("https://x.github.io/lab"), "/lab/");
        assert_eq!(url_path("https://x.github.io/lab/"), "/lab/");
        assert_eq!(url_path("https://example.com"), "/");
        assert_eq!(url_path("/my-workshop/"), "/my-workshop/");
    }
}
