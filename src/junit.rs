//! JUnit XML, shared by `check` and `verify` reports: the test suites are built
//! as values ([`TestSuites`], [`TestSuite`], [`TestCase`]) and written by one
//! writer, which counts tests, failures and errors from the cases themselves and
//! escapes every text and attribute.
//!
//! ```xml
//! <testsuites name="labsite verify" tests="2" failures="1" errors="0" skipped="0" time="1.500">
//!   <testsuite name="success criteria" tests="2" failures="1" errors="0" skipped="0" time="1.500">
//!     <testcase classname="chapter-1" name="a: A" time="0.005"/>
//!     <testcase classname="chapter-1" name="b: B" time="1.495">
//!       <failure type="fail" message="not yet">not yet</failure>
//!       <system-out>…</system-out>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```

use std::io::{self, Write};
use std::time::Duration;

/// The whole document: `<testsuites>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestSuites {
    pub name: String,
    pub time: Option<Duration>,
    pub suites: Vec<TestSuite>,
}

/// One `<testsuite>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestSuite {
    pub name: String,
    pub time: Option<Duration>,
    pub cases: Vec<TestCase>,
}

/// One `<testcase>`: passed unless it has a [`Problem`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestCase {
    pub classname: String,
    pub name: String,
    /// The file the case is about, where there is one.
    pub file: Option<String>,
    pub time: Option<Duration>,
    pub problem: Option<Problem>,
    /// Text shown with the case (`<system-out>`), e.g. warnings.
    pub system_out: Option<String>,
}

/// Why a case did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The `type` attribute: what kind of problem, in the report's own words.
    pub type_: String,
    /// The `message` attribute: one line.
    pub message: String,
    /// The element's text: the details.
    pub text: String,
}

/// `<failure>` (the thing tested is wrong) or `<error>` (the test could not run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    Failure,
    Error,
}

impl ProblemKind {
    fn tag(self) -> &'static str {
        match self {
            ProblemKind::Failure => "failure",
            ProblemKind::Error => "error",
        }
    }
}

/// Tests, failures and errors among some cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
}

impl Counts {
    fn of<'a>(cases: impl IntoIterator<Item = &'a TestCase>) -> Counts {
        let mut c = Counts::default();
        for case in cases {
            c.tests += 1;
            match case.problem.as_ref().map(|p| p.kind) {
                Some(ProblemKind::Failure) => c.failures += 1,
                Some(ProblemKind::Error) => c.errors += 1,
                None => {}
            }
        }
        c
    }

    fn attributes(self, time: Option<Duration>) -> String {
        let mut s = format!(
            r#" tests="{}" failures="{}" errors="{}" skipped="0""#,
            self.tests, self.failures, self.errors
        );
        s.push_str(&time_attribute(time));
        s
    }
}

