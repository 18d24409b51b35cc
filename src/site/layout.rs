//! Laying pages out with the theme: the template context of each page (site,
//! page, navigation) and its rendering. One page can be laid out alone, which
//! is what the preview server does after a save. The theme's own pages (print
//! view, resources, 404) get the same context around their own values.

use std::path::Path;

use serde::Serialize;

use super::nav::{Navigation, PageNav};
use super::output::OutputFile;
use super::resources::{self, Resource};
use super::sitemap::absolute_url;
use super::theme::Theme;
use super::widget;
use super::{BuildOptions, Rendered};
use crate::diag::{display_path, Diagnostic};
use crate::urlpath::{relative_url, root_prefix, site_path};

#[derive(Debug, Clone, Serialize)]
struct SiteContext {
    title: String,
    description: String,
    language: String,
    base_url: String,
}

#[derive(Serialize)]
struct ChapterContext {
    /// The author's word for the page's unit: "Challenge", "Lab", "Chapter".
    noun: String,
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
    /// The page's absolute URL, when the site's base URL is absolute.
    canonical_url: String,
    /// The links of the page's Learning Resources sections.
    resources: Vec<Resource>,
}

impl<'a> PageContext<'a> {
    /// The context of a page that is not a workshop page (404, print view, resources).
    fn generated(title: &'a str, url: &str, key: &'a str) -> Self {
        PageContext {
            title,
            content: "",
            description: String::new(),
            is_landing: false,
            edit_url: String::new(),
            chapter: None,
            toc: Vec::new(),
            url: url.to_string(),
            key,
            canonical_url: String::new(),
            resources: Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct TemplateContext<'a> {
    site: &'a SiteContext,
    root: String,
    home_url: String,
    page: PageContext<'a>,
    #[serde(flatten)]
    nav: PageNav,
}

/// Everything pages share when laid out: titles, navigation, the site's context.
pub struct Layout<'a> {
    rendered: &'a Rendered,
    theme: &'a Theme,
    /// Final page titles, in page order.
    pub titles: Vec<String>,
    navigation: Navigation,
    site: SiteContext,
}

impl<'a> Layout<'a> {
    pub fn new(rendered: &'a Rendered, theme: &'a Theme, opts: &BuildOptions) -> Self {
        let ws = &rendered.workshop;
        let titles = rendered.titles();
        let title = ws
            .config
            .title
            .clone()
            .or_else(|| ws.tree.page.map(|i| titles[i].clone()))
            .unwrap_or_else(|| display_path(Path::new(ws.root.file_name().unwrap_or_default())));
        let base_url = opts
            .base_url
            .clone()
            .or_else(|| ws.config.base_url.clone())
            .map(|u| format!("{}/", u.trim_end_matches('/')))
            .unwrap_or_default();
        Layout {
            rendered,
            theme,
            navigation: Navigation::new(ws),
            titles,
            site: SiteContext {
                title,
                description: ws.config.description.clone().unwrap_or_default(),
                language: ws.config.language.clone().unwrap_or_else(|| "en".into()),
                base_url,
            },
        }
    }

    /// The theme pages are laid out with.
    pub fn theme(&self) -> &'a Theme {
        self.theme
    }

    /// The site's base URL, ending in `/`, or empty.
    pub fn base_url(&self) -> &str {
        &self.site.base_url
    }

