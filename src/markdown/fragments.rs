//! `#fragments`: the one place that decides which id of a page a fragment names.
//!
//! GitHub is lenient where browsers are not. A browser scrolls to the element
//! whose id is the fragment exactly; GitHub's script also finds it in another
//! letter case (`#Setup` for `## Setup`, id `setup`) and with the prefix GitHub
//! gives the ids of rendered Markdown (`#user-content-setup`). Authors write for
//! GitHub, so labsite accepts what GitHub accepts, the checker with
//! [`resolve`], and makes it work in a browser too: the renderer notes where
//! each fragment link stands in a page's HTML ([`FragmentRef`]), and once every
//! page is rendered, and so every page's ids are known, `fixes` rewrites the
//! fragments that name an id in another form to the id as it is. The print view
//! maps fragments with [`resolve`] too.

use std::borrow::Cow;
use std::ops::Range;

use super::links::Target;
use super::Document;
use crate::markdown::html::decode_entities;
use crate::urlpath::{decode, encode_fragment};

/// The prefix GitHub puts before every id in rendered Markdown.
const GITHUB_PREFIX: &str = "user-content-";

/// What a fragment names on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FragmentMatch<'a> {
    /// A fragment every page has: `#` alone, `#top` (any letter case) with no
    /// such id, a text fragment (`#:~:text=…`).
    Anywhere,
    /// The id, as the page has it.
    Id(&'a str),
    /// No id of the page.
    Missing,
}

/// Which of a page's `anchors` (its ids, [`super::Document::anchors`]) the `fragment`
/// names, percent-decoded and without `#`, as GitHub finds it: the id written
/// exactly, else in another letter case (ASCII or not), else the same two after
/// dropping GitHub's `user-content-` prefix. The first id in page order wins
/// among ids that differ only in letter case.
pub fn resolve<'a>(anchors: &'a [String], fragment: &str) -> FragmentMatch<'a> {
    if fragment.is_empty() || fragment.starts_with(":~:") {
        return FragmentMatch::Anywhere;
    }
    let found = find(anchors, fragment).or_else(|| {
        let prefix = fragment.get(..GITHUB_PREFIX.len())?;
        prefix
            .eq_ignore_ascii_case(GITHUB_PREFIX)
            .then(|| find(anchors, &fragment[GITHUB_PREFIX.len()..]))
            .flatten()
    });
    match found {
        Some(id) => FragmentMatch::Id(id),
        // Browsers scroll to the top for `#top` when no element has that id.
        None if fragment.eq_ignore_ascii_case("top") => FragmentMatch::Anywhere,
        None => FragmentMatch::Missing,
    }
}

/// The id `wanted` names exactly, else ignoring letter case.
fn find<'a>(anchors: &'a [String], wanted: &str) -> Option<&'a str> {
    if wanted.is_empty() {
        return None;
    }
    anchors
        .iter()
        .find(|a| *a == wanted)
        .or_else(|| anchors.iter().find(|a| same_folded(a, wanted)))
        .map(String::as_str)
}

/// Whether two strings are equal once lower-cased, as GitHub's script compares
/// them (JavaScript's `toLowerCase`).
fn same_folded(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Where the `#fragment` of a link stands in its page's HTML, so that it can be
/// rewritten once the page it points at is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentRef {
    /// The link, by index into [`Document::links`].
    pub link: usize,
    /// The fragment's bytes in [`Document::html`], after the `#`, as written there
    /// (percent-encoded, with character references).
    pub at: Range<usize>,
}

/// A fragment as it stands in an HTML attribute, read back: character references
/// and percent escapes decoded.
fn read_back(written: &str) -> Cow<'_, str> {
    if !written.bytes().any(|b| b == b'%' || b == b'&') {
        return Cow::Borrowed(written);
    }
    Cow::Owned(decode(&decode_entities(written)))
}

/// Where the fragment of the `nth` `href` in `html[span]` stands, when that
/// fragment reads back as `fragment` (else the link was not written where the
/// renderer expected, and is left alone).
pub(crate) fn locate(
    html: &str,
    span: Range<usize>,
    nth: usize,
    fragment: &str,
) -> Option<Range<usize>> {
    let written = html.get(span.clone())?;
    let value = super::html::tags(written)
        .into_iter()
        .flat_map(|t| t.attrs)
        .filter(|a| a.name == "href")
        .nth(nth)?
        .value_range?;
    let href = &written[value.clone()];
    // The first `#` that does not start a character reference (`&#39;`).
    let hash = href
        .match_indices('#')
        .map(|(i, _)| i)
        .find(|&i| !href[..i].ends_with('&'))?;
    let at = span.start + value.start + hash + 1..span.start + value.end;
    (read_back(&html[at.clone()]) == fragment).then_some(at)
}

