//! Pages for folders that have none: a link to `../templates/` works on GitHub,
//! which shows the folder's files, so the site shows them too, in its theme
//! (`listing.html`), at `templates/index.html`.
//!
//! Only folders something links to get one, and the folders below them that
//! have no page of their own (the listing links them), so every link on a
//! listing page resolves.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::display_path;
use crate::markdown::links::listing_page;
use crate::markdown::Rendered;
use crate::urlpath::{encode_path, relative_url};

/// One entry of a folder, as GitHub lists it: folders first, then files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub name: String,
    /// Relative to the listing page.
    pub url: String,
    /// `folder`, `page` or `file`.
    pub kind: &'static str,
}

/// A folder's listing page.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    /// The folder, relative to the content folder, `/`-separated.
    pub folder: String,
    /// Where the page is written, relative to the output folder.
    #[serde(skip)]
    pub output: PathBuf,
    pub entries: Vec<Entry>,
    /// The folder in the repository's web view, when the repository is known.
    pub repository_url: String,
    /// The parent folder's page or listing, relative to this page, if it has one.
    pub parent_url: String,
}

/// The listing pages of a rendered workshop: for each linked folder and the
/// page-less folders below it.
pub fn listings(rendered: &Rendered) -> Vec<Listing> {
    let linked = rendered.linked_extras();
    if linked.folders.is_empty() {
        return Vec::new();
    }
    let ws = &rendered.workshop;
    // Every folder's children: pages, copied files, linked extra files, folders.
    let mut children: BTreeMap<PathBuf, BTreeSet<(u8, PathBuf)>> = BTreeMap::new();
    let mut add = |path: &Path, kind: u8| {
        let mut child = path.to_path_buf();
        let mut kind = kind;
        while let Some(parent) = child.parent() {
            let fresh = children
                .entry(parent.to_path_buf())
                .or_default()
                .insert((kind, child.clone()));
            if !fresh && kind == FOLDER {
                break;
            }
            child = parent.to_path_buf();
            kind = FOLDER;
            if child.as_os_str().is_empty() {
                break;
            }
        }
    };
    for page in &ws.pages {
        add(&page.source, PAGE);
    }
    for file in ws.files.iter().chain(&linked.files) {
        add(file, FILE);
    }
    // The folders to list: the linked ones and their page-less descendants.
    let mut todo: Vec<PathBuf> = linked.folders.iter().cloned().collect();
    let mut listed: BTreeSet<PathBuf> = BTreeSet::new();
    while let Some(folder) = todo.pop() {
        if folder_page(rendered, &folder).is_some() || !listed.insert(folder.clone()) {
            continue;
        }
        for (kind, child) in children.get(&folder).into_iter().flatten() {
            if *kind == FOLDER && folder_page(rendered, child).is_none() {
                todo.push(child.clone());
            }
        }
    }
    listed
        .iter()
        .map(|folder| listing(rendered, folder, children.get(folder), &listed))
        .collect()
}

const FOLDER: u8 = 0;
const PAGE: u8 = 1;
const FILE: u8 = 2;

/// The page of a folder that has one: its README, or an `index.html` copied as it is.
fn folder_page(rendered: &Rendered, folder: &Path) -> Option<PathBuf> {
    let r = &rendered.resolver;
    r.folder_page(folder)
        .map(|i| r.output_of(i).to_path_buf())
        .or_else(|| {
            let html = listing_page(folder);
            rendered.resolver.has_file(&html).then_some(html)
        })
}

fn listing(
    rendered: &Rendered,
    folder: &Path,
    children: Option<&BTreeSet<(u8, PathBuf)>>,
    listed: &BTreeSet<PathBuf>,
) -> Listing {
    let ws = &rendered.workshop;
    let output = listing_page(folder);
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut entries: Vec<Entry> = children
        .into_iter()
        .flatten()
        .map(|(kind, child)| {
            let (target, kind) = match *kind {
                FOLDER => (
                    folder_page(rendered, child).unwrap_or_else(|| listing_page(child)),
                    "folder",
                ),
                PAGE => {
                    let page = ws.pages.iter().find(|p| &p.source == child);
                    (
                        page.map_or_else(|| child.clone(), |p| p.output.clone()),
                        "page",
                    )
                }
                _ => (child.clone(), "file"),
            };
            Entry {
                name: name(child),
                url: relative_url(&output, &target),
                kind,
            }
        })
        .collect();
    // As GitHub lists a folder: folders first, then files, by name.
    entries.sort_by(|a, b| {
        (a.kind != "folder", a.name.to_lowercase())
            .cmp(&(b.kind != "folder", b.name.to_lowercase()))
    });
    let shown = display_path(folder);
    let repository_url = ws
        .config
        .repository
        .as_ref()
        .map(|r| {
            let mut path = String::new();
            if !r.path().is_empty() {
                path.push_str(r.path());
                path.push('/');
            }
            path.push_str(&display_path(&ws.display_source(folder)));
            format!(
                "{}/tree/{}/{}",
                r.url().trim_end_matches('/'),
                r.branch(),
                encode_path(&path)
            )
        })
        .unwrap_or_default();
    // Up: the parent's page, or its listing when it has one too.
    let parent_url = folder
        .parent()
        .and_then(|parent| {
            folder_page(rendered, parent)
                .or_else(|| listed.contains(parent).then(|| listing_page(parent)))
        })
        .map(|target| relative_url(&output, &target))
        .unwrap_or_default();
    Listing {
        folder: shown,
        output,
        entries,
        repository_url,
        parent_url,
    }
}
