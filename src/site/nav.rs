//! Navigation of the built site: the sidebar and breadcrumbs from the
//! workshop's section tree, previous/next from its reading order.
//!
//! The sidebar is the current workshop's tree as nested `<details>`: the
//! folders holding the current page are open, every other folder is closed and
//! opens without a page load (no script needed). The repository's other
//! workshops are one line each, so the catalogue stays short.

use serde::Serialize;

use crate::urlpath::{relative_site_url, site_path};
use crate::workshop::order::Node;
use crate::workshop::Workshop;

/// Sidebars up to this many lines are shown whole on every page.
const FULL_SIDEBAR: usize = 200;
/// Lines kept either side of the page's branch, on each level, beyond that: at
/// 25 the 45,001-page hostile test's debug build took 82 s (the sidebar's lines
/// are most of what tera renders per page), at 8 it takes 41 s.
const WINDOW: usize = 8;

/// One line of the flattened section tree.
#[derive(Debug, Clone)]
struct Entry {
    depth: usize,
    page: Option<usize>,
    /// Folder name, for folders without a page.
    name: String,
    /// The entry of the folder holding this one, if any.
    parent: Option<usize>,
    /// Whether this is the folder of a workshop nested in the repository.
    workshop: bool,
}

/// Site-wide navigation, computed once per build.
#[derive(Debug, Clone)]
pub struct Navigation {
    entries: Vec<Entry>,
    /// Entry index of each page; none for repository furniture, which is not in the sidebar.
    entry_of_page: Vec<Option<usize>>,
    /// Each page's output path as a URL path, encoded once for all the links to it.
    urls: Vec<String>,
    /// The entry after each entry's subtree: skipping a closed folder is one step,
    /// so a page's sidebar costs what it shows, not the whole tree.
    end: Vec<usize>,
    /// Lines of the sidebar with every other workshop as one line.
    lines_all_closed: usize,
    /// Each entry's children, and the entries at the top.
    children: Vec<Vec<usize>>,
    top: Vec<usize>,
    /// Each entry's place among its siblings.
    sibling_index: Vec<usize>,
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
    /// Whether entries nested in this one follow (it opens a `<details>` group).
    pub group: bool,
    /// Whether the group is shown open: it holds the current page, or is it.
    pub open: bool,
    /// How many groups end after this entry.
    pub closes: usize,
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
    pub breadcrumbs: Vec<PageLink>,
    /// The page's neighbours in the reading order (`<link rel>` in the head).
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    /// What labsite's pager shows: a neighbour the author's own navigation line
    /// already links is left out, so a page has one pager, not two.
    pub pager_prev: Option<PageLink>,
    pub pager_next: Option<PageLink>,
}