/// The rewrites that make the fragment links of page `page` name ids exactly as
/// their target pages have them: the bytes to replace in the page's HTML and
/// what to put there. A fragment that names nothing reads as written (the checker
/// reports it); one rewritten before is written back when its id is gone.
pub(crate) fn fixes(docs: &[Document], page: usize) -> Vec<(Range<usize>, String)> {
    let doc = &docs[page];
    doc.fragment_refs
        .iter()
        .filter_map(|r| {
            let link = &doc.links[r.link];
            let target = match link.resolved.target {
                Target::SamePage => page,
                Target::Page(t) => t,
                _ => return None,
            };
            let fragment = link.resolved.fragment.as_deref()?;
            let wanted = match resolve(&docs[target].anchors, fragment) {
                FragmentMatch::Id(id) => id,
                FragmentMatch::Anywhere | FragmentMatch::Missing => fragment,
            };
            let written = doc.html.get(r.at.clone())?;
            (read_back(written) != wanted).then(|| (r.at.clone(), encode_fragment(wanted)))
        })
        .collect()
}

/// Whether page `from` has a fragment link into page `to`.
pub(crate) fn links_into(docs: &[Document], from: usize, to: usize) -> bool {
    let doc = &docs[from];
    doc.fragment_refs
        .iter()
        .any(|r| match doc.links[r.link].resolved.target {
            Target::SamePage => from == to,
            Target::Page(t) => t == to,
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn exact_ids_match_first() {
        let a = ids(&["Setup", "setup", "user-content-raw"]);
        assert_eq!(resolve(&a, "setup"), FragmentMatch::Id("setup"));
        assert_eq!(resolve(&a, "Setup"), FragmentMatch::Id("Setup"));
        assert_eq!(
            resolve(&a, "user-content-raw"),
            FragmentMatch::Id("user-content-raw"),
            "an id that has the prefix itself"
        );
    }

    #[test]
    fn letter_case_is_folded_as_github_does() {
        let a = ids(&["intro", "setup", "über-uns", "straße", "ΣΟΦΙΑ"]);
        assert_eq!(resolve(&a, "Setup"), FragmentMatch::Id("setup"));
        assert_eq!(resolve(&a, "SETUP"), FragmentMatch::Id("setup"));
        assert_eq!(resolve(&a, "Über-Uns"), FragmentMatch::Id("über-uns"));
        assert_eq!(resolve(&a, "STRAßE"), FragmentMatch::Id("straße"));
        assert_eq!(resolve(&a, "σοφια"), FragmentMatch::Id("ΣΟΦΙΑ"));
    }

    #[test]
    fn githubs_prefix_is_dropped_after_exact_and_folded_matches() {
        let a = ids(&["setup", "Raw-Id"]);
        assert_eq!(
            resolve(&a, "user-content-setup"),
            FragmentMatch::Id("setup")
        );
        assert_eq!(
            resolve(&a, "user-content-SETUP"),
            FragmentMatch::Id("setup")
        );
        assert_eq!(
            resolve(&a, "User-Content-raw-id"),
            FragmentMatch::Id("Raw-Id")
        );
        assert_eq!(resolve(&a, "user-content-"), FragmentMatch::Missing);
        assert_eq!(resolve(&a, "user-content-other"), FragmentMatch::Missing);
    }

    #[test]
    fn percent_decoded_fragments_match_unicode_ids() {
        // The resolver takes fragments decoded, as `links::Resolver` hands them over.
        let a = ids(&["schritt-2-prüfen", "a b"]);
        let written = "Schritt-2-Pr%C3%BCfen";
        assert_eq!(
            resolve(&a, &decode(written)),
            FragmentMatch::Id("schritt-2-prüfen")
        );
        assert_eq!(resolve(&a, &decode("A%20B")), FragmentMatch::Id("a b"));
    }

    #[test]
    fn top_empty_and_text_fragments_are_fine_anywhere() {
        let none: Vec<String> = Vec::new();
        for f in ["", "top", "TOP", "Top", ":~:text=backup", ":~:text=a,-b"] {
            assert_eq!(resolve(&none, f), FragmentMatch::Anywhere, "{f:?}");
        }
        let a = ids(&["top"]);
        assert_eq!(
            resolve(&a, "Top"),
            FragmentMatch::Id("top"),
            "a heading named Top is the one GitHub finds"
        );
    }

    #[test]
    fn anything_else_is_missing() {
        let a = ids(&["setup", "task-1"]);
        for f in [
            "setpu",
            "task-2",
            "setup ",
            "user-content",
            "topp",
            "task_1",
        ] {
            assert_eq!(resolve(&a, f), FragmentMatch::Missing, "{f:?}");
        }
        assert_eq!(resolve(&[], "setup"), FragmentMatch::Missing);
    }

    #[test]
    fn a_fragment_is_located_in_the_href_that_holds_it() {
        let html = "<p><a href=\"../b/index.html?x=1&amp;y=2#Set%20Up\" title=\"t\">";
        let at = locate(html, 3..html.len(), 0, "Set Up").unwrap();
        assert_eq!(&html[at], "Set%20Up");
        let raw = "<a href='it&#39;s.html'>x</a> <a id=q href=\"it&#39;s.html#A&amp;B\">";
        let at = locate(raw, 0..raw.len(), 1, "A&B").unwrap();
        assert_eq!(&raw[at], "A&amp;B");
        assert_eq!(locate(raw, 0..raw.len(), 0, "A&B"), None, "no fragment");
        assert_eq!(
            locate(raw, 0..raw.len(), 1, "other"),
            None,
            "not the fragment expected"
        );
        assert_eq!(locate(raw, 0..raw.len(), 2, "A&B"), None, "no third href");
    }
}
