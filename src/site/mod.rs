//! The built site: runs the pipeline (load → render → write) and lays pages out
//! with the theme. [`render_site`] hands each file to a sink: `build` writes it
//! into an [`output::Staging`] folder swapped in at the end, `serve` keeps it in memory.

pub mod layout;
pub mod listing;
pub mod nav;
pub mod output;
pub mod preview;
pub mod print;
pub mod resources;
pub mod search;
pub mod sitemap;
pub mod theme;
pub mod widget;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Errors};
use crate::markdown::{highlight, Rendered};
use crate::timings;
use crate::workshop::LoadOptions;
use layout::Layout;
use output::{Contents, OutputFile};
use theme::{Theme, STATIC_DIR};

/// Options of a build from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub load: LoadOptions,
    /// Overrides `base_url` in `workshop.yaml`.
    pub base_url: Option<String>,
}

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub copied: usize,
    pub warnings: Vec<Diagnostic>,
}

/// The rest of a build, from a workshop already loaded and rendered (`labsite build`
/// checks it beside).
pub fn build_rendered(rendered: &Rendered, opts: &BuildOptions) -> Result<BuildReport, Errors> {
    // The cache is written while the site is: it is only needed by the next run.
    let (_, built) = rayon::join(
        || {
            rendered.save_highlight_cache();
            // The pages hold their code now; only `serve` renders again.
            rendered.forget_highlighted();
        },
        || lay_out_and_write(rendered, opts),
    );
    built
}

/// Lays every page out with the theme and swaps the new site in. (The verify
/// blocks are the front end's to validate first: `verify` sits beside this floor.)
fn lay_out_and_write(rendered: &Rendered, opts: &BuildOptions) -> Result<BuildReport, Errors> {
    let ws = &rendered.workshop;
    output::check_target(&ws.output_dir, &ws.root, &ws.content_dir)?;
    let theme = Theme::load(ws)?;
    timings::mark("validate, load theme");
    let staging = output::Staging::begin(&ws.output_dir)?;
    timings::mark("begin staging");
    let warnings = render_site(rendered, &theme, opts, &|f| staging.put(&f))?;
    staging.commit()?;
    timings::mark("commit output");
    Ok(BuildReport {
        output: ws.output_dir.clone(),
        pages: ws.pages.len(),
        copied: ws.files.len(),
        warnings,
    })
}

/// Where [`render_site`] puts each file it makes: the build writes it to disk at
/// once, the preview server keeps it in memory.
pub type Sink<'a> = &'a (dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync);

/// Lays out every page with the theme and hands each file of the site to `sink`;
/// returns the warnings of the build.
pub fn render_site(
    rendered: &Rendered,
    theme: &Theme,
    opts: &BuildOptions,
    sink: Sink,
) -> Result<Vec<Diagnostic>, Errors> {
    let ws = &rendered.workshop;
    let layout = Layout::new(rendered, theme, opts);
    let mut warnings = ws.warnings.clone();
    let mut files = Vec::new();
    for rel in &ws.files {
        if rel.starts_with(STATIC_DIR) {
            warnings.push(
                Diagnostic::warning(
                    ws.display_source(rel),
                    format!("not copied: {STATIC_DIR}/ is reserved for the theme"),
                )
                .with_hint(format!("move the file out of a folder named {STATIC_DIR}")),
            );
            continue;
        }
        files.push(OutputFile {
            path: rel.clone(),
            contents: Contents::Copy(ws.content_dir.join(rel)),
        });
    }
    // What pages link to beyond the walk: files in hidden folders, copied, and
    // folders without a page, listed as GitHub lists them.
    let extras = rendered.linked_extras();
    for rel in &extras.files {
        files.push(OutputFile {
            path: rel.clone(),
            contents: Contents::Copy(ws.content_dir.join(rel)),
        });
    }
    let listings = listing::listings(rendered);
    // No README at the top: the site still opens at index.html, on its contents.
    let taken =
        |p: &Path| ws.files.iter().any(|f| f == p) || listings.iter().any(|l| l.output == p);
    if ws.tree.page.is_none() && !ws.pages.is_empty() && !taken(Path::new("index.html")) {
        if let Some(page) = layout.contents_page() {
            files.push(page.map_err(Errors::from)?);
            warnings.push(
                Diagnostic::warning(
                    ws.display_source(Path::new("README.md")),
                    "not found at the top of the workshop: index.html is a generated contents page",
                )
                .with_hint("add a README.md (or index.md) beside the chapters to write the landing page yourself"),
            );
        }
    }
    // Laid out in parallel: a repository may link dozens of such folders.
    let listings: Vec<OutputFile> = listings
        .par_iter()
        .filter_map(|l| {
            let title = format!("{}/", l.folder);
            let context = serde_json::json!({ "listing": l });
            layout.generated_at("listing.html", &l.output, &title, &context)
        })
        .collect::<Result<_, _>>()
        .map_err(Errors::from)?;
    files.extend(listings);
    for (rel, bytes) in &theme.static_files {
        files.push(OutputFile::bytes(
            Path::new(STATIC_DIR).join(rel),
            bytes.clone(),
        ));
    }
    files.push(OutputFile::bytes(
        Path::new(STATIC_DIR).join("highlight.css"),
        highlight::stylesheet(),
    ));
    // GitHub Pages publishing from a branch runs Jekyll, which would drop `_labsite/`.
    files.push(OutputFile::bytes(".nojekyll", ""));
    // The pages, the files made from the whole workshop and the copies, side by
    // side: writing a file is mostly the kernel's work, which then overlaps with
    // laying out pages instead of following it on one core.
    let (others, mut errors) = rayon::join(
        || {
            let (whole, copied) = rayon::join(
                || {
                    let (files, warnings) = workshop_pages(rendered, &layout)?;
                    files.into_par_iter().try_for_each(sink)?;
                    Ok::<_, Diagnostic>(warnings)
                },
                || files.into_par_iter().try_for_each(sink),
            );
            copied?;
            whole
        },
        || {
            (0..ws.pages.len())
                .into_par_iter()
                .filter_map(|i| layout.page(i).and_then(sink).err())
                .collect::<Vec<Diagnostic>>()
        },
    );
    timings::mark("lay out and write files");
    if !errors.is_empty() {
        // One template error shows on every page: report each distinct one once.
        errors.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
        errors.dedup_by(|a, b| a.message == b.message && a.file == b.file);
        return Err(Errors(errors));
    }
    warnings.extend(others?);
    Ok(warnings)
}

