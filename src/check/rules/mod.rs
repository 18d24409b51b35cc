//! The rules of `labsite check`, one family per file, all reading the one
//! rendered workshop ([`crate::markdown::Rendered`]): links as the renderer resolved
//! them, headings and anchors, prose text, labelled sections.
//!
//! A rule pushes [`Diagnostic`]s with its id and default severity; the caller
//! applies the configured severities and ignores.

pub mod content;
pub mod external;
pub mod links;
pub mod mojibake;
pub mod nav;
pub mod origin;
pub mod resources;
pub mod suggest;

use std::path::PathBuf;
use std::sync::OnceLock;

use regex::Regex;

use crate::diag::{Diagnostic, Rule, Severity};
use crate::markdown::Document;
use crate::markdown::Rendered;
use crate::workshop::config::checks::{Level, RulesConfig};
use crate::workshop::Page;
use suggest::Candidates;

/// What every rule may read: the rendered workshop and the configuration.
pub struct Context<'a> {
    pub rendered: &'a Rendered,
    pub config: &'a RulesConfig,
    /// The workshop's paths to suggest for a broken link, made once when the
    /// first broken link needs them.
    paths: OnceLock<Candidates>,
    /// Every external URL of the workshop, the evidence for where a link copied
    /// from a documentation site lives ([`origin`]), collected on first need.
    external: OnceLock<Vec<String>>,
}

impl<'a> Context<'a> {
    pub fn new(rendered: &'a Rendered, config: &'a RulesConfig) -> Context<'a> {
        Context {
            rendered,
            config,
            paths: OnceLock::new(),
            external: OnceLock::new(),
        }
    }

    /// Every external link of the workshop, as written.
    pub fn external_links(&self) -> &[String] {
        self.external.get_or_init(|| {
            self.rendered
                .documents
                .iter()
                .flat_map(|d| &d.links)
                .filter(|l| l.resolved.target == crate::markdown::links::Target::External)
                .map(|l| l.dest.clone())
                .collect()
        })
    }

    /// Every file, page and folder of the workshop, for "did you mean".
    pub fn path_candidates(&self) -> &Candidates {
        self.paths
            .get_or_init(|| Candidates::paths(self.rendered.resolver.known_paths()))
    }

    /// Whether a rule runs at all (`off` in `workshop.yaml` turns it off).
    pub fn enabled(&self, rule: Rule) -> bool {
        self.config.level(rule) != Some(Level::Off)
    }

    /// Whether a link's URL matches one of `rules.ignore_urls`.
    pub fn url_ignored(&self, url: &str) -> bool {
        self.config.ignore_urls.iter().any(|p| p.0.is_match(url))
    }

    /// The regular expression a task heading matches.
    pub fn task_heading(&self) -> &Regex {
        static DEFAULT: OnceLock<Regex> = OnceLock::new();
        match &self.config.task_heading {
            Some(p) => &p.0,
            None => DEFAULT.get_or_init(|| Regex::new(r"^Task \d+").expect("valid regex")),
        }
    }
}

/// One page being checked, with its source lines.
pub struct PageCtx<'a> {
    pub index: usize,
    pub page: &'a Page,
    pub doc: &'a Document,
    /// The file as shown to users, relative to the workshop root.
    pub file: PathBuf,
    lines: Vec<&'a str>,
}

impl<'a> PageCtx<'a> {
    pub fn new(rendered: &'a Rendered, index: usize) -> Self {
        let page = &rendered.workshop.pages[index];
        PageCtx {
            index,
            page,
            doc: &rendered.documents[index],
            file: rendered.workshop.display_source(&page.source),
            lines: page.body.split('\n').collect(),
        }
    }

    /// The text of a 1-based line of the file, if it is in the Markdown body.
    pub fn line(&self, line: usize) -> Option<&'a str> {
        line.checked_sub(self.page.body_line_offset + 1)
            .and_then(|i| self.lines.get(i))
            .copied()
    }

    /// Every body line with its 1-based file line number.
    pub fn numbered_lines(&self) -> impl Iterator<Item = (usize, &'a str)> + '_ {
        let offset = self.page.body_line_offset;
        self.lines
            .iter()
            .enumerate()
            .map(move |(i, l)| (i + offset + 1, *l))
    }

    /// A finding of `rule` at a place in this page, with the rule's default severity.
    pub fn finding(
        &self,
        rule: Rule,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let d = match rule.default_severity() {
            Severity::Error => Diagnostic::error(&self.file, message),
            Severity::Warning => Diagnostic::warning(&self.file, message),
        };
        d.with_rule(rule).at(line, column)
    }
}

/// Runs every offline rule on one page.
pub fn check_page(ctx: &Context, page: &PageCtx, out: &mut Vec<Diagnostic>) {
    links::check(ctx, page, out);
    content::check(ctx, page, out);
    if ctx.enabled(Rule::Mojibake) {
        mojibake::check(page, out);
    }
    if ctx.enabled(Rule::MissingResources) {
        resources::check(ctx, page, out);
    }
    if ctx.enabled(Rule::NavMismatch) {
        nav::check(ctx, page, out);
    }
}
