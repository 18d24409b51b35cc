//! The next/previous links authors write by hand (`[Next Challenge >](…)`,
//! `**[< previous Chapter 2](…)**`), found with one regular-expression pass over
//! each page's text: no Markdown parse, so the reading order can be known
//! before rendering. The label heuristics are the ones the fidelity tool
//! (`author_nav.py`) judges labsite with; `nav-mismatch` reads the same links.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use percent_encoding::percent_decode_str;
use regex::Regex;

use super::Page;

/// Which way a hand-written navigation link points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Next,
    Previous,
}

impl Direction {
    pub fn word(self) -> &'static str {
        match self {
            Direction::Next => "next",
            Direction::Previous => "previous",
        }
    }
}

/// One hand-written next/previous link between two pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavLink {
    /// Index of the page the link is written in.
    pub from: usize,
    /// Index of the page it points at.
    pub to: usize,
    pub direction: Direction,
    /// The link's text, as written.
    pub text: String,
    /// The link's destination, as written.
    pub dest: String,
    /// 1-based line in the file (front matter counted) and column.
    pub line: usize,
    pub column: usize,
}

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\[([^\]\n]{1,120})\]\(([^)\s]+)(?:\s+"[^"]*")?\)"#).expect("valid regex")
});
static NEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bnext\b|→|»|>>").expect("valid regex"));
static PREV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bprev(ious)?\b|←|«|<<|^\s*<").expect("valid regex"));
static ASIDE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)solution|home|back to").expect("valid regex"));
static NAMED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)next|previous|prev").expect("valid regex"));

/// The direction a link's text names: `next`, `→`, `»`, `>>` or a trailing `>`
/// say next; `prev`, `previous`, `←`, `«`, `<<` or a leading `<` say previous
/// (next wins when both appear). A label about a solution, home or "back to"
/// somewhere, without next/previous in it, is not navigation.
pub fn direction(label: &str) -> Option<Direction> {
    let label = label
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == ' ');
    if ASIDE.is_match(label) && !NAMED.is_match(label) {
        return None;
    }
    if NEXT.is_match(label) || ends_with_arrow(label) {
        Some(Direction::Next)
    } else if PREV.is_match(label) {
        Some(Direction::Previous)
    } else {
        None
    }
}

/// A trailing `>` that is not part of `<>` or `->`.
fn ends_with_arrow(label: &str) -> bool {
    let t = label.trim_end();
    t.strip_suffix('>')
        .is_some_and(|before| !before.ends_with(['<', '-']))
}

/// Every hand-written next/previous link of every page that points at another page.
pub fn scan(pages: &[Page]) -> Vec<NavLink> {
    let by_source: HashMap<&Path, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source.as_path(), i))
        .collect();
    let mut index_of_dir: HashMap<PathBuf, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate().filter(|(_, p)| p.is_index) {
        let dir = p.source.parent().map(Path::to_path_buf).unwrap_or_default();
        index_of_dir.entry(dir).or_insert(i);
    }
    let mut out = Vec::new();
    for (from, page) in pages.iter().enumerate() {
        for (n, line) in page.body.lines().enumerate() {
            if !line.contains("](") {
                continue;
            }
            for cap in LINK.captures_iter(line) {
                let (label, dest) = (&cap[1], &cap[2]);
                let Some(direction) = direction(label) else {
                    continue;
                };
                let Some(to) = resolve(&page.source, dest, &by_source, &index_of_dir) else {
                    continue;
                };
                if to == from {
                    continue;
                }
                let start = cap.get(0).map_or(0, |m| m.start());
                out.push(NavLink {
                    from,
                    to,
                    direction,
                    text: label.to_string(),
                    dest: dest.to_string(),
                    line: page.body_line_offset + n + 1,
                    column: line[..start].chars().count() + 1,
                });
            }
        }
    }
    out
}

/// The page a relative link from `source` points at: a Markdown page, or a
/// folder's README/index.
fn resolve(
    source: &Path,
    dest: &str,
    by_source: &HashMap<&Path, usize>,
    index_of_dir: &HashMap<PathBuf, usize>,
) -> Option<usize> {
    if dest.starts_with('#') || has_scheme(dest) {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    let path = percent_decode_str(path).decode_utf8_lossy();
    let base = if path.starts_with('/') {
        PathBuf::new()
    } else {
        source.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let mut target = PathBuf::new();
    for c in base.join(path.trim_start_matches('/')).components() {
        match c {
            Component::Normal(part) => target.push(part),
            // The guard pops: `..` above the content folder is no page.
            Component::ParentDir if !target.pop() => return None,
            _ => {}
        }
    }
    by_source
        .get(target.as_path())
        .or_else(|| index_of_dir.get(&target))
        .copied()
}

fn has_scheme(dest: &str) -> bool {
    dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphabetic())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_from_link_text() {
        use Direction::*;
        for (text, want) in [
            ("next Chapter 4 - Failover and Restore >", Some(Next)),
            ("< previous Chapter 2 - Data Redundancy ", Some(Previous)),
            ("**Prev**", Some(Previous)),
            ("Start with Chapter 1 - Setup >", Some(Next)),
            ("« Back", Some(Previous)),
            ("Continue →", Some(Next)),
            ("Next Challenge >", Some(Next)),
            ("Solution for challenge 2", None),
            ("Next solution >", Some(Next)),
            ("Back to the home page", None),
            ("Home", None),
            ("a -> b", None),
            ("a <> b", None),
            ("<>", Some(Previous)),
            ("Nextcloud", None),
        ] {
            assert_eq!(direction(text), want, "{text:?}");
        }
    }

    fn page(source: &str, body: &str) -> Page {
        let source = PathBuf::from(source);
        let is_index = super::super::is_index_name(&source);
        Page {
            output: super::super::output_path(&source),
            key: String::new(),
            source,
            is_index,
            front: Default::default(),
            body: body.to_string(),
            body_line_offset: 2,
        }
    }

    #[test]
    fn links_resolve_to_pages_and_folder_readmes() {
        let pages = vec![
            page("README.md", "[Start >](day-1/)\n"),
            page(
                "day-1/README.md",
                "x\n[< Previous](../README.md) | [Next »](./a%20b.md#top)\n",
            ),
            page(
                "day-1/a b.md",
                "[Next](https://example.com) [next](missing.md) [Home](../README.md)",
            ),
        ];
        let links = scan(&pages);
        let got: Vec<(usize, usize, Direction, usize, usize)> = links
            .iter()
            .map(|l| (l.from, l.to, l.direction, l.line, l.column))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, 1, Direction::Next, 3, 1),
                (1, 0, Direction::Previous, 4, 1),
                (1, 2, Direction::Next, 4, 30),
            ]
        );
    }
}
