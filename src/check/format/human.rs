//! The `human` format, shaped like rustc's messages:
//!
//! ```text
//! error[broken-link]: link target `content/a/x.md` does not exist
//!   --> content/a/README.md:11:20
//!    |
//! 11 | - [Back up VMs](x.md) and more
//!    |   ^^^^^^^^^^^^^^^^^^^
//!    = hint: did you mean `X.md`?
//! ```
//!
//! The source line comes from the file on disk; long lines are shown around the
//! span. Colours from the one palette ([`crate::ansi`]), only when asked for.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthChar;

use super::{summary_line, FormatContext, Formatter};
use crate::ansi::{self, Palette};
use crate::check::Report;
use crate::diag::{Diagnostic, Severity};

pub struct Human;

/// The widest source excerpt shown, in terminal columns.
const MAX_WIDTH: usize = 100;

impl Formatter for Human {
    fn write(&self, report: &Report, ctx: &FormatContext, out: &mut dyn Write) -> io::Result<()> {
        let palette = ctx.palette;
        let mut sources = Sources::new(&ctx.root);
        for f in &report.findings {
            write_finding(f, palette, &mut sources, out)?;
        }
        let (errors, warnings) = (report.errors(), report.warnings());
        let summary = summary_line(report);
        let line = if errors > 0 {
            format!("{}: {summary}", palette.paint(ansi::ERROR, "error"))
        } else if warnings > 0 {
            format!("{}: {summary}", palette.paint(ansi::WARNING, "warning"))
        } else {
            format!("{} {summary}", palette.paint(ansi::OK, "ok:"))
        };
        writeln!(out, "{line}")
    }
}

fn write_finding(
    f: &Diagnostic,
    palette: Palette,
    sources: &mut Sources,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (label, colour) = match f.severity {
        Severity::Error => ("error", ansi::ERROR),
        Severity::Warning => ("warning", ansi::WARNING),
    };
    let rule = f.rule.map(|r| format!("[{r}]")).unwrap_or_default();
    writeln!(
        out,
        "{}{}",
        palette.paint(colour, &format!("{label}{rule}")),
        palette.paint(ansi::EMPHASIS, &format!(": {}", f.message))
    )?;
    let source = f.line.and_then(|l| sources.line(&f.file, l));
    let gutter = f.line.map_or(1, |l| l.to_string().len());
    let pad = " ".repeat(gutter);
    writeln!(
        out,
        "{pad}{} {}",
        palette.paint(ansi::FRAME, "-->"),
        f.location()
    )?;
    if let (Some(line_no), Some(text)) = (f.line, source) {
        let column = f.column.unwrap_or(1);
        let (shown, start, width) = excerpt(&text, column, f.target.as_deref());
        let bar = palette.paint(ansi::FRAME, "|");
        writeln!(out, "{pad} {bar}")?;
        writeln!(
            out,
            "{} {bar} {shown}",
            palette.paint(ansi::FRAME, &line_no.to_string())
        )?;
        let marks = palette.paint(colour, &"^".repeat(width.max(1)));
        writeln!(out, "{pad} {bar} {}{marks}", " ".repeat(start))?;
    }
    if let Some(hint) = &f.hint {
        writeln!(out, "{pad} {} {hint}", palette.paint(ansi::HINT, "= hint:"))?;
    }
    writeln!(out)
}

/// The span a finding covers on its line, in characters: from its column to the
/// end of its target where the target is written there, else to the line's end.
fn span(chars: &[char], column: usize, target: Option<&str>) -> (usize, usize) {
    let start = column.saturating_sub(1).min(chars.len());
    let end_of_line = chars.len() - chars.iter().rev().take_while(|c| c.is_whitespace()).count();
    let Some(target) = target.filter(|t| !t.is_empty()) else {
        return (start, end_of_line.max(start + 1));
    };
    let t: Vec<char> = target.chars().collect();
    let found =
        (start..chars.len().saturating_sub(t.len() - 1)).find(|&i| chars[i..].starts_with(&t));
    match found {
        Some(i) => {
            let mut end = i + t.len();
            let opener = chars.get(start).copied();
            if matches!(opener, Some('[' | '!')) && chars.get(end) == Some(&')') {
                end += 1;
            }
            (start, end)
        }
        // A reference-style link: `[text][label]` or `[text][]`.
        None if matches!(chars.get(start), Some('[' | '!')) => {
            let mut end = bracket_end(chars, start);
            if chars.get(end) == Some(&'[') {
                end = bracket_end(chars, end);
            }
            (start, end.max(start + 1))
        }
        None => (start, start + 1),
    }
}

