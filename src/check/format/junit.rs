//! The `junit` format: JUnit XML for CI test reports. Each checked file is a
//! test case, failed when it has errors (all of them in the one `<failure>`);
//! its warnings go to the case's `<system-out>`.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use super::{FormatContext, Formatter};
use crate::check::Report;
use crate::diag::{display_path, Diagnostic, Rule, Severity};
use crate::junit::escape;

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
        let failed = files
            .values()
            .filter(|fs| fs.iter().any(|f| f.severity == Severity::Error))
            .count();
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="labsite check" tests="{0}" failures="{failed}" errors="0">"#,
            files.len()
        )?;
        writeln!(
            out,
            r#"  <testsuite name="labsite check" tests="{0}" failures="{failed}" errors="0" skipped="0">"#,
            files.len()
        )?;
        for (file, findings) in &files {
            let name = escape(&display_path(file));
            let errors: Vec<&&Diagnostic> = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            let warnings: Vec<&&Diagnostic> = findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .collect();
            if errors.is_empty() && warnings.is_empty() {
                writeln!(
                    out,
                    r#"    <testcase classname="labsite.check" name="{name}" file="{name}"/>"#
                )?;
                continue;
            }
            writeln!(
                out,
                r#"    <testcase classname="labsite.check" name="{name}" file="{name}">"#
            )?;
            if let Some(first) = errors.first() {
                let text: Vec<String> = errors.iter().map(|f| describe(f)).collect();
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    escape(&format!(
                        "{} error(s); first: {}",
                        errors.len(),
                        first.message
                    )),
                    escape(first.rule.map_or("check", Rule::id)),
                    escape(&text.join("\n"))
                )?;
            }
            if !warnings.is_empty() {
                let text: Vec<String> = warnings
                    .iter()
                    .map(|f| format!("warning: {}", describe(f)))
                    .collect();
                writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    escape(&text.join("\n"))
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn xml_escaping() {
        assert_eq!(
            escape("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;"
        );
    }
}
