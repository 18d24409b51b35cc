//! The `json` format: `{"findings":[{"rule","severity","file","line","column",
//! "message","target","fix"?}],"summary":{"files","links","errors","warnings"}}`, with
//! `file` relative to the workshop root and `/` as separator.

use std::io::{self, Write};

use serde::Serialize;

use super::{FormatContext, Formatter};
use crate::check::Report;
use crate::diag::{display_path, Fix, Rule, Severity};

pub struct Json;

#[derive(Serialize)]
struct Finding<'a> {
    rule: Option<Rule>,
    severity: Severity,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    target: Option<&'a str>,
    /// A repair (`from` at `line`/`column` → `to`, `verified`), when one is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a Fix>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    links: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Output<'a> {
    findings: Vec<Finding<'a>>,
    summary: Summary,
}

impl Formatter for Json {
    fn write(&self, report: &Report, _ctx: &FormatContext, out: &mut dyn Write) -> io::Result<()> {
        let output = Output {
            findings: report
                .findings
                .iter()
                .map(|f| Finding {
                    rule: f.rule,
                    severity: f.severity,
                    file: display_path(&f.file),
                    line: f.line,
                    column: f.column,
                    message: &f.message,
                    target: f.target.as_deref(),
                    fix: f.fix.as_ref(),
                })
                .collect(),
            summary: Summary {
                files: report.files,
                links: report.links,
                errors: report.errors(),
                warnings: report.warnings(),
            },
        };
        // Serialised first, so that a closed pipe stays an I/O error of its own kind.
        let text = serde_json::to_string_pretty(&output).map_err(io::Error::other)?;
        writeln!(out, "{text}")
    }
}
