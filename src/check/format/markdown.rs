//! The `markdown` format: a heading, a one-line summary and a table of
//! findings, for pull-request comments and the GitHub job summary.

use std::io::{self, Write};

use super::{summary_line, FormatContext, Formatter};
use crate::check::Report;
use crate::diag::{Rule, Severity};

pub struct Markdown;

/// The most rows written; GitHub limits a job summary to 1 MiB.
const MAX_ROWS: usize = 1000;

/// Text safe inside a table cell: one line, `|` escaped.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

impl Formatter for Markdown {
    fn write(&self, report: &Report, ctx: &FormatContext, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "## labsite check\n")?;
        let mark = if report.errors() > 0 {
            "❌"
        } else if report.warnings() > 0 {
            "⚠️"
        } else {
            "✅"
        };
        writeln!(out, "{mark} {}\n", summary_line(report))?;
        if report.findings.is_empty() {
            return Ok(());
        }
        writeln!(out, "| Severity | Rule | Location | Message |")?;
        writeln!(out, "| --- | --- | --- | --- |")?;
        for f in report.findings.iter().take(MAX_ROWS) {
            let severity = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut location = ctx.repo_path(&f.file);
            if let Some(l) = f.line {
                location.push_str(&format!(":{l}"));
                if let Some(c) = f.column {
                    location.push_str(&format!(":{c}"));
                }
            }
            let mut message = cell(&f.message);
            if let Some(hint) = &f.hint {
                message.push_str(&format!("<br>*{}*", cell(hint)));
            }
            writeln!(
                out,
                "| {severity} | `{}` | `{}` | {message} |",
                f.rule.map_or("-", Rule::id),
                cell(&location)
            )?;
        }
        if report.findings.len() > MAX_ROWS {
            writeln!(out, "\n…and {} more.", report.findings.len() - MAX_ROWS)?;
        }
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_stay_on_one_line() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
    }
}
