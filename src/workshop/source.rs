//! Reading a Markdown file's bytes into text: encodings, line endings and front matter.
//!
//! Workshop files come from every editor: UTF-8 with or without a BOM, UTF-16
//! from Windows tools, CRLF or lone CR line endings, now and then invalid bytes.
//! All of them become `\n`-separated UTF-8 here, with a warning where text had
//! to be replaced, so later stages never deal with encodings.

use std::path::Path;

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::workshop::config::yaml_error;

/// Optional YAML front matter of a page.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub description: Option<String>,
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

/// Splits `---` fenced YAML front matter from the body.
///
/// A front matter block that never closes is not front matter (GitHub shows it
/// as a rule and text): the whole file is the body, with a warning.
pub fn split_front_matter(
    text: &str,
    file: &Path,
) -> Result<(Source, Option<Diagnostic>), Diagnostic> {
    let Some(after_open) = text.strip_prefix("---\n") else {
        return Ok((body_only(text), None));
    };
    let mut offset = 0;
    for (yaml_lines, line) in after_open.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end_matches('\n').trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            let front = parse_front_matter(yaml, file)?;
            let source = Source {
                front,
                body: body.to_string(),
                body_line_offset: yaml_lines + 2,
            };
            return Ok((source, None));
        }
        offset += line.len();
    }
    let warning = Diagnostic::warning(
        file,
        "front matter opened with `---` is never closed; the file is read as Markdown",
    )
    .at_line(1)
    .with_hint("close the front matter with a line `---`, or remove the first line");
    Ok((body_only(text), Some(warning)))
}

fn body_only(text: &str) -> Source {
    Source {
        front: FrontMatter::default(),
        body: text.to_string(),
        body_line_offset: 0,
    }
}

fn parse_front_matter(yaml: &str, file: &Path) -> Result<FrontMatter, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    // Line 1 of the YAML is line 2 of the file.
    serde_yaml::from_str(yaml).map_err(|e| yaml_error(file, &e, yaml, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.md")
    }

    #[test]
    fn front_matter_is_split_and_lines_are_counted() {
        let (s, w) = split_front_matter("---\ntitle: Hi\ndraft: true\n---\n# Body\n", p()).unwrap();
        assert!(w.is_none());
        assert_eq!(s.front.title.as_deref(), Some("Hi"));
        assert!(s.front.draft);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line_offset, 4);
    }

    #[test]
    fn unclosed_front_matter_is_markdown_with_a_warning() {
        let (s, w) = split_front_matter("---\ntitle: x\n# Body\n", p()).unwrap();
        assert_eq!(s.body, "---\ntitle: x\n# Body\n");
        assert_eq!(w.unwrap().line, Some(1));
    }

    #[test]
    fn bad_front_matter_names_the_file_line() {
        let e = split_front_matter("---\ntitle: ok\nweight: [1\n---\n", p()).unwrap_err();
        assert!(e.line.unwrap() >= 3, "{e}");
        assert!(e.message.starts_with("invalid YAML"));
    }

    #[test]
    fn front_matter_errors_name_the_line_editors_show() {
        // Found by fuzz/fuzz_targets/front_matter.rs: YAML counts NEL (U+0085) as a line break.
        let text = "---\ntitle: a\u{85}b\nweight: [1\n---\n";
        let e = split_front_matter(text, p()).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
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