/// The site paths of [`workshop_pages`].
pub fn workshop_page_paths() -> Vec<String> {
    vec![
        format!("{STATIC_DIR}/{}", search::INDEX_FILE),
        "404.html".into(),
        print::PRINT_PAGE.into(),
        resources::RESOURCES_PAGE.into(),
        sitemap::SITEMAP.into(),
    ]
}

/// One file made from the whole workshop, if it is made at all.
type WholeFile<'a> = Box<dyn Fn() -> Option<Result<OutputFile, Diagnostic>> + Sync + 'a>;

/// The files made from the whole workshop rather than one page: the search index,
/// the 404 page, the print view, the resources page and the sitemap, made in
/// parallel, with the warnings about them. A workshop page at the same path wins
/// (with a warning, except for a workshop's own 404 page). (The preview server
/// remakes them when one is asked for after an edit.)
pub fn workshop_pages(
    rendered: &Rendered,
    layout: &Layout,
) -> Result<(Vec<OutputFile>, Vec<Diagnostic>), Diagnostic> {
    let ws = &rendered.workshop;
    let search_path = Path::new(STATIC_DIR).join(search::INDEX_FILE);
    let makers: Vec<(&Path, bool, WholeFile)> = vec![
        (
            &search_path,
            false,
            Box::new(|| {
                Some(Ok(OutputFile::bytes(
                    &search_path,
                    search::index_js(ws, &rendered.documents, &layout.titles),
                )))
            }),
        ),
        (
            Path::new("404.html"),
            false,
            Box::new(|| layout.not_found()),
        ),
        (
            Path::new(print::PRINT_PAGE),
            true,
            Box::new(|| {
                let printer = print::Printer::new(rendered, layout.theme());
                let chapters = printer.chapters(&layout.titles);
                let frame = layout.generated(
                    print::PRINT_PAGE,
                    "Whole workshop",
                    &print::PrintContext {
                        chapters: &chapters,
                    },
                )?;
                Some(frame.and_then(|f| {
                    match f.contents {
                        Contents::Bytes(b) => printer
                            .splice(&String::from_utf8_lossy(&b))
                            .map(|html| OutputFile::bytes(f.path, html)),
                        Contents::Copy(_) => Ok(f),
                    }
                }))
            }),
        ),
        (
            Path::new(resources::RESOURCES_PAGE),
            true,
            Box::new(|| {
                let pages = resources::of_workshop(rendered, &layout.titles);
                layout.generated(
                    resources::RESOURCES_PAGE,
                    "Learning resources",
                    &serde_json::json!({ "resource_pages": pages }),
                )
            }),
        ),
        (
            Path::new(sitemap::SITEMAP),
            false,
            Box::new(|| {
                let outputs = ws.pages.iter().map(|p| p.output.as_path());
                sitemap::sitemap(layout.base_url(), outputs)
                    .map(|xml| Ok(OutputFile::bytes(sitemap::SITEMAP, xml)))
            }),
        ),
    ];
    let mut warnings = Vec::new();
    let mut made = Vec::new();
    for (path, warn, make) in makers {
        match ws.pages.iter().find(|p| p.output == path) {
            Some(page) if warn => warnings.push(
                Diagnostic::warning(
                    ws.display_source(&page.source),
                    format!(
                        "labsite's own {} is left out: this page is built to that path",
                        crate::diag::display_path(path)
                    ),
                )
                .with_hint("rename the page to keep labsite's page"),
            ),
            Some(_) => {}
            None => made.push(make),
        }
    }
    let files = made
        .par_iter()
        .filter_map(|make| make())
        .collect::<Result<Vec<_>, _>>()?;
    Ok((files, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workshop_page_paths_names_what_workshop_pages_writes() {
        let dir = crate::testing::tree(&[
            ("workshop.yaml", "base_url: https://example.org/lab/\n"),
            ("content/README.md", "# Home\n"),
            (
                "content/c1/README.md",
                "# One\n\n💡 **Learning Resources**:\n- [A](https://a.example/)\n",
            ),
        ]);
        let rendered = Rendered::load(dir.path(), &LoadOptions::default()).unwrap();
        let theme = Theme::load(&rendered.workshop).unwrap();
        let layout = Layout::new(&rendered, &theme, &BuildOptions::default());
        let mut written: Vec<String> = workshop_pages(&rendered, &layout)
            .unwrap()
            .0
            .iter()
            .map(|f| crate::diag::display_path(&f.path))
            .collect();
        let mut named = workshop_page_paths();
        written.sort();
        named.sort();
        assert_eq!(written, named);
    }
}