impl Navigation {
    pub fn new(ws: &Workshop) -> Self {
        let mut entries = Vec::new();
        if let Some(landing) = ws.tree.page {
            entries.push(Entry {
                depth: 0,
                page: Some(landing),
                name: String::new(),
                parent: None,
                workshop: false,
            });
        }
        for child in &ws.tree.children {
            flatten(child, 0, None, &ws.reading.workshops, &mut entries);
        }
        let mut entry_of_page = vec![None; ws.pages.len()];
        for (i, e) in entries.iter().enumerate() {
            if let Some(p) = e.page {
                entry_of_page[p] = Some(i);
            }
        }
        let mut end: Vec<usize> = (1..=entries.len()).collect();
        for i in (0..entries.len()).rev() {
            if let Some(p) = entries[i].parent {
                end[p] = end[p].max(end[i]);
            }
        }
        let lines_all_closed = entries.len()
            - entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.workshop && e.page.is_some())
                .map(|(i, _)| end[i] - i - 1)
                .sum::<usize>();
        let mut children = vec![Vec::new(); entries.len()];
        let mut top = Vec::new();
        let mut sibling_index = vec![0; entries.len()];
        for (i, e) in entries.iter().enumerate() {
            let level = match e.parent {
                Some(p) => &mut children[p],
                None => &mut top,
            };
            sibling_index[i] = level.len();
            level.push(i);
        }
        Navigation {
            entries,
            entry_of_page,
            urls: ws.pages.iter().map(|p| site_path(&p.output)).collect(),
            end,
            lines_all_closed,
            children,
            top,
            sibling_index,
        }
    }

    /// Navigation for page `page`; `titles` are the final page titles.
    pub fn for_page(&self, ws: &Workshop, titles: &[String], page: usize) -> PageNav {
        let from = self.urls[page].as_str();
        // A page outside the sidebar (furniture) has no current entry: `usize::MAX` matches none.
        let current = self.entry_of_page[page].unwrap_or(usize::MAX);
        // The folders holding the page, outermost first.
        let mut ancestors = Vec::new();
        let mut up = self.entry_of_page[page].and_then(|c| self.entries[c].parent);
        while let Some(a) = up {
            ancestors.push(a);
            up = self.entries[a].parent;
        }
        ancestors.reverse();
        let whole = ws.pages[page].key == "index";
        let nav = self.items(titles, from, Some(current), &ancestors, whole);

        let mut breadcrumbs: Vec<PageLink> = Vec::new();
        if let Some(landing) = ws.tree.page {
            if landing != page {
                breadcrumbs.push(self.link(titles, from, landing));
            }
        }
        for &a in &ancestors {
            breadcrumbs.push(match self.entries[a].page {
                Some(p) => self.link(titles, from, p),
                None => PageLink {
                    title: self.entries[a].name.clone(),
                    url: String::new(),
                },
            });
        }
        breadcrumbs.push(PageLink {
            title: titles[page].clone(),
            url: relative_site_url(from, from),
        });

        let prev = ws.reading.prev[page].map(|p| self.link(titles, from, p));
        let next = ws.reading.next[page].map(|p| self.link(titles, from, p));
        let (wrote_prev, wrote_next) = ws.reading.wrote[page];
        PageNav {
            nav,
            breadcrumbs,
            pager_prev: prev.clone().filter(|_| !wrote_prev),
            pager_next: next.clone().filter(|_| !wrote_next),
            prev,
            next,
        }
    }

    /// Every sidebar line, URLs relative to the site's root: the contents of a
    /// workshop that has no landing page of its own.
    pub fn contents(&self, titles: &[String]) -> Vec<NavItem> {
        self.items(titles, "index.html", None, &[], true)
    }

    /// The sidebar's lines seen from the page at URL path `from`: `current` is
    /// its entry, `ancestors` the entries of the folders holding it.
    /// `whole`: every line, however many (the landing page, the contents page).
    fn items(
        &self,
        titles: &[String],
        from: &str,
        current: Option<usize>,
        ancestors: &[usize],
        whole: bool,
    ) -> Vec<NavItem> {
        // Other workshops of the repository are one line each, leading to their
        // landing page: the page's size follows its own workshop, not the repository's.
        let on_branch = |i: usize| Some(i) == current || ancestors.contains(&i);
        let is_open_workshop = |i: usize| {
            let e = &self.entries[i];
            e.workshop && e.page.is_some() && on_branch(i)
        };
        // How many lines that makes, without walking the tree: the workshops on the
        // page's branch are open.
        let lines = self.lines_all_closed
            + current
                .into_iter()
                .chain(ancestors.iter().copied())
                .filter(|&i| i < self.entries.len() && is_open_workshop(i))
                .map(|i| self.end[i] - i - 1)
                .sum::<usize>();
        // Too many to repeat on every page: closed folders become one line too, and
        // each level keeps the lines near the page's branch.
        let shown = if !whole && lines > FULL_SIDEBAR {
            let branch: Vec<usize> = ancestors.iter().copied().chain(current).collect();
            let mut shown = Vec::new();
            self.window(None, &branch, &mut shown);
            shown
        } else {
            let mut shown: Vec<(usize, bool)> = Vec::new();
            let mut i = 0;
            while i < self.entries.len() {
                let e = &self.entries[i];
                if e.workshop && e.page.is_some() && !on_branch(i) {
                    shown.push((i, false));
                    i = self.end[i];
                    continue;
                }
                shown.push((i, self.end[i] > i + 1));
                i += 1;
            }
            shown
        };
        shown
            .iter()
            .enumerate()
            .map(|(k, &(i, group))| {
                let e = &self.entries[i];
                let closes = if group {
                    0
                } else {
                    // Groups end where the next line is shallower, or at the end.
                    let next_depth = shown.get(k + 1).map_or(0, |&(j, _)| self.entries[j].depth);
                    e.depth.saturating_sub(next_depth)
                };
                NavItem {
                    depth: e.depth,
                    title: e.page.map_or_else(|| e.name.clone(), |p| titles[p].clone()),
                    url: e
                        .page
                        .map_or_else(String::new, |p| relative_site_url(from, &self.urls[p])),
                    current: Some(i) == current,
                    ancestor: ancestors.contains(&i),
                    group,
                    open: group && on_branch(i),
                    closes,
                }
            })
            .collect()
    }

    /// The lines of one level of a sidebar too long to repeat on every page (a
    /// workshop of 1,500 chapters): the `WINDOW` lines either side of the page's
    /// branch (the first line of the top level, the landing page, always), closed
    /// folders as one line, the branch's folder opened the same way. What it costs
    /// is what it shows: about the depth times the window, whatever the tree's size.
    fn window(&self, parent: Option<usize>, branch: &[usize], out: &mut Vec<(usize, bool)>) {
        let level = parent.map_or(&self.top, |p| &self.children[p]);
        let at = branch
            .iter()
            .find(|&&b| b < self.entries.len() && self.entries[b].parent == parent)
            .map_or(0, |&b| self.sibling_index[b]);
        let lo = at.saturating_sub(WINDOW);
        let hi = (at + WINDOW + 1).min(level.len());
        if parent.is_none() && lo > 0 {
            out.push((level[0], false));
        }
        for &i in &level[lo..hi] {
            let open = self.end[i] > i + 1 && branch.contains(&i);
            out.push((i, open));
            if open {
                self.window(Some(i), branch, out);
            }
        }
    }

    fn link(&self, titles: &[String], from: &str, to: usize) -> PageLink {
        PageLink {
            title: titles[to].clone(),
            url: relative_site_url(from, &self.urls[to]),
        }
    }
}

