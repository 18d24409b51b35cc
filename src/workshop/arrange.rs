//! Arranging loaded pages: each folder's page chosen, the section tree built,
//! pages put in reading order (`chapters:` first, then front matter weights,
//! then the author's chains, else natural order).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::order::{entry_matches, Node, SortKey};
use super::{config, Page};
use crate::diag::{display_path, Diagnostic};

/// Builds the section tree and puts pages in reading order; `linked` is each
/// page's place in the author's chains. Returns the pages in order, the tree,
/// and each loaded page's new index.
pub(super) fn arrange(
    pages: Vec<Page>,
    chapters: &[String],
    linked: &[Option<(usize, usize)>],
    content_prefix: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Page>, Node, Vec<usize>) {
    // Pick each folder's page; a second README/index in the same folder is left out.
    let mut index_of_dir: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut left_out = vec![false; pages.len()];
    // Repository furniture is built but is no folder's page and not in the tree.
    let furniture: Vec<bool> = pages.iter().map(|p| is_furniture(&p.source)).collect();
    let mut candidates: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].is_index && !furniture[i])
        .collect();
    candidates.sort_by_key(|&i| index_preference(&pages[i].source));
    for i in candidates {
        let dir = parent_dir(&pages[i].source);
        if let Some(&kept) = index_of_dir.get(&dir) {
            left_out[i] = true;
            warnings.push(
                Diagnostic::warning(
                    content_prefix.join(&pages[i].source),
                    format!(
                        "left out: {} is already this folder's page",
                        display_path(&pages[kept].source)
                    ),
                )
                .with_hint("a folder has one README.md or index.md; rename or merge the other"),
            );
        } else {
            index_of_dir.insert(dir, i);
        }
    }

    // Every folder that holds a page, with its ancestors.
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for (i, p) in pages.iter().enumerate() {
        if left_out[i] || furniture[i] {
            continue;
        }
        let mut d = parent_dir(&p.source);
        loop {
            let parent = d.parent().map(Path::to_path_buf);
            if !dirs.insert(d.clone()) {
                break;
            }
            match parent {
                Some(parent) => d = parent,
                None => break,
            }
        }
    }

    let mut used_entries = vec![false; chapters.len()];
    let out_of_tree: Vec<bool> = left_out
        .iter()
        .zip(&furniture)
        .map(|(a, b)| *a || *b)
        .collect();
    let ctx = TreeCtx::new(&pages, &out_of_tree, &index_of_dir, &dirs, chapters, linked);
    let mut tree = ctx.folder(Path::new(""), &mut used_entries);
    for (entry, used) in chapters.iter().zip(&used_entries) {
        if !used {
            warnings.push(
                Diagnostic::warning(
                    config::CONFIG_FILE,
                    format!("chapters: `{entry}` matches no page or folder"),
                )
                .with_hint("list paths relative to the content folder, such as `chapter-1`"),
            );
        }
    }

    // Reading order, then indices remapped into it.
    let mut order = Vec::new();
    tree.pages_in_order(&mut order);
    // Furniture after every page of the tree, in path order.
    let mut extra: Vec<usize> = (0..pages.len()).filter(|&i| furniture[i]).collect();
    extra.sort_by(|&a, &b| {
        super::order::natural_cmp(
            &display_path(&pages[a].source),
            &display_path(&pages[b].source),
        )
    });
    order.extend(extra);
    let mut new_index = vec![usize::MAX; pages.len()];
    for (pos, &old) in order.iter().enumerate() {
        new_index[old] = pos;
    }
    remap(&mut tree, &new_index);
    let mut slots: Vec<Option<Page>> = pages.into_iter().map(Some).collect();
    let ordered: Vec<Page> = order
        .iter()
        .map(|&i| slots[i].take().expect("each page once"))
        .collect();
    (ordered, tree, new_index)
}

/// Repository furniture: community files (`CODE_OF_CONDUCT.md`, `SECURITY.md`,
/// `SUPPORT.md`, `CONTRIBUTING.md`, `LICENSE*`), and Markdown in `.github/`,
/// source and vendored code (`src/`, `node_modules/`, `wwwroot/`, `vendor/`) or a
/// theme's `exampleSite/`. Not a chapter: built, but out of the sidebar and the order.
pub fn is_furniture(source: &Path) -> bool {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_uppercase())
        .unwrap_or_default();
    if ["CODE_OF_CONDUCT", "SECURITY", "SUPPORT", "CONTRIBUTING"].contains(&stem.as_str())
        || stem.starts_with("LICENSE")
        || stem.starts_with("LICENCE")
    {
        return true;
    }
    let dirs: Vec<String> = source
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    dirs.iter().enumerate().any(|(i, d)| {
        matches!(
            d.as_str(),
            ".github" | "src" | "node_modules" | "wwwroot" | "vendor"
        ) || (d == "examplesite" && i >= 2 && dirs[i - 2] == "themes")
    })
}

fn index_preference(source: &Path) -> (u8, String) {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rank = match name.as_str() {
        "README.md" => 0,
        n if n.to_ascii_lowercase().starts_with("readme") => 1,
        _ => 2,
    };
    (rank, display_path(source))
}

