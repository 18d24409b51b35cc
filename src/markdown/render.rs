//! The single pass over pulldown-cmark's events that renders a page and collects
//! what the other stages need. See the module documentation of [`super`].

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::utils::TextMergeWithOffset;
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd,
};

use super::highlight::{escape_html, highlight};
use super::sections::{self, classify, SectionKind};
use super::slug::Slugger;
use super::{autolink, html};
use super::{Document, Heading, Link, LinkKind, Section, TaskItem, TextRun, VerifyBlock};
use crate::diag::LineIndex;
use crate::links::{Resolver, Target};

/// The info string that makes a fenced block a success-criterion check.
pub const VERIFY_LANG: &str = "verify";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

struct HeadingBuf<'a> {
    level: u8,
    line: usize,
    events: Vec<Event<'a>>,
    text: String,
}

struct CodeBuf {
    lang: String,
    text: String,
    line: usize,
    task: Option<TaskItem>,
}

struct ParagraphBuf {
    text: String,
    first_link: usize,
    line: usize,
}

struct ItemBuf {
    text: String,
    line: usize,
    task: Option<bool>,
}

pub(super) struct Renderer<'a> {
    body: &'a str,
    line_offset: usize,
    lines: LineIndex,
    source: &'a Path,
    output: &'a Path,
    resolver: &'a Resolver,
    doc: Document,
    out: Vec<Event<'a>>,
    slugger: Slugger,
    heading: Option<HeadingBuf<'a>>,
    code: Option<CodeBuf>,
    paragraph: Option<ParagraphBuf>,
    items: Vec<ItemBuf>,
    /// Links and images whose text is being collected.
    open_links: Vec<usize>,
    list_depth: usize,
    /// A Learning Resources label paragraph waiting for its list.
    pending_resources: Option<usize>,
    /// The top-level list collecting a Learning Resources section's links.
    resources_list: Option<usize>,
    /// A Learning Resources heading and its level, collecting links until the next such heading.
    resources_heading: Option<(usize, u8)>,
    /// A task-list item just closed, which a following `verify` block binds to.
    just_closed_task: Option<TaskItem>,
    current_heading: Option<usize>,
    /// How each open link ends: `Some(html)` for a Learning Resources link written as raw HTML.
    link_ends: Vec<Option<String>>,
    /// Whether a top-level list of Learning Resources is open (wrapped in `div.resources`).
    resources_block: bool,
    /// The level of the Success Criteria heading whose `div.success-criteria` is open.
    criteria_block: Option<u8>,
    /// Block quotes and footnote definitions open around the current event.
    quote_depth: usize,
    /// The page's key (`chapter-3`), naming its checks in `verify` widgets.
    key: &'a str,
    /// Highlight code blocks (off for `check`, which never shows them).
    highlight: bool,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(
        body: &'a str,
        line_offset: usize,
        source: &'a Path,
        output: &'a Path,
        resolver: &'a Resolver,
    ) -> Self {
        Renderer {
            body,
            line_offset,
            lines: LineIndex::new(body),
            source,
            output,
            resolver,
            doc: Document::default(),
            out: Vec::new(),
            slugger: Slugger::default(),
            heading: None,
            code: None,
            paragraph: None,
            items: Vec::new(),
            open_links: Vec::new(),
            list_depth: 0,
            pending_resources: None,
            resources_list: None,
            resources_heading: None,
            just_closed_task: None,
            current_heading: None,
            link_ends: Vec::new(),
            resources_block: false,
            criteria_block: None,
            quote_depth: 0,
            key: "",
            highlight: true,
        }
    }

    /// Whether code blocks are highlighted (else escaped text).
    pub(super) fn highlight(mut self, on: bool) -> Self {
        self.highlight = on;
        self
    }

    /// Sets the key of the page being rendered (see [`crate::workshop::Page::key`]).
    pub(super) fn for_page(mut self, key: &'a str) -> Self {
        self.key = key;
        self
    }

    pub(super) fn run(mut self) -> Document {
        let parser = Parser::new_ext(self.body, options()).into_offset_iter();
        self.doc.plain.push(String::new());
        for (event, range) in TextMergeWithOffset::new(parser) {
            self.event(event, range);
        }
        if self.criteria_block.take().is_some() {
            self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
        }
        let mut html = String::with_capacity(self.body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        self.doc.html = html;
        self.doc
    }

    /// 1-based file line and column of a byte offset in the body.
    fn position(&self, offset: usize) -> (usize, usize) {
        let (line, col) = self.lines.line_col(self.body, offset);
        (line + self.line_offset, col)
    }

    /// Emits prose text, GitHub's emoji shortcodes (`:tada:`) shown as emoji.
    fn emit_text(&mut self, text: CowStr<'a>) {
        match super::emoji::replace(&text) {
            Some(shown) => self.emit(Event::Text(CowStr::from(shown))),
            None => self.emit(Event::Text(text)),
        }
    }

    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(h) => h.events.push(event),
            None => self.out.push(event),
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(text, range),
            Event::Code(code) => {
                self.collect_text(&code);
                self.emit(Event::Code(code));
            }
            Event::Html(h) => {
                let h = self.raw_html(h, range);
                self.emit(Event::Html(h));
            }
            Event::InlineHtml(h) => {
                let h = self.raw_html(h, range);
                self.emit(Event::InlineHtml(h));
            }
            Event::TaskListMarker(checked) => {
                if let Some(item) = self.items.last_mut() {
                    item.task = Some(checked);
                }
                // Named, so that a screen reader says what the state means.
                let checked = if checked { " checked=\"\"" } else { "" };
                self.emit(Event::InlineHtml(CowStr::from(format!(
                    "<input type=\"checkbox\" disabled=\"\"{checked} aria-label=\"Completed\"/>\n"
                ))));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.collect_text(" ");
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    /// A new block at the top level ends a pending label's claim on the next list.
    fn block_start(&mut self) {
        if self.list_depth == 0 {
            self.pending_resources = None;
        }
        self.just_closed_task = None;
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.block_start();
                let level = level as u8;
                if self.resources_heading.is_some_and(|(_, l)| level <= l) {
                    self.resources_heading = None;
                }
                if self.is_top_level() && self.criteria_block.is_some_and(|l| level <= l) {
                    self.criteria_block = None;
                    self.emit(Event::Html(CowStr::Borrowed("</div>\n")));
                }
                self.heading = Some(HeadingBuf {
                    level,
                    line: self.position(range.start).0,
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Tag::CodeBlock(kind) => {
                let task = match self.items.last() {
                    Some(ItemBuf {
                        task: Some(checked),
                        text,
                        line,
                    }) => Some(TaskItem {
                        text: text.trim().to_string(),
                        line: *line,
                        checked: *checked,
                    }),
                    _ => self.just_closed_task.take(),
                };
                self.block_start();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBuf {
                    lang,
                    text: String::new(),
                    line: self.position(range.start).0,
                    task,
                });
            }
            Tag::Paragraph => {
                self.block_start();
                self.paragraph = Some(ParagraphBuf {
                    text: String::new(),
                    first_link: self.doc.links.len(),
                    line: self.position(range.start).0,
                });
                self.emit(Event::Start(Tag::Paragraph));
            }
            Tag::List(start) => {
                if self.list_depth == 0 && self.pending_resources.is_some() {
                    self.resources_list = self.pending_resources.take();
                } else {
                    self.block_start();
                }
                if self.list_depth == 0
                    && (self.resources_list.is_some() || self.resources_heading.is_some())
                {
                    self.resources_block = true;
                    self.emit(Event::Html(CowStr::Borrowed("<div class=\"resources\">\n")));
                }
                self.list_depth += 1;
                self.emit(Event::Start(Tag::List(start)));
            }
            Tag::Item => {
                self.just_closed_task = None;
                self.items.push(ItemBuf {
                    text: String::new(),
                    line: self.position(range.start).0,
                    task: None,
                });
                self.emit(Event::Start(Tag::Item));
            }
            Tag::BlockQuote(Some(kind)) => {
                self.block_start();
                self.quote_depth += 1;
                let (class, title) = alert(kind);
                self.emit(Event::Html(CowStr::from(format!(
                    "<div class=\"markdown-alert markdown-alert-{class}\">\n<p class=\"markdown-alert-title\">{title}</p>\n"
                ))));
            }
            Tag::Table(align) => {
                self.block_start();
                self.emit(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\">\n",
                )));
                self.emit(Event::Start(Tag::Table(align)));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let dest = self.link(LinkKind::Link, &dest_url, range.start, link_type);
                let index = self.doc.links.len() - 1;
                self.start_link(
                    index,
                    Tag::Link {
                        link_type,
                        dest_url: dest.unwrap_or(dest_url),
                        title,
                        id,
                    },
                );
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let dest = self.link(LinkKind::Image, &dest_url, range.start, link_type);
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest.unwrap_or(dest_url),
                    title,
                    id,
                }));
            }
            Tag::FootnoteDefinition(label) => {
                self.block_start();
                self.quote_depth += 1;
                self.doc.anchors.push(label.to_string());
                self.emit(Event::Start(Tag::FootnoteDefinition(label)));
            }
            other => {
                if matches!(other, Tag::BlockQuote(None) | Tag::HtmlBlock) {
                    self.block_start();
                }
                if matches!(other, Tag::BlockQuote(None)) {
                    self.quote_depth += 1;
                }
                self.emit(Event::Start(other));
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if matches!(
            tag,
            TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)
        ) {
            self.plain(" ");
        }
        if matches!(tag, TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) {
            self.quote_depth = self.quote_depth.saturating_sub(1);
        }
        match tag {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::CodeBlock => self.end_code_block(),
            TagEnd::Paragraph => {
                self.emit(Event::End(TagEnd::Paragraph));
                self.end_paragraph();
            }
            TagEnd::List(ordered) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth == 0 {
                    self.resources_list = None;
                }
                self.emit(Event::End(TagEnd::List(ordered)));
                if self.list_depth == 0 && std::mem::take(&mut self.resources_block) {
                    self.emit(Event::Html(CowStr::Borrowed("</div>\n")));
                }
            }
            TagEnd::Item => {
                if let Some(item) = self.items.pop() {
                    if let Some(checked) = item.task {
                        self.just_closed_task = Some(TaskItem {
                            text: item.text.trim().to_string(),
                            line: item.line,
                            checked,
                        });
                    }
                }
                self.emit(Event::End(TagEnd::Item));
            }
            TagEnd::BlockQuote(Some(_)) => self.emit(Event::Html(CowStr::Borrowed("</div>\n"))),
            TagEnd::Table => {
                self.emit(Event::End(TagEnd::Table));
                self.emit(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            TagEnd::Link => {
                self.open_links.pop();
                self.end_link();
            }
            TagEnd::Image => {
                self.open_links.pop();
                self.emit(Event::End(tag));
            }
            other => self.emit(Event::End(other)),
        }
    }

    fn collect_text(&mut self, text: &str) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(text);
        } else {
            self.plain(text);
        }
        if let Some(p) = &mut self.paragraph {
            p.text.push_str(text);
        }
        if let Some(item) = self.items.last_mut() {
            item.text.push_str(text);
        }
        for &i in &self.open_links {
            self.doc.links[i].text.push_str(text);
        }
    }

    fn text(&mut self, text: CowStr<'a>, range: Range<usize>) {
        if let Some(code) = &mut self.code {
            code.text.push_str(&text);
            return;
        }
        self.collect_text(&text);
        let (line, column) = self.position(range.start);
        self.doc.texts.push(TextRun {
            text: text.to_string(),
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
    fn link(
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
    fn start_link(&mut self, index: usize, tag: Tag<'a>) {
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
                let start = sections::resource_link_start(dest_url, title);
                self.emit(Event::InlineHtml(CowStr::from(start)));
                self.link_ends
                    .push(Some(sections::resource_link_end(&site)));
            }
            _ => {
                self.emit(Event::Start(tag));
                self.link_ends.push(None);
            }
        }
    }

    fn end_link(&mut self) {
        match self.link_ends.pop().flatten() {
            Some(end) => self.emit(Event::InlineHtml(CowStr::from(end))),
            None => self.emit(Event::End(TagEnd::Link)),
        }
    }

    /// Adds text to the current section's plain text.
    fn plain(&mut self, text: &str) {
        if let Some(section) = self.doc.plain.last_mut() {
            section.push_str(text);
        }
    }

    /// Whether the parser stands outside every list, block quote and footnote.
    fn is_top_level(&self) -> bool {
        self.list_depth == 0 && self.quote_depth == 0
    }

    /// Resolves and rewrites `href`/`src` in raw HTML, and collects its ids.
    fn raw_html(&mut self, h: CowStr<'a>, range: Range<usize>) -> CowStr<'a> {
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

    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let text = h.text.trim().to_string();
        let id = self.slugger.unique(&text);
        let index = self.doc.headings.len();
        if h.level == 1 && self.doc.title.is_none() && !text.is_empty() {
            self.doc.title = Some(text.clone());
        }
        if let Some(kind) = classify(&text) {
            let section = self.doc.sections.len();
            self.doc.sections.push(Section {
                kind,
                line: h.line,
                is_heading: true,
                heading: Some(index),
                links: Vec::new(),
            });
            if kind == SectionKind::LearningResources {
                self.resources_heading = Some((section, h.level));
            }
        }
        self.doc.anchors.push(id.clone());
        self.current_heading = Some(index);
        self.doc.headings.push(Heading {
            level: h.level,
            text,
            id: id.clone(),
            line: h.line,
        });
        let id_attr = escape_html(&id);
        self.out.push(Event::Html(CowStr::from(format!(
            "<h{} id=\"{id_attr}\">",
            h.level
        ))));
        self.out.extend(h.events);
        self.out.push(Event::Html(CowStr::from(format!(
            "<a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"Link to this section\"></a></h{}>\n",
            h.level
        ))));
        self.doc.plain.push(String::new());
        if classify(&self.doc.headings[index].text) == Some(SectionKind::SuccessCriteria)
            && self.is_top_level()
            && self.criteria_block.is_none()
        {
            self.criteria_block = Some(h.level);
            self.out.push(Event::Html(CowStr::Borrowed(
                "<div class=\"success-criteria\">\n",
            )));
        }
    }

    fn end_code_block(&mut self) {
        let Some(code) = self.code.take() else { return };
        let lang = code.lang.to_ascii_lowercase();
        if lang == VERIFY_LANG {
            let n = self.doc.verify_blocks.len() + 1;
            let widget = crate::verify::widget::html(self.key, &code.text, n, code.task.as_ref());
            self.doc.verify_blocks.push(VerifyBlock {
                body: code.text.clone(),
                line: code.line,
                task: code.task,
                heading: self.current_heading,
            });
            if let Some(widget) = widget {
                self.emit(Event::Html(CowStr::from(widget)));
                return;
            }
        }
        self.plain(&code.text);
        self.plain(" ");
        let highlighted = if self.highlight {
            highlight(&code.text, if lang == VERIFY_LANG { "yaml" } else { &lang })
        } else {
            escape_html(&code.text)
        };
        let html = if lang.is_empty() {
            format!("<pre class=\"code\"><code>{highlighted}</code></pre>\n")
        } else {
            let lang = escape_html(&lang);
            format!("<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{highlighted}</code></pre>\n")
        };
        self.emit(Event::Html(CowStr::from(html)));
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paragraph.take() else {
            return;
        };
        let text = p.text.trim();
        match classify(text) {
            Some(kind) => {
                let section = self.doc.sections.len();
                let links: Vec<usize> = (p.first_link..self.doc.links.len()).collect();
                for &i in &links {
                    self.doc.links[i].section = Some(section);
                }
                self.doc.sections.push(Section {
                    kind,
                    line: p.line,
                    is_heading: false,
                    heading: self.current_heading,
                    links,
                });
                if kind == SectionKind::LearningResources {
                    self.pending_resources = Some(section);
                }
            }
            None => {
                if self.doc.summary.is_none() && self.list_depth == 0 && !text.is_empty() {
                    self.doc.summary = Some(text.to_string());
                }
            }
        }
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}
