//! Raw HTML inside Markdown: finding tags and their attributes, so that `href`/`src`
//! are resolved like Markdown links and `id`s count as anchors.
//!
//! Authors write small, well-formed snippets (`<details>`, `<img width>`,
//! `<a id>`); a tag-and-attribute scanner is enough and keeps positions, which a
//! full HTML parser would not give back.

use std::ops::Range;

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Lower-cased name.
    pub name: String,
    /// Value with character references decoded; empty when the attribute has none.
    pub value: String,
    /// Byte range of the attribute (name to end of value) in the scanned HTML.
    pub range: Range<usize>,
    /// Byte range of the value without quotes, if there is a value.
    pub value_range: Option<Range<usize>>,
}

/// A start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Lower-cased name.
    pub name: String,
    pub attrs: Vec<Attr>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// The start tags in an HTML fragment (comments skipped).
///
/// A start tag is `<name` (a letter, then letters, digits, `-`), attributes each
/// after white space (`name`, `name=value`, the value in `"`, `'` or bare), white
/// space, an optional `/` and `>`. Text that does not read as one is skipped a
/// character at a time, as a browser shows it as text.
pub fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(lt) = html[pos..].find('<') {
        let start = pos + lt;
        if let Some(end) = html[start..]
            .strip_prefix("<!--")
            .and_then(|body| body.find("-->"))
        {
            pos = start + 4 + end + 3;
            continue;
        }
        match start_tag(html, start) {
            Some((tag, end)) => {
                out.push(tag);
                pos = end;
            }
            None => pos = start + 1,
        }
    }
    out
}

/// The start tag at byte `start` (a `<`) and the byte after it, if one is there.
fn start_tag(html: &str, start: usize) -> Option<(Tag, usize)> {
    let bytes = html.as_bytes();
    let mut at = start + 1;
    if !bytes.get(at)?.is_ascii_alphabetic() {
        return None;
    }
    while bytes
        .get(at)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
    {
        at += 1;
    }
    let name = html[start + 1..at].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        let spaced = skip_space(html, at);
        if spaced > at {
            if let Some(attr) = attribute(html, spaced) {
                at = attr.range.end;
                attrs.push(attr);
                continue;
            }
        }
        let mut end = spaced;
        if bytes.get(end) == Some(&b'/') {
            end += 1;
        }
        return (bytes.get(end) == Some(&b'>')).then(|| (Tag { name, attrs }, end + 1));
    }
}

/// The attribute whose name starts at byte `at`, if one does.
fn attribute(html: &str, at: usize) -> Option<Attr> {
    let name_end = at
        + html[at..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '>' | '/' | '='))
            .unwrap_or(html.len() - at);
    if name_end == at {
        return None;
    }
    let value = value_after(html, name_end);
    let end = value.as_ref().map_or(name_end, |(_, end)| *end);
    Some(Attr {
        name: html[at..name_end].to_ascii_lowercase(),
        value: value
            .as_ref()
            .map(|(v, _)| decode_entities(&html[v.clone()]))
            .unwrap_or_default(),
        range: at..end,
        value_range: value.map(|(v, _)| v),
    })
}

/// The value of an attribute whose name ends at byte `at` (without its quotes),
/// and the byte after it (after the closing quote), if it has one.
fn value_after(html: &str, at: usize) -> Option<(Range<usize>, usize)> {
    let eq = skip_space(html, at);
    if html.as_bytes().get(eq) != Some(&b'=') {
        return None;
    }
    let start = skip_space(html, eq + 1);
    let rest = &html[start..];
    match rest.as_bytes().first()? {
        quote @ (b'"' | b'\'') => {
            let len = rest[1..].find(*quote as char)?;
            Some((start + 1..start + 1 + len, start + len + 2))
        }
        _ => {
            let len = rest
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '\'' | '=' | '<' | '>' | '`')
                })
                .unwrap_or(rest.len());
            (len > 0).then_some((start..start + len, start + len))
        }
    }
}

