//! `labsite check` and the built site agree, by construction: the references
//! that check reports broken in the sources are exactly the ones a crawl of the
//! built site finds broken (as a browser resolves them), on fixture repositories.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

/// The page a source file is built to: `content/a/README.md` → `a/index.html`.
fn page_of(root: &Path, source: &str) -> String {
    let rel = if root.join("content").is_dir() {
        source.strip_prefix("content/").unwrap_or(source)
    } else {
        source
    };
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let page = if stem.eq_ignore_ascii_case("readme") || stem.eq_ignore_ascii_case("index") {
        "index.html".to_string()
    } else {
        format!("{stem}.html")
    };
    if dir.is_empty() {
        page
    } else {
        format!("{dir}/{page}")
    }
}

/// A reference as both sides can name it: its page, and its fragment when it has
/// one (the site rewrites the path before it), else the URL as written.
fn key(page: &str, url: &str) -> (String, String) {
    match url.split_once('#') {
        Some((_, fragment)) => (page.to_string(), format!("#{fragment}")),
        None => (page.to_string(), url.to_string()),
    }
}

fn agree(root: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let built = run(&["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let site: BTreeSet<(String, String)> = crawl(&out, &["print.html"])
        .into_iter()
        .map(|(page, url)| key(&page, &url))
        .collect();
    let (findings, json, _) = check_json(root, &["--offline"]);
    let _ = findings;
    let checked: BTreeSet<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| matches!(f["rule"].as_str(), Some("broken-link" | "broken-anchor")))
        .map(|f| {
            key(
                &page_of(root, f["file"].as_str().unwrap()),
                f["target"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        checked,
        site,
        "check (left) and the built site (right) disagree for {}",
        root.display()
    );
    // The print view holds every page: no more broken references than they have.
    let in_print = crawl(&out, &[])
        .into_iter()
        .filter(|(page, _)| page == "print.html")
        .count();
    assert_eq!(in_print, site.len(), "print.html of {}", root.display());
}

#[test]
fn check_and_site_agree_on_a_repository_with_folder_and_hidden_file_links() {
    agree(&fixture("repo-links"));
}

#[test]
fn check_and_site_agree_on_the_seed_workshop_and_the_link_fixtures() {
    for name in [
        "seed-workshop",
        "links",
        "check/broken-link",
        "check/broken-anchor",
    ] {
        agree(&fixture(name));
    }
}

/// What the repository fixture's links reach on the site.
#[test]
fn folder_links_get_a_listing_and_hidden_files_are_copied() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let root = fixture("repo-links");
    let built = run(&["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let hrefs = attrs(&home, "main a", "href");
    for want in [
        "templates/index.html",
        "scripts/index.html",
        "lab/step1/index.html",
        "docs/index.html",
        ".github/workflows/deploy.yml",
        ".vscode/mcp.json",
        ".env.example",
    ] {
        assert!(hrefs.iter().any(|h| h == want), "{want} in {hrefs:?}");
    }
    // The listing lists the folder as GitHub does: folders first, then files.
    let listing = std::fs::read_to_string(out.join("templates/index.html")).unwrap();
    let entries = attrs(&listing, "table.listing tbody a", "href");
    assert_eq!(entries, ["../index.html", "sub/index.html", "app.yaml"]);
    let sub = std::fs::read_to_string(out.join("templates/sub/index.html")).unwrap();
    assert_eq!(
        attrs(&sub, "table.listing tbody a", "href"),
        ["../index.html", "deeper/index.html", "notes.txt"]
    );
    // Only what is linked is copied; a secret never is.
    assert!(out.join(".github/workflows/deploy.yml").is_file());
    assert!(!out.join(".env").exists(), "the secret is not published");
    let (findings, _, code) = check_json(&root, &["--offline"]);
    assert_eq!(code, 1, "{findings:?}");
    assert_eq!(
        findings,
        [
            found("broken-link", "warning", "README.md", 14, 3),
            found("broken-link", "error", "README.md", 15, 3),
        ]
    );
}
