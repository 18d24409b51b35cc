//! `labsite check`, run as a user runs it: the real binary on fixture workshops
//! under `tests/fixtures/check/` (one per rule with its exact findings, and one
//! of tricky correct Markdown that must give none), the seed chapter, `--fix`,
//! exit codes and the human output. Formats and `build` are in
//! `check_formats.rs`, external links in `check_external.rs`.

mod common;

use std::fs;
use std::path::Path;

use common::{check_json, copy_dir, fixture, found, run_in_repo, stderr, stdout, Found};

/// Checks a fixture offline and compares every finding, in order.
fn assert_findings(name: &str, want: &[(&str, &str, &str, u64, u64)], exit: i32) {
    let (got, _, code) = check_json(&fixture(name), &["--offline"]);
    let want: Vec<Found> = want
        .iter()
        .map(|w| found(w.0, w.1, w.2, w.3, w.4))
        .collect();
    assert_eq!(got, want, "findings of {name}");
    assert_eq!(code, exit, "exit code of {name}");
}

const README: &str = "content/README.md";

#[test]
fn broken_links_in_every_form() {
    let e = |line, col| ("broken-link", "error", README, line, col);
    // Links in code spans and code blocks are not links; `[ref]` is reported where it is used.
    assert_findings(
        "check/broken-link",
        &[
            e(4, 3),
            e(5, 3),
            e(6, 3),
            e(8, 3),
            e(9, 3),
            e(10, 11),
            e(11, 6),
            e(12, 3),
        ],
        1,
    );
    let out = run_in_repo(&[
        "check",
        "--offline",
        fixture("check/broken-link").to_str().unwrap(),
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("did you mean `chapter-1/README.md`? File names are case-sensitive"),
        "{text}"
    );
    assert!(
        text.contains("points outside the content folder `content/`"),
        "{text}"
    );
}

#[test]
fn broken_anchors_with_case_insensitive_fragments() {
    let e = |line, col| ("broken-anchor", "error", README, line, col);
    assert_findings(
        "check/broken-anchor",
        &[e(14, 3), e(15, 3), e(16, 3), e(17, 3)],
        1,
    );
    let text = stdout(&run_in_repo(&[
        "check",
        "--offline",
        fixture("check/broken-anchor").to_str().unwrap(),
    ]));
    assert!(text.contains("did you mean `#getting-started`?"), "{text}");
    assert!(
        text.contains("GitHub makes heading ids: `#getting-started`"),
        "{text}"
    );
}

#[test]
fn tasks_without_learning_resources() {
    let w = |line, col| ("missing-resources", "warning", README, line, col);
    assert_findings(
        "check/missing-resources",
        &[w(10, 4), w(18, 4), w(32, 1)],
        0,
    );
}

#[test]
fn content_rules_on_links() {
    assert_findings(
        "check/content-rules",
        &[
            ("tracking-param", "warning", README, 3, 3),
            ("locale-in-url", "warning", README, 4, 3),
            ("insecure-link", "warning", README, 5, 3),
            ("missing-alt", "warning", README, 9, 3),
            ("missing-alt", "warning", README, 10, 8),
            ("locale-in-url", "warning", README, 14, 12),
            ("tracking-param", "warning", README, 14, 12),
        ],
        0,
    );
}

#[test]
fn mojibake_in_prose_but_not_in_code_or_correct_text() {
    let e = |line, col| ("mojibake", "error", README, line, col);
    assert_findings("check/mojibake", &[e(3, 1), e(3, 18), e(5, 7), e(5, 16)], 1);
}

#[test]
fn hand_written_links_that_disagree_with_their_neighbours() {
    // chapter-1 says next is chapter-3 and chapter-3 agrees: the chain skips
    // chapter-2, whose links (and extra.md's) disagree with the pages they name.
    let w = |file, line, col| ("nav-mismatch", "warning", file, line, col);
    assert_findings(
        "check/nav-mismatch",
        &[
            w("content/chapter-2/README.md", 3, 1),
            w("content/chapter-2/README.md", 3, 38),
            w("content/chapter-2/extra.md", 3, 1),
            w("content/chapter-2/extra.md", 3, 25),
        ],
        0,
    );
    let out = run_in_repo(&[
        "check",
        "--offline",
        fixture("check/nav-mismatch").to_str().unwrap(),
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("“next” link points at `content/chapter-3/README.md`, but that page's “previous” link points at `content/chapter-1/README.md`, not at this page"),
        "{text}"
    );
    assert!(
        text.contains(
            "point the previous link of `content/chapter-3/README.md` at `../chapter-2/extra.md`"
        ),
        "{text}"
    );
}

#[test]
fn invalid_verify_blocks() {
    assert_findings(
        "check/invalid-verify",
        &[
            ("invalid-verify", "error", README, 9, 1),
            ("invalid-verify", "error", README, 15, 5),
        ],
        1,
    );
}

#[test]
fn severities_ignore_patterns_and_ignore_comments() {
    assert_findings(
        "check/ignores",
        &[
            ("tracking-param", "error", README, 4, 1),
            ("broken-link", "warning", README, 5, 1),
            ("broken-link", "warning", README, 10, 76),
        ],
        1,
    );
}

#[test]
fn tricky_correct_markdown_has_no_findings() {
    let (got, json, code) = check_json(&fixture("check/clean"), &["--offline"]);
    assert_eq!(got, vec![], "{json:#}");
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["files"], 3);
}

#[test]
fn the_sample_workshop_is_clean() {
    let (got, _, code) = check_json(Path::new(env!("CARGO_MANIFEST_DIR")), &["--offline"]);
    assert_eq!(got, vec![]);
    assert_eq!(code, 0);
}

const SEED_CHAPTER: &str = "content/chapter-3/README.md";

fn seed_findings_without_mojibake() -> Vec<Found> {
    let mut want = vec![
        found(
            "missing-resources",
            "warning",
            "content/chapter-1/README.md",
            5,
            4,
        ),
        found(
            "missing-resources",
            "warning",
            "content/chapter-2/README.md",
            5,
            4,
        ),
    ];
    for (line, col) in [
        (11, 19),
        (11, 168),
        (12, 29),
        (13, 28),
        (14, 34),
        (15, 41),
        (16, 48),
        (17, 21),
        (18, 55),
        (19, 34),
        (20, 68),
        (20, 234),
        (20, 290),
        (20, 348),
    ] {
        want.push(found("broken-link", "error", SEED_CHAPTER, line, col));
    }
    for (rule, line, col) in [
        ("locale-in-url", 23, 3),
        ("locale-in-url", 24, 3),
        ("tracking-param", 24, 3),
        ("locale-in-url", 37, 3),
        ("locale-in-url", 52, 142),
        ("locale-in-url", 57, 3),
    ] {
        want.push(found(rule, "warning", SEED_CHAPTER, line, col));
    }
    want
}

#[test]
fn the_seed_chapter() {
    let (got, json, code) = check_json(&fixture("seed-workshop"), &["--offline"]);
    let mut want = seed_findings_without_mojibake();
    for (line, col) in [(22, 1), (36, 1), (56, 1), (59, 21), (61, 3), (62, 3)] {
        want.push(found("mojibake", "error", SEED_CHAPTER, line, col));
    }
    let order = |f: &Found| (f.2.clone(), f.3, f.4, f.0.clone());
    want.sort_by_key(order);
    assert_eq!(got, want);
    assert_eq!(code, 1);
    let first = &json["findings"][2];
    assert_eq!(first["target"], "backup-azure-vms-introduction.md");
    let tracking = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "tracking-param")
        .unwrap();
    assert!(tracking["message"].as_str().unwrap().contains("msockid"));
}