fn time_attribute(time: Option<Duration>) -> String {
    time.map(|t| format!(r#" time="{:.3}""#, t.as_secs_f64()))
        .unwrap_or_default()
}

impl TestSuites {
    /// Writes the document, XML declaration first.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        let all = Counts::of(self.suites.iter().flat_map(|s| &s.cases));
        writeln!(
            out,
            r#"<testsuites name="{}"{}>"#,
            attribute(&self.name),
            all.attributes(self.time)
        )?;
        for suite in &self.suites {
            writeln!(
                out,
                r#"  <testsuite name="{}"{}>"#,
                attribute(&suite.name),
                Counts::of(&suite.cases).attributes(suite.time)
            )?;
            for case in &suite.cases {
                case.write(out)?;
            }
            writeln!(out, "  </testsuite>")?;
        }
        writeln!(out, "</testsuites>")
    }
}

impl TestCase {
    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut open = format!(
            r#"    <testcase classname="{}" name="{}""#,
            attribute(&self.classname),
            attribute(&self.name)
        );
        if let Some(file) = &self.file {
            open.push_str(&format!(r#" file="{}""#, attribute(file)));
        }
        open.push_str(&time_attribute(self.time));
        if self.problem.is_none() && self.system_out.is_none() {
            return writeln!(out, "{open}/>");
        }
        writeln!(out, "{open}>")?;
        if let Some(p) = &self.problem {
            let tag = p.kind.tag();
            writeln!(
                out,
                r#"      <{tag} type="{}" message="{}">{}</{tag}>"#,
                attribute(&p.type_),
                attribute(&p.message),
                text(&p.text)
            )?;
        }
        if let Some(system_out) = &self.system_out {
            writeln!(out, "      <system-out>{}</system-out>", text(system_out))?;
        }
        writeln!(out, "    </testcase>")
    }
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Element text: [`escape`]d, a carriage return as a reference (a parser would
/// turn a raw one into a line feed).
fn text(s: &str) -> String {
    escape(s).replace('\r', "&#13;")
}

/// An attribute value: [`escape`]d, with line feeds, carriage returns and tabs as
/// references, which a parser keeps (raw ones it reads as spaces).
fn attribute(s: &str) -> String {
    escape(s)
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(doc: &TestSuites) -> String {
        let mut out = Vec::new();
        doc.write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn case(name: &str, problem: Option<Problem>) -> TestCase {
        TestCase {
            classname: "class".into(),
            name: name.into(),
            problem,
            ..TestCase::default()
        }
    }

    fn problem(kind: ProblemKind, message: &str) -> Option<Problem> {
        Some(Problem {
            kind,
            type_: "kind".into(),
            message: message.into(),
            text: message.into(),
        })
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(
            escape("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;"
        );
    }

    #[test]
    fn counts_come_from_the_cases() {
        let doc = TestSuites {
            name: "all".into(),
            time: Some(Duration::from_millis(1500)),
            suites: vec![
                TestSuite {
                    name: "one".into(),
                    time: None,
                    cases: vec![
                        case("a", None),
                        case("b", problem(ProblemKind::Failure, "wrong")),
                    ],
                },
                TestSuite {
                    name: "two".into(),
                    time: None,
                    cases: vec![case("c", problem(ProblemKind::Error, "broken"))],
                },
            ],
        };
        let xml = written(&doc);
        assert!(
            xml.contains(r#"<testsuites name="all" tests="3" failures="1" errors="1" skipped="0" time="1.500">"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testsuite name="one" tests="2" failures="1" errors="0" skipped="0">"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testcase classname="class" name="a"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<error type="kind" message="broken">broken</error>"#),
            "{xml}"
        );
    }

    #[test]
    fn hostile_text_stays_well_formed_and_keeps_its_lines() {
        let nasty = "<a href=\"x\">&'\u{1b}\u{0}\r\n\tend]]>";
        let doc = TestSuites {
            name: nasty.into(),
            time: None,
            suites: vec![TestSuite {
                name: nasty.into(),
                time: None,
                cases: vec![TestCase {
                    classname: nasty.into(),
                    name: nasty.into(),
                    file: Some(nasty.into()),
                    time: Some(Duration::from_millis(5)),
                    problem: problem(ProblemKind::Failure, nasty),
                    system_out: Some(nasty.into()),
                }],
            }],
        };
        let xml = written(&doc);
        let parsed = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let kept = "<a href=\"x\">&'\r\n\tend]]>";
        let case = parsed
            .descendants()
            .find(|n| n.has_tag_name("testcase"))
            .unwrap();
        for name in ["classname", "name", "file"] {
            assert_eq!(case.attribute(name), Some(kept), "{name}");
        }
        assert_eq!(case.attribute("time"), Some("0.005"));
        let failure = case.children().find(|n| n.has_tag_name("failure")).unwrap();
        assert_eq!(failure.attribute("message"), Some(kept));
        assert_eq!(failure.text(), Some(kept));
        let out = case
            .children()
            .find(|n| n.has_tag_name("system-out"))
            .unwrap();
        assert_eq!(out.text(), Some(kept));
    }
}
