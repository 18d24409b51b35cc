//! The `junit` format: JUnit XML for CI test reports. Each checked file is a
//! test case, failed when it has errors (all of them in the one `<failure>`);
//! its warnings go to the case's `<system-out>`.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use super::{FormatContext, Formatter};
use crate::check::Report;
use crate::diag::{display_path, Diagnostic, Rule, Severity};
use crate::junit::{self, Problem, ProblemKind, TestCase};

pub struct Junit;

fn describe(f: &Diagnostic) -> String {
    let mut s = format!(
        "{} [{}] {}",
        f.location(),
        f.rule.map_or("-", Rule::id),
        f.message
    );
    if let Some(hint) = &f.hint {
        s.push_str(&format!("\n  hint: {hint}"));
    }
    s
}

impl Formatter for Junit {
    fn write(&self, report: &Report, _ctx: &FormatContext, out: &mut dyn Write) -> io::Result<()> {
        let mut files: BTreeMap<&Path, Vec<&Diagnostic>> = BTreeMap::new();
        for f in &report.checked_files {
            files.entry(f).or_default();
        }
        for f in &report.findings {
            files.entry(&f.file).or_default().push(f);
        }
        let cases = files
            .into_iter()
            .map(|(file, findings)| test_case(file, &findings))
            .collect();
        junit::TestSuites {
            name: "labsite check".into(),
            time: None,
            suites: vec![junit::TestSuite {
                name: "labsite check".into(),
                time: None,
                cases,
            }],
        }
        .write(out)
    }
}

/// A checked file's case: failed by its errors, its warnings shown beside.
fn test_case(file: &Path, findings: &[&Diagnostic]) -> TestCase {
    let name = display_path(file);
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        findings.iter().partition(|f| f.severity == Severity::Error);
    let problem = errors.first().map(|first| Problem {
        kind: ProblemKind::Failure,
        type_: first.rule.map_or("check", Rule::id).to_string(),
        message: format!("{} error(s); first: {}", errors.len(), first.message),
        text: errors
            .iter()
            .map(|f| describe(f))
            .collect::<Vec<_>>()
            .join("\n"),
    });
    let system_out = (!warnings.is_empty()).then(|| {
        warnings
            .iter()
            .map(|f| format!("warning: {}", describe(f)))
            .collect::<Vec<_>>()
            .join("\n")
    });
    TestCase {
        classname: "labsite.check".into(),
        name: name.clone(),
        file: Some(name),
        time: None,
        problem,
        system_out,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn a_file_fails_by_its_errors_and_shows_its_warnings() {
        let report = Report {
            findings: vec![
                Diagnostic::error("a.md", "no such file")
                    .with_rule(Rule::BrokenLink)
                    .at(3, 1),
                Diagnostic::warning("a.md", "tracking").with_rule(Rule::TrackingParam),
                Diagnostic::warning("b.md", "no alt").with_rule(Rule::MissingAlt),
            ],
            checked_files: ["a.md", "b.md", "c.md"].map(PathBuf::from).to_vec(),
            ..Report::default()
        };
        let mut out = Vec::new();
        Junit
            .write(&report, &FormatContext::default(), &mut out)
            .unwrap();
        let xml = String::from_utf8(out).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(suite.attribute("tests"), Some("3"));
        assert_eq!(suite.attribute("failures"), Some("1"));
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        let child = |i: usize, tag: &str| cases[i].children().find(|n| n.has_tag_name(tag));
        let failure = child(0, "failure").unwrap();
        assert_eq!(failure.attribute("type"), Some("broken-link"));
        assert_eq!(failure.text(), Some("a.md:3:1 [broken-link] no such file"));
        assert!(child(1, "failure").is_none(), "warnings do not fail a file");
        assert_eq!(
            child(1, "system-out").unwrap().text(),
            Some("warning: b.md [missing-alt] no alt")
        );
        assert_eq!(cases[2].attribute("file"), Some("c.md"));
        assert!(cases[2].children().all(|n| !n.is_element()));
    }
}
