//! The single pass over pulldown-cmark's events that renders a page and collects
//! what the other stages need. See the module documentation of [`super`].
//! Inline content is handled in [`inline`], blocks that end with something to
//! record in [`blocks`].

use std::cell::Cell;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::utils::TextMergeWithOffset;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::fragments::{self, FragmentRef};
use super::slug::Slugger;
use super::{Document, LinkKind, TaskItem};
use crate::diag::LineIndex;
use crate::markdown::links::Resolver;

mod blocks;
mod inline;
pub mod markup;

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
    /// Fragment links among `events`, by index into `events`.
    fragments: Vec<PendingFragment>,
    text: String,
}

struct CodeBuf {
    lang: String,
    text: String,
    line: usize,
    task: Option<TaskItem>,
}

/// A code block waiting for its highlighting, by the index in `Renderer::out` of
/// the event that closes it.
struct Pending {
    event: usize,
    lang: String,
    text: String,
}

/// The place of a `verify` block's check widget, by the index in `Renderer::out` of
/// the event that holds it ([`markup::WIDGET_PLACE`]) and the block's index in the
/// page's `verify_blocks`.
struct PendingWidget {
    event: usize,
    block: usize,
}

/// A code block of a rendered page still to highlight: its highlighted HTML goes
/// at byte `at` of the page's HTML (see [`super::fill_code`]). Highlighting waits so
/// that a workshop's blocks can be highlighted together, grouped by language.
#[derive(Debug)]
pub(crate) struct PendingCode {
    pub at: usize,
    /// The language highlighting uses, lower case (`verify` blocks are YAML).
    pub lang: String,
    pub text: String,
}

/// A link whose `#fragment` names an id of a page: its `href` is the `nth` one
/// written by the event at index `event` of `Renderer::out`. Once the HTML is
/// written, this becomes a [`FragmentRef`] holding the fragment's bytes.
struct PendingFragment {
    event: usize,
    nth: usize,
    link: usize,
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

/// HTML being written, its length readable while the writer holds it.
struct Tracked<'c> {
    html: String,
    len: &'c Cell<usize>,
}