fn flatten(
    node: &Node,
    depth: usize,
    parent: Option<usize>,
    workshops: &[std::path::PathBuf],
    out: &mut Vec<Entry>,
) {
    let me = out.len();
    out.push(Entry {
        depth,
        page: node.page,
        name: node.name.clone(),
        parent,
        workshop: !node.children.is_empty() && workshops.contains(&node.path),
    });
    for child in &node.children {
        flatten(child, depth + 1, Some(me), workshops, out);
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
        let groups: Vec<(&str, bool, bool, usize)> = pn
            .nav
            .iter()
            .map(|n| (n.title.as_str(), n.group, n.open, n.closes))
            .collect();
        assert_eq!(
            groups,
            vec![
                ("index", false, false, 0),
                ("c1", true, true, 0),
                ("c1/extra", false, false, 1),
                ("c2", false, false, 0),
                ("parts", true, false, 0),
                ("parts/p1", false, false, 1),
            ]
        );
        let crumbs: Vec<&str> = pn.breadcrumbs.iter().map(|b| b.title.as_str()).collect();
        assert_eq!(crumbs, vec!["index", "c1", "c1/extra"]);
        assert_eq!(pn.prev.unwrap().url, "index.html");
        assert_eq!(pn.next.unwrap().url, "../c2/index.html");
    }

    #[test]
    fn a_very_long_sidebar_keeps_the_branch_and_the_landing_page_lists_all() {
        let mut files = vec![("README.md".to_string(), "# Home".to_string())];
        for n in 0..300 {
            files.push((format!("c{n}/README.md"), format!("# C{n}")));
        }
        files.push(("c150/extra.md".into(), "# Extra".into()));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let dir = crate::testing::tree(&refs);
        let ws = Workshop::load(dir.path(), &LoadOptions::default()).unwrap();
        let titles: Vec<String> = ws.pages.iter().map(|p| p.key.clone()).collect();
        let nav = Navigation::new(&ws);
        let landing = nav.for_page(&ws, &titles, ws.page_by_key("index").unwrap());
        assert_eq!(landing.nav.len(), 302);
        let pn = nav.for_page(&ws, &titles, ws.page_by_key("c150/extra").unwrap());
        let shown: Vec<&str> = pn.nav.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(shown.len(), 1 + 2 * WINDOW + 1 + 1, "{shown:?}");
        assert_eq!(shown[0], "index");
        let (first, before) = (format!("c{}", 150 - WINDOW), format!("c{}", 149 - WINDOW));
        assert!(
            shown.contains(&"c150/extra")
                && shown.contains(&first.as_str())
                && !shown.contains(&before.as_str())
        );
        // Only the branch is a group; its group closes after its last child.
        let groups: Vec<&str> = pn
            .nav
            .iter()
            .filter(|n| n.group)
            .map(|n| n.title.as_str())
            .collect();
        assert_eq!(groups, vec!["c150"]);
        assert_eq!(pn.nav.iter().map(|n| n.closes).sum::<usize>(), 1);
    }
}