#[test]
fn fix_repairs_the_seed_chapter_and_only_the_damaged_text() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("seed-workshop"), dir.path());
    let chapter = dir.path().join(SEED_CHAPTER);
    let before = fs::read_to_string(&chapter).unwrap();
    let out = run_in_repo(&[
        "check",
        "--offline",
        "--fix",
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        stderr(&out).contains("fixed 6 damaged texts in content/chapter-3/README.md"),
        "{}",
        stderr(&out)
    );
    let after = fs::read_to_string(&chapter).unwrap();
    let want = before
        .replace("ðŸ’¡", "💡")
        .replace("ðŸŽ‰", "🎉")
        .replace("ðŸŽŠ", "🎊")
        .replace("âœ…", "✅");
    assert_ne!(before, want);
    assert_eq!(after, want);
    // The report is about the repaired files: what cannot be repaired remains.
    let (got, _, code) = check_json(dir.path(), &["--offline"]);
    assert_eq!(got, seed_findings_without_mojibake());
    assert_eq!(code, 1);
    let leftovers: Vec<_> = fs::read_dir(chapter.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left");
}

#[test]
fn exit_codes_and_deny_warnings() {
    let warnings_only = fixture("check/missing-resources");
    let root = warnings_only.to_str().unwrap();
    assert_eq!(
        run_in_repo(&["check", "--offline", root]).status.code(),
        Some(0)
    );
    let (got, _, code) = check_json(&warnings_only, &["--offline", "--deny-warnings"]);
    assert_eq!(code, 1);
    assert!(got.iter().all(|f| f.1 == "error"));

    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("workshop.yaml"),
        "title: x\nrules:\n  brokn-link: off\n",
    )
    .unwrap();
    fs::write(dir.path().join("README.md"), "# x\n").unwrap();
    let out = run_in_repo(&["check", "--offline", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("workshop.yaml:3"), "{}", stderr(&out));
    assert!(stderr(&out).contains("brokn-link"), "{}", stderr(&out));
    assert_eq!(
        run_in_repo(&["check", "--format", "yaml", root])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn human_output_is_rustc_like_without_colour_when_piped() {
    let out = run_in_repo(&[
        "check",
        "--offline",
        fixture("check/broken-link").to_str().unwrap(),
    ]);
    let text = stdout(&out);
    let expected = "error[broken-link]: link target `content/Chapter-1/README.md` does not exist\n --> content/README.md:5:3\n  |\n5 | - [Wrong case](Chapter-1/README.md)\n  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = hint: did you mean `chapter-1/README.md`?";
    assert!(text.contains(expected), "{text}");
    assert!(
        text.contains(
            "10 | - See the [reference link][ref] too.\n   |           ^^^^^^^^^^^^^^^^^^^^^"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("error: 2 files, 11 links: 8 errors, 0 warnings\n"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour codes when piped");
}

/// The seed chapter's 14 links copied from Microsoft Learn as sibling files: each
/// gets the article's URL on the site the page already links.
#[test]
fn links_copied_from_a_docs_site_get_the_article_they_meant() {
    let out = run_in_repo(&["check", "--offline", "tests/fixtures/seed-workshop"]);
    let text = stderr(&out) + &stdout(&out);
    let hints: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("copied from learn.microsoft.com?"))
        .collect();
    assert_eq!(hints.len(), 14, "{text}");
    assert!(
        text.contains("`https://learn.microsoft.com/azure/backup/backup-azure-manage-mars`"),
        "{text}"
    );
    assert!(
        hints
            .iter()
            .all(|h| h.contains("https://learn.microsoft.com/azure/backup/")),
        "every one in the backup docs: {hints:?}"
    );
}
