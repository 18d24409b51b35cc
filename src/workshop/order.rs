//! Reading order: natural ordering of names, explicit `chapters:` order, and the section tree.
//!
//! The tree mirrors the folders: a folder is a section whose own page is its
//! README/index; its other pages and sub-folders are its children. The reading
//! order is the tree walked depth-first, a folder's page before its children.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// A section or page in the navigation tree.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// The file or folder name as on disk.
    pub name: String,
    /// Path relative to the content folder (empty for the root).
    pub path: PathBuf,
    /// Index into `Workshop::pages` of this node's own page, if it has one.
    pub page: Option<usize>,
    pub children: Vec<Node>,
}

impl Node {
    /// Pages of this subtree in reading order.
    pub fn pages_in_order(&self, out: &mut Vec<usize>) {
        out.extend(self.page);
        for child in &self.children {
            child.pages_in_order(out);
        }
    }

    pub fn is_folder(&self) -> bool {
        !self.children.is_empty() || self.page.is_none()
    }
}

/// Compares names the way people count: `chapter-2` before `chapter-10`,
/// letters without regard to case first, then with it so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.is_empty(), y.is_empty()) {
            (true, true) => return a.cmp(b),
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (xa, xr) = split_run(x);
        let (ya, yr) = split_run(y);
        let xd = xa.starts_with(|c: char| c.is_ascii_digit());
        let yd = ya.starts_with(|c: char| c.is_ascii_digit());
        let ord = match (xd, yd) {
            (true, true) => {
                let (xt, yt) = (xa.trim_start_matches('0'), ya.trim_start_matches('0'));
                xt.len().cmp(&yt.len()).then_with(|| xt.cmp(yt))
            }
            _ => xa.to_lowercase().cmp(&ya.to_lowercase()),
        };
        if ord != Ordering::Equal {
            return ord;
        }
        x = xr;
        y = yr;
    }
}

/// The leading run of digits, or of non-digits, and the rest.
fn split_run(s: &str) -> (&str, &str) {
    let digit = s.starts_with(|c: char| c.is_ascii_digit());
    let end = s
        .find(|c: char| c.is_ascii_digit() != digit)
        .unwrap_or(s.len());
    s.split_at(end)
}

/// What decides a node's place among its siblings.
#[derive(Debug, Clone)]
pub struct SortKey {
    /// Position in `workshop.yaml` `chapters:`, if listed.
    pub explicit: Option<usize>,
    /// Front matter `weight` of the node's page.
    pub weight: Option<i64>,
    pub name: String,
}

impl SortKey {
    pub fn order(&self, other: &SortKey) -> Ordering {
        let explicit = match (self.explicit, other.explicit) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        let weight = match (self.weight, other.weight) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        explicit
            .then(weight)
            .then_with(|| natural_cmp(&self.name, &other.name))
    }
}

/// Matches a `chapters:` entry against a node path: `chapter-2`, `chapter-2/`,
/// `chapter-2/README.md` and `./chapter-2` all name the folder `chapter-2`.
pub fn entry_matches(entry: &str, node_path: &Path, page_source: Option<&Path>) -> bool {
    let e = entry.trim().trim_start_matches("./").trim_end_matches('/');
    let node = crate::diag::display_path(node_path);
    if e == node {
        return true;
    }
    page_source.is_some_and(|p| crate::diag::display_path(p) == e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn numbers_sort_by_value() {
        assert_eq!(
            sorted(vec!["chapter-10", "chapter-2", "chapter-1"]),
            vec!["chapter-1", "chapter-2", "chapter-10"]
        );
        assert_eq!(
            sorted(vec!["02-y", "01-x", "10-z"]),
            vec!["01-x", "02-y", "10-z"]
        );
        assert_eq!(
            sorted(vec![
                "challenge-10.md",
                "challenge-09.md",
                "Challenge-01.md"
            ]),
            vec!["Challenge-01.md", "challenge-09.md", "challenge-10.md"]
        );
    }

    #[test]
    fn order_is_total_and_case_is_a_tie_breaker() {
        assert_eq!(natural_cmp("a", "A"), "a".cmp("A"));
        assert_eq!(natural_cmp("a1", "a01"), "a1".cmp("a01"));
        assert_eq!(natural_cmp("a", "a1"), Ordering::Less);
        assert_eq!(natural_cmp("Images", "chapter"), Ordering::Greater);
    }

    #[test]
    fn explicit_order_then_weight_then_name() {
        let k = |explicit, weight, name: &str| SortKey {
            explicit,
            weight,
            name: name.into(),
        };
        assert_eq!(
            k(Some(1), None, "a").order(&k(Some(0), None, "b")),
            Ordering::Greater
        );
        assert_eq!(
            k(None, Some(5), "z").order(&k(None, None, "a")),
            Ordering::Less
        );
        assert_eq!(
            k(None, None, "b").order(&k(None, None, "a")),
            Ordering::Greater
        );
    }

    #[test]
    fn chapter_entries_match_folders_and_files() {
        let p = Path::new("chapter-2");
        assert!(entry_matches("chapter-2/", p, None));
        assert!(entry_matches("./chapter-2", p, None));
        assert!(entry_matches(
            "chapter-2/README.md",
            p,
            Some(Path::new("chapter-2/README.md"))
        ));
        assert!(!entry_matches("chapter-3", p, None));
    }
}
