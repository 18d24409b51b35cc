//! The reading order the author wrote, and the workshops of a repository.
//!
//! Hand-written next/previous links ([`super::navlinks`]) are joined into
//! chains: A → B is a chain step when A says its next is B (or B says its
//! previous is A) and neither end says otherwise. A repository may hold many
//! chains (challenges, and solutions linking solution to solution), each with
//! its own pager and progress. A page's `rel=next`/`rel=prev` is its author's
//! own link when it wrote one, else its chain neighbour, else, outside the
//! long chains, the natural order of its workshop's other pages.
//!
//! A workshop is the root, a folder holding a chain, or a folder with
//! unit folders (`challenges/`, `chapter-N/`, `lab-NN/`, `module-N/`, …) or
//! numbered unit files (`LAB_01-….md`).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::arrange::is_furniture;
use super::navlinks::{Direction, NavLink};
use super::order::{natural_cmp, Node};
use super::Page;
use crate::diag::display_path;

/// "Challenge 3 of 7": a page's place in its sequence, in the author's word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub noun: String,
    /// 1-based.
    pub index: usize,
    pub count: usize,
}

/// The reading order of a loaded workshop, in indices of `Workshop::pages`.
#[derive(Debug, Clone, Default)]
pub struct ReadingOrder {
    /// The author's next/previous links, by page and in the order written.
    pub links: Vec<NavLink>,
    /// The author's chains, each in reading order.
    pub chains: Vec<Vec<usize>>,
    pub prev: Vec<Option<usize>>,
    pub next: Vec<Option<usize>>,
    pub progress: Vec<Option<Progress>>,
    /// Whether each page's author wrote its own previous and next links (which
    /// `prev`/`next` then follow): the page's navigation line is the pager.
    pub wrote: Vec<(bool, bool)>,
    /// The folder of the workshop each page belongs to (empty: the repository root).
    pub workshop: Vec<PathBuf>,
    /// Workshop folders, root (empty path) first.
    pub workshops: Vec<PathBuf>,
}

/// Chains of pages joined by the author's links, each from its first page;
/// chains sorted by their first page's path.
pub fn chains(pages: &[Page], links: &[NavLink]) -> Vec<Vec<usize>> {
    let n = pages.len();
    // Each page's own word first, then what its neighbours say of it.
    let mut succ: Vec<Option<usize>> = vec![None; n];
    let mut pred: Vec<Option<usize>> = vec![None; n];
    for l in links {
        if is_furniture(&pages[l.from].source) || is_furniture(&pages[l.to].source) {
            continue;
        }
        match l.direction {
            Direction::Next => {
                succ[l.from].get_or_insert(l.to);
            }
            Direction::Previous => {
                pred[l.from].get_or_insert(l.to);
            }
        }
    }
    let mut claimed_pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut claimed_succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for a in 0..n {
        if let Some(b) = succ[a] {
            claimed_pred[b].push(a);
        }
        if let Some(b) = pred[a] {
            claimed_succ[b].push(a);
        }
    }
    // A → B is a step when both agree, or when one says so, the other is silent
    // and nobody else claims the place.
    let mut step: Vec<Option<usize>> = vec![None; n];
    let mut has_pred = vec![false; n];
    for a in 0..n {
        let b = match succ[a] {
            Some(b) => b,
            None => match claimed_succ[a].as_slice() {
                [b] => *b,
                _ => continue,
            },
        };
        let agrees = match pred[b] {
            Some(p) => p == a,
            None => claimed_pred[b].iter().all(|&x| x == a) || claimed_pred[b].is_empty(),
        };
        if agrees && !has_pred[b] {
            step[a] = Some(b);
            has_pred[b] = true;
        }
    }
    let mut seen = vec![false; n];
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut starts: Vec<usize> = (0..n)
        .filter(|&a| step[a].is_some() && !has_pred[a])
        .collect();
    // Loops have no start: begin at the first page in path order.
    let mut loop_members: Vec<usize> = (0..n)
        .filter(|&a| step[a].is_some() && has_pred[a])
        .collect();
    loop_members.sort_by(|&a, &b| path_cmp(pages, a, b));
    starts.sort_by(|&a, &b| path_cmp(pages, a, b));
    for s in starts.into_iter().chain(loop_members) {
        if seen[s] {
            continue;
        }
        let mut chain = vec![s];
        seen[s] = true;
        let mut at = s;
        while let Some(b) = step[at] {
            if seen[b] {
                break;
            }
            seen[b] = true;
            chain.push(b);
            at = b;
        }
        if chain.len() > 1 {
            out.push(chain);
        }
    }
    out.sort_by(|a, b| path_cmp(pages, a[0], b[0]));
    out
}

