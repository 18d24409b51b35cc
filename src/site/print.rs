//! The print view, `print.html`: the whole workshop on one page, in reading
//! order, for reading offline or printing to PDF.
//!
//! Each page becomes a `<section id="ANCHOR">` (the anchor made from the page's
//! key). Ids inside a page are prefixed with its anchor (`ANCHOR--task-1`), so
//! they stay unique on the one page, and URLs are rewritten for a page at the
//! site root: a link to another page becomes `#ANCHOR` or `#ANCHOR--heading`, a
//! link to an image or file is made relative to the root. Code blocks hold no
//! links or ids and are copied as they are.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::theme::Theme;
use super::{widget, Rendered};
use crate::diag::{display_path, Diagnostic};
use crate::markdown::fragments::{self, FragmentMatch};
use crate::markdown::html::rewrite_attrs;
use crate::markdown::markup;
use crate::urlpath::{decode, encode_fragment, encode_path, normalize_within};

/// Where the print view is written.
pub const PRINT_PAGE: &str = "print.html";

/// One page of the workshop in the print view, as its template sees it.
#[derive(Debug, Clone, Serialize)]
pub struct PrintChapter {
    pub anchor: String,
    pub title: String,
    /// A marker that [`Printer::splice`] replaces by the page's rewritten HTML: the
    /// whole workshop's HTML never goes through the template engine, which would copy
    /// it several times over (for 1,000 chapters that is 40 MB a copy).
    pub content: String,
    /// Whether the content has its own H1 (else the template shows the title as one).
    pub has_h1: bool,
}

/// What the print view's template gets beside the usual context.
#[derive(Serialize)]
pub struct PrintContext<'a> {
    pub chapters: &'a [PrintChapter],
}

/// Pages spliced into the print view at once: enough for both cores, few enough
/// that only a small part of the workshop is held twice.
const BATCH: usize = 32;

/// Builds the print view of a rendered workshop.
pub struct Printer<'a> {
    rendered: &'a Rendered,
    /// Draws the pages' check widgets.
    theme: &'a Theme,
    anchors: Vec<String>,
    /// Page index by output path.
    pages: HashMap<&'a Path, usize>,
}

fn marker(i: usize) -> String {
    format!("<!--labsite-print-chapter:{i}-->")
}

impl<'a> Printer<'a> {
    pub fn new(rendered: &'a Rendered, theme: &'a Theme) -> Self {
        let ws = &rendered.workshop;
        Printer {
            rendered,
            theme,
            anchors: page_anchors(ws.pages.iter().map(|p| p.key.as_str())),
            pages: ws
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.output.as_path(), i))
                .collect(),
        }
    }

    /// Every page for the template, in reading order; `titles` are the final page titles.
    pub fn chapters(&self, titles: &[String]) -> Vec<PrintChapter> {
        (0..self.anchors.len())
            .map(|i| PrintChapter {
                anchor: self.anchors[i].clone(),
                title: titles[i].clone(),
                content: marker(i),
                has_h1: self.rendered.documents[i].html.contains(markup::H1_OPEN),
            })
            .collect()
    }

    /// The print view: the template's output with each page's marker replaced by
    /// the page's HTML, ids and URLs rewritten for the one page.
    pub fn splice(&self, frame: &str) -> Result<String, Diagnostic> {
        let map = UrlMap {
            anchors: &self.anchors,
            pages: &self.pages,
            rendered: self.rendered,
        };
        let docs = &self.rendered.documents;
        // Room for the ids and URLs rewritten, and for the check widgets.
        let total: usize = docs
            .iter()
            .map(|d| d.html.len() + d.html.len() / 16 + widget::SIZE_HINT * d.verify_blocks.len())
            .sum();
        let mut out = String::with_capacity(frame.len() + total);
        let mut rest = frame;
        let mut next = 0;
        while next < docs.len() {
            let batch: Vec<usize> = (next..(next + BATCH).min(docs.len())).collect();
            let htmls: Vec<String> = batch
                .par_iter()
                .map(|&i| {
                    let key = &self.rendered.workshop.pages[i].key;
                    widget::fill(self.theme, key, &docs[i]).map(|html| map.rewrite(i, &html))
                })
                .collect::<Result<_, _>>()?;
            for (i, html) in batch.into_iter().zip(htmls) {
                let m = marker(i);
                if let Some(at) = rest.find(&m) {
                    out.push_str(&rest[..at]);
                    out.push_str(&html);
                    rest = &rest[at + m.len()..];
                }
            }
            next += BATCH;
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// Whether a tag may have an attribute the print view rewrites: an `id`, a `name`,
/// a `src`, or an `href` without a scheme. A quick look, most tags being the
/// spans of highlighted code; [`rewrite_attrs`] reads the tags it lets through.
fn may_rewrite(tag: &str) -> bool {
    if tag.starts_with("</") {
        return false;
    }
    memchr::memchr_iter(b'=', tag.as_bytes()).any(|eq| {
        let before = tag[..eq].trim_end();
        let name_start = before
            .rfind(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '/' | '<'))
            .map_or(0, |i| i + 1);
        let name = &before[name_start..];
        if name.eq_ignore_ascii_case("href") {
            // Links to other sites, most of them, stay as they are (see `url`).
            !has_scheme(tag[eq + 1..].trim_start().trim_start_matches(['"', '\'']))
        } else {
            ["id", "name", "src"]
                .iter()
                .any(|a| name.eq_ignore_ascii_case(a))
        }
    })
}

/// One id per page, from its key (`chapter-3`, `part-1-intro`, `index`), unique.
fn page_anchors<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut used = HashSet::new();
    keys.map(|key| {
        let base: String = key
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let base = base.trim_matches('-');
        let base = if base.is_empty() { "page" } else { base };
        let mut anchor = base.to_string();
        let mut n = 1;
        while !used.insert(anchor.clone()) {
            anchor = format!("{base}-{n}");
            n += 1;
        }
        anchor
    })
    .collect()
}