/// The first byte at or after `at` that is not white space.
fn skip_space(html: &str, at: usize) -> usize {
    at + html[at..]
        .find(|c: char| !c.is_whitespace())
        .unwrap_or(html.len() - at)
}

/// Replaces attribute values: `replace(tag, attr)` returns the new (unescaped) value or `None`.
pub fn rewrite_attrs(html: &str, mut replace: impl FnMut(&Tag, &Attr) -> Option<String>) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for tag in tags(html) {
        for attr in &tag.attrs {
            if let (Some(range), Some(new)) = (&attr.value_range, replace(&tag, attr)) {
                edits.push((range.clone(), new));
            }
        }
    }
    if edits.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut last = 0;
    for (range, value) in edits {
        out.push_str(&html[last..range.start]);
        out.push_str(&super::highlight::escape_html(&value));
        last = range.end;
    }
    out.push_str(&html[last..]);
    out
}

/// Decodes the character references authors use in attribute values.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags_attributes_and_positions() {
        let html = r#"<p align="center"><img src='images/a b.png' width=300 alt="A &amp; B"></p><!-- <a href="x"> -->"#;
        let t = tags(html);
        assert_eq!(t.len(), 2, "comments are skipped");
        let img = &t[1];
        assert_eq!(img.name, "img");
        let src = img.attr("src").unwrap();
        assert_eq!(src.value, "images/a b.png");
        assert_eq!(&html[src.range.clone()], "src='images/a b.png'");
        assert_eq!(img.attr("alt").unwrap().value, "A & B");
        assert_eq!(img.attr("width").unwrap().value, "300");
    }

    #[test]
    fn rewrites_only_the_values_asked_for() {
        let html = r#"<a href="../b/README.md" data-href="keep">x</a><img src=a.png>"#;
        let out = rewrite_attrs(html, |_, a| match a.name.as_str() {
            "href" => Some("../b/index.html?a=1&b=2".into()),
            "src" => Some("a.png".into()),
            _ => None,
        });
        assert_eq!(
            out,
            r#"<a href="../b/index.html?a=1&amp;b=2" data-href="keep">x</a><img src=a.png>"#
        );
    }

    /// The regular expressions `tags` was first written with: the scanner must
    /// read every input as they do.
    fn tags_by_regex(html: &str) -> Vec<Tag> {
        let tag = regex::Regex::new(r#"<!--(?s:.*?)-->|<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>"#).unwrap();
        let attr =
            regex::Regex::new(r#"([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"#)
                .unwrap();
        let mut out = Vec::new();
        for cap in tag.captures_iter(html) {
            let (Some(name), Some(attrs)) = (cap.get(1), cap.get(2)) else {
                continue;
            };
            let base = attrs.start();
            let attrs = attr
                .captures_iter(attrs.as_str())
                .map(|a| {
                    let whole = a.get(0).unwrap();
                    let value = a.get(2).or(a.get(3)).or(a.get(4));
                    Attr {
                        name: a[1].to_ascii_lowercase(),
                        value: value
                            .map(|v| decode_entities(v.as_str()))
                            .unwrap_or_default(),
                        range: base + whole.start()..base + whole.end(),
                        value_range: value.map(|v| base + v.start()..base + v.end()),
                    }
                })
                .collect();
            out.push(Tag {
                name: name.as_str().to_ascii_lowercase(),
                attrs,
            });
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn the_scanner_reads_tags_as_the_regular_expressions_do(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "<", ">", "</", "/>", "<a", "<img", "<A-1", "<!--", "-->", " ", "\t", "\n",
                "\u{a0}", "=", "\"", "'", "/", "`", "href", "src", "x", "é", "&amp;", "<b ",
                " id=\"t\"", " data-x='1 2'", " w=30", "<p>", "💡",
            ]), 0..24)
        ) {
            let html = parts.concat();
            proptest::prop_assert_eq!(tags(&html), tags_by_regex(&html), "{:?}", html);
        }
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a&amp;b&#39;c&#x41;&bogus;"),
            "a&b'cA&bogus;"
        );
    }
}
