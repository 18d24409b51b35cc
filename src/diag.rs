//! Diagnostics: what labsite tells a user about their files.
//!
//! One type serves build errors, build warnings and `check` findings, so that
//! every front end (terminal, JSON, GitHub annotations, the preview overlay)
//! can show the file, the line and what to do the same way. A `check` finding
//! also names its [`Rule`].

pub mod rule;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use rule::Rule;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A message about a place in a user's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule of a `check` finding (`broken-link`, …); `None` for build problems.
    pub rule: Option<Rule>,
    pub severity: Severity,
    /// The file, relative to the workshop root where possible, with `/` separators.
    pub file: PathBuf,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column in characters, when the problem has one.
    pub column: Option<usize>,
    pub message: String,
    /// The link or value the message is about, where it applies.
    pub target: Option<String>,
    /// What the user can do about it.
    pub hint: Option<String>,
    /// A replacement that repairs it, where one is known (`check --fix` applies it).
    pub fix: Option<Fix>,
}

/// A repair of a finding: the text `from` at `line` and `column` of the finding's
/// file (1-based, columns in characters) replaced by `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub line: usize,
    pub column: usize,
    pub from: String,
    pub to: String,
    /// Whether `to` was confirmed to work (an online check requested it).
    pub verified: bool,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, message)
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, message)
    }

    fn new(severity: Severity, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            rule: None,
            severity,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            target: None,
            hint: None,
            fix: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_rule(mut self, rule: Rule) -> Self {
        self.rule = Some(rule);
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// `file:line:column`, as far as it is known.
    pub fn location(&self) -> String {
        let mut s = display_path(&self.file);
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A path as shown to users: `/`-separated on every platform.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Errors that stop a build: each one names a file (and a line where there is one).
#[derive(Debug, Clone)]
pub struct Errors(pub Vec<Diagnostic>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Diagnostic> for Errors {
    fn from(d: Diagnostic) -> Self {
        Errors(vec![d])
    }
}

/// Converts a byte offset in `text` into a 1-based (line, column), the column counted in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Line starts of a text, for many offset → line/column look-ups in one file.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // memchr, not `match_indices('\n')`: lines are short, and `str`'s search
        // starts over for each one.
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based (line, column in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\nçé x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 4));
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, x), (2, 4));
        assert_eq!(idx.line_col(text, text.len()), (3, 1));
    }

    #[test]
    fn display_names_file_line_and_hint() {
        let d = Diagnostic::error("content/a.md", "bad thing")
            .at(3, 7)
            .with_hint("fix it");
        assert_eq!(d.to_string(), "content/a.md:3:7: bad thing\n  hint: fix it");
    }
}
