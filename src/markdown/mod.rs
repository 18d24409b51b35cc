//! Markdown to HTML, GitHub-flavoured: the second stage of the pipeline.
//!
//! Each page is parsed once. That one pass produces the page's HTML (links
//! rewritten by [`crate::links`], headings with GitHub ids, code highlighted,
//! alerts as call-outs, in the markup of [`markup`]; the place of each check
//! widget, which the theme draws) and everything later stages need from the source:
//! headings, links with their line and column, anchors, prose text, labelled
//! sections, `verify` blocks and plain text for search. `check`, `verify` and the
//! site writer read this [`Document`]; none of them parses Markdown again.

pub mod autolink;
pub mod emoji;
pub mod highlight;
pub mod html;
pub mod links;
mod palette;
mod render;
mod rendered;
pub mod sections;
pub mod slug;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::markdown::links::{Resolved, Resolver};
use crate::workshop::{Page, Workshop};
pub use render::markup;
pub use rendered::Rendered;
pub use sections::SectionKind;

/// What one parse of a page yields.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The body HTML.
    pub html: String,
    /// Text of the first level-1 heading.
    pub title: Option<String>,
    /// Text of the first paragraph, for descriptions.
    pub summary: Option<String>,
    pub headings: Vec<Heading>,
    /// Every id a `#fragment` can point at: headings, raw HTML `id`/`name`, footnotes.
    pub anchors: Vec<String>,
    pub links: Vec<Link>,
    /// Prose text (not code) with its position, for content rules.
    pub texts: Vec<TextRun>,
    pub sections: Vec<Section>,
    pub verify_blocks: Vec<VerifyBlock>,
    /// Plain text by heading section, for the search index: `[0]` is what stands
    /// before the first heading, `[i + 1]` what stands under `headings[i]` (prose and
    /// code, blocks separated by a space; no markup, raw HTML or `verify` blocks).
    pub plain: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    pub line: usize,
}

/// How a link was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](url)`, reference-style, or `<url>`.
    Link,
    /// `![alt](src)`.
    Image,
    /// A bare URL in text.
    Autolink,
    /// An attribute of raw HTML (`<a href>`, `<img src>`).
    Html { tag: String, attr: String },
}

/// A link or image as written, with where it points.
#[derive(Debug, Clone)]
pub struct Link {
    pub kind: LinkKind,
    /// The destination as written.
    pub dest: String,
    /// Link text, or alt text for images.
    pub text: String,
    pub line: usize,
    pub column: usize,
    pub resolved: Resolved,
    /// Index into `Document::sections` of the Learning Resources list holding this link.
    pub section: Option<usize>,
}

/// Prose text at a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRun {
    pub text: String,
    pub line: usize,
    pub column: usize,
}

/// A "Learning Resources" or "Success Criteria" section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    pub line: usize,
    /// Whether the section is a heading (else a bold label paragraph).
    pub is_heading: bool,
    /// The heading this section is, or stands under (index into `headings`).
    pub heading: Option<usize>,
    /// Links of the section (indices into `links`).
    pub links: Vec<usize>,
}

/// A fenced ```` ```verify ```` block, its YAML read but not yet checked.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyBlock {
    /// The YAML inside the fence.
    pub body: String,
    /// That YAML read, or why it cannot be.
    pub snippet:
        Result<crate::workshop::verify_block::Snippet, crate::workshop::verify_block::YamlError>,
    /// Line of the opening fence.
    pub line: usize,
    /// The task-list item this block follows, if any.
    pub task: Option<TaskItem>,
    /// The heading this block stands under (index into `headings`).
    pub heading: Option<usize>,
    /// Where the block's check widget goes in [`Document::html`]: the byte offset of
    /// the [`markup::WIDGET_PLACE`] that the widget replaces. The theme draws the
    /// widget (`crate::site::widget`): Markdown is rendered before, and apart from,
    /// the theme. `None` when the YAML does not parse: the block shows as code.
    pub widget_at: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskItem {
    pub text: String,
    pub line: usize,
    pub checked: bool,
}

