//! Markdown to HTML, GitHub-flavoured: the second stage of the pipeline.
//!
//! Each page is parsed once. That one pass produces the page's HTML (links
//! rewritten by [`links`], headings with GitHub ids, code highlighted,
//! alerts as call-outs, in the markup of [`markup`]; the place of each check
//! widget, which the theme draws) and everything later stages need from the source:
//! headings, links with their line and column, anchors, prose text, labelled
//! sections, `verify` blocks and plain text for search. `check`, `verify` and the
//! site writer read this [`Document`]; none of them parses Markdown again.

pub mod autolink;
pub mod emoji;
pub mod fragments;
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

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::markdown::links::{Resolved, Resolver};
use crate::workshop::{Page, Workshop};
pub use highlight::Highlighter;
pub use render::markup;
pub use rendered::{LinkedExtras, Rendered};
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
    /// Where the links to an id of a page (`#setup`, `other.md#setup`) hold their
    /// fragment in `html`, in order: see [`fragments`].
    pub fragment_refs: Vec<fragments::FragmentRef>,
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

/// Renders one page's Markdown; without a highlighter code blocks stay escaped
/// text, for front ends that never show the HTML (`check`).
pub fn render_page(
    page: &Page,
    resolver: &Resolver,
    highlighter: Option<&Highlighter>,
) -> Document {
    alone(renderer(page, resolver, highlighter.is_some()), highlighter)
}

/// A page rendered on its own: its code highlighted as soon as it is parsed. Its
/// fragment links are as written until [`Rendered::replace_document`] (or
/// [`fragments::fixes`]) matches them with the pages they point at.
fn alone(renderer: render::Renderer, highlighter: Option<&Highlighter>) -> Document {
    let (mut doc, code) = renderer.run();
    let Some(h) = highlighter else {
        return doc;
    };
    let parts: Vec<Arc<str>> = code.iter().map(|c| h.highlight(&c.text, &c.lang)).collect();
    let edits = code_edits(&code, &parts);
    splice(&mut doc, edits);
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
    highlighter: &Highlighter,
) -> Document {
    alone(
        render::Renderer::new(body, line_offset, source, output, resolver),
        Some(highlighter),
    )
}

/// Renders every page of a workshop, in parallel; documents are in page order.
///
/// Code is highlighted after every page is parsed, each distinct block once, in
/// order of language: a thread then keeps using one syntax's regexes, which stay
/// in its core's caches. Highlighting the same blocks with languages interleaved,
/// as pages mix them, takes about a quarter longer.
///
/// Fragment links are matched with the ids of the pages they point at then too,
/// every page's ids being known: a link whose fragment names an id in another form
/// than the id's own (`#Setup` for `setup`) is rewritten in the same pass that puts
/// the highlighted code in place, so a page's HTML is copied once at most.
pub fn render_workshop(
    ws: &Workshop,
    resolver: &Resolver,
    highlighter: Option<&Highlighter>,
) -> Vec<Document> {
    let (mut docs, code): (Vec<Document>, Vec<Vec<render::PendingCode>>) = ws
        .pages
        .par_iter()
        .map(|p| renderer(p, resolver, highlighter.is_some()).run())
        .unzip();
    // Without a highlighter the HTML is never shown (`check`, `verify`): the links
    // were judged as written, nothing waits to be filled in.
    let Some(highlighter) = highlighter else {
        return docs;
    };
    let mut blocks: Vec<(&str, &str)> = code
        .iter()
        .flat_map(|code| code.iter().map(|c| (c.lang.as_str(), c.text.as_str())))
        .collect();
    blocks.par_sort_unstable();
    blocks.dedup();
    let highlighted: Vec<Arc<str>> = blocks
        .par_iter()
        .map(|&(lang, text)| highlighter.highlight(text, lang))
        .collect();
    let fixes: Vec<Vec<(Range<usize>, String)>> = (0..docs.len())
        .into_par_iter()
        .map(|i| fragments::fixes(&docs, i))
        .collect();
    docs.par_iter_mut()
        .zip(&code)
        .zip(&fixes)
        .for_each(|((doc, code), fixes)| {
            let parts: Vec<&str> = code
                .iter()
                .map(|c| {
                    let block = (c.lang.as_str(), c.text.as_str());
                    let i = blocks
                        .binary_search(&block)
                        .expect("every block was highlighted");
                    &*highlighted[i]
                })
                .collect();
            let mut edits = code_edits(code, &parts);
            edits.extend(fixes.iter().map(|(at, id)| (at.clone(), id.as_str())));
            splice(doc, edits);
        });
    docs
}

/// Each pending code block's highlighted HTML (`parts`, in the same order), as an
/// insertion into its page's HTML.
fn code_edits<'p, S: AsRef<str>>(
    code: &[render::PendingCode],
    parts: &'p [S],
) -> Vec<(Range<usize>, &'p str)> {
    code.iter()
        .zip(parts)
        .map(|(c, part)| (c.at..c.at, part.as_ref()))
        .collect()
}

/// Replaces byte ranges of a page's HTML (an empty range inserts), ranges apart from
/// each other, and moves the page's [`Document::fragment_refs`] with the bytes they
/// stand on (a ref whose bytes are replaced now covers what replaced them).
pub(crate) fn splice(doc: &mut Document, mut edits: Vec<(Range<usize>, &str)>) {
    if edits.is_empty() {
        return;
    }
    edits.sort_by_key(|(at, _)| at.start);
    let extra: usize = edits.iter().map(|(_, text)| text.len()).sum();
    let mut html = String::with_capacity(doc.html.len() + extra);
    let mut from = 0;
    for (at, text) in &edits {
        html.push_str(&doc.html[from..at.start]);
        html.push_str(text);
        from = at.end;
    }
    html.push_str(&doc.html[from..]);
    doc.html = html;
    // Where each old byte went: shifted by what the edits before it added or removed.
    let mut shift = 0isize;
    let mut next = edits.iter().peekable();
    let moved = |at: usize, shift: isize| at.checked_add_signed(shift).expect("within the HTML");
    for r in &mut doc.fragment_refs {
        while let Some((at, text)) = next.next_if(|(at, _)| at.end <= r.at.start && *at != r.at) {
            shift += text.len() as isize - at.len() as isize;
        }
        match next.next_if(|(at, _)| *at == r.at) {
            Some((at, text)) => {
                let start = moved(r.at.start, shift);
                r.at = start..start + text.len();
                shift += text.len() as isize - at.len() as isize;
            }
            None => r.at = moved(r.at.start, shift)..moved(r.at.end, shift),
        }
    }
    // Check widgets' places are insertion points: each moves by what the edits
    // before it (code put in place, fragments rewritten) added or removed.
    for at in doc
        .verify_blocks
        .iter_mut()
        .filter_map(|b| b.widget_at.as_mut())
    {
        let moved: isize = edits
            .iter()
            .filter(|(range, _)| range.end <= *at)
            .map(|(range, text)| text.len() as isize - range.len() as isize)
            .sum();
        *at = at.checked_add_signed(moved).expect("within the HTML");
    }
}