fn path_cmp(pages: &[Page], a: usize, b: usize) -> std::cmp::Ordering {
    natural_cmp(
        &display_path(&pages[a].source),
        &display_path(&pages[b].source),
    )
}

/// `(chain, position)` of each page in a chain, for sorting siblings.
pub fn ranks(n: usize, chains: &[Vec<usize>]) -> Vec<Option<(usize, usize)>> {
    let mut out = vec![None; n];
    for (c, chain) in chains.iter().enumerate() {
        for (pos, &p) in chain.iter().enumerate() {
            out[p] = Some((c, pos));
        }
    }
    out
}

/// Chains shorter than this count in their workshop's units.
const MIN_CHAIN_COUNT: usize = 3;

static UNIT_DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(challenges|(chapter|lab|module|day|part|unit|exercise|step|session|lesson)[-_ ]?\d+)$",
    )
    .expect("valid regex")
});
static UNIT_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(chapter|lab|module|exercise|unit|lesson|step)[-_ ]?\d+")
        .expect("valid regex")
});
/// Folders of solutions and walkthroughs: side pages, never a workshop of their own.
static SIDE_DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(solutions?|walkthroughs?|answers?)$").expect("valid regex")
});
/// Folders that hold a workshop's units rather than being one.
static UNIT_CONTAINER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(challenges|walkthrough|solutions?|labs|chapters|modules|steps|exercises|lessons|docs)$")
        .expect("valid regex")
});

