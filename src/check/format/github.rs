//! The `github` format: one workflow command per finding
//! (`::error file=…,line=…,col=…,title=…::message`), which GitHub Actions shows
//! as annotations on the changed lines. GitHub shows only ten annotations of
//! each kind per step, so the whole report also goes, as Markdown, to the job
//! summary (`$GITHUB_STEP_SUMMARY`) when it is set.

use std::fs::OpenOptions;
use std::io::{self, Write};

use super::markdown::Markdown;
use super::{summary_line, FormatContext, Formatter};
use crate::check::Report;
use crate::diag::Severity;

pub struct Github;

/// Escapes a command's message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Formatter for Github {
    fn write(&self, report: &Report, ctx: &FormatContext, out: &mut dyn Write) -> io::Result<()> {
        for f in &report.findings {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut props = vec![format!("file={}", escape_property(&ctx.repo_path(&f.file)))];
            if let Some(line) = f.line {
                props.push(format!("line={line}"));
                if let Some(col) = f.column {
                    props.push(format!("col={col}"));
                }
            }
            if let Some(rule) = &f.rule {
                props.push(format!("title={}", escape_property(rule.id())));
            }
            let mut message = f.message.clone();
            if let Some(hint) = &f.hint {
                message.push_str(&format!("\nhint: {hint}"));
            }
            if let Some(fix) = &f.fix {
                let how = if fix.verified { "" } else { " (unverified)" };
                message.push_str(&format!(
                    "\nfix{how}: replace `{}` with `{}`",
                    fix.from, fix.to
                ));
            }
            writeln!(
                out,
                "::{command} {}::{}",
                props.join(","),
                escape_data(&message)
            )?;
        }
        writeln!(out, "labsite check: {}", summary_line(report))?;
        if let Some(path) = &ctx.step_summary {
            let mut file = OpenOptions::new().create(true).append(true).open(path)?;
            Markdown.write(report, ctx, &mut file)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