struct UrlMap<'a> {
    anchors: &'a [String],
    /// Page index by output path.
    pages: &'a HashMap<&'a Path, usize>,
    rendered: &'a Rendered,
}

impl UrlMap<'_> {
    /// Page `page`'s HTML with its ids prefixed and its URLs made right for the print view.
    fn rewrite(&self, page: usize, html: &str) -> String {
        // Code blocks are most of a page's bytes: memmem's vectorised search skips them.
        let code_start = memchr::memmem::Finder::new(markup::CODE_BLOCK_OPEN);
        let code_end = memchr::memmem::Finder::new(markup::CODE_BLOCK_END);
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut rest = html;
        while let Some(start) = code_start.find(rest.as_bytes()) {
            let end = code_end
                .find(&rest.as_bytes()[start..])
                .map_or(rest.len(), |e| start + e + markup::CODE_BLOCK_END.len());
            self.rewrite_markup(page, &rest[..start], &mut out);
            out.push_str(&rest[start..end]);
            rest = &rest[end..];
        }
        self.rewrite_markup(page, rest, &mut out);
        out
    }

    /// Rewrites the tags of `html` that carry an id or a URL; the rest (most tags,
    /// all text) is copied as it is.
    fn rewrite_markup(&self, page: usize, html: &str, out: &mut String) {
        let anchor = &self.anchors[page];
        let mut copied = 0;
        let mut pos = 0;
        // Most of the markup is short tags without attributes: memchr finds the
        // next `<` and `>` several times faster than `str::find` does.
        let bytes = html.as_bytes();
        while let Some(lt) = memchr::memchr(b'<', &bytes[pos..]) {
            let start = pos + lt;
            let Some(gt) = memchr::memchr(b'>', &bytes[start..]) else {
                break;
            };
            let end = start + gt + 1;
            let tag = &html[start..end];
            pos = end;
            if !may_rewrite(tag) {
                continue;
            }
            out.push_str(&html[copied..start]);
            out.push_str(&rewrite_attrs(tag, |tag, attr| match attr.name.as_str() {
                "id" => Some(format!("{anchor}--{}", attr.value)),
                "name" if tag.name == "a" => Some(format!("{anchor}--{}", attr.value)),
                "href" | "src" => self.url(page, &attr.value),
                _ => None,
            }));
            copied = end;
        }
        out.push_str(&html[copied..]);
    }

    /// The print view's URL for `url` as written in page `page`, if it changes.
    fn url(&self, page: usize, url: &str) -> Option<String> {
        if let Some(fragment) = url.strip_prefix('#') {
            return (!fragment.is_empty()).then(|| self.fragment(page, fragment));
        }
        if url.starts_with('/') || url.starts_with("//") || has_scheme(url) {
            return None;
        }
        let split = url.find(['?', '#']).unwrap_or(url.len());
        let (path, rest) = url.split_at(split);
        if path.is_empty() {
            // `[previous lab]()` or `?x`: the page itself, which is its section here.
            return Some(match rest.split_once('#') {
                Some((_, fragment)) if !fragment.is_empty() => self.fragment(page, fragment),
                _ => format!("#{}", self.anchors[page]),
            });
        }
        let from = &self.rendered.workshop.pages[page].output;
        let target = normalize_within(&from.parent().unwrap_or(Path::new("")).join(decode(path)))?;
        if let Some(&to) = self.pages.get(target.as_path()) {
            return Some(match rest.split_once('#') {
                Some((_, fragment)) if !fragment.is_empty() => self.fragment(to, fragment),
                _ => format!("#{}", self.anchors[to]),
            });
        }
        let mut rooted = encode_path(&display_path(&target));
        if path.ends_with('/') && !rooted.is_empty() {
            rooted.push('/');
        }
        rooted.push_str(rest);
        Some(rooted)
    }

    /// `#fragment` of page `page` in the print view: the id it names, as
    /// [`fragments::resolve`] finds it for the checker and the pages, prefixed as
    /// ids are there. `#top` is the page's own section; a text fragment searches
    /// from there; a fragment naming nothing stays broken, as the checker says.
    fn fragment(&self, page: usize, fragment: &str) -> String {
        let anchor = &self.anchors[page];
        let wanted = decode(fragment);
        match fragments::resolve(&self.rendered.documents[page].anchors, &wanted) {
            FragmentMatch::Id(id) => format!("#{anchor}--{}", encode_fragment(id)),
            FragmentMatch::Anywhere if wanted.starts_with(":~:") => format!("#{anchor}{fragment}"),
            FragmentMatch::Anywhere => format!("#{anchor}"),
            FragmentMatch::Missing => format!("#{anchor}--{}", encode_fragment(&wanted)),
        }
    }
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(s, _)| {
        s.len() > 1
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::LoadOptions;

    #[test]
    fn anchors_are_unique_ids() {
        let keys = [
            "index",
            "chapter-1",
            "c1/extra notes",
            "c1-extra-notes",
            "...",
        ];
        assert_eq!(
            page_anchors(keys.into_iter()),
            vec![
                "index",
                "chapter-1",
                "c1-extra-notes",
                "c1-extra-notes-1",
                "page"
            ]
        );
    }

    #[test]
    fn only_tags_with_something_to_rewrite_are_read() {
        for tag in [
            "<h2 id=\"task-1\">",
            "<a href=\"../chapter-2/README.md\">",
            "<a class=\"anchor\" href=\"#x\">",
            "<img alt=\"a=b\" src=images/x.png>",
            "<a NAME='top'>",
            "<div ID = \"raw\">",
            "<a href=\"http-notes/a.html\">",
        ] {
            assert!(may_rewrite(tag), "{tag}");
        }
        for tag in [
            "</a>",
            "<span class=\"hl-l3 hl-d5\">",
            "<a href=\"https://example.com/#id=1\">",
            "<a href='http://example.com'>",
            "<a href=\"mailto:lab@example.com\">",
            "<div data-id=\"x\" aria-hidden=\"true\">",
            "<p>",
        ] {
            assert!(!may_rewrite(tag), "{tag}");
        }
    }

    #[test]
    fn links_between_pages_point_inside_the_print_view() {
        let dir = tempfile::tempdir().unwrap();
        for (f, text) in [
            ("README.md", "# Home\n\nStart with [chapter 1](chapter-1/README.md).\n"),
            (
                "chapter-1/README.md",
                "# One\n\n## Task 1\n\nSee [below](#task-1), [two](../chapter-2/README.md#Task-2), \
                 [two](../chapter-2/), [a file](data/x.json), [docs](https://example.com/a#b)[^n].\n\n\
                 ![diagram](images/d%20x.png)\n\n<a href=\"../chapter-2/README.md\" id=\"raw\">raw</a>\n\n\
                 ```html\n<a href=\"#task-1\" id=\"x\">in code</a>\n```\n\n[^n]: A note.\n",
            ),
            ("chapter-1/images/d x.png", ""),
            ("chapter-1/data/x.json", "{}"),
            ("chapter-2/README.md", "# Two\n\n## Task 2\n"),
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let r = Rendered::load(dir.path(), &LoadOptions::default()).unwrap();
        let theme = Theme::builtin().unwrap();
        let printer = Printer::new(&r, &theme);
        let chapters = printer.chapters(&r.titles());
        let anchors: Vec<&str> = chapters.iter().map(|c| c.anchor.as_str()).collect();
        assert_eq!(anchors, vec!["index", "chapter-1", "chapter-2"]);
        let content: Vec<String> = chapters
            .iter()
            .map(|c| {
                printer
                    .splice(&format!("<section>{}</section>", c.content))
                    .unwrap()
            })
            .collect();
        assert!(content[0].contains("href=\"#chapter-1\""));
        let whole = printer
            .splice(&format!(
                "<p>{}|{}|{}</p>",
                chapters[0].content, chapters[1].content, chapters[2].content
            ))
            .unwrap();
        assert!(
            whole.starts_with("<p>")
                && whole.ends_with("</p>")
                && !whole.contains("labsite-print-chapter")
        );
        assert_eq!(whole.matches('|').count(), 2, "each page once, in order");
        let one = &content[1];
        for want in [
            "id=\"chapter-1--task-1\"",
            "href=\"#chapter-1--task-1\"",
            "href=\"#chapter-2--task-2\"",
            "href=\"#chapter-2\"",
            "href=\"chapter-1/data/x.json\"",
            "href=\"https://example.com/a#b\"",
            "src=\"chapter-1/images/d%20x.png\"",
            "id=\"chapter-1--raw\"",
            "<a href=\"#chapter-2\" id=\"chapter-1--raw\">",
            "\">#task-1</span>",
        ] {
            assert!(one.contains(want), "{want} in {one}");
        }
        let ids = crate::markdown::html::tags(one)
            .into_iter()
            .flat_map(|t| t.attrs)
            .filter(|a| a.name == "id")
            .map(|a| a.value)
            .collect::<Vec<_>>();
        assert!(
            ids.iter().all(|id| id.starts_with("chapter-1--")),
            "{ids:?}"
        );
        assert!(
            ids.contains(&"chapter-1--n".to_string()),
            "footnotes: {ids:?}"
        );
        assert!(chapters[1].has_h1);
    }

    #[test]
    fn fragments_name_the_ids_of_the_print_view() {
        let dir = crate::testing::tree(&[
            (
                "README.md",
                "# Home

## Über uns

[a](#SETUP) [b](chapter-1/README.md#user-content-Task-1) \
                 [c](#%C3%9Cber-Uns) [d](#Top) [e](chapter-1/README.md#top) [f](#:~:text=Home) \
                 [g](chapter-1/README.md#nope) <a href=\"chapter-1/README.md#TASK-1\">h</a>

\
                 <a name=\"Setup\"></a>
",
            ),
            (
                "chapter-1/README.md",
                "# One

## Task 1
",
            ),
        ]);
        let r = Rendered::load(dir.path(), &LoadOptions::default()).unwrap();
        let theme = Theme::load(&r.workshop).unwrap();
        let printer = Printer::new(&r, &theme);
        let chapters = printer.chapters(&r.titles());
        let home = printer.splice(&chapters[0].content).unwrap();
        let hrefs: Vec<String> = crate::markdown::html::tags(&home)
            .into_iter()
            .filter(|t| t.attr("class").is_none())
            .filter_map(|t| t.attr("href").map(|a| a.value.clone()))
            .collect();
        assert_eq!(
            hrefs,
            [
                "#index--Setup",
                "#chapter-1--task-1",
                "#index--%C3%BCber-uns",
                "#index",
                "#chapter-1",
                "#index:~:text=Home",
                "#chapter-1--nope",
                "#chapter-1--task-1",
            ],
            "{home}"
        );
        assert!(home.contains("name=\"index--Setup\""), "{home}");
    }
}
