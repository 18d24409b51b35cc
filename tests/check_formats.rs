//! Every output format of `labsite check`, validated by shape (JSON parses with
//! the documented keys, GitHub lines follow the workflow command syntax, JUnit
//! is well-formed XML, SARIF has the 2.1.0 structure code scanning reads), and
//! `labsite build` running the offline checks.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use regex::Regex;
use serde_json::Value;

use common::{check_json, copy_dir, fixture, run_in, run_in_repo, stderr, stdout, BIN};

/// The seed workshop: findings of many rules, errors and warnings.
fn seed() -> std::path::PathBuf {
    fixture("seed-workshop")
}

#[test]
fn json_has_the_documented_shape() {
    let (findings, json, _) = check_json(&seed(), &["--offline"]);
    let keys: BTreeSet<&str> = [
        "rule", "severity", "file", "line", "column", "message", "target",
    ]
    .into();
    let mut fixes = 0;
    for f in json["findings"].as_array().unwrap() {
        let mut got: BTreeSet<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        // A finding with a known repair carries it (the seed's links copied from Learn).
        if got.remove("fix") {
            fixes += 1;
            let fix = &f["fix"];
            assert!(fix["from"].is_string() && fix["to"].is_string() && fix["line"].is_u64());
        }
        assert_eq!(got, keys);
        assert!(!f["file"].as_str().unwrap().contains('\\'));
    }
    let summary = &json["summary"];
    let errors = findings.iter().filter(|f| f.1 == "error").count();
    assert_eq!(summary["errors"], errors);
    assert_eq!(summary["warnings"], findings.len() - errors);
    assert_eq!(summary["files"], 5);
    assert_eq!(summary["links"], 30);
    assert_eq!(fixes, 14, "the seed's links copied from Microsoft Learn");
}

#[test]
fn github_annotations_follow_the_workflow_command_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let root = seed();
    // From the repository root (as in CI), files are named from there.
    let out = Command::new(BIN)
        .args([
            "check",
            "--offline",
            "--format",
            "github",
            root.to_str().unwrap(),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let command = Regex::new(
        r"^::(error|warning) file=tests/fixtures/seed-workshop/content/[^,:%]+\.md,line=\d+,col=\d+,title=[a-z-]+::[^\r\n]+$",
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (commands, rest): (Vec<&str>, Vec<&str>) = lines.iter().partition(|l| l.starts_with("::"));
    assert_eq!(commands.len(), 28);
    for line in &commands {
        assert!(command.is_match(line), "not a workflow command: {line}");
    }
    assert!(commands[2].contains("::error file=tests/fixtures/seed-workshop/content/chapter-3/README.md,line=11,col=19,title=broken-link::"));
    assert!(
        commands[2].contains("%0Ahint: "),
        "multi-line messages are escaped"
    );
    assert_eq!(
        rest,
        vec!["labsite check: 5 files, 30 links: 20 errors, 8 warnings"]
    );

    let markdown = fs::read_to_string(&summary).unwrap();
    assert!(markdown.starts_with("## labsite check\n"), "{markdown}");
    assert_eq!(
        markdown
            .lines()
            .filter(|l| l.starts_with("| error") || l.starts_with("| warning"))
            .count(),
        28
    );

    // From the workshop root, files are relative to it.
    let out = run_in(&root, &["check", "--offline", "--format", "github"]);
    assert!(stdout(&out).contains(
        "::warning file=content/chapter-1/README.md,line=5,col=4,title=missing-resources::"
    ));
}

#[test]
fn markdown_is_a_table_with_one_row_per_finding() {
    let out = run_in(&seed(), &["check", "--offline", "--format", "markdown"]);
    let text = stdout(&out);
    assert!(
        text.contains("❌ 5 files, 30 links: 20 errors, 8 warnings"),
        "{text}"
    );
    assert!(text.contains("| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n"));
    assert!(text
        .contains("| error | `broken-link` | `content/chapter-3/README.md:11:19` | link target"));
    let rows = text
        .lines()
        .filter(|l| l.starts_with("| error") || l.starts_with("| warning"));
    assert!(
        rows.clone().all(|r| r.matches(" | ").count() == 3),
        "every row has four cells"
    );
    assert_eq!(rows.count(), 28);
}

#[test]
fn junit_is_well_formed_xml_with_a_case_per_file() {
    let out = run_in_repo(&[
        "check",
        "--offline",
        "--format",
        "junit",
        seed().to_str().unwrap(),
    ]);
    let text = stdout(&out);
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let suite = suites
        .children()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(
        suite.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    assert_eq!(cases.len(), 5);
    let failed: Vec<_> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .collect();
    assert_eq!(
        suite.attribute("failures"),
        Some(failed.len().to_string().as_str())
    );
    assert_eq!(failed.len(), 1);
    let case = failed[0];
    assert_eq!(case.attribute("name"), Some("content/chapter-3/README.md"));
    let failure = case.children().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("type"), Some("broken-link"));
    assert!(failure
        .attribute("message")
        .unwrap()
        .starts_with("20 error(s)"));
    assert_eq!(
        failure
            .text()
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("content/"))
            .count(),
        20
    );
    let out_text = case
        .children()
        .find(|n| n.has_tag_name("system-out"))
        .unwrap();
    assert!(out_text.text().unwrap().contains("[tracking-param]"));
}

#[test]
fn sarif_has_the_shape_code_scanning_reads() {
    let out = run_in(&seed(), &["check", "--offline", "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    // The links copied from Learn carry their repair as a suggested change.
    let fixes: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.get("fixes"))
        .collect();
    assert_eq!(fixes.len(), 14);
    let change = &fixes[0][0]["artifactChanges"][0];
    let inserted = change["replacements"][0]["insertedContent"]["text"]
        .as_str()
        .unwrap();
    assert!(
        inserted.starts_with("https://learn.microsoft.com/azure/backup/"),
        "{inserted}"
    );
    assert!(change["replacements"][0]["deletedRegion"]["endColumn"].is_u64());
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "labsite");
    let rules: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules.len(), 11);
    assert_eq!(
        rules.iter().collect::<BTreeSet<_>>().len(),
        11,
        "rule ids are unique"
    );
    for r in driver["rules"].as_array().unwrap() {
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        assert!(
            ["error", "warning"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 28);
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index], id);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("content/") && !uri.starts_with('/'),
            "{uri}"
        );
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn build_prints_check_errors_as_warnings_and_strict_fails() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("check/broken-link"), dir.path());
    let root = dir.path().to_str().unwrap();
    let out = run_in_repo(&["build", root]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: content/README.md:4:3: link target `content/chapter-1/setup.md` does not exist [broken-link]"),
        "{err}"
    );
    assert!(dir.path().join("public/index.html").is_file());
    fs::remove_dir_all(dir.path().join("public")).unwrap();

    let out = run_in_repo(&["build", "--strict", root]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error: content/README.md:4:3:"), "{err}");
    assert!(
        err.contains("Build failed: 8 errors found by the checks (--strict)"),
        "{err}"
    );
    assert!(
        !Path::new(root).join("public").exists(),
        "a strict build that fails writes nothing"
    );

    // Warnings of the checks (style) do not fail a strict build.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("check/content-rules"), dir.path());
    let out = run_in_repo(&["build", "--strict", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
