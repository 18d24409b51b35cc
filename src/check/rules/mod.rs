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

use std::path::PathBuf;
use std::sync::OnceLock;

use regex::Regex;

use crate::diag::{Diagnostic, Rule, Severity};
use crate::markdown::Document;
use crate::markdown::Rendered;
use crate::workshop::config::checks::{Level, RulesConfig};
use crate::workshop::Page;

/// What every rule may read: the rendered workshop and the configuration.
pub struct Context<'a> {
    pub rendered: &'a Rendered,
    pub config: &'a RulesConfig,
}

impl Context<'_> {
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

/// Levenshtein distance in characters, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `wanted`: equal but for letter case, else within a
/// small edit distance (about one typo per four characters, at most 3).
pub fn closest<'c>(wanted: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 4).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == wanted {
            continue;
        }
        let d = if c.to_lowercase() == lower {
            0
        } else {
            edit_distance(&lower, &c.to_lowercase())
        };
        if d <= limit && !matches!(best, Some((bd, _)) if bd <= d) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_prefers_case_only_then_small_typos() {
        let candidates = ["README.md", "chapter-2/README.md", "images/arch.png"];
        assert_eq!(closest("readme.md", candidates), Some("README.md"));
        assert_eq!(
            closest("chapter-2/READNE.md", candidates),
            Some("chapter-2/README.md")
        );
        assert_eq!(
            closest("images/arhc.png", candidates),
            Some("images/arch.png")
        );
        assert_eq!(closest("backup-overview.md", candidates), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