impl ReadingOrder {
    /// The order of `pages` (already in tree order), given the author's links and
    /// chains in the same indices.
    pub fn new(
        pages: &[Page],
        tree: &Node,
        mut links: Vec<NavLink>,
        chains: Vec<Vec<usize>>,
    ) -> Self {
        let n = pages.len();
        links.sort_by_key(|l| (l.from, l.line, l.column));
        let workshops = workshop_folders(pages, tree, &chains);
        // Each page's workshop: the nearest workshop folder above it (one map
        // lookup per folder level, not a scan of every workshop).
        let index_of: HashMap<&Path, usize> = workshops
            .iter()
            .enumerate()
            .map(|(k, w)| (w.as_path(), k))
            .collect();
        let parent = |i: usize| pages[i].source.parent().unwrap_or(Path::new(""));
        let ws_of: Vec<usize> = (0..n)
            .map(|i| {
                parent(i)
                    .ancestors()
                    .find_map(|d| index_of.get(d).copied())
                    .unwrap_or(0)
            })
            .collect();
        let workshop: Vec<PathBuf> = ws_of.iter().map(|&k| workshops[k].clone()).collect();
        let furniture: Vec<bool> = pages.iter().map(|p| is_furniture(&p.source)).collect();
        // A workshop's landing page: the README of its folder.
        let landing_page: Vec<bool> = (0..n)
            .map(|i| pages[i].is_index && !furniture[i] && index_of.contains_key(parent(i)))
            .collect();
        let is_landing = |i: usize| landing_page[i];
        let mut members_of: Vec<Vec<usize>> = vec![Vec::new(); workshops.len()];
        for i in 0..n {
            members_of[ws_of[i]].push(i);
        }

        let mut prev: Vec<Option<usize>> = vec![None; n];
        let mut next: Vec<Option<usize>> = vec![None; n];
        let mut progress: Vec<Option<Progress>> = vec![None; n];
        // Chains long enough to be a sequence of their own ("Challenge 3 of 7",
        // a pager that ends where the author's links end); a shorter chain
        // stays in its workshop's sequence and units.
        let counted_of = |chain: &[usize]| -> Vec<usize> {
            chain.iter().copied().filter(|&p| !is_landing(p)).collect()
        };
        let mut in_long_chain = vec![false; n];
        let mut counted_in_chain = vec![false; n];
        for chain in &chains {
            let counted = counted_of(chain);
            if counted.len() < MIN_CHAIN_COUNT {
                continue;
            }
            for &p in chain {
                in_long_chain[p] = true;
            }
            let names = counted.iter().map(|&p| page_word(&pages[p])).collect();
            let noun = noun_of(pages, names, &counted);
            for (k, &p) in counted.iter().enumerate() {
                counted_in_chain[p] = true;
                progress[p] = Some(Progress {
                    noun: noun.clone(),
                    index: k + 1,
                    count: counted.len(),
                });
            }
        }
        // Pages in no chain: natural order among the other such pages of their workshop.
        for (k, w) in workshops.iter().enumerate() {
            let members: Vec<usize> = members_of[k]
                .iter()
                .copied()
                .filter(|&i| !in_long_chain[i] && !furniture[i])
                .collect();
            for pair in members.windows(2) {
                next[pair[0]] = Some(pair[1]);
                prev[pair[1]] = Some(pair[0]);
            }
            if let Some(node) = find_node(tree, w) {
                let units: Vec<&Node> = units_of(pages, node, &workshops)
                    .into_iter()
                    .filter(|u| {
                        let mut in_unit = Vec::new();
                        u.pages_in_order(&mut in_unit);
                        in_unit.iter().any(|&p| !counted_in_chain[p])
                    })
                    .collect();
                // The catalogue of nested workshops counts nothing; in a workshop
                // with its own chain, the other pages are side pages (solutions).
                let nested = workshops.iter().any(|x| x != w && x.starts_with(w));
                let has_chain = members_of[k].iter().any(|&i| counted_in_chain[i]);
                if units.is_empty() || has_chain || (nested && w.as_os_str().is_empty()) {
                    continue;
                }
                let firsts: Vec<usize> = units.iter().filter_map(|u| first_page(u)).collect();
                let names = units.iter().map(|u| name_word(&u.name)).collect();
                let noun = noun_of(pages, names, &firsts);
                for (k, unit) in units.iter().enumerate() {
                    let mut in_unit = Vec::new();
                    unit.pages_in_order(&mut in_unit);
                    for p in in_unit
                        .into_iter()
                        .filter(|&p| !counted_in_chain[p] && !is_landing(p))
                    {
                        progress[p] = Some(Progress {
                            noun: noun.clone(),
                            index: k + 1,
                            count: units.len(),
                        });
                    }
                }
            }
        }
        for chain in &chains {
            for w in chain.windows(2) {
                next[w[0]] = Some(w[1]);
                prev[w[1]] = Some(w[0]);
            }
        }
        // A long chain starts from its workshop's landing page, when that page is
        // in no chain: the first chain (in path order) is where "Start" leads.
        for chain in chains.iter().filter(|c| in_long_chain[c[0]]) {
            let start = chain[0];
            let landing = members_of[ws_of[start]].iter().copied().find(|&i| {
                is_landing(i) && !in_long_chain[i] && parent(i) == workshops[ws_of[start]]
            });
            let free = |l: usize| prev[start].is_none() && next[l].is_none();
            if let Some(l) = landing.filter(|&l| free(l)) {
                prev[start] = Some(l);
                next[l] = Some(start);
            }
        }
        // The author's own word wins for the page it is written in (the first
        // link in each direction: set last); furniture is in no sequence.
        let mut wrote = vec![(false, false); n];
        for l in links.iter().rev().filter(|l| !furniture[l.from]) {
            match l.direction {
                Direction::Next => {
                    next[l.from] = Some(l.to);
                    wrote[l.from].1 = true;
                }
                Direction::Previous => {
                    prev[l.from] = Some(l.to);
                    wrote[l.from].0 = true;
                }
            }
        }
        ReadingOrder {
            links,
            chains,
            prev,
            next,
            progress,
            wrote,
            workshop,
            workshops,
        }
    }
}

