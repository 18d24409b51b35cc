//! `#fragments`: the one place that decides which id of a page a fragment names.
//!
//! GitHub is lenient where browsers are not. A browser scrolls to the element
//! whose id is the fragment exactly; GitHub's script also finds it in another
//! letter case (`#Setup` for `## Setup`, id `setup`) and with the prefix GitHub
//! gives the ids of rendered Markdown (`#user-content-setup`). Authors write for
//! GitHub, so labsite accepts what GitHub accepts: [`resolve`].

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urlpath::decode;

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
}
