//! `labsite verify` on the fixture workshops under tests/fixtures/verify/:
//! timeouts that kill a validator's grandchildren, capped output, bounded
//! concurrency, the output formats, the errors of broken blocks (in `verify`
//! and in `build`), and the widgets of the built page. Each kind of validator
//! is in tests/verify_validators.rs.

mod common;
mod verify_support;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use verify_support::*;

#[test]
fn output_is_captured_capped_and_never_blocks() {
    let (_dir, root) = workshop_copy("verify/kinds");
    let (_, r) = results(&root, &["--check", "scripts/chatty"]);
    // A megabyte on each stream: a validator whose pipes were not drained would hang until its timeout.
    assert_eq!(
        status_and_message(&r["chatty"]),
        ("fail", "said before the noise")
    );
    assert!(r["chatty"]["duration_ms"].as_u64().unwrap() < 10_000);
}

#[test]
fn validator_output_stays_text() {
    let (_dir, root) = workshop_copy("verify/kinds");
    let (_, r) = results(&root, &["--check", "scripts/markup"]);
    assert_eq!(r["markup"]["message"], "<script>alert('output')</script>");
    assert_eq!(r["markup"]["title"], "<script>alert('title')</script>");
    let out = verify(&root, &["--check", "scripts/markup"]);
    assert!(
        stdout(&out).contains("    <script>alert('output')</script>\n"),
        "{}",
        stdout(&out)
    );
}

/// Whether a process is gone: no such pid, or a zombie waiting for its reaper.
#[cfg(target_os = "linux")]
fn gone(pid: &str) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(") ")
            .next()
            .is_some_and(|rest| rest.starts_with('Z')),
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_timeout_kills_the_validator_and_its_grandchildren() {
    let (_dir, root) = workshop_copy("verify/kinds");
    let started = Instant::now();
    let (code, r) = results(&root, &["--chapter", "timeout"]);
    assert_eq!(code, 1);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the 1s timeout held"
    );
    let (status, message) = status_and_message(&r["slow"]);
    assert_eq!(status, "timeout");
    assert!(
        message.starts_with("did not finish within 1s: stopped it and every process it started"),
        "{message}"
    );
    let pid = fs::read_to_string(root.join("grandchild.pid")).unwrap();
    let pid = pid.trim();
    assert!(!pid.is_empty());
    let deadline = Instant::now() + Duration::from_secs(5);
    while !gone(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        gone(pid),
        "the grandchild `sleep 300` (pid {pid}) is still running"
    );
}

/// The most checks of the jobs chapter that ran at once, with `--jobs jobs`.
fn most_at_once(root: &Path, jobs: &str) -> usize {
    let log = root.join("jobs.log");
    let _ = fs::remove_file(&log);
    let (code, r) = results(root, &["--chapter", "jobs", "--jobs", jobs]);
    assert_eq!(code, 0, "{r:?}");
    assert_eq!(r.len(), 6);
    let counts = fs::read_to_string(&log).unwrap();
    counts
        .lines()
        .map(|l| l.trim().parse::<usize>().unwrap())
        .max()
        .unwrap()
}

#[test]
fn jobs_bound_how_many_checks_run_at_once() {
    let (_dir, root) = workshop_copy("verify/kinds");
    assert_eq!(most_at_once(&root, "1"), 1);
    assert!(most_at_once(&root, "2") <= 2);
    assert!(
        most_at_once(&root, "6") >= 3,
        "with six slots, checks overlap"
    );
}

