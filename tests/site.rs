//! The published site beyond single pages: the search index, the print view,
//! the resources page, publishing (canonical links, sitemap, Open Graph,
//! favicon, edit links) and a crawl of the sample site served under a
//! sub-path, in which every internal link, image, stylesheet and script resolves.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

use common::http::StaticServer;
use common::*;

fn build_sample(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let root = repo();
    let mut args = vec!["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend(extra);
    let result = run(&args);
    assert!(result.status.success(), "{}", stderr(&result));
    (dir, out)
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn select<'a>(doc: &'a scraper::Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(selector).unwrap())
        .collect()
}

#[test]
fn the_search_index_holds_every_section_and_is_loaded_only_on_demand() {
    let (_dir, out) = build_sample(&[]);
    let js = read(out.join("_labsite/search-index.js"));
    let json = js
        .strip_prefix("window.labsiteSearchIndex=")
        .and_then(|j| j.strip_suffix(";\n"))
        .expect("a script assigning one global");
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    let pages = index["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 5);
    assert_eq!(
        pages[3],
        serde_json::json!(["Chapter 3 - Backup", "chapter-3/index.html"])
    );
    let sections = index["sections"].as_array().unwrap();
    let task = sections
        .iter()
        .find(|s| s[1] == "task-1-create-a-recovery-services-vault")
        .expect("the task's section");
    assert_eq!(task[0], 3, "on chapter 3");
    assert_eq!(task[2], "Task 1: Create a Recovery Services vault");
    let text = task[3].as_str().unwrap();
    assert!(
        text.contains("The vault rsv-lab holds the recovery points"),
        "{text}"
    );
    assert!(
        text.contains("az backup vault create"),
        "code is searchable: {text}"
    );
    assert!(!text.contains("<"), "plain text, no markup: {text}");
    // Every heading of every chapter is findable.
    let chapter = fs::read_to_string(repo().join("content/chapter-3/README.md")).unwrap();
    let headings = chapter.lines().filter(|l| l.starts_with("##")).count();
    assert_eq!(
        sections.iter().filter(|s| s[0] == 3 && s[1] != "").count(),
        headings
    );

    let size = js.len();
    eprintln!("search index of the sample workshop: {size} bytes");
    let markdown: usize = walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.metadata().unwrap().len() as usize)
        .sum();
    assert!(
        size < markdown,
        "the index ({size} bytes) is smaller than the Markdown ({markdown} bytes)"
    );

    for page in ["index.html", "chapter-3/index.html", "print.html"] {
        let html = read(out.join(page));
        assert!(
            attrs(&html, "script[src]", "src")
                .iter()
                .all(|s| !s.contains("search-index")),
            "{page} does not load the index"
        );
        assert_eq!(
            attrs(&html, "form.search", "data-index"),
            vec![format!(
                "{}_labsite/search-index.js",
                "../".repeat(page.matches('/').count())
            )]
        );
    }
}

#[test]
fn the_print_view_has_every_chapter_in_order_with_links_inside_it() {
    let (_dir, out) = build_sample(&[]);
    let html = read(out.join("print.html"));
    let doc = scraper::Html::parse_document(&html);
    let sections = select(&doc, "section.print-chapter");
    let ids: Vec<&str> = sections.iter().map(|s| s.value().id().unwrap()).collect();
    assert_eq!(
        ids,
        vec!["index", "chapter-1", "chapter-2", "chapter-3", "chapter-4"]
    );
    for (section, chapter) in sections.iter().zip(["", "1", "2", "3", "4"]) {
        let h1: String = select(&doc, &format!("#{} h1", section.value().id().unwrap()))[0]
            .text()
            .collect();
        if !chapter.is_empty() {
            assert!(h1.starts_with(&format!("Chapter {chapter}")), "{h1}");
        }
    }
    let contents = attrs(&html, "nav.print-toc a", "href");
    assert_eq!(
        contents,
        ids.iter().map(|id| format!("#{id}")).collect::<Vec<_>>()
    );

    let all_ids = attrs(&html, "[id]", "id");
    let unique: BTreeSet<&String> = all_ids.iter().collect();
    assert_eq!(unique.len(), all_ids.len(), "ids are unique on the page");
    let hrefs = attrs(&html, "main a[href]", "href");
    let mut inside = 0;
    for href in &hrefs {
        assert!(
            !href.contains("index.html") && !href.ends_with(".md"),
            "every link between pages points inside the print view: {href}"
        );
        if let Some(id) = href.strip_prefix('#') {
            let id = percent_encoding::percent_decode_str(id)
                .decode_utf8()
                .unwrap();
            assert!(unique.contains(&id.to_string()), "#{id} is on the page");
            inside += 1;
        }
    }
    assert!(inside > 20, "{inside} links inside the page");
    // Chapter 2 links to a heading of chapter 3; in print it is that heading's id.
    assert!(hrefs.contains(&"#chapter-3--task-1-create-a-recovery-services-vault".to_string()));
    for src in attrs(&html, "main img[src]", "src") {
        assert!(
            out.join(&src).is_file(),
            "image {src} resolves from the root"
        );
    }
    let css = read(out.join("_labsite/style.css"));
    let print_css = &css[css.rfind("@media print").unwrap()..];
    assert!(
        print_css.contains("break-before: page"),
        "chapters start a new page"
    );
    assert!(
        css.contains("a[href^=\"http\"]::after"),
        "printed links show their URL"
    );
}

