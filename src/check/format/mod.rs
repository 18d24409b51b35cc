//! Output formats of `labsite check`, one per file behind [`Formatter`]:
//! `human` (rustc-like, with the source line), `json`, `github` (workflow
//! annotations and a step summary), `markdown`, `junit` and `sarif`.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Report;
use crate::ansi::Palette;
use crate::diag::display_path;

/// The format names `--format` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Kind {
    /// rustc-like messages with the source line, for people.
    #[default]
    Human,
    /// `{"findings":[…],"summary":{…}}`, for programs.
    Json,
    /// GitHub Actions annotations, and a summary in `$GITHUB_STEP_SUMMARY`.
    Github,
    /// A Markdown table, for pull-request comments.
    Markdown,
    /// JUnit XML, for CI test reports.
    Junit,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

/// What a format may need besides the report.
#[derive(Debug, Clone, Default)]
pub struct FormatContext {
    /// The workshop root: findings' files are relative to it.
    pub root: PathBuf,
    /// Terminal colours, or none.
    pub palette: Palette,
    /// The workshop root relative to the repository root, for formats whose
    /// readers want paths from there (GitHub annotations, SARIF).
    pub repo_prefix: PathBuf,
    /// Where GitHub Actions wants the job summary (`$GITHUB_STEP_SUMMARY`).
    pub step_summary: Option<PathBuf>,
}

impl FormatContext {
    /// A finding's file as seen from the repository root, with `/`.
    pub fn repo_path(&self, file: &Path) -> String {
        display_path(&self.repo_prefix.join(file))
    }
}

/// Writes a report in one format.
pub trait Formatter {
    fn write(&self, report: &Report, ctx: &FormatContext, out: &mut dyn Write) -> io::Result<()>;
}

/// The formatter for a format name.
pub fn formatter(kind: Kind) -> Box<dyn Formatter> {
    match kind {
        Kind::Human => Box::new(human::Human),
        Kind::Json => Box::new(json::Json),
        Kind::Github => Box::new(github::Github),
        Kind::Markdown => Box::new(markdown::Markdown),
        Kind::Junit => Box::new(junit::Junit),
        Kind::Sarif => Box::new(sarif::Sarif),
    }
}

/// `1 error`, `2 warnings`.
pub fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// One line saying what was checked and found: `5 files, 34 links: 2 errors, 1 warning`.
pub fn summary_line(report: &Report) -> String {
    let mut checked = format!(
        "{}, {}",
        count(report.files, "file"),
        count(report.links, "link")
    );
    if report.external_urls > 0 {
        checked.push_str(&format!(
            " ({} checked online, {} from the cache)",
            count(report.external_urls, "external URL"),
            report.cached_urls
        ));
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    if errors + warnings == 0 {
        format!("{checked}: no problems")
    } else {
        format!(
            "{checked}: {}, {}",
            count(errors, "error"),
            count(warnings, "warning")
        )
    }
}