#[test]
fn human_output_and_exit_codes() {
    let (_dir, root) = workshop_copy("verify/kinds");
    let out = verify(
        &root,
        &[
            "--check",
            "scripts/pass",
            "--check",
            "declarative/file-pass",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("Running 2 checks…\n✔ scripts/pass: The thing passes. ("),
        "{text}"
    );
    assert!(
        text.contains("\n    the thing is fine\n✔ declarative/file-pass: "),
        "{text}"
    );
    assert!(text.contains("\n2 checks: 2 passed in "), "{text}");
    assert!(!text.contains('\x1b'), "no colours when not on a terminal");

    let out = verify(
        &root,
        &["--check", "scripts/fail", "--check", "scripts/error"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("✘ scripts/fail: A FAIL line is the message ("),
        "{text}"
    );
    assert!(
        text.contains("✘ scripts/error [error]: Exit 3 is an error ("),
        "{text}"
    );
    assert!(
        text.contains("2 checks: 0 passed, 1 failed, 1 error in"),
        "{text}"
    );
}

#[test]
fn unknown_chapters_and_checks_say_what_exists() {
    let (_dir, root) = workshop_copy("verify/kinds");
    let out = verify(&root, &["--check", "scripts/nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("scripts/nope: no such check"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("checks of scripts: scripts/pass, scripts/fail,"),
        "{}",
        stderr(&out)
    );
    let out = verify(&root, &["--chapter", "chapter-9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("chapters with checks: declarative, jobs, scripts, timeout"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn junit_has_one_testcase_per_check() {
    let (_dir, root) = workshop_copy("verify/kinds");
    let out = verify(&root, &["--chapter", "scripts", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 10);
    let case = |name: &str| {
        *cases
            .iter()
            .find(|c| c.attribute("name").unwrap().starts_with(name))
            .unwrap()
    };
    assert_eq!(case("pass:").attribute("classname"), Some("scripts"));
    assert!(case("pass:").children().all(|c| !c.is_element()));
    let failure = case("fail:")
        .children()
        .find(|c| c.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("message"), Some("the thing is missing"));
    assert!(case("error:").children().any(|c| c.has_tag_name("error")));
    let markup = case("markup:")
        .children()
        .find(|c| c.has_tag_name("failure"))
        .unwrap();
    assert_eq!(markup.text(), Some("<script>alert('output')</script>"));
    let suites = doc.root_element();
    assert_eq!(suites.attribute("tests"), Some("10"));
    assert_eq!(suites.attribute("errors"), Some("3"));
}

const BROKEN: [&str; 6] = [
    "content/README.md:8:24: invalid YAML: did not find expected ',' or ']'",
    "content/README.md:13:1: invalid YAML: unknown field `titel`, expected one of `id`, `title`, `validator`, `with`, `timeout`",
    "content/README.md:19: unknown validator `no-such-validator` (validators: needs-port, pass)",
    "content/README.md:28: check id `twice` is used twice in this page (first at line 23)",
    "content/README.md:34: validator validators/noexec.sh is not executable\n  hint: run `chmod +x validators/noexec.sh`",
    "content/README.md:40: `{{ port }}` in `{{ host }}:{{ port }}` has no value: add `port` to the verify block's `with`",
];

#[test]
fn broken_blocks_are_errors_with_lines_in_verify() {
    let root = fixture("verify/broken");
    let out = verify(&root, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for expected in BROKEN {
        assert!(
            err.contains(&format!("error: {expected}")),
            "missing {expected:?} in:\n{err}"
        );
    }
    assert!(err.contains("No check was run"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn broken_blocks_fail_the_build_with_lines() {
    let (dir, root) = workshop_copy("verify/broken");
    let site = dir.path().join("site");
    let out = run(&[
        "build",
        root.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for expected in BROKEN {
        assert!(
            err.contains(&format!("error: {expected}")),
            "missing {expected:?} in:\n{err}"
        );
    }
    assert!(!site.exists(), "nothing was written");
}

#[test]
fn the_built_page_has_escaped_widgets() {
    let (dir, root) = workshop_copy("verify/kinds");
    let site = dir.path().join("site");
    let out = run(&[
        "build",
        root.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = fs::read_to_string(site.join("scripts/index.html")).unwrap();
    let checks = attrs(&html, "div.verify", "data-check");
    assert_eq!(
        checks,
        [
            "pass",
            "fail",
            "error",
            "json",
            "env",
            "missing-tool",
            "no-interpreter",
            "chatty",
            "markup",
            "verify-10"
        ]
    );
    assert!(attrs(&html, "div.verify", "data-chapter")
        .iter()
        .all(|c| c == "scripts"));
    assert_eq!(attrs(&html, ".verify-status", "data-status").len(), 10);
    let doc = scraper::Html::parse_document(&html);
    let text = |selector: &str| -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        doc.select(&sel).map(|e| e.text().collect()).collect()
    };
    assert!(text(".verify-title").contains(&"<script>alert('title')</script>".to_string()));
    assert!(
        text("script").iter().all(|s| !s.contains("alert(")),
        "an author's title never becomes a script"
    );
    let commands = text("pre.verify-command code");
    assert_eq!(commands[0], "labsite verify --check scripts/pass");
    assert_eq!(
        text(".verify-task")[0],
        "Success criterion: The thing fails with a message."
    );
    assert!(!html.contains("```verify"), "no raw block left");
}
