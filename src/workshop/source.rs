//! Reading a Markdown file's bytes into text: encodings, line endings and front matter.
//!
//! Workshop files come from every editor: UTF-8 with or without a BOM, UTF-16
//! from Windows tools, CRLF or lone CR line endings, now and then invalid bytes.
//! All of them become `\n`-separated UTF-8 here, with a warning where text had
//! to be replaced, so later stages never deal with encodings.

use std::path::Path;

use serde::Deserialize;
use serde_yaml::Value;

use crate::diag::{Diagnostic, Severity};
use crate::workshop::config::yaml_error;

/// Optional YAML front matter of a page. Keys labsite does not use are allowed
/// (front matter is shared with Jekyll, Hugo and Microsoft Learn); Microsoft
/// Learn's `lab:` mapping (`title`, `module`, `description`, `duration`) fills in
/// what the page's own keys leave unset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub description: Option<String>,
    /// The module or unit the page belongs to (`lab.module`).
    pub module: Option<String>,
    /// How long the page takes, as written (`duration`, `lab.duration`: "30 minutes").
    pub duration: Option<String>,
}

/// A page's text split into front matter and Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub front: FrontMatter,
    /// The Markdown after the front matter.
    pub body: String,
    /// How many lines precede `body` in the file (front matter), to report file lines.
    pub body_line_offset: usize,
}

/// Decodes a file's bytes as text, with a warning naming the line where bytes were not valid UTF-8.
pub fn decode(bytes: &[u8], file: &Path) -> (String, Option<Diagnostic>) {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        decode_utf8(rest, file)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (decode_utf16(rest, u16::from_le_bytes), None)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (decode_utf16(rest, u16::from_be_bytes), None)
    } else {
        decode_utf8(bytes, file)
    };
    (normalize_newlines(text.0), text.1)
}

fn decode_utf8(bytes: &[u8], file: &Path) -> (String, Option<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(e) => {
            let good = e.valid_up_to();
            let line = bytes[..good].iter().filter(|&&b| b == b'\n').count() + 1;
            let warning = Diagnostic::warning(
                file,
                "the file is not valid UTF-8; invalid bytes were replaced with �",
            )
            .at_line(line)
            .with_hint("save the file as UTF-8 in your editor");
            (String::from_utf8_lossy(bytes).into_owned(), Some(warning))
        }
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// `\r\n` and lone `\r` become `\n`, so that lines count the same everywhere.
fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// What to do with front matter labsite cannot read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BadFrontMatter {
    /// Warn, and build the page without it (GitHub shows such a page's text too).
    #[default]
    Warn,
    /// Fail: `--strict`.
    Fail,
}

/// Splits `---` fenced YAML front matter from the body.
///
/// A front matter block that never closes is not front matter (GitHub shows it
/// as a rule and text): the whole file is the body, with a warning. Front matter
/// that is not YAML, or not a mapping (a Hugo archetype's Go template, say), is a
/// warning and the page is built without it, unless `bad` says to fail.
pub fn split_front_matter(
    text: &str,
    file: &Path,
    bad: BadFrontMatter,
) -> Result<(Source, Vec<Diagnostic>), Diagnostic> {
    let Some(after_open) = text.strip_prefix("---\n") else {
        return Ok((body_only(text), Vec::new()));
    };
    let mut offset = 0;
    for (yaml_lines, line) in after_open.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end_matches('\n').trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            let mut warnings = Vec::new();
            let front = match parse_front_matter(yaml, file, &mut warnings) {
                Ok(front) => front,
                Err(e) if bad == BadFrontMatter::Fail => return Err(e),
                Err(mut e) => {
                    e.severity = Severity::Warning;
                    e.message =
                        format!("{}; the page is built without its front matter", e.message);
                    e.hint = Some(format!(
                        "{} (`labsite build --strict` makes this an error)",
                        e.hint.as_deref().unwrap_or("fix the front matter")
                    ));
                    warnings.push(e);
                    FrontMatter::default()
                }
            };
            let source = Source {
                front,
                body: body.to_string(),
                body_line_offset: yaml_lines + 2,
            };
            return Ok((source, warnings));
        }
        offset += line.len();
    }
    let warning = Diagnostic::warning(
        file,
        "front matter opened with `---` is never closed; the file is read as Markdown",
    )
    .at_line(1)
    .with_hint("close the front matter with a line `---`, or remove the first line");
    Ok((body_only(text), vec![warning]))
}