fn parent_dir(p: &Path) -> PathBuf {
    p.parent().map(Path::to_path_buf).unwrap_or_default()
}

struct TreeCtx<'a> {
    pages: &'a [Page],
    index_of_dir: &'a BTreeMap<PathBuf, usize>,
    /// Non-index pages of each folder.
    pages_in: BTreeMap<PathBuf, Vec<usize>>,
    /// Sub-folders of each folder.
    subdirs: BTreeMap<PathBuf, Vec<PathBuf>>,
    chapters: &'a [String],
    linked: &'a [Option<(usize, usize)>],
}

impl<'a> TreeCtx<'a> {
    fn new(
        pages: &'a [Page],
        left_out: &[bool],
        index_of_dir: &'a BTreeMap<PathBuf, usize>,
        dirs: &BTreeSet<PathBuf>,
        chapters: &'a [String],
        linked: &'a [Option<(usize, usize)>],
    ) -> Self {
        let mut pages_in: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            if !left_out[i] && !p.is_index {
                pages_in.entry(parent_dir(&p.source)).or_default().push(i);
            }
        }
        let mut subdirs: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
        for d in dirs.iter().filter(|d| d.as_os_str() != "") {
            subdirs.entry(parent_dir(d)).or_default().push(d.clone());
        }
        TreeCtx {
            pages,
            index_of_dir,
            pages_in,
            subdirs,
            chapters,
            linked,
        }
    }

    fn folder(&self, dir: &Path, used: &mut [bool]) -> Node {
        let page = self.index_of_dir.get(dir).copied();
        let mut children: Vec<(SortKey, Node)> = Vec::new();
        for &i in self
            .pages_in
            .get(dir)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let p = &self.pages[i];
            let node = Node {
                name: file_name(&p.source),
                path: p.source.clone(),
                page: Some(i),
                children: Vec::new(),
            };
            children.push((self.key(&node, used), node));
        }
        for sub in self.subdirs.get(dir).map(Vec::as_slice).unwrap_or_default() {
            let node = self.folder(sub, used);
            children.push((self.key(&node, used), node));
        }
        children.sort_by(|a, b| a.0.order(&b.0));
        Node {
            name: file_name(dir),
            path: dir.to_path_buf(),
            page,
            children: self.follow_links(children),
        }
    }

    /// Siblings the author's chains link are put in chain order, in the places
    /// they hold: unlinked siblings and `chapters:` entries keep theirs.
    fn follow_links(&self, children: Vec<(SortKey, Node)>) -> Vec<Node> {
        let rank = |n: &Node| {
            let mut in_node = Vec::new();
            n.pages_in_order(&mut in_node);
            in_node.iter().filter_map(|&i| self.linked[i]).min()
        };
        let mut slots: Vec<(usize, (usize, usize))> = children
            .iter()
            .enumerate()
            .filter(|(_, (key, _))| key.explicit.is_none())
            .filter_map(|(pos, (_, node))| rank(node).map(|r| (pos, r)))
            .collect();
        let places: Vec<usize> = slots.iter().map(|&(pos, _)| pos).collect();
        slots.sort_by_key(|&(_, r)| r);
        let mut taken: Vec<Option<Node>> = children.into_iter().map(|(_, n)| Some(n)).collect();
        let mut out: Vec<Option<Node>> = (0..taken.len()).map(|_| None).collect();
        for (&place, &(from, _)) in places.iter().zip(&slots) {
            out[place] = taken[from].take();
        }
        out.into_iter()
            .zip(taken)
            .map(|(placed, kept)| placed.or(kept).expect("each child once"))
            .collect()
    }

    fn key(&self, node: &Node, used: &mut [bool]) -> SortKey {
        let source = node.page.map(|i| self.pages[i].source.as_path());
        let explicit = self
            .chapters
            .iter()
            .position(|e| entry_matches(e, &node.path, source));
        if let Some(i) = explicit {
            used[i] = true;
        }
        SortKey {
            explicit,
            weight: node.page.and_then(|i| self.pages[i].front.weight),
            name: node.name.clone(),
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn remap(node: &mut Node, new_index: &[usize]) {
    if let Some(p) = node.page.as_mut() {
        *p = new_index[*p];
    }
    for c in &mut node.children {
        remap(c, new_index);
    }
}

#[cfg(test)]
mod tests {
    use super::is_furniture;
    use std::path::Path;

    #[test]
    fn repository_furniture() {
        for f in [
            "CODE_OF_CONDUCT.md",
            "SECURITY.md",
            "day-1/Support.md",
            "CONTRIBUTING.md",
            "LICENSE.md",
            "LICENSE-docs.md",
            ".github/pull_request_template.md",
            "app/src/README.md",
            "web/wwwroot/lib/README.md",
            "vendor/x/README.md",
            "site/themes/hugo/exampleSite/content/a.md",
        ] {
            assert!(is_furniture(Path::new(f)), "{f}");
        }
        for f in [
            "README.md",
            "challenges/challenge-01.md",
            "sources/a.md",
            "themes/a.md",
        ] {
            assert!(!is_furniture(Path::new(f)), "{f}");
        }
    }
}
