//! Inline content of the Markdown pass: text (with bare URLs made links), links
//! and images, and raw HTML whose `href`/`src` are resolved like Markdown links.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::{markup, Renderer};
use crate::markdown::links::Target;
use crate::markdown::sections::{self, classify, SectionKind};
use crate::markdown::{autolink, html, Link, LinkKind, TextRun};

impl<'a> Renderer<'a> {
    pub(super) fn text(&mut self, text: CowStr<'a>, range: Range<usize>) {
        if let Some(code) = &mut self.code {
            code.text.push_str(&text);
            return;
        }
        self.collect_text(&text);
        let (line, column) = self.position(range.start);
        self.doc.texts.push(TextRun {
            // `String::from(&str)`, not `to_string()`, which goes through `Display` for a `CowStr`.
            text: String::from(&*text),
            line,
            column,
        });
        let urls = if self.open_links.is_empty() {
            autolink::find(&text)
        } else {
            Vec::new()
        };
        if urls.is_empty() {
            self.emit_text(text);
            return;
        }
        // The text as written, when it is (no escapes), gives exact positions for each URL.
        let verbatim = self.body.get(range.clone()) == Some(&*text);
        let mut last = 0;
        for url in urls {
            if url.start > last {
                self.emit_text(CowStr::from(text[last..url.start].to_string()));
            }
            let written = &text[url.clone()];
            let dest = if written.to_ascii_lowercase().starts_with("www.") {
                format!("http://{written}")
            } else {
                written.to_string()
            };
            let offset = if verbatim {
                range.start + url.start
            } else {
                range.start
            };
            self.link(LinkKind::Autolink, &dest, offset, LinkType::Autolink);
            let index = self.doc.links.len() - 1;
            self.open_links.pop();
            self.doc.links[index].text = written.to_string();
            self.start_link(
                index,
                Tag::Link {
                    link_type: LinkType::Autolink,
                    dest_url: CowStr::from(dest),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                },
            );
            self.emit(Event::Text(CowStr::from(written.to_string())));
            self.end_link();
            last = url.end;
        }
        if last < text.len() {
            self.emit_text(CowStr::from(text[last..].to_string()));
        }
    }

    /// Records a link or image and returns its rewritten destination, if it changes.
    pub(super) fn link(
        &mut self,
        kind: LinkKind,
        dest: &str,
        offset: usize,
        _type: LinkType,
    ) -> Option<CowStr<'a>> {
        let resolved = self.resolver.resolve(self.source, dest);
        let href = self.resolver.href(self.output, dest, &resolved);
        let (line, column) = self.position(offset);
        let index = self.doc.links.len();
        let is_href = match &kind {
            LinkKind::Image => false,
            LinkKind::Html { attr, .. } => attr == "href",
            LinkKind::Link | LinkKind::Autolink => true,
        };
        if is_href {
            let to_page = matches!(resolved.target, Target::SamePage | Target::Page(_));
            if to_page && resolved.fragment.as_deref().is_some_and(|f| !f.is_empty()) {
                self.next_fragments.push((self.next_hrefs, index));
            }
            self.next_hrefs += 1;
        }
        let section = self
            .resources_list
            .or(self.resources_heading.map(|(s, _)| s));
        if let Some(s) = section {
            self.doc.sections[s].links.push(index);
        }
        self.doc.links.push(Link {
            kind,
            dest: dest.to_string(),
            text: String::new(),
            line,
            column,
            resolved,
            section,
        });
        self.open_links.push(index);
        href.map(CowStr::from)
    }

    /// Emits the start of link `index`: a Learning Resources link to another site
    /// opens in a new tab and names the site after its text.
    pub(super) fn start_link(&mut self, index: usize, tag: Tag<'a>) {
        let link = &self.doc.links[index];
        let in_resources = link.section.is_some()
            || self
                .paragraph
                .as_ref()
                .is_some_and(|p| classify(p.text.trim()) == Some(SectionKind::LearningResources));
        let site = (in_resources && link.resolved.target == Target::External)
            .then(|| sections::site_name(&link.dest))
            .flatten();
        match (site, &tag) {
            (
                Some(site),
                Tag::Link {
                    dest_url, title, ..
                },
            ) => {
                let start = markup::resource_link_start(dest_url, title);
                self.emit(Event::InlineHtml(CowStr::from(start)));
                self.link_ends.push(Some(markup::resource_link_end(&site)));
            }
            _ => {
                self.emit(Event::Start(tag));
                self.link_ends.push(None);
            }
        }
    }

    pub(super) fn end_link(&mut self) {
        match self.link_ends.pop().flatten() {
            Some(end) => self.emit(Event::InlineHtml(CowStr::from(end))),
            None => self.emit(Event::End(TagEnd::Link)),
        }
    }

    /// Adds text to the current section's plain text.
    pub(super) fn plain(&mut self, text: &str) {
        if let Some(section) = self.doc.plain.last_mut() {
            section.push_str(text);
        }
    }

    /// Whether the parser stands outside every list, block quote and footnote.
    pub(super) fn is_top_level(&self) -> bool {
        self.list_depth == 0 && self.quote_depth == 0
    }

    /// Resolves and rewrites `href`/`src` in raw HTML, and collects its ids.
    pub(super) fn raw_html(&mut self, h: CowStr<'a>, range: Range<usize>) -> CowStr<'a> {
        let tags = html::tags(&h);
        if tags.is_empty() {
            return h;
        }
        let base = self
            .body
            .get(range.clone())
            .and_then(|written| written.find(&*h))
            .map_or(range.start, |i| range.start + i);
        let mut rewrites: Vec<Option<String>> = Vec::new();
        for tag in &tags {
            for attr in &tag.attrs {
                match attr.name.as_str() {
                    "href" | "src" => {
                        let kind = LinkKind::Html {
                            tag: tag.name.clone(),
                            attr: attr.name.clone(),
                        };
                        let href =
                            self.link(kind, &attr.value, base + attr.range.start, LinkType::Inline);
                        if let Some(i) = self.open_links.pop() {
                            let alt = tag.attr("alt").map(|a| a.value.clone());
                            self.doc.links[i].text = alt.unwrap_or_default();
                        }
                        rewrites.push(href.map(|c| c.to_string()));
                    }
                    "id" | "name" if !attr.value.is_empty() => {
                        self.doc.anchors.push(attr.value.clone());
                    }
                    _ => {}
                }
            }
        }
        if rewrites.iter().all(Option::is_none) {
            return h;
        }
        let mut next = rewrites.into_iter();
        let rewritten = html::rewrite_attrs(&h, |_, attr| match attr.name.as_str() {
            "href" | "src" => next.next().flatten(),
            _ => None,
        });
        CowStr::from(rewritten)
    }
}