impl fmt::Write for Tracked<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.html.push_str(s);
        self.len.set(self.html.len());
        Ok(())
    }
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
    /// Highlight code blocks (off for `check`, which never shows them).
    highlight: bool,
    /// Code blocks to highlight, in page order.
    pending: Vec<Pending>,
    /// Fragment links, in page order.
    fragments: Vec<PendingFragment>,
    /// Fragment links of the event being made, each with its `href`'s place among
    /// that event's (`(nth, link)`); the next event emitted holds them.
    next_fragments: Vec<(usize, usize)>,
    /// `href`s of the event being made so far.
    next_hrefs: usize,
    /// Places of check widgets, in page order.
    widgets: Vec<PendingWidget>,
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
            highlight: true,
            pending: Vec::new(),
            fragments: Vec::new(),
            next_fragments: Vec::new(),
            next_hrefs: 0,
            widgets: Vec::new(),
        }
    }

    /// Whether code blocks are highlighted (else escaped text).
    pub(super) fn highlight(mut self, on: bool) -> Self {
        self.highlight = on;
        self
    }

    /// The page's document, and its code blocks still to highlight (none when
    /// highlighting is off).
    pub(super) fn run(mut self) -> (Document, Vec<PendingCode>) {
        let parser = Parser::new_ext(self.body, options()).into_offset_iter();
        self.doc.plain.push(String::new());
        for (event, range) in TextMergeWithOffset::new(parser) {
            self.event(event, range);
        }
        if self.criteria_block.take().is_some() {
            self.out.push(Event::Html(CowStr::Borrowed(
                markup::SUCCESS_CRITERIA_CLOSE,
            )));
        }
        // The writer asks for each event after writing the one before: when it asks
        // for the event closing a code block, the length written is where the code goes;
        // when it asks for a widget's place, where that is; and a fragment link's `href`
        // is written between the length when it asks for the link's event and the
        // length when it asks for the next one.
        let written = Cell::new(0);
        let mut html = Tracked {
            html: String::with_capacity(self.body.len() * 3 / 2),
            len: &written,
        };
        let mut pending = self.pending.into_iter().peekable();
        let mut code = Vec::with_capacity(pending.len());
        let fragments = std::mem::take(&mut self.fragments);
        let mut spans: Vec<Range<usize>> = Vec::with_capacity(fragments.len());
        let mut opened = 0..0;
        let mut widgets = self.widgets.into_iter().peekable();
        let blocks = &mut self.doc.verify_blocks;
        let events = self.out.into_iter().enumerate().map(|(i, event)| {
            let at = written.get();
            if !opened.is_empty() {
                for span in &mut spans[opened.clone()] {
                    span.end = at;
                }
                opened = spans.len()..spans.len();
            }
            if fragments.get(spans.len()).is_some_and(|f| f.event == i) {
                opened = spans.len()..spans.len();
                while fragments.get(spans.len()).is_some_and(|f| f.event == i) {
                    spans.push(at..at);
                }
                opened.end = spans.len();
            }
            if let Some(p) = pending.next_if(|p| p.event == i) {
                code.push(PendingCode {
                    at,
                    lang: p.lang,
                    text: p.text,
                });
            }
            if let Some(w) = widgets.next_if(|w| w.event == i) {
                blocks[w.block].widget_at = Some(written.get());
            }
            event
        });
        pulldown_cmark::html::write_html_fmt(&mut html, events)
            .expect("writing to a String cannot fail");
        let html = html.html;
        for span in &mut spans[opened] {
            span.end = html.len();
        }
        for (f, span) in fragments.iter().zip(spans) {
            let link = &self.doc.links[f.link];
            let Some(fragment) = link.resolved.fragment.as_deref() else {
                continue;
            };
            if let Some(at) = fragments::locate(&html, span, f.nth, fragment) {
                self.doc
                    .fragment_refs
                    .push(FragmentRef { link: f.link, at });
            }
        }
        self.doc.html = html;
        (self.doc, code)
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

    /// Adds an event to the page (or to the heading being read), with the fragment
    /// links noted since the last one, whose `href`s it writes.
    fn emit(&mut self, event: Event<'a>) {
        self.next_hrefs = 0;
        let (events, fragments) = match &mut self.heading {
            Some(h) => (&mut h.events, &mut h.fragments),
            None => (&mut self.out, &mut self.fragments),
        };
        if !self.next_fragments.is_empty() {
            for (nth, link) in self.next_fragments.drain(..) {
                fragments.push(PendingFragment {
                    event: events.len(),
                    nth,
                    link,
                });
            }
        }
        events.push(event);
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
                self.emit(Event::InlineHtml(CowStr::Borrowed(markup::task_checkbox(
                    checked,
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
                    self.emit(Event::Html(CowStr::Borrowed(
                        markup::SUCCESS_CRITERIA_CLOSE,
                    )));
                }
                self.heading = Some(HeadingBuf {
                    level,
                    line: self.position(range.start).0,
                    events: Vec::new(),
                    fragments: Vec::new(),
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
                    self.emit(Event::Html(CowStr::Borrowed(markup::RESOURCES_OPEN)));
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
                self.emit(Event::Html(CowStr::from(markup::alert_open(kind))));
            }
            Tag::Table(align) => {
                self.block_start();
                self.emit(Event::Html(CowStr::Borrowed(markup::TABLE_WRAP_OPEN)));
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
                    self.emit(Event::Html(CowStr::Borrowed(markup::RESOURCES_CLOSE)));
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
            TagEnd::BlockQuote(Some(_)) => {
                self.emit(Event::Html(CowStr::Borrowed(markup::ALERT_CLOSE)))
            }
            TagEnd::Table => {
                self.emit(Event::End(TagEnd::Table));
                self.emit(Event::Html(CowStr::Borrowed(markup::TABLE_WRAP_CLOSE)));
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
}
