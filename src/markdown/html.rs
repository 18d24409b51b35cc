//! Raw HTML inside Markdown: finding tags and their attributes, so that `href`/`src`
//! are resolved like Markdown links and `id`s count as anchors.
//!
//! Authors write small, well-formed snippets (`<details>`, `<img width>`,
//! `<a id>`); a tag-and-attribute scanner is enough and keeps positions, which a
//! full HTML parser would not give back.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

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

fn tag_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"<!--(?s:.*?)-->|<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>"#)
            .expect("valid regex")
    })
}

fn attr_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"#)
            .expect("valid regex")
    })
}

/// The start tags in an HTML fragment (comments skipped).
pub fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    for cap in tag_regex().captures_iter(html) {
        let (Some(name), Some(attrs)) = (cap.get(1), cap.get(2)) else {
            continue; // a comment
        };
        let base = attrs.start();
        let attrs = attr_regex()
            .captures_iter(attrs.as_str())
            .map(|a| {
                let whole = a.get(0).expect("match");
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

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a&amp;b&#39;c&#x41;&bogus;"),
            "a&b'cA&bogus;"
        );
    }
}
