//! What the author asked not to check: files matching `rules.ignore_files`, and
//! the line after a `<!-- labsite-ignore-next-line -->` comment (all rules), or
//! after `<!-- labsite-ignore-next-line broken-link, tracking-param -->` (those rules;
//! a word that is no rule id silences nothing).

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use crate::diag::{display_path, Rule};
use crate::markdown::Rendered;
use crate::workshop::config::checks::RulesConfig;

/// The marker comment, with an optional list of rule ids.
pub const MARKER: &str = "labsite-ignore-next-line";

/// Ignored files and lines of a workshop.
#[derive(Debug, Default)]
pub struct Ignores {
    /// Per page: whether the whole file is ignored.
    files: Vec<bool>,
    /// Per page: ignored file lines, with the rules ignored there (`None`: all).
    lines: Vec<HashMap<usize, Option<Vec<Rule>>>>,
}

fn marker_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"<!--\s*labsite-ignore-next-line\b([^>]*?)\s*-->").expect("valid regex")
    })
}

/// Whether a file (relative to the workshop root, or to the content folder) matches an ignore glob.
pub fn file_ignored(config: &RulesConfig, shown: &Path, in_content: &Path) -> bool {
    let (shown, in_content) = (display_path(shown), display_path(in_content));
    config
        .ignore_files
        .iter()
        .any(|g| g.0.is_match(&shown) || g.0.is_match(&in_content))
}

/// The ignored lines of a text: the 1-based line after each marker, shifted by `offset`.
pub fn ignored_lines(text: &str, offset: usize) -> HashMap<usize, Option<Vec<Rule>>> {
    let mut out = HashMap::new();
    if !text.contains(MARKER) {
        return out;
    }
    for (i, line) in text.split('\n').enumerate() {
        for cap in marker_regex().captures_iter(line) {
            let words: Vec<&str> = cap[1]
                .split([',', ' '])
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .collect();
            let next = i + 2 + offset;
            let entry = out.entry(next).or_insert_with(|| Some(Vec::new()));
            match (entry.as_mut(), words.is_empty()) {
                (Some(_), true) => *entry = None,
                (Some(list), false) => list.extend(words.into_iter().filter_map(Rule::from_id)),
                (None, _) => {}
            }
        }
    }
    out
}

impl Ignores {
    pub fn new(rendered: &Rendered, config: &RulesConfig) -> Ignores {
        let ws = &rendered.workshop;
        let mut ignores = Ignores::default();
        for page in &ws.pages {
            ignores.files.push(file_ignored(
                config,
                &ws.display_source(&page.source),
                &page.source,
            ));
            ignores
                .lines
                .push(ignored_lines(&page.body, page.body_line_offset));
        }
        ignores
    }

    /// Whether page `page` is ignored as a whole.
    pub fn file(&self, page: usize) -> bool {
        self.files.get(page).copied().unwrap_or(false)
    }

    /// Whether findings of `rule` (`None`: a finding of no rule) on `line` of page
    /// `page` are ignored.
    pub fn line(&self, page: usize, line: usize, rule: Option<Rule>) -> bool {
        match self.lines.get(page).and_then(|l| l.get(&line)) {
            Some(None) => true,
            Some(Some(rules)) => rule.is_some_and(|rule| rules.contains(&rule)),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_ignores_the_next_line() {
        let text = "a\n<!-- labsite-ignore-next-line -->\n[x](y.md)\n<!--labsite-ignore-next-line broken-link, tracking-param-->\nz\n";
        let lines = ignored_lines(text, 2);
        assert_eq!(lines.get(&5), Some(&None));
        assert_eq!(
            lines.get(&7),
            Some(&Some(vec![Rule::BrokenLink, Rule::TrackingParam]))
        );
        assert_eq!(lines.len(), 2);
        assert!(ignored_lines("<!-- labsite-ignore -->\nx", 0).is_empty());
    }

    #[test]
    fn files_match_from_the_root_or_the_content_folder() {
        let config: RulesConfig =
            serde_yaml::from_str("ignore_files: ['drafts/**', 'content/old.md']").unwrap();
        assert!(file_ignored(
            &config,
            Path::new("content/drafts/a.md"),
            Path::new("drafts/a.md")
        ));
        assert!(file_ignored(
            &config,
            Path::new("content/old.md"),
            Path::new("old.md")
        ));
        assert!(!file_ignored(
            &config,
            Path::new("content/a/old.md"),
            Path::new("a/old.md")
        ));
    }
}
