//! URL paths of the built site: percent-encoding, decoding, and relative URLs
//! between output files. Ground floor: knows nothing of workshops or pages.

use std::path::{Component, Path, PathBuf};

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use crate::diag::display_path;

/// Characters escaped in a path segment of a rewritten URL.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// Percent-encodes a `/`-separated path for use in a URL.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|seg| utf8_percent_encode(seg, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Characters escaped in a `#fragment` written by labsite: besides what a URL may
/// not hold, those that mean something in HTML, so that the result stands in an
/// attribute value as it is.
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'`');

/// Percent-encodes an id for a URL's `#fragment` (without the `#`); [`decode`] gives
/// the id back. Letters beyond ASCII are encoded as UTF-8, as browsers do.
pub fn encode_fragment(id: &str) -> String {
    utf8_percent_encode(id, FRAGMENT).to_string()
}

/// Decodes `%XX` escapes; invalid UTF-8 is replaced rather than refused.
pub fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// `a/b/../c` → `a/c`; `None` when the path climbs above its start or is absolute.
pub fn normalize_within(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(s) => out.push(s),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// The relative URL from the page written at `from` to the file at `to` (both relative
/// to the output folder), percent-encoded: `chapter-1/index.html` → `../chapter-2/index.html`.
pub fn relative_url(from: &Path, to: &Path) -> String {
    relative_site_url(&site_path(from), &site_path(to))
}

/// [`relative_url`] between two paths as [`site_path`] writes them, for callers that
/// link many pages to each other (the sidebar) and encode each path once.
pub fn relative_site_url(from: &str, to: &str) -> String {
    let from_dir = from.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut from_parts = from_dir.split('/').filter(|s| !s.is_empty()).peekable();
    let mut rest = to.trim_start_matches('/');
    // Skip the folders both paths share.
    while let Some(&part) = from_parts.peek() {
        match rest.strip_prefix(part) {
            Some(after) if after.is_empty() || after.starts_with('/') => {
                rest = after.trim_start_matches('/');
                from_parts.next();
            }
            _ => break,
        }
    }
    let mut url = "../".repeat(from_parts.count());
    // A first segment with a colon (`step:1.html`) would read as a URL scheme.
    if url.is_empty() && rest.split('/').next().is_some_and(|s| s.contains(':')) {
        url.push_str("./");
    }
    url.push_str(rest);
    if url.is_empty() {
        url.push_str("./");
    }
    url
}

/// The prefix from a page at `output` to the site root: `""`, `"../"`, `"../../"`.
pub fn root_prefix(output: &Path) -> String {
    let depth = output.parent().map_or(0, |p| p.components().count());
    "../".repeat(depth)
}

/// A path relative to the output folder as a site URL path (`chapter 1/index.html` → `chapter%201/index.html`).
pub fn site_path(output: &Path) -> String {
    encode_path(&display_path(output))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_between_output_paths() {
        for (from, to, want) in [
            ("index.html", "a/index.html", "a/index.html"),
            ("a/b/x.html", "a/c.png", "../c.png"),
            ("a/x.html", "a/x.html", "x.html"),
            // A colon in the first segment is not a scheme.
            ("a/x.html", "a/step:1.html", "./step:1.html"),
            ("a/x.html", "b:c/y.html", "../b:c/y.html"),
            // A folder whose name starts like another's is not shared.
            ("a/b/x.html", "a/bc/y.html", "../bc/y.html"),
            ("p 1/q/x.html", "p 1/r s/y.html", "../r%20s/y.html"),
            ("a/b/c/x.html", "index.html", "../../../index.html"),
        ] {
            assert_eq!(
                relative_url(Path::new(from), Path::new(to)),
                want,
                "{from} → {to}"
            );
        }
        assert_eq!(
            relative_site_url("chapter%201/index.html", "chapter%201/images/a.png"),
            "images/a.png"
        );
        assert_eq!(relative_site_url("index.html", "index.html"), "index.html");
        assert_eq!(root_prefix(Path::new("a/b/index.html")), "../../");
        assert_eq!(root_prefix(Path::new("index.html")), "");
        assert_eq!(encode_path("a b/c#d?.md"), "a%20b/c%23d%3F.md");
    }

    #[test]
    fn fragments_are_encoded_for_an_attribute_and_decode_back() {
        for (id, want) in [
            ("setup", "setup"),
            ("über-uns", "%C3%BCber-uns"),
            ("a b&c'd\"<e>", "a%20b%26c%27d%22%3Ce%3E"),
            ("50%-done#2", "50%25-done%232"),
        ] {
            assert_eq!(encode_fragment(id), want);
            assert_eq!(decode(want), id);
        }
    }
}