impl ReadingOrder {
    /// The links written in page `page`, in the order written.
    pub fn links_from(&self, page: usize) -> &[NavLink] {
        let start = self.links.partition_point(|l| l.from < page);
        let end = self.links.partition_point(|l| l.from <= page);
        &self.links[start..end]
    }
}

/// The root, each chain's folder, and each folder holding unit folders.
fn workshop_folders(pages: &[Page], tree: &Node, chains: &[Vec<usize>]) -> Vec<PathBuf> {
    let mut set: BTreeSet<PathBuf> = BTreeSet::new();
    set.insert(PathBuf::new());
    for chain in chains {
        let mut common: Option<PathBuf> = None;
        for &p in chain {
            let dir = pages[p]
                .source
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            common = Some(match common {
                None => dir,
                Some(c) => common_prefix(&c, &dir),
            });
        }
        let mut dir = common.unwrap_or_default();
        while dir
            .file_name()
            .is_some_and(|n| UNIT_CONTAINER.is_match(&n.to_string_lossy()))
        {
            dir.pop();
        }
        set.insert(dir);
    }
    fn walk(pages: &[Page], node: &Node, set: &mut BTreeSet<PathBuf>) {
        let unit_dirs = node
            .children
            .iter()
            .any(|c| is_folder(pages, c) && UNIT_DIR.is_match(&c.name));
        // `Labs/LAB_01-….md`, `LAB_02-….md`: a folder of numbered unit files,
        // unless it holds solutions to them (side pages of the workshop around).
        let unit_files = !SIDE_DIR.is_match(&node.name)
            && node
                .children
                .iter()
                .filter(|c| !is_folder(pages, c) && UNIT_FILE.is_match(&c.name))
                .count()
                >= 2;
        if unit_dirs || unit_files {
            set.insert(node.path.clone());
        }
        for c in &node.children {
            walk(pages, c, set);
        }
    }
    walk(pages, tree, &mut set);
    // A repository that holds workshops is a catalogue: each of its top-level
    // folders with a README and pages below it is a workshop too.
    if set.len() > 1 {
        for c in &tree.children {
            let is_unit = UNIT_DIR.is_match(&c.name) || UNIT_CONTAINER.is_match(&c.name);
            if c.page.is_some_and(|p| pages[p].is_index) && !c.children.is_empty() && !is_unit {
                set.insert(c.path.clone());
            }
        }
    }
    set.into_iter().collect()
}

/// Whether a tree node is a folder (a page-less folder, or one with its README).
fn is_folder(pages: &[Page], node: &Node) -> bool {
    node.page.map_or(true, |p| pages[p].is_index)
}

fn common_prefix(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.as_os_str())
        .collect()
}

fn find_node<'a>(node: &'a Node, path: &Path) -> Option<&'a Node> {
    if node.path == path {
        return Some(node);
    }
    node.children
        .iter()
        .filter(|c| path.starts_with(&c.path))
        .find_map(|c| find_node(c, path))
}

fn first_page(node: &Node) -> Option<usize> {
    let mut v = Vec::new();
    node.pages_in_order(&mut v);
    v.first().copied()
}

/// A workshop's units: its folder's children, where a folder with no page of
/// its own (`challenges/`) gives its children instead; nested workshops are
/// not units.
fn units_of<'a>(pages: &[Page], node: &'a Node, workshops: &[PathBuf]) -> Vec<&'a Node> {
    fn collect<'a>(pages: &[Page], node: &'a Node, workshops: &[PathBuf], out: &mut Vec<&'a Node>) {
        for child in &node.children {
            if is_folder(pages, child) && workshops.contains(&child.path) {
                continue;
            }
            // `challenges/` gives its pages; a `lab-01/` without a README is one unit.
            let unit_folder =
                UNIT_DIR.is_match(&child.name) && !child.name.eq_ignore_ascii_case("challenges");
            if child.page.is_none() && !unit_folder {
                collect(pages, child, workshops, out);
            } else {
                out.push(child);
            }
        }
    }
    let mut out = Vec::new();
    collect(pages, node, workshops, &mut out);
    out
}