/// The index after the `]` closing the first `[` at or after `from` (nesting
/// counted), or the line's end.
fn bracket_end(chars: &[char], from: usize) -> usize {
    let mut depth = 0;
    for (i, c) in chars.iter().enumerate().skip(from) {
        match c {
            '[' => depth += 1,
            ']' if depth <= 1 => return i + 1,
            ']' => depth -= 1,
            _ => {}
        }
    }
    chars.len()
}

fn width(chars: &[char]) -> usize {
    chars.iter().map(|c| c.width().unwrap_or(0)).sum()
}

/// The line as shown (tabs as spaces, cut to [`MAX_WIDTH`] around the span), and
/// the span's start and width in terminal columns.
fn excerpt(line: &str, column: usize, target: Option<&str>) -> (String, usize, usize) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let (start, end) = span(&chars, column, target);
    let (mut from, mut to) = (0, chars.len());
    if width(&chars) > MAX_WIDTH {
        from = start.saturating_sub(20);
        to = from;
        while to < chars.len() && width(&chars[from..=to]) < MAX_WIDTH {
            to += 1;
        }
    }
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    shown.extend(&chars[from..to]);
    if to < chars.len() {
        shown.push('…');
    }
    let lead = usize::from(from > 0);
    let end = end.min(to).max(start + 1);
    let span_start = lead + width(&chars[from..start.min(to)]);
    let span_width = width(&chars[start.min(chars.len())..end.min(chars.len())]).max(1);
    (shown, span_start, span_width)
}

/// Source files read on demand, decoded as the workshop loader decodes them.
struct Sources {
    root: PathBuf,
    files: HashMap<PathBuf, Option<Vec<String>>>,
}

impl Sources {
    fn new(root: &Path) -> Self {
        Sources {
            root: root.to_path_buf(),
            files: HashMap::new(),
        }
    }

    fn line(&mut self, file: &Path, line: usize) -> Option<String> {
        let root = &self.root;
        let lines = self.files.entry(file.to_path_buf()).or_insert_with(|| {
            let bytes = std::fs::read(root.join(file)).ok()?;
            let (text, _) = crate::workshop::source::decode(&bytes, file);
            Some(text.split('\n').map(str::to_string).collect())
        });
        lines.as_ref()?.get(line.checked_sub(1)?).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_link_up_to_its_target() {
        let line = "- **Azure** - [Back up](backup.md) (more)";
        let (shown, start, w) = excerpt(line, 15, Some("backup.md"));
        assert_eq!(shown, line);
        assert_eq!(start, 14);
        assert_eq!(&line[start..start + w], "[Back up](backup.md)");
        let (_, start, w) = excerpt("ðŸ’¡ **x**", 1, Some("ðŸ’¡"));
        assert_eq!((start, w), (0, 4));
        let (_, start, w) = excerpt("See [the docs][ref] too", 5, Some("nowhere.md"));
        assert_eq!((start, w), (4, 15));
        let (_, start, w) = excerpt("## Task 1: Go  ", 4, None);
        assert_eq!((start, w), (3, 10));
    }

    #[test]
    fn long_lines_are_cut_around_the_span_and_wide_characters_count_double() {
        let line = format!("{}[x](missing.md){}", "a".repeat(150), "b".repeat(150));
        let (shown, start, w) = excerpt(&line, 151, Some("missing.md"));
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= MAX_WIDTH + 2);
        let marked: String = shown.chars().skip(start).take(w).collect();
        assert_eq!(marked, "[x](missing.md)");
        let (_, start, w) = excerpt("日本 [x](y.md)", 4, Some("y.md"));
        assert_eq!((start, w), (5, 9));
    }
}