#[test]
fn resources_are_collected_per_chapter_and_for_the_workshop() {
    let (_dir, out) = build_sample(&[]);
    let chapter = read(out.join("chapter-3/index.html"));
    let doc = scraper::Html::parse_document(&chapter);
    let inline: Vec<String> = attrs(&chapter, "article .resources a.resource-link", "href");
    let collected = attrs(&chapter, ".chapter-resources a", "href");
    assert!(!collected.is_empty());
    for href in &collected {
        assert!(
            inline.contains(href),
            "{href} is one of the chapter's resources"
        );
    }
    let in_text: BTreeSet<&String> = inline.iter().collect();
    assert_eq!(collected.len(), in_text.len(), "each resource once");
    for link in select(&doc, "a.resource-link") {
        assert_eq!(link.value().attr("target"), Some("_blank"));
        assert_eq!(link.value().attr("rel"), Some("noopener"));
    }
    let sites: BTreeSet<String> = select(&doc, ".resource-site")
        .iter()
        .map(|s| s.text().collect())
        .collect();
    assert_eq!(sites, BTreeSet::from(["learn.microsoft.com".to_string()]));
    assert!(chapter.contains("<div class=\"success-criteria\">"));
    assert_eq!(
        select(&doc, ".success-criteria .verify").len(),
        2,
        "the checks stand in the success criteria"
    );

    let page = read(out.join("resources.html"));
    let groups = attrs(&page, ".resource-group h2 a", "href");
    assert_eq!(
        groups,
        vec![
            "chapter-1/index.html",
            "chapter-2/index.html",
            "chapter-3/index.html",
            "chapter-4/index.html"
        ]
    );
    for href in &collected {
        assert!(
            page.contains(&format!("href=\"{href}\"")),
            "{href} on resources.html"
        );
    }
}