static NOUN_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z]+)[-_ .]*\d+").expect("valid regex"));
static NOUN_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^#\s+(?:[^\p{L}\n]*\s)?(\p{L}+)\s*\d+\b").expect("valid regex")
});

/// The word of a unit name: `lab` of `lab-01`, `challenge` of `challenge-02`.
fn name_word(name: &str) -> Option<String> {
    NOUN_NAME.captures(name).map(|c| c[1].to_string())
}

/// The word of a page's name: its folder's for a README, else its file's.
fn page_word(p: &Page) -> Option<String> {
    let name = if p.is_index {
        p.source.parent().and_then(Path::file_name)
    } else {
        p.source.file_stem()
    };
    name_word(&name?.to_string_lossy())
}

/// The word the pages call themselves: the shared word of their names
/// (`lab-01`, `challenge-02.md`), else of their first headings ("# Challenge 3:
/// …"), else "Chapter".
fn noun_of(pages: &[Page], names: Vec<Option<String>>, members: &[usize]) -> String {
    let shared = |words: Vec<Option<String>>| -> Option<String> {
        let first = words.first()?.clone()?;
        words
            .iter()
            .all(|w| w.as_deref().is_some_and(|w| w.eq_ignore_ascii_case(&first)))
            .then(|| capitalize(&first))
    };
    if let Some(noun) = shared(names) {
        return noun;
    }
    let titles = members
        .iter()
        .map(|&i| {
            let p = &pages[i];
            let title = p
                .front
                .title
                .as_ref()
                .map(|t| format!("# {t}"))
                .unwrap_or_else(|| p.body.clone());
            NOUN_TITLE.captures(&title).map(|c| c[1].to_string())
        })
        .collect();
    shared(titles).unwrap_or_else(|| "Chapter".to_string())
}

