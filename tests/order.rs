//! The reading order the author wrote, as a learner meets it: the real binary
//! builds the fixture repositories under `tests/fixtures/order/` and the built
//! HTML is read back: `<link rel="prev|next">`, the progress line ("Challenge 2
//! of 3"), the sidebar's order, the pagers, and `nav-mismatch` findings.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

fn build(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let src = fixture(&format!("order/{name}"));
    let result = run(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    (dir, out)
}

struct Built {
    doc: scraper::Html,
}

impl Built {
    fn open(out: &Path, page: &str) -> Built {
        let html = fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        Built {
            doc: scraper::Html::parse_document(&html),
        }
    }

    fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.doc
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.doc
            .select(&sel)
            .next()
            .and_then(|e| e.value().attr(attr).map(str::to_string))
    }

    fn rel(&self, rel: &str) -> Option<String> {
        self.attr(&format!("head link[rel={rel}]"), "href")
    }

    fn progress(&self) -> Option<String> {
        self.texts(".chapter-progress-label").into_iter().next()
    }

    fn sidebar(&self) -> Vec<String> {
        self.texts(".nav-item > a, .nav-item > .nav-group, .nav-item > details > summary > *")
    }
}

#[test]
fn three_workshops_each_count_their_own_units_and_furniture_is_no_chapter() {
    let (_d, out) = build("three-workshops");
    let lab2 = Built::open(&out, "aws-intro/lab-02/index.html");
    assert_eq!(lab2.rel("prev").as_deref(), Some("../lab-01/index.html"));
    assert_eq!(lab2.rel("next").as_deref(), Some("../lab-03/index.html"));
    assert_eq!(lab2.progress().as_deref(), Some("Lab 2 of 3"));
    let lab1 = Built::open(&out, "aws-intro/lab-01/index.html");
    // The author wrote next; labsite's pager adds only the previous page.
    assert_eq!(lab1.texts(".pager-bottom .pager-label"), vec!["Previous"]);
    // The sidebar: the current workshop's branch open, the others one line each.
    assert_eq!(
        lab2.texts(".sidebar details[open] > summary"),
        vec!["Intro to AWS"]
    );
    assert_eq!(
        lab2.sidebar(),
        vec![
            "Cloud workshops",
            "Intro to AWS",
            "Lab 1",
            "Lab 2",
            "Lab 3",
            "GCP basics",
            "Kubernetes day"
        ]
    );
    // The catalogue lists the workshops, collapsed.
    assert_eq!(
        Built::open(&out, "index.html").sidebar(),
        vec![
            "Cloud workshops",
            "Intro to AWS",
            "GCP basics",
            "Kubernetes day"
        ]
    );
    let module = Built::open(&out, "gcp-basics/module-2/index.html");
    assert_eq!(module.progress().as_deref(), Some("Module 2 of 2"));
    // The unchained order stays inside its workshop.
    assert_eq!(module.rel("next"), None);
    assert_eq!(
        Built::open(&out, "k8s-day/chapter-1/index.html")
            .progress()
            .as_deref(),
        Some("Chapter 1 of 2")
    );
    // The catalogue counts nothing, and furniture is built but not listed.
    let home = Built::open(&out, "index.html");
    assert_eq!(home.progress(), None);
    assert!(out.join("CODE_OF_CONDUCT.html").is_file());
    let sidebar = home.sidebar();
    assert!(
        !sidebar
            .iter()
            .any(|t| t.contains("conduct") || t == "Security"),
        "{sidebar:?}"
    );
    let coc = Built::open(&out, "CODE_OF_CONDUCT.html");
    assert_eq!((coc.rel("prev"), coc.rel("next")), (None, None));
}

#[test]
fn a_day_with_chapters_keeps_solutions_as_side_pages() {
    let (_d, out) = build("day-with-solutions");
    let home = Built::open(&out, "index.html");
    assert_eq!(home.rel("next").as_deref(), Some("chapter-1/index.html"));
    let ch2 = Built::open(&out, "chapter-2/index.html");
    assert_eq!(ch2.rel("prev").as_deref(), Some("../chapter-1/index.html"));
    assert_eq!(ch2.rel("next").as_deref(), Some("../chapter-3/index.html"));
    assert_eq!(ch2.progress().as_deref(), Some("Chapter 2 of 3"));
    let ch3 = Built::open(&out, "chapter-3/index.html");
    assert_eq!(ch3.rel("next"), None, "the author's chain ends here");
    let solution = Built::open(&out, "solutions/chapter-2.html");
    assert_eq!(solution.progress(), None);
    // One pager: the author's line is kept, labsite's is left out where it says the same.
    assert!(
        ch2.texts(".pager a").is_empty(),
        "{:?}",
        ch2.texts(".pager a")
    );
    assert_eq!(
        ch2.texts(".markdown-body strong a"),
        vec!["< previous Chapter 1 - Setup", "next Chapter 3 - Backup >"]
    );
    assert_eq!(
        solution
            .attr(".pager-bottom .pager-next", "href")
            .as_deref(),
        Some("chapter-3.html")
    );
}

