//! Navigation of the built site: the sidebar, breadcrumbs, previous/next and
//! "chapter N of M", computed from the workshop's section tree.
//!
//! The sidebar of a very large workshop is windowed around the current page,
//! so that page size does not grow with the number of chapters; the landing
//! page always lists everything.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::links::relative_url;
use crate::workshop::order::Node;
use crate::workshop::Workshop;

/// Sidebars up to this many entries are shown whole.
const FULL_SIDEBAR: usize = 150;
/// Entries shown on each side of the current page in a windowed sidebar.
const WINDOW: usize = 30;

/// One line of the flattened section tree.
#[derive(Debug, Clone)]
struct Entry {
    depth: usize,
    /// Folder or file path of the node, relative to the content folder.
    path: PathBuf,
    page: Option<usize>,
    /// Folder name, for folders without a page.
    name: String,
}

/// Site-wide navigation, computed once per build.
#[derive(Debug, Clone)]
pub struct Navigation {
    entries: Vec<Entry>,
    /// Entry index of each page.
    entry_of_page: Vec<usize>,
}

/// A sidebar line as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub depth: usize,
    pub title: String,
    /// Relative to the current page; empty for a folder without a page.
    pub url: String,
    pub current: bool,
    pub ancestor: bool,
}

/// A link to another page as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub title: String,
    pub url: String,
}

/// What a page's template gets about navigation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageNav {
    pub nav: Vec<NavItem>,
    pub nav_more_before: bool,
    pub nav_more_after: bool,
    pub breadcrumbs: Vec<PageLink>,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
}

impl Navigation {
    pub fn new(ws: &Workshop) -> Self {
        let mut entries = Vec::new();
        if let Some(landing) = ws.tree.page {
            entries.push(Entry {
                depth: 0,
                path: PathBuf::new(),
                page: Some(landing),
                name: String::new(),
            });
        }
        for child in &ws.tree.children {
            flatten(child, 0, &mut entries);
        }
        let mut entry_of_page = vec![0; ws.pages.len()];
        for (i, e) in entries.iter().enumerate() {
            if let Some(p) = e.page {
                entry_of_page[p] = i;
            }
        }
        Navigation {
            entries,
            entry_of_page,
        }
    }

    /// Navigation for page `page`; `titles` are the final page titles.
    pub fn for_page(&self, ws: &Workshop, titles: &[String], page: usize) -> PageNav {
        let from = ws.pages[page].output.as_path();
        let current = self.entry_of_page[page];
        let source = ws.pages[page].source.as_path();
        let is_ancestor = |e: &Entry, i: usize| {
            i != current
                && !e.path.as_os_str().is_empty()
                && source.starts_with(&e.path)
                && source != e.path
        };
        let item = |i: usize| {
            let e = &self.entries[i];
            NavItem {
                depth: e.depth,
                title: e.page.map_or_else(|| e.name.clone(), |p| titles[p].clone()),
                url: e
                    .page
                    .map_or_else(String::new, |p| relative_url(from, &ws.pages[p].output)),
                current: i == current,
                ancestor: is_ancestor(e, i),
            }
        };
        let n = self.entries.len();
        let (lo, hi) = if n <= FULL_SIDEBAR || ws.pages[page].key == "index" {
            (0, n)
        } else {
            (
                current.saturating_sub(WINDOW),
                (current + WINDOW + 1).min(n),
            )
        };
        let mut nav: Vec<NavItem> = Vec::new();
        // Ancestors above the window stay visible so the page's place is clear.
        for i in 0..lo {
            if is_ancestor(&self.entries[i], i) {
                nav.push(item(i));
            }
        }
        nav.extend((lo..hi).map(item));

        let mut breadcrumbs: Vec<PageLink> = Vec::new();
        if let Some(landing) = ws.tree.page {
            if landing != page {
                breadcrumbs.push(link(ws, titles, from, landing));
            }
        }
        for (i, e) in self.entries.iter().enumerate() {
            if is_ancestor(e, i) {
                breadcrumbs.push(match e.page {
                    Some(p) => link(ws, titles, from, p),
                    None => PageLink {
                        title: e.name.clone(),
                        url: String::new(),
                    },
                });
            }
        }
        breadcrumbs.push(PageLink {
            title: titles[page].clone(),
            url: relative_url(from, from),
        });

        PageNav {
            nav,
            nav_more_before: lo > 0,
            nav_more_after: hi < n,
            breadcrumbs,
            prev: page.checked_sub(1).map(|p| link(ws, titles, from, p)),
            next: (page + 1 < ws.pages.len()).then(|| link(ws, titles, from, page + 1)),
        }
    }
}

fn link(ws: &Workshop, titles: &[String], from: &Path, to: usize) -> PageLink {
    PageLink {
        title: titles[to].clone(),
        url: relative_url(from, &ws.pages[to].output),
    }
}

fn flatten(node: &Node, depth: usize, out: &mut Vec<Entry>) {
    out.push(Entry {
        depth,
        path: node.path.clone(),
        page: node.page,
        name: node.name.clone(),
    });
    for child in &node.children {
        flatten(child, depth + 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::LoadOptions;

    #[test]
    fn sidebar_breadcrumbs_and_neighbours() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "README.md",
            "c1/README.md",
            "c1/extra.md",
            "c2/README.md",
            "parts/p1.md",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let ws = Workshop::load(dir.path(), &LoadOptions::default()).unwrap();
        let titles: Vec<String> = ws.pages.iter().map(|p| p.key.clone()).collect();
        let nav = Navigation::new(&ws);
        let extra = ws.page_by_key("c1/extra").unwrap();
        let pn = nav.for_page(&ws, &titles, extra);
        let lines: Vec<(usize, &str, &str, bool, bool)> = pn
            .nav
            .iter()
            .map(|n| {
                (
                    n.depth,
                    n.title.as_str(),
                    n.url.as_str(),
                    n.current,
                    n.ancestor,
                )
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                (0, "index", "../index.html", false, false),
                (0, "c1", "index.html", false, true),
                (1, "c1/extra", "extra.html", true, false),
                (0, "c2", "../c2/index.html", false, false),
                (0, "parts", "", false, false),
                (1, "parts/p1", "../parts/p1.html", false, false),
            ]
        );
        let crumbs: Vec<&str> = pn.breadcrumbs.iter().map(|b| b.title.as_str()).collect();
        assert_eq!(crumbs, vec!["index", "c1", "c1/extra"]);
        assert_eq!(pn.prev.unwrap().url, "index.html");
        assert_eq!(pn.next.unwrap().url, "../c2/index.html");
    }
}