    /// The HTML file of page `i`.
    pub fn page(&self, i: usize) -> Result<OutputFile, Diagnostic> {
        let ws = &self.rendered.workshop;
        let page = &ws.pages[i];
        let doc = &self.rendered.documents[i];
        let content = widget::fill(self.theme, &page.key, doc)?;
        let landing = ws.tree.page;
        let ctx = TemplateContext {
            site: &self.site,
            root: root_prefix(&page.output),
            home_url: landing.map_or_else(String::new, |l| {
                relative_url(&page.output, &ws.pages[l].output)
            }),
            page: PageContext {
                title: &self.titles[i],
                content: &content,
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
                chapter: ws.reading.progress[i].as_ref().map(|p| ChapterContext {
                    noun: p.noun.clone(),
                    index: p.index,
                    count: p.count,
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
                url: site_path(&page.output),
                key: &page.key,
                canonical_url: absolute_url(&self.site.base_url, &page.output).unwrap_or_default(),
                resources: resources::of_page(self.rendered, i, &page.output),
            },
            nav: self.navigation.for_page(ws, &self.titles, i),
        };
        let html = self.render("page.html", &ctx, &ws.display_source(&page.source))?;
        Ok(OutputFile::bytes(page.output.clone(), html))
    }

    /// `404.html`, if the theme has the template. Hosts serve it at whatever path was
    /// missing, so relative URLs would break: with a known base URL it links from the
    /// site's absolute path instead.
    pub fn not_found(&self) -> Option<Result<OutputFile, Diagnostic>> {
        if !self.theme.has_template("404.html") {
            return None;
        }
        let root = url_path(&self.site.base_url);
        let ctx = TemplateContext {
            site: &self.site,
            nav: self.root_nav(&root),
            root,
            home_url: String::new(),
            page: PageContext::generated("Page not found", "404.html", "404"),
        };
        Some(
            self.render("404.html", &ctx, Path::new("404.html"))
                .map(|html| OutputFile::bytes("404.html", html)),
        )
    }

    /// A page of the theme's own at the site root (`print.html`, `resources.html`),
    /// if the theme has its template: the usual context with `extra`'s fields beside it.
    pub fn generated(
        &self,
        template: &str,
        title: &str,
        extra: &impl Serialize,
    ) -> Option<Result<OutputFile, Diagnostic>> {
        self.generated_at(template, Path::new(template), title, extra)
    }

    /// The contents of a workshop without a landing page, as its `index.html`.
    pub fn contents_page(&self) -> Option<Result<OutputFile, Diagnostic>> {
        let items = self.navigation.contents(&self.titles);
        let title = self.site.title.clone();
        let context = serde_json::json!({ "contents": items });
        self.generated_at("contents.html", Path::new("index.html"), &title, &context)
    }

    /// A page of the theme's own written at `output` (a folder's listing), with
    /// `template`, if the theme has it.
    pub fn generated_at(
        &self,
        template: &str,
        output: &Path,
        title: &str,
        extra: &impl Serialize,
    ) -> Option<Result<OutputFile, Diagnostic>> {
        if !self.theme.has_template(template) {
            return None;
        }
        let key = template.trim_end_matches(".html");
        let url = site_path(output);
        let mut page = PageContext::generated(title, &url, key);
        page.canonical_url = absolute_url(&self.site.base_url, output).unwrap_or_default();
        let root = root_prefix(output);
        let ctx = TemplateContext {
            site: &self.site,
            root: root.clone(),
            home_url: self
                .rendered
                .workshop
                .tree
                .page
                .map_or_else(String::new, |l| {
                    relative_url(output, &self.rendered.workshop.pages[l].output)
                }),
            page,
            nav: self.root_nav(&root),
        };
        let rendered = tera::Context::from_serialize(ctx)
            .and_then(|mut c| {
                c.extend(tera::Context::from_serialize(extra)?);
                Ok(c)
            })
            .map_err(|e| {
                Diagnostic::error(
                    output,
                    format!("cannot prepare the page for its template: {e}"),
                )
            })
            .and_then(|context| self.theme.render(template, &context, CHROME_BYTES));
        Some(rendered.map(|html| OutputFile::bytes(output, html)))
    }

    /// The landing page's sidebar, for a page at the root that is none of the
    /// workshop's, with `prefix` before every URL; without a landing page, the
    /// whole contents.
    fn root_nav(&self, prefix: &str) -> PageNav {
        let ws = &self.rendered.workshop;
        let mut nav = match ws.tree.page {
            Some(l) => self.navigation.for_page(ws, &self.titles, l),
            None => PageNav {
                nav: self.navigation.contents(&self.titles),
                ..PageNav::default()
            },
        };
        for item in &mut nav.nav {
            item.current = false;
            if !item.url.is_empty() {
                item.url = format!("{prefix}{}", item.url);
            }
        }
        nav.breadcrumbs.clear();
        nav.prev = None;
        nav.next = None;
        nav.pager_prev = None;
        nav.pager_next = None;
        nav
    }

    fn render(
        &self,
        template: &str,
        ctx: &TemplateContext,
        page: &Path,
    ) -> Result<Vec<u8>, Diagnostic> {
        let context = tera::Context::from_serialize(ctx).map_err(|e| {
            Diagnostic::error(
                page,
                format!("cannot prepare the page for its template: {e}"),
            )
        })?;
        self.theme
            .render(template, &context, ctx.page.content.len() + CHROME_BYTES)
    }
}

/// Room for what a template adds around a page's content (the default theme's header,
/// sidebar and footer come to about 10 KB with a full sidebar).
const CHROME_BYTES: usize = 16 << 10;

/// The path part of a base URL (`https://x.github.io/lab/` → `/lab/`), empty when there is none.
fn url_path(base_url: &str) -> String {
    if base_url.is_empty() {
        return String::new();
    }
    let path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => base_url,
    };
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
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
