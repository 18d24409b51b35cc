//! The `sarif` format: SARIF 2.1.0, which GitHub code scanning accepts
//! (`github/codeql-action/upload-sarif`). Every rule is described in the tool's
//! driver; each finding is a result with a physical location whose `uri` is
//! relative to the repository root and whose columns count Unicode code points.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{FormatContext, Formatter};
use crate::check::Report;
use crate::diag::{Rule, Severity};
use crate::urlpath::encode_path;

pub struct Sarif;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rules() -> Vec<Value> {
    Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "name": r.id(),
                "shortDescription": { "text": r.description() },
                "fullDescription": { "text": r.description() },
                "defaultConfiguration": { "level": level(r.default_severity()) },
                "properties": { "tags": ["documentation"] },
            })
        })
        .collect()
}

impl Formatter for Sarif {
    fn write(&self, report: &Report, ctx: &FormatContext, out: &mut dyn Write) -> io::Result<()> {
        let results: Vec<Value> = report
            .findings
            .iter()
            .map(|f| {
                let rule = f.rule.map_or("labsite", Rule::id);
                let mut text = f.message.clone();
                if let Some(hint) = &f.hint {
                    text.push_str(&format!(" Hint: {hint}"));
                }
                let mut location = json!({
                    "artifactLocation": {
                        "uri": encode_path(&ctx.repo_path(&f.file)),
                        "uriBaseId": "%SRCROOT%",
                    }
                });
                if let Some(line) = f.line {
                    let mut region = json!({ "startLine": line });
                    if let Some(col) = f.column {
                        region["startColumn"] = json!(col);
                    }
                    location["region"] = region;
                }
                let mut result = json!({
                    "ruleId": rule,
                    "level": level(f.severity),
                    "message": { "text": text },
                    "locations": [{ "physicalLocation": location }],
                });
                if let Some(index) = f.rule.and_then(|r| Rule::ALL.iter().position(|x| *x == r)) {
                    result["ruleIndex"] = json!(index);
                }
                if let Some(fix) = &f.fix {
                    // Code scanning offers it as a suggested change.
                    let end = fix.column + fix.from.chars().count();
                    result["fixes"] = json!([{
                        "description": { "text": format!("Link to {}", fix.to) },
                        "artifactChanges": [{
                            "artifactLocation": {
                                "uri": encode_path(&ctx.repo_path(&f.file)),
                                "uriBaseId": "%SRCROOT%",
                            },
                            "replacements": [{
                                "deletedRegion": {
                                    "startLine": fix.line,
                                    "startColumn": fix.column,
                                    "endLine": fix.line,
                                    "endColumn": end,
                                },
                                "insertedContent": { "text": fix.to },
                            }],
                        }],
                    }]);
                }
                result
            })
            .collect();
        let sarif = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "labsite",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": rules(),
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }]
        });
        // Serialised first, so that a closed pipe stays an I/O error of its own kind.
        let text = serde_json::to_string_pretty(&sarif).map_err(io::Error::other)?;
        writeln!(out, "{text}")
    }
}
