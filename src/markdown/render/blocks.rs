//! Blocks that end with something to record: headings (GitHub ids, titles,
//! labelled sections), code blocks (highlighting, `verify` blocks) and
//! paragraphs (labels, the summary).

use pulldown_cmark::{CowStr, Event};

use super::{markup, Pending, PendingFragment, PendingWidget, Renderer, VERIFY_LANG};
use crate::markdown::highlight::escape_html;
use crate::markdown::sections::{classify, SectionKind};
use crate::markdown::{Heading, Section, VerifyBlock};

impl<'a> Renderer<'a> {
    pub(super) fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let text = h.text.trim().to_string();
        let id = self.slugger.unique(&text);
        let index = self.doc.headings.len();
        if h.level == 1 && self.doc.title.is_none() && !text.is_empty() {
            self.doc.title = Some(text.clone());
        }
        let kind = classify(&text);
        if let Some(kind) = kind {
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
        self.out.push(Event::Html(CowStr::from(markup::heading_open(
            h.level, &id,
        ))));
        let first = self.out.len();
        self.fragments
            .extend(h.fragments.into_iter().map(|f| PendingFragment {
                event: first + f.event,
                ..f
            }));
        self.out.extend(h.events);
        self.out
            .push(Event::Html(CowStr::from(markup::heading_close(
                h.level, &id,
            ))));
        self.doc.plain.push(String::new());
        if kind == Some(SectionKind::SuccessCriteria)
            && self.is_top_level()
            && self.criteria_block.is_none()
        {
            self.criteria_block = Some(h.level);
            self.out
                .push(Event::Html(CowStr::Borrowed(markup::SUCCESS_CRITERIA_OPEN)));
        }
    }

    pub(super) fn end_code_block(&mut self) {
        let Some(code) = self.code.take() else { return };
        let lang = code.lang.to_ascii_lowercase();
        if lang == VERIFY_LANG {
            let snippet = crate::workshop::verify_block::parse(&code.text);
            let shown = snippet.is_ok();
            let block = self.doc.verify_blocks.len();
            self.doc.verify_blocks.push(VerifyBlock {
                body: code.text.clone(),
                snippet,
                line: code.line,
                task: code.task,
                heading: self.current_heading,
                widget_at: None,
            });
            if shown {
                // The theme draws the widget: this leaves its place (see `PendingWidget`).
                debug_assert!(
                    self.heading.is_none(),
                    "code blocks never stand in headings"
                );
                self.emit(Event::Html(CowStr::Borrowed(markup::WIDGET_PLACE)));
                self.widgets.push(PendingWidget {
                    event: self.out.len() - 1,
                    block,
                });
                return;
            }
        }
        self.plain(&code.text);
        self.plain(" ");
        let open = markup::code_block_open(&lang);
        let close = CowStr::Borrowed(markup::CODE_BLOCK_CLOSE);
        if !self.highlight {
            let html = open + &escape_html(&code.text) + &close;
            self.emit(Event::Html(CowStr::from(html)));
            return;
        }
        // Highlighting waits (see `PendingCode`): the code goes between these two events.
        debug_assert!(
            self.heading.is_none(),
            "code blocks never stand in headings"
        );
        self.emit(Event::Html(CowStr::from(open)));
        self.pending.push(Pending {
            event: self.out.len(),
            lang: if lang == VERIFY_LANG {
                "yaml".into()
            } else {
                lang
            },
            text: code.text,
        });
        self.emit(Event::Html(close));
    }

    pub(super) fn end_paragraph(&mut self) {
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