fn body_only(text: &str) -> Source {
    Source {
        front: FrontMatter::default(),
        body: text.to_string(),
        body_line_offset: 0,
    }
}

/// Reads the keys labsite uses. A key of the wrong type (`weight: soon`) is a
/// warning about that key alone; YAML that does not parse, or is not a mapping,
/// is an error the caller decides about.
fn parse_front_matter(
    yaml: &str,
    file: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<FrontMatter, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    // Line 1 of the YAML is line 2 of the file. Only the keys labsite reads are
    // taken as values: the rest is skipped unexpanded (an alias bomb under a key
    // nobody reads costs nothing).
    let raw: RawFront = serde_yaml::from_str(yaml).map_err(|e| {
        if e.to_string().contains("expected struct RawFront") {
            Diagnostic::error(file, "front matter is not a mapping of `key: value` lines")
                .at_line(2)
                .with_hint("write front matter as `title: My page` lines, or remove it")
        } else {
            yaml_error(file, &e, yaml, 1)
        }
    })?;
    let lab = raw.lab.unwrap_or_default();
    let mut read = Reader {
        yaml,
        file,
        warnings,
    };
    Ok(FrontMatter {
        title: read
            .text(raw.title, "title")
            .or_else(|| read.text(lab.title, "title")),
        weight: read.integer(raw.weight, "weight"),
        draft: read.flag(raw.draft, "draft"),
        description: read
            .text(raw.description, "description")
            .or_else(|| read.text(lab.description, "description")),
        module: read
            .text(raw.module, "module")
            .or_else(|| read.text(lab.module, "module")),
        duration: read
            .text(raw.duration, "duration")
            .or_else(|| read.text(lab.duration, "duration")),
    })
}

/// The keys of front matter labsite reads, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawFront {
    title: Option<Value>,
    weight: Option<Value>,
    draft: Option<Value>,
    description: Option<Value>,
    module: Option<Value>,
    duration: Option<Value>,
    lab: Option<RawLab>,
}

/// Microsoft Learn's `lab:` mapping.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawLab {
    title: Option<Value>,
    description: Option<Value>,
    module: Option<Value>,
    duration: Option<Value>,
}

