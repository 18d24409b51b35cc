//! `#fragments` written for GitHub (`#Setup`, `#user-content-setup`, `#SETUP`)
//! work in the built site, where browsers match ids exactly: the real binary
//! checks and builds `tests/fixtures/fragments/`, and every fragment link that
//! `check` accepted must name an id of its target page exactly, in the pages
//! and in the print view. The one broken fragment is reported by `check`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use common::*;

/// The ids (`id`, and `name` as browsers also find it) of every HTML file of a
/// site, and each file's `href`s that hold a fragment, by path relative to the site.
struct Site {
    ids: BTreeMap<PathBuf, BTreeSet<String>>,
    hrefs: BTreeMap<PathBuf, Vec<String>>,
}

impl Site {
    fn read(out: &Path) -> Site {
        let any_id = scraper::Selector::parse("[id], a[name]").unwrap();
        let with_href = scraper::Selector::parse("[href]").unwrap();
        let mut site = Site {
            ids: BTreeMap::new(),
            hrefs: BTreeMap::new(),
        };
        for entry in walkdir::WalkDir::new(out) {
            let entry = entry.unwrap();
            if entry.path().extension().map_or(true, |e| e != "html") {
                continue;
            }
            let rel = entry.path().strip_prefix(out).unwrap().to_path_buf();
            let html = scraper::Html::parse_document(&fs::read_to_string(entry.path()).unwrap());
            let ids = html
                .select(&any_id)
                .flat_map(|e| [e.value().attr("id"), e.value().attr("name")])
                .flatten()
                .map(str::to_string)
                .collect();
            let hrefs = html
                .select(&with_href)
                .filter_map(|e| e.value().attr("href"))
                .filter(|h| h.contains('#') && !h.contains("://") && !h.starts_with("mailto:"))
                .map(str::to_string)
                .collect();
            site.ids.insert(rel.clone(), ids);
            site.hrefs.insert(rel, hrefs);
        }
        site
    }

    /// The file an `href` written in `page` points at, and its fragment decoded.
    fn target(page: &Path, href: &str) -> (PathBuf, String) {
        let (path, fragment) = href.split_once('#').unwrap();
        let path = path.split('?').next().unwrap();
        let fragment = percent_encoding::percent_decode_str(fragment)
            .decode_utf8()
            .unwrap()
            .into_owned();
        if path.is_empty() {
            return (page.to_path_buf(), fragment);
        }
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .unwrap();
        let mut file = PathBuf::new();
        for c in page.parent().unwrap().join(&*decoded).components() {
            match c {
                Component::ParentDir => assert!(file.pop(), "{href} leaves the site"),
                Component::Normal(s) => file.push(s),
                _ => {}
            }
        }
        if decoded.ends_with('/') {
            file.push("index.html");
        }
        (file, fragment)
    }

    /// Fragment links that name no id of their target page exactly, as `(page, href)`.
    /// `#top` is the top of any page, as browsers have it; a text fragment searches text.
    /// Also returns how many fragment links were followed.
    fn misses(&self) -> (Vec<(String, String)>, usize) {
        let mut misses = Vec::new();
        let mut followed = 0;
        for (page, hrefs) in &self.hrefs {
            for href in hrefs {
                let (file, fragment) = Site::target(page, href);
                if fragment.is_empty()
                    || fragment.eq_ignore_ascii_case("top")
                    || fragment.starts_with(":~:")
                {
                    continue;
                }
                let ids = self
                    .ids
                    .get(&file)
                    .unwrap_or_else(|| panic!("{href} in {} points at a page", page.display()));
                followed += 1;
                if !ids.contains(&fragment) {
                    misses.push((page.display().to_string(), href.clone()));
                }
            }
        }
        (misses, followed)
    }
}

#[test]
fn every_fragment_check_accepts_names_an_id_exactly_in_pages_and_print_view() {
    let root = fixture("fragments");
    let checked = run(&[
        "check",
        "--offline",
        "--format",
        "json",
        root.to_str().unwrap(),
    ]);
    assert_eq!(checked.status.code(), Some(1), "{}", stderr(&checked));
    let report: serde_json::Value = serde_json::from_str(&stdout(&checked)).unwrap();
    let findings: Vec<(&str, &str, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["target"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [("broken-anchor", "a/README.md#no-such-heading", 24)],
        "check accepts every other fragment"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let built = run(&["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let site = Site::read(&out);
    let (misses, followed) = site.misses();
    assert_eq!(
        misses,
        [
            (
                "index.html".to_string(),
                "a/index.html#no-such-heading".to_string()
            ),
            ("print.html".to_string(), "#a--no-such-heading".to_string()),
        ],
        "only the fragment check reported misses, on its page and in the print view"
    );
    assert!(followed > 40, "{followed} fragment links followed");

    // The links written in another form name the ids as the pages have them.
    let hrefs = |page: &str| site.hrefs[Path::new(page)].clone();
    let home = hrefs("index.html");
    assert_eq!(
        home.iter().filter(|h| *h == "a/index.html#setup").count(),
        6,
        "#setup, #Setup, #SETUP, #user-content-setup, a/#Setup, raw HTML: {home:?}"
    );
    for want in ["#intro", "a/notes.html#step-2", "#%C3%BCber-uns", "#top"] {
        assert!(home.iter().any(|h| h == want), "{want} in {home:?}");
    }
    assert!(!home
        .iter()
        .any(|h| h.contains("user-content") || h == "#INTRO"));
    let a = hrefs("a/index.html");
    assert_eq!(
        a.iter().filter(|h| *h == "#setup").count(),
        5,
        "#Setup, #SETUP, #user-content-setup, the heading's own link and the page's contents: {a:?}"
    );
    assert!(a.iter().any(|h| h == "../index.html#intro"), "{a:?}");
    let notes = hrefs("a/notes.html");
    for want in [
        "index.html#setup",
        "../index.html#%C3%BCber-uns",
        "#Custom-Spot",
    ] {
        assert!(notes.iter().any(|h| h == want), "{want} in {notes:?}");
    }
    let print = hrefs("print.html");
    for want in [
        "#a--setup",
        "#index--intro",
        "#a-notes--Custom-Spot",
        "#index",
    ] {
        assert!(print.iter().any(|h| h == want), "{want} in print.html");
    }
}