fn capitalize(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Maps chains and links from load indices to reading-order indices.
/// Pages left out (`usize::MAX`: a folder's second README) drop out of both.
pub fn remap(links: &mut Vec<NavLink>, chains: &mut Vec<Vec<usize>>, new_index: &[usize]) {
    links.retain(|l| new_index[l.from] != usize::MAX && new_index[l.to] != usize::MAX);
    for l in links.iter_mut() {
        l.from = new_index[l.from];
        l.to = new_index[l.to];
    }
    for c in chains.iter_mut() {
        c.retain(|&p| new_index[p] != usize::MAX);
        for p in c.iter_mut() {
            *p = new_index[*p];
        }
    }
    chains.retain(|c| c.len() > 1);
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::diag::display_path;
    use crate::workshop::{LoadOptions, Workshop};

    fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, Workshop) {
        let dir = crate::testing::tree(files);
        let ws = Workshop::load(dir.path(), &LoadOptions::default()).unwrap();
        (dir, ws)
    }

    fn name(ws: &Workshop, i: Option<usize>) -> Option<String> {
        i.map(|i| display_path(&ws.pages[i].source))
    }

    #[test]
    fn challenges_and_a_walkthrough_are_two_chains() {
        let (_d, ws) = load(&[
            ("README.md", "# Hack\n"),
            ("challenges/challenge-01.md", "# C1\n[Next Challenge >](challenge-02.md)\n"),
            (
                "challenges/challenge-02.md",
                "# C2\n[< Previous Challenge](challenge-01.md) - [Next Challenge >](challenge-03.md)\n",
            ),
            ("challenges/challenge-03.md", "# C3\n[< Previous Challenge](challenge-02.md)\n"),
            ("walkthrough/setup.md", "# Setting up\n[Next >](deploy.md)\n"),
            ("walkthrough/deploy.md", "# Deploying\n[Next >](cleanup.md)\n"),
            ("walkthrough/cleanup.md", "# Cleaning up\n[« Previous](deploy.md)\n"),
        ]);
        let order: Vec<String> = ws.pages.iter().map(|p| display_path(&p.source)).collect();
        assert_eq!(
            order,
            vec![
                "README.md",
                "challenges/challenge-01.md",
                "challenges/challenge-02.md",
                "challenges/challenge-03.md",
                "walkthrough/setup.md",
                "walkthrough/deploy.md",
                "walkthrough/cleanup.md",
            ]
        );
        assert_eq!(ws.reading.chains, vec![vec![1, 2, 3], vec![4, 5, 6]]);
        // Each chain ends where the author's links end; the first starts from the landing page.
        assert_eq!(ws.reading.next[3], None);
        assert_eq!(name(&ws, ws.reading.prev[1]), Some("README.md".into()));
        assert_eq!(ws.reading.next[0], Some(1));
        assert_eq!(name(&ws, ws.reading.prev[4]), None);
        assert_eq!(
            name(&ws, ws.reading.prev[6]),
            Some("walkthrough/deploy.md".into())
        );
        let p = ws.reading.progress[2].as_ref().unwrap();
        assert_eq!((p.noun.as_str(), p.index, p.count), ("Challenge", 2, 3));
        assert_eq!(ws.reading.progress[0], None);
    }

    #[test]
    fn a_wrong_link_does_not_join_the_chain_and_workshops_count_their_own_labs() {
        let (_d, ws) = load(&[
            ("README.md", "# Catalogue\n"),
            ("aws/README.md", "# AWS\n"),
            (
                "aws/lab-01/README.md",
                "# Lab 1\n[Next >](../lab-02/README.md)\n",
            ),
            (
                "aws/lab-02/README.md",
                "# Lab 2\n[< Previous](../lab-01/README.md)\n",
            ),
            (
                "aws/lab-03/README.md",
                "# Lab 3\n[< Previous](../lab-01/README.md)\n",
            ),
            ("gcp/README.md", "# GCP\n"),
            ("gcp/module-1/README.md", "# One\n"),
            ("gcp/module-2/README.md", "# Two\n"),
            ("azure/README.md", "# Azure\n"),
            ("azure/intro.md", "# Intro\n"),
        ]);
        let at = |key: &str| ws.page_by_key(key).unwrap();
        // lab-01 says next is lab-02 and lab-02 agrees; lab-03's claim is left out.
        assert_eq!(
            ws.reading.chains,
            vec![vec![at("aws/lab-01"), at("aws/lab-02")]]
        );
        assert_eq!(
            ws.reading.workshops,
            // azure/ has no units, but the repository is a catalogue of workshops.
            vec![
                PathBuf::from(""),
                PathBuf::from("aws"),
                PathBuf::from("azure"),
                PathBuf::from("gcp")
            ]
        );
        let progress = |key: &str| {
            ws.reading.progress[at(key)]
                .as_ref()
                .map(|p| format!("{} {} of {}", p.noun, p.index, p.count))
        };
        assert_eq!(progress("aws/lab-03").as_deref(), Some("Lab 3 of 3"));
        assert_eq!(progress("gcp/module-2").as_deref(), Some("Module 2 of 2"));
        assert_eq!(progress("gcp"), None);
        assert_eq!(progress("index"), None);
        // The unchained sequence of a workshop stays inside it.
        assert_eq!(ws.reading.next[at("aws/lab-03")], None);
        assert_eq!(ws.reading.prev[at("gcp")], None);
    }

    #[test]
    fn a_folder_of_numbered_lab_files_is_a_workshop() {
        let (_d, ws) = load(&[
            ("readme.md", "# Course\n"),
            ("Instructions/Labs/LAB_01-Identities.md", "# Identities\n"),
            (
                "Instructions/Labs/LAB_02a_Subscriptions.md",
                "# Subscriptions\n",
            ),
            ("Instructions/Labs/LAB_10-Backup.md", "# Backup\n"),
            ("Instructions/Demos/01 - Identity.md", "# Demo\n"),
        ]);
        assert!(ws
            .reading
            .workshops
            .contains(&PathBuf::from("Instructions/Labs")));
        let at = |key: &str| ws.page_by_key(key).unwrap();
        let p = ws.reading.progress[at("Instructions/Labs/LAB_10-Backup")]
            .as_ref()
            .unwrap();
        assert_eq!((p.noun.as_str(), p.index, p.count), ("Lab", 3, 3));
        // The catalogue around it counts nothing.
        assert_eq!(
            ws.reading.progress[at("Instructions/Demos/01 - Identity")],
            None
        );
    }
}
