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
pub mod resources;
pub mod suggest;

use std::path::PathBuf;
use std::sync::OnceLock;

use regex::Regex;

use crate::diag::{Diagnostic, Severity};
use crate::markdown::Document;
use crate::markdown::Rendered;
use crate::workshop::config::checks::{Level, RulesConfig};
use crate::workshop::Page;
use suggest::Candidates;

/// Every rule, with its stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    BrokenLink,
    BrokenAnchor,
    ExternalLink,
    MissingResources,
    TrackingParam,
    LocaleInUrl,
    InsecureLink,
    Mojibake,
    MissingAlt,
    NavMismatch,
    InvalidVerify,
}

impl Rule {
    pub const ALL: [Rule; 11] = [
        Rule::BrokenLink,
        Rule::BrokenAnchor,
        Rule::ExternalLink,
        Rule::MissingResources,
        Rule::TrackingParam,
        Rule::LocaleInUrl,
        Rule::InsecureLink,
        Rule::Mojibake,
        Rule::MissingAlt,
        Rule::NavMismatch,
        Rule::InvalidVerify,
    ];

    /// The id used in `workshop.yaml`, in output and in ignore comments.
    pub fn id(self) -> &'static str {
        match self {
            Rule::BrokenLink => "broken-link",
            Rule::BrokenAnchor => "broken-anchor",
            Rule::ExternalLink => "external-link",
            Rule::MissingResources => "missing-resources",
            Rule::TrackingParam => "tracking-param",
            Rule::LocaleInUrl => "locale-in-url",
            Rule::InsecureLink => "insecure-link",
            Rule::Mojibake => "mojibake",
            Rule::MissingAlt => "missing-alt",
            Rule::NavMismatch => "nav-mismatch",
            Rule::InvalidVerify => "invalid-verify",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Broken things are errors; style is a warning.
    pub fn default_severity(self) -> Severity {
        match self {
            Rule::BrokenLink
            | Rule::BrokenAnchor
            | Rule::ExternalLink
            | Rule::Mojibake
            | Rule::InvalidVerify => Severity::Error,
            Rule::MissingResources
            | Rule::TrackingParam
            | Rule::LocaleInUrl
            | Rule::InsecureLink
            | Rule::MissingAlt
            | Rule::NavMismatch => Severity::Warning,
        }
    }

    /// One sentence saying what the rule finds.
    pub fn description(self) -> &'static str {
        match self {
            Rule::BrokenLink => "A relative link or image whose file or folder does not exist, or that leaves the content folder.",
            Rule::BrokenAnchor => "A #fragment with no such heading id or HTML id on the page it points at.",
            Rule::ExternalLink => "An http(s) link that fails: status, timeout, DNS, TLS, or a permanent redirect.",
            Rule::MissingResources => "A task section without a Learning Resources list of at least one link.",
            Rule::TrackingParam => "Query parameters used for tracking (utm_*, msockid, fbclid, …).",
            Rule::LocaleInUrl => "A locale path segment such as /en-us/ that sends every reader to one language.",
            Rule::InsecureLink => "An http:// link where https:// is expected.",
            Rule::Mojibake => "Text damaged by a wrong encoding round trip (UTF-8 read as Windows-1252).",
            Rule::MissingAlt => "An image without alt text.",
            Rule::NavMismatch => "A hand-written previous/next link that disagrees with the page it points at: A says next is B, B says previous is C.",
            Rule::InvalidVerify => "A verify block with bad YAML, a duplicate id, or an unknown validator.",
        }
    }
}

/// What every rule may read: the rendered workshop and the configuration.
pub struct Context<'a> {
    pub rendered: &'a Rendered,
    pub config: &'a RulesConfig,
    /// The workshop's paths to suggest for a broken link, made once when the
    /// first broken link needs them.
    paths: OnceLock<Candidates>,
}

impl<'a> Context<'a> {
    pub fn new(rendered: &'a Rendered, config: &'a RulesConfig) -> Context<'a> {
        Context {
            rendered,
            config,
            paths: OnceLock::new(),
        }
    }

    /// Every file, page and folder of the workshop, for "did you mean".
    pub fn path_candidates(&self) -> &Candidates {
        self.paths
            .get_or_init(|| Candidates::paths(self.rendered.resolver.known_paths()))
    }

    /// Whether a rule runs at all (`off` in `workshop.yaml` turns it off).
    pub fn enabled(&self, rule: Rule) -> bool {
        self.config.level(rule.id()) != Some(Level::Off)
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
        d.with_rule(rule.id()).at(line, column)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_defaults() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
        assert_eq!(Rule::from_id("nope"), None);
        assert_eq!(Rule::BrokenLink.default_severity(), Severity::Error);
        assert_eq!(Rule::MissingAlt.default_severity(), Severity::Warning);
    }
}
