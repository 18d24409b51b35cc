//! `--format junit`: one `<testcase>` per check (class name the chapter), so CI
//! systems list the checks as tests; failures and timeouts as `<failure>`,
//! errors as `<error>`.

use std::io::{self, Write};
use std::time::Duration;

use super::Format;
use crate::junit::{Problem, ProblemKind, TestCase, TestSuite, TestSuites};
use crate::verify::{CheckResult, Status};

pub struct Junit;

impl Format for Junit {
    fn finish(
        &mut self,
        out: &mut dyn Write,
        results: &[CheckResult],
        elapsed: Duration,
    ) -> io::Result<()> {
        TestSuites {
            name: "labsite verify".into(),
            time: Some(elapsed),
            suites: vec![TestSuite {
                name: "success criteria".into(),
                time: Some(elapsed),
                cases: results.iter().map(test_case).collect(),
            }],
        }
        .write(out)
    }
}

/// A check's case (class name the chapter): failures and timeouts as `<failure>`,
/// errors as `<error>`.
fn test_case(r: &CheckResult) -> TestCase {
    let problem = |kind, type_: &str| {
        Some(Problem {
            kind,
            type_: type_.into(),
            message: r.message.clone(),
            text: r.message.clone(),
        })
    };
    TestCase {
        classname: r.chapter.clone(),
        name: format!("{}: {}", r.id, r.title),
        file: None,
        time: Some(Duration::from_millis(r.duration_ms)),
        problem: match r.status {
            Status::Pass => None,
            Status::Fail => problem(ProblemKind::Failure, "fail"),
            Status::Timeout => problem(ProblemKind::Failure, "timeout"),
            Status::Error => problem(ProblemKind::Error, "error"),
        },
        system_out: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_testcase_per_check_escaped() {
        let results = [
            CheckResult {
                id: "a".into(),
                chapter: "chapter-1".into(),
                title: "A & B".into(),
                status: Status::Pass,
                message: "ok".into(),
                duration_ms: 5,
                details: None,
            },
            CheckResult {
                id: "b".into(),
                chapter: "chapter-1".into(),
                title: "B".into(),
                status: Status::Error,
                message: "<script>\x1b\"x\"".into(),
                duration_ms: 1500,
                details: None,
            },
        ];
        let mut out = Vec::new();
        Junit
            .finish(&mut out, &results, Duration::from_secs(2))
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(r#"<testcase classname="chapter-1" name="a: A &amp; B" time="0.005"/>"#),
            "{text}"
        );
        assert!(
            text.contains(r#"<error type="error" message="&lt;script&gt;&quot;x&quot;">&lt;script&gt;&quot;x&quot;</error>"#),
            "{text}"
        );
        assert!(
            text.contains(r#"tests="2" failures="0" errors="1""#),
            "{text}"
        );
    }
}