/// Renders one page's Markdown.
pub fn render_page(page: &Page, resolver: &Resolver) -> Document {
    render_page_with(page, resolver, true)
}

/// Renders one page; `highlight: false` leaves code blocks as escaped text, for
/// front ends that never show the HTML (`check`).
pub fn render_page_with(page: &Page, resolver: &Resolver, highlight: bool) -> Document {
    alone(renderer(page, resolver, highlight))
}

/// A page rendered on its own: its code highlighted as soon as it is parsed.
fn alone(renderer: render::Renderer) -> Document {
    let (mut doc, code) = renderer.run();
    fill_code(&mut doc, &code, |c| {
        highlight::highlight_shared(&c.text, &c.lang)
    });
    doc
}

fn renderer<'a>(page: &'a Page, resolver: &'a Resolver, highlight: bool) -> render::Renderer<'a> {
    render::Renderer::new(
        &page.body,
        page.body_line_offset,
        &page.source,
        &page.output,
        resolver,
    )
    .highlight(highlight)
}

/// Renders Markdown `body` of the page at `source` (relative to the content folder),
/// built to `output`; `line_offset` lines precede the body in its file.
pub fn render(
    body: &str,
    line_offset: usize,
    source: &Path,
    output: &Path,
    resolver: &Resolver,
) -> Document {
    alone(render::Renderer::new(
        body,
        line_offset,
        source,
        output,
        resolver,
    ))
}

/// Renders every page of a workshop, in parallel; documents are in page order.
///
/// Code is highlighted after every page is parsed, each distinct block once, in
/// order of language: a thread then keeps using one syntax's regexes, which stay
/// in its core's caches. Highlighting the same blocks with languages interleaved,
/// as pages mix them, takes about a quarter longer.
pub fn render_workshop(ws: &Workshop, resolver: &Resolver, highlight: bool) -> Vec<Document> {
    let (mut docs, code): (Vec<Document>, Vec<Vec<render::PendingCode>>) = ws
        .pages
        .par_iter()
        .map(|p| renderer(p, resolver, highlight).run())
        .unzip();
    let mut blocks: Vec<(&str, &str)> = code
        .iter()
        .flat_map(|code| code.iter().map(|c| (c.lang.as_str(), c.text.as_str())))
        .collect();
    blocks.par_sort_unstable();
    blocks.dedup();
    let highlighted: Vec<Arc<str>> = blocks
        .par_iter()
        .map(|&(lang, text)| highlight::highlight_shared(text, lang))
        .collect();
    docs.par_iter_mut().zip(&code).for_each(|(doc, code)| {
        fill_code(doc, code, |c| {
            let block = (c.lang.as_str(), c.text.as_str());
            let i = blocks
                .binary_search(&block)
                .expect("every block was highlighted");
            &*highlighted[i]
        });
    });
    docs
}

/// Puts each pending code block's highlighted HTML in its place in the page's HTML,
/// and moves the places of the check widgets after it along.
fn fill_code<S: AsRef<str>>(
    doc: &mut Document,
    code: &[render::PendingCode],
    highlighted: impl Fn(&render::PendingCode) -> S,
) {
    if code.is_empty() {
        return;
    }
    let parts: Vec<S> = code.iter().map(highlighted).collect();
    let extra: usize = parts.iter().map(|p| p.as_ref().len()).sum();
    let mut html = String::with_capacity(doc.html.len() + extra);
    let mut from = 0;
    for (c, part) in code.iter().zip(&parts) {
        html.push_str(&doc.html[from..c.at]);
        html.push_str(part.as_ref());
        from = c.at;
    }
    html.push_str(&doc.html[from..]);
    doc.html = html;
    // Both in page order: each widget moves by the code put before it.
    let mut inserted = 0;
    let mut next = code.iter().zip(&parts).peekable();
    for at in doc
        .verify_blocks
        .iter_mut()
        .filter_map(|b| b.widget_at.as_mut())
    {
        while let Some((_, part)) = next.next_if(|(c, _)| c.at <= *at) {
            inserted += part.as_ref().len();
        }
        *at += inserted;
    }
}