/// Takes typed values out of a front matter mapping, with a warning naming the
/// key's line for a value of the wrong type.
struct Reader<'a> {
    yaml: &'a str,
    file: &'a Path,
    warnings: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn text(&mut self, value: Option<Value>, key: &str) -> Option<String> {
        match value? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            _ => self.wrong(key, "text"),
        }
    }

    fn integer(&mut self, value: Option<Value>, key: &str) -> Option<i64> {
        match value? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            Value::Null => None,
            _ => self.wrong(key, "a whole number"),
        }
    }

    fn flag(&mut self, value: Option<Value>, key: &str) -> bool {
        match value {
            Some(Value::Bool(b)) => b,
            None | Some(Value::Null) => false,
            Some(_) => self.wrong(key, "true or false").unwrap_or(false),
        }
    }

    fn wrong<T>(&mut self, key: &str, expected: &str) -> Option<T> {
        // Line 1 of the YAML is line 2 of the file.
        let line = self
            .yaml
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .map_or(2, |i| i + 2);
        self.warnings.push(
            Diagnostic::warning(
                self.file,
                format!("front matter `{key}` is not {expected}; it is ignored"),
            )
            .at_line(line)
            .with_hint(format!("write `{key}:` as {expected}")),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WARN: BadFrontMatter = BadFrontMatter::Warn;

    fn p() -> &'static Path {
        Path::new("a.md")
    }

    #[test]
    fn front_matter_is_split_and_lines_are_counted() {
        let (s, w) =
            split_front_matter("---\ntitle: Hi\ndraft: true\n---\n# Body\n", p(), WARN).unwrap();
        assert!(w.is_empty());
        assert_eq!(s.front.title.as_deref(), Some("Hi"));
        assert!(s.front.draft);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line_offset, 4);
    }

    #[test]
    fn unclosed_front_matter_is_markdown_with_a_warning() {
        let (s, w) = split_front_matter("---\ntitle: x\n# Body\n", p(), WARN).unwrap();
        assert_eq!(s.body, "---\ntitle: x\n# Body\n");
        assert_eq!(w[0].line, Some(1));
    }

    #[test]
    fn bad_front_matter_names_the_file_line() {
        let text = "---\ntitle: ok\nweight: [1\n---\n# Body\n";
        let e = split_front_matter(text, p(), BadFrontMatter::Fail).unwrap_err();
        assert!(e.line.unwrap() >= 3, "{e}");
        assert!(e.message.starts_with("invalid YAML"));
        let (s, w) = split_front_matter(text, p(), WARN).unwrap();
        assert_eq!(s.body, "# Body\n", "built without its front matter");
        assert_eq!(s.front, FrontMatter::default());
        assert_eq!((w[0].severity, w[0].line), (Severity::Warning, e.line));
    }

    #[test]
    fn front_matter_errors_name_the_line_editors_show() {
        // Found by fuzz/fuzz_targets/front_matter.rs: YAML counts NEL (U+0085) as a line break.
        let text = "---\ntitle: a\u{85}b\nweight: [1\n---\n";
        let e = split_front_matter(text, p(), BadFrontMatter::Fail).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
    }

    #[test]
    fn a_hugo_archetype_is_a_warning_not_a_failed_site() {
        let text = "---\ntitle: \"{{ replace .Name \"-\" \" \" | title }}\"\ndate: {{ .Date }}\ndraft: true\n---\n\nText\n";
        let (s, w) = split_front_matter(text, p(), WARN).unwrap();
        assert_eq!(s.body, "\nText\n");
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].line, Some(2));
        assert!(
            w[0].message.contains("built without its front matter"),
            "{}",
            w[0]
        );
        let (_, w) = split_front_matter("---\n- a\n- b\n---\nx\n", p(), WARN).unwrap();
        assert!(w[0].message.contains("not a mapping"), "{}", w[0]);
    }

    #[test]
    fn microsoft_learn_lab_keys_fill_in() {
        let text = "---\nlab:\n  title: 'Lab 01: Identities'\n  module: Administer Identity\n  duration: 30 minutes\n  level: 300\n---\n# Body\n";
        let (s, w) = split_front_matter(text, p(), WARN).unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.front.title.as_deref(), Some("Lab 01: Identities"));
        assert_eq!(s.front.module.as_deref(), Some("Administer Identity"));
        assert_eq!(s.front.duration.as_deref(), Some("30 minutes"));
        let own = "---\ntitle: Mine\nlab:\n  title: Theirs\n---\n";
        assert_eq!(
            split_front_matter(own, p(), WARN)
                .unwrap()
                .0
                .front
                .title
                .as_deref(),
            Some("Mine")
        );
    }

    #[test]
    fn a_key_of_the_wrong_type_is_ignored_with_a_warning() {
        let text = "---\ntitle: Hi\nweight: soon\ndraft: maybe\n---\n";
        let (s, w) = split_front_matter(text, p(), WARN).unwrap();
        assert_eq!(s.front.title.as_deref(), Some("Hi"));
        assert_eq!((s.front.weight, s.front.draft), (None, false));
        let lines: Vec<_> = w.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(3), Some(4)]);
    }

    #[test]
    fn encodings_and_newlines_are_normalised() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\rc", p()).0, "a\nb\nc");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("é\r\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16, p()).0, "é\n");
        let (text, warning) = decode(b"ok\nbad \xFF here", p());
        assert_eq!(text, "ok\nbad \u{FFFD} here");
        assert_eq!(warning.unwrap().line, Some(2));
    }
}