#[test]
fn publishing_metadata_with_and_without_a_base_url() {
    let (_dir, out) = build_sample(&["--base-url", "https://example.github.io/lab"]);
    let chapter = read(out.join("chapter-3/index.html"));
    assert_eq!(
        attrs(&chapter, "link[rel=canonical]", "href"),
        vec!["https://example.github.io/lab/chapter-3/"]
    );
    assert_eq!(
        attrs(&chapter, "meta[property='og:url']", "content"),
        vec!["https://example.github.io/lab/chapter-3/"]
    );
    assert_eq!(
        attrs(&chapter, "meta[property='og:title']", "content"),
        vec!["Chapter 3 - Backup"]
    );
    let description = attrs(&chapter, "meta[name=description]", "content");
    assert!(
        description[0].starts_with("Redundancy copies every change"),
        "first paragraph"
    );
    assert_eq!(
        attrs(&chapter, "meta[property='og:description']", "content"),
        description
    );
    assert_eq!(
        attrs(&chapter, "link[rel=icon]", "href"),
        vec!["../_labsite/favicon.svg"]
    );
    assert!(out.join("_labsite/favicon.svg").is_file());
    assert_eq!(
        attrs(&chapter, ".edit-link a", "href"),
        vec!["https://github.com/example/azure-resiliency-microhack/edit/main/content/chapter-3/README.md"]
    );
    let landing = read(out.join("index.html"));
    assert_eq!(
        attrs(&landing, "meta[property='og:title']", "content"),
        vec!["Azure Resiliency MicroHack"]
    );
    assert!(attrs(&landing, "meta[name=description]", "content")[0].starts_with("Things break"));
    // In-site links stay relative.
    for href in attrs(&chapter, "a[href], link[href]:not([rel=canonical])", "href") {
        assert!(!href.contains("example.github.io"), "{href}");
    }

    let sitemap = read(out.join("sitemap.xml"));
    let xml = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(locs.len(), 5);
    assert_eq!(locs[0], "https://example.github.io/lab/");
    assert!(locs.contains(&"https://example.github.io/lab/chapter-4/"));

    let not_found = read(out.join("404.html"));
    for url in attrs(&not_found, "link[rel=stylesheet], link[rel=icon]", "href") {
        assert!(
            url.starts_with("/lab/_labsite/"),
            "{url} works from any depth"
        );
    }

    // Without a base URL, nothing absolute; edit links follow `repository`.
    let (dir, root) = workshop_copy("seed-workshop");
    fs::write(
        root.join("workshop.yaml"),
        "repository: { url: https://github.com/o/r, branch: dev, path: labs/bcdr }\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = run(&["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(!out.join("sitemap.xml").exists());
    let chapter = read(out.join("chapter-3/index.html"));
    assert!(attrs(&chapter, "link[rel=canonical]", "href").is_empty());
    assert_eq!(
        attrs(&chapter, ".edit-link a", "href"),
        vec!["https://github.com/o/r/edit/dev/labs/bcdr/content/chapter-3/README.md"]
    );
}

/// `reference` joined to the absolute URL path `base` (`/a/b.html` + `../c` → `/c`), without fragment.
fn join_url(base: &str, reference: &str) -> String {
    let reference = reference.split('#').next().unwrap();
    let reference = reference.split('?').next().unwrap();
    if reference.is_empty() {
        return base.to_string();
    }
    if reference.starts_with('/') {
        return reference.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for seg in reference.split('/') {
        match seg {
            "." => {}
            ".." => {
                assert!(
                    parts.len() > 1,
                    "{reference} climbs above the host from {base}"
                );
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn served_under_a_sub_path_every_internal_url_resolves() {
    let (_dir, out) = build_sample(&["--base-url", "https://example.github.io/sub/path/"]);
    let server = StaticServer::start(&out, "/sub/path/");
    let mut queue: VecDeque<String> = VecDeque::from(["/sub/path/".to_string()]);
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    // A page that does not exist, deep below the root: GitHub Pages answers with
    // 404.html, whose links must work from there.
    let missing = "/sub/path/no/such/deep/page.html".to_string();
    queue.push_back(missing.clone());
    let mut fragments = Vec::new();
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        let (status, content_type, body) = server.get(&path);
        if path == missing {
            assert_eq!(status, 404);
        } else {
            assert_eq!(status, 200, "{path}");
        }
        if !content_type.starts_with("text/html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(body).unwrap();
        let mut urls = attrs(&html, "a[href], link[href]", "href");
        urls.extend(attrs(&html, "img[src], script[src]", "src"));
        urls.extend(attrs(&html, "form[data-index]", "data-index"));
        for url in urls {
            if url.contains("://") || url.starts_with("mailto:") || url.contains(".md") {
                continue;
            }
            let target = join_url(&path, &url);
            assert!(
                target.starts_with("/sub/path/"),
                "{path}: {url} leaves the site"
            );
            if let Some((_, fragment)) = url.split_once('#') {
                fragments.push((target.clone(), fragment.to_string()));
            }
            if seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    assert!(pages >= 9, "the crawl saw the site ({pages} pages)");
    for name in [
        "print.html",
        "resources.html",
        "_labsite/search-index.js",
        "_labsite/search.js",
        "_labsite/favicon.svg",
    ] {
        assert!(
            seen.contains(&format!("/sub/path/{name}")),
            "{name} is linked"
        );
    }
    for (target, fragment) in fragments {
        let (_, _, body) = server.get(&target);
        let ids = attrs(&String::from_utf8(body).unwrap(), "[id]", "id");
        let fragment = percent_encoding::percent_decode_str(&fragment)
            .decode_utf8()
            .unwrap();
        assert!(
            ids.iter().any(|id| *id == fragment),
            "#{fragment} in {target}"
        );
    }
}

/// "Edit this page" with no configuration: the repository is read from `.git/`
/// (written by the test: a fixture cannot hold a `.git` folder), in both the https
/// and the `git@host:` form, with the workshop below the repository's top.
#[test]
fn edit_links_come_from_the_git_origin_without_configuration() {
    for (remote, web) in [
        (
            "https://github.com/acme/labs.git",
            "https://github.com/acme/labs",
        ),
        (
            "git@github.com:acme/labs.git",
            "https://github.com/acme/labs",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        let root = top.join("day-1");
        copy_dir(&fixture("seed-workshop"), &root);
        fs::create_dir_all(top.join(".git")).unwrap();
        fs::write(
            top.join(".git/config"),
            format!("[core]\n\tbare = false\n[remote \"origin\"]\n\turl = {remote}\n"),
        )
        .unwrap();
        fs::write(top.join(".git/HEAD"), "ref: refs/heads/spring\n").unwrap();
        let before = fs::read(top.join(".git/config")).unwrap();
        let out = top.join("public");
        let built = run(&["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert!(built.status.success(), "{}", stderr(&built));
        let page = read(out.join("chapter-2/index.html"));
        let doc = scraper::Html::parse_document(&page);
        let edit: Vec<String> = select(&doc, ".edit-link a")
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        assert_eq!(
            edit,
            [format!(
                "{web}/edit/spring/day-1/content/chapter-2/README.md"
            )],
            "{remote}"
        );
        assert_eq!(
            fs::read(top.join(".git/config")).unwrap(),
            before,
            "read only"
        );
    }
}
