//! `--format junit`: one `<testcase>` per check (class name the chapter), so CI
//! systems list the checks as tests; failures and timeouts as `<failure>`,
//! errors as `<error>`.

use std::io::{self, Write};
use std::time::Duration;

use super::{Format, Tally};
use crate::junit::escape;
use crate::verify::{CheckResult, Status};

pub struct Junit;

impl Format for Junit {
    fn finish(
        &mut self,
        out: &mut dyn Write,
        results: &[CheckResult],
        elapsed: Duration,
    ) -> io::Result<()> {
        let t = Tally::of(results);
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="labsite verify" tests="{}" failures="{}" errors="{}" time="{:.3}">"#,
            t.total(),
            t.failed + t.timeouts,
            t.errors,
            elapsed.as_secs_f64()
        )?;
        writeln!(
            out,
            r#"  <testsuite name="success criteria" tests="{}" failures="{}" errors="{}" time="{:.3}">"#,
            t.total(),
            t.failed + t.timeouts,
            t.errors,
            elapsed.as_secs_f64()
        )?;
        for r in results {
            let open = format!(
                r#"    <testcase classname="{}" name="{}" time="{:.3}""#,
                xml(&r.chapter),
                xml(&format!("{}: {}", r.id, r.title)),
                r.duration_ms as f64 / 1000.0
            );
            let (tag, kind) = match r.status {
                Status::Pass => {
                    writeln!(out, "{open}/>")?;
                    continue;
                }
                Status::Fail => ("failure", "fail"),
                Status::Timeout => ("failure", "timeout"),
                Status::Error => ("error", "error"),
            };
            writeln!(out, "{open}>")?;
            writeln!(
                out,
                r#"      <{tag} type="{kind}" message="{}">{}</{tag}>"#,
                xml(&r.message),
                xml(&r.message)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
}

/// Text for XML content and attributes ([`escape`]: characters XML 1.0 cannot hold
/// are dropped), on one line: tabs and carriage returns become spaces, line feeds
/// a character reference, so that attribute values keep them.
fn xml(text: &str) -> String {
    escape(&text.replace(['\t', '\r'], " ")).replace('\n', "&#10;")
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