#[test]
fn challenges_and_the_walkthrough_are_separate_sequences() {
    let (_d, out) = build("microhack");
    let c2 = Built::open(&out, "challenges/challenge-02.html");
    assert_eq!(c2.rel("prev").as_deref(), Some("challenge-01.html"));
    assert_eq!(c2.rel("next").as_deref(), Some("challenge-03.html"));
    assert_eq!(c2.progress().as_deref(), Some("Challenge 2 of 3"));
    assert!(c2.texts(".pager a").is_empty());
    let c3 = Built::open(&out, "challenges/challenge-03.html");
    assert_eq!(c3.rel("next"), None);
    let s1 = Built::open(&out, "walkthrough/challenge-01/solution-01.html");
    assert_eq!(s1.rel("prev"), None);
    assert_eq!(
        s1.rel("next").as_deref(),
        Some("../challenge-02/solution-02.html")
    );
    assert_eq!(s1.progress().as_deref(), Some("Solution 1 of 3"));
    // The author wrote no previous link here and there is none to show: no pager.
    assert!(s1.texts(".pager a").is_empty());
}

#[test]
fn descriptive_step_names_follow_their_links() {
    let (_d, out) = build("steps-by-links");
    let home = Built::open(&out, "index.html");
    assert_eq!(
        home.sidebar(),
        vec![
            "Deploy a web app",
            "Prepare your laptop",
            "Write the app",
            "Deploy",
            "Clean up"
        ]
    );
    let deploy = Built::open(&out, "deploy.html");
    assert_eq!(deploy.rel("prev").as_deref(), Some("write-the-app.html"));
    assert_eq!(deploy.rel("next").as_deref(), Some("clean-up.html"));
    assert_eq!(deploy.progress().as_deref(), Some("Chapter 3 of 4"));
}

#[test]
fn one_wrong_link_is_reported_at_both_ends_with_a_fix() {
    let (got, _, code) = check_json(&fixture("order/one-wrong-link"), &["--offline"]);
    let nav: Vec<Found> = got.into_iter().filter(|f| f.0 == "nav-mismatch").collect();
    assert_eq!(
        nav,
        vec![
            found("nav-mismatch", "warning", "chapter-2/README.md", 3, 34),
            found("nav-mismatch", "warning", "chapter-3/README.md", 3, 1),
        ]
    );
    assert_eq!(code, 0);
    let text = stdout(&run_in_repo(&[
        "check",
        "--offline",
        fixture("order/one-wrong-link").to_str().unwrap(),
    ]));
    assert!(
        text.contains(
            "“previous” link points at `chapter-1/README.md`, but that page's “next” link points at `chapter-2/README.md`, not at this page"
        ),
        "{text}"
    );
    assert!(
        text.contains("point this link at `../chapter-2/README.md`"),
        "{text}"
    );
}

#[test]
fn no_root_readme_gives_a_contents_page_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let src = fixture("order/no-root-readme");
    let result = run(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(
        stderr(&result).contains("index.html is a generated contents page"),
        "{}",
        stderr(&result)
    );
    let home = Built::open(&out, "index.html");
    assert_eq!(home.texts(".contents-list a"), vec!["Part one", "Part two"]);
    assert_eq!(
        home.attr(".contents-list a", "href").as_deref(),
        Some("part-1/index.html")
    );
    let part2 = Built::open(&out, "part-2/index.html");
    assert_eq!(part2.rel("prev").as_deref(), Some("../part-1/index.html"));
}

#[test]
fn no_pages_and_a_base_url_without_scheme_exit_2_saying_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "not a page").unwrap();
    let out = dir.path().join("site");
    let empty = run(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(empty.status.code(), Some(2));
    let text = stderr(&empty);
    assert!(text.contains("no pages to build"), "{text}");
    assert!(text.contains("looked for Markdown files"), "{text}");
    assert!(!out.exists(), "nothing is written");

    let src = fixture("order/no-root-readme");
    let bad = run(&[
        "build",
        src.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--base-url",
        "example.github.io/lab",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let text = stderr(&bad);
    assert!(
        text.contains("--base-url `example.github.io/lab` has neither a scheme"),
        "{text}"
    );
    assert!(
        text.contains("https://example.github.io/my-workshop/"),
        "{text}"
    );
}
